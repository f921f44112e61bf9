"""The append-only audit record: who did what to which case, when, from where. This module only ever inserts;
nothing in the portal updates or deletes an audit row. ``detail`` never holds personal data."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..db.models import AuditEvent


def record(
    session: Session, actor: str, action: str, subject: str | None = None, origin: str | None = None,
    detail: str | None = None,
) -> None:  # fmt: skip
    """Add one event to the session's transaction (it is written with the change it records, or not at all)."""
    session.add(AuditEvent(actor=actor, action=action, subject=subject, origin=origin, detail=detail))
