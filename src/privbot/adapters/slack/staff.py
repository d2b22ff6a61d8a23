"""Who may act on rights requests in Slack: `PRIVBOT_SLACK_STAFF` user ids and user groups."""

from __future__ import annotations

import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


class StaffDirectory:
    """Staff: user ids (U..., W...) and/or user groups (S...).

    Group members are read with `usergroups.users.list` and kept for `ttl` seconds.
    """

    def __init__(self, spec: str, client: AsyncWebClient, ttl: float = 60.0) -> None:
        ids = [x.strip() for x in spec.split(",") if x.strip()]
        self.groups = [x for x in ids if x.startswith("S")]
        self.users = frozenset(x for x in ids if not x.startswith("S"))
        self.client = client
        self.ttl = ttl
        self._members: dict[str, tuple[float, frozenset[str]]] = {}

    @property
    def configured(self) -> bool:
        return bool(self.groups or self.users)

    async def is_staff(self, user_id: str) -> bool:
        if user_id in self.users:
            return True
        for group in self.groups:
            if user_id in await self._group(group):
                return True
        return False

    async def _group(self, group: str) -> frozenset[str]:
        cached = self._members.get(group)
        if cached is not None and time.monotonic() - cached[0] < self.ttl:
            return cached[1]
        try:
            resp = await self.client.usergroups_users_list(usergroup=group)
            members = frozenset(str(u) for u in resp.get("users") or [])
        except SlackApiError as exc:
            log.warning("usergroups.users.list failed: %s", exc.response.get("error"))
            members = cached[1] if cached else frozenset()
        self._members[group] = (time.monotonic(), members)
        return members

    def mention(self) -> str:
        """Who an overdue reminder calls on when nobody is assigned."""
        if self.groups:
            return " ".join(f"<!subteam^{g}>" for g in self.groups)
        return " ".join(f"<@{u}>" for u in sorted(self.users)) or "<!channel>"
