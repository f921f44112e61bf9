"""Eligibility engine: the rules of ``eligibility-rules.md`` as code (no Flask here).

Public API::

    evaluate(profile, benefits=None, lang="zh", on=None, online=()) -> list[dict]
    missing(profile, benefits=None) -> list[str]          # what the checker asks next, without texts
    parse_request(body, lang="zh") -> EligibilityRequest      # raises RequestError
    RULE_IDS, FIELDS, RequestError, EligibilityRequest, field_label, value_label

``evaluate`` returns, per requested rule in spec order,
``{"benefit", "status", "reasons", "missing", "sources", "next_step", "amount"}``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import texts
from .engine import COMPILED, decide
from .facts import FIELDS, ProfileError, validate_profile
from .parameters import amount as _amount
from .rules import NEED_MORE_INFO, RULE_IDS, RULES, Branch, Rule
from .texts import LANGS, field_label, value_label

__all__ = [
    "FIELDS",
    "LANGS",
    "RULE_IDS",
    "EligibilityRequest",
    "RequestError",
    "evaluate",
    "field_label",
    "missing",
    "parse_request",
    "rules_version",
    "value_label",
]

TOP_LEVEL_KEYS = ("profile", "benefits", "lang")


class RequestError(ValueError):
    """A malformed request: ``field`` names it (``profile.age``, ``benefits[2]``, ``lang``, ``body``),
    ``message`` says what is wrong in the request's language, ``code`` is a stable machine code."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code


@dataclass(frozen=True)
class EligibilityRequest:
    profile: dict[str, Any] = field(default_factory=dict)
    benefits: tuple[str, ...] | None = None  # None: all rules
    lang: str = "zh"


def _error(field_path: str, code: str, lang: str, **params: Any) -> RequestError:
    base = field_path.split("[", 1)[0].removeprefix("profile.")
    label = field_label(base, lang) if base in FIELDS else field_path
    allowed = params.pop("allowed", None)
    if allowed is not None:
        params["allowed"] = ", ".join(str(a) for a in allowed)
    message = texts.text("errors", code, lang).format(field=field_path, label=label, **params)
    return RequestError(field_path, message, code)


def _profile(profile: object, lang: str) -> dict[str, Any]:
    try:
        return validate_profile(profile)
    except ProfileError as exc:
        raise _error(exc.field, exc.code, lang, **exc.params) from None


def _benefits(benefits: object, lang: str) -> tuple[str, ...]:
    if not isinstance(benefits, list | tuple):
        raise _error("benefits", "benefits_not_list", lang)
    for i, item in enumerate(benefits):
        if not isinstance(item, str) or item not in RULE_IDS:
            raise _error(f"benefits[{i}]", "unknown_benefit", lang, allowed=RULE_IDS)
    return tuple(benefits)


def parse_request(body: object, lang: str = "zh") -> EligibilityRequest:
    """Validate a decoded JSON body. Messages are in the body's ``lang`` when it is valid, else in
    ``lang``. JSON ``null`` for ``profile``, ``benefits``, ``lang`` or a profile field means "not given".
    """
    msg_lang = lang if lang in LANGS else "zh"
    if isinstance(body, Mapping) and body.get("lang") in LANGS:
        msg_lang = body["lang"]
    if not isinstance(body, Mapping):
        raise _error("body", "body_not_object", msg_lang)
    for key in body:
        if key not in TOP_LEVEL_KEYS:
            raise _error(str(key), "unknown_key", msg_lang, allowed=TOP_LEVEL_KEYS)
    req_lang = body.get("lang")
    if req_lang is None:
        req_lang = msg_lang
    elif req_lang not in LANGS:
        raise _error("lang", "lang", msg_lang, allowed=LANGS)
    profile = body.get("profile")
    profile = {} if profile is None else _profile(profile, msg_lang)
    benefits = body.get("benefits")
    chosen = None if benefits is None else _benefits(benefits, msg_lang)
    return EligibilityRequest(profile=profile, benefits=chosen, lang=req_lang)


