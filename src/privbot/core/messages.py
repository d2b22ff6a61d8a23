"""The keys of every message the code says, with the values each is given.

The texts themselves are content (`intents/messages.yaml`, loaded as a `core.catalogue`
`Catalogue`); the code names a text only through a `Key` of this module, so the set of keys
the code uses is known here and `privbot intents check` verifies that the catalogue has each
of them, in every language, using only the values the code gives it.

Fixed keys are the constants below; families (one text per request type, status, option...)
are built by the functions after them and listed whole by `required()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from privbot.core.commands import Command
from privbot.core.flows import FIELDS, Field
from privbot.core.model import Jurisdiction, RequestType
from privbot.core.requests import RequestStatus


@dataclass(frozen=True, slots=True)
class Key:
    """One message: its catalogue key and the names of the values the code fills in."""

    name: str
    values: frozenset[str] = frozenset()


_FIXED: dict[str, Key] = {}


def _key(name: str, *values: str) -> Key:
    if name in _FIXED:
        raise ValueError(f"message key {name!r} is declared twice")
    key = Key(name, frozenset(values))
    _FIXED[name] = key
    return key


# --- the conversation outside flows (commands, status, cancelling a sent request) ----------
START = _key("chat.start")
HELP = _key("chat.help")
PICK_RIGHT = _key("chat.pick_right")
PICK_LANGUAGE = _key("chat.pick_language")
LANGUAGE_NAME = _key("chat.language_name")  # a language's own name, in that language
LANGUAGE_SET = _key("chat.language_set")
NO_REQUESTS = _key("chat.no_requests")
STATUS_HEAD = _key("chat.status_head")
STATUS_OPEN = _key("chat.status_open", "reference", "right", "status", "due")
STATUS_CLOSED = _key("chat.status_closed", "reference", "right", "status")
STATUS_AT_ONCE = _key("chat.status_at_once", "reference", "right", "status", "since")
STATUS_NO_VERIFICATION = _key("chat.status_no_verification")  # opt-out: never "verified"
STATUS_IN_PROGRESS = _key("chat.status_in_progress", "right", "step")  # /status in a flow
STATUS_STEP_CODE = _key("chat.status_step_code")  # the steps /status names that have no label
STATUS_STEP_SUMMARY = _key("chat.status_step_summary")
STATUS_STEP_EDIT = _key("chat.status_step_edit")
CANCEL_REQUEST_OFFER = _key("chat.cancel_request_offer")
CANCEL_REQUEST_OPTION = _key("chat.cancel_request_option", "reference", "right")
NOTHING_TO_CANCEL = _key("chat.nothing_to_cancel")
RIGHTS_MENU_CLOSED = _key("chat.rights_menu_closed")  # /cancel under the menu of rights
CHOICE_CLOSED = _key("chat.choice_closed")  # /cancel under a "did you mean"
CANCEL_MENU_CLOSED = _key("chat.cancel_menu_closed")  # /cancel under "which to cancel?"
REQUEST_CANCELLED = _key("chat.request_cancelled", "reference")
CANNOT_CANCEL = _key("chat.cannot_cancel", "reference", "status")
EXPIRED_BUTTON = _key("chat.expired_button")
NOT_TEXT = _key("chat.not_text")  # a sticker, photo or file
MENU_ASK = _key("chat.menu_ask")  # the /start menu's buttons
MENU_RIGHTS = _key("chat.menu_rights")
MENU_REQUESTS = _key("chat.menu_requests")
MENU_DATA = _key("chat.menu_data")
MENU_ASK_HOW = _key("chat.menu_ask_how")  # after "ask a question": type it

# --- 👍 / 👎 under a policy answer (core.feedback) -------------------------------------------
FEEDBACK_UP = _key("feedback.up")
FEEDBACK_DOWN = _key("feedback.down")
FEEDBACK_THANKS = _key("feedback.thanks")
FEEDBACK_SORRY = _key("feedback.sorry")
FEEDBACK_ALREADY = _key("feedback.already")
NOTHING_ASKED_YES = _key("chat.nothing_asked_yes")  # a bare "yes" when nothing was asked
NOTHING_ASKED_NO = _key("chat.nothing_asked_no")  # a bare "no" ("Anything else?" "No")

# --- the user's requests asked about in words (their timeline, the legal deadlines) ----------
TIMELINE_HEAD = _key("requests.timeline_head")
TIMELINE_REQUEST = _key("requests.timeline_request", "reference", "right", "status")
TIMELINE_RECEIVED = _key("requests.timeline_received", "date")
TIMELINE_VERIFIED = _key("requests.timeline_verified", "date")
TIMELINE_NO_VERIFICATION = _key("requests.timeline_no_verification")
TIMELINE_ACKNOWLEDGED = _key("requests.timeline_acknowledged", "date")
TIMELINE_EXTENDED = _key("requests.timeline_extended", "date", "due", "reason")
TIMELINE_DUE = _key("requests.timeline_due", "due")
TIMELINE_CLOSED = _key("requests.timeline_closed", "status", "date")
TIMELINE_CANCEL = _key("requests.timeline_cancel", "reference")
NO_REQUESTS_OFFER = _key("requests.none")
YOUR_DUE = _key("requests.your_due", "reference", "right", "due")
DUE_IF_SENT = _key("requests.due_if_sent", "right", "due")  # the request being prepared

# --- a person when needed (a handoff to the privacy team) ---------------------------------------
HANDOFF_OFFER = _key("handoff.offer")
HANDOFF_YES = _key("handoff.yes")
HANDOFF_NO = _key("handoff.no")
HANDOFF_OPENED = _key("handoff.opened")
HANDOFF_DECLINED = _key("handoff.declined")
HANDOFF_RELAYED = _key("handoff.relayed")
HANDOFF_CLOSED = _key("handoff.closed")
HANDOFF_STAFF_SAYS = _key("handoff.staff_says", "text")
OFFER_PERSON = _key("handoff.offer_person")
NOT_PRIVACY = _key("handoff.not_privacy")

# --- /privacy -------------------------------------------------------------------------------
PRIVACY_SUMMARY = _key(
    "privacy.summary", "held_language", "jurisdiction", "flow", "count", "minutes"
)
PRIVACY_INBOX = _key("privacy.inbox", "days")
PRIVACY_FLOW = _key("privacy.flow")
PRIVACY_NO_FLOW = _key("privacy.no_flow")
PRIVACY_UNKNOWN = _key("privacy.unknown")
PRIVACY_EXPORT = _key("privacy.export")
PRIVACY_EXPORT_HEAD = _key("privacy.export_head")
PRIVACY_ERASE = _key("privacy.erase")
PRIVACY_ERASE_ASK = _key("privacy.erase_ask", "kept")
PRIVACY_ERASE_YES = _key("privacy.erase_yes")
PRIVACY_ERASE_NO = _key("privacy.erase_no")
PRIVACY_ERASED = _key("privacy.erased", "kept")
PRIVACY_NOT_ERASED = _key("privacy.not_erased")
PRIVACY_EXPORT_BUSY = _key("privacy.export_busy")  # a second tap while it is under way
PRIVACY_ERASE_BUSY = _key("privacy.erase_busy")
PRIVACY_EXPORT_DONE = _key("privacy.export_done")  # a second tap after the export was sent
PRIVACY_KEPT_NONE = _key("privacy.kept_none")
PRIVACY_KEPT = _key("privacy.kept", "months")
PRIVACY_KEPT_OPEN = _key("privacy.kept_open", "reference")
PRIVACY_KEPT_CLOSED = _key("privacy.kept_closed", "reference", "until")

# --- the verification e-mail ----------------------------------------------------------------
MAIL_SUBJECT = _key("mail.subject")
MAIL_BODY = _key("mail.body", "code", "minutes")

# --- what staff actions tell the user -------------------------------------------------------
_NOTICE_VALUES = ("reference", "right", "due", "reason")
NOTICE_ACKNOWLEDGED = _key("notice.acknowledged", *_NOTICE_VALUES)
NOTICE_ASSIGNED = _key("notice.assigned", *_NOTICE_VALUES)
NOTICE_EXTENDED = _key("notice.extended", *_NOTICE_VALUES)
NOTICE_COMPLETED = _key("notice.completed", *_NOTICE_VALUES)
NOTICE_DENIED = _key("notice.denied", *_NOTICE_VALUES)
NOTICE_NOTE = _key("notice.note", "note")
NOTICE_COMPLAIN = _key("notice.complain")

# --- the request flows ----------------------------------------------------------------------
ASK_JURISDICTION = _key("flow.ask_jurisdiction")
ASK_EMAIL = _key("flow.ask_email")
BAD_EMAIL = _key("flow.bad_email")
BAD_EMAIL_CHARS = _key("flow.bad_email_chars")
CODE_SENT = _key("flow.code_sent", "digits", "minutes")
CODE_ALREADY_SENT = _key("flow.code_already_sent", "digits")
CODE_FAILED = _key("flow.code_failed")
CODE_WAIT = _key("flow.code_wait", "seconds")
CODE_SEND_LOCKED = _key("flow.code_send_locked", "when")
CODE_LOCKED = _key("flow.code_locked", "when")
ASK_CODE = _key("flow.ask_code", "digits")
CODE_HELD = _key("flow.code_held", "digits")
CODE_WRONG = _key("flow.code_wrong", "left")
CODE_EXPIRED = _key("flow.code_expired")
CODE_EXHAUSTED = _key("flow.code_exhausted")
CODE_NONE = _key("flow.code_none")
CODE_OK = _key("flow.code_ok")
CHOOSE = _key("flow.choose")
SUMMARY = _key("flow.summary")
SUMMARY_LINE = _key("flow.summary_line", "label", "value")
SUMMARY_END = _key("flow.summary_end")
NO_VERIFICATION = _key("flow.no_verification")
VERIFIED_EMAIL = _key("flow.verified_email", "email")
LABEL_TYPE = _key("flow.label_type")
LABEL_JURISDICTION = _key("flow.label_jurisdiction")
LABEL_EMAIL = _key("flow.label_email")
WHAT_EDIT = _key("flow.what_edit")
SUBMITTED = _key("flow.submitted", "reference", "due")
SUBMITTED_AT_ONCE = _key("flow.submitted_at_once", "reference", "right")
NEXT_STEPS = _key("flow.next_steps")
DUPLICATE = _key("flow.duplicate", "reference", "due")
CANCELLED = _key("flow.cancelled", "what")
CANCELLED_NOTHING = _key("flow.cancelled_nothing")
WHAT_JURISDICTION = _key("flow.what_jurisdiction")
WHAT_DETAILS = _key("flow.what_details")
WHAT_EMAIL = _key("flow.what_email")
ERASURE_DECLINED = _key("flow.erasure_declined")
FLOW_EXPIRED_BUTTON = _key("flow.expired_button")
FLOW_ENDED_MEANWHILE = _key("flow.ended_meanwhile")  # by another message, as this one ran
EMPTY = _key("flow.empty")
TOO_LONG = _key("flow.too_long", "length", "limit")
WHICH_PLACE = _key("flow.which_place")  # "the US" / "Canada" / "CA": the law differs inside
YES_OR_NO = _key("flow.yes_or_no")
HOW_TO_STOP = _key("flow.how_to_stop")  # a "no" where the question is not yes/no
LET_US_FIX = _key("flow.let_us_fix")  # a correction ("wrong email"): back to that step
NOT_A_CODE = _key("flow.not_a_code", "digits")
CANCEL_IN_FLOW = _key("flow.cancel_in_flow")  # "can I cancel my request?" mid-flow
BACK_TO_REQUEST = _key("flow.back_to_request")  # after answering a question asked mid-flow

# --- answers to questions -------------------------------------------------------------------
SECTION_HEADING = _key("answer.section_heading", "id", "title")
INTRO_HEADING = _key("answer.intro_heading")
LAST_UPDATED = _key("answer.last_updated", "date")
DID_YOU_MEAN = _key("answer.did_you_mean")
FALLBACK = _key("answer.fallback", "email", "where")
FALLBACK_WHERE = _key("answer.fallback_where", "id", "title")
OFFER_REQUEST = _key("answer.offer_request", "right")
OFFER_ANY_REQUEST = _key("answer.offer_any_request")
REQUEST_START = _key("answer.request_start", "right")
TOPIC_MORE = _key("answer.topic_more", "where", "email")
QUOTE = _key("answer.quote", "heading", "quote")  # the policy's words under a short answer
READ_SECTION = _key("answer.read_section")  # the button that shows the whole section
SILENT = _key("answer.silent", "what", "where", "email")  # a kind of data the policy omits
SILENT_USE = _key("answer.silent_use", "what", "where", "email")  # a use of data it omits

# --- what the Telegram adapter says on its own ----------------------------------------------
APOLOGY = _key("telegram.apology")
EXPIRED_SHORT = _key("telegram.expired_short")
GROUP_INVITE = _key("telegram.group_invite")
OPEN_PRIVATE = _key("telegram.open_private")
SLOW_DOWN = _key("telegram.slow_down")

# The flow's own buttons (the `flow` option group).
FLOW_BUTTONS = ("cancel", "resend", "change_email", "confirm", "edit", "back", "email")
# The commands of the chat menu, in menu order.
COMMANDS = tuple(Command)


# --- families -------------------------------------------------------------------------------
def right(request_type: RequestType) -> Key:
    """A right as the user picks it ("Delete my data")."""
    return Key(f"right.{request_type.value}")


def right_noun(request_type: RequestType) -> Key:
    """A right inside a sentence ("erasure of your data")."""
    return Key(f"right_noun.{request_type.value}")


def explanation(request_type: RequestType) -> Key:
    """What a right is, said when its flow starts."""
    return Key(f"explain.{request_type.value}")


def status(value: RequestStatus) -> Key:
    return Key(f"status.{value.value}")


def option(group: str, option_id: str) -> Key:
    """The label of one option of a flow question (`Field.group`, `jurisdiction` or `flow`)."""
    return Key(f"option.{group}.{option_id}")


def jurisdiction(value: Jurisdiction) -> Key:
    return option("jurisdiction", value.value)


def ask(field: Field) -> Key:
    """The question that asks for `field` (choice fields share theirs by option group)."""
    return Key(f"flow.ask_{field.group or field.key}")


def ask_other(field: Field) -> Key:
    """The follow-up question after the `other` option of `field`."""
    return Key(f"flow.ask_{field.other_key}")


def field_label(field: Field) -> Key:
    """The name of `field` in the summary and the edit menu."""
    return Key(f"flow.label_{field.key}")


def command(name: Command) -> Key:
    """A command's description in the chat menu."""
    return Key(f"command.{name}")


def required() -> dict[str, Key]:
    """Every key the code may ask for, by name."""
    keys = list(_FIXED.values())
    for t in RequestType:
        keys += [right(t), right_noun(t), explanation(t)]
    keys += [status(s) for s in RequestStatus]
    keys += [jurisdiction(j) for j in Jurisdiction]
    keys += [option("flow", b) for b in FLOW_BUTTONS]
    keys += [command(c) for c in COMMANDS]
    for fields in FIELDS.values():
        for f in fields:
            keys += [ask(f), field_label(f)]
            keys += [option(f.group, o) for o in f.options]
            if f.other_text:
                keys.append(ask_other(f))
    return {k.name: k for k in keys}
