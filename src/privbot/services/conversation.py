"""The channel-independent engine (`core.ports.Conversation`): one message in, replies out.

Routing: a pressed button (`core.choices`), a message that is not text, a command
(`core.commands`), a message inside a request flow (-> `core.dialogue`), else a question
(-> matcher + answers; a REQUEST understanding starts the flow). The dialogue's effects are
executed here and their outcomes fed back to it. Never logs message text, e-mail addresses or codes.
"""

from __future__ import annotations

import functools
import logging
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from privbot.core import abuse, menu, timeline
from privbot.core import choices as ch
from privbot.core import dialogue as dg
from privbot.core import feedback as fb
from privbot.core import inbox as ib
from privbot.core import messages as M
from privbot.core import replies as rp
from privbot.core import requests as rq
from privbot.core import verification as vf
from privbot.core.catalogue import Catalogue
from privbot.core.commands import Command, CommandLine, parse_command
from privbot.core.flows import FlowState, field_of
from privbot.core.handoff import Handoff
from privbot.core.lexicon import concept_words
from privbot.core.model import (
    Incoming,
    Language,
    Option,
    Outgoing,
    Reply,
    ReplyKind,
    RequestType,
    Understanding,
    UserKey,
)
from privbot.core.pending import JSON_KEY, Asked, PendingQuestion
from privbot.core.phrasing import names_own_request
from privbot.core.ports import Save
from privbot.core.records import UserProfile
from privbot.core.requests import RightsRequest, parse_reference
from privbot.core.retention import RetentionPolicy
from privbot.core.terms import TermMaker
from privbot.core.text import forget_texts
from privbot.core.topics import (
    Topic,
    about_the_data,
    asks_for_more,
    beside_more,
    continues,
    is_follow_up,
    names_data,
    offers_choice,
    opens_continuation,
    points_back,
    practices_asked,
    right_asked,
    topic_answers,
)
from privbot.errors import DeliveryError, InvalidTransition, RequestNotFound
from privbot.logging_setup import request_context
from privbot.services.ports import (
    KnowledgeView,
    Mailer,
    Repository,
    StoredFlow,
    UnitOfWork,
    VerificationLimits,
)
from privbot.services.privacy import BUSY_KEY, PrivacyDesk
from privbot.services.requests import RequestService
from privbot.services.turn import Turn

log = logging.getLogger(__name__)
DEFAULT_LANGUAGE = Language.FR  # the policy's original language
# The kind of the buttons of each menu remembered as pending (their values carry its nonce).
_MENU_BUTTONS = {
    Asked.RIGHTS: ch.ChoiceKind.REQUEST,
    Asked.CANCEL_MENU: ch.ChoiceKind.CANCEL_REQUEST,
}
# A second tap of these buttons while the first is handled does nothing (`PrivacyDesk`).
_ONCE_AT_A_TIME = (ch.PrivacyAction.EXPORT, ch.PrivacyAction.ERASE_CONFIRM)
# The intents (intents/my_requests.yaml) answered with the user's own requests rather than
# their generic reply: never by starting a new request.
MY_REQUESTS = menu.MY_REQUESTS
REQUEST_DEADLINE = "request_deadline"
CANCEL_REQUEST = "cancel_request"  # answered with the /cancel menu of the user's requests
# "Talk to a human" (intents/people.yaml), and the out-of-scope intents that are account
# support (billing, payments, passwords): never sent to the privacy mailbox.
HUMAN = "human"
ACCOUNT_SUPPORT = frozenset({"oos_pricing", "oos_refund", "oos_login"})
USER_ACTOR = "user"
_OWN_REQUESTS = (MY_REQUESTS, REQUEST_DEADLINE)
_ABOUT_OWN = (*_OWN_REQUESTS, CANCEL_REQUEST)  # what a follow-up on one's requests may be
_WISH_WORDS = concept_words("WANT")
# Outcomes a follow-up may be read again for, with the previous topic's words.
_UNSURE = (ReplyKind.FALLBACK, ReplyKind.CLARIFY)
# An off-topic intent matched at least this well is a new question, not a follow-up.
_CLEARLY_OFF_TOPIC = 0.8
# Below this, a follow-up's own answer is weaker than reading it with the topic's words.
_WEAK_ALONE = 0.5
# A follow-up pointing back and naming no practice ("how can I turn them off?" after
# cookies, 0.52 alone) whose words alone lead this surely elsewhere means what they say.
_SURE_ALONE = 0.75
# The buttons of a "did you mean" that answer it (not "talk to a person").
_ANSWERING = (ch.ChoiceKind.SECTION, ch.ChoiceKind.INTENT, ch.ChoiceKind.REQUEST)
_FLOW_TRIES = 3  # a step is run at most this often on a flow other messages keep writing
# A code not marked mailed this long after it was issued was never mailed (its instance
# stopped between the commit and the mail); younger, its mail may still be under way.
_MAILING = timedelta(minutes=1)


@dataclass(frozen=True)
class _Once:
    """What the tries of one flow step do outside their transaction, done by the first and
    taken over by the next: a try undone because another message wrote the flow meanwhile runs
    again, and must not count a send or a guess against the limits a second time. `lost`: the
    addresses another message wrote a code for while this step was issuing one; that code is
    the one mailed (by that message), so no try of this step issues another."""

    verdicts: dict[tuple[abuse.Action, str], abuse.Verdict] = field(default_factory=dict)
    lost: set[str] = field(default_factory=set)


@dataclass
class _Mail:
    """A code to mail once the try that wrote it has committed (an undone try mails none)."""

    email: str
    language: Language
    code: str
    record: vf.CodeRecord
    at: int = 0  # where the replies that say it was sent start, in the try's replies
    failed: tuple[Reply, ...] = ()  # the replies from there if it cannot be delivered


