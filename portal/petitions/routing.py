"""Routing a petition to the department that owns it (applications-and-petitions.md, "Routing").

The text is matched against the words of ``content/routing.yml``; each route names a task of 附件 重点任务分工 and
the lead that handles that part of it, or a policy no task covers and its lead department. The route with the
highest score wins (a matched word scores its length, so 盲道被占 outweighs 占道; a word inside a longer matched
word does not count twice); a tie between departments, or nothing matched, goes to the supervisor's triage queue.
The result says why: the route, the task and the words that matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..content import Catalogue

TRIAGE = "triage"


@dataclass(frozen=True)
class Routing:
    department: str  # a department id of departments.yml, or "triage"
    task: int | None
    route: str | None
    words: tuple[str, ...] = ()
    also: tuple[str, ...] = field(default=())  # the task's other leads and 责任单位, listed for the handler

    def as_dict(self) -> dict:
        return {"department": self.department, "task": self.task, "route": self.route, "words": list(self.words),
                "also": list(self.also)}  # fmt: skip


def _matches(text: str, words: tuple[str, ...]) -> list[str]:
    found = [w for w in words if w and (re.search(rf"\b{re.escape(w)}\b", text) if w.isascii() else w in text)]
    return [w for w in found if not any(w != other and w in other for other in found)]


def route(text: str, catalogue: Catalogue) -> Routing:
    haystack = (text or "").lower()
    scored = []
    for entry in catalogue.routes:
        matched = _matches(haystack, entry.words)
        if matched:
            scored.append((sum(len(w) for w in matched), entry, matched))
    if not scored:
        return Routing(TRIAGE, None, None)
    scored.sort(key=lambda item: -item[0])
    best_score, best, matched = scored[0]
    rivals = {entry.department for score, entry, _ in scored if score == best_score}
    if len(rivals) > 1:
        return Routing(TRIAGE, None, None, tuple(sorted({w for s, _, m in scored if s == best_score for w in m})))
    also: tuple[str, ...] = ()
    if best.task is not None:
        task = next((t for t in catalogue.tasks if t.number == best.task), None)
        if task is not None:
            also = tuple(d for d in dict.fromkeys(task.lead + task.responsible) if d != best.department)
    return Routing(best.department, best.task, best.id, tuple(matched), also)
