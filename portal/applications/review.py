"""Staff actions on applications, and the resident's answer to a request: each one function that checks the
permission and the scope, changes the state (refusing an illegal one with a clear code), writes the history entry
the resident sees and the audit event, in one transaction. Two staff acting on one case at once cannot both win:
each action changes the row only if its ``version`` is still the one the actor saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, func, or_, select, update

from .. import audit
from ..accounts.permissions import PERMISSIONS, Staff, can, in_scope
from ..db.models import Application, ApplicationEvent, CaseNote, InfoRequest
from ..eligibility import RULE_IDS, evaluate
from . import intake
from .uploads import CleanFile
from .workflow import Applications, WorkflowError

REASONS_MAX = 2000
#: action: (permission, the states it starts from, the state it leads to)
TRANSITIONS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "accept": ("applications.accept", ("submitted",), "accepted"),
    "request_info": ("applications.request_info", ("submitted", "accepted", "in_review"), "more_info_requested"),
    "forward": ("applications.forward", ("accepted",), "in_review"),
    "recommend": ("applications.recommend", ("in_review",), "awaiting_decision"),
    "approve": ("applications.decide", ("awaiting_decision",), "approved"),
    "reject": ("applications.decide", ("awaiting_decision",), "rejected"),
}


@dataclass(frozen=True)
class Request:
    id: int
    asked_at: Any
    message: str
    answered_at: Any
    answer: str | None


class Review:
    """What staff do to applications (the application service underneath does the sealing and storage)."""

    def __init__(self, applications: Applications) -> None:
        self.apps = applications
        self.session = applications.session

    # --- who may see what ----------------------------------------------------------------------------------------

    def department(self, application: Application) -> str | None:
        policy = self.apps.catalogue.policy(application.benefit)
        return policy.lead_department if policy else None

    def may_open(self, staff: Staff, application: Application) -> bool:
        if application.status == "draft" or not can(staff, "applications.view"):
            return False
        roles = PERMISSIONS["applications.view"]
        return in_scope(staff, roles, application.town, self.department(application))

    def actions(self, staff: Staff, application: Application) -> list[str]:
        """The actions this member of staff may take on this case now (and only those are offered)."""
        if not self.may_open(staff, application):
            return []
        allowed = []
        for action, (permission, sources, _target) in TRANSITIONS.items():
            if application.status in sources and can(staff, permission):
                roles = PERMISSIONS[permission]
                if in_scope(staff, roles, application.town, self.department(application)):
                    if action == "request_info" and application.status == "in_review" and "reviewer" not in staff.roles:
                        continue
                    if (
                        action == "request_info"
                        and application.status != "in_review"
                        and "town_clerk" not in staff.roles
                    ):
                        continue
                    if action in ("approve", "reject") and self.handled_earlier(staff, application):
                        continue
                    allowed.append(action)
        return allowed

    def handled_earlier(self, staff: Staff, application: Application) -> bool:
        """Four eyes: whoever took an earlier step on a case does not decide it."""
        return any(event.actor == staff.actor for event in application.events)

    def _scoped(self, staff: Staff, query):
        """``query`` narrowed to the cases this member of staff may open (the SQL form of ``may_open``)."""
        clauses = []
        if "town_clerk" in staff.roles:
            clauses.append(Application.town == staff.scope)
        if staff.roles & {"reviewer", "approver"}:
            benefits = [p.id for p in self.apps.catalogue.policies if p.lead_department == staff.scope]
            clauses.append(Application.benefit.in_(benefits))
        if not clauses:
            return query.where(false())
        return query.where(Application.status != "draft", or_(*clauses))

    def queue(
        self,
        staff: Staff,
        status: str | None = None,
        benefit: str | None = None,
        town: str | None = None,
        submitted_before: Any = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[Application], int]:
        """One page of the cases this member of staff may open, oldest first, and how many there are in all."""
        query = self._scoped(staff, select(Application))
        for column, value in ((Application.status, status), (Application.benefit, benefit), (Application.town, town)):
            if value:
                query = query.where(column == value)
        if submitted_before is not None:
            query = query.where(Application.submitted_at <= submitted_before)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(
            query.order_by(Application.submitted_at, Application.id).limit(limit).offset(offset)
        )
        return list(rows), total

    def counts(self, staff: Staff) -> dict[str, int]:
        """Cases per status, for this member of staff."""
        query = self._scoped(staff, select(Application.status, func.count()).group_by(Application.status))
        return {status: count for status, count in self.session.execute(query)}

    # --- case data (every view audited by the caller's page) --------------------------------------------------

    def requests(self, application: Application) -> list[Request]:
        rows = self.session.scalars(
            select(InfoRequest).where(InfoRequest.application_id == application.id).order_by(InfoRequest.id)
        )
        sealer = self.apps.sealer
        return [
            Request(
                r.id,
                r.asked_at,
                sealer.open_json(r.message),
                r.answered_at,
                sealer.open_json(r.answer) if r.answer else None,
            )
            for r in rows
        ]

    def notes(self, application: Application) -> list[tuple[Any, str, str]]:
        rows = self.session.scalars(
            select(CaseNote).where(CaseNote.application_id == application.id).order_by(CaseNote.id)
        )
        return [(n.at, n.author, self.apps.sealer.open_json(n.text)) for n in rows]

    def decision(self, application: Application) -> dict[str, Any] | None:
        return self.apps.sealer.open_json(application.sealed).get("decision")

    def recommendation(self, application: Application) -> dict[str, Any] | None:
        return self.apps.sealer.open_json(application.sealed).get("recommendation")

    def eligibility_today(self, application: Application, lang: str) -> list[dict[str, Any]] | None:
        if application.benefit not in RULE_IDS:
            return None
        return evaluate(intake.profile(self.apps.answers(application)), [application.benefit], lang=lang)

    def viewed(self, staff: Staff, application: Application, what: str, origin: str | None) -> None:
        audit.record(self.session, staff.actor, f"application.viewed_{what}", application.reference, origin)
        self.session.commit()

    # --- transitions ----------------------------------------------------------------------------------------------

    def act(
        self,
        staff: Staff,
        application: Application,
        action: str,
        version: int,
        origin: str | None,
        message: str = "",
        basis: str = "",
        outcome: str = "",
    ) -> Application:
        """Do ``action`` on the case as the member of staff saw it (``version``)."""
        if action not in TRANSITIONS:
            raise WorkflowError("unknown_action")
        _permission, sources, target = TRANSITIONS[action]
        if not self.may_open(staff, application):
            raise WorkflowError("not_allowed")
        if action not in self.actions(staff, application):
            if application.status not in sources:
                raise WorkflowError("wrong_state")
            if action in ("approve", "reject") and self.handled_earlier(staff, application):
                raise WorkflowError("four_eyes")
            raise WorkflowError("not_allowed")
        message = (message or "").strip()
        if action in ("request_info", "approve", "reject", "recommend") and not message:
            raise WorkflowError("reasons_needed")
        if len(message) > REASONS_MAX or len(basis) > REASONS_MAX:
            raise WorkflowError("too_long")
        if action in ("approve", "reject") and not basis.strip():
            raise WorkflowError("basis_needed")
        sealed = self.apps.sealer.open_json(application.sealed)
        now = self.apps.now()
        previous = application.status  # the ORM-enabled UPDATE below refreshes the object in the session
        if action in ("approve", "reject"):
            sealed["decision"] = {
                "outcome": target,
                "reasons": message,
                "basis": basis.strip(),
                "by": staff.actor,
                "at": now.isoformat(),
            }
        if action == "recommend":
            sealed["recommendation"] = {"outcome": outcome or "approve", "note": message, "by": staff.actor}
        won = self.session.execute(
            update(Application)
            .where(Application.id == application.id, Application.version == version, Application.status == previous)
            .values(status=target, version=version + 1, updated_at=now, sealed=self.apps.sealer.seal_json(sealed))
        ).rowcount
        if won != 1:
            self.session.rollback()
            raise WorkflowError("changed_meanwhile")
        if action == "request_info":
            self.session.add(
                InfoRequest(
                    application_id=application.id,
                    asked_by=staff.actor,
                    asked_at=now,
                    message=self.apps.sealer.seal_json(message),
                    return_to=previous,
                )
            )
        note = {
            "accept": "accepted",
            "request_info": "more_info_requested",
            "forward": "forwarded",
            "recommend": "recommended",
            "approve": "approved",
            "reject": "rejected",
        }[action]
        self.session.add(
            ApplicationEvent(application_id=application.id, at=now, status=target, note=note, actor=staff.actor)
        )
        if action in ("request_info", "approve", "reject", "accept"):
            self.apps._notice(application, note)
        audit.record(self.session, staff.actor, f"application.{action}", application.reference, origin)
        self.session.commit()
        self.session.refresh(application)
        return application

    def add_note(self, staff: Staff, application: Application, text: str, origin: str | None) -> None:
        if not self.may_open(staff, application) or not can(staff, "applications.note"):
            raise WorkflowError("not_allowed")
        text = text.strip()
        if not text or len(text) > REASONS_MAX:
            raise WorkflowError("reasons_needed" if not text else "too_long")
        self.session.add(
            CaseNote(application_id=application.id, author=staff.actor, text=self.apps.sealer.seal_json(text))
        )
        audit.record(self.session, staff.actor, "application.note_added", application.reference, origin)
        self.session.commit()

    # --- the resident answers a request ---------------------------------------------------------------------

    def answer_request(
        self, application: Application, message: str, files: list[CleanFile], origin: str | None
    ) -> None:
        if application.status != "more_info_requested":
            raise WorkflowError("wrong_state")
        request = self.session.scalar(
            select(InfoRequest)
            .where(InfoRequest.application_id == application.id, InfoRequest.answered_at.is_(None))
            .order_by(InfoRequest.id.desc())
        )
        if request is None:
            raise WorkflowError("wrong_state")
        message = (message or "").strip()
        if not message and not files:
            raise WorkflowError("reasons_needed")
        if len(message) > REASONS_MAX:
            raise WorkflowError("too_long")
        now = self.apps.now()
        for clean in files:
            self.apps.attach(application, f"answer-{request.id}", clean)
        request.answered_at, request.answer = now, self.apps.sealer.seal_json(message)
        application.status, application.version, application.updated_at = (
            request.return_to,
            application.version + 1,
            now,
        )
        self.session.add(
            ApplicationEvent(
                application_id=application.id, at=now, status=request.return_to, note="answered", actor="resident"
            )
        )
        audit.record(self.session, "resident", "application.request_answered", application.reference, origin)
        self.session.commit()