class ConversationService:
    """Implements `Conversation.handle` over a repository, a mailer and the knowledge."""

    def __init__(
        self,
        repo: Repository,
        requests: RequestService,
        mailer: Mailer,
        knowledge: Callable[[], KnowledgeView],
        code_secret: bytes,
        rng: vf.RandomSource,
        limits: VerificationLimits,
        retention: RetentionPolicy | None = None,
        inbox: bool = True,
    ) -> None:
        self.repo = repo
        self.inbox = inbox  # capture unanswered questions, redacted (core.inbox)
        # Questions by day and outcome (the digest's fallback rate): counted here, written by
        # `flush_counts` (the scheduler's minute job and its stop), not one commit a message.
        self._counts: Counter[tuple[date, str]] = Counter()
        self._counts_lock = threading.Lock()
        self.limits = limits
        self.requests = requests
        self.mailer = mailer
        self.knowledge = knowledge
        self.code_secret = code_secret
        self.rng = rng
        self.privacy = PrivacyDesk(repo, retention or RetentionPolicy(), self._texts, inbox)

    def _texts(self) -> Catalogue:
        return self.knowledge().catalogue

    # --- entry point ----------------------------------------------------------------------
    def handle(self, incoming: Incoming, now: datetime) -> Outgoing:
        """Answer one message and commit what it wrote (`answer`, then its write)."""
        out, save = self.answer(incoming, now)
        if save is not None:
            save()
        return out

    def answer(self, incoming: Incoming, now: datetime) -> tuple[Outgoing, Save | None]:
        """Answer one message (see the module docstring for the routing); every log line
        written meanwhile carries one request id. What the message wrote is committed before
        this returns, unless it is only its topic and the language seen last: that commit is
        returned, to be run once the replies are sent (`core.ports.Conversation.answer`)."""
        with request_context() as rid:
            turn = Turn(self.repo, incoming.user)
            try:
                out = self._handle(turn, incoming, now)
            finally:
                forget_texts()
            save = turn.flush_later()
            log.debug("message handled: %d replies", len(out.replies))
            return out, None if save is None else functools.partial(_save_late, save, rid)

    def _handle(self, turn: Turn, incoming: Incoming, now: datetime) -> Outgoing:
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
        key = incoming.user
        profile = turn.profile or UserProfile(key)
        state = self._load_flow(turn)
        chosen = incoming.forced_language or (profile.language if profile.language_chosen else None)
        lang = chosen or (state.language if state else None)
        if state is not None and chosen is not None and state.language is not chosen:
            state = replace(state, language=chosen)
        text = incoming.text or ""
        command = parse_command(text)
        known = lang or profile.language or incoming.channel_language or DEFAULT_LANGUAGE
        pending, dropped = self._load_pending(turn, now), None
        if pending is not None and _closes(pending, incoming, command):
            self._save_pending(turn, None, now)
            pending, dropped = None, pending
        if self.inbox:
            self._settle_question(turn, incoming.choice)
        switch = rp.language_switch(text) if command is None and incoming.choice is None else None
        erased = _confirms_erase(incoming.choice)
        replies: tuple[Reply, ...]
        if incoming.choice is not None:
            lang, replies = self._on_choice(
                turn, profile, state, incoming.choice, known, now, dropped
            )
        elif incoming.not_text:
            lang, replies = self._on_not_text(turn, state, known, now)
        elif command is not None:
            lang, replies = self._on_command(turn, profile, state, command, known, now, dropped)
        elif switch is not None:
            lang, replies = self._set_language(turn, profile, switch, now)
        elif pending is not None and pending.yes_no:
            lang, replies, erased = self._on_pending(turn, profile, pending, incoming, now)
        elif state is not None:
            lang = state.language
            replies = self._run(turn, state, dg.Text(text), now)
        elif (handoff := turn.handoff) is not None:
            lang, replies = known, self._relay(handoff, incoming.text, known, now)
        elif pending is not None and (picked := self._typed_right(pending, text)) is not None:
            self._save_pending(turn, None, now)  # answered: the menu is closed
            lang = pending.language
            replies = self._start(turn, profile, picked, lang, now)
        elif (answer := rp.yes_no(text)) is not None:  # nothing is asked: not a question
            lang = chosen or rp.yes_no_language(text) or known
            said = M.NOTHING_ASKED_YES if answer is rp.Answer.YES else M.NOTHING_ASKED_NO
            if answer is rp.Answer.NO:
                self._drop_erase_mark(turn, now)  # no replayed "yes" erases after a no
            replies = (Reply(self._texts().text(lang, said)),)
        else:
            lang, replies = self._on_question(turn, profile, incoming, chosen, now)
        if dropped is not None and any(r.expired for r in replies) and not turn.flow_write_lost:
            # An expired button answers nothing ("nothing was done"): the question stays asked
            # (unless another message settled it first: its answer stands).
            self._save_pending(turn, dropped, now)
        if any(r.answer for r in replies):
            replies = fb.offer(replies, _answer_token(), lang, self._texts())
        if erased:  # just erased: remember nothing more
            return Outgoing(lang, replies)
        # The language seen last, unless one was chosen (here, or elsewhere meanwhile).
        turn.update_user(lambda p: p if p.language_chosen else replace(p, language=lang), now)
        return Outgoing(lang, replies)

    def _on_pending(
        self,
        turn: Turn,
        profile: UserProfile,
        pending: PendingQuestion,
        incoming: Incoming,
        now: datetime,
    ) -> tuple[Language, tuple[Reply, ...], bool]:
        """The answer to a yes/no question asked outside a flow (erase everything? write to a
        person?): never sent to the matcher. A question instead of an answer cancels it
        (nothing is erased, no person is written to) and is answered; anything else asks
        again. The third value: the user's data was just erased."""
        lang = pending.language
        answer = rp.yes_no(incoming.text)
        if answer is rp.Answer.YES and pending.asked is Asked.ERASE:
            turn.settle()
            key, confirm = turn.key, ch.PrivacyAction.ERASE_CONFIRM
            erased = self.privacy.once_at_a_time(
                key, confirm, lang, now, lambda: self.privacy.erase(key, lang)
            )
            return lang, (erased,), True
        if answer is rp.Answer.YES:
            self._save_pending(turn, None, now)
            return lang, (self._on_handoff_choice(turn, ch.HandoffAction.OPEN, lang, now),), False
        if answer is rp.Answer.NO:
            self._save_pending(turn, None, now)
            return lang, (self._closed(turn, pending, now),), False
        if rp.looks_like_question(incoming.text):
            self._save_pending(turn, None, now)
            kept = (self._closed(turn, pending, now),) if pending.asked is Asked.ERASE else ()
            lang, answers = self._on_question(turn, profile, incoming, lang, now)
            return lang, (*kept, *answers), False
        again = Reply(self._texts().text(lang, M.YES_OR_NO))
        return lang, (again, self._ask(turn, pending.asked, lang, now)), False

    # --- the unanswered-questions inbox ------------------------------------------------------
    def _settle_question(self, turn: Turn, choice: str | None) -> None:
        """A "did you mean" waiting in topic memory is settled by the next message: one of
        its buttons resolves it (the question then waits for a 👎 on that answer), anything
        else leaves it unresolved (kept in the inbox)."""
        topic = turn.topic
        asked = topic.question if topic is not None else None
        if topic is None or asked is None or asked.kind is not ReplyKind.CLARIFY:
            return
        if asked.unresolved_by(choice):
            turn.add_inbox_entry(asked.entry(ib.Outcome.UNRESOLVED))
            log.info("inbox: unresolved question kept")
            turn.save_topic(replace(topic, question=None))
        else:  # answered by a button: kept for a 👎 on that answer
            turn.save_topic(replace(topic, question=asked.chosen(choice or "")))

    def _note(self, turn: Turn, text: str, u: Understanding, now: datetime) -> None:
        """Count the question by outcome (the digest's fallback rate); keep a fallback."""
        with self._counts_lock:
            self._counts[(now.date(), str(u.kind))] += 1
        if u.kind is ReplyKind.FALLBACK:
            turn.add_inbox_entry(ib.question_of(text, u, now).entry(ib.Outcome.FALLBACK))
            log.info("inbox: fallback question kept")

    def flush_counts(self) -> int:
        """Write the questions counted since the last flush (added to what other instances
        wrote); how many. Counts a failed write keeps for the next flush."""
        with self._counts_lock:
            counts, self._counts = self._counts, Counter()
        if not counts:
            return 0
        try:
            self.repo.add_question_counts(counts)
        except Exception:
            with self._counts_lock:
                self._counts.update(counts)
            raise
        return sum(counts.values())

    # --- routes ---------------------------------------------------------------------------
    def _on_question(
        self,
        turn: Turn,
        profile: UserProfile,
        incoming: Incoming,
        chosen: Language | None,
        now: datetime,
    ) -> tuple[Language, tuple[Reply, ...]]:
        lang, replies, u = self._answer_question(turn, profile, incoming, chosen, now)
        if u is not None and self.inbox:
            self._note(turn, incoming.text, u, now)
        return lang, replies

    def _answer_question(
        self,
        turn: Turn,
        profile: UserProfile,
        incoming: Incoming,
        chosen: Language | None,
        now: datetime,
    ) -> tuple[Language, tuple[Reply, ...], Understanding | None]:
        """The replies to a question, and what the matcher made of it (None when the
        question was not left to the matcher: too long, or "more on the last topic")."""
        prior = profile.language or incoming.channel_language or DEFAULT_LANGUAGE
        problem = dg.length_problem(incoming.text, prior, self._texts())
        if problem:
            return prior, (Reply(problem),), None
        knowledge = self.knowledge()

        def understand(text: str) -> Understanding:
            return knowledge.matcher.understand(
                text,
                forced_language=chosen,
                previous_language=profile.language,
                channel_language=incoming.channel_language,
            )

        u = understand(incoming.text)
        lang = u.language
        topic = turn.topic
        words = TermMaker.words(incoming.text)
        if topic is not None and topic.fresh(now) and is_follow_up(words):
            more = asks_for_more(incoming.text)
            # "More details?" is about the topic unless it names another section itself
            # (not through the cue's own words: "details" is in section 14's title).
            if more and (
                u.kind is not ReplyKind.ANSWER
                or u.section == topic.section
                or understand(beside_more(incoming.text)).kind is not ReplyKind.ANSWER
            ):
                return lang, (knowledge.answers.more_on(topic.value, lang),), None
            pointing = points_back(words)
            right = right_asked(u.terms) if pointing else None
            section_terms = (
                knowledge.answers.section_terms(topic.section, lang)
                if right is not None and topic.section is not None
                else frozenset()
            )
            if (
                right is not None
                and topic.section is not None
                and u.kind in (ReplyKind.ANSWER, *_UNSURE)  # not "talk to someone", a request
                and not topic_answers(right[0], section_terms)
            ):
                # "Can I stop that?" after sharing: a right's question about the topic, which
                # its section does not answer; the section describing that right does.
                found = knowledge.answers.right_answer(right[1], lang, u)
                if found is not None:
                    u = replace(u, kind=ReplyKind.ANSWER, section=found[0])
                    question = ib.question_of(incoming.text, u, now) if self.inbox else None
                    turn.save_topic(Topic(ch.section(found[0]), now, question))
                    return lang, found[1], u
            # "And Google?" after sharing: a weak answer of its own (Google buying QAZAR) is
            # less likely than the topic asked of Google
            unsure = u.kind in _UNSURE or (
                u.kind is ReplyKind.ANSWER
                and u.confidence < _WEAK_ALONE
                and opens_continuation(words)
            )
            # A clearly off-topic question ("what's the weather tomorrow?", "how much does it
            # cost?") is no follow-up unless it points back or opens like one ("and in
            # Canada?": Canada fits delivery well); a weak off-topic match is no evidence
            # ("how do I delete them?" fits product support a little).
            off_topic = u.intent is not None and u.confidence >= _CLEARLY_OFF_TOPIC
            if topic.intent in _OWN_REQUESTS or (
                unsure
                and (
                    u.kind is not ReplyKind.FALLBACK
                    or pointing
                    or opens_continuation(words)
                    or (not off_topic and continues(words, u.terms, pointing))
                )
            ):
                # Read the follow-up with the words of the topic ("and how long?" after a
                # question about one's request means the answer's deadline).
                hint = knowledge.answers.topic_hint(topic.value, lang)
                again = understand(f"{incoming.text} {hint}")
                if again.kind is ReplyKind.SMALLTALK and again.intent in _ABOUT_OWN:
                    u = again
                elif unsure and again.kind is ReplyKind.ANSWER:
                    if again.section == topic.section:
                        return lang, (knowledge.answers.more_on(topic.value, lang),), None
                    u = again
            elif (
                u.kind is ReplyKind.ANSWER
                and u.section != topic.section
                and topic.section is not None
                and pointing
                and not names_data(u.terms)
                and (
                    # a right's action asked of a topic that offers the user a choice ("can I
                    # delete them?" after cookies: in the browser's settings)
                    (right is not None and offers_choice(section_terms))
                    or self._asks_of_topic(practices_asked(u.terms), u, topic.section, lang)
                )
            ):
                # "How can I turn them off?" after cookies: "them" are the cookies, though
                # the words alone lead (weakly) to the rights. Not after the data itself:
                # "who gets it?" after what is collected asks about sharing.
                hint = knowledge.answers.topic_hint(topic.value, lang)
                again = understand(f"{incoming.text} {hint}")
                if (
                    again.kind is ReplyKind.ANSWER
                    and again.section == topic.section
                    and not about_the_data(understand(hint).terms)
                ):
                    u = again
        if u.kind is ReplyKind.SMALLTALK and u.intent == HUMAN:
            return lang, (self._person_offer(turn, lang, now),), u
        if u.kind is ReplyKind.FALLBACK and u.intent in ACCOUNT_SUPPORT:
            offer = knowledge.answers.person_offer(lang)
            return lang, (Reply(self._texts().text(lang, M.NOT_PRIVACY), (offer,)),), u
        if u.kind is ReplyKind.SMALLTALK and u.intent == CANCEL_REQUEST:
            return lang, self._cancel_menu(turn, "", lang, now), u
        if u.kind is ReplyKind.SMALLTALK and u.intent in _OWN_REQUESTS:
            turn.save_topic(Topic(ch.intent(u.intent), now))
            return lang, self._own_requests(turn.key, u.intent, lang), u
        if u.kind is ReplyKind.REQUEST:
            if names_own_request(words, _WISH_WORDS):
                return lang, self._own_requests(turn.key, MY_REQUESTS, lang), u
            if u.request_type is not None:
                return lang, self._start(turn, profile, u.request_type, lang, now), u
            return lang, (self._rights_menu(turn, lang, now),), u
        if u.kind is ReplyKind.ANSWER and u.section:
            # With the inbox on, the question is kept (redacted) for a 👎 on its answer.
            question = ib.question_of(incoming.text, u, now) if self.inbox else None
            turn.save_topic(Topic(ch.section(u.section), now, question))
        replies = knowledge.answers.render(u)
        if u.kind is ReplyKind.CLARIFY:  # until the next message, /cancel closes it
            self._save_pending(turn, PendingQuestion(Asked.CLARIFY, lang, now), now)
        if u.kind is ReplyKind.CLARIFY and self.inbox:
            # Kept (redacted) beside the topic until the next message settles it.
            offered = tuple(
                o.value
                for r in replies
                for o in r.options
                if (c := ch.parse(o.value)) is not None and c.kind in _ANSWERING
            )
            question = ib.question_of(incoming.text, u, now, offered)
            kept = Topic(topic.value, topic.at, question) if topic else Topic("", now, question)
            turn.save_topic(kept)
        return lang, replies, u

    def _asks_of_topic(
        self, asked: frozenset[str], u: Understanding, section: str, lang: Language
    ) -> bool:
        """Whether a follow-up pointing back at `section` may be read as about it: the
        practices it names in words of its own are ones the section's text names ("is that
        safe?" after transfers), or it names none and its words alone lead only weakly
        elsewhere ("turn them off")."""
        if asked:
            return asked <= self.knowledge().answers.section_terms(section, lang)
        return u.confidence < _SURE_ALONE

    def _on_choice(
        self,
        turn: Turn,
        profile: UserProfile,
        state: FlowState | None,
        value: str,
        lang: Language,
        now: datetime,
        answered: PendingQuestion | None,
    ) -> tuple[Language, tuple[Reply, ...]]:
        """A pressed button; `answered`: the pending choice this press closed, if any (a
        closed menu's buttons, a yes to a question no longer asked, are expired)."""
        key = turn.key
        choice = ch.parse(value)
        kind, arg = (choice.kind, choice.argument) if choice else (None, "")
        asked = answered.asked if answered is not None else None
        if kind is ch.ChoiceKind.FLOW and state is not None:
            return state.language, self._run(turn, state, dg.Choice(value), now)
        if kind is ch.ChoiceKind.REQUEST:
            if arg == ch.MENU:
                return lang, (self._rights_menu(turn, lang, now),)
            right, nonce = ch.menu_parts(arg)
            if right in set(RequestType) and (not nonce or asked is Asked.RIGHTS):
                return lang, self._start(turn, profile, RequestType(right), lang, now)
        if kind is ch.ChoiceKind.LANGUAGE and arg in set(Language):
            return self._set_language(turn, profile, Language(arg), now)
        if kind is ch.ChoiceKind.FEEDBACK and (vote := fb.read(value)) is not None:
            return lang, (self._record_feedback(turn, vote, lang, now),)
        if kind is ch.ChoiceKind.ASK:
            return lang, (menu.how_to_ask(lang, self._texts()),)
        if kind is ch.ChoiceKind.PRIVACY:
            what, nonce = ch.menu_parts(arg)
            action = ch.PrivacyAction(what) if what in set(ch.PrivacyAction) else None
            if action is ch.PrivacyAction.ERASE:
                return lang, (self._ask(turn, Asked.ERASE, lang, now),)
            if action is ch.PrivacyAction.KEEP:
                if (erasing := self.privacy.erasing(turn.flow, now, lang)) is not None:
                    return lang, (erasing,)  # a "yes" came first: not "nothing was erased"
                self._drop_erase_mark(turn, now)  # no replayed "yes" erases after a "keep"
            # The erase's mark is written with the closing of the question: an instance stopped
            # after it leaves the mark, and the replay of this very tap (its nonce, within the
            # ledger's replay window) does the erase confirmed.
            confirming = (
                action is ch.PrivacyAction.ERASE_CONFIRM
                and answered is not None
                and answered.asked is Asked.ERASE
                and answered.nonce in ("", nonce)  # "": asked before the questions had one
            )
            mark = (
                self.privacy.new_mark(turn.flow, ch.PrivacyAction.ERASE_CONFIRM, now, nonce)
                if confirming
                else None
            )
            if mark is not None:
                turn.save_flow(turn.flow | {BUSY_KEY: mark}, now)
            turn.settle()
            if action is ch.PrivacyAction.SUMMARY:
                return lang, (self.privacy.summary(key, profile, lang),)
            if action not in _ONCE_AT_A_TIME:
                return lang, (self.privacy.on_choice(key, action, lang, now),)
            if confirming and turn.flow_write_lost:
                # Another message (a "keep", the other "yes") settled the question first.
                return lang, (self._expired(lang),)
            written = mark if mark is not None and turn.flow.get(BUSY_KEY) == mark else None
            confirmed = confirming or self.privacy.stopped_erase(turn.flow, now, nonce)
            unasked = action is ch.PrivacyAction.ERASE_CONFIRM and not confirmed
            if unasked and not self.privacy.under_way(turn.flow, now):
                return lang, (self._expired(lang),)  # not asked (any more): nothing is erased

            def run() -> Reply:
                if unasked:  # an erase was under way, done since
                    return self._expired(lang)
                return self.privacy.on_choice(key, action, lang, now)

            reply = self.privacy.once_at_a_time(key, action, lang, now, run, nonce, written)
            return lang, (reply,)
        if kind is ch.ChoiceKind.HANDOFF:
            if arg == ch.HandoffAction.OPEN and asked is not Asked.HANDOFF:
                return lang, (self._expired(lang),)  # the offer was closed or has expired
            return lang, (self._on_handoff_choice(turn, arg, lang, now),)
        if kind is ch.ChoiceKind.CANCEL_REQUEST:
            reference, nonce = ch.menu_parts(arg)
            if nonce and asked is not Asked.CANCEL_MENU:
                return lang, (self._expired(lang),)  # that menu was closed: nothing cancelled
            return lang, (self._cancel_request(key, reference, lang, now),)
        if kind is ch.ChoiceKind.INTENT and arg in _OWN_REQUESTS:
            return lang, self._own_requests(key, arg, lang)
        if kind in (ch.ChoiceKind.SECTION, ch.ChoiceKind.FULL_SECTION, ch.ChoiceKind.INTENT):
            found = self.knowledge().answers.resolve_choice(value, lang)
            if found:
                return lang, found
        return lang, (self._expired(lang),)

    def _expired(self, lang: Language) -> Reply:
        return Reply(self._texts().text(lang, M.EXPIRED_BUTTON), expired=True)

    def _on_command(
        self,
        turn: Turn,
        profile: UserProfile,
        state: FlowState | None,
        line: CommandLine,
        lang: Language,
        now: datetime,
        closed: PendingQuestion | None,
    ) -> tuple[Language, tuple[Reply, ...]]:
        """A command; `closed`: the pending choice it closed, if any (`/cancel` says so)."""
        key, texts = turn.key, self._texts()
        command, arg = line.command, line.argument
        if command is Command.CANCEL:
            self._drop_erase_mark(turn, now)  # no replayed "yes" erases after a /cancel
            if state is not None:
                return state.language, self._run(turn, state, dg.Cancel(), now)
            if not arg and closed is not None:
                return closed.language, (self._closed(turn, closed, now),)
            if not arg and (handoff := turn.handoff) is not None:
                turn.settle()
                self.repo.close_handoff(handoff.id, USER_ACTOR, now)
                return lang, (Reply(texts.text(lang, M.HANDOFF_CLOSED)),)
            return lang, self._cancel_menu(turn, arg, lang, now)
        if command is Command.START:
            return lang, menu.start(lang, texts)
        if command is Command.REQUEST:
            return lang, (self._rights_menu(turn, lang, now),)
        if command is Command.STATUS:
            if state is not None and state.step != "submitting":
                return state.language, self._status_in_flow(turn, state, now)
            return lang, (self._status(key, lang),)
        if command is Command.LANGUAGE:
            if arg.lower() in set(Language):
                return self._set_language(turn, profile, Language(arg.lower()), now)
            options = tuple(
                Option(texts.text(code, M.LANGUAGE_NAME), ch.language(code)) for code in Language
            )
            return lang, (Reply(texts.text(lang, M.PICK_LANGUAGE), options),)
        if command is Command.PRIVACY:
            turn.settle()
            return lang, (self.privacy.summary(key, profile, lang),)
        if state is not None:  # /help or an unknown command inside a flow: the question again
            return state.language, self._run(turn, state, dg.Reprompt(), now)
        return lang, (Reply(texts.text(lang, M.HELP)),)

    def _on_not_text(
        self, turn: Turn, state: FlowState | None, lang: Language, now: datetime
    ) -> tuple[Language, tuple[Reply, ...]]:
        """A sticker, photo or file: say the bot reads text only, then the question again
        (inside a flow) or the help."""
        if state is not None:
            return state.language, self._run(turn, state, dg.Reprompt(M.NOT_TEXT), now)
        texts = self._texts()
        return lang, (Reply(texts.text(lang, M.NOT_TEXT)), Reply(texts.text(lang, M.HELP)))

    # --- flows ----------------------------------------------------------------------------
    def _start(
        self,
        turn: Turn,
        profile: UserProfile,
        request_type: RequestType,
        lang: Language,
        now: datetime,
    ) -> tuple[Reply, ...]:
        self.repo.delete_code(turn.key)  # a new flow never inherits an old code
        return self._run(turn, None, dg.Start(request_type, lang, profile.jurisdiction), now)

    def _run(
        self, turn: Turn, state: FlowState | None, event: dg.Event, now: datetime
    ) -> tuple[Reply, ...]:
        """Step the dialogue, executing effects and feeding their outcomes back. The effects'
        writes and the flow's new state are one transaction: a failure anywhere (a crash
        between storing a request and ending the flow) leaves everything as it was. The flow
        row is written only if no other message wrote it since this run read it; if one did,
        the run is undone and done again on the flow that message wrote (as if this message
        had come after it), never writing over it."""
        turn.settle()  # the message's writes so far first; its rows read again after
        once = _Once()
        for _ in range(_FLOW_TRIES):
            replies = self._run_once(turn.key, state, event, now, once)
            if replies is not None:
                return replies
            log.info("flow written by another message during this step: the step runs again")
        raise RuntimeError(f"the flow row changed under {_FLOW_TRIES} steps in a row")

    def _run_once(
        self, key: UserKey, copy: FlowState | None, event: dg.Event, now: datetime, once: _Once
    ) -> tuple[Reply, ...] | None:
        """One try of `_run`; None (nothing done) when another message wrote the flow row
        between this try's read and its write. What a try did outside its transaction (the
        limits counted) is kept in `once` for the next, which follows the other message's
        flow; a code it wrote is mailed only once it has committed."""
        replies: list[Reply] = []
        pending: list[dg.Event] = [event]
        mails: list[_Mail] = []
        texts = self._texts()
        with self.repo.unit_of_work() as uow:
            state, token = copy, None
            stored = uow.read_flow(key)
            # An export under way or done stays marked through the step (privacy.py).
            marks = PrivacyDesk.marks(stored.state if stored else {})
            if copy is not None:
                token = stored.token if stored else None
                if (state := self._stored_flow(stored, copy)) is None:
                    ended = self._texts().text(copy.language, M.FLOW_ENDED_MEANWHILE)
                    return (Reply(ended, expired=isinstance(event, dg.Choice)),)
            while pending:
                happened = pending.pop(0)
                result = dg.step(state, happened, now, texts)
                if isinstance(happened, dg.CodeSent) and mails and not mails[-1].failed:
                    mails[-1].at = len(replies)  # the same state either way: only words differ
                    undelivered = replace(happened, failed=True)
                    mails[-1].failed = dg.step(state, undelivered, now, texts).replies
                state = result.state
                replies.extend(result.replies)
                for effect in result.effects:
                    outcome = self._execute(uow, key, state, effect, now, once, mails)
                    if outcome is not None:
                        pending.append(outcome)
            new = None if state is None else state.to_json()
            if marks:
                new = (new or {}) | marks
            if copy is None:  # a new flow replaces whatever the row held
                if new is None:
                    uow.delete_flow(key)
                else:
                    uow.save_flow(key, new, now)
            elif not uow.write_flow(key, token, new, now):
                return None  # leaving without commit() undoes this try's writes
            uow.commit()
        return self._mail_codes(key, mails, replies)

    def _mail_codes(
        self, key: UserKey, mails: list[_Mail], replies: list[Reply]
    ) -> tuple[Reply, ...]:
        """Mail the codes a committed try wrote (no write lock is held while the mail server
        is talked to). One that cannot be delivered is taken back, unless another replaced it
        meanwhile, and the replies say it could not be sent instead."""
        texts = self._texts()
        for mail in mails:
            subject = texts.text(mail.language, M.MAIL_SUBJECT)
            body = texts.text(
                mail.language, M.MAIL_BODY, code=mail.code, minutes=vf.VALIDITY_MINUTES
            )
            try:
                self.mailer.send(mail.email, subject, body)
            except DeliveryError:
                self.repo.save_code_if(key, mail.record.digest, None)
                replies = [*replies[: mail.at], *mail.failed]
                log.warning("verification code not delivered")
                continue
            # Only now: a code whose instance stopped before this line is mailed anew when its
            # message is replayed (the ledger), or the address typed again (SendCode.again).
            self.repo.code_mailed(key, mail.record.digest)
            log.info("verification code sent")
        return tuple(replies)

    def _stored_flow(self, stored: StoredFlow | None, read: FlowState) -> FlowState | None:
        """The flow as stored now, in this message's language: another instance may have
        stepped, ended or replaced it since this message read it (webhook workers, a replay
        taken over). The event then applies to that flow, as if this message had come after
        the other, and a flow ended meanwhile is not brought back."""
        try:
            flow = _flow_of(stored.state) if stored else None
        except _UNREADABLE:
            flow = None
        if flow is not None:
            flow = replace(flow, language=read.language)
        if flow != read:
            log.info("flow changed by another message meanwhile: this message follows it")
        return flow

    def _execute(
        self,
        uow: UnitOfWork,
        key: UserKey,
        state: FlowState | None,
        effect: dg.Effect,
        now: datetime,
        once: _Once,
        mails: list[_Mail],
    ) -> dg.Event | None:
        if isinstance(effect, dg.SendCode):
            return self._send_code(uow, key, effect, now, once, mails)
        if isinstance(effect, dg.CheckCode):
            stored = uow.get_code(key)
            if stored is not None and stored.live(now):  # a guess that could succeed counts
                verdict = self._judge(abuse.Action.GUESS, key, effect.email, now, once)
                if not verdict.allowed:
                    return dg.CodeChecked(vf.CheckOutcome.LOCKED, retry_at=self._local(verdict))
            outcome, record = vf.check(stored, effect.entered, effect.email, self.code_secret, now)
            if outcome is vf.CheckOutcome.OK:
                uow.delete_code(key)
            elif record is not None:
                uow.save_code(key, record)
            log.info("verification %s", outcome)
            return dg.CodeChecked(outcome, record.attempts_left() if record else 0)
        if isinstance(effect, dg.AskMatcher):
            return self._ask_mid_flow(uow, key, state, effect, now)
        if isinstance(effect, dg.SubmitRequest):
            sub = self.requests.submit(key, effect, now, within=uow)
            profile = uow.get_user(key) or UserProfile(key)
            if profile.jurisdiction is not effect.jurisdiction:
                uow.save_user(replace(profile, jurisdiction=effect.jurisdiction), now)
            log.info(
                "request %s %s", sub.request.reference, "duplicate" if sub.duplicate else "stored"
            )
            req = sub.request
            return dg.Submitted(req.reference, req.due, sub.duplicate, req.takes_effect_at_once)
        uow.delete_code(key)  # DiscardFlow
        return None

    def _ask_mid_flow(
        self,
        uow: UnitOfWork,
        key: UserKey,
        state: FlowState | None,
        effect: dg.AskMatcher,
        now: datetime,
    ) -> dg.Answered:
        """A question typed inside a flow: answered when the matcher finds a policy answer or
        small talk; requests and fallbacks are not answers here (the flow asks again). A
        question about one's own request ("where is my request?") is answered with the one
        being prepared and those sent, and the deadlines' with the user's own due dates. A
        short one is read as a follow-up on the request being made, as after a question about
        it outside a flow ("how long will it take?": its deadline, not the data's retention).
        "Can I cancel my request?" is told what /cancel does here (it drops the draft)."""
        knowledge = self.knowledge()

        def understand(text: str) -> Understanding:
            return knowledge.matcher.understand(text, forced_language=effect.language)

        u = understand(effect.text)
        if is_follow_up(TermMaker.words(effect.text)):  # the request is the topic here
            hint = knowledge.answers.topic_hint(ch.intent(MY_REQUESTS), effect.language)
            again = understand(f"{effect.text} {hint}")
            if again.kind is ReplyKind.SMALLTALK and again.intent in _ABOUT_OWN:
                u = again
        if u.kind is ReplyKind.SMALLTALK and u.intent == CANCEL_REQUEST:  # /cancel drops the draft
            said = self._texts().text(effect.language, M.CANCEL_IN_FLOW)
            return dg.Answered(effect.text, True, (Reply(said),))
        if u.kind is ReplyKind.SMALLTALK and u.intent in _OWN_REQUESTS and state is not None:
            reqs, lang = uow.list_requests(user=key), effect.language
            if u.intent == MY_REQUESTS:
                own = (self._preparing(state), *((self._status_of(reqs, lang),) if reqs else ()))
            else:
                general = knowledge.answers.resolve_choice(ch.intent(u.intent), lang) or ()
                due = "\n".join(
                    line
                    for line in (
                        self._due_if_sent(uow, key, state, now),
                        timeline.own_due_dates(reqs, lang, self._texts()),
                    )
                    if line
                )
                own = (*general, *((Reply(due),) if due else ()))
            return dg.Answered(effect.text, True, own)
        if u.kind in (ReplyKind.ANSWER, ReplyKind.SMALLTALK):
            return dg.Answered(effect.text, True, knowledge.answers.render(u))
        return dg.Answered(effect.text, False)

    def _due_if_sent(self, uow: UnitOfWork, key: UserKey, state: FlowState, now: datetime) -> str:
        """When the request being prepared would be answered if sent now ("" before the user
        said where they live, for a request that takes effect at once or may (an objection
        whose processing is not chosen yet), and while the same right is open)."""
        if state.jurisdiction is None:
            return ""
        if rq.may_take_effect_at_once(state.request_type, state.details):
            return ""
        if uow.find_open(key, state.request_type) is not None:
            return ""  # sending it would give the open one (its date follows)
        dates = self.requests.dates_if_sent(
            state.jurisdiction, state.request_type, state.details, now
        )
        texts, lang = self._texts(), state.language
        right = texts.text(lang, M.right(state.request_type))
        return texts.text(lang, M.DUE_IF_SENT, right=right, due=dates.due)

    def _send_code(
        self,
        uow: UnitOfWork,
        key: UserKey,
        effect: dg.SendCode,
        now: datetime,
        once: _Once,
        mails: list[_Mail],
    ) -> dg.Event:
        """Issue a code and write it in place of the one read (the previous code stops
        working), on the condition that no other message wrote one since: the one whose
        write won is the one mailed, after the commit (`_mail_codes`), so the code the user
        receives is the one accepted."""
        read = uow.get_code(key)
        went = read is not None and (read.mailed or now - read.issued_at < _MAILING)
        sent = dg.CodeSent(effect.email)  # the flow's address becomes the one it went to
        if effect.again and went and read is not None and read.live(now):
            return replace(sent, already=True)  # that one went (or is going): no other
        verdict = self._judge(abuse.Action.SEND, key, effect.email, now, once)
        if verdict.wait_seconds:  # refused: its code stays; the address waits for a resend
            return dg.CodeSent(wait_seconds=verdict.wait_seconds, held=effect.email)
        if not verdict.allowed:
            return dg.CodeSent(retry_at=self._local(verdict))
        if effect.email in once.lost:
            return sent  # another message's code, mailed by it, is the one
        code, record = vf.issue(self.code_secret, self.rng, effect.email, now)
        if not uow.save_code_if(key, read.digest if read else None, record):
            once.lost.add(effect.email)
            log.info("verification code written by another message meanwhile: that one stands")
            return sent
        mails.append(_Mail(effect.email, effect.language, code, record))
        return sent

    def _judge(
        self, action: abuse.Action, key: UserKey, email: str, now: datetime, once: _Once
    ) -> abuse.Verdict:
        """The limits' verdict on one send or guess, counted in the database when allowed. Its
        own transaction, committed at once: a run that fails later still counts. Once per
        step: a retry of the step takes the verdict of its first try."""
        if (action, email) in once.verdicts:
            return once.verdicts[action, email]
        account = f"{key.channel}:{key.external_id}"
        verdict = self.limits.judge(action, abuse.scope_keys(self.code_secret, account, email), now)
        if not verdict.allowed and not verdict.wait_seconds:
            log.info("verification %s refused: locked out", action)
        for alert in verdict.alerts:  # staff hear of it through the alert table (Slack)
            log.warning("verification abuse: %s locked out (%d in a row)", alert.kind,
                        alert.strikes)  # fmt: skip
        once.verdicts[action, email] = verdict
        return verdict

    def _local(self, verdict: abuse.Verdict) -> datetime | None:
        """When to come back, in the service's time zone (what the user is told)."""
        at = verdict.retry_at
        return at.astimezone(self.requests.timezone) if at is not None else None

    # --- small replies --------------------------------------------------------------------
    def _rights_menu(self, turn: Turn, lang: Language, now: datetime) -> Reply:
        """Which right? Remembered as pending, with the nonce its buttons carry."""
        menu = PendingQuestion(Asked.RIGHTS, lang, now, secrets.token_hex(4))
        self._save_pending(turn, menu, now)
        return Reply(self._texts().text(lang, M.PICK_RIGHT), self._rights(menu))

    def _rights(self, menu: PendingQuestion) -> tuple[Option, ...]:
        texts, lang = self._texts(), menu.language
        return tuple(
            Option(texts.text(lang, M.right(t)), ch.request_in_menu(t, menu.nonce))
            for t in RequestType
        )

    def _typed_right(self, pending: PendingQuestion, text: str) -> RequestType | None:
        """The right a message typed under the menu of rights names ("3", « supprimer »), if
        the menu is what is pending and the message is not a question."""
        if pending.asked is not Asked.RIGHTS or rp.looks_like_question(text):
            return None
        picked = dg.resolve_option(text, self._rights(pending))
        choice = ch.parse(picked.value) if picked is not None else None
        return RequestType(ch.menu_parts(choice.argument)[0]) if choice else None

    def _closed(self, turn: Turn, pending: PendingQuestion, now: datetime) -> Reply:
        """What is said when a pending choice is closed without being taken (a no, /cancel);
        an erase not taken leaves no erase's mark for a replayed "yes" to honour."""
        if pending.asked is Asked.ERASE:
            self._drop_erase_mark(turn, now)
        said = {
            Asked.ERASE: M.PRIVACY_NOT_ERASED,
            Asked.HANDOFF: M.HANDOFF_DECLINED,
            Asked.RIGHTS: M.RIGHTS_MENU_CLOSED,
            Asked.CANCEL_MENU: M.CANCEL_MENU_CLOSED,
            Asked.CLARIFY: M.CHOICE_CLOSED,
        }[pending.asked]
        return Reply(self._texts().text(pending.language, said))

    def _set_language(
        self, turn: Turn, profile: UserProfile, lang: Language, now: datetime
    ) -> tuple[Language, tuple[Reply, ...]]:
        """Save the choice, then ask the pending question again in that language."""
        turn.update_user(lambda p: replace(p, language=lang, language_chosen=True), now, said=True)
        done = self._texts().text(lang, M.LANGUAGE_SET)
        pending = self._load_pending(turn, now)
        if pending is not None:
            return lang, (Reply(done), self._ask(turn, pending.asked, lang, now))
        state = self._load_flow(turn)
        if state is not None and state.step != "submitting":
            return lang, self._run(
                turn, replace(state, language=lang), dg.Reprompt(M.LANGUAGE_SET), now
            )
        return lang, (Reply(done),)

    def _ask(self, turn: Turn, asked: Asked, lang: Language, now: datetime) -> Reply:
        """Ask a pending question (again) and remember it (a yes/no owns the next message)."""
        if asked is Asked.RIGHTS:
            return self._rights_menu(turn, lang, now)
        if asked is Asked.HANDOFF:
            return self._person_offer(turn, lang, now)
        # A nonce per erase question, in its "Yes, erase" button: a tap of an older question's
        # (or its replay) is no answer to this one, and no erase's mark is left to honour it.
        nonce = secrets.token_hex(4)
        self._save_pending(turn, PendingQuestion(asked, lang, now, nonce), now)
        self._drop_erase_mark(turn, now)
        turn.settle()
        return self.privacy.on_choice(turn.key, ch.PrivacyAction.ERASE, lang, now, nonce)

    def _drop_erase_mark(self, turn: Turn, now: datetime) -> None:
        """Take an erase's mark away from the flow row (`PrivacyDesk.drop_erase_mark`)."""
        if (rest := self.privacy.drop_erase_mark(turn.flow)) is None:
            return
        if rest:
            turn.save_flow(rest, now)
        else:
            turn.delete_flow()

    # --- feedback ---------------------------------------------------------------------------
    def _record_feedback(
        self, turn: Turn, vote: fb.RecordFeedback, lang: Language, now: datetime
    ) -> Reply:
        """Execute a 👍 / 👎 (`core.feedback.RecordFeedback`): counted once per answer message,
        under its intent and section, with neither the user nor any text; then thanked. A 👎
        on the last answer also puts its question, as topic memory kept it (redacted), in the
        inbox."""
        counted = self.repo.record_feedback(vote, now)
        if counted and not vote.positive and self.inbox:
            topic = turn.topic
            rated = topic.question if topic is not None else None
            if topic is not None and rated is not None and rated.rated_by(vote.section, now):
                turn.add_inbox_entry(rated.entry(ib.Outcome.DISLIKED))
                turn.save_topic(replace(topic, question=None))
                log.info("inbox: disliked answer's question kept")
        what = "counted" if counted else "already counted"
        log.info("feedback %s on %s: %s", "+" if vote.positive else "-", vote.intent, what)
        person = self.knowledge().answers.person_offer(lang)
        return fb.thanked(vote, counted, lang, self._texts(), person)

    # --- a person when needed ---------------------------------------------------------------
    def _person_offer(self, turn: Turn, lang: Language, now: datetime) -> Reply:
        """Write to a person? A yes/no question: a typed "yes please" answers it too."""
        self._save_pending(turn, PendingQuestion(Asked.HANDOFF, lang, now), now)
        texts = self._texts()
        yes = Option(texts.text(lang, M.HANDOFF_YES), ch.handoff(ch.HandoffAction.OPEN))
        no = Option(texts.text(lang, M.HANDOFF_NO), ch.handoff(ch.HandoffAction.NO))
        return Reply(texts.text(lang, M.HANDOFF_OFFER), (yes, no))

    def _on_handoff_choice(self, turn: Turn, arg: str, lang: Language, now: datetime) -> Reply:
        texts = self._texts()
        if arg == ch.HandoffAction.OFFER:
            return self._person_offer(turn, lang, now)
        if arg == ch.HandoffAction.OPEN:
            turn.settle()
            handoff = self.repo.open_handoff(turn.key, lang, USER_ACTOR, now)
            log.info("handoff %s open", handoff.reference)
            return Reply(texts.text(lang, M.HANDOFF_OPENED))
        return Reply(texts.text(lang, M.HANDOFF_DECLINED))

    def _relay(
        self, handoff: Handoff, text: str, lang: Language, now: datetime
    ) -> tuple[Reply, ...]:
        """While a handoff is open, what the user writes goes to the privacy team's thread."""
        problem = dg.length_problem(text, lang, self._texts())
        if problem:
            return (Reply(problem),)
        self.repo.relay_to_staff(handoff.id, text.strip(), now)
        log.info("message relayed to handoff %s", handoff.reference)
        return (Reply(self._texts().text(lang, M.HANDOFF_RELAYED)),)

    def _own_requests(self, key: UserKey, intent: str, lang: Language) -> tuple[Reply, ...]:
        """A question about the user's own requests: their timeline (`my_requests`), or the
        legal deadlines followed by the user's own due dates (`request_deadline`)."""
        texts, reqs = self._texts(), self.requests.for_user(key)
        if intent == MY_REQUESTS:
            events = {r.reference: self.requests.audit(r.reference) for r in reqs}
            return (timeline.my_requests(reqs, events, lang, texts),)
        general = self.knowledge().answers.resolve_choice(ch.intent(intent), lang) or ()
        own = timeline.own_due_dates(reqs, lang, texts)
        return (*general, Reply(own)) if own else general

    def _status_in_flow(self, turn: Turn, state: FlowState, now: datetime) -> tuple[Reply, ...]:
        """/status while a request is being filled in: which right, at which step, how to go
        on; then the requests already sent, if any; then the flow's question again."""
        reqs = self.requests.for_user(turn.key)
        sent = (self._status_of(reqs, state.language),) if reqs else ()
        return (self._preparing(state), *sent, *self._run(turn, state, dg.Reprompt(), now))

    def _preparing(self, state: FlowState) -> Reply:
        """The request being filled in: which right, at which step, how to go on."""
        texts, lang = self._texts(), state.language
        right = texts.text(lang, M.right_noun(state.request_type))
        step = texts.text(lang, _step_name(state))
        return Reply(texts.text(lang, M.STATUS_IN_PROGRESS, right=right, step=step))

    def _status(self, key: UserKey, lang: Language) -> Reply:
        return self._status_of(self.requests.for_user(key), lang)

    def _status_of(self, reqs: list[RightsRequest], lang: Language) -> Reply:
        """The user's requests, one line each (the reply to /status)."""
        texts = self._texts()
        if not reqs:
            return Reply(texts.text(lang, M.NO_REQUESTS))
        lines = [texts.text(lang, M.STATUS_HEAD)]
        for r in reqs:
            right = texts.text(lang, M.right(r.type))
            status_key = M.STATUS_NO_VERIFICATION if r.verification_skipped else M.status(r.status)
            values = {
                "reference": r.reference,
                "right": right,
                "status": texts.text(lang, status_key),
            }
            if not r.is_open:
                line = texts.text(lang, M.STATUS_CLOSED, **values)
            elif r.takes_effect_at_once:
                line = texts.text(lang, M.STATUS_AT_ONCE, since=r.dates.received, **values)
            else:
                line = texts.text(lang, M.STATUS_OPEN, due=r.due, **values)
            lines.append("• " + line)
        return Reply("\n".join(lines))

    def _cancel_menu(
        self, turn: Turn, arg: str, lang: Language, now: datetime
    ) -> tuple[Reply, ...]:
        """`/cancel` with no flow: the request it names, else which open request to cancel
        (a menu remembered as pending, with the nonce its buttons carry)."""
        key = turn.key
        if parse_reference(arg):
            return (self._cancel_request(key, arg, lang, now),)
        texts = self._texts()
        open_reqs = [r for r in self.requests.for_user(key) if r.is_open]
        if not open_reqs:
            return (Reply(texts.text(lang, M.NOTHING_TO_CANCEL)),)
        menu = PendingQuestion(Asked.CANCEL_MENU, lang, now, secrets.token_hex(4))
        self._save_pending(turn, menu, now)
        options = tuple(
            Option(
                texts.text(
                    lang,
                    M.CANCEL_REQUEST_OPTION,
                    reference=r.reference,
                    right=texts.text(lang, M.right(r.type)),
                ),
                ch.cancel_request(r.reference, menu.nonce),
            )
            for r in open_reqs
        )
        return (Reply(texts.text(lang, M.CANCEL_REQUEST_OFFER), options),)

    def _cancel_request(self, key: UserKey, reference: str, lang: Language, now: datetime) -> Reply:
        texts = self._texts()
        try:
            req = self.requests.cancel_by_user(reference.upper(), key, now)
        except RequestNotFound:
            return Reply(texts.text(lang, M.EXPIRED_BUTTON), expired=True)
        except InvalidTransition:
            req = self.requests.get(reference.upper())
            status = texts.text(lang, M.status(req.status))
            return Reply(texts.text(lang, M.CANNOT_CANCEL, reference=req.reference, status=status))
        return Reply(texts.text(lang, M.REQUEST_CANCELLED, reference=req.reference))

    def _load_pending(self, turn: Turn, now: datetime) -> PendingQuestion | None:
        raw = turn.flow.get(JSON_KEY)
        try:
            pending = PendingQuestion.from_json(raw) if raw else None
        except _UNREADABLE:
            pending = None
        return None if pending is None or pending.expired(now) else pending

    def _save_pending(self, turn: Turn, pending: PendingQuestion | None, now: datetime) -> None:
        """Beside the flow state, if any; a row with neither is deleted."""
        data = turn.flow
        data.pop(JSON_KEY, None)
        if pending is not None:
            data[JSON_KEY] = pending.to_json()
        if data:
            turn.save_flow(data, now)
        else:
            turn.delete_flow()

    def _load_flow(self, turn: Turn) -> FlowState | None:
        try:
            return _flow_of(turn.flow)
        except _UNREADABLE:
            log.warning("unreadable flow state discarded")
            turn.delete_flow()
            return None


