"""The staff home: the queue of cases this member of staff may open, oldest first, with counts and filters, as a
table that works without JavaScript; a CSV export without full ID numbers."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from flask import Response, render_template, request

from ...accounts.permissions import can
from ...applications.identity import mask
from ...applications.review import Review
from ...applications.workflow import STATUSES, aware
from ...web.application_status import STATUS_LABELS
from ...web.applications import applications
from ...web.services import catalogue
from ...web.staff_auth import requires, signed_in_staff
from . import bp

WAITING_DAYS = (7, 30)
PAGE_SIZE = 50


def _filters():
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    benefit = request.args.get("benefit") if request.args.get("benefit") in catalogue().forms else None
    town = request.args.get("town") if catalogue().town(request.args.get("town") or "") else None
    waiting = request.args.get("waiting", type=int)
    before = datetime.now(timezone.utc) - timedelta(days=waiting) if waiting in WAITING_DAYS else None
    return {"status": status, "benefit": benefit, "town": town, "submitted_before": before}


def _days(application) -> int:
    since = aware(application.submitted_at) or aware(application.created_at)
    return (datetime.now(timezone.utc) - since).days if since else 0


@bp.get("")
@requires("home")
def home():
    staff = signed_in_staff()
    if not can(staff, "applications.view"):
        return render_template("staff/home.html", staff=staff, rows=None, counts={}, filters={})
    review = Review(applications())
    page = max(request.args.get("page", 1, type=int), 1)
    cases, total = review.queue(staff, **_filters(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    masked = {}
    for application in cases:  # only this page's rows are unsealed
        applicant = review.apps.answers(application).get("applicant") or {}
        masked[application.id] = (applicant.get("name", "")[:1] + "**", mask(applicant.get("id_number", "")))
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "staff/home.html",
        staff=staff,
        rows=[(a, _days(a)) for a in cases],
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        counts=review.counts(staff),
        masked=masked,
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        filters=args,
        towns=catalogue().towns,
        benefits=[catalogue().policy(b) for b in catalogue().forms],
        waiting_days=WAITING_DAYS,
    )


@bp.get("/applications.csv")
@requires("applications.view")
def export():
    staff = signed_in_staff()
    review = Review(applications())
    cases, _total = review.queue(staff, **_filters(), limit=100_000)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "benefit", "status", "town", "submitted_at", "days_waiting", "id_number"])
    for application in cases:
        applicant = review.apps.answers(application).get("applicant") or {}
        submitted = aware(application.submitted_at)
        writer.writerow(
            [
                application.reference,
                application.benefit,
                application.status,
                application.town or "",
                submitted.isoformat() if submitted else "",
                _days(application),
                mask(applicant.get("id_number", "")),
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=applications.csv"},
    )
