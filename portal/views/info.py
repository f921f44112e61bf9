"""Information pages: the accessibility statement and the privacy page."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template

from ..applications.workflow import DRAFT_LIFETIME
from ..db.visitor_store import KINDS

bp = Blueprint("info", __name__)

STATEMENT_REVIEWED = date(2026, 11, 29)


@bp.get("/accessibility")
def accessibility():
    return render_template("accessibility.html", statement_date=STATEMENT_REVIEWED)


@bp.get("/privacy")
def privacy():
    lifetimes = current_app.config.get("VISITOR_LIFETIMES") or {}
    longest = max(int(lifetimes.get(kind.name, kind.lifetime.total_seconds())) for kind in KINDS.values())
    return render_template(
        "privacy.html",
        draft_days=DRAFT_LIFETIME.days,
        visitor_minutes=max(1, longest // 60),
        decided=current_app.config["DECIDED_CASE_RETENTION"],
    )
