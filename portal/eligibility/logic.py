"""Three-valued (Kleene) conditions over a partial profile.

A condition evaluates to ``True``, ``False`` or ``None`` (unknown). A field absent from the facts is
unknown; the caller puts the exclusion flags' defaults into the facts before evaluating. Every condition
knows the fields it reads and, for integer fields, the points where its truth can change — the engine
uses these to reduce an integer field's domain to one representative per interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Truth = bool | None

#: Stands for "no category at all" (no diagnosis) when the engine enumerates the values a missing
#: ``category`` could take. It never comes from a request.
NO_CATEGORY = "__no_category__"


class Cond:
    """Base class: ``evaluate`` gives True / False / None (unknown)."""

    def evaluate(self, facts: Mapping[str, object]) -> Truth:  # pragma: no cover - abstract
        raise NotImplementedError

    def fields(self) -> frozenset[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def cuts(self) -> dict[str, frozenset[int]]:
        """For integer fields: values v where the truth may differ between v - 1 and v."""
        return {}

    def members(self) -> dict[str, frozenset[str]]:
        """For list fields: the items whose membership the condition tests."""
        return {}

    def __and__(self, other: Cond) -> Cond:
        return And((self, other))

    def __or__(self, other: Cond) -> Cond:
        return Or((self, other))

    def __invert__(self) -> Cond:
        return Not(self)


def _merge(dicts: Iterable[dict[str, frozenset]]) -> dict[str, frozenset]:
    out: dict[str, frozenset] = {}
    for d in dicts:
        for key, value in d.items():
            out[key] = out.get(key, frozenset()) | value
    return out


@dataclass(frozen=True, eq=False)
class Const(Cond):
    value: bool

    def evaluate(self, facts: Mapping[str, object]) -> Truth:
        return self.value

    def fields(self) -> frozenset[str]:
        return frozenset()


TRUE = Const(True)


@dataclass(frozen=True, eq=False)
class In(Cond):
    """``facts[field] in values`` (``Is`` is the one-value case)."""

    field: str
    values: frozenset[object]

    def evaluate(self, facts: Mapping[str, object]) -> Truth:
        if self.field not in facts:
            return None
        return facts[self.field] in self.values

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})


def Is(field: str, value: object) -> Cond:
    return In(field, frozenset({value}))


def OneOf(field: str, *values: object) -> Cond:
    return In(field, frozenset(values))


@dataclass(frozen=True, eq=False)
class Between(Cond):
    """``low <= facts[field] <= high`` for an integer field; either bound may be None (open)."""

    field: str
    low: int | None = None
    high: int | None = None

    def evaluate(self, facts: Mapping[str, object]) -> Truth:
        if self.field not in facts:
            return None
        value = facts[self.field]
        assert isinstance(value, int)  # noqa: S101  (type narrowing: facts are validated by validate_profile first)
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def cuts(self) -> dict[str, frozenset[int]]:
        points = set()
        if self.low is not None:
            points.add(self.low)
        if self.high is not None:
            points.add(self.high + 1)
        return {self.field: frozenset(points)}


@dataclass(frozen=True, eq=False)
class Contains(Cond):
    """``item in facts[field]`` for a list field."""

    field: str
    item: str

    def evaluate(self, facts: Mapping[str, object]) -> Truth:
        if self.field not in facts:
            return None
        return self.item in facts[self.field]  # type: ignore[operator]

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def members(self) -> dict[str, frozenset[str]]:
        return {self.field: frozenset({self.item})}


@dataclass(frozen=True, eq=False)
class Given(Cond):
    """The field has a real value: unknown while it is absent (it may yet be given), false only for
    the engine's "no value at all" placeholder (``NO_CATEGORY``)."""

    field: str

    def evaluate(self, facts: Mapping[str, object]) -> Truth:
        if self.field not in facts:
            return None
        return facts[self.field] != NO_CATEGORY

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})


@dataclass(frozen=True, eq=False)
class Not(Cond):
    operand: Cond

    def evaluate(self, facts: Mapping[str, object]) -> Truth:
        value = self.operand.evaluate(facts)
        return None if value is None else not value

    def fields(self) -> frozenset[str]:
        return self.operand.fields()

    def cuts(self) -> dict[str, frozenset[int]]:
        return self.operand.cuts()

    def members(self) -> dict[str, frozenset[str]]:
        return self.operand.members()


@dataclass(frozen=True, eq=False)
class _Junction(Cond):
    """What And and Or share: their operands' fields, cut points and members."""

    operands: tuple[Cond, ...]

    def fields(self) -> frozenset[str]:
        return frozenset().union(*(o.fields() for o in self.operands))

    def cuts(self) -> dict[str, frozenset[int]]:
        return _merge(o.cuts() for o in self.operands)

    def members(self) -> dict[str, frozenset[str]]:
        return _merge(o.members() for o in self.operands)


@dataclass(frozen=True, eq=False)
class And(_Junction):
    def evaluate(self, facts: Mapping[str, object]) -> Truth:
        result: Truth = True
        for operand in self.operands:
            value = operand.evaluate(facts)
            if value is False:
                return False
            if value is None:
                result = None
        return result


@dataclass(frozen=True, eq=False)
class Or(_Junction):
    def evaluate(self, facts: Mapping[str, object]) -> Truth:
        result: Truth = False
        for operand in self.operands:
            value = operand.evaluate(facts)
            if value is True:
                return True
            if value is None:
                result = None
        return result


def has(category: str) -> Cond:
    """``has(C)``: category == C, or category == multiple and C in multiple_includes."""
    return Is("category", category) | (Is("category", "multiple") & Contains("multiple_includes", category))


#: ``severe``: grade in {1, 2}.
SEVERE = Between("grade", 1, 2)
#: ``poor``: household in {tekun, dibao, dibao_edge, low_income}.
POOR = OneOf("household", "tekun", "dibao", "dibao_edge", "low_income")
