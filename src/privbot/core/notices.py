"""What the engine says outside the flows (commands, status) and to users about their requests
(staff actions, the verification e-mail), in French and English."""

from __future__ import annotations

from datetime import date

from privbot.core.flow_texts import LABELS, RIGHT_NAMES, format_date
from privbot.core.model import Jurisdiction, Language, RequestType
from privbot.core.requests import RequestStatus

FR, EN = Language.FR, Language.EN

STATUS_NAMES: dict[Language, dict[RequestStatus, str]] = {
    FR: {
        RequestStatus.RECEIVED: "reçue", RequestStatus.VERIFIED: "vérifiée",
        RequestStatus.ACKNOWLEDGED: "accusé de réception envoyé",
        RequestStatus.IN_PROGRESS: "en cours de traitement", RequestStatus.COMPLETED: "traitée",
        RequestStatus.DENIED: "refusée", RequestStatus.CANCELLED: "annulée",
    },
    EN: {
        RequestStatus.RECEIVED: "received", RequestStatus.VERIFIED: "verified",
        RequestStatus.ACKNOWLEDGED: "acknowledged", RequestStatus.IN_PROGRESS: "in progress",
        RequestStatus.COMPLETED: "completed", RequestStatus.DENIED: "denied",
        RequestStatus.CANCELLED: "cancelled",
    },
}  # fmt: skip

