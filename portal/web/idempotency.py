"""Requests that file something exactly once: the first answer kept under a key in ``idempotency_keys``. The
API's ``Idempotency-Key`` (``portal.api.idempotency``) and the web forms' one-time keys (the complaint form) both
keep and find their first answers here. Answers are kept sealed: they hold access codes, which the filed records
keep only as hashes."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..db.models import IdempotencyKey
from .database import db_session


def stored(scope: str, key: str) -> IdempotencyKey | None:
    """The first answer given under ``key`` in ``scope`` (the API's keys, and the web forms' one-time keys)."""
    return db_session().scalar(select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key))


def record(scope: str, key: str, digest: str, answer: dict[str, Any], status_code: int = 201) -> None:
    """Keep ``answer`` under ``key``, in the transaction that files what it answers (the caller commits)."""
    db_session().add(
        IdempotencyKey(
            scope=scope,
            key=key,
            request_hash=digest,
            status_code=status_code,
            response=current_app.extensions["sealer"].seal_json(answer),
        )
    )


def answer_of(row: IdempotencyKey) -> dict[str, Any]:
    """The first answer, opened."""
    if row.response.startswith("{"):  # a row written before answers were sealed (kept for a day or so)
        return json.loads(row.response)
    return current_app.extensions["sealer"].open_json(row.response)
