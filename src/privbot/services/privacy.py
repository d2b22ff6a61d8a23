"""`/privacy`: what the bot holds about a user; export it (JSON) or erase it (policy section 5).

Erasing removes the profile (language, jurisdiction), the request being filled in and any
verification code. Rights requests are the record of the request: open ones are kept until
they close, closed ones `record_months` after closing (`core.retention`), then the retention
job deletes them. The user is told which, with dates.

An export or an erase runs once at a time per user, across instances and restarts: it is
marked under way in the user's flow row (`BUSY_KEY`, a conditional write) before it starts
and unmarked after, so a second tap of its button meanwhile is answered "already under way"
and does nothing. A mark older than `BUSY_FOR` is one left by an instance that died. The
export button of each summary carries a nonce, kept in the row once its export is done
(`DONE_KEY`): a second tap of it handled after the first (one user's messages are handled in
turn) is answered "already sent" (a new /privacy gives a new button).

The "Yes, erase" button of each erase question carries a nonce too, kept in the erase's mark:
a mark left by an instance that died mid-erase stands for a confirmation only to the replay
of that very tap (same nonce), within the Telegram ledger's replay window (`REPLAY_WITHIN`).
A "keep", a no, /cancel or the question asked again takes an erase's mark away
(`drop_erase_mark`): no erase ever follows them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from privbot.core import messages as M
from privbot.core.catalogue import Catalogue
from privbot.core.choices import PrivacyAction, privacy
from privbot.core.model import Attachment, Language, Option, Reply, UserKey
from privbot.core.records import UserProfile
from privbot.core.requests import RightsRequest
from privbot.core.retention import RetentionPolicy
from privbot.core.verification import VALIDITY_MINUTES
from privbot.services.ports import Repository

_FLOW_KEYS = ("request_type", "language", "step", "started_at", "jurisdiction", "details", "email")
BUSY_KEY = "busy"  # in the flow row's JSON: an export or an erase under way
DONE_KEY = "done"  # ... and the nonces of the last export buttons whose export was done
_DONE_KEPT = 5
# Past this, a mark is taken as left by an instance that died (the Telegram ledger replays
# that instance's update after its 5-minute lease, and it then goes on).
BUSY_FOR = timedelta(minutes=2)
# A stopped erase's mark is honoured for the replay of its tap this long after it was written:
# the ledger's lease (adapters/telegram/ledger.py LEASE, 5 minutes) and a margin for its look
# for dead instances' updates (every 10 s) and a slow take-over.
REPLAY_WITHIN = timedelta(minutes=10)
_TRIES = 3
_BUSY_TEXT = {
    PrivacyAction.EXPORT: M.PRIVACY_EXPORT_BUSY,
    PrivacyAction.ERASE_CONFIRM: M.PRIVACY_ERASE_BUSY,
}


class PrivacyDesk:
    """See, export and erase one user's data."""

    def __init__(
        self,
        repo: Repository,
        policy: RetentionPolicy,
        texts: Callable[[], Catalogue],
        inbox: bool = False,
    ) -> None:
        self.repo = repo
        self.policy = policy
        self.texts = texts
        self.inbox = inbox  # unanswered questions are kept, redacted (core.inbox): say so

    def summary(self, key: UserKey, profile: UserProfile, lang: Language) -> Reply:
        texts = self.texts()
        unknown = texts.text(lang, M.PRIVACY_UNKNOWN)
        held, jur = profile.language, profile.jurisdiction
        text = texts.text(
            lang,
            M.PRIVACY_SUMMARY,
            held_language=texts.text(held, M.LANGUAGE_NAME) if held else unknown,
            jurisdiction=texts.text(lang, M.jurisdiction(jur)) if jur else unknown,
            flow=texts.text(lang, M.PRIVACY_FLOW if self._flow(key) else M.PRIVACY_NO_FLOW),
            count=len(self.repo.list_requests(user=key)),
            minutes=VALIDITY_MINUTES,
        )
        if self.inbox:
            text += " " + texts.text(lang, M.PRIVACY_INBOX, days=self.policy.inbox_days)
        kept = self._kept(key, lang)
        return Reply(f"{text}\n\n{kept}", self._options(lang))

    def on_choice(
        self,
        key: UserKey,
        action: PrivacyAction | None,
        lang: Language,
        now: datetime,
        nonce: str = "",
    ) -> Reply:
        """A `privacy:` button (None: not one this desk offers); `nonce`: the erase question's,
        in its "Yes, erase" button."""
        if action is PrivacyAction.EXPORT:
            return self.export(key, lang, now)
        texts = self.texts()
        if action is PrivacyAction.ERASE:
            options = (
                Option(
                    texts.text(lang, M.PRIVACY_ERASE_YES),
                    privacy(PrivacyAction.ERASE_CONFIRM, nonce),
                ),
                Option(texts.text(lang, M.PRIVACY_ERASE_NO), privacy(PrivacyAction.KEEP)),
            )
            text = texts.text(lang, M.PRIVACY_ERASE_ASK, kept=self._kept(key, lang))
            return Reply(text, options)
        if action is PrivacyAction.ERASE_CONFIRM:
            return self.erase(key, lang)
        return Reply(texts.text(lang, M.PRIVACY_NOT_ERASED))

    def export(self, key: UserKey, lang: Language, now: datetime) -> Reply:
        """Everything held, as a `.json` file under a one-line caption."""
        data = self.export_data(key, now)
        body = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        name = f"privbot-export-{now.date().isoformat()}.json"
        return Reply(
            self.texts().text(lang, M.PRIVACY_EXPORT_HEAD), attachment=Attachment(name, body)
        )

    def export_data(self, key: UserKey, now: datetime) -> dict[str, Any]:
        """Everything stored about `key`, as JSON-ready values."""
        profile = self.repo.get_user(key)
        stored_flow = self._flow(key)
        code = self.repo.get_code(key)
        topic = self.repo.get_topic(key)
        return {
            "exported_at": now.isoformat(),
            "user": {"channel": key.channel, "id": key.external_id},
            "profile": None
            if profile is None
            else {
                "language": str(profile.language) if profile.language else None,
                "language_chosen": profile.language_chosen,
                "jurisdiction": str(profile.jurisdiction) if profile.jurisdiction else None,
                "created_at": profile.created_at.isoformat() if profile.created_at else None,
            },
            "request_being_filled_in": None
            if stored_flow is None
            else {k: stored_flow[0].get(k) for k in _FLOW_KEYS}
            | {"updated_at": stored_flow[1].isoformat()},
            "verification_code": None
            if code is None
            else {
                "issued_at": code.issued_at.isoformat(),
                "expires_at": code.expires_at.isoformat(),
                "attempts": code.attempts,
                "note": "the code itself is stored only as a salted hash",
            },
            "last_topic": None
            if topic is None
            else {
                "topic": topic.value or None,
                "at": topic.at.isoformat(),
                # kept a short while for the inbox (a "did you mean", a 👎), redacted
                "question_redacted": topic.question.text if topic.question else None,
            },
            "requests": [self._request_json(r) for r in self.repo.list_requests(user=key)],
            "messages_to_you": [
                {
                    "reference": n.reference,
                    "text": n.text,
                    "created_at": n.created_at.isoformat(),
                    "sent_at": n.sent_at.isoformat() if n.sent_at else None,
                }
                for n in self.repo.notifications_for(key)
            ],
        }

    def erase(self, key: UserKey, lang: Language) -> Reply:
        self.repo.delete_user(key)  # profile, flow, code, topic, replies queued
        return Reply(self.texts().text(lang, M.PRIVACY_ERASED, kept=self._kept(key, lang)))

    def once_at_a_time(
        self,
        key: UserKey,
        action: PrivacyAction,
        lang: Language,
        now: datetime,
        run: Callable[[], Reply],
        nonce: str = "",
        mark: dict[str, str] | None = None,
    ) -> Reply:
        """`run` (an export or an erase of `key`'s data), unless one is under way for `key`
        on any instance, or the button `nonce` names was done already: then a word saying
        so, and nothing is done. `mark`: this one's mark, written already (`new_mark`)."""
        texts = self.texts()
        if mark is None and nonce and nonce in self._done(key):
            return Reply(texts.text(lang, M.PRIVACY_EXPORT_DONE), expired=True)
        mark = mark or self._mark(key, action, now, nonce)
        if mark is None:
            return Reply(texts.text(lang, _BUSY_TEXT[action]), expired=True)
        try:
            return run()
        finally:
            self._unmark(key, mark, now)

    def _done(self, key: UserKey) -> list[str]:
        stored = self.repo.read_flow(key)
        done = stored.state.get(DONE_KEY) if stored else None
        return [str(n) for n in done] if isinstance(done, list) else []

    @staticmethod
    def new_mark(
        data: dict[str, Any], action: PrivacyAction, now: datetime, nonce: str = ""
    ) -> dict[str, str] | None:
        """A mark of `action` under way, to write in the flow row whose JSON is `data` (None:
        one is under way already, or done: `nonce`)."""
        if PrivacyDesk.under_way(data, now) or (nonce and nonce in data.get(DONE_KEY, ())):
            return None
        mark = {"action": str(action), "at": now.isoformat(), "id": secrets.token_hex(4)}
        return mark | ({"nonce": nonce} if nonce else {})

    @staticmethod
    def marks(data: dict[str, Any]) -> dict[str, Any]:
        """What of the flow row's JSON `data` is this desk's (an export under way, the exports
        done): kept when a step of the request flow writes the row anew, or a tap of a done
        export's button would export again. An erase's mark is not: the step is the user
        going on, after which no replayed "yes" erases (as after a "keep")."""
        kept = {k: data[k] for k in (BUSY_KEY, DONE_KEY) if k in data}
        if _is_erase_mark(kept.get(BUSY_KEY)):  # no replayed "yes" erases a draft begun since
            del kept[BUSY_KEY]
        return kept

    @staticmethod
    def under_way(data: dict[str, Any], now: datetime) -> bool:
        """Whether the flow row whose JSON is `data` marks an export or an erase under way."""
        return _under_way(data.get(BUSY_KEY), now)

    @staticmethod
    def stopped_erase(data: dict[str, Any], now: datetime, nonce: str) -> bool:
        """Whether the flow row whose JSON is `data` holds the mark of an erase whose instance
        stopped before the erase was done, written by the tap of the "Yes, erase" button
        `nonce` names, recently enough for this to be that tap replayed by the ledger (a
        confirmed erase, to do now)."""
        mark = data.get(BUSY_KEY)
        if not nonce or not isinstance(mark, dict) or not _is_erase_mark(mark):
            return False
        if mark.get("nonce") != nonce:
            return False
        age = _age(mark, now)
        return age is not None and BUSY_FOR <= age < REPLAY_WITHIN

    def erasing(self, data: dict[str, Any], now: datetime, lang: Language) -> Reply | None:
        """Said to a "keep" while the flow row whose JSON is `data` marks an erase under way
        (a "yes" tapped first): it goes on, and the user is told so (None: none under way)."""
        mark = data.get(BUSY_KEY)
        if not _is_erase_mark(mark) or not _under_way(mark, now):
            return None
        return Reply(self.texts().text(lang, M.PRIVACY_ERASE_BUSY), expired=True)

    @staticmethod
    def drop_erase_mark(data: dict[str, Any]) -> dict[str, Any] | None:
        """The flow row's JSON `data` without an erase's mark (None: it holds none). After a
        "keep", a no, /cancel or the question asked again, no replayed "yes" erases."""
        if not _is_erase_mark(data.get(BUSY_KEY)):
            return None
        return {k: v for k, v in data.items() if k != BUSY_KEY}

    def _mark(
        self, key: UserKey, action: PrivacyAction, now: datetime, nonce: str
    ) -> dict[str, str] | None:
        """Mark `action` under way (None: one is under way already, or done: `nonce`)."""
        for _ in range(_TRIES):
            stored = self.repo.read_flow(key)
            data = dict(stored.state) if stored else {}
            if (mark := self.new_mark(data, action, now, nonce)) is None:
                return None
            token = stored.token if stored else None
            if self.repo.write_flow(key, token, data | {BUSY_KEY: mark}, now):
                return mark
        return None  # written by other messages all along: taken as under way

    def _unmark(self, key: UserKey, mark: dict[str, str], now: datetime) -> None:
        """Take `mark` away (its button's nonce kept as done), unless it went with the row
        (an erase) or is not this one's."""
        for _ in range(_TRIES):
            stored = self.repo.read_flow(key)
            if stored is None or stored.state.get(BUSY_KEY) != mark:
                return
            rest = {k: v for k, v in stored.state.items() if k != BUSY_KEY}
            if "nonce" in mark:
                done = [n for n in rest.get(DONE_KEY, []) if n != mark["nonce"]]
                rest[DONE_KEY] = [*done, mark["nonce"]][-_DONE_KEPT:]
            if self.repo.write_flow(key, stored.token, rest or None, now):
                return

    # --- helpers --------------------------------------------------------------------------
    def _flow(self, key: UserKey) -> tuple[dict[str, Any], datetime] | None:
        """The request being filled in (the stored state may hold only a pending question)."""
        stored = self.repo.load_flow(key)
        return stored if stored and "request_type" in stored[0] else None

    def _kept(self, key: UserKey, lang: Language) -> str:
        texts = self.texts()
        reqs = self.repo.list_requests(user=key)
        if not reqs:
            return texts.text(lang, M.PRIVACY_KEPT_NONE)
        lines = [texts.text(lang, M.PRIVACY_KEPT, months=self.policy.record_months)]
        for r in reqs:
            if r.is_open or r.closed_at is None:
                line = texts.text(lang, M.PRIVACY_KEPT_OPEN, reference=r.reference)
            else:
                until = self.policy.keeps_record_until(r.closed_at).date()
                line = texts.text(lang, M.PRIVACY_KEPT_CLOSED, reference=r.reference, until=until)
            lines.append("• " + line)
        return "\n".join(lines)

    def _options(self, lang: Language) -> tuple[Option, ...]:
        texts = self.texts()
        return (
            # A nonce per summary: a second tap of this button does not export again.
            Option(
                texts.text(lang, M.PRIVACY_EXPORT),
                privacy(PrivacyAction.EXPORT, secrets.token_hex(4)),
            ),
            Option(texts.text(lang, M.PRIVACY_ERASE), privacy(PrivacyAction.ERASE)),
        )

    def _request_json(self, r: RightsRequest) -> dict[str, Any]:
        kept = self.policy.keeps_record_until(r.closed_at).isoformat() if r.closed_at else None
        return {
            "reference": r.reference,
            "type": str(r.type),
            "status": str(r.status),
            "jurisdiction": str(r.jurisdiction),
            "language": str(r.language),
            "received_at": r.received_at.isoformat(),
            "due": r.due.isoformat(),
            "details": r.details.as_dict(),
            "email": r.email,
            "extended": r.extended,
            "extension_reason": r.extension_reason,
            "closing_reason": r.closing_reason,
            "closed_at": r.closed_at.isoformat() if r.closed_at else None,
            "kept_until": kept,
        }


def _is_erase_mark(mark: Any) -> bool:
    return isinstance(mark, dict) and mark.get("action") == str(PrivacyAction.ERASE_CONFIRM)


def _under_way(mark: Any, now: datetime) -> bool:
    """Whether a flow row's `BUSY_KEY` value marks an action under way now."""
    age = _age(mark, now)
    return age is not None and age < BUSY_FOR


def _age(mark: Any, now: datetime) -> timedelta | None:
    """How long ago a flow row's `BUSY_KEY` value was written (None: no mark, or not one
    this version reads)."""
    try:
        return now - datetime.fromisoformat(mark["at"])
    except (KeyError, TypeError, ValueError):
        return None
