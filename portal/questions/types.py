"""The question types. Values travel as the strings a form submits; facts are typed (int, bool, str, list)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


class AnswerError(ValueError):
    """The answer cannot be read; ``key`` picks the message (``required`` or ``number``)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Option:
    """One choice: the submitted ``value``, its ``fact`` (the typed value stored), labels and hints by language."""

    value: str
    fact: Any
    label: Mapping[str, str]
    hint: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SummaryWords:
    """Words a summary row needs that are not option labels, in the reader's language."""

    yes: str
    no: str
    none_of_these: str
    separator: str
    number: Callable[[int], str] = str


def _given(values: Iterable[str]) -> list[str]:
    return [value.strip() for value in values if value and value.strip()]


@dataclass(frozen=True)
class Question:
    """A question that sets the fact ``name``."""

    name: str
    kind: ClassVar[str]

    @property
    def facts(self) -> tuple[str, ...]:
        """The facts an answer sets (and replaces)."""
        return (self.name,)

    def parse(self, values: Sequence[str]) -> dict[str, Any]:
        raise NotImplementedError

    def initial(self, facts: Mapping[str, Any]) -> str | list[str] | None:
        value = facts.get(self.name)
        return None if value is None else str(value)

    def summary(self, facts: Mapping[str, Any], lang: str, words: SummaryWords) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class NumberQuestion(Question):
    """A whole number in ``[minimum, maximum]``; full-width digits and a unit such as 岁 are accepted."""

    minimum: int = 0
    maximum: int = 999
    suffixes: tuple[str, ...] = ()
    kind: ClassVar[str] = "number"

    def parse(self, values: Sequence[str]) -> dict[str, Any]:
        given = _given(values)
        if not given:
            raise AnswerError("required")
        text = given[0].translate(FULL_WIDTH_DIGITS)
        for suffix in self.suffixes:
            text = text.removesuffix(suffix)
        text = text.strip()
        if not (text.isascii() and text.isdigit()) or not self.minimum <= int(text) <= self.maximum:
            raise AnswerError("number")
        return {self.name: int(text)}

    def summary(self, facts: Mapping[str, Any], lang: str, words: SummaryWords) -> str:
        return words.number(facts[self.name])


@dataclass(frozen=True)
class _Choices(Question):
    options: tuple[Option, ...] = ()

    def option_for_fact(self, fact: Any) -> Option | None:
        return next((option for option in self.options if option.fact == fact), None)

    def label(self, fact: Any, lang: str) -> str:
        option = self.option_for_fact(fact)
        return option.label[lang] if option else str(fact)


@dataclass(frozen=True)
class ChoiceQuestion(_Choices):
    """One of the options (radios). ``unknown`` is the error key for a value that is not an option."""

    unknown: str = "required"
    kind: ClassVar[str] = "radios"

    def parse(self, values: Sequence[str]) -> dict[str, Any]:
        given = _given(values)
        if not given:
            raise AnswerError("required")
        chosen = next((option for option in self.options if option.value == given[0]), None)
        if chosen is None:
            raise AnswerError(self.unknown)
        return {self.name: chosen.fact}

    def initial(self, facts: Mapping[str, Any]) -> str | None:
        option = self.option_for_fact(facts.get(self.name)) if self.name in facts else None
        return option.value if option else None

    def summary(self, facts: Mapping[str, Any], lang: str, words: SummaryWords) -> str:
        return self.label(facts[self.name], lang)


@dataclass(frozen=True)
class YesNoQuestion(ChoiceQuestion):
    """Yes or no, stored as a bool."""

    @classmethod
    def with_labels(cls, name: str, yes: Mapping[str, str], no: Mapping[str, str]) -> YesNoQuestion:
        return cls(name, options=(Option("yes", True, yes), Option("no", False, no)))

    def summary(self, facts: Mapping[str, Any], lang: str, words: SummaryWords) -> str:
        return words.yes if facts[self.name] else words.no


@dataclass(frozen=True)
class MultiChoiceQuestion(_Choices):
    """One or more of the options (checkboxes), stored as a list in option order."""

    kind: ClassVar[str] = "checkboxes"

    def parse(self, values: Sequence[str]) -> dict[str, Any]:
        given = set(_given(values))
        chosen = [option.fact for option in self.options if option.value in given]
        if not chosen:
            raise AnswerError("required")
        return {self.name: chosen}

    def initial(self, facts: Mapping[str, Any]) -> list[str]:
        held = facts.get(self.name) or ()
        return [option.value for option in self.options if option.fact in held]

    def summary(self, facts: Mapping[str, Any], lang: str, words: SummaryWords) -> str:
        held = facts.get(self.name) or ()
        return words.separator.join(option.label[lang] for option in self.options if option.fact in held)


@dataclass(frozen=True)
class FlagsQuestion(_Choices):
    """“Do any of these apply?” (checkboxes): each option is a yes/no fact of its own; choosing none is an
    answer (every fact false), never an error."""

    kind: ClassVar[str] = "checkboxes"

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    def parse(self, values: Sequence[str]) -> dict[str, Any]:
        given = set(_given(values))
        return {option.value: option.value in given for option in self.options}

    def initial(self, facts: Mapping[str, Any]) -> list[str]:
        return [option.value for option in self.options if facts.get(option.value)]

    def summary(self, facts: Mapping[str, Any], lang: str, words: SummaryWords) -> str:
        applying = [option.label[lang] for option in self.options if facts.get(option.value)]
        return words.separator.join(applying) if applying else words.none_of_these
