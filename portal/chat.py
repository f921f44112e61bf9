"""A chat turn as the portal answers it: Rasa's replies, or the portal's own when Rasa cannot answer."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from .assistant_client import AssistantUnavailable, ask
from .display import LOCALES
from .services import search_engine

MESSAGE_MAX = 500
DEGRADED_RESULTS = 3


def degraded_reply(message: str, lang: str) -> list[dict[str, Any]]:
    """What the portal says by itself: the best search results, the 12385 hotline, the search page."""
    try:
        results = search_engine().search(message, lang=lang, limit=DEGRADED_RESULTS).results
    except Exception:  # the last-resort answer must not fail with the search index
        current_app.logger.exception("search failed while answering degraded")
        results = []
    with force_locale(LOCALES[lang]):
        links = [{"title": result.title, "url": result.url} for result in results]
        links.append({"title": _("Search for more"), "url": url_for("search.search", q=message[:100])})
        text = _(
            "Sorry, the assistant cannot answer right now. "
            "You can call the disability services hotline 12385 (also for complaints), or look at these pages:"
        )
        if not results:
            text = _(
                "Sorry, the assistant cannot answer right now. "
                "You can call the disability services hotline 12385 (also for complaints), or search this site:"
            )
    return [{"text": text, "buttons": [], "links": links}]


def reply_to(sender: str, message: str, lang: str) -> tuple[list[dict[str, Any]], bool]:
    """The messages answering ``message``, and whether they are the portal's degraded answer."""
    config = current_app.config
    try:
        replies = ask(config["RASA_URL"], sender, message, lang, float(config["RASA_TIMEOUT"]))
    except AssistantUnavailable as error:
        current_app.logger.warning("assistant unavailable, answering degraded: %s", error)
        return degraded_reply(message, lang), True
    return [reply.to_dict() for reply in replies], False
