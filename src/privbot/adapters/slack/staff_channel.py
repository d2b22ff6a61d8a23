"""The staff channel: threaded reminders, the daily digest, and the report of a content edit
that was rejected (the last good version stays live); and the admins' channel (by default the
same): the weekly inbox digest."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack import blocks as bk
from privbot.adapters.slack.messages import post_message
from privbot.services.inbox import InboxDigest
from privbot.services.reminders import Digest, ReminderNotice

PROBLEMS_SHOWN = 20


class SlackStaffChannel:
    """`services.reminders.StaffChannel` on Slack: threaded reminders and the daily digest."""

    def __init__(
        self,
        client: AsyncWebClient,
        channel: str,
        staff_mention: Callable[[], str],
        admin_channel: str | None = None,
    ) -> None:
        self.client = client
        self.channel = channel
        self.staff_mention = staff_mention
        self.admin_channel = admin_channel or channel  # the weekly inbox digest

    async def send_reminder(self, notice: ReminderNotice, thread: tuple[str, str] | None) -> str:
        who = bk.mention(notice.assignee) if notice.assignee else self.staff_mention()
        text = bk.reminder_text(notice.point, notice.reference, notice.today, who)
        if thread is None:
            return await post_message(self.client, channel=self.channel, text=text)
        # A reply in the thread, also shown in the channel when it is overdue.
        broadcast = notice.point.kind == "overdue"
        return await post_message(self.client, channel=thread[0], thread_ts=thread[1], text=text,
                           reply_broadcast=broadcast)  # fmt: skip

    async def send_digest(self, digest: Digest) -> str:
        title = f"Daily digest {digest.today.isoformat()}: {digest.total} open request(s)"
        blocks = bk.list_blocks(title, list(digest.requests), digest.total, digest.today)
        blocks += bk.feedback_blocks(digest.feedback)
        return await post_message(self.client, channel=self.channel, text=title, blocks=blocks)

    async def send_inbox_digest(self, digest: InboxDigest) -> str:
        text = bk.inbox_digest_text(digest)
        return await post_message(self.client, channel=self.admin_channel, text=text)

    async def send_content_problems(self, problems: Sequence[str]) -> str:
        """Admin-written file positions and messages (no user data): the first few."""
        shown = "\n".join(problems[:PROBLEMS_SHOWN])
        more = len(problems) - PROBLEMS_SHOWN
        tail = f"\n... and {more} more" if more > 0 else ""
        text = (
            "An edit of the bot's content was rejected; the last good version stays live."
            f"\n```{shown}{tail}```"
        )
        return await post_message(self.client, channel=self.channel, text=text)
