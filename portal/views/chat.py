"""``/chat``: the assistant in a page. Works without JavaScript (a form POST re-renders the conversation);
with htmx only the new messages are added. The transcript is kept server-side for 30 minutes.

Turns are rate-limited per conversation (this browser's session) and per address (``web/ratelimits.py``); a
refused turn shows "please wait" in the form, with what the resident typed still in it."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.wrappers import Response
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded

from ..chat import MESSAGE_MAX
from ..db.visitor_store import CHAT
from ..web import visitor
from ..web.extensions import htmx
from ..web.features import serves
from ..web.fragments import page_or_fragment
from ..web.i18n import current_lang
from ..web.pools import calls_assistant
from ..web.ratelimits import address, chat_limits, per_address
from ..web.services import chat_service

bp = Blueprint("chat", __name__)
serves(bp, "chat")

TRANSCRIPT_MAX = 60  # messages kept; older ones drop off


def _conversation() -> tuple[str | None, list[dict[str, Any]]]:
    """The conversation's sender id (what Rasa keys its tracker by) and its messages so far."""
    stored = visitor.load(CHAT)
    return (stored.data.get("sender"), stored.data["messages"]) if stored else (None, [])


def _last_buttons(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    for message in reversed(messages):
        if message["from"] == "assistant":
            return message.get("buttons") or []
    return []


def _conversation_key() -> str:
    """This browser's session: its CSRF secret, hashed (a POST here has passed the CSRF check, so the session has
    one, from the first page it saw). Stable from the first turn on; clearing the conversation does not reset it."""
    secret = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if not secret:
        return f"address:{address()}"
    return "session:" + hashlib.sha256(str(secret).encode()).hexdigest()[:32]


def _form_with_error(
    messages: list[dict[str, Any]], error: str, typed: str, status: int, wait: bool = False
) -> Response:
    """The page again (or, for htmx, the form in place) with the error and the resident's text kept."""
    response = page_or_fragment(
        "chat.html", "chat/_form.html", status, messages=messages, error=error, typed=typed, has_errors=True, wait=wait
    )
    if htmx:  # the form itself shows the error, not the conversation log
        response.headers.update({"HX-Retarget": "#chat-form", "HX-Reswap": "outerHTML"})
    return response


@bp.errorhandler(RateLimitExceeded)
def _too_fast(_error: RateLimitExceeded) -> Response:
    """Too many turns: say "please wait", keep what was typed (the limit is checked before the view runs)."""
    _sender, messages = _conversation()
    typed = request.form.get("message") or ""
    return _form_with_error(
        messages, _("Please wait a moment before sending again. What you wrote is still here."), typed, 429, wait=True
    )


@bp.get("/chat")
def page():
    _sender, messages = _conversation()
    return render_template("chat.html", messages=messages, error=None, typed="")


@bp.post("/chat")
@calls_assistant
@chat_limits(_conversation_key)
def send():
    sender, messages = _conversation()
    typed = (request.form.get("message") or "").strip()
    shown = typed
    button = request.form.get("button")
    if button is not None:
        buttons = _last_buttons(messages)
        if not (button.isdigit() and int(button) < len(buttons)):
            return redirect(url_for("chat.page"))
        typed, shown = buttons[int(button)]["payload"], buttons[int(button)]["title"]
    error = None
    if not typed:
        error = _("Write your question")
    elif len(typed) > MESSAGE_MAX:
        error = _("Write %(max)d characters or fewer", max=MESSAGE_MAX)
    if error:
        return _form_with_error(messages, error, typed, 400)
    sender = sender or secrets.token_urlsafe(32)  # a new conversation after "clear" gets a new sender
    replies, degraded = chat_service().reply_to(sender, typed, current_lang())
    new = [{"from": "user", "text": shown}] + [
        {"from": "assistant", "degraded": degraded, **reply} for reply in replies
    ]
    messages = (messages + new)[-TRANSCRIPT_MAX:]
    visitor.save(CHAT, {"sender": sender, "messages": messages})
    if htmx:
        return page_or_fragment("chat.html", "chat/_turn.html", messages=new, error=None, typed="")
    response = redirect(url_for("chat.page", _anchor="latest"))
    response.vary.add("HX-Request")
    return response


@bp.post("/chat/clear")
@per_address("settings")
def clear():
    visitor.clear(CHAT)
    return redirect(url_for("chat.page"))