# What `FlowState.from_json` and `PendingQuestion.from_json` raise on a row they cannot read.
_UNREADABLE = (KeyError, ValueError, TypeError)


def _closes(pending: PendingQuestion, incoming: Incoming, command: CommandLine | None) -> bool:
    """Whether this message closes the pending choice: a "did you mean" is settled by the
    next message; a yes/no question by a button or a command (not /language, after which it
    is asked again in that language); a menu by one of its buttons, /cancel or /request
    (the menu of rights again, or a request instead of cancelling one). What else the message
    is, is handled as if nothing were pending."""
    if pending.asked is Asked.CLARIFY:
        return True
    if command is not None:
        if command.command is Command.LANGUAGE:
            return False
        return pending.yes_no or command.command in (Command.CANCEL, Command.REQUEST)
    if incoming.choice is None:
        return False
    if pending.yes_no:
        return True
    choice = ch.parse(incoming.choice)
    return (
        choice is not None
        and choice.kind is _MENU_BUTTONS.get(pending.asked)
        and ch.menu_parts(choice.argument)[1] == pending.nonce
    )


def _confirms_erase(choice: str | None) -> bool:
    """Whether `choice` is a "Yes, erase" button (of any erase question)."""
    parsed = ch.parse(choice) if choice is not None else None
    return (
        parsed is not None
        and parsed.kind is ch.ChoiceKind.PRIVACY
        and ch.menu_parts(parsed.argument)[0] == ch.PrivacyAction.ERASE_CONFIRM
    )


