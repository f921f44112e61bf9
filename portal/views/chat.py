"""``/chat``: the assistant in a page. Works without JavaScript (a form POST re-renders the conversation);
with htmx only the new messages are added. The transcript is kept server-side for 30 minutes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import session_store
from ..chat import MESSAGE_MAX, reply_to
from ..database import db_session
from ..extensions import htmx, limiter
from ..i18n import current_lang
from .fragments import page_or_fragment

bp = Blueprint("chat", __name__)

SESSION_KEY = "chat_id"
STORE_KIND = "chat"
TRANSCRIPT_MAX = 60  # messages kept; older ones drop off


def _transcript() -> tuple[list[dict[str, Any]], Any]:
    loaded = session_store.load(db_session(), STORE_KIND, session.get(SESSION_KEY))
    return (loaded[0]["messages"], loaded[1]) if loaded else ([], None)


def _last_buttons(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    for message in reversed(messages):
        if message["from"] == "assistant":
            return message.get("buttons") or []
    return []


@bp.get("/chat")
def page():
    messages, _expires = _transcript()
    return render_template("chat.html", messages=messages, error=None, typed="")


@bp.post("/chat")
@limiter.limit("30 per minute")
def send():
    messages, _expires = _transcript()
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
        response = page_or_fragment(
            "chat.html", "chat/_form.html", 400, messages=messages, error=error, typed=typed, has_errors=True
        )
        if htmx:  # the form itself shows the error, not the conversation log
            response.headers.update({"HX-Retarget": "#chat-form", "HX-Reswap": "outerHTML"})
        return response
    session_id, _expires = session_store.save(
        db_session(), STORE_KIND, session.get(SESSION_KEY), {"messages": messages}
    )
    session[SESSION_KEY] = session_id
    replies, degraded = reply_to(session_id, typed, current_lang())
    new = [{"from": "user", "text": shown}] + [
        {"from": "assistant", "degraded": degraded, **reply} for reply in replies
    ]
    messages = (messages + new)[-TRANSCRIPT_MAX:]
    session_store.save(db_session(), STORE_KIND, session_id, {"messages": messages})
    if htmx:
        return page_or_fragment("chat.html", "chat/_turn.html", messages=new, error=None, typed="")
    response = redirect(url_for("chat.page", _anchor="latest"))
    response.vary.add("HX-Request")
    return response


@bp.post("/chat/clear")
def clear():
    session_store.clear(db_session(), STORE_KIND, session.pop(SESSION_KEY, None))
    return redirect(url_for("chat.page"))
