"""Policy pages: browse by topic and audience, and one page per policy (the answer first)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from ..content.models import AUDIENCES
from ..web.i18n import current_lang
from ..web.policy_records import amount_records
from ..web.services import catalogue

bp = Blueprint("policies", __name__)

RELATED_MAX = 4


@bp.get("/policies")
def index():
    content = catalogue()
    category = request.args.get("category")
    audience = request.args.get("audience")
    if category is not None and content.category(category) is None:
        abort(404)
    if audience is not None and audience not in AUDIENCES:
        abort(404)
    groups = []
    for item in content.categories:
        if category and item.id != category:
            continue
        policies = [p for p in content.policies_in(item.id) if not audience or audience in p.audience]
        if policies:
            groups.append((item, policies))
    return render_template(
        "policies/index.html",
        groups=groups,
        category=content.category(category) if category else None,
        audience=audience,
        audiences=AUDIENCES,
        categories=content.categories,
    )


@bp.get("/policies/<policy_id>")
def show(policy_id: str):
    content = catalogue()
    policy = content.policy(policy_id)
    if policy is None:
        abort(404)
    lang = current_lang()
    related = [p for p in content.policies_in(policy.category) if p.id != policy.id][:RELATED_MAX]
    return render_template(
        "policies/show.html",
        policy=policy,
        category=content.category(policy.category),
        lead=content.department(policy.lead_department),
        partners=[content.department(d) for d in policy.partner_departments if content.department(d)],
        amounts=amount_records(content, policy, lang),
        related=related,
        easy=request.args.get("easy") == "1",
    )
