"""Zero personal data in logs: a full request end to end (engine, real database, real SMTP
server on loopback, staff actions, /privacy, retention) with every logger at DEBUG; every
log line, formatted plain and JSON, and every outbox row are scanned for the e-mail address,
the verification code and what the user typed.

Only the test's own SMTP server (aiosmtpd, logger `mail.log`) is left out: it is not privbot.
"""

from __future__ import annotations

import json
import logging
import random
import re
from datetime import timedelta
from typing import Any

import pytest
from test_rights_flow_smtp import ROOT, Inbox, Session, smtp  # noqa: F401

from privbot.bootstrap import build_app, retention_policy
from privbot.config import load_settings
from privbot.content.knowledge import Knowledge
from privbot.logging_setup import JsonFormatter, RequestIdFilter, make_handler
from privbot.services.retention import purge

EMAIL = "zoe.private@example.org"
TYPED = ["quel est mon vieux numero 0611223344", "le nouveau est 0699887766"]
QUESTION = "Combien de temps gardez-vous mes données personnelles ?"
# Kept by the inbox (a fallback, then an unresolved "did you mean"): only redacted, never logged.
UNANSWERED = [
    "je m'appelle Zoé Martin, joignable au 06 11 22 33 44, quel temps fait-il à Lyon ?",
    "my name is Zoe Martin, IBAN FR76 3000 6000 0112 3456 7890 189, mes données",
]


def test_no_personal_data_in_logs_or_outbox(
    caplog: pytest.LogCaptureFixture,
    db_overrides: dict[str, Any],
    smtp: tuple[Inbox, int],  # noqa: F811
    knowledge: Knowledge,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.handler.addFilter(RequestIdFilter())  # as privbot's own handler does
    inbox, port = smtp
    settings = load_settings(
        **db_overrides,
        smtp_url=f"smtp://127.0.0.1:{port}",
        intents_dir=ROOT / "intents",
        corpus_dir=ROOT / "policy_corpus",
    )
    app = build_app(settings, knowledge=knowledge, rng=random.Random(20260302))
    s = Session(app, "log-user")
    s.say(UNANSWERED[0])
    s.say(UNANSWERED[1])
    s.say(QUESTION)
    s.say(choice="request:rectification")
    s.press("eu")
    s.say(TYPED[0])
    s.say(TYPED[1])
    s.say("not an address")
    s.say(EMAIL)
    code = inbox.last_code()
    s.say("000000" if code != "000000" else "111111")  # a wrong code first
    s.say(code)
    s.press("confirm")
    ref = app.repo.list_requests(user=s.user)[0].reference
    app.requests.acknowledge(ref, "U_STAFF", s.now)
    app.requests.deny(ref, "U_STAFF", "identity could not be matched", s.now)
    s.say("/status")
    s.say("/privacy")
    s.press("export")  # the summary's button (its value carries a nonce)
    exported = s.last.replies[0].attachment.content  # type: ignore[union-attr]
    assert EMAIL in exported and TYPED[0] in exported  # the user does get their data
    s.say("/privacy")
    s.press("privacy:erase")
    s.press("erase_confirm")
    outbox = [n.text for n in app.repo.notifications_for(s.user)]
    assert len(outbox) == 2, "acknowledged and denied: the user is told"
    kept = [e.text for e in app.repo.inbox_entries()]
    purge(app.repo, retention_policy(app.settings), s.now + timedelta(days=800))

    records = [r for r in caplog.records if not r.name.startswith("mail.log")]
    assert len(records) > 20, "the run should have logged"
    plain, as_json = make_handler("plain"), JsonFormatter()
    lines = []
    for r in records:
        lines += [r.getMessage(), plain.format(r), as_json.format(r)]
    assert len(kept) == 2 and all("<name>" in t for t in kept)  # captured, redacted
    personal = ["Zoé", "Zoe", "Martin", "22 33", "FR76", "3000 6000"]
    assert not [p for p in personal if p.lower() in " ".join(kept).lower()]
    secrets = [EMAIL, EMAIL.split("@")[0], *TYPED, QUESTION, "0611223344", "0699887766"]
    secrets += [*UNANSWERED, *personal, *kept]
    code_re = re.compile(rf"(?<!\d){code}(?!\d)")
    for line in lines + outbox:
        low = line.lower()
        for secret in secrets:
            assert secret.lower() not in low, line
        assert not code_re.search(line), line
    events = [json.loads(as_json.format(r)) for r in records if r.name.startswith("privbot")]
    assert any(e["event"].startswith(f"request {ref}") for e in events)
    assert all(e["request_id"] != "-" for e in events if e["logger"].endswith("conversation"))
