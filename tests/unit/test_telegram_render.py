"""Telegram adapter pieces without a server: button signing and rendering."""

from __future__ import annotations

from pathlib import Path

from fakes.telegram_server import parse_html

from privbot.adapters.telegram.callbacks import (
    MAX_CALLBACK_DATA,
    MAX_INLINE_VALUE,
    CallbackSigner,
    SecretValueStore,
)
from privbot.adapters.telegram.render import TELEGRAM_LIMIT, chosen, plain, render
from privbot.content.intents import load_intents
from privbot.core import choices as ch
from privbot.core.model import AnswerParts, Attachment, IntentKind, Option, Reply
from privbot.services.conversation import _answer_token

SECRET = b"0123456789abcdef0123456789abcdef"


class SecretTable:
    """The repository's first-writer-wins `secret(name, make)` table, in memory."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def secret(self, name: str, make: str) -> str:
        return self.values.setdefault(name, make)


def test_signed_values_round_trip_for_their_user_only() -> None:
    s = CallbackSigner(SECRET)
    data = s.pack(42, "request:erasure")
    assert len(data.encode()) <= MAX_CALLBACK_DATA
    assert s.unpack(42, data) == "request:erasure"
    assert s.unpack(43, data) is None  # another user's button
    assert s.unpack(42, data.replace("erasure", "access")) is None  # tampered value
    assert s.unpack(42, "request:erasure") is None  # unsigned
    assert CallbackSigner(b"x" * 32).unpack(42, data) is None  # another server's key


def test_long_values_go_through_the_store() -> None:
    store = SecretValueStore(SecretTable())
    s = CallbackSigner(SECRET, store)
    value = "intent:" + "a_very_long_intent_identifier_" * 3
    data = s.pack(7, value)
    assert len(data.encode()) <= MAX_CALLBACK_DATA
    assert s.unpack(7, data) == value
    assert (
        CallbackSigner(SECRET, SecretValueStore(SecretTable())).unpack(7, data) is None
    )  # unknown id


def test_render_escapes_splits_and_puts_buttons_under_the_last_part() -> None:
    text = "\n\n".join("<p> & " * 200 for _ in range(6))
    messages = render([Reply(text, (Option("Oui", "a"), Option("Non", "b")))], lambda v: v)
    assert len(messages) > 1
    assert all(len(m.html) <= 4096 for m in messages)
    assert all("<p>" not in m.html for m in messages)
    assert all(m.keyboard is None for m in messages[:-1])
    last = messages[-1].keyboard
    assert last is not None
    assert [[b.text for b in row] for row in last.inline_keyboard] == [["Oui", "Non"]]


# --- one message per turn, formatted ---------------------------------------------------------
SECTION = AnswerParts(
    section_id="12",
    section_title="Vente des données",
    short="Non : nous ne vendons pas vos données.",
    quote="Nous ne vendons pas d'informations personnelles.",
    intent="sale_of_data",
)
ANSWER_TEXT = (
    "Non : nous ne vendons pas vos données.\n\n"
    "« Nous ne vendons pas d'informations personnelles. » (section 12)\n\n\n\n"
    "12. Vente des données   \n"
    "Nous partageons :\n- avec nos prestataires\n* avec <nos> partenaires & co"
)


def telegram_accepts(message_html: str) -> str:
    """The text Telegram shows for `message_html`, or an AssertionError (bad HTML)."""
    text, _ = parse_html(message_html)
    assert len(text) <= TELEGRAM_LIMIT
    return text


def test_a_turn_is_one_message_with_every_option_under_it() -> None:
    replies = [
        Reply("Première réponse", (Option("A", "section:1"),)),
        Reply("Deuxième", (Option("B", "section:2"), Option("A", "section:1"))),
    ]
    (message,) = render(replies, lambda v: v)
    assert message.html == "Première réponse\n\nDeuxième"
    assert message.keyboard is not None
    assert [[b.text for b in row] for row in message.keyboard.inline_keyboard] == [["A", "B"]]


def test_a_policy_answer_is_formatted_and_escaped() -> None:
    votes = (Option("👍 Utile", "fb:t0k3n:y:12:sale_of_data"), Option("👎", "fb:t0k3n:n:12:"))
    reply = Reply(ANSWER_TEXT, (Option("Lire toute la section", "section:12"), *votes), SECTION)
    (message,) = render([reply], lambda v: v)
    assert message.html == (
        "Non : nous ne vendons pas vos données.\n\n"
        "<blockquote>« Nous ne vendons pas d'informations personnelles. » (section 12)"
        "</blockquote>\n\n"
        "<b>12. Vente des données</b>\n"
        "Nous partageons :\n• avec nos prestataires\n• avec &lt;nos&gt; partenaires &amp; co"
    )
    shown = telegram_accepts(message.html)
    assert "\n\n\n" not in shown and "<nos> partenaires & co" in shown
    assert message.keyboard is not None
    rows = [[b.text for b in row] for row in message.keyboard.inline_keyboard]
    assert rows == [["Lire toute la section"], ["👍 Utile", "👎"]]  # the votes on their own row


def test_a_quote_under_its_heading() -> None:
    text = (
        "Non : nous ne vendons pas vos données.\n\n"
        "12. Vente des données :\n« Nous ne vendons pas d'informations personnelles. »"
    )
    (message,) = render([Reply(text, answer=SECTION)], lambda v: v)
    assert message.html == (
        "Non : nous ne vendons pas vos données.\n\n<b>12. Vente des données :</b>\n"
        "<blockquote>« Nous ne vendons pas d'informations personnelles. »</blockquote>"
    )
    telegram_accepts(message.html)


def test_a_whole_section_shows_its_subsection_headings_in_bold() -> None:
    parts = AnswerParts("1", "Information We Collect", "", "", full=True)
    text = (
        "Section 1. Information We Collect\n\n\n\nSection 1.1. Personal Information\n\n"
        "We may collect, under section 1.2:\n- Name\n\nPrivacy policy, last updated 1.1.2025."
    )
    (message,) = render([Reply(text, answer=parts)], lambda v: v)
    assert message.html == (
        "<b>Section 1. Information We Collect</b>\n\n<b>Section 1.1. Personal Information</b>"
        "\n\nWe may collect, under section 1.2:\n• Name\n\nPrivacy policy, last updated 1.1.2025."
    )


def test_a_quote_inside_a_sentence_is_in_italics() -> None:
    text = "La politique dit : Nous ne vendons pas d'informations personnelles. " + "x " * 40
    (message,) = render([Reply(text, answer=SECTION)], lambda v: v)
    assert "<i>Nous ne vendons pas d'informations personnelles.</i>" in message.html
    telegram_accepts(message.html)


def test_a_long_turn_splits_between_paragraphs_never_inside_a_tag_or_entity() -> None:
    quote = " ".join(["Nous ne vendons pas <vos> données & celles d'autrui."] * 120)
    parts = AnswerParts("12", "Vente des données", "", quote)
    paragraphs = ["12. Vente des données", quote, *(["a & b < c " * 150] * 4)]
    messages = render([Reply("\n\n".join(paragraphs), answer=parts)], lambda v: v)
    assert len(messages) > 2
    shown = [telegram_accepts(m.html) for m in messages]
    assert all(len(m.html) <= TELEGRAM_LIMIT for m in messages)
    assert messages[0].html.startswith("<b>12. Vente des données</b>\n\n<blockquote>")
    assert sum(m.html.count("<blockquote>") for m in messages) >= 2  # the quote, cut, stays one
    assert "".join(shown).count("<vos>") == 120


def test_the_export_is_a_document_captioned_with_its_text() -> None:
    file = Attachment("privbot-export-2026-12-01.json", '{"a": 1}\n')
    (doc,) = render([Reply("Voici <tout> :", attachment=file)], lambda v: v)
    assert doc.document == file and doc.html == "Voici &lt;tout&gt; :"


def test_the_chosen_option_is_written_under_the_message() -> None:
    assert (
        chosen("<b>Où résidez-vous ?</b>", "UE & co") == "<b>Où résidez-vous ?</b>\n\n✓ UE &amp; co"
    )
    assert chosen("x" * 4090, "Union européenne") is None  # no room: only the keyboard goes
    assert plain("<b>a</b> &lt;b&gt; &amp;") == "a <b> &"


def test_every_shipped_answer_s_votes_fit_in_callback_data_without_the_database() -> None:
    """A 👍 / 👎 value longer than callback_data allows would cost a database write per
    answer (the signer's value store): the shipped intent ids keep them inline."""

    intents = load_intents(Path(__file__).resolve().parents[2] / "intents", None).intents
    answers = [i for i in intents if i.kind is IntentKind.ANSWER and i.section]
    assert answers
    for i in answers:
        value = ch.feedback(_answer_token(), False, i.section or "", i.id)
        assert len(value.encode()) <= MAX_INLINE_VALUE, i.id
