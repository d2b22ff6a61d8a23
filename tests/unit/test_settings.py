"""Every setting is validated at start: a bad value is one line naming the variable."""

from __future__ import annotations

import pytest

from privbot.config import load_settings
from privbot.errors import ConfigError

BAD = [
    ("LOG_LEVEL", "VERBOSE", "one of"),
    ("LOG_FORMAT", "xml", ""),
    ("FLOW_RETENTION_HOURS", "1e300", "less than or equal to"),
    ("FLOW_RETENTION_HOURS", "inf", "finite"),
    ("FLOW_RETENTION_HOURS", "nan", ""),
    ("RECORD_RETENTION_MONTHS", "99999999999", "less than or equal to"),
    ("REMINDER_INTERVAL_MINUTES", "inf", "finite"),
    ("REMINDER_INTERVAL_MINUTES", "1e12", "less than or equal to"),
    ("MAIL_FROM", "bot@example.org\r\nBcc: victim@example.org", "line break"),
    ("MAIL_FROM", "not an address", "e-mail address"),
    ("CONTACT_EMAIL", "dpo@example.org\nX: y", "line break"),
    ("TELEGRAM_API_URL", "ftp://api.example.org", "http"),
    ("SLACK_API_URL", "not a url", "http"),
    ("TELEGRAM_WEBHOOK_URL", "http://bot.example.org/hook", "https"),
    ("SMTP_URL", "http://mail.example.org", "smtp://"),
    ("DATABASE_URL", "no url at all", "URL"),
    ("DATABASE_URL", "postgres://u@db.example.org/privbot", "SQLite or PostgreSQL"),
    ("DATABASE_URL", "mysql://u@db.example.org/privbot", "SQLite or PostgreSQL"),
    ("DATABASE_URL", "sqlite+pysqlcipher:///privbot.sqlite3", "driver"),
    ("DATABASE_URL", "postgresql+nosuch://u@db.example.org/privbot", "driver"),
    ("TELEGRAM_TOKEN", "12345 spaces:x", "token"),
    ("SLACK_STAFF", "U123, bad id!", "Slack"),
    ("SLACK_STAFF_CHANNEL", "#staff\nroom", ""),
    ("DIGEST_HOUR", "25", ""),
    ("DIGEST_HOUR", "9.5", "fractional part"),
    ("REMINDER_HOUR", "9.", "unable to parse"),
    ("REMINDER_HOUR", "1e1", "unable to parse"),
    ("INBOX_RETENTION_DAYS", "30 days", "unable to parse"),
]


@pytest.mark.parametrize(("name", "value", "fragment"), BAD)
def test_a_bad_setting_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(f"PRIVBOT_{name}", value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"PRIVBOT_{name}: "), message
    assert "\n" not in message and "\r" not in message
    assert fragment in message


def test_good_values_are_kept_and_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVBOT_LOG_LEVEL", "debug")
    monkeypatch.setenv("PRIVBOT_MAIL_FROM", "Privbot <privbot@example.org>")
    monkeypatch.setenv("PRIVBOT_SLACK_STAFF", "U123ABC, U456DEF")
    monkeypatch.setenv("PRIVBOT_TELEGRAM_TOKEN", "123456:TEST-token_x")
    settings = load_settings()
    assert settings.log_level == "DEBUG"
    assert settings.mail_from == "Privbot <privbot@example.org>"
    assert settings.flow_retention_hours == 72.0


@pytest.mark.parametrize(
    ("value", "hour"), [("9.0", 9), (" 9.00 ", 9), ("+7", 7), ("09", 9), ("0.0", 0)]
)
def test_an_integer_may_be_written_as_pydantic_read_it(
    monkeypatch: pytest.MonkeyPatch, value: str, hour: int
) -> None:
    """An integral decimal ("9.0", as some deployment tools write numbers) was accepted
    while the settings were read by pydantic; a start must not stop on it now."""
    monkeypatch.setenv("PRIVBOT_DIGEST_HOUR", value)
    assert load_settings().digest_hour == hour


def test_an_integer_setting_given_as_a_float_must_be_whole() -> None:
    assert load_settings(reminder_hour=8.0).reminder_hour == 8
    with pytest.raises(ConfigError, match=r"PRIVBOT_REMINDER_HOUR: .*fractional part"):
        load_settings(reminder_hour=8.5)
    for infinite in (float("inf"), float("-inf"), float("nan")):
        with pytest.raises(ConfigError, match=r"PRIVBOT_REMINDER_HOUR: .*a finite number$"):
            load_settings(reminder_hour=infinite)
