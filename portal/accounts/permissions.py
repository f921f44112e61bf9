"""Roles, scopes and the one permission table (applications-and-petitions.md, "People and roles").

Every staff route names one permission; ``can(user, permission)`` is the only check. Whether a member of staff may
open a particular case is ``in_scope``: a town clerk sees the applications of their town, a reviewer and an
approver those of their department, a supervisor every petition; an admin sees no case data at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ROLES = ("town_clerk", "reviewer", "approver", "petition_handler", "supervisor", "admin")
#: What a role's scope is: a town (towns.yml), a department (departments.yml), or nothing (district-wide).
SCOPE_KIND = {
    "town_clerk": "town",
    "reviewer": "department",
    "approver": "department",
    "petition_handler": "department",
    "supervisor": None,
    "admin": None,
}

PERMISSIONS: dict[str, frozenset[str]] = {
    "home": frozenset(ROLES),
    "applications.view": frozenset({"town_clerk", "reviewer", "approver"}),
    "applications.accept": frozenset({"town_clerk"}),
    "applications.forward": frozenset({"town_clerk"}),
    "applications.request_info": frozenset({"town_clerk", "reviewer"}),
    "applications.recommend": frozenset({"reviewer"}),
    "applications.decide": frozenset({"approver"}),
    "applications.note": frozenset({"town_clerk", "reviewer", "approver"}),
    "petitions.view": frozenset({"petition_handler", "supervisor"}),
    "petitions.handle": frozenset({"petition_handler"}),  # accept, decline, reply, ask for an extension
    "petitions.transfer": frozenset({"petition_handler", "supervisor"}),  # 转办, with a reason; triage
    "petitions.supervise": frozenset({"supervisor"}),  # approve extensions, record 复查, log phone calls
    "audit.view": frozenset({"supervisor"}),
    "accounts.manage": frozenset({"admin"}),
}


@dataclass(frozen=True)
class Staff:
    """Who is signed in, as the permission checks see them."""

    id: int
    username: str
    roles: frozenset[str]
    scope: str | None

    @property
    def actor(self) -> str:
        return f"staff:{self.username}"


def parse_roles(text: str) -> frozenset[str]:
    return frozenset(role for role in text.split(",") if role in ROLES)


def can(staff: Staff | None, permission: str) -> bool:
    return staff is not None and bool(staff.roles & PERMISSIONS[permission])


def in_scope(staff: Staff, roles: Iterable[str], town: str | None, department: str | None) -> bool:
    """Whether one of ``roles`` that ``staff`` holds covers a case received by ``town`` and decided by
    ``department``."""
    for role in set(roles) & staff.roles:
        kind = SCOPE_KIND[role]
        if (
            kind is None
            or (kind == "town" and staff.scope == town)
            or (kind == "department" and staff.scope == department)
        ):
            return True
    return False


def scope_problem(roles: Iterable[str], scope: str | None, towns: set[str], departments: set[str]) -> str | None:
    """Why a set of roles and a scope do not fit together (None: they do)."""
    kinds = {SCOPE_KIND[role] for role in roles}
    if not roles:
        return "at least one role is needed"
    if len(kinds - {None}) > 1:
        return "a town role and a department role need two accounts"
    kind = next(iter(kinds - {None}), None)
    if kind is None:
        return None if scope is None else "these roles are district-wide: no --scope"
    if kind == "town" and scope not in towns:
        return f"--scope must be a town id from towns.yml ({scope!r} is not)"
    if kind == "department" and scope not in departments:
        return f"--scope must be a department id from departments.yml ({scope!r} is not)"
    return None
