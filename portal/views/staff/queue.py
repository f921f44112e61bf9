"""The staff home: the queue of cases this member of staff may open, oldest first, with counts and filters, as a
table that works without JavaScript; a CSV export without full ID numbers."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from flask import Response, render_template, request

from ...accounts.permissions import can
from ...applications.identity import mask
from ...applications.review import Review
from ...applications.workflow import STATUSES, aware
from ...web.application_status import STATUS_LABELS
from ...web.applications import applications
from ...web.services import catalogue
from ...web.staff_auth import current_staff, requires
from . import bp

WAITING_DAYS = (7, 30)


def _rows():
    staff = current_staff()
    assert staff is not None
    review = Review(applications())
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    benefit = request.args.get("benefit") if request.args.get("benefit") in catalogue().forms else None
    town = request.args.get("town") if catalogue().town(request.args.get("town") or "") else None
    waiting = request.args.get("waiting", type=int)
    now = datetime.now(timezone.utc)
    rows = []
    for application in review.queue(staff, status, benefit, town):
        since = aware(application.submitted_at) or aware(application.created_at)
        days = (now - since).days if since else 0
        if waiting in WAITING_DAYS and days < waiting:
            continue
        rows.append((application, days))
    return staff, review, rows


@bp.get("")
@requires("home")
def home():
    staff = current_staff()
    assert staff is not None
    if not can(staff, "applications.view"):
        return render_template("staff/home.html", staff=staff, rows=None, counts={}, filters={})
    staff, review, rows = _rows()
    counts: dict[str, int] = {}
    for application in review.queue(staff):
        counts[application.status] = counts.get(application.status, 0) + 1
    masked = {}
    for application, _days in rows:
        applicant = review.apps.answers(application).get("applicant") or {}
        masked[application.id] = (applicant.get("name", "")[:1] + "**", mask(applicant.get("id_number", "")))
    return render_template(
        "staff/home.html",
        staff=staff,
        rows=rows,
        counts=counts,
        masked=masked,
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        filters=request.args,
        towns=catalogue().towns,
        benefits=[catalogue().policy(b) for b in catalogue().forms],
        waiting_days=WAITING_DAYS,
    )


@bp.get("/applications.csv")
@requires("applications.view")
def export():
    _staff, review, rows = _rows()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "benefit", "status", "town", "submitted_at", "days_waiting", "id_number"])
    for application, days in rows:
        applicant = review.apps.answers(application).get("applicant") or {}
        submitted = aware(application.submitted_at)
        writer.writerow(
            [
                application.reference,
                application.benefit,
                application.status,
                application.town or "",
                submitted.isoformat() if submitted else "",
                days,
                mask(applicant.get("id_number", "")),
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=applications.csv"},
    )
