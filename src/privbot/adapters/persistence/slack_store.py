"""`SlackStore`: what the Slack poster, the staff app and the reminder service keep in the
shared database (the engine is passed in; every call is its own short transaction)."""

from __future__ import annotations

from privbot.adapters.persistence.reminder_claims import ReminderClaims
from privbot.adapters.persistence.slack_events import SlackEvents
from privbot.adapters.persistence.slack_messages import SlackMessages


class SlackStore(SlackMessages, ReminderClaims, SlackEvents):
    """Posts and renders, reminder claims and schedule, and seen Slack events."""
