"""The Telegram side of privbot: python-telegram-bot handlers around the channel-neutral engine.

    private text / command  -> Conversation.handle -> rendered replies
    button press            -> signature check -> Conversation.handle(choice=value)
    group message           -> only when addressed; questions answered, requests sent to private
    any exception           -> one error handler: an apology, and a log line without content

Engine calls are synchronous (SQL): they run in a worker thread so the loop stays responsive.
Updates are processed concurrently, one user's in order, and a flooding user is limited and
cannot delay the others (`inbound.FairUpdates`).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from telegram import (
    BotCommand,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InputFile,
    Message,
    Update,
    User,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from privbot.adapters.telegram import render as rd
from privbot.adapters.telegram.callbacks import CallbackSigner
from privbot.adapters.telegram.http import TelegramHttp, quiet_api_request
from privbot.adapters.telegram.inbound import FairUpdates, InboundLimit
from privbot.adapters.telegram.languages import language_of
from privbot.core import messages as M
from privbot.core.catalogue import Catalogue
from privbot.core.choices import is_feedback, is_private_only
from privbot.core.commands import PRIVATE_ONLY as PRIVATE_ONLY_COMMANDS
from privbot.core.commands import Command, parse_command
from privbot.core.model import Incoming, Language, Outgoing, Reply, ReplyKind, UserKey
from privbot.core.ports import Conversation, Save, Understander
from privbot.core.records import Notification, UserProfile
from privbot.core.text import forget_texts
from privbot.logging_setup import error_origin

log = logging.getLogger(__name__)

CHANNEL = "telegram"
# Group messages run under their own key, so a user's private flow never sees group chatter.
GROUP_CHANNEL = "telegram-group"
ALLOWED_UPDATES = ["message", "callback_query"]
BUTTON_MAX_AGE = timedelta(hours=24)  # older buttons are expired whatever they carry
_TYPING_AFTER = 0.5  # seconds of engine time before showing "typing..."
_SEND_ATTEMPTS = 4
_SEND_MESSAGE = "sendMessage"


class Profiles(Protocol):
    def get_user(self, key: UserKey) -> UserProfile | None: ...


class Outbox(Protocol):
    def enqueue(self, notifications: Sequence[Notification]) -> None: ...


@dataclass
class TelegramDeps:
    """What the adapter needs from the rest of privbot (bootstrap provides each)."""

    conversation: Conversation
    signer: CallbackSigner
    texts: Callable[[], Catalogue]  # the live message catalogue
    profiles: Profiles | None = None
    outbox: Outbox | None = None  # replies that cannot be sent are queued here, not lost
    understander: Callable[[], Understander] | None = None  # to keep requests out of groups
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    inbound_limit: InboundLimit = field(default_factory=InboundLimit)
    # Replies before a message's last write (its topic and the language seen last,
    # `Conversation.answer`): only when this instance alone reads the updates (polling).
    # Behind a webhook another instance may take the user's next message meanwhile, and the
    # late write would undo what that one wrote (a topic, an erase).
    reply_first: bool = False


class PrivbotTelegram:
    """Builds the PTB Application and holds its handlers."""

    def __init__(self, deps: TelegramDeps) -> None:
        self.deps = deps
        self.inbound: FairUpdates | None = None
        self.http = TelegramHttp()
        self.application: Application[Any, Any, Any, Any, Any, Any] | None = None

    # --- construction ---------------------------------------------------------------------
    def build(
        self,
        token: str,
        api_url: str = "https://api.telegram.org",
        *,
        rate_limit: bool = True,
        concurrency: int = 32,
        on_done: Callable[[object], Awaitable[None]] | None = None,
    ) -> Application[Any, Any, Any, Any, Any, Any]:
        """The Application, without PTB's Updater: updates are put on its queue by the webhook
        route or by `ledger.UpdatePoller`, once recorded. `on_done` is awaited after each
        update is handled (or dropped by the inbound limit)."""
        root = api_url.rstrip("/")
        self.inbound = FairUpdates(
            concurrency, self.on_refused, self.deps.inbound_limit, on_done=on_done
        )
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            Application.builder()
            .token(token)
            .base_url(f"{root}/bot")
            .base_file_url(f"{root}/file/bot")
            .concurrent_updates(self.inbound)
            .post_init(self._post_init)
            .request(self.http.general)
            .get_updates_request(self.http.updates)
        )
        if rate_limit:
            builder = builder.rate_limiter(AIORateLimiter(max_retries=5))
        app = builder.updater(None).build()
        quiet_send_message()
        private = filters.ChatType.PRIVATE
        groups = filters.ChatType.GROUPS
        app.add_handler(MessageHandler(private & (filters.TEXT | filters.COMMAND), self.on_private))
        app.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.COMMAND, self.on_other))
        app.add_handler(MessageHandler(groups & filters.TEXT, self.on_group))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_error_handler(self.on_error)
        self.application = app
        return app

    async def _post_init(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Register the command menu in English (default) and French, both at once: polling
        starts after them, one round trip to Telegram later rather than two. Both are waited
        for, so a refused one fails the start with no call of the other left in flight."""
        texts = self.deps.texts()
        done = await asyncio.gather(
            *(
                app.bot.set_my_commands(
                    [BotCommand(name, texts.text(lang, M.command(name))) for name in M.COMMANDS],
                    scope=BotCommandScopeDefault(),
                    language_code=code,
                )
                for code, lang in ((None, Language.EN), ("fr", Language.FR))
            ),
            return_exceptions=True,
        )
        for outcome in done:
            if isinstance(outcome, BaseException):
                raise outcome

    # --- handlers -------------------------------------------------------------------------
    async def on_private(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text or command in a private chat: straight to the engine."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        text = _command_text(message.text, context.bot.username)
        incoming = Incoming(_key(user), text, channel_language=language_of(user.language_code))
        await self._converse(message.chat_id, incoming, context)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A sticker, photo or file in private: nothing to read (the engine says so)."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        language = language_of(user.language_code)
        incoming = Incoming(_key(user), "", channel_language=language, not_text=True)
        await self._converse(message.chat_id, incoming, context)

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group message: answered only when addressed; never a rights request here."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.text is None:
            return
        username = context.bot.username
        if not _addressed(message, username, context.bot.id):
            return
        text = _strip_mention(_command_text(message.text, username), username)
        prior = language_of(user.language_code)
        saved = await self._saved_language(_key(user))
        if not text:
            text = f"/{Command.HELP}"
        line = parse_command(text)
        if line is not None and line.command in PRIVATE_ONLY_COMMANDS:
            await self._invite(message.chat_id, saved or prior or Language.EN, context)
            return
        if line is None:
            kind_lang = await asyncio.to_thread(self._classify, text, saved, prior)
            if kind_lang is not None and kind_lang[0] is ReplyKind.REQUEST:
                await self._invite(message.chat_id, kind_lang[1], context)
                return
        incoming = Incoming(
            UserKey(GROUP_CHANNEL, f"{message.chat_id}:{user.id}"),
            text,
            channel_language=prior,
            forced_language=saved,
        )
        await self._converse(message.chat_id, incoming, context, group=True)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A pressed button: checked, then handed to the engine as a choice."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        message = query.message
        value = self.deps.signer.unpack(user.id, query.data or "")
        fresh = isinstance(message, Message) and (
            self.deps.clock() - message.date <= BUTTON_MAX_AGE
        )
        in_group = message is not None and message.chat.type != ChatType.PRIVATE
        lang = await self._language(user)
        if value is None or not fresh or message is None:
            # Forged, foreign or too old: say so, and change nothing.
            texts = self.deps.texts()
            await _quietly(query.answer(texts.text(lang, M.EXPIRED_SHORT)))
            if message is not None:
                expired = Reply(texts.text(lang, M.EXPIRED_BUTTON))
                await self._send(message.chat.id, rd.render([expired], str), None)
            return
        await _quietly(query.answer())
        data = query.data or ""
        label = _label_of(message, data)
        shown = message if isinstance(message, Message) and message.reply_markup else None
        # Only the press that took the keyboard away may give it back: a second tap carries
        # a copy of the message from before the first took it.
        pressed = shown if shown is not None and await _take_keyboard(shown, data, value) else None

        if in_group:
            if is_private_only(value):
                if pressed is not None:
                    await _quietly(_write_chosen(pressed, label, value))
                await self._invite(message.chat.id, lang, context)
                return
            key = UserKey(GROUP_CHANNEL, f"{message.chat.id}:{user.id}")
        else:
            key = _key(user)
        incoming = Incoming(
            key,
            label,
            choice=value,
            channel_language=language_of(user.language_code),
        )
        try:
            outgoing, save = await self._handle(message.chat.id, incoming, context)
        except Exception:  # apologised for (on_error): the buttons back, to try again
            if pressed is not None:
                await _quietly(pressed.edit_reply_markup(reply_markup=pressed.reply_markup))
            raise
        try:
            # Written chosen only once the engine took it; a press it no longer takes (a
            # flow's question asked again or ended, a section gone) is answered "expired",
            # and the question is put back as it was, keyboard and all.
            if pressed is not None and outgoing.expired:
                await _quietly(pressed.edit_reply_markup(reply_markup=pressed.reply_markup))
            elif pressed is not None:
                await _quietly(_write_chosen(pressed, label, value))
            await self._reply(message.chat.id, incoming, outgoing, context, group=in_group)
        finally:
            await _saved(save)

    async def on_refused(self, update: Update) -> None:
        """The first update dropped by the inbound limit: ask the user to slow down, once."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        lang = await self._language(user)
        slow_down = Reply(self.deps.texts().text(lang, M.SLOW_DOWN))
        await self._send(chat.id, rd.render([slow_down], str), None)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The one error handler: update id and exception type logged; the user gets an apology."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        where = error_origin(error)
        log.error("update %s failed: %s at %s", update_id, type(error).__name__, where)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        lang = Language.EN
        if update.effective_user is not None:
            try:
                lang = await self._language(update.effective_user)
            except Exception:  # the database may be what failed
                lang = language_of(update.effective_user.language_code) or Language.EN
        try:
            await update.effective_chat.send_message(self.deps.texts().text(lang, M.APOLOGY))
        except TelegramError as exc:
            log.warning("apology for update %s not sent: %s", update_id, type(exc).__name__)

    # --- the engine -----------------------------------------------------------------------
    async def _converse(
        self,
        chat_id: int,
        incoming: Incoming,
        context: ContextTypes.DEFAULT_TYPE,
        group: bool = False,
    ) -> None:
        """Run the engine for one message and send its replies (the caller runs in the user's
        lane, so one user's messages are handled in order)."""
        outgoing, save = await self._handle(chat_id, incoming, context)
        try:
            await self._reply(chat_id, incoming, outgoing, context, group)
        finally:
            await _saved(save)

    async def _reply(
        self,
        chat_id: int,
        incoming: Incoming,
        outgoing: Outgoing,
        context: ContextTypes.DEFAULT_TYPE,
        group: bool = False,
    ) -> None:
        replies = _group_safe(outgoing.replies) if group else outgoing.replies
        extra = (
            [self._private_button(outgoing.language, context)]
            if group and _dropped(outgoing)
            else []
        )
        user_id = int(incoming.user.external_id.rsplit(":", 1)[-1])
        messages = rd.render(replies, lambda v: self.deps.signer.pack(user_id, v), extra)
        outbox_key = None if group else incoming.user
        await self._send(chat_id, messages, outbox_key, outgoing.language)

    async def _handle(
        self, chat_id: int, incoming: Incoming, context: ContextTypes.DEFAULT_TYPE
    ) -> tuple[Outgoing, Save | None]:
        """The engine's replies, and the write it left to commit once they are sent
        (`Conversation.answer`: the updates are in the ledger, and one is marked handled
        only after its lane is done, that write included)."""
        self.http.upgrade_soon()  # requests over aiohttp from the first message on
        loop = asyncio.get_running_loop()
        # As asyncio.to_thread, without a task and asyncio.wait around it (a tenth of a hop's
        # CPU): "typing..." is started by a timer, and sent before the replies.
        conversation = self.deps.conversation
        work = functools.partial(
            contextvars.copy_context().run,
            conversation.answer
            if self.deps.reply_first
            else functools.partial(_whole, conversation),
            incoming,
            self.deps.clock(),
        )
        outgoing = loop.run_in_executor(None, work)
        typing: list[asyncio.Task[None]] = []

        def show_typing() -> None:
            if not outgoing.done():
                chat_action = context.bot.send_chat_action(chat_id, ChatAction.TYPING)
                typing.append(loop.create_task(_quietly(chat_action)))

        timer = loop.call_later(_TYPING_AFTER, show_typing)
        try:
            return await outgoing
        finally:
            timer.cancel()
            if typing:
                await typing[0]

    def _classify(
        self, text: str, saved: Language | None, prior: Language | None
    ) -> tuple[ReplyKind, Language] | None:
        if self.deps.understander is None:
            return None
        understander = self.deps.understander()
        try:
            u = understander.understand(text, forced_language=saved, channel_language=prior)
        finally:
            forget_texts()  # a group's message is read here only, not by the conversation
        return u.kind, u.language

    # --- sending --------------------------------------------------------------------------
    async def _send(
        self,
        chat_id: int,
        messages: Sequence[rd.Message],
        outbox_key: UserKey | None,
        language: Language = Language.EN,
    ) -> None:
        """Send in order; retry network errors; queue what still fails (private chats only)."""
        app = self.application
        assert app is not None
        for i, m in enumerate(messages):
            if await send_message(app, chat_id, m):
                continue
            if outbox_key is not None and self.deps.outbox is not None:
                now = self.deps.clock()
                left = [
                    Notification(outbox_key, language, rd.plain(x.html), now, attachment=x.document)
                    for x in messages[i:]
                ]
                await asyncio.to_thread(self.deps.outbox.enqueue, left)
                log.warning("reply to chat queued in the outbox after failed sends")
            return

    async def _invite(
        self, chat_id: int, lang: Language, context: ContextTypes.DEFAULT_TYPE
    ) -> None:
        invite = Reply(self.deps.texts().text(lang, M.GROUP_INVITE))
        messages = rd.render([invite], str, [self._private_button(lang, context)])
        await self._send(chat_id, messages, None)

    def _private_button(
        self, lang: Language, context: ContextTypes.DEFAULT_TYPE
    ) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            self.deps.texts().text(lang, M.OPEN_PRIVATE),
            url=f"https://t.me/{context.bot.username}?start=request",
        )

    # --- language -------------------------------------------------------------------------
    async def _saved_language(self, key: UserKey) -> Language | None:
        if self.deps.profiles is None:
            return None
        profile = await asyncio.to_thread(self.deps.profiles.get_user, key)
        return profile.language if profile and profile.language_chosen else None

    async def _language(self, user: User) -> Language:
        """For the adapter's own texts: the remembered language, else Telegram's, else English."""
        if self.deps.profiles is not None:
            profile = await asyncio.to_thread(self.deps.profiles.get_user, _key(user))
            if profile is not None and profile.language is not None:
                return profile.language
        return language_of(user.language_code) or Language.EN


def quiet_send_message() -> None:
    """`send_message` calls do_api_request for sendMessage on purpose (`quiet_api_request`)."""
    quiet_api_request(_SEND_MESSAGE)


async def send_message(
    app: Application[Any, Any, Any, Any, Any, Any], chat_id: int, m: rd.Message
) -> bool:
    """One sendMessage; RetryAfter (beyond the rate limiter's retries) and network errors are
    retried with backoff. False when it could not be sent."""
    delay = 0.5
    for attempt in range(_SEND_ATTEMPTS):
        try:
            if m.document is not None:
                doc = m.document
                await app.bot.send_document(
                    chat_id,
                    InputFile(doc.content.encode(), filename=doc.filename),
                    caption=m.html or None,
                    parse_mode=ParseMode.HTML,
                    reply_markup=m.keyboard,
                )
            else:
                # The request send_message makes, without building a Message from Telegram's
                # answer (its entities, its keyboard): nothing reads it, and that was a quarter
                # of a send's CPU.
                await app.bot.do_api_request(
                    _SEND_MESSAGE,
                    api_kwargs={
                        "chat_id": chat_id,
                        "text": m.html,
                        "parse_mode": ParseMode.HTML,
                        "reply_markup": m.markup,  # None is left out, as by send_message
                    },
                )
            return True
        except RetryAfter as exc:
            wait = exc.retry_after
            await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else wait)
        except (Forbidden, BadRequest) as exc:
            log.warning("message not sent: %s", type(exc).__name__)  # retrying cannot help
            return False
        except NetworkError as exc:
            log.info("send attempt %d failed: %s", attempt + 1, type(exc).__name__)
            await asyncio.sleep(delay)
            delay *= 2
    return False


