"""The intake engine: a benefit's form (``content/forms/<benefit>.yml``) as a sequence of pages grouped into the
sections of a task list, the next page computed from the answers given so far (as the checker does), and every
field validated as residents write it. No Flask here: the web layer renders a page from its fields and kinds.

The answers of a draft are one dict, the *answer store*::

    {"who": "self" | "proxy",
     "proxy": {"name", "relation", "id_number", "phone"},
     "applicant": {"name", "id_number", "phone", "town", "village", "address",
                   "certificate_number", "bank_name", "bank_account"},
     "facts": {<eligibility profile fields>},
     "asked": [<fact questions answered or skipped, in order>], "skipped": [...],
     "consent": {"general", "sensitive", "guardian", "at"}, "declaration": {...}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..checker.flow import EXCLUSION_FIELDS, EXCLUSIONS
from ..checker.flow import question as fact_question
from ..content import Catalogue, FormSpec
from ..eligibility import RULE_IDS, missing
from . import identity
from .identity import InvalidNumber

RELATIONS = ("guardian", "family", "village_worker", "other")
NAME_MAX = 50
VILLAGE_MAX = 60
ADDRESS_MAX = 120
BANK_NAME_MAX = 40
#: 个人信息保护法 第三十一条: a child under 14's personal information needs a parent's or guardian's consent.
GUARDIAN_CONSENT_UNDER = 14


@dataclass(frozen=True)
class FieldSpec:
    """One input on a page. ``kind``: text | radios | select. ``clean`` turns what was typed into the stored value
    or raises InvalidNumber(code); it gets the whole answer store (a certificate number is checked against the ID
    number and the category and grade given)."""

    name: str
    kind: str
    clean: Callable[[str, Mapping[str, Any]], Any]
    options: Callable[[Catalogue], tuple[str, ...]] | None = None
    autocomplete: str | None = None
    inputmode: str | None = None
    width: int | None = None
    sensitive: bool = False  # shown back masked


def _text(max_length: int) -> Callable[[str, Mapping[str, Any]], str]:
    def clean(raw: str, _answers: Mapping[str, Any]) -> str:
        text = " ".join((raw or "").split())
        if not text:
            raise InvalidNumber("required")
        if len(text) > max_length:
            raise InvalidNumber("too_long")
        if any(ord(ch) < 32 for ch in text):
            raise InvalidNumber("characters")
        return text

    return clean


def _choice(options: Callable[[Catalogue], tuple[str, ...]], catalogue: Callable[[], Catalogue]):
    def clean(raw: str, _answers: Mapping[str, Any]) -> str:
        value = (raw or "").strip()
        if not value:
            raise InvalidNumber("required")
        if value not in options(catalogue()):
            raise InvalidNumber("choice")
        return value

    return clean


def _id_number(raw: str, _answers: Mapping[str, Any]) -> str:
    return identity.clean_id_number(raw)


def _certificate(raw: str, answers: Mapping[str, Any]) -> str:
    facts = answers.get("facts") or {}
    return identity.clean_certificate_number(
        raw, (answers.get("applicant") or {}).get("id_number"), facts.get("category"), facts.get("grade")
    )


def _phone(raw: str, _answers: Mapping[str, Any]) -> str:
    return identity.clean_phone(raw)


def _bank(raw: str, _answers: Mapping[str, Any]) -> str:
    return identity.clean_bank_account(raw)


def _current() -> Catalogue:
    from .. import content

    return content.current()


def _towns(catalogue: Catalogue) -> tuple[str, ...]:
    return tuple(town.id for town in catalogue.towns)


WHO = FieldSpec("who", "radios", _choice(lambda _c: ("self", "proxy"), _current), lambda _c: ("self", "proxy"))
FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        WHO,
        FieldSpec("proxy_name", "text", _text(NAME_MAX), autocomplete="name", width=20),
        FieldSpec("relation", "radios", _choice(lambda _c: RELATIONS, _current), lambda _c: RELATIONS),
        FieldSpec("proxy_id_number", "text", _id_number, inputmode="text", width=20, sensitive=True),
        FieldSpec("proxy_phone", "text", _phone, autocomplete="tel", inputmode="tel", width=20),
        FieldSpec("name", "text", _text(NAME_MAX), width=20),
        FieldSpec("id_number", "text", _id_number, width=20, sensitive=True),
        FieldSpec("phone", "text", _phone, inputmode="tel", width=20),
        FieldSpec("town", "select", _choice(_towns, _current), _towns),
        FieldSpec("village", "text", _text(VILLAGE_MAX), width=30),
        FieldSpec("address", "text", _text(ADDRESS_MAX), autocomplete="street-address"),
        FieldSpec("certificate_number", "text", _certificate, width=30, sensitive=True),
        FieldSpec("bank_name", "text", _text(BANK_NAME_MAX), width=30),
        FieldSpec("bank_account", "text", _bank, inputmode="numeric", width=30, sensitive=True),
    )
}
#: Where each field is kept in the answer store: (block, key).
STORE = {
    "who": (None, "who"),
    "proxy_name": ("proxy", "name"),
    "relation": ("proxy", "relation"),
    "proxy_id_number": ("proxy", "id_number"),
    "proxy_phone": ("proxy", "phone"),
    **{name: ("applicant", name) for name in ("name", "id_number", "phone", "town", "village", "address")},
    **{name: ("applicant", name) for name in ("certificate_number", "bank_name", "bank_account")},
}


@dataclass(frozen=True)
class Page:
    """One page of details: an id (its URL part), its fields, the section it belongs to."""

    id: str
    section: str
    fields: tuple[str, ...]


APPLICANT_PAGES = (
    Page("who", "applicant", ("who",)),
    Page("proxy", "applicant", ("proxy_name", "relation", "proxy_id_number", "proxy_phone")),
    Page("name", "applicant", ("name",)),
    Page("id-number", "applicant", ("id_number",)),
    Page("phone", "applicant", ("phone",)),
    Page("address", "applicant", ("town", "village", "address")),
)
DETAIL_PAGES = {
    "certificate_number": Page("certificate-number", "details", ("certificate_number",)),
    "bank": Page("bank", "details", ("bank_name", "bank_account")),
}
SECTIONS = ("applicant", "situation", "details", "documents", "submit")


def get(answers: Mapping[str, Any], field: str) -> Any:
    block, key = STORE[field]
    return answers.get(key) if block is None else (answers.get(block) or {}).get(key)


def put(answers: dict[str, Any], field: str, value: Any) -> None:
    block, key = STORE[field]
    if block is None:
        answers[key] = value
    else:
        answers.setdefault(block, {})[key] = value


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str


def read_page(page: Page, form: Mapping[str, str], answers: dict[str, Any]) -> list[FieldError]:
    """Validate the page's fields from ``form``; on success store them in ``answers`` (and return no errors). On
    failure nothing is stored and every bad field is reported (the page shows what was typed again)."""
    cleaned: dict[str, Any] = {}
    errors = []
    trial = {**answers, "applicant": dict(answers.get("applicant") or {})}
    for field in page.fields:
        try:
            cleaned[field] = FIELDS[field].clean(form.get(field, ""), trial)
        except InvalidNumber as error:
            errors.append(FieldError(field, error.code))
    if page.id == "id-number" and not errors and "certificate_number" in (answers.get("applicant") or {}):
        try:  # a changed ID number must still agree with the certificate number given earlier
            trial["applicant"]["id_number"] = cleaned["id_number"]
            _certificate(answers["applicant"]["certificate_number"], trial)
        except InvalidNumber as error:
            errors.append(FieldError("id_number", error.code))
    if errors:
        return errors
    for field, value in cleaned.items():
        put(answers, field, value)
    if page.id == "who" and answers.get("who") == "self":
        answers.pop("proxy", None)
    return []


# --- the form's pages, in order ---------------------------------------------------------------------------------


def detail_pages(form: FormSpec) -> list[Page]:
    return [DETAIL_PAGES[name] for name in form.details if name in DETAIL_PAGES]


def applicant_pages(answers: Mapping[str, Any]) -> list[Page]:
    return [page for page in APPLICANT_PAGES if page.id != "proxy" or answers.get("who") == "proxy"]


def profile(answers: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """The eligibility facts of this application: the answers, and the age from the ID number."""
    facts = dict(answers.get("facts") or {})
    id_number = (answers.get("applicant") or {}).get("id_number")
    if id_number:
        facts["age"] = min(identity.age_on(id_number, today or date.today()), 120)
    if "certificate_number" in (answers.get("applicant") or {}):
        facts.setdefault("certificate", True)
    return facts


def fact_steps(form: FormSpec, answers: Mapping[str, Any]) -> list[str]:
    """The fact questions still to ask, in the form's order: those the benefit's rule still needs (and any the
    form asks for its own reasons), minus the ones answered or skipped; the exclusions once, at the end."""
    asked = set(answers.get("asked") or [])
    facts = profile(answers)
    rule = [form.benefit] if form.benefit in RULE_IDS else []
    needed = set(missing(facts, rule)) if rule else set(form.facts)
    steps = []
    for name in form.facts:
        if name in EXCLUSION_FIELDS:
            continue
        if name not in asked and (name in needed or (name not in facts and not rule)):
            steps.append(name)
    if any(name in EXCLUSION_FIELDS for name in form.facts) and EXCLUSIONS not in asked:
        steps.append(EXCLUSIONS)
    return steps


def record_fact(answers: dict[str, Any], name: str, values: Mapping[str, Any]) -> None:
    """Store the answer to fact question ``name`` (empty ``values``: skipped, 不知道)."""
    facts = answers.setdefault("facts", {})
    for fact in fact_question(name).facts:
        facts.pop(fact, None)
    facts.update(values)
    if name == "category" and values.get("category") != "multiple":
        facts.pop("multiple_includes", None)
    asked = answers.setdefault("asked", [])
    if name not in asked:
        asked.append(name)
    skipped = answers.setdefault("skipped", [])
    if not values and name not in skipped:
        skipped.append(name)
    elif values and name in skipped:
        skipped.remove(name)


def needs_guardian_consent(answers: Mapping[str, Any], today: date | None = None) -> bool:
    id_number = (answers.get("applicant") or {}).get("id_number")
    return bool(id_number) and identity.age_on(id_number, today or date.today()) < GUARDIAN_CONSENT_UNDER


@dataclass(frozen=True)
class Progress:
    """Where a draft stands: each section's state (done | todo | cannot_start) and the next page to show."""

    sections: dict[str, str]
    next_page: str  # a page id, "fact:<name>", "documents", "check"


