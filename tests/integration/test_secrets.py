"""The HMAC keys of verification codes and of Telegram buttons come from one derivation of
PRIVBOT_ENCRYPTION_KEY: a key rotation ("K1" -> "K2,K1" -> "K2") changes them once."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from privbot.bootstrap import build_app, build_knowledge, build_repository
from privbot.config import Settings, load_settings
from privbot.content.knowledge import Knowledge

ROOT = Path(__file__).resolve().parents[2]
TELEGRAM_USER = 1001


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return build_knowledge(
        Settings(intents_dir=ROOT / "intents", corpus_dir=ROOT / "policy_corpus")
    )


def test_key_rotation_changes_the_hmac_keys_once(tmp_path: Path, knowledge: Knowledge) -> None:
    k1, k2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    url = f"sqlite:///{tmp_path / 'privbot.sqlite3'}"

    def secrets(keys: str) -> tuple[bytes, str]:
        app = build_app(load_settings(database_url=url, encryption_key=keys), knowledge=knowledge)
        button = app.signer.pack(TELEGRAM_USER, "request:access")
        return app.conversation.code_secret, button

    before, during = secrets(k1), secrets(f"{k2},{k1}")
    # the documented rotation: re-encrypt with both keys set, then drop the old one
    build_repository(
        load_settings(database_url=url, encryption_key=f"{k2},{k1}")
    ).rotate_encryption()
    after = secrets(k2)
    assert during == after  # dropping the old key voids neither live codes nor live buttons
    assert during[0] != before[0] and during[1] != before[1]  # the new key signs from now on
