"""Deciding a rule on a partial profile, exactly.

Definitions (eligibility-rules.md, "How a rule is evaluated"): a *completion* of a profile gives every
missing field a value. A rule's answer is decided when every completion gets the same status; a field
is *relevant* (listed in ``missing``) when some completion of the other missing fields lets two of its
values give different statuses. The answer is ``need_more_info`` exactly when some field is relevant
(if two completions differ, changing one field at a time from one to the other changes the status at
some step, and that field is relevant; conversely a relevant field shows two completions that differ).

How it is computed without enumerating every completion:

* Kleene evaluation of the decision list gives a *sound* set of possible statuses: if it gives one
  status, every completion gets it. On a complete assignment it is exact.
* ``_relevant(f)`` searches the other missing fields depth first. At each node it evaluates the rule
  (Kleene) for every value of ``f``: two different *definite* statuses prove relevance, the same
  definite status for every value proves irrelevance below this node, anything else assigns one more
  field and recurses. The search ends at complete assignments, where Kleene is exact, so the answer is
  exact; in practice it stops after a handful of nodes.

Domains are finite: integers are reduced to one value per interval between the rule's own boundaries
(``age`` 0, 7, 16, 60 … for a rule testing ``7 <= age <= 15`` and ``age >= 16``); ``category`` also
takes the value "no category at all" (``NO_CATEGORY``) so that "category given" can be false;
``multiple_includes`` ranges over the subsets of the categories the rule tests. Its constraint
(allowed only with ``category == multiple``) needs no special handling: rules read it only through
``has(C)``, which ignores it unless ``category == multiple``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

from .facts import DEFAULTS, FIELD_ORDER, FIELDS
from .logic import NO_CATEGORY, TRUE, Cond
from .rules import NEED_MORE_INFO, RULES, RULES_BY_ID, Branch, Rule


@dataclass(frozen=True)
class Decision:
    """The outcome of one rule on one profile, before texts are attached.

    ``reasons`` are the branches whose conditions are known to hold and that decide the status (in
    order); ``missing`` the relevant fields in schema order.
    """

    status: str
    missing: tuple[str, ...]
    reasons: tuple[Branch, ...]


class _Compiled:
    """Per-rule data the search needs: read fields, their finite domains, the age buckets."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        conds: list[Cond] = [b.when for b in rule.branches]
        read: set[str] = set()
        cuts: dict[str, set[int]] = {}
        members: dict[str, set[str]] = {}
        for cond in conds:
            read |= cond.fields()
            for key, points in cond.cuts().items():
                cuts.setdefault(key, set()).update(points)
            for key, items in cond.members().items():
                members.setdefault(key, set()).update(items)
        self.derived_reads = frozenset(read)
        # Search order: the rule's declared order (hukou and certificate first prune most).
        self.reads: tuple[str, ...] = tuple(f for f in rule.reads if f in read)
        self.askable: tuple[str, ...] = tuple(f for f in self.reads if f not in DEFAULTS)
        self.domains: dict[str, tuple[Any, ...]] = {}
        self.points: dict[str, tuple[int, ...]] = {}
        for name in self.reads:
            meta = FIELDS[name]
            if meta.type == "int":
                assert meta.min is not None and meta.max is not None  # noqa: S101  (type narrowing of the constant FIELDS schema, which its tests check; never an input check)
                pts = sorted({meta.min} | {p for p in cuts.get(name, ()) if meta.min < p <= meta.max})
                self.points[name] = tuple(pts)
                self.domains[name] = tuple(pts)
            elif meta.type == "bool":
                self.domains[name] = (False, True)
            elif meta.type == "enum":
                assert meta.allowed is not None  # noqa: S101  (type narrowing of the constant FIELDS schema, which its tests check; never an input check)
                extra = (NO_CATEGORY,) if name == "category" else ()
                self.domains[name] = tuple(meta.allowed) + extra
            else:
                tested = sorted(members.get(name, ()))
                self.domains[name] = tuple(
                    frozenset(combo) for k in range(len(tested) + 1) for combo in combinations(tested, k)
                )

    def bucket(self, name: str, value: Any) -> Any:
        """The representative of ``value``'s interval (integers) or ``value`` itself."""
        points = self.points.get(name)
        if points is None:
            if FIELDS[name].type == "list":
                tested = self.domains[name][-1]  # the full set of tested items
                return frozenset(value) & tested
            return value
        rep = points[0]
        for p in points:
            if value >= p:
                rep = p
            else:
                break
        return rep

    # --- Kleene evaluation of the decision list -------------------------------------------------
    def statuses(self, facts: Mapping[str, Any]) -> frozenset[str]:
        """Sound set of possible statuses (exact on a complete assignment)."""
        found: set[str] = set()
        for branch in self.rule.branches:
            value = branch.when.evaluate(facts)
            if value is True:
                found.add(branch.status)
                return frozenset(found)
            if value is None:
                found.add(branch.status)
        raise AssertionError(f"{self.rule.id}: the last branch must always hold")

    def reasons(self, facts: Mapping[str, Any], status: str) -> tuple[Branch, ...]:
        """Branches known to hold that give ``status``, until a branch that might give another status."""
        out: list[Branch] = []
        for branch in self.rule.branches:
            value = branch.when.evaluate(facts)
            if value is False:
                continue
            if branch.status != status:
                break  # it may hold (or holds): later branches would not be reached
            if value is True:
                if branch.when is TRUE and out:
                    break  # the catch-all adds nothing to a specific reason already given
                out.append(branch)
        return tuple(out)

    # --- exact search -----------------------------------------------------------------------------
    def relevant(self, facts: dict[str, Any], field: str, others: tuple[str, ...]) -> bool:
        definite: set[str] = set()
        open_ = False
        for value in self.domains[field]:
            facts[field] = value
            found = self.statuses(facts)
            if len(found) == 1:
                definite |= found
                if len(definite) > 1:
                    del facts[field]
                    return True
            else:
                open_ = True
        del facts[field]
        if not open_:
            return False
        head, rest = others[0], others[1:]
        for value in self.domains[head]:
            facts[head] = value
            hit = self.relevant(facts, field, rest)
            del facts[head]
            if hit:
                return True
        return False

    def some_status(self, facts: dict[str, Any], missing: tuple[str, ...]) -> str:
        """The status of the first completion (used when no missing field is relevant)."""
        full = dict(facts)
        for name in missing:
            full[name] = self.domains[name][0]
        (status,) = self.statuses(full)
        return status


