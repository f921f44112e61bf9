"""``GET /api/v1/policies`` and ``GET /api/v1/policies/<id>``."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from ..web.policy_records import policy_record, policy_summary
from ..web.ratelimits import per_address
from ..web.services import catalogue
from . import bp
from .contract import operation, read_query
from .errors import ApiError, in_lang
from .models import LangQuery, PoliciesQuery, PoliciesResponse, errors


@bp.get("/policies")
@operation(
    "get",
    "/api/v1/policies",
    "Every policy, in catalogue order",
    query=PoliciesQuery,
    responses={200: ("The policies", PoliciesResponse), **errors(400, 429)},
)
@per_address("read")
def list_policies():
    query = read_query(PoliciesQuery)
    lang, category = query.lang, query.category
    content = catalogue()
    if category is not None and content.category(category) is None:
        with in_lang(lang):
            raise ApiError("category", _("There is no category called %(name)s.", name=category[:50]))
    policies = content.policies_in(category) if category is not None else content.policies
    return jsonify(
        {
            "total": len(policies),
            "categories": [{"id": c.id, "name": c.name.get(lang)} for c in content.categories],
            "policies": [policy_summary(policy, lang) for policy in policies],
        }
    )


@bp.get("/policies/<policy_id>")
@operation(
    "get",
    "/api/v1/policies/{policy_id}",
    "One policy record",
    query=LangQuery,
    responses={200: ("The policy", None), **errors(400, 404, 429)},
)
@per_address("read")
def get_policy(policy_id: str):
    lang = read_query(LangQuery).lang
    content = catalogue()
    policy = content.policy(policy_id)
    if policy is None:
        with in_lang(lang):
            raise ApiError("id", _("There is no policy with this id."), status=404)
    return jsonify(policy_record(content, policy, lang))
