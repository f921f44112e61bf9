"""The escalation job's work (applications-and-petitions.md, "Escalation"): for every open petition, a reminder
to the handling department 3 days before its current deadline and on the day, and an escalation to the supervisor
on the day and after it. It writes alerts only: it never moves a case. Running it twice adds nothing (one alert
per petition, kind, deadline and due date); a run that was missed catches up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Petition, PetitionAlert
from . import clock
from .routing import TRIAGE

#: the status a petition is in → the deadline it runs against
CURRENT = {"received": "acknowledge_by", "accepted": "resolve_by", "review_requested": "review_reply_by"}
REMIND_DAYS_BEFORE = 3


@dataclass(frozen=True)
class Summary:
    checked: int
    reminders: int
    escalations: int


def due_alerts(petition: Petition, today: dt.date) -> list[tuple[str, str, str, str]]:
    """(kind, recipient, deadline, due) of every alert the petition should have by ``today``."""
    which = CURRENT.get(petition.status)
    due = getattr(petition, which) if which else None
    if not due:
        return []
    left = (dt.date.fromisoformat(due) - today).days
    handler = "supervisor" if petition.department == TRIAGE else petition.department
    alerts = []
    if left <= REMIND_DAYS_BEFORE:
        alerts.append(("reminder_before", handler, which, due))
    if left <= 0:
        alerts.append(("reminder_due", handler, which, due))
        alerts.append(("escalation", "supervisor", which, due))
    return alerts


def run(session: Session, now: dt.datetime) -> Summary:
    """One pass over the open petitions, at ``now``; commits the new alerts."""
    today = clock.china_date(now)
    rows = session.execute(
        select(Petition.id, Petition.status, Petition.department, Petition.acknowledge_by, Petition.resolve_by,
               Petition.review_reply_by).where(Petition.status.in_(tuple(CURRENT)))
    ).all()
    existing = {
        (a.petition_id, a.kind, a.deadline, a.due)
        for a in session.execute(
            select(PetitionAlert.petition_id, PetitionAlert.kind, PetitionAlert.deadline, PetitionAlert.due).where(
                PetitionAlert.petition_id.is_not(None)
            )
        )
    }
    reminders = escalations = 0
    for row in rows:
        for kind, recipient, which, due in due_alerts(row, today):  # type: ignore[arg-type]
            if (row.id, kind, which, due) in existing:
                continue
            session.add(PetitionAlert(petition_id=row.id, kind=kind, recipient=recipient, deadline=which, due=due,
                                      created_at=now))  # fmt: skip
            existing.add((row.id, kind, which, due))
            if kind == "escalation":
                escalations += 1
            else:
                reminders += 1
    session.commit()
    return Summary(len(rows), reminders, escalations)
