"""End-to-end fixtures: the loopback Telegram server, a real SMTP server, the knowledge and
a running bot (defined in telegram_support.py, shared by the Telegram and Slack tests)."""

from tests.e2e.telegram_support import bot, knowledge, settings, smtp, tg  # noqa: F401
