"""Everything the request flows say, in French and English (one place to review wording)."""

from __future__ import annotations

from datetime import date

from privbot.core.model import Jurisdiction, Language, RequestType

FR, EN = Language.FR, Language.EN

_MONTHS = {
    FR: (
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre",
    ),
    EN: (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ),
}  # fmt: skip


def format_date(day: date, language: Language) -> str:
    """'12 mars 2026' / 'March 12, 2026'."""
    month = _MONTHS[language][day.month - 1]
    if language is FR:
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{month} {day.day}, {day.year}"


RIGHT_NAMES: dict[Language, dict[RequestType, str]] = {
    FR: {
        RequestType.ACCESS: "Accéder à mes données",
        RequestType.RECTIFICATION: "Rectifier mes données",
        RequestType.ERASURE: "Supprimer mes données",
        RequestType.PORTABILITY: "Recevoir mes données (portabilité)",
        RequestType.OBJECTION: "M'opposer à un traitement",
        RequestType.RESTRICTION: "Limiter un traitement",
        RequestType.WITHDRAW_CONSENT: "Retirer mon consentement",
        RequestType.OPT_OUT_SALE: "Refuser la vente de mes données",
    },
    EN: {
        RequestType.ACCESS: "Access my data",
        RequestType.RECTIFICATION: "Correct my data",
        RequestType.ERASURE: "Delete my data",
        RequestType.PORTABILITY: "Get my data (portability)",
        RequestType.OBJECTION: "Object to a processing",
        RequestType.RESTRICTION: "Restrict a processing",
        RequestType.WITHDRAW_CONSENT: "Withdraw my consent",
        RequestType.OPT_OUT_SALE: "Opt out of the sale of my data",
    },
}

# The policy's own sentence (section 12), quoted in the opt-out flow.
NO_SALE_QUOTE = {
    FR: "nous ne vendons pas d'informations personnelles",
    EN: "we do not sell personal information",
}

EXPLANATIONS: dict[Language, dict[RequestType, str]] = {
    FR: {
        RequestType.ACCESS: "Le droit d'accès vous permet d'obtenir une copie des informations "
        "personnelles que nous détenons sur vous (section 6 de la politique).",
        RequestType.RECTIFICATION: "Le droit de rectification vous permet de faire corriger des "
        "informations inexactes ou incomplètes vous concernant (section 6 de la politique).",
        RequestType.ERASURE: "Le droit à l'effacement vous permet de demander la suppression de "
        "vos informations personnelles (sections 6 et 12 de la politique).",
        RequestType.PORTABILITY: "Le droit à la portabilité vous permet de recevoir vos données "
        "dans un format structuré et lisible par machine (section 6 de la politique).",
        RequestType.OBJECTION: "Le droit d'opposition vous permet de vous opposer à certains "
        "traitements de vos informations (section 6 de la politique).",
        RequestType.RESTRICTION: "Le droit à la limitation vous permet de faire geler le "
        "traitement de vos données dans certaines circonstances (section 6 de la politique).",
        RequestType.WITHDRAW_CONSENT: "Lorsqu'un traitement repose sur votre consentement, vous "
        "pouvez le retirer à tout moment (section 6 de la politique).",
        RequestType.OPT_OUT_SALE: "Les résidents de Californie peuvent refuser la vente de leurs "
        "informations personnelles (section 12 de la politique). La politique l'indique : "
        f"« {NO_SALE_QUOTE[FR]} » ; nous enregistrons tout de même votre refus.",
    },
    EN: {
        RequestType.ACCESS: "The right of access lets you get a copy of the personal "
        "information we hold about you (policy section 6).",
        RequestType.RECTIFICATION: "The right to rectification lets you have inaccurate or "
        "incomplete information about you corrected (policy section 6).",
        RequestType.ERASURE: "The right to erasure lets you ask us to delete your personal "
        "information (policy sections 6 and 12).",
        RequestType.PORTABILITY: "The right to data portability lets you receive your data in a "
        "structured, machine-readable format (policy section 6).",
        RequestType.OBJECTION: "The right to object lets you oppose some uses of your "
        "information (policy section 6).",
        RequestType.RESTRICTION: "The right to restriction lets you have the processing of your "
        "data put on hold in some circumstances (policy section 6).",
        RequestType.WITHDRAW_CONSENT: "Where processing relies on your consent, you can withdraw "
        "it at any time (policy section 6).",
        RequestType.OPT_OUT_SALE: "California residents may opt out of the sale of their "
        "personal information (policy section 12). The policy says: "
        f"“{NO_SALE_QUOTE[EN]}”; we record your opt-out all the same.",
    },
}

