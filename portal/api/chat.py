"""``POST /api/v1/chat`` ``{"sender", "message", "lang"}`` → ``{"messages": [...], "degraded": bool}``."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from ..chat import MESSAGE_MAX
from ..web.display import LANGUAGES
from ..web.extensions import limiter
from ..web.features import requires_service
from ..web.pools import calls_assistant
from ..web.services import chat_service
from . import bp
from .errors import ApiError, in_lang, json_body, request_lang

SENDER_MAX = 64


@bp.post("/chat")
@calls_assistant
@requires_service("chat")
@limiter.limit("30 per minute")
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
