"""Dataclasses for the portal's reviewed content (``content/``).

Everything here is read-only once loaded: the catalogue is built at start-up (and by the search index
builder) from the files under ``content/`` and never changed at run time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .needs import NeedsVocabulary

LANGS = ("zh", "en")
AUDIENCES = ("children", "students", "working-age", "older-people", "families", "employers")
APPLY_MODES = ("online", "offline", "info")
ICONS = (
    "person",
    "family",
    "child",
    "money",
    "home",
    "document",
    "phone",
    "office",
    "calendar",
    "health",
    "wheelchair",
    "school",
    "work",
    "question",
    "check",
    "warning",
    "law",
    "heart",
    "bus",
    "book",
)


@dataclass(frozen=True)
class Text:
    """A text in both portal languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang``; Chinese for anything but ``en`` (Chinese is the default language)."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Source:
    """An official document beyond the plan, e.g. ``国发〔2015〕52号``."""

    ref: str
    title: str


@dataclass(frozen=True)
class EasyReadItem:
    icon: str
    text: str


@dataclass(frozen=True)
class SignLanguage:
    video: str
    captions: str
    transcript: Text | None


@dataclass(frozen=True)
class Category:
    id: str
    name: Text


@dataclass(frozen=True)
class Department:
    id: str
    name: Text
    in_seed: bool = True  # False: the plan does not name it (``seed: false`` in departments.yml)


@dataclass(frozen=True)
class Indicator:
    """One of 专栏1's 13 indicators. ``raw`` keeps every key of the YAML entry."""

    number: int
    name: Text
    target: str
    unit: str
    kind: str  # 约束性 / 预期性 as written in indicators.yml (binding / expected)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Task:
    """One row of 附件 重点任务分工: the routing table for complaints."""

    number: int
    text: Text
    lead: tuple[str, ...]  # department ids (牵头单位)
    responsible: tuple[str, ...]  # department ids (责任单位)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Route:
    """One entry of ``routing.yml``: the department that handles complaints about a task (or a policy no task
    covers), and the words residents use for them."""

    id: str
    task: int | None
    policy: str | None
    department: str
    handles: Text
    words: tuple[str, ...]  # zh and en together, en lower case


@dataclass(frozen=True)
class Parameter:
    """An amount or threshold. An unconfirmed value (``confirmed`` False) must never be shown as fact."""

    id: str
    value: Any
    unit: str | None
    effective_from: str | None
    source: str | None
    confirmed: bool
    name: Text | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Policy:
    """One policy or service: the front matter of ``policies/<id>.md`` plus both bodies."""

    id: str
    title: Text
    summary: Text
    category: str
    audience: tuple[str, ...]
    lead_department: str
    partner_departments: tuple[str, ...]
    seed_refs: tuple[str, ...]
    sources: tuple[Source, ...]
    eligibility_rule: str | None
    apply: str
    who: Text
    what_you_get: Text
    how_to_apply: Text
    documents_required: tuple[Text, ...]
    parameters: tuple[str, ...]
    easy_read: dict[str, tuple[EasyReadItem, ...]]
    keywords: dict[str, tuple[str, ...]]
    synonyms: tuple[str, ...]
    sign_language: SignLanguage | None
    last_reviewed: dt.date | None
    body_markdown: Text
    body_html: Text
    path: Path | None = None

    @property
    def url(self) -> str:
        return f"/policies/{self.id}"


@dataclass(frozen=True)
class Town:
    """A 镇街 of Dazu District (``towns.yml``): where an application is received."""

    id: str
    name: Text


@dataclass(frozen=True)
class DocumentSpec:
    """A document an application form asks for, with what counts; ``confirmed`` False until a person has checked
    the requirement against its ``source`` (``ask`` says who decides meanwhile)."""

    id: str
    name: Text
    what_counts: Text
    required: bool
    source: str | None
    confirmed: bool
    ask: Text


@dataclass(frozen=True)
class FormSpec:
    """The online application form of one benefit (``forms/<benefit>.yml``): the eligibility facts it asks, one
    per page, the applicant details it adds, and the documents it needs."""

    benefit: str
    minutes: int
    facts: tuple[str, ...]
    details: tuple[str, ...]
    documents: tuple[DocumentSpec, ...]
    path: Path | None = None

    def document(self, document_id: str) -> DocumentSpec | None:
        return next((d for d in self.documents if d.id == document_id), None)


@dataclass
class Catalogue:
    """All content, with lookups by id. ``policies`` is in catalogue order (``content/catalogue.yml``)."""

    content_dir: Path
    policies: list[Policy]
    categories: list[Category]
    departments: list[Department]
    indicators: list[Indicator]
    tasks: list[Task]
    parameters: list[Parameter]
    synonyms: list[tuple[str, ...]]  # synonyms.txt groups; the first term is the canonical one
    eligibility_rules: frozenset[str] = frozenset()
    eligibility_texts: dict[str, Any] = field(default_factory=dict)  # eligibility.yml: the engine's words
    checker_questions: dict[str, Any] = field(default_factory=dict)  # checker.yml: the checker's questions
    towns: list[Town] = field(default_factory=list)  # towns.yml: Dazu's 镇街
    towns_source: dict[str, Any] = field(default_factory=dict)  # where the list comes from, and whether checked
    forms: dict[str, FormSpec] = field(default_factory=dict)  # forms/<benefit>.yml, by benefit
    needs: NeedsVocabulary = field(default_factory=NeedsVocabulary)  # needs.yml: how residents ask (search)
    routes: list[Route] = field(default_factory=list)  # routing.yml: which lead handles what, residents' words
    petition_rules: dict[str, Any] = field(default_factory=dict)  # petitions.yml: unsettled workflow rules

    def __post_init__(self) -> None:
        self._policies = {p.id: p for p in self.policies}
        self._categories = {c.id: c for c in self.categories}
        self._departments = {d.id: d for d in self.departments}
        self._parameters = {p.id: p for p in self.parameters}
        self._parameter_history: dict[str, list[Parameter]] = {}
        for parameter in sorted(self.parameters, key=lambda p: p.effective_from or ""):
            self._parameter_history.setdefault(parameter.id, []).append(parameter)
        self._tasks = {t.number: t for t in self.tasks}

    def policy(self, policy_id: str) -> Policy | None:
        return self._policies.get(policy_id)

    def category(self, category_id: str) -> Category | None:
        return self._categories.get(category_id)

    def department(self, department_id: str) -> Department | None:
        return self._departments.get(department_id)

    def parameter(self, parameter_id: str) -> Parameter | None:
        return self._parameters.get(parameter_id)

    def parameter_history(self, parameter_id: str) -> list[Parameter]:
        """Every entry of ``parameter_id``, oldest ``effective_from`` first (dates are ISO, so text order)."""
        return self._parameter_history.get(parameter_id, [])

    def town(self, town_id: str) -> Town | None:
        return next((t for t in self.towns if t.id == town_id), None)

    def task(self, number: int) -> Task | None:
        return self._tasks.get(number)

    def policies_in(self, category_id: str) -> list[Policy]:
        return [p for p in self.policies if p.category == category_id]
