"""The application service for this request, and the draft this browser is working on."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request

from ..applications.sealing import Sealer
from ..applications.storage import LocalStorage
from ..applications.workflow import Applications
from ..db.models import Application
from ..db.visitor_store import DRAFT
from . import visitor
from .database import db_session
from .services import catalogue


def init_app(app: Flask) -> None:
    app.extensions["sealer"] = Sealer(str(app.config["DATA_KEY"]), list(app.config.get("DATA_KEY_PREVIOUS") or ()))
    app.extensions["document_storage"] = LocalStorage(Path(app.config["UPLOADS_DIR"]))


def applications() -> Applications:
    return Applications(
        db_session(), current_app.extensions["sealer"], current_app.extensions["document_storage"], catalogue()
    )


def origin() -> str | None:
    """Where a request came from, for the audit record."""
    return (request.remote_addr or "")[:64] or None


def current_draft() -> tuple[Application, str] | None:
    """The application this browser is on (any state) and its access code, while the pointer lives."""
    stored = visitor.load(DRAFT)
    if stored is None:
        return None
    application = db_session().get(Application, stored.data.get("id"))
    if application is None or application.reference != stored.data.get("reference"):
        visitor.clear(DRAFT)
        return None
    return application, str(stored.data.get("code") or "")


def pointer_expires():
    """When this browser's pointer to its draft lapses (the session-timeout warning counts down to it)."""
    stored = visitor.load(DRAFT)
    return stored.expires_at if stored else None


def remember_draft(application: Application, code: str) -> None:
    visitor.save(DRAFT, {"id": application.id, "reference": application.reference, "code": code})


def forget_draft() -> None:
    visitor.clear(DRAFT)
