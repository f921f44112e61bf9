"""The signed-in member of staff: one permission decorator over the permission table, and the 15-minute idle
timeout. The session cookie holds only the account id, its sign-out epoch and when it was last used."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from ..accounts.permissions import Staff, can
from ..accounts.users import Accounts
from .database import db_session

SESSION_KEY = "staff"
IDLE = timedelta(minutes=15)
F = TypeVar("F", bound=Callable[..., Any])


def accounts() -> Accounts:
    return Accounts(db_session(), current_app.extensions["sealer"])


def _now() -> datetime:
    return datetime.now(timezone.utc)


def idle_limit() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("STAFF_IDLE_SECONDS") or IDLE.total_seconds()))


def sign_in_session(staff: Staff, epoch: int) -> None:
    session.clear()  # a new session id's worth of data: nothing carried over from before sign-in
    session[SESSION_KEY] = {"id": staff.id, "epoch": epoch, "seen": _now().timestamp()}


def sign_out_session() -> None:
    session.pop(SESSION_KEY, None)


def signed_in_staff() -> Staff:
    """Who is signed in, in a view behind ``@requires`` (which has already sent everyone else away); a 403 rather
    than an ``assert`` should the two ever disagree, since ``python -O`` drops asserts."""
    staff = current_staff()
    if staff is None:
        abort(403)
    return staff


def current_staff() -> Staff | None:
    """Who is signed in (None: nobody, or the session has been idle too long, or was signed out everywhere)."""
    if "staff_user" in g:
        return g.staff_user
    data = session.get(SESSION_KEY)
    staff = None
    if isinstance(data, dict):
        seen = datetime.fromtimestamp(float(data.get("seen", 0)), timezone.utc)
        if _now() - seen > idle_limit():
            sign_out_session()
            g.staff_timed_out = True
        else:
            staff = accounts().session_valid(int(data.get("id", 0)), int(data.get("epoch", -1)))
            if staff is None:
                sign_out_session()
            elif request.endpoint != "staff.session_state":
                data["seen"] = _now().timestamp()
                session.modified = True
    g.staff_user = staff
    return staff


def expires_at() -> datetime | None:
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    return datetime.fromtimestamp(float(data["seen"]), timezone.utc) + idle_limit()


def requires(permission: str) -> Callable[[F], F]:
    """A staff page: sign-in first (then back here), and 403 for a member of staff without ``permission``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            staff = current_staff()
            if staff is None:
                if g.get("staff_timed_out"):
                    flash(_("You were signed out after 15 minutes without activity. Please sign in again."))
                if request.method == "GET":
                    return redirect(url_for("staff.sign_in", next=request.full_path.rstrip("?")))
                abort(401)
            if not can(staff, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def init_app(app: Flask) -> None:
    @app.context_processor
    def _staff_context() -> dict[str, Any]:
        if not request.path.startswith("/staff"):
            return {}
        staff = current_staff()
        return {"staff_user": staff, "staff_expires": expires_at() if staff else None}
