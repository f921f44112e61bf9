"""Policy pages: browse by topic and audience, and one page per policy (the answer first)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from ..content.models import AUDIENCES
from ..forms.complaints import RATING_LABELS
from ..web.i18n import current_lang
from ..web.petitions import petitions
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


#: Policies whose online channel is not an application form (content check: ``NOT_INTAKE``): the service that
#: takes it and its page.
ONLINE_CHANNELS = {"petition-12385": ("complaints", "complaints.start")}


def _rating_closes() -> str:
    """The ratings that close a petition at once, in words (content/petitions.yml)."""
    closes = petitions().rating_closes()[0]
    return ("、" if current_lang() == "zh" else ", ").join(
        str(label) for rating, label in RATING_LABELS.items() if rating in closes
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
        online_channel=ONLINE_CHANNELS.get(policy.id),
        rating_closes=_rating_closes() if policy.id in ONLINE_CHANNELS else "",
    )
