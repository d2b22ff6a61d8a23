"""The values of the buttons the bot offers (`Option.value`), as one typed codec.

A value is `<kind>:<argument>`; `encode` writes it and `parse` reads it back (None for
anything that is not one). The kind says who handles the press and whether it belongs to a
private chat only (a rights request, a language, the user's data are never handled in a
group).

    flow:<nonce>:<id>      a step of the request flow (core.dialogue)
    request:<type>|menu    start a request of that type, or list the rights
    request:<nonce>:<type> the same, from the menu of rights that nonce names (`core.pending`)
    lang:<fr|en>           answer in that language from now on
    privacy:<action>       /privacy: summary, export, erase, erase_confirm, keep
    privacy:<nonce>:export the export button of the /privacy summary that nonce names
    cancelreq:<reference>  cancel that open request
    cancelreq:<nonce>:<reference>  the same, from the /cancel menu that nonce names
    section:<id>           answer that policy section (short answer and quote)
    full:<id>              show that policy section whole
    intent:<id>            answer as that intent (smalltalk)
    handoff:<action>       offer, open or decline a handoff to a person
    ask:                   the /start menu's "ask a question" (`core.menu`)
    fb:<token>:<y|n>:<section>:<intent>
                           👍 / 👎 on a policy answer (`core.feedback`); one token per
                           answer message, so a second press is not counted
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from privbot.core.model import Language, RequestType


class ChoiceKind(StrEnum):
    FLOW = "flow"
    REQUEST = "request"
    LANGUAGE = "lang"
    PRIVACY = "privacy"
    CANCEL_REQUEST = "cancelreq"
    SECTION = "section"
    FULL_SECTION = "full"
    INTENT = "intent"
    HANDOFF = "handoff"
    FEEDBACK = "fb"
    ASK = "ask"  # the /start menu's "ask a question": how to ask


PRIVATE_ONLY = frozenset(
    {
        ChoiceKind.FLOW,
        ChoiceKind.REQUEST,
        ChoiceKind.LANGUAGE,
        ChoiceKind.PRIVACY,
        ChoiceKind.CANCEL_REQUEST,
        ChoiceKind.HANDOFF,
    }
)
MENU = "menu"  # request:menu


class PrivacyAction(StrEnum):
    SUMMARY = "summary"  # what is held (the /start menu's "my data")
    EXPORT = "export"
    ERASE = "erase"
    ERASE_CONFIRM = "erase_confirm"
    KEEP = "keep"


@dataclass(frozen=True, slots=True)
class Choice:
    """A parsed button value."""

    kind: ChoiceKind
    argument: str

    @property
    def private_only(self) -> bool:
        return self.kind in PRIVATE_ONLY


def encode(kind: ChoiceKind, argument: str) -> str:
    return f"{kind.value}:{argument}"


def parse(value: str) -> Choice | None:
    kind, sep, argument = value.partition(":")
    if not sep or kind not in _KINDS:
        return None
    return Choice(ChoiceKind(kind), argument)


def is_feedback(value: str) -> bool:
    """True for a 👍 / 👎 button."""
    choice = parse(value)
    return choice is not None and choice.kind is ChoiceKind.FEEDBACK


def is_private_only(value: str) -> bool:
    """True for a value that must not be handled in a group chat."""
    choice = parse(value)
    return choice is not None and choice.private_only


_KINDS = frozenset(k.value for k in ChoiceKind)


# --- the values the bot offers ---------------------------------------------------------------
def flow(nonce: str, option_id: str) -> str:
    return encode(ChoiceKind.FLOW, f"{nonce}:{option_id}")


def flow_option_id(argument: str) -> str:
    """`<nonce>:<id>` -> `<id>` (ids may hold a colon: `field:format`)."""
    return argument.split(":", 1)[-1]


def request(request_type: RequestType | None) -> str:
    """Start a request of that type; None: the list of rights."""
    return encode(ChoiceKind.REQUEST, request_type.value if request_type else MENU)


def request_in_menu(request_type: RequestType, nonce: str) -> str:
    """Start a request of that type: a button of the menu of rights `nonce` names."""
    return encode(ChoiceKind.REQUEST, f"{nonce}:{request_type.value}")


def menu_parts(argument: str) -> tuple[str, str]:
    """The argument of a `request:`, `cancelreq:` or `privacy:` value, `[<nonce>:]<what>` ->
    (what, the nonce of the menu or message it belongs to, or "")."""
    nonce, _, what = argument.rpartition(":")
    return what, nonce


def language(lang: Language) -> str:
    return encode(ChoiceKind.LANGUAGE, lang.value)


def privacy(action: PrivacyAction, nonce: str = "") -> str:
    """A /privacy button (of the message `nonce` names, if given)."""
    return encode(ChoiceKind.PRIVACY, f"{nonce}:{action.value}" if nonce else action.value)


def cancel_request(reference: str, nonce: str = "") -> str:
    """Cancel that open request (a button of the /cancel menu `nonce` names, if given)."""
    return encode(ChoiceKind.CANCEL_REQUEST, f"{nonce}:{reference}" if nonce else reference)


def section(section_id: str) -> str:
    return encode(ChoiceKind.SECTION, section_id)


def full_section(section_id: str) -> str:
    return encode(ChoiceKind.FULL_SECTION, section_id)


def intent(intent_id: str) -> str:
    return encode(ChoiceKind.INTENT, intent_id)


class HandoffAction(StrEnum):
    """The buttons of a handoff to a person: offered, agreed to, declined."""

    OFFER = "offer"
    OPEN = "open"
    NO = "no"


def handoff(action: HandoffAction) -> str:
    return encode(ChoiceKind.HANDOFF, action.value)


def feedback(token: str, positive: bool, section: str, intent: str | None) -> str:
    """A 👍 (`positive`) or 👎 on the answer `token` names (its section and intent)."""
    return encode(
        ChoiceKind.FEEDBACK, f"{token}:{'y' if positive else 'n'}:{section}:{intent or ''}"
    )


def feedback_parts(argument: str) -> tuple[str, bool, str, str | None] | None:
    """`<token>:<y|n>:<section>:<intent>` -> (token, positive, section, intent or None)."""
    parts = argument.split(":")
    if len(parts) != 4 or not parts[0] or parts[1] not in ("y", "n") or not parts[2]:
        return None
    token, vote, section, intent = parts
    return token, vote == "y", section, intent or None


def ask() -> str:
    return encode(ChoiceKind.ASK, "")