# --- helpers ------------------------------------------------------------------------------
def _key(user: User) -> UserKey:
    return UserKey(CHANNEL, str(user.id))


def _command_text(text: str, username: str | None) -> str:
    """`/cmd@thisbot args` -> `/cmd args`; the deep link `/start request` -> `/request`."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return stripped
    head, _, rest = stripped.partition(" ")
    name, _, target = head.partition("@")
    if target and username and target.lower() != username.lower():
        return stripped  # a command for another bot: leave it as text
    if name.lower() == f"/{Command.START}" and rest.strip() == "request":
        return f"/{Command.REQUEST}"
    return f"{name} {rest}".strip()


def _addressed(message: Message, username: str | None, bot_id: int) -> bool:
    """Mentioned by @username, a command to this bot, or a reply to one of its messages."""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    text = message.text or ""
    return bool(username and f"@{username.lower()}" in text.lower())


def _strip_mention(text: str, username: str | None) -> str:
    if not username:
        return text
    import re

    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip(" ,:")


def _group_safe(replies: Sequence[Reply]) -> tuple[Reply, ...]:
    """Drop buttons that lead into a request: those belong to a private chat."""
    return tuple(
        replace(r, options=tuple(o for o in r.options if not is_private_only(o.value)))
        for r in replies
    )


def _dropped(outgoing: Outgoing) -> bool:
    return any(is_private_only(o.value) for r in outgoing.replies for o in r.options)


def _label_of(message: Message | Any, data: str) -> str:
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return ""
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return str(button.text)
    return ""


async def _take_keyboard(message: Message, data: str, value: str) -> bool:
    """One press per keyboard: the keyboard goes as soon as the press arrives, before the
    engine runs (which may take seconds: an e-mail sent), so no second press of it comes
    meanwhile (only one already on its way). A vote (👍 / 👎) only takes its own row away:
    the answer's other buttons stay usable. False when this press did not take it (Telegram
    refused the edit: "message is not modified" once an earlier press took it)."""
    markup = message.reply_markup
    keep = rd.without_row(markup, data) if markup is not None and is_feedback(value) else None
    try:
        await message.edit_reply_markup(reply_markup=keep)
    except TelegramError as exc:
        log.debug("keyboard not taken: %s", type(exc).__name__)
        return False
    return True


async def _write_chosen(message: Message, label: str, value: str) -> None:
    """Once the engine took the press, the chosen option is written under the message
    ("✓ Union européenne"), so the chat shows what was chosen: not for a vote (the thanks
    says it was counted), a document or a text with no room left."""
    text = rd.chosen(message.text_html, label) if message.text and label else None
    if text is not None and not is_feedback(value):
        await message.edit_text(text, parse_mode=ParseMode.HTML)


def _whole(
    conversation: Conversation, incoming: Incoming, now: datetime
) -> tuple[Outgoing, Save | None]:
    """The message answered with all it writes committed before its replies."""
    return conversation.handle(incoming, now), None


async def _saved(save: Save | None) -> None:
    """Commit what the engine left for after the replies (`Conversation.answer`: only the
    message's topic and the language seen last). The replies are out by then: a failure is
    logged, with no apology after an answer given."""
    if save is None:
        return
    try:
        await asyncio.get_running_loop().run_in_executor(None, save)
    except Exception as exc:  # tried twice: the topic and language seen last are lost
        log.error("a message's topic and profile not saved: %s at %s", type(exc).__name__,
                  error_origin(exc))  # fmt: skip


async def _quietly(coro: Any) -> None:
    """Best-effort calls (button acknowledgements, typing, keyboard removal)."""
    try:
        await coro
    except TelegramError as exc:
        log.debug("best-effort call failed: %s", type(exc).__name__)
