"""``POST /api/v1/chat`` ``{"sender", "message", "lang"}`` → ``{"messages": [...], "degraded": bool}``.

Rate-limited per ``sender`` (the conversation) and, for callers without the service token, per address
(``web/ratelimits.py``); a refused turn is a JSON 429 naming ``sender`` when its conversation was too fast.
"""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from ..web.display import LANGUAGES
from ..web.features import requires_service
from ..web.pools import calls_assistant
from ..web.ratelimits import address, chat_limits
from ..web.services import chat_service
from . import bp
from .contract import check, operation, read_query
from .errors import ApiError, in_lang, json_body, peek_json
from .models import SENDER_MAX, ChatRequest, ChatResponse, LangQuery, errors


def _conversation() -> str:
    """The sender named in the body; a body without one is counted by its address (it is refused anyway)."""
    body = peek_json()
    sender = body.get("sender") if isinstance(body, dict) else None
    if isinstance(sender, str) and 0 < len(sender.strip()) <= SENDER_MAX:
        return f"sender:{sender.strip()}"
    return f"no-sender:{address()}"


@bp.post("/chat")
@operation(
    "post",
    "/api/v1/chat",
    "One chat turn with the assistant (the portal answers itself when Rasa cannot)",
    query=LangQuery,
    body=ChatRequest,
    responses={200: ("The replies", ChatResponse), **errors(400, 429)},
)
@calls_assistant
@requires_service("chat")
@chat_limits(_conversation)
def chat():
    lang = read_query(LangQuery).lang
    body = json_body(lang)
    if not isinstance(body, dict):
        with in_lang(lang):
            raise ApiError("body", _("The request body must be a JSON object."))
    if body.get("lang") in LANGUAGES:
        lang = body["lang"]
    turn, problems = check(ChatRequest, body, lang)
    if turn is None:
        raise ApiError(*problems[0])
    lang = turn.lang or lang
    messages, degraded = chat_service().reply_to(turn.sender.strip(), turn.message.strip(), lang)
    return jsonify({"messages": messages, "degraded": degraded})
