"""``/staff``: the back office for the 镇街, 区残联 and 区民政局. One blueprint; each module one task: signing in,
the queue, a case, the audit record, accounts. Every route names its permission (``web.staff_auth.requires``)."""

from __future__ import annotations

from flask import Blueprint

from ...web.features import serves

bp = Blueprint("staff", __name__, url_prefix="/staff")
serves(bp, "staff")

from . import accounts, audit_log, cases, petitions, queue, sign_in  # noqa: E402,F401  (routes register on bp)
