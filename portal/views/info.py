"""Information pages: the accessibility statement."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template

bp = Blueprint("info", __name__)

STATEMENT_REVIEWED = date(2026, 11, 29)


@bp.get("/accessibility")
def accessibility():
    return render_template("accessibility.html", statement_date=STATEMENT_REVIEWED)
