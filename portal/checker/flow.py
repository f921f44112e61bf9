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
from typing import Any

from .. import content
from ..eligibility import FIELDS, RULE_IDS, missing, value_label
from ..eligibility.rules import RULES
from ..questions import (
    AnswerError,
    ChoiceQuestion,
    FlagsQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Option,
    Question,
    YesNoQuestion,
)

__all__ = ["EXCLUSIONS", "EXCLUSION_FIELDS", "AnswerError", "Answers", "next_question", "question", "read_answer"]

EXCLUSIONS = "exclusions"
EXCLUSION_FIELDS = ("orphan", "work_injury_nursing")
LANGS = ("zh", "en")


def texts() -> dict[str, Any]:
    """``checker.yml`` of the content being served: each question's words, hints and error messages."""
    return content.current().checker_questions


def _labels(name: str, value: Any) -> dict[str, str]:
    return {lang: value_label(name, value, lang) for lang in LANGS}


def _options(name: str, values: Iterable[Any], label_field: str | None = None) -> tuple[Option, ...]:
    hints = texts()["questions"].get(name, {}).get("options", {})
    return tuple(
        Option(str(value), value, _labels(label_field or name, value), hints.get(value) or hints.get(str(value)) or {})
        for value in values
    )


@lru_cache(maxsize=64)
def _question(name: str, catalogue_id: int) -> Question:
    if name == EXCLUSIONS:
        options = texts()["questions"][EXCLUSIONS]["options"]
        return FlagsQuestion(name, options=tuple(Option(f, True, options[f]) for f in EXCLUSION_FIELDS))
    spec = FIELDS[name]
    if name == "grade":  # a number, chosen from its four grades
        return ChoiceQuestion(name, options=_options(name, range(spec.min, spec.max + 1)), unknown="number")
    if spec.type == "int":
        return NumberQuestion(name, minimum=spec.min, maximum=spec.max, suffixes=("岁",))
    if spec.type == "list":
        return MultiChoiceQuestion(name, options=_options(name, spec.allowed, label_field="category"))
    if spec.type == "bool":
        yes_no = texts()["yes_no"]
        return YesNoQuestion.with_labels(name, yes_no["yes"], yes_no["no"])
    return ChoiceQuestion(name, options=_options(name, spec.allowed))


def question(name: str) -> Question:
    """The checker's question ``name`` (a profile field, or ``exclusions``) as a question type."""
    return _question(name, id(content.current()))


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
        for name in question_facts(question):
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


def question_facts(name: str) -> tuple[str, ...]:
    """The profile facts that question ``name`` sets (and replaces)."""
    return question(name).facts


def _rules(benefits: Sequence[str] | None) -> list[str]:
    return list(benefits) if benefits else list(RULE_IDS)


def missing_fields(answers: Answers) -> list[str]:
    """The fields any chosen rule still needs, in schema order (no texts are rendered for it)."""
    return missing(answers.profile, _rules(answers.benefits))


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


def read_answer(name: str, values: Iterable[str]) -> dict[str, Any]:
    """Turn the submitted form values of question ``name`` into profile facts, or raise AnswerError."""
    return question(name).parse(list(values))