COMPILED: dict[str, _Compiled] = {rule.id: _Compiled(rule) for rule in RULES}


@lru_cache(maxsize=8192)
def _decide_key(rule_id: str, key: tuple[tuple[str, Any], ...]) -> tuple[str, tuple[str, ...]]:
    compiled = COMPILED[rule_id]
    facts = dict(key)
    found = compiled.statuses(facts)
    if len(found) == 1:
        return next(iter(found)), ()
    missing = tuple(f for f in compiled.askable if f not in facts)
    relevant = tuple(f for f in missing if compiled.relevant(facts, f, tuple(g for g in missing if g != f)))
    if relevant:
        return NEED_MORE_INFO, tuple(sorted(relevant, key=FIELD_ORDER.__getitem__))
    return compiled.some_status(facts, missing), ()


def rule_facts(rule_id: str, profile: Mapping[str, Any]) -> dict[str, Any]:
    """The facts a rule sees: its read fields from a *validated* profile, defaults filled in."""
    compiled = COMPILED[rule_id]
    facts: dict[str, Any] = {}
    for name in compiled.reads:
        if name in profile:
            facts[name] = profile[name]
        elif name in DEFAULTS:
            facts[name] = DEFAULTS[name]
    return facts


def decide(rule_id: str, profile: Mapping[str, Any]) -> Decision:
    """Decide one rule on a validated, normalised profile (see ``facts.validate_profile``)."""
    compiled = COMPILED[rule_id]
    facts = rule_facts(rule_id, profile)
    key = tuple((name, compiled.bucket(name, value)) for name, value in facts.items())
    status, missing = _decide_key(rule_id, key)
    reasons = () if status == NEED_MORE_INFO else compiled.reasons(facts, status)
    return Decision(status, missing, reasons)


def rule(rule_id: str) -> Rule:
    return RULES_BY_ID[rule_id]
