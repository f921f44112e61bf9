"""Checks of the application forms (``forms/<benefit>.yml``) and the towns (``towns.yml``): a form asks every fact
its benefit's rule reads, documents are described in both languages, and nothing claims a review nobody did."""

from __future__ import annotations

import re

from .loader import ContentProblem, key_lines, read_yaml, rel_path
from .models import Catalogue

DETAILS = ("certificate_number", "bank")
#: Facts a form never asks: the age comes from the ID number.
DERIVED = ("age",)
#: Policies that say ``apply: online`` but whose online channel is not an application form.
NOT_INTAKE = ("petition-12385",)  # 12385 petitions are filed at /complaints
DOCUMENT_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")


def check_forms(catalogue: Catalogue) -> list[ContentProblem]:
    from ..eligibility.facts import FIELDS  # imported here: the engine itself reads content
    from ..eligibility.rules import RULES_BY_ID

    problems: list[ContentProblem] = []
    online = {p.id for p in catalogue.policies if p.apply == "online" and p.id not in NOT_INTAKE}
    for policy_id in sorted(online - set(catalogue.forms)):
        problems.append(ContentProblem(f"content/forms/{policy_id}.yml", 0, "apply: online, but the form is missing"))
    for benefit, form in sorted(catalogue.forms.items()):
        assert form.path is not None  # noqa: S101  (type narrowing: every loaded form has its file's path)
        rel = rel_path(form.path, catalogue.content_dir)
        lines = key_lines(form.path.read_text(encoding="utf-8"))

        def add(key: str, message: str, rel: str = rel, lines: dict[str, int] = lines) -> None:
            problems.append(ContentProblem(rel, lines.get(key, 0), message))

        if form.path.stem != benefit:
            add("benefit", f"benefit {benefit!r} does not match the file name")
        if benefit not in online:
            add("benefit", f"{benefit!r} is not a policy with apply: online")
        if form.minutes <= 0:
            add("minutes", "minutes must be a positive whole number")
        for fact in form.facts:
            if fact not in FIELDS or fact in DERIVED:
                add("facts", f"{fact!r} is not a fact a form can ask")
        if len(set(form.facts)) != len(form.facts):
            add("facts", "a fact is listed twice")
        rule = RULES_BY_ID.get(benefit)
        if rule is not None:
            unasked = sorted(set(rule.reads) - set(form.facts) - set(DERIVED))
            if unasked:
                add("facts", f"the rule {benefit!r} also reads {', '.join(unasked)}: ask them")
        for detail in form.details:
            if detail not in DETAILS:
                add("details", f"unknown detail {detail!r} (known: {', '.join(DETAILS)})")
        seen: set[str] = set()
        if not any(document.required for document in form.documents):
            add("documents", "at least one document must be required (the applicant's identity)")
        for document in form.documents:
            if not DOCUMENT_ID.fullmatch(document.id) or document.id in seen:
                add("documents", f"document id {document.id!r} must be lower-case ascii and unique")
            seen.add(document.id)
            for label, text in (("name", document.name), ("what_counts", document.what_counts), ("ask", document.ask)):
                if not (text.zh.strip() and text.en.strip()):
                    add("documents", f"{document.id}: {label} needs zh and en")
            if document.confirmed and not document.source:
                add("documents", f"{document.id}: confirmed: true needs the source that was checked")
            if not document.confirmed and "12385" not in document.ask.zh:
                add("documents", f"{document.id}: an unconfirmed requirement must say who to ask (and 12385)")
    return problems


def check_towns(catalogue: Catalogue) -> list[ContentProblem]:
    path = catalogue.content_dir / "towns.yml"
    if not path.exists():
        return [ContentProblem("content/towns.yml", 0, "file is missing")]
    rel = rel_path(path, catalogue.content_dir)
    problems = []
    source = catalogue.towns_source
    if not isinstance(source.get("confirmed"), bool) or not (source.get("ask") or {}).get("zh"):
        problems.append(ContentProblem(rel, 1, "source needs confirmed: true|false and who to ask"))
    ids = [town.id for town in catalogue.towns]
    if not ids:
        problems.append(ContentProblem(rel, 1, "no towns"))
    for town in catalogue.towns:
        if ids.count(town.id) > 1 or not DOCUMENT_ID.fullmatch(town.id):
            problems.append(ContentProblem(rel, 0, f"town id {town.id!r} must be lower-case ascii and unique"))
        if not (town.name.zh and town.name.en):
            problems.append(ContentProblem(rel, 0, f"{town.id}: needs zh and en names"))
    read_yaml(path, catalogue.content_dir)
    return problems
