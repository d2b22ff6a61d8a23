"""Rights-request use cases: submission (with duplicate detection) and the staff actions.

Every change is stored together with its audit line and, where the user must be told, an
outbox notification in the user's language (the chat adapter delivers it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from privbot.core import deadlines
from privbot.core import messages as M
from privbot.core import requests as rq
from privbot.core.catalogue import Catalogue
from privbot.core.deadlines import HolidaySource
from privbot.core.dialogue import SubmitRequest
from privbot.core.messages import Key
from privbot.core.model import Establishment, Jurisdiction, Language, RequestType, UserKey
from privbot.core.records import Notification
from privbot.core.requests import AuditEvent, Details, RequestStatus, RightsRequest
from privbot.errors import InvalidTransition, RequestNotFound
from privbot.services.ports import Repository

USER_ACTOR = "user"
SYSTEM_ACTOR = "system"


@dataclass(frozen=True, slots=True)
class Submission:
    request: RightsRequest
    duplicate: bool  # True: an open request of the same type existed; nothing new was stored


class RequestService:
    """Stores requests and applies staff actions (the Slack adapter calls these)."""

    def __init__(
        self,
        repo: Repository,
        is_holiday: HolidaySource,
        timezone: tzinfo,
        texts: Callable[[], Catalogue],
        establishment: Establishment = Establishment.EU,
    ) -> None:
        self.repo = repo
        self.is_holiday = is_holiday
        self.timezone = timezone
        self.texts = texts  # the live message catalogue, for what staff actions tell users
        self.establishment = establishment  # the controller's: its law applies to every user

    def local_date(self, now: datetime) -> datetime:
        return now.astimezone(self.timezone)

    # --- user side ------------------------------------------------------------------------
    def dates_if_sent(
        self, jurisdiction: Jurisdiction, request_type: RequestType, details: Details, now: datetime
    ) -> deadlines.LegalDates:
        """The legal dates of a request of that type sent `now` (received today, locally)."""
        return deadlines.compute(
            jurisdiction,
            request_type,
            self.local_date(now).date(),
            self.is_holiday,
            self.establishment,
            marketing_objection=rq.is_marketing_objection(request_type, details),
        )

    def submit(
        self,
        user: UserKey,
        effect: SubmitRequest,
        now: datetime,
        within: Repository | None = None,
    ) -> Submission:
        """Store a confirmed request, or return the user's open one of the same type; in the
        unit of work `within` when given (the caller commits), else in its own transaction."""
        repo = within or self.repo
        existing = repo.find_open(user, effect.request_type)
        if existing is not None:
            return Submission(existing, True)
        dates = self.dates_if_sent(effect.jurisdiction, effect.request_type, effect.details, now)
        draft = RightsRequest(
            reference="",
            user=user,
            type=effect.request_type,
            jurisdiction=effect.jurisdiction,
            details=effect.details,
            status=RequestStatus.RECEIVED,
            received_at=now,
            dates=dates,
            language=effect.language,
            email=effect.email,
        )
        events = list(rq.created_events(draft, USER_ACTOR))
        actor = USER_ACTOR if effect.verified else SYSTEM_ACTOR
        verified, event = rq.transition(draft, RequestStatus.VERIFIED, actor, now)
        if not effect.verified:  # opt-out of sale: the law forbids requiring verification
            event = AuditEvent(
                event.reference, event.event, actor, now, "verification not required"
            )
        events.append(event)
        return Submission(repo.add_request(verified, events), False)

    def for_user(self, user: UserKey) -> list[RightsRequest]:
        return self.repo.list_requests(user=user)

    def cancel_by_user(self, reference: str, user: UserKey, now: datetime) -> RightsRequest:
        """The user withdraws their own request, if staff have not closed it."""
        req = self.get(reference)
        if req.user != user:
            raise RequestNotFound(reference)  # never reveal someone else's reference
        new, event = rq.transition(req, RequestStatus.CANCELLED, USER_ACTOR, now)
        self.repo.save_request(new, [event], now=now)
        return new

    # --- staff side -----------------------------------------------------------------------
    def get(self, reference: str) -> RightsRequest:
        req = self.repo.get_request(reference)
        if req is None:
            raise RequestNotFound(reference)
        return req

    def list_requests(self, statuses: set[RequestStatus] | None = None) -> list[RightsRequest]:
        return self.repo.list_requests(statuses=statuses)

    def acknowledge(self, reference: str, actor: str, now: datetime) -> RightsRequest:
        req = self.get(reference)
        new, event = rq.transition(req, RequestStatus.ACKNOWLEDGED, actor, now)
        return self._save(new, event, now, M.NOTICE_ACKNOWLEDGED)

    def assign(self, reference: str, actor: str, now: datetime) -> RightsRequest:
        req = self.get(reference)
        new, event = rq.assign(req, actor, now)
        started = new.status is not req.status
        return self._save(new, event, now, M.NOTICE_ASSIGNED if started else None)

    def extend(self, reference: str, actor: str, reason: str, now: datetime) -> RightsRequest:
        """Once, with a reason, before the original due date (the dates of `core.deadlines`)."""
        req = self.get(reference)
        if not reason.strip():
            raise InvalidTransition(f"{reference}: an extension needs a reason")
        new, event = rq.extend(req, actor, reason, now)
        return self._save(new, event, now, M.NOTICE_EXTENDED, reason=reason.strip())

    def complete(
        self, reference: str, actor: str, note: str | None, now: datetime
    ) -> RightsRequest:
        req = self.get(reference)
        new, event = rq.transition(req, RequestStatus.COMPLETED, actor, now, note)
        return self._save(new, event, now, M.NOTICE_COMPLETED, note=(note or "").strip())

    def deny(self, reference: str, actor: str, reason: str, now: datetime) -> RightsRequest:
        """A denial needs a reason, which the user is shown."""
        req = self.get(reference)
        new, event = rq.transition(req, RequestStatus.DENIED, actor, now, reason)
        return self._save(new, event, now, M.NOTICE_DENIED, reason=reason.strip())

    def audit(self, reference: str) -> list[AuditEvent]:
        return self.repo.audit_log(self.get(reference).reference)

    def _save(
        self,
        req: RightsRequest,
        event: AuditEvent,
        now: datetime,
        key: Key | None,
        reason: str = "",
        note: str = "",
    ) -> RightsRequest:
        profile = self.repo.get_user(req.user)
        lang = (profile.language if profile else None) or req.language
        notes = [self.notification(req, key, now, reason, note, lang)] if key else []
        self.repo.save_request(req, [event], notes, now=now)
        return req

    def notification(
        self,
        req: RightsRequest,
        key: Key,
        now: datetime,
        reason: str = "",
        note: str = "",
        language: Language | None = None,
    ) -> Notification:
        """The user's message about `req`, in `language` (default: the request's)."""
        lang = language or req.language
        texts = self.texts()
        right = texts.text(lang, M.right(req.type))
        parts = [
            texts.text(lang, key, reference=req.reference, right=right, due=req.due, reason=reason)
        ]
        if note:
            parts.append(texts.text(lang, M.NOTICE_NOTE, note=note))
        if key == M.NOTICE_DENIED and deadlines.gdpr_applies(req.jurisdiction, self.establishment):
            parts.append(texts.text(lang, M.NOTICE_COMPLAIN))
        return Notification(req.user, lang, "\n\n".join(parts), now, req.reference)
