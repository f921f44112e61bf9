"""Short-lived data kept server-side for one visitor: the checker's answers, the chat transcript, which
application draft a browser is working on. No Flask here.

The browser holds only a random owner id (in its signed session cookie); each kind of data lives in
``server_sessions`` under that owner until it expires (its kind's lifetime after the last change) or the visitor
deletes it. Nothing personal needs to be kept here: a draft application itself is an application row.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from .models import ServerSession


@dataclass(frozen=True)
class Kind:
    """One kind of visitor data and how long it lives after its last change."""

    name: str
    lifetime: timedelta


CHECKER = Kind("checker", timedelta(minutes=30))
CHAT = Kind("chat", timedelta(minutes=30))
#: Which draft the browser is on; the draft is an application row kept for 30 days, resumed with its reference
#: and access code once this pointer has expired.
DRAFT = Kind("draft", timedelta(minutes=30))
#: Which application this browser has proved it may see in full (reference, ID number and access code given).
TRACKING = Kind("tracking", timedelta(minutes=30))
#: Which petition this browser has proved (reference and access code) it may see, rate and ask to review.
PETITION = Kind("petition", timedelta(minutes=30))
KINDS: Mapping[str, Kind] = {kind.name: kind for kind in (CHECKER, CHAT, DRAFT, TRACKING, PETITION)}


@dataclass(frozen=True)
class Stored:
    data: dict[str, Any]
    expires_at: datetime


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def new_owner() -> str:
    return secrets.token_urlsafe(32)


class VisitorStore:
    """The data of one owner (``None`` until something is first saved), by kind.

    ``lifetimes`` overrides a kind's lifetime (configuration; tests use short ones); ``now`` is the clock.
    """

    def __init__(
        self,
        session: Session,
        owner: str | None,
        lifetimes: Mapping[str, timedelta] | None = None,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.session = session
        self.owner = owner
        self._lifetimes = dict(lifetimes or {})
        self._now = now

    def lifetime(self, kind: Kind) -> timedelta:
        return self._lifetimes.get(kind.name, kind.lifetime)

    def load(self, kind: Kind) -> Stored | None:
        """The data and its expiry, or None when there is none or it has expired (then it is deleted)."""
        if not self.owner:
            return None
        row = self.session.get(ServerSession, (self.owner, kind.name))
        if row is None:
            return None
        if _aware(row.expires_at) <= self._now():
            self.session.delete(row)
            self.session.commit()
            return None
        return Stored(json.loads(row.data), _aware(row.expires_at))

    def save(self, kind: Kind, data: Mapping[str, Any]) -> Stored:
        """Store ``data`` (choosing an owner id on first use), push the expiry back, purge expired rows."""
        now = self._now()
        expires = now + self.lifetime(kind)
        self.session.execute(delete(ServerSession).where(ServerSession.expires_at <= now))
        self.owner = self.owner or new_owner()
        row = self.session.get(ServerSession, (self.owner, kind.name))
        if row is None:
            row = ServerSession(id=self.owner, kind=kind.name, data="", expires_at=expires)
            self.session.add(row)
        row.data = json.dumps(data, ensure_ascii=False)
        row.expires_at = expires
        self.session.commit()
        return Stored(dict(data), expires)

    def clear(self, kind: Kind) -> None:
        if self.owner:
            self.session.execute(
                delete(ServerSession).where(ServerSession.id == self.owner, ServerSession.kind == kind.name)
            )
            self.session.commit()


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete every expired row of every owner (the worker's clean-up); returns how many went."""
    result = session.execute(delete(ServerSession).where(ServerSession.expires_at <= (now or utcnow())))
    session.commit()
    return result.rowcount or 0
