"""Which question the checker asks next, and how it reads an answer. No Flask here.

The next question is always the first field (in the profile schema's order) that the engine still lists as
``missing`` for the benefits the person asked about, skipping what they chose not to answer. The two
exclusion flags are never ``missing`` (they default to false), so they are asked once, together, as a single
“do any of these apply” question, when a chosen rule reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..eligibility import FIELDS, RULE_IDS, evaluate
from ..eligibility.rules import RULES

EXCLUSIONS = "exclusions"
EXCLUSION_FIELDS = ("orphan", "work_injury_nursing")
# Fields asked with a set of radio buttons (the others: a number box or checkboxes).
CHOICE_TYPES = ("enum", "bool")


@lru_cache(maxsize=2)
def questions(content_dir: Path) -> dict[str, Any]:
    with (content_dir / "checker.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass
class Answers:
    """What the person has told the checker so far."""

    benefits: list[str] | None = None  # None: every benefit
    profile: dict[str, Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)  # questions in the order they were answered
    benefits_chosen: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "benefits": self.benefits,
            "profile": self.profile,
            "skipped": self.skipped,
            "history": self.history,
            "benefits_chosen": self.benefits_chosen,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Answers:
        return cls(
            benefits=data.get("benefits"),
            profile=dict(data.get("profile") or {}),
            skipped=list(data.get("skipped") or []),
            history=list(data.get("history") or []),
            benefits_chosen=bool(data.get("benefits_chosen")),
        )

    def record(self, question: str, values: Mapping[str, Any]) -> None:
        """Store the answer to ``question`` (``values`` maps field → value; empty means skipped)."""
        fields = EXCLUSION_FIELDS if question == EXCLUSIONS else (question,)
        for name in fields:
            self.profile.pop(name, None)
        self.profile.update(values)
        if question == "category" and values.get("category") != "multiple":
            self.profile.pop("multiple_includes", None)
        if not values and question not in self.skipped:
            self.skipped.append(question)
        elif values and question in self.skipped:
            self.skipped.remove(question)
        if question in self.history:
            self.history.remove(question)
        self.history.append(question)

    def answered(self, question: str) -> bool:
        return question in self.history


def _rules(benefits: Sequence[str] | None) -> list[str]:
    return list(benefits) if benefits else list(RULE_IDS)


def missing_fields(answers: Answers) -> list[str]:
    """The fields any chosen rule still needs, in schema order."""
    results = evaluate(answers.profile, _rules(answers.benefits))
    needed = {name for result in results for name in result["missing"]}
    return [name for name in FIELDS if name in needed]


def reads_exclusions(benefits: Sequence[str] | None) -> bool:
    chosen = set(_rules(benefits))
    return any(rule.id in chosen and set(rule.reads) & set(EXCLUSION_FIELDS) for rule in RULES)


def next_question(answers: Answers) -> str | None:
    """The next question to ask, or None when nothing asked could change an answer any more."""
    for name in missing_fields(answers):
        if name not in answers.skipped:
            return name
    if reads_exclusions(answers.benefits) and not answers.answered(EXCLUSIONS):
        return EXCLUSIONS
    return None


def previous_question(answers: Answers, current: str) -> str | None:
    """The question answered before ``current`` (for the back link)."""
    history = answers.history
    if current in history:
        index = history.index(current)
        return history[index - 1] if index > 0 else None
    return history[-1] if history else None


def is_question(name: str) -> bool:
    return (name in FIELDS and name not in EXCLUSION_FIELDS) or name == EXCLUSIONS


class AnswerError(ValueError):
    """The answer cannot be read; ``key`` picks the message (``required`` or ``number``)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def read_answer(question: str, values: Iterable[str]) -> dict[str, Any]:
    """Turn the submitted form values of ``question`` into profile facts, or raise AnswerError."""
    given = [value.strip() for value in values if value.strip()]
    if question == EXCLUSIONS:
        return {name: name in given for name in EXCLUSION_FIELDS}
    spec = FIELDS[question]
    if spec.type == "list":
        chosen = [value for value in given if value in (spec.allowed or ())]
        if not chosen:
            raise AnswerError("required")
        return {question: [value for value in spec.allowed if value in chosen]}
    if not given:
        raise AnswerError("required")
    raw = given[0]
    if spec.type == "int":
        text = raw.translate(str.maketrans("０１２３４５６７８９", "0123456789")).removesuffix("岁").strip()
        if not (text.isascii() and text.isdigit()) or not spec.min <= int(text) <= spec.max:
            raise AnswerError("number")
        return {question: int(text)}
    if spec.type == "bool":
        if raw not in ("yes", "no"):
            raise AnswerError("required")
        return {question: raw == "yes"}
    if raw not in (spec.allowed or ()):
        raise AnswerError("required")
    return {question: raw}