# Option labels, per option group and id.
LABELS: dict[Language, dict[str, dict[str, str]]] = {
    FR: {
        "jurisdiction": {
            Jurisdiction.EU: "UE / EEE", Jurisdiction.UK: "Royaume-Uni",
            Jurisdiction.CALIFORNIA: "Californie", Jurisdiction.QUEBEC: "Québec",
            Jurisdiction.OTHER: "Ailleurs",
        },
        "format_access": {"pdf": "PDF (lisible)", "json": "JSON (pour machine)"},
        "format_portability": {"json": "JSON", "csv": "CSV"},
        "processing": {
            "analytics": "Analyse d'utilisation", "personalisation": "Personnalisation",
            "marketing": "Marketing", "other": "Autre",
        },
        "ground": {
            "accuracy": "J'en conteste l'exactitude",
            "unlawful": "Le traitement est illicite",
            "legal_claim": "Plus nécessaire, mais à garder pour une action en justice",
            "objection_pending": "Mon opposition est en cours d'examen",
        },
        "close_account": {"yes": "Oui, supprimer et fermer le compte", "no": "Non"},
        "consent": {
            "location": "Localisation", "marketing_emails": "E-mails marketing",
            "analytics_cookies": "Cookies d'analyse", "other": "Autre",
        },
        "flow": {
            "cancel": "Annuler", "resend": "Renvoyer le code", "confirm": "Confirmer",
            "edit": "Modifier", "back": "Retour au récapitulatif", "email": "Adresse e-mail",
        },
    },
    EN: {
        "jurisdiction": {
            Jurisdiction.EU: "EU / EEA", Jurisdiction.UK: "United Kingdom",
            Jurisdiction.CALIFORNIA: "California", Jurisdiction.QUEBEC: "Quebec",
            Jurisdiction.OTHER: "Elsewhere",
        },
        "format_access": {"pdf": "PDF (readable)", "json": "JSON (machine-readable)"},
        "format_portability": {"json": "JSON", "csv": "CSV"},
        "processing": {
            "analytics": "Usage analytics", "personalisation": "Personalisation",
            "marketing": "Marketing", "other": "Other",
        },
        "ground": {
            "accuracy": "I contest its accuracy",
            "unlawful": "The processing is unlawful",
            "legal_claim": "No longer needed, but keep it for a legal claim",
            "objection_pending": "My objection is being considered",
        },
        "close_account": {"yes": "Yes, delete and close my account", "no": "No"},
        "consent": {
            "location": "Location", "marketing_emails": "Marketing e-mails",
            "analytics_cookies": "Analytics cookies", "other": "Other",
        },
        "flow": {
            "cancel": "Cancel", "resend": "Resend the code", "confirm": "Confirm",
            "edit": "Edit", "back": "Back to the summary", "email": "E-mail address",
        },
    },
}  # fmt: skip

