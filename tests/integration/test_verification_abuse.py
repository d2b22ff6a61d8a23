"""Brute force of the e-mail code and mail-bombing, through `ConversationService.handle` on
the real repository (SQLite file, and PostgreSQL when PRIVBOT_TEST_POSTGRES_URL is set) with an
advancing clock: restarted flows, /cancel, several accounts and a second instance on the same
database all share one set of limits."""

from __future__ import annotations

import random
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dbfixtures import TEST_KEY
from fakes.rights import FakeKnowledge, FakeMailer

from privbot.bootstrap import App, build_app
from privbot.config import load_settings
from privbot.core.model import Incoming, Language, Outgoing, UserKey

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
VICTIM = "victim@example.org"
GUESSES_PER_ADDRESS_PER_DAY = 20  # the designed bound (core.abuse)
CODES_PER_ADDRESS_PER_HOUR = 3


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Attacker:
    """One account typing into one instance."""

    def __init__(self, app: App, clock: Clock, user: str, lang: Language = Language.EN) -> None:
        self.app, self.clock, self.user, self.lang = app, clock, UserKey("test", user), lang
        self.last: Outgoing | None = None

    def say(self, text: str = "", choice: str | None = None) -> str:
        incoming = Incoming(self.user, text, choice=choice, forced_language=self.lang)
        self.last = self.app.conversation.handle(incoming, self.clock.now)
        self.clock.tick(5)
        return "\n".join(r.text for r in self.last.replies)

    def press(self, option_id: str) -> str:
        assert self.last is not None
        for r in self.last.replies:
            for o in r.options:
                if o.value.endswith(":" + option_id):
                    return self.say(choice=o.value)
        raise AssertionError(f"no option {option_id}")

    def restart(self, email: str = VICTIM) -> str:
        """/cancel, then a new access request up to the code sent to `email`."""
        self.say("/cancel")
        self.say(choice="request:access")
        self.press("eu")
        self.press("pdf")
        return self.say(email)


@pytest.fixture
def make_app(db_overrides: dict[str, Any]) -> Callable[[FakeMailer], App]:
    def make(mailer: FakeMailer) -> App:
        settings = load_settings(**db_overrides)
        return build_app(settings, knowledge=FakeKnowledge(), mailer=mailer,  # type: ignore[arg-type]
                         rng=random.Random(11))  # fmt: skip

    return make


EVALUATED = ("not right", "Too many attempts", "Address verified")


@pytest.fixture
def memory_backed_sqlite() -> Iterator[str]:
    """A SQLite file on tmpfs when there is one: the same database code, without a disk
    flush at each of the tens of thousands of commits (a shared machine's disk is slow)."""
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(dir=shm if shm.is_dir() else None))
    try:
        yield f"sqlite:///{folder / 'bot.sqlite3'}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_ten_thousand_guesses_over_restarts_accounts_and_instances(
    memory_backed_sqlite: str,
) -> None:
    mailer = FakeMailer()
    clock = Clock()
    settings = load_settings(database_url=memory_backed_sqlite, encryption_key=TEST_KEY)
    apps = [  # two instances, one database
        build_app(settings, knowledge=FakeKnowledge(), mailer=mailer, rng=random.Random(i))  # type: ignore[arg-type]
        for i in range(2)
    ]
    attackers = [Attacker(apps[i % 2], clock, f"attacker{i}") for i in range(4)]
    guesser = random.Random(5)
    typed = evaluated = succeeded = locked = 0
    a, turn, patience = attackers[0], 0, 0
    while typed < 10_000:
        if patience <= 0:  # a fresh flow and code, from the next account and instance
            a = attackers[turn % len(attackers)]
            turn += 1
            sent = "has just been sent" in a.restart()
            patience = 5 if sent else 50  # none sent (limit, cooldown): keep typing a while
        reply = a.say(f"{guesser.randrange(10**6):06d}")
        typed += 1
        patience -= 1
        clock.tick(25)
        if any(w in reply for w in EVALUATED):
            evaluated += 1
            succeeded += "Address verified" in reply
            patience = 0 if "Address verified" in reply else patience
        elif "no code will be checked before" in reply:
            locked += 1
            assert re.search(r"at \d\d:\d\d on March \d+, 2026 \(Paris time\)", reply), reply
    days = (clock.now - NOW) / timedelta(days=1)
    bound = GUESSES_PER_ADDRESS_PER_DAY * (int(days) + 1)
    assert 0 < evaluated <= bound, (evaluated, bound, days)
    assert succeeded <= evaluated and locked > 0  # told when to come back (checked above)
    sent = [m for m in mailer.sent if m[0] == VICTIM]
    assert len(sent) <= 6 * (int(days) + 1)


