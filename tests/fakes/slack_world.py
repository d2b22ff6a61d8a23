"""Wiring for the Slack and reminder tests: settings, a real SQLite repository, the Slack store,
the poster and the reminder service pointed at a loopback `FakeSlack`, and verified requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from fakes.slack_server import FakeSlack
from privbot.adapters.holiday_calendar import holiday_checker
from privbot.adapters.persistence.repository import SqlRepository
from privbot.adapters.persistence.slack_store import SlackStore
from privbot.adapters.slack.poster import RequestPoster
from privbot.adapters.slack.staff import StaffDirectory
from privbot.bootstrap import build_repository, build_slack, build_slack_store, derive
from privbot.config import Settings, load_settings
from privbot.content.messages import load_catalogue
from privbot.core import deadlines
from privbot.core.model import Jurisdiction, Language, RequestType, UserKey
from privbot.core.records import UserProfile
from privbot.core.requests import Details, RequestStatus, RightsRequest, created_events
from privbot.services.reminders import ReminderService
from privbot.services.requests import RequestService

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
STAFF = "USTAFF1"
CHANNEL = "CPRIVACY"
EMAIL = "alice.secret@example.org"
ALICE = UserKey("telegram", "1001")
FREE_TEXT = "Mon vrai nom est Zéphyrine Quatremare"


def settings_for(tmp_path: Path, slack_url: str, **extra: object) -> Settings:
    values: dict[str, object] = {
        "database_url": f"sqlite:///{tmp_path / 'privbot.sqlite3'}",
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": SECRET,
        "slack_api_url": slack_url,
        "slack_staff_channel": CHANNEL,
        "slack_staff": STAFF,
        "timezone": "Europe/Paris",
        "holidays_country": "FR",
    }
    values.update(extra)
    return load_settings(**values)


@dataclass
class World:
    settings: Settings
    repo: SqlRepository
    requests: RequestService
    store: SlackStore
    poster: RequestPoster
    reminders: ReminderService
    staff: StaffDirectory

    @property
    def engine(self) -> Engine:
        return self.repo.engine


def make_world(settings: Settings) -> World:
    tz = ZoneInfo(settings.timezone)
    repo = build_repository(settings)
    catalogue = load_catalogue(settings.intents_dir)
    requests = RequestService(
        repo, holiday_checker(settings.holidays_country), tz, lambda: catalogue
    )
    store = build_slack_store(repo.engine)
    slack = build_slack(settings, derive(settings), requests, store)
    return World(settings, repo, requests, store, slack.poster, slack.reminders, slack.staff)


def add_request(
    repo: SqlRepository,
    received_at: datetime,
    jurisdiction: Jurisdiction = Jurisdiction.EU,
    rtype: RequestType = RequestType.ACCESS,
    language: Language = Language.FR,
    user: UserKey = ALICE,
    details: dict[str, str] | None = None,
) -> RightsRequest:
    """A verified request received at `received_at` (an aware datetime), stored."""
    dates = deadlines.compute(jurisdiction, rtype, received_at.date(), holiday_checker("FR"))
    repo.save_user(UserProfile(user, language, True, jurisdiction), received_at)
    draft = RightsRequest(
        reference="",
        user=user,
        type=rtype,
        jurisdiction=jurisdiction,
        details=Details.of(details or {"format": "json"}),
        status=RequestStatus.VERIFIED,
        received_at=received_at,
        dates=dates,
        language=language,
        email=EMAIL,
    )
    return repo.add_request(draft, created_events(draft, "user"))


# A request received on Monday 16 February 2026 (GDPR: due Monday 16 March 2026), and the
# clock helpers the reminder tests share.
PARIS = ZoneInfo("Europe/Paris")
RECEIVED = datetime(2026, 2, 16, 10, 0, tzinfo=PARIS)
DUE = date(2026, 3, 16)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """That day at that local (Paris) time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def reply_texts(slack: FakeSlack) -> list[str]:
    """The texts of every threaded reply the fake Slack received."""
    return [str(p["text"]) for p in slack.replies()]
