"""The inbox's pure parts: redaction never lets personal data through (both languages), a
question's view for the inbox, and the grouping of similar questions."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime

import pytest
from shipped_bot import clarifying, knowledge

from privbot.core import inbox as ib
from privbot.core.model import Language, ReplyKind

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

# (message, what must not survive redaction, the placeholder expected instead)
CASES = [
    ("my name is John Smith and I want to delete my data", ["John", "Smith"], ib.NAME),
    ("Hi, my name’s Ann Lee, how long do you keep logs?", ["Ann", "Lee"], ib.NAME),
    ("I'm called Bob Marley. Delete everything", ["Bob", "Marley"], ib.NAME),
    ("my full name is jean-luc picard", ["jean", "picard"], ib.NAME),
    ("Je m'appelle Marie-Claire Dupont, supprimez mes données", ["Marie", "Dupont"], ib.NAME),
    ("je m’appelle zoé et je veux mes données", ["zoé"], ib.NAME),
    ("mon nom est Jean Dupont j'habite à Lyon", ["Jean", "Dupont"], ib.NAME),
    ("Mon prénom est Éloïse, que savez-vous sur moi ?", ["Éloïse"], ib.NAME),
    ("bonjour, nom : Durand, effacez mon compte", ["Durand"], ib.NAME),
    ("email me at john.doe+news@example.org please", ["john.doe", "example.org"], ib.EMAIL),
    ("mon mail: jean.dupont (at) orange (dot) fr", ["jean.dupont", "orange"], ib.EMAIL),
    ("call +33 6 12 34 56 78 now", ["12 34 56 78", "+33"], ib.PHONE),
    ("mon numéro est 06.12.34.56.78", ["06.12", "56.78"], ib.PHONE),
    ("(555) 123-4567 is my number", ["555", "4567"], ib.PHONE),
    ("IBAN FR76 3000 6000 0112 3456 7890 189 for the refund", ["FR76", "3000", "189"], ib.IBAN),
    ("mon iban GB29NWBK60161331926819", ["GB29", "NWBK", "60161331926819"], ib.IBAN),
    ("card 4111 1111 1111 1111 was charged", ["4111"], ib.NUMBER),
    ("numéro client 12345678, où sont mes données", ["12345678"], ib.NUMBER),
    ("né le 12/05/1990", ["1990", "12/05"], ib.NUMBER),
    ("see https://evil.example.com/x?id=77 and www.foo.fr", ["evil", "foo.fr", "id=77"], ib.URL),
    ("ask @johnny_b about it", ["johnny"], ib.HANDLE),
]


@pytest.mark.parametrize(("text", "secrets", "placeholder"), CASES)
def test_redaction_removes_each_kind(text: str, secrets: list[str], placeholder: str) -> None:
    out = ib.redact(text)
    assert placeholder in out, out
    for secret in secrets:
        assert secret.lower() not in out.lower(), (secret, out)


def test_redaction_keeps_the_question() -> None:
    text = "How long do you keep my data in 2024, 30 days? See section 3.1"
    assert ib.redact(text) == text
    assert ib.redact("my name is Ann and I want to delete my data").endswith(
        "and I want to delete my data"
    )
    assert ib.redact("je m'appelle Paul et je veux supprimer mon compte").endswith(
        "et je veux supprimer mon compte"
    )


def test_redaction_of_generated_values_never_leaks() -> None:
    """Random addresses, phones, IBANs and names inside French and English sentences."""
    rng = random.Random(15)
    first = ["Zoé", "Amir", "Léa", "Jean-Paul", "Kwame", "Ingrid", "Siobhan", "Hugo"]
    last = ["Nguyen", "Okafor", "Lefèvre", "Smith", "Da Silva", "Kowalski"]
    frames = [
        "my name is {name} and my email is {email}, call {phone}",
        "Hello, I'm called {name}. My IBAN {iban}, phone {phone}",
        "je m'appelle {name}, mon adresse {email} et mon tel {phone}",
        "Mon nom est {name} ; IBAN : {iban} ; joignable au {phone}",
        "{email} here, my name's {name}",
    ]
    for _ in range(300):
        name = f"{rng.choice(first)} {rng.choice(last)}"
        user = re.sub(r"\W", "", name.lower()) or "x"
        email = f"{user}{rng.randrange(100)}@{rng.choice(['gmail.com', 'orange.fr', 'qz.io'])}"
        digits = "".join(str(rng.randrange(10)) for _ in range(8))
        phone = rng.choice([f"06 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}",
                            f"+44 7{digits}", f"0{digits}1"])  # fmt: skip
        bank = "".join(str(rng.randrange(10)) for _ in range(22))
        iban = rng.choice([f"FR{bank[:2]} {bank[2:6]} {bank[6:10]} {bank[10:14]} {bank[14:]}",
                           f"DE{bank[:20]}"])  # fmt: skip
        text = rng.choice(frames).format(name=name, email=email, phone=phone, iban=iban)
        out = ib.redact(text)
        for secret in (*name.split(), email, user, digits[:5], bank[2:7]):
            assert secret.lower() not in out.lower(), (secret, text, out)
        assert not re.search(r"\d{5}", out), out


def test_redacted_text_is_cut_after_redacting() -> None:
    long = "why " * 100 + "write to a.very.long.address@example.org"
    out = ib.redact(long)
    assert len(out) <= ib.MAX_CHARS + 2 and "example" not in out
    # An address at the cut is redacted first, never cut in half and kept.
    edge = "x" * (ib.MAX_CHARS - 10) + " ann.lee@example.org"
    assert "ann" not in ib.redact(edge)


def test_question_view_keeps_candidates_and_round_trips() -> None:
    text = clarifying(knowledge())
    u = knowledge().matcher.understand(text)
    assert u.kind is ReplyKind.CLARIFY
    q = ib.question_of(text, u, NOW, ("section:2", "section:3.1"))
    assert q.guesses and all(0 < g.score <= 1 for g in q.guesses)
    assert ib.Question.from_json(q.to_json()) == q
    assert q.unresolved_by("lang:fr") and q.unresolved_by(None)
    assert not q.unresolved_by("section:2")
    u = knowledge().matcher.understand("what is the weather in Paris")
    fallback = ib.question_of("what is the weather in Paris", u, NOW)
    assert fallback.guesses[0].intent == "oos_weather"  # what decided it comes first


def test_grouping_puts_wordings_together_most_frequent_first() -> None:
    matcher = knowledge().matcher
    day = date(2026, 3, 2)

    def entry(text: str, lang: Language = Language.EN) -> ib.Entry:
        u = matcher.understand(text, forced_language=lang)
        return ib.question_of(text, u, NOW).entry(ib.Outcome.FALLBACK)

    texts = [
        "do you share my data with the police",
        "do you share my data with police?",
        "Do you share my data with the police",
        "vous partagez mes données avec la police ?",
        "what is the weather in Paris",
    ]
    entries = [entry(t, Language.FR if "vous" in t else Language.EN) for t in texts]
    assert all(e.day == day for e in entries)
    groups = ib.group(entries, matcher.terms)
    assert [g.count for g in groups] == [4, 1]
    police = groups[0]
    assert dict(police.languages) == {Language.EN: 3, Language.FR: 1}
    assert police.examples[0].text.lower().startswith("do you share my data with the police")
    assert len({e.text.lower() for e in police.examples}) == len(police.examples)
    assert police.guesses and police.guesses[0].score > 0
    assert ib.find_group(groups, "1") is police and ib.find_group(groups, police.id) is police
    assert ib.find_group(groups, "9") is None
    teach = police.teachable()
    assert set(teach) == {Language.EN, Language.FR} and len(teach[Language.EN]) == 2