def _flow_of(row: dict[str, Any]) -> FlowState | None:
    """The flow state in a flow row's JSON; None when it holds none (only a pending
    question). Raises one of _UNREADABLE when it cannot be read."""
    return FlowState.from_json(row) if "request_type" in row else None


def _step_name(state: FlowState) -> M.Key:
    """What the flow is asking for at its step, as /status names it."""
    kind, _, key = state.step.partition(":")
    f = field_of(state.request_type, key) if kind in ("field", "other") else None
    if f is not None:
        return M.field_label(f)
    return {
        "jurisdiction": M.LABEL_JURISDICTION,
        "email": M.LABEL_EMAIL,
        "code": M.STATUS_STEP_CODE,
        "edit": M.STATUS_STEP_EDIT,
    }.get(state.step, M.STATUS_STEP_SUMMARY)


def _answer_token() -> str:
    """A fresh token for the feedback buttons of one answer message (one vote each)."""
    return secrets.token_urlsafe(6)


def _save_late(save: Save, request_id: str) -> None:
    """A message's write left for after its replies, under the message's request id, tried
    twice (a connection lost meanwhile, a busy database) before its error goes up."""
    with request_context(request_id):
        try:
            save()
        except Exception as exc:
            log.warning("message's late write failed (%s): trying again", type(exc).__name__)
            save()
