"""The fixed sentences of answers, in each language."""

from __future__ import annotations

from datetime import date

from privbot.core.model import Language, RequestType

_MONTHS = {
    Language.FR: "janvier février mars avril mai juin juillet août septembre octobre novembre "
    "décembre".split(),
    Language.EN: "January February March April May June July August September October "
    "November December".split(),
}


def format_date(day: date, language: Language) -> str:
    """'4 janvier 2025' / 'January 4, 2025'."""
    month = _MONTHS[language][day.month - 1]
    if language is Language.FR:
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{month} {day.day}, {day.year}"


SECTION_LABEL = {Language.FR: "Section", Language.EN: "Section"}
INTRO_LABEL = {Language.FR: "Introduction", Language.EN: "Introduction"}
LAST_UPDATED = {
    Language.FR: "Politique de confidentialité, dernière mise à jour : {date}.",
    Language.EN: "Privacy policy, last updated: {date}.",
}
DID_YOU_MEAN = {
    Language.FR: "Je ne suis pas sûr d'avoir compris. Vouliez-vous dire :",
    Language.EN: "I'm not sure I understood. Did you mean:",
}
FALLBACK = {
    Language.FR: (
        "Je ne peux répondre qu'aux questions sur la politique de confidentialité et vous "
        "aider à exercer vos droits sur vos données (accès, suppression, rectification...). "
        "Pour toute autre question, écrivez à {email}{where}."
    ),
    Language.EN: (
        "I can only answer questions about the privacy policy and help you exercise your "
        "data rights (access, erasure, correction...). For anything else, please write to "
        "{email}{where}."
    ),
}
FALLBACK_WHERE = {
    Language.FR: " (section {id}, « {title} »)",
    Language.EN: ' (section {id}, "{title}")',
}
OFFER_REQUEST = {
    Language.FR: "Faire une demande : {right}",
    Language.EN: "Make a request: {right}",
}
OFFER_ANY_REQUEST = {
    Language.FR: "Exercer un de mes droits",
    Language.EN: "Exercise one of my rights",
}
REQUEST_START = {
    Language.FR: "Je peux vous aider à faire une demande : {right}.",
    Language.EN: "I can help you make a request: {right}.",
}

RIGHT_NAMES: dict[RequestType, dict[Language, str]] = {
    RequestType.ACCESS: {Language.FR: "accès à vos données", Language.EN: "access to your data"},
    RequestType.RECTIFICATION: {
        Language.FR: "rectification de vos données",
        Language.EN: "correction of your data",
    },
    RequestType.ERASURE: {
        Language.FR: "suppression de vos données",
        Language.EN: "erasure of your data",
    },
    RequestType.PORTABILITY: {
        Language.FR: "portabilité de vos données",
        Language.EN: "portability of your data",
    },
    RequestType.OBJECTION: {
        Language.FR: "opposition à un traitement",
        Language.EN: "objection to processing",
    },
    RequestType.RESTRICTION: {
        Language.FR: "limitation du traitement",
        Language.EN: "restriction of processing",
    },
    RequestType.WITHDRAW_CONSENT: {
        Language.FR: "retrait du consentement",
        Language.EN: "withdrawal of consent",
    },
    RequestType.OPT_OUT_SALE: {
        Language.FR: "refus de la vente de vos données",
        Language.EN: "opt-out of the sale of your data",
    },
}
