"""The visitor store for this request: the owner id lives in the signed session cookie, the data server-side."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, g, session

from ..db.visitor_store import Kind, Stored, VisitorStore
from .database import db_session

OWNER_KEY = "visitor"


def visitor_store() -> VisitorStore:
    """This request's store (one per request, so an owner chosen by a save is seen by later calls)."""
    if "visitor_store" not in g:
        lifetimes = {
            name: timedelta(seconds=int(seconds))
            for name, seconds in (current_app.config.get("VISITOR_LIFETIMES") or {}).items()
        }
        g.visitor_store = VisitorStore(db_session(), session.get(OWNER_KEY), lifetimes)
    return g.visitor_store


def load(kind: Kind) -> Stored | None:
    return visitor_store().load(kind)


def save(kind: Kind, data: dict[str, Any]) -> Stored:
    store = visitor_store()
    stored = store.save(kind, data)
    session[OWNER_KEY] = store.owner
    return stored


def clear(kind: Kind) -> None:
    visitor_store().clear(kind)
