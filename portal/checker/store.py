"""The checker's answers, server-side: the browser keeps only a random id in its session cookie."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..models import CheckerAnswers
from .flow import Answers

LIFETIME = timedelta(minutes=30)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def load(session: Session, answers_id: str | None) -> tuple[Answers, datetime] | None:
    """The answers and their expiry, or None when there are none or they have expired."""
    if not answers_id:
        return None
    row = session.get(CheckerAnswers, answers_id)
    if row is None:
        return None
    if _aware(row.expires_at) <= _now():
        session.delete(row)
        session.commit()
        return None
    return Answers.from_dict(json.loads(row.data)), _aware(row.expires_at)


def save(session: Session, answers_id: str | None, answers: Answers) -> tuple[str, datetime]:
    """Store the answers (a new id when ``answers_id`` is None) and push the expiry back; purge expired rows."""
    expires = _now() + LIFETIME
    session.execute(delete(CheckerAnswers).where(CheckerAnswers.expires_at <= _now()))
    row = session.get(CheckerAnswers, answers_id) if answers_id else None
    if row is None:
        answers_id = secrets.token_urlsafe(32)
        row = CheckerAnswers(id=answers_id, data="", expires_at=expires)
        session.add(row)
    row.data = json.dumps(answers.to_dict(), ensure_ascii=False)
    row.expires_at = expires
    session.commit()
    return answers_id, expires


def extend(session: Session, answers_id: str | None) -> datetime | None:
    loaded = load(session, answers_id)
    if loaded is None:
        return None
    return save(session, answers_id, loaded[0])[1]


def clear(session: Session, answers_id: str | None) -> None:
    if answers_id:
        session.execute(delete(CheckerAnswers).where(CheckerAnswers.id == answers_id))
        session.commit()
