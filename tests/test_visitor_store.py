"""The visitor store: one interface for the checker, the chat and (next) which draft a browser is on."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.db import ServerSession, make_engine
from portal.db.visitor_store import CHAT, CHECKER, DRAFT, KINDS, VisitorStore, purge_expired


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture()
def session(database_url: str):
    engine = make_engine(database_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def rows(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ServerSession))


def test_an_owner_is_chosen_on_first_save_and_kinds_are_kept_apart(session):
    clock = Clock()
    store = VisitorStore(session, None, now=clock)
    assert store.load(CHECKER) is None
    stored = store.save(CHECKER, {"profile": {"age": 70}})
    assert store.owner and len(store.owner) >= 40
    assert stored.expires_at == clock.now + timedelta(minutes=30)
    store.save(CHAT, {"messages": []})
    again = VisitorStore(session, store.owner, now=clock)
    assert again.load(CHECKER).data == {"profile": {"age": 70}}
    again.clear(CHECKER)
    assert again.load(CHECKER) is None and again.load(CHAT).data == {"messages": []}
    assert VisitorStore(session, "someone-else", now=clock).load(CHAT) is None


def test_each_kind_expires_after_its_own_lifetime_from_the_last_change(session):
    clock = Clock()
    store = VisitorStore(session, None, lifetimes={"chat": timedelta(minutes=2)}, now=clock)
    store.save(CHECKER, {"n": 1})
    store.save(CHAT, {"n": 2})
    clock.now += timedelta(minutes=1, seconds=59)
    assert store.load(CHAT) is not None
    store.save(CHECKER, {"n": 3})  # a change pushes the expiry back
    clock.now += timedelta(seconds=1)
    assert store.load(CHAT) is None  # 2 minutes: gone, and deleted
    clock.now += timedelta(minutes=29, seconds=58)
    assert store.load(CHECKER).data == {"n": 3}
    clock.now += timedelta(seconds=1)
    assert store.load(CHECKER) is None
    assert rows(session) == 0


def test_expired_rows_of_every_owner_are_purged(session):
    clock = Clock()
    for _ in range(3):
        VisitorStore(session, None, now=clock).save(CHAT, {})
    VisitorStore(session, None, now=clock).save(DRAFT, {"reference": "A7KX-4M9P"})
    assert purge_expired(session, clock.now + timedelta(minutes=31)) == 4
    assert rows(session) == 0


def test_every_kind_has_a_lifetime():
    assert set(KINDS) == {"checker", "chat", "draft", "tracking", "petition"}
    assert all(kind.lifetime > timedelta(0) for kind in KINDS.values())


def test_a_short_configured_lifetime_reaches_the_checker(app, client):
    """``VISITOR_LIFETIMES`` (seconds per kind) is honoured by the pages, so tests need not wait 30 minutes."""
    from .conftest import csrf_token

    app.config["VISITOR_LIFETIMES"] = {"checker": 60}
    token = csrf_token(client, "/eligibility")
    client.post("/eligibility/start", data={"csrf_token": token, "benefit": "fuel-subsidy"})
    with app.app_context():
        from portal.web.database import db_session

        row = db_session().scalars(select(ServerSession)).one()
        expires = row.expires_at.replace(tzinfo=timezone.utc)
    assert timedelta(seconds=50) < expires - datetime.now(timezone.utc) <= timedelta(seconds=60)
