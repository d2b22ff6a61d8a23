"""Use cases the adapters call: the conversation engine and the rights-request actions."""

from privbot.services.conversation import ConversationService
from privbot.services.requests import RequestService, Submission

__all__ = ["ConversationService", "RequestService", "Submission"]