def _next_step(rule: Rule, branch: Branch | None, status: str, lang: str, online: Collection[str]) -> str:
    key = (
        branch.next_step
        if branch
        else {"eligible": "common.apply", "needs_review": "common.review", NEED_MORE_INFO: "common.need_more_info"}.get(
            status, "common.help"
        )
    )
    if key == "common.apply":  # online only where the rule says so and the portal takes the application now
        key = "common.apply_online" if rule.apply == "online" and rule.id in online else "common.apply_offline"
    decider = branch.decides if branch and branch.decides else rule.lead
    extra = {"lead": texts.department(rule.lead, lang), "decider": texts.department(decider, lang)}
    return texts.render(texts.text("next_steps", key, lang), {}, lang, extra)


def _answer(rule: Rule, profile: Mapping[str, Any], lang: str, on: date, online: Collection[str]) -> dict[str, Any]:
    decision = decide(rule.id, profile)
    facts = dict(profile)
    extra = {"lead": texts.department(rule.lead, lang)}
    if decision.status == NEED_MORE_INFO:
        extra["fields"] = texts.join_labels(decision.missing, lang)
        reasons = [texts.render(texts.text("reasons", "common.need_more_info", lang), facts, lang, extra)]
        first = None
    elif decision.reasons:
        reasons = []
        for branch in decision.reasons:
            extra["decider"] = texts.department(branch.decides or rule.lead, lang)
            sentence = texts.render(texts.text("reasons", branch.reason, lang), facts, lang, extra)
            if sentence not in reasons:
                reasons.append(sentence)
        first = decision.reasons[0]
    else:  # decided only by case analysis: no single known fact to name; the lead department decides
        extra["decider"] = extra["lead"]
        reasons = [texts.render(texts.text("reasons", f"common.{decision.status}", lang), facts, lang, extra)]
        first = None
    return {
        "benefit": rule.id,
        "status": decision.status,
        "reasons": reasons,
        "missing": list(decision.missing),
        "sources": texts.display_sources(rule.sources),
        "next_step": _next_step(rule, first, decision.status, lang, online),
        "amount": _amount(rule.amount, on, lang) if rule.amount else None,
    }


def evaluate(
    profile: Mapping[str, Any],
    benefits: Sequence[str] | None = None,
    lang: str = "zh",
    on: date | None = None,
    online: Collection[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Answer every requested rule (all by default) in spec order. The profile is validated first
    (``RequestError`` as in ``parse_request``); ``on`` picks the amounts in force (default today); ``online`` are
    the benefits whose applications the portal takes now (the features registry decides; by default none, so
    no answer promises an online application that is not open)."""
    if lang not in LANGS:
        raise _error("lang", "lang", "zh", allowed=LANGS)
    clean = _profile(profile, lang)
    wanted = set(RULE_IDS if benefits is None else _benefits(benefits, lang))
    day = on or date.today()
    return [_answer(rule, clean, lang, day, online) for rule in RULES if rule.id in wanted]


def rules_version() -> str:
    """Which rules answered: a digest of the modules that decide (stored with every submitted application)."""
    digest = hashlib.sha256()
    for name in ("rules.py", "logic.py", "engine.py", "facts.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return "rules-" + digest.hexdigest()[:12]


def missing(profile: Mapping[str, Any], benefits: Sequence[str] | None = None) -> list[str]:
    """The fields any requested rule (all by default) still needs, in schema order: what ``evaluate`` lists as
    ``missing``, without rendering reasons, next steps or amounts (the checker asks this on every page)."""
    clean = _profile(profile, "zh")
    wanted = set(RULE_IDS if benefits is None else _benefits(benefits, "zh"))
    needed = {name for rule in RULES if rule.id in wanted for name in decide(rule.id, clean).missing}
    return [name for name in FIELDS if name in needed]


# Import-time check that every rule's declared facts are exactly those its conditions read.
for _rule in RULES:
    _derived = COMPILED[_rule.id].derived_reads
    if _derived != frozenset(_rule.reads):
        raise AssertionError(f"{_rule.id}: declares {sorted(_rule.reads)}, reads {sorted(_derived)}")