def test_restarting_the_flow_does_not_reset_the_cooldown(
    make_app: Callable[[FakeMailer], App],
) -> None:
    mailer = FakeMailer()
    clock = Clock()
    a = Attacker(make_app(mailer), clock, "bomber")
    for _ in range(20):  # 20 restarts in well under a minute of clock
        a.restart()
        clock.now -= timedelta(seconds=24)  # keep the whole burst inside 10 s of clock
        clock.tick(0.5)
    assert len(mailer.sent) == 1


def test_fifty_accounts_send_a_few_codes_an_hour_to_one_address(
    make_app: Callable[[FakeMailer], App],
) -> None:
    mailer = FakeMailer()
    clock = Clock()
    apps = [make_app(mailer), make_app(mailer)]
    replies = []
    for i in range(50):
        replies.append(Attacker(apps[i % 2], clock, f"acct{i}").restart())  # 25 s each
    assert 1 <= len(mailer.sent) <= CODES_PER_ADDRESS_PER_HOUR
    assert "no code will be sent before" in replies[-1]
    # Another address is not affected by the first one's limit.
    assert "6-digit code" in Attacker(apps[0], clock, "other").restart("ann@example.org")


def test_lockout_says_when_to_come_back_in_the_users_language(
    make_app: Callable[[FakeMailer], App],
) -> None:
    mailer = FakeMailer()
    clock = Clock()
    app = make_app(mailer)
    for i in range(CODES_PER_ADDRESS_PER_HOUR):
        Attacker(app, clock, f"a{i}").restart()
        clock.tick(61)
    fr = Attacker(app, clock, "fr", Language.FR)
    fr.say("/cancel")
    fr.say(choice="request:access")
    fr.press("eu")
    fr.press("pdf")
    reply = fr.say(VICTIM)
    assert re.search(r"aucun code ne sera envoyé avant le 2 mars 2026 à 1\d h \d\d "
                     r"\(heure de Paris\)", reply), reply  # fmt: skip
    assert len(mailer.sent) == CODES_PER_ADDRESS_PER_HOUR


def test_concurrent_sends_from_two_instances_never_pass_the_limit(
    db_overrides: dict[str, Any],
) -> None:
    """Twelve accounts on two instances ask at the same moment: the rows are locked while a
    verdict is decided, so exactly one code goes to the address (they are 60 s apart)."""
    from concurrent.futures import ThreadPoolExecutor

    from privbot.adapters.persistence.limits import LimitStore
    from privbot.core import abuse

    apps = [build_app(load_settings(**db_overrides), knowledge=FakeKnowledge()) for _ in range(2)]  # type: ignore[arg-type]
    stores = [LimitStore(app.engine) for app in apps]

    def ask(i: int, at: datetime = NOW) -> bool:
        keys = abuse.scope_keys(b"k" * 32, f"test:acct{i}", VICTIM)
        return stores[i % 2].judge(abuse.Action.SEND, keys, at).allowed

    assert ask(99, NOW - timedelta(hours=2))  # the rows exist already: they must be locked
    with ThreadPoolExecutor(max_workers=6) as pool:
        allowed = list(pool.map(ask, range(12)))
    assert sum(allowed) == 1
