"""The outbox: notices owed to residents (received, more information needed, decided), and one small sender
interface. No SMS gateway is reachable here, so the default sender only records: a notice stays ``recorded`` and
the status page shows it; nothing ever claims a message was sent when it was only recorded."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Notice


class Sender(Protocol):
    def deliver(self, notice: Notice) -> bool:
        """Send ``notice``; True only when a gateway accepted it."""


class RecordingSender:
    """The default: keeps the notice for the status page and sends nothing."""

    def deliver(self, notice: Notice) -> bool:
        return False


def send_pending(session: Session, sender: Sender) -> int:
    """Offer every recorded notice to ``sender``; mark the ones it delivered. Returns how many were sent."""
    sent = 0
    for notice in session.scalars(select(Notice).where(Notice.state == "recorded")):
        if sender.deliver(notice):
            notice.state, notice.sent_at = "sent", datetime.now(timezone.utc)
            sent += 1
    session.commit()
    return sent
