"""The petition service for this request. ``app.config["PETITION_NOW"]`` (a callable) lets tests fix the clock."""

from __future__ import annotations

from flask import current_app

from ..petitions.workflow import Petitions, utcnow
from .database import db_session
from .services import catalogue


def petitions() -> Petitions:
    now = current_app.config.get("PETITION_NOW") or utcnow
    return Petitions(db_session(), current_app.extensions["sealer"], catalogue(), now=now,
                     storage=current_app.extensions["document_storage"])
