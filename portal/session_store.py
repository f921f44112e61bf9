"""Short-lived server-side data per visitor (the checker's answers, the chat transcript).

The browser keeps only a random id in its signed session cookie; the data lives in ``server_sessions`` until it
expires (30 minutes after the last change) or the visitor deletes it.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from .models import ServerSession

LIFETIME = timedelta(minutes=30)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def load(session: Session, kind: str, session_id: str | None) -> tuple[dict[str, Any], datetime] | None:
    """The data and its expiry, or None when there is none or it has expired."""
    if not session_id:
        return None
    row = session.get(ServerSession, (session_id, kind))
    if row is None:
        return None
    if _aware(row.expires_at) <= _now():
        session.delete(row)
        session.commit()
        return None
    return json.loads(row.data), _aware(row.expires_at)


def save(session: Session, kind: str, session_id: str | None, data: dict[str, Any]) -> tuple[str, datetime]:
    """Store ``data`` (under a new id when ``session_id`` is None), push the expiry back, purge expired rows."""
    expires = _now() + LIFETIME
    session.execute(delete(ServerSession).where(ServerSession.expires_at <= _now()))
    session_id = session_id or secrets.token_urlsafe(32)
    row = session.get(ServerSession, (session_id, kind))
    if row is None:
        row = ServerSession(id=session_id, kind=kind, data="", expires_at=expires)
        session.add(row)
    row.data = json.dumps(data, ensure_ascii=False)
    row.expires_at = expires
    session.commit()
    return session_id, expires


def clear(session: Session, kind: str, session_id: str | None) -> None:
    if session_id:
        session.execute(delete(ServerSession).where(ServerSession.id == session_id, ServerSession.kind == kind))
        session.commit()
