"""The audit record for supervisors: filter and export. Read-only: nothing here (or anywhere) changes it."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template, request
from sqlalchemy import select

from ...db.models import AuditEvent
from ...web.database import db_session
from ...web.staff_auth import requires
from . import bp

PAGE = 200


def _events():
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    actor, action, subject = (request.args.get(k, "").strip()[:60] for k in ("actor", "action", "subject"))
    if actor:
        query = query.where(AuditEvent.actor.contains(actor))
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if subject:
        query = query.where(AuditEvent.subject == subject.upper())
    return db_session().scalars(query.limit(PAGE if request.path.endswith("audit") else 100_000)).all()


@bp.get("/audit")
@requires("audit.view")
def audit():
    return render_template("staff/audit.html", events=_events(), filters=request.args, page=PAGE)


@bp.get("/audit.csv")
@requires("audit.view")
def audit_export():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "actor", "action", "subject", "origin", "detail"])
    for event in _events():
        writer.writerow(
            [
                event.id,
                event.at.isoformat(),
                event.actor,
                event.action,
                event.subject or "",
                event.origin or "",
                event.detail or "",
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit.csv"},
    )