MESSAGES: dict[Language, dict[str, str]] = {
    FR: {
        "ask_jurisdiction": "Où résidez-vous ? Cela fixe le délai légal de réponse.",
        "ask_format_access": "Sous quel format voulez-vous recevoir vos données ?",
        "ask_format_portability": "Sous quel format voulez-vous recevoir vos données ?",
        "ask_wrong": "Quelle information est inexacte ?",
        "ask_correct": "Quelle est la valeur correcte ?",
        "ask_processing": "À quel traitement vous opposez-vous ?",
        "ask_processing_other": "Décrivez le traitement en quelques mots.",
        "ask_ground": "Pour quel motif demandez-vous la limitation ?",
        "ask_close_account": "La suppression de vos données ferme aussi votre compte. "
        "Voulez-vous continuer ?",
        "ask_consent": "Quel consentement voulez-vous retirer ?",
        "ask_consent_other": "Précisez le consentement en quelques mots.",
        "ask_email": "Quelle est l'adresse e-mail de votre compte ? Nous y enverrons un code "
        "pour vérifier votre identité.",
        "bad_email": "Cela ne ressemble pas à une adresse e-mail (exemple : nom@exemple.fr). "
        "Pouvez-vous la saisir à nouveau ?",
        "code_sent": "Si cette adresse est valide, un code à 6 chiffres vient d'y être envoyé. "
        "Il est valable 10 minutes : saisissez-le ici.",
        "code_failed": "L'envoi de l'e-mail a échoué. Réessayez dans un instant avec le "
        "bouton « Renvoyer le code ».",
        "code_wait": "Un code vient d'être envoyé : attendez {seconds} s avant d'en demander "
        "un nouveau.",
        "ask_code": "Saisissez le code à 6 chiffres reçu par e-mail.",
        "code_wrong": "Ce code n'est pas le bon. Il vous reste {left} essai(s).",
        "code_expired": "Ce code a expiré. Demandez-en un nouveau.",
        "code_exhausted": "Trop d'essais : ce code n'est plus valable. Demandez-en un nouveau.",
        "code_none": "Aucun code valable en attente. Demandez-en un nouveau.",
        "code_ok": "Adresse vérifiée.",
        "choose": "Choisissez l'une de ces options (bouton, numéro ou texte) :",
        "summary": "Récapitulatif de votre demande :",
        "summary_end": "Tout est correct ?",
        "no_verification": "aucune vérification d'identité requise (CCPA §7026)",
        "verified": "vérifiée",
        "what_edit": "Que voulez-vous modifier ?",
        "submitted": "Votre demande est enregistrée sous la référence {reference}. Nous vous "
        "répondrons au plus tard le {due}.",
        "next_steps": "Notre équipe de protection des données va la traiter ; vous recevrez un "
        "message ici à chaque étape. Tapez /status pour suivre vos demandes.",
        "duplicate": "Vous avez déjà une demande du même type en cours : {reference} "
        "(réponse au plus tard le {due}). Nous n'en ouvrons pas une seconde.",
        "cancelled": "Demande annulée : elle n'a pas été envoyée et ce que vous aviez saisi "
        "({what}) a été effacé.",
        "cancelled_nothing": "Demande annulée ; rien n'a été enregistré.",
        "erasure_declined": "D'accord, nous n'envoyons pas de demande de suppression : elle ne "
        "peut pas laisser le compte ouvert. Vous pouvez plutôt vous opposer à un traitement "
        "ou en demander la limitation (/request).",
        "expired_button": "Ce bouton a expiré. Voici les options actuelles :",
        "empty": "Votre message est vide. Écrivez votre question ou votre réponse.",
        "too_long": "Votre message est trop long ({length} caractères, 2000 au plus). "
        "Pouvez-vous le raccourcir ?",
        "what_jurisdiction": "lieu de résidence",
        "what_details": "détails",
        "what_email": "adresse e-mail",
        "label_type": "Type",
        "label_jurisdiction": "Résidence",
        "label_email": "E-mail",
        "label_format": "Format",
        "label_wrong": "Information inexacte",
        "label_correct": "Valeur correcte",
        "label_processing": "Traitement",
        "label_ground": "Motif",
        "label_close_account": "Fermeture du compte",
        "label_consent": "Consentement",
    },
    EN: {
        "ask_jurisdiction": "Where do you live? It sets the legal deadline for our answer.",
        "ask_format_access": "In which format would you like your data?",
        "ask_format_portability": "In which format would you like your data?",
        "ask_wrong": "Which information is wrong?",
        "ask_correct": "What is the correct value?",
        "ask_processing": "Which processing do you object to?",
        "ask_processing_other": "Describe the processing in a few words.",
        "ask_ground": "On which ground do you ask for restriction?",
        "ask_close_account": "Deleting your data also closes your account. Do you want to go on?",
        "ask_consent": "Which consent do you want to withdraw?",
        "ask_consent_other": "Describe the consent in a few words.",
        "ask_email": "What is your account's e-mail address? We will send a code there to "
        "verify your identity.",
        "bad_email": "That does not look like an e-mail address (for example name@example.com). "
        "Could you type it again?",
        "code_sent": "If this address is valid, a 6-digit code has just been sent to it. It is "
        "valid for 10 minutes: type it here.",
        "code_failed": "The e-mail could not be sent. Try again in a moment with the "
        "“Resend the code” button.",
        "code_wait": "A code was just sent: wait {seconds} s before asking for a new one.",
        "ask_code": "Type the 6-digit code you received by e-mail.",
        "code_wrong": "That code is not right. {left} attempt(s) left.",
        "code_expired": "This code has expired. Ask for a new one.",
        "code_exhausted": "Too many attempts: this code is void. Ask for a new one.",
        "code_none": "No valid code is pending. Ask for a new one.",
        "code_ok": "Address verified.",
        "choose": "Please pick one of these options (button, number or text):",
        "summary": "Summary of your request:",
        "summary_end": "Is everything right?",
        "no_verification": "no identity verification needed (CCPA §7026)",
        "verified": "verified",
        "what_edit": "What would you like to change?",
        "submitted": "Your request is registered as {reference}. We will answer by {due} at "
        "the latest.",
        "next_steps": "Our privacy team will now handle it; you will get a message here at "
        "each step. Type /status to follow your requests.",
        "duplicate": "You already have an open request of this type: {reference} (answer due "
        "by {due}). We are not opening a second one.",
        "cancelled": "Request cancelled: it was not sent, and what you had entered ({what}) "
        "has been discarded.",
        "cancelled_nothing": "Request cancelled; nothing was recorded.",
        "erasure_declined": "All right, no erasure request is sent: erasure cannot keep the "
        "account open. You could object to a processing or ask to restrict it instead "
        "(/request).",
        "expired_button": "This button has expired. Here are the current options:",
        "empty": "Your message is empty. Type your question or your answer.",
        "too_long": "Your message is too long ({length} characters, 2000 at most). Could you "
        "shorten it?",
        "what_jurisdiction": "place of residence",
        "what_details": "details",
        "what_email": "e-mail address",
        "label_type": "Type",
        "label_jurisdiction": "Residence",
        "label_email": "E-mail",
        "label_format": "Format",
        "label_wrong": "Wrong information",
        "label_correct": "Correct value",
        "label_processing": "Processing",
        "label_ground": "Ground",
        "label_close_account": "Account closure",
        "label_consent": "Consent",
    },
}


def msg(language: Language, key: str, **values: object) -> str:
    """One message in `language`, with its `{placeholders}` filled."""
    return MESSAGES[language][key].format(**values)


def label(language: Language, group: str, option_id: str) -> str:
    return LABELS[language][group][option_id]
