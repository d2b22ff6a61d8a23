"""The few things the Telegram adapter says on its own, in French and English.

Everything else the user reads comes from the engine.
"""

from __future__ import annotations

from privbot.core.model import Language

APOLOGY = {
    Language.FR: "Désolé, un problème technique m'empêche de répondre. Réessayez dans un instant.",
    Language.EN: "Sorry, a technical problem stopped me from answering. Please try again shortly.",
}
EXPIRED_SHORT = {
    Language.FR: "Ce bouton a expiré.",
    Language.EN: "This button has expired.",
}
GROUP_INVITE = {
    Language.FR: (
        "Pour exercer vos droits sur vos données, écrivez-moi en privé : "
        "une demande ne se traite jamais dans un groupe."
    ),
    Language.EN: (
        "To exercise your data rights, write to me in a private chat: "
        "a request is never handled in a group."
    ),
}
OPEN_PRIVATE = {
    Language.FR: "Continuer en privé",
    Language.EN: "Continue in private",
}

# (command, French description, English description), in menu order.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("start", "Présentation et ce que je sais faire", "Welcome and what I can do"),
    ("help", "Aide", "Help"),
    ("language", "Changer de langue (français / anglais)", "Switch language (French / English)"),
    ("request", "Exercer un droit sur vos données", "Exercise a right over your data"),
    ("status", "Suivre mes demandes", "Track my requests"),
    ("cancel", "Annuler l'étape en cours", "Cancel the current step"),
    ("privacy", "Ce que le bot sait de moi", "What the bot holds about me"),
)
# Commands that belong to a private chat (they open or show a rights request).
PRIVATE_ONLY = frozenset({"language", "request", "status", "cancel", "privacy"})


def language_of(code: str | None) -> Language | None:
    """Telegram's IETF `language_code` ("fr", "fr-CA", "en-GB") -> a bot language, or None."""
    if not code:
        return None
    prefix = code.split("-", 1)[0].lower()
    for lang in Language:
        if prefix == lang.value:
            return lang
    return None
