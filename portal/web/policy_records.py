"""Policy records as the API returns them (and the policy pages use), in one language."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..content import Catalogue, Policy
from ..eligibility.parameters import amount
from .display import LOCALES
from .features import applies_online


def department_record(catalogue: Catalogue, department_id: str, lang: str) -> dict[str, str]:
    department = catalogue.department(department_id)
    return {"id": department_id, "name": department.name.get(lang) if department else department_id}


def amount_records(catalogue: Catalogue, policy: Policy, lang: str) -> list[dict[str, Any]]:
    """The policy's amounts in force today (the eligibility engine's lookup by effective date); an
    unconfirmed one carries no value, only who to ask."""
    records = []
    for parameter_id in policy.parameters:
        in_force = amount(parameter_id, date.today(), lang)
        parameter = catalogue.parameter(parameter_id)
        if in_force is not None:
            name = parameter.name.get(lang) if parameter and parameter.name else parameter_id
            records.append({"id": parameter_id, "name": name, **in_force})
    return records


def policy_summary(policy: Policy, lang: str) -> dict[str, Any]:
    return {
        "id": policy.id,
        "title": policy.title.get(lang),
        "summary": policy.summary.get(lang),
        "category": policy.category,
        "audience": list(policy.audience),
        "apply": policy.apply,
        "url": url_for("policies.show", policy_id=policy.id, _external=False),
    }


def how_to_apply(policy: Policy, lang: str) -> str:
    """The content's how-to-apply text; until online applications open, it says so (channels such as the
    assistant repeat this text, so the caveat must travel with it)."""
    text = policy.how_to_apply.get(lang)
    if policy.apply == "online" and not applies_online(policy):
        with force_locale(LOCALES[lang]):
            note = _("(Online applications on this portal are not open yet: until they are, apply in person.)")
        text = f"{text}{note}" if lang == "zh" else f"{text} {note}"
    return text


def policy_record(catalogue: Catalogue, policy: Policy, lang: str) -> dict[str, Any]:
    """Everything the portal publishes about one policy, in ``lang``."""
    sign = policy.sign_language
    return {
        **policy_summary(policy, lang),
        "lang": lang,
        "who": policy.who.get(lang),
        "what_you_get": policy.what_you_get.get(lang),
        "how_to_apply": how_to_apply(policy, lang),
        "documents_required": [document.get(lang) for document in policy.documents_required],
        "lead_department": department_record(catalogue, policy.lead_department, lang),
        "partner_departments": [department_record(catalogue, d, lang) for d in policy.partner_departments],
        "seed_refs": list(policy.seed_refs),
        "sources": [{"ref": source.ref, "title": source.title} for source in policy.sources],
        "eligibility_rule": policy.eligibility_rule,
        "eligibility_url": url_for("eligibility.start", benefit=policy.id) if policy.eligibility_rule else None,
        "apply_url": url_for("apply.start", benefit=policy.id) if applies_online(policy) else None,
        "amounts": amount_records(catalogue, policy, lang),
        "easy_read": [{"icon": item.icon, "text": item.text} for item in policy.easy_read.get(lang, ())],
        "keywords": list(policy.keywords.get(lang, ())),
        "sign_language": None
        if sign is None
        else {
            "video": sign.video,
            "captions": sign.captions,
            "transcript": sign.transcript.get(lang) if sign.transcript else None,
        },
        "last_reviewed": policy.last_reviewed.isoformat() if policy.last_reviewed else None,
        "body_html": policy.body_html.get(lang),
    }