TEXTS: dict[Language, dict[str, str]] = {
    FR: {
        "start": "Bonjour ! Je suis l'assistant vie privée de QAZAR CLOUD TECHNOLOGIES. Posez-moi "
        "vos questions sur notre politique de confidentialité, ou exercez vos droits sur vos "
        "données (accès, rectification, suppression...).",
        "help": "Commandes : /request exercer un droit · /status suivre vos demandes · /cancel "
        "abandonner la demande en cours · /language fr|en changer de langue · /privacy ce que "
        "je détiens sur vous. Vous pouvez aussi écrire votre question librement.",
        "pick_right": "Quel droit voulez-vous exercer ?",
        "pick_language": "Choisissez votre langue :",
        "language_set": "C'est noté : je vous répondrai en français.",
        "no_requests": "Vous n'avez aucune demande.",
        "status_head": "Vos demandes :",
        "status_line": "{reference} · {right} · {status} · réponse au plus tard le {due}",
        "status_closed": "{reference} · {right} · {status}",
        "cancel_request_offer": "Pour annuler une demande envoyée, choisissez-la :",
        "nothing_to_cancel": "Il n'y a rien en cours à annuler.",
        "request_cancelled": "Votre demande {reference} est annulée.",
        "cannot_cancel": "La demande {reference} ne peut plus être annulée ({status}).",
        "expired_button": "Ce bouton a expiré. Tapez /request pour recommencer ou posez votre "
        "question.",
        "privacy": "Ce que je détiens sur vous : votre langue ({held_language}), votre lieu de "
        "résidence ({jurisdiction}), {flow} et {count} demande(s) d'exercice de droits. Je "
        "ne garde pas vos messages. Les codes de vérification ne sont conservés que sous "
        "forme hachée et ne valent que 10 minutes.",
        "privacy_export": "Exporter mes données (JSON)",
        "privacy_erase": "Effacer mes données",
        "privacy_export_head": "Voici tout ce que je détiens sur vous, au format JSON :",
        "privacy_erase_ask": "J'effacerai votre profil (langue, lieu de résidence), la demande "
        "en cours de saisie et tout code de vérification.\n\n{kept}\n\nConfirmez-vous "
        "l'effacement ?",
        "privacy_erase_yes": "Oui, effacer",
        "privacy_erase_no": "Non, ne rien effacer",
        "privacy_erased": "C'est fait : votre profil (langue, lieu de résidence), la demande en "
        "cours de saisie et les codes de vérification sont effacés.\n\n{kept}\n\nSi vous "
        "m'écrivez de nouveau, je retiendrai la langue de vos messages pour vous répondre.",
        "privacy_not_erased": "Entendu, rien n'a été effacé.",
        "privacy_kept_none": "Vous n'avez fait aucune demande d'exercice de droits : je ne "
        "conserve rien d'autre.",
        "privacy_kept": "Ce que je dois conserver : vos demandes d'exercice de droits, comme "
        "trace de chaque demande (avec l'adresse e-mail vérifiée et les détails donnés). Une "
        "demande en cours est conservée jusqu'à sa clôture, une demande clôturée pendant "
        "{months} mois, puis elle est supprimée.",
        "privacy_kept_open": "{reference} : en cours, conservée jusqu'à sa clôture",
        "privacy_kept_closed": "{reference} : clôturée, conservée jusqu'au {until}",
        "privacy_flow": "une demande en cours de saisie",
        "privacy_no_flow": "aucune demande en cours de saisie",
        "unknown": "non renseigné",
        "mail_subject": "Votre code de vérification",
        "mail_body": "Bonjour,\n\nVotre code de vérification pour votre demande relative à vos "
        "données personnelles est : {code}\n\nIl est valable 10 minutes. Si vous n'êtes pas à "
        "l'origine de cette demande, ignorez ce message.\n\nQAZAR CLOUD TECHNOLOGIES",
        "n_acknowledged": "Nous avons bien reçu votre demande {reference} ({right}). Nous vous "
        "répondrons au plus tard le {due}.",
        "n_assigned": "Votre demande {reference} est en cours de traitement.",
        "n_extended": "Le délai de traitement de votre demande {reference} est prolongé jusqu'au "
        "{due}. Motif : {reason}",
        "n_completed": "Votre demande {reference} ({right}) a été traitée.",
        "n_note": "Message de notre équipe : {note}",
        "n_denied": "Votre demande {reference} ({right}) a été refusée. Motif : {reason}",
        "n_complain": "Vous pouvez introduire une réclamation auprès d'une autorité de "
        "protection des données (en France, la CNIL) et former un recours juridictionnel.",
        "n_cancelled": "Votre demande {reference} est annulée.",
    },
    EN: {
        "start": "Hello! I am the privacy assistant of QAZAR CLOUD TECHNOLOGIES. Ask me about "
        "our privacy policy, or exercise your rights over your data (access, correction, "
        "deletion...).",
        "help": "Commands: /request exercise a right · /status follow your requests · /cancel "
        "leave the request in progress · /language fr|en change language · /privacy what I "
        "hold about you. You can also just type your question.",
        "pick_right": "Which right would you like to exercise?",
        "pick_language": "Choose your language:",
        "language_set": "Noted: I will answer in English.",
        "no_requests": "You have no requests.",
        "status_head": "Your requests:",
        "status_line": "{reference} · {right} · {status} · answer due by {due}",
        "status_closed": "{reference} · {right} · {status}",
        "cancel_request_offer": "To cancel a submitted request, pick it:",
        "nothing_to_cancel": "There is nothing in progress to cancel.",
        "request_cancelled": "Your request {reference} is cancelled.",
        "cannot_cancel": "Request {reference} can no longer be cancelled ({status}).",
        "expired_button": "This button has expired. Type /request to start again or ask your "
        "question.",
        "privacy": "What I hold about you: your language ({held_language}), where you live "
        "({jurisdiction}), {flow} and {count} rights request(s). I do not keep your messages. "
        "Verification codes are only stored hashed and are valid for 10 minutes.",
        "privacy_export": "Export my data (JSON)",
        "privacy_erase": "Erase my data",
        "privacy_export_head": "Here is everything I hold about you, as JSON:",
        "privacy_erase_ask": "I will erase your profile (language, where you live), the "
        "request being filled in and any verification code.\n\n{kept}\n\nDo you confirm?",
        "privacy_erase_yes": "Yes, erase",
        "privacy_erase_no": "No, erase nothing",
        "privacy_erased": "Done: your profile (language, where you live), the request being "
        "filled in and the verification codes are erased.\n\n{kept}\n\nIf you write to me "
        "again, I will remember the language of your messages to answer you.",
        "privacy_not_erased": "All right, nothing was erased.",
        "privacy_kept_none": "You have made no rights requests: I keep nothing else.",
        "privacy_kept": "What I must keep: your rights requests, as the record of each request "
        "(with the verified e-mail address and the details you gave). A request in progress "
        "is kept until it is closed, a closed request for {months} months, then it is deleted.",
        "privacy_kept_open": "{reference}: in progress, kept until it is closed",
        "privacy_kept_closed": "{reference}: closed, kept until {until}",
        "privacy_flow": "a request being filled in",
        "privacy_no_flow": "no request being filled in",
        "unknown": "not set",
        "mail_subject": "Your verification code",
        "mail_body": "Hello,\n\nYour verification code for your personal data request is: "
        "{code}\n\nIt is valid for 10 minutes. If you did not make this request, ignore this "
        "message.\n\nQAZAR CLOUD TECHNOLOGIES",
        "n_acknowledged": "We have received your request {reference} ({right}). We will answer "
        "by {due} at the latest.",
        "n_assigned": "Your request {reference} is being handled.",
        "n_extended": "The deadline for your request {reference} is extended to {due}. "
        "Reason: {reason}",
        "n_completed": "Your request {reference} ({right}) has been completed.",
        "n_note": "Message from our team: {note}",
        "n_denied": "Your request {reference} ({right}) has been denied. Reason: {reason}",
        "n_complain": "You have the right to lodge a complaint with a data protection "
        "supervisory authority and to seek a judicial remedy.",
        "n_cancelled": "Your request {reference} is cancelled.",
    },
}

# Where the GDPR (or its UK copy) applies, a denial must mention the right to complain.
COMPLAINT_JURISDICTIONS = frozenset({Jurisdiction.EU, Jurisdiction.UK, Jurisdiction.OTHER})


def text(language: Language, key: str, **values: object) -> str:
    return TEXTS[language][key].format(**values)


def right_name(language: Language, request_type: RequestType) -> str:
    return RIGHT_NAMES[language][request_type]


def due_text(day: date, language: Language) -> str:
    return format_date(day, language)


def jurisdiction_name(language: Language, jurisdiction: Jurisdiction) -> str:
    return LABELS[language]["jurisdiction"][jurisdiction]
