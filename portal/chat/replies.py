"""A chat turn as the portal answers it: Rasa's replies, or the portal's own when Rasa cannot answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .rasa_client import AssistantUnavailable, ask

MESSAGE_MAX = 500
DEGRADED_RESULTS = 3

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class DegradedTexts:
    """What the portal says by itself, in one language."""

    with_results: str
    without_results: str
    search_more: str


@dataclass(frozen=True)
class ChatService:
    """Answers chat turns. ``search(message, lang, limit)`` gives the best pages for the degraded answer,
    ``search_url(message)`` the search page for it, ``texts(lang)`` the degraded answer's words."""

    rasa_url: str
    timeout: float
    search: Callable[[str, str, int], Sequence[Link]]
    search_url: Callable[[str], str]
    texts: Callable[[str], DegradedTexts]

    def degraded_reply(self, message: str, lang: str) -> list[dict[str, Any]]:
        """The best search results, the 12385 hotline (in the texts), the search page."""
        try:
            results = list(self.search(message, lang, DEGRADED_RESULTS))
        except Exception:  # the last-resort answer must not fail with the search index
            log.exception("search failed while answering degraded")
            results = []
        texts = self.texts(lang)
        links = [{"title": link.title, "url": link.url} for link in results]
        links.append({"title": texts.search_more, "url": self.search_url(message[:100])})
        text = texts.with_results if results else texts.without_results
        return [{"text": text, "buttons": [], "links": links}]

    def reply_to(self, sender: str, message: str, lang: str) -> tuple[list[dict[str, Any]], bool]:
        """The messages answering ``message``, and whether they are the portal's degraded answer."""
        try:
            replies = ask(self.rasa_url, sender, message, lang, self.timeout)
        except AssistantUnavailable as error:
            log.warning("assistant unavailable, answering degraded: %s", error)
            return self.degraded_reply(message, lang), True
        return [reply.to_dict() for reply in replies], False
