"""Telegram adapter pieces without a server: button signing and rendering."""

from __future__ import annotations

from privbot.adapters.telegram.callbacks import MAX_CALLBACK_DATA, CallbackSigner, SecretValueStore
from privbot.adapters.telegram.render import render
from privbot.core.model import Option, Reply

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