def progress(form: FormSpec, answers: Mapping[str, Any], uploaded: set[str]) -> Progress:
    applicant = [p for p in applicant_pages(answers) if not all(get(answers, f) is not None for f in p.fields)]
    facts = fact_steps(form, answers)
    details = [p for p in detail_pages(form) if not all(get(answers, f) is not None for f in p.fields)]
    documents = [d.id for d in form.documents if d.required and d.id not in uploaded]
    sections = {
        "applicant": "todo" if applicant else "done",
        "situation": "todo" if facts else "done",
        "details": ("todo" if details else "done") if detail_pages(form) else "none",
        "documents": "todo" if documents else "done",
    }
    ready = all(state in ("done", "none") for state in sections.values())
    sections["submit"] = "todo" if ready else "cannot_start"
    if applicant:
        next_page = applicant[0].id
    elif facts:
        next_page = f"fact:{facts[0]}"
    elif details:
        next_page = details[0].id
    elif documents:
        next_page = "documents"
    else:
        next_page = "check"
    return Progress(sections, next_page)


def page(form: FormSpec, answers: Mapping[str, Any], page_id: str) -> Page | None:
    """The details page ``page_id`` if this form (with these answers) has it."""
    for candidate in [*applicant_pages(answers), *detail_pages(form)]:
        if candidate.id == page_id:
            return candidate
    return None


def validate_all(form: FormSpec, answers: Mapping[str, Any]) -> list[FieldError]:
    """Every field of every page checked again (the API and the final submit): nothing unchecked is filed."""
    errors = []
    for candidate in [*applicant_pages(answers), *detail_pages(form)]:
        for field in candidate.fields:
            value = get(answers, field)
            if value is None:
                errors.append(FieldError(field, "required"))
                continue
            try:
                FIELDS[field].clean(str(value), answers)
            except InvalidNumber as error:
                errors.append(FieldError(field, error.code))
    return errors
