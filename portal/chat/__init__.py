"""The chat channel: the client for Rasa and the portal's own answer when Rasa cannot answer. No Flask here;
the web layer passes in the search, the links and the texts in the visitor's language."""

from .rasa_client import AssistantUnavailable, Reply, ask
from .replies import DEGRADED_RESULTS, MESSAGE_MAX, ChatService, DegradedTexts, Link

__all__ = [
    "DEGRADED_RESULTS", "MESSAGE_MAX", "AssistantUnavailable", "ChatService", "DegradedTexts", "Link", "Reply", "ask",
]  # fmt: skip
