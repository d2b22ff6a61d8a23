"""privbot's exceptions, all under one base.

PrivbotError
 ├── ConfigError            a PRIVBOT_* setting is missing or invalid
 ├── ContentError           intents/ or policy_corpus/ fail their checks (carries the problems)
 ├── InvalidTransition      a request status change the transition table forbids
 ├── RequestNotFound        no request with that reference
 └── DeliveryError          an e-mail or chat message could not be delivered
"""

from __future__ import annotations

from collections.abc import Sequence


class PrivbotError(Exception):
    """Base of every error privbot raises on purpose."""


class ConfigError(PrivbotError):
    """A PRIVBOT_* setting is missing or invalid; the message names the variable."""


class ContentError(PrivbotError):
    """Intent or corpus files failed validation; `problems` are `file:line: message` lines."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class InvalidTransition(PrivbotError):
    """A status change that the transition table does not allow; nothing was changed."""


class RequestNotFound(PrivbotError):
    """No request carries that reference."""


class DeliveryError(PrivbotError):
    """A message or e-mail could not be delivered (it is retried, not lost)."""
