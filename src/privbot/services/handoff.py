"""The staff side of a handoff to a person: a verified staff member's reply in the handoff's
Slack thread is recorded, audited and queued for the user, labelled as a person's, once.
Never logs the text."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from privbot.core import messages as M
from privbot.core.catalogue import Catalogue
from privbot.core.handoff import Handoff
from privbot.core.records import Notification
from privbot.services.ports import HandoffStore

log = logging.getLogger(__name__)


class HandoffDesk:
    def __init__(self, store: HandoffStore, texts: Callable[[], Catalogue]) -> None:
        self.store = store
        self.texts = texts

    def by_thread(self, thread_ts: str) -> Handoff | None:
        return self.store.handoff_by_thread(thread_ts)

    def staff_reply(
        self, handoff: Handoff, staff: str, slack_ts: str, text: str, now: datetime
    ) -> bool:
        """Queue `text` for the user (once per Slack message); False if already taken in."""
        said = self.texts().text(handoff.language, M.HANDOFF_STAFF_SAYS, text=text.strip())
        note = Notification(handoff.user, handoff.language, said, now, handoff.reference)
        taken = self.store.add_staff_reply(handoff, staff, slack_ts, text, note, now)
        if taken:
            log.info("staff reply queued for handoff %s", handoff.reference)
        return taken
