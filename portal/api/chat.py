"""``POST /api/v1/chat`` ``{"sender", "message", "lang"}`` → ``{"messages": [...], "degraded": bool}``.

Rate-limited per ``sender`` (the conversation) and, for callers without the service token, per address
(``web/ratelimits.py``); a refused turn is a JSON 429 naming ``sender`` when its conversation was too fast.
"""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from ..chat import MESSAGE_MAX
from ..web.display import LANGUAGES
from ..web.features import requires_service
from ..web.pools import calls_assistant
from ..web.ratelimits import address, chat_limits
from ..web.services import chat_service
from . import bp
from .errors import ApiError, in_lang, json_body, peek_json, request_lang

SENDER_MAX = 64


def _conversation() -> str:
    """The sender named in the body; a body without one is counted by its address (it is refused anyway)."""
    body = peek_json()
    sender = body.get("sender") if isinstance(body, dict) else None
    if isinstance(sender, str) and 0 < len(sender.strip()) <= SENDER_MAX:
        return f"sender:{sender.strip()}"
    return f"no-sender:{address()}"


@bp.post("/chat")
@calls_assistant
@requires_service("chat")
@chat_limits(_conversation)
def chat():
    lang = request_lang()
    body = json_body(lang)
    if not isinstance(body, dict):
        with in_lang(lang):
            raise ApiError("body", _("The request body must be a JSON object."))
    if body.get("lang") in LANGUAGES:
        lang = body["lang"]
    with in_lang(lang):
        for key in body:
            if key not in ("sender", "message", "lang"):
                raise ApiError(str(key)[:50], _("Only sender, message and lang may be sent."))
        if body.get("lang") is not None and body["lang"] not in LANGUAGES:
            raise ApiError("lang", _("lang must be zh or en."))
        sender, message = body.get("sender"), body.get("message")
        if not isinstance(sender, str) or not 0 < len(sender.strip()) <= SENDER_MAX:
            raise ApiError("sender", _("sender must be text of 1 to %(max)d characters.", max=SENDER_MAX))
        if not isinstance(message, str) or not message.strip():
            raise ApiError("message", _("Write a message."))
        if len(message) > MESSAGE_MAX:
            raise ApiError("message", _("Write %(max)d characters or fewer", max=MESSAGE_MAX))
    messages, degraded = chat_service().reply_to(sender.strip(), message.strip(), lang)
    return jsonify({"messages": messages, "degraded": degraded})
