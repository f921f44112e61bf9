"""The petition workflow: one function per action, each checking the permission, the scope and the state,
changing the row only if its ``version`` is the one the actor saw, and writing the history entry the petitioner
sees and the audit event, in one transaction. No Flask here.

States (applications-and-petitions.md): received → accepted | declined; accepted → replied; replied → closed
(rated 满意 or 基本满意) | review_requested (复查, within the window) → review_replied. ``transferred`` and the
extension are history events, not states. ``now`` is passed in, so tests control the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import audit
from ..accounts.permissions import PERMISSIONS, Staff, can, in_scope
from ..applications import references
from ..applications.sealing import Sealer
from ..applications.storage import DocumentStorage
from ..applications.uploads import CleanFile
from ..content import Catalogue
from ..db.models import Notice, Petition, PetitionAlert, PetitionEvent, PetitionFile
from . import clock
from .routing import TRIAGE, route

KINDS = ("complaint", "suggestion", "help")
CHANNELS = ("web", "assistant", "phone")
RATINGS = ("satisfied", "basically_satisfied", "dissatisfied")  # 满意 / 基本满意 / 不满意
DEFAULT_RATING_CLOSES = ("satisfied", "basically_satisfied")  # unconfirmed: see content/petitions.yml
STATUSES = ("received", "accepted", "declined", "replied", "review_requested", "review_replied", "closed")
OPEN = ("received", "accepted", "review_requested")
TEXT_MAX = 5000
MAX_FILES = 3
REASON_MAX = 2000


class PetitionError(Exception):
    """The action is not possible (``code`` says why)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


class Petitions:
    """Petitions in one database session, sealed with one key, routed over one catalogue."""

    def __init__(
        self,
        session: Session,
        sealer: Sealer,
        catalogue: Catalogue,
        now: Callable[[], dt.datetime] = utcnow,
        storage: DocumentStorage | None = None,
    ) -> None:
        self.session, self.sealer, self.catalogue, self.now = session, sealer, catalogue, now
        self.storage = storage

    # --- filing ---------------------------------------------------------------------------------------------

    def file(
        self,
        *,
        kind: str,
        channel: str,
        what: str,
        lang: str,
        where: str = "",
        town: str | None = None,
        since: str = "",
        outcome: str = "",
        contact: dict[str, str] | None = None,
        files: tuple[CleanFile, ...] | list[CleanFile] = (),
        actor: str = "petitioner",
        origin: str | None = None,
        commit: bool = True,
    ) -> tuple[Petition, str]:
        """A new petition, routed and on the clock; returns it and its access code (shown once)."""
        what = (what or "").strip()
        if kind not in KINDS:
            raise PetitionError("kind")
        if channel not in CHANNELS:
            raise PetitionError("channel")
        if not what:
            raise PetitionError("what_needed")
        if len(what) > TEXT_MAX:
            raise PetitionError("too_long")
        if len(files) > MAX_FILES or (files and self.storage is None):
            raise PetitionError("too_many_files")
        now = self.now()
        routing = route(" ".join(filter(None, (what, where, outcome))), self.catalogue)
        due = clock.acknowledge_by(now)
        code = references.new_access_code()
        reference = self._unused_reference()
        petition = Petition(
            reference=reference,
            kind=kind,
            channel=channel,
            lang=lang,
            status="received",
            town=town,
            department=routing.department,
            task=routing.task,
            routing=json.dumps(routing.as_dict(), ensure_ascii=False),
            anonymous=not contact,
            access_code_hash=references.hash_access_code(code, reference),
            sealed=self.sealer.seal_json(
                {"what": what, "where": where, "since": since, "outcome": outcome, "contact": contact or None}
            ),
            received_at=now,
            acknowledge_by=due.iso(),
            provisional=due.provisional,
            extension_days=0,
            version=1,
            updated_at=now,
        )
        for clean in files:  # sealed and durably stored before the row that names it is committed
            if self.storage is None:
                raise RuntimeError("a petition with files needs a document storage")
            petition.files.append(
                PetitionFile(
                    storage_key=self.storage.put(self.sealer.seal_file(clean.data)),
                    content_type=clean.content_type,
                    size=len(clean.data),
                    sha256=hashlib.sha256(clean.data).hexdigest(),
                    sealed_name=self.sealer.seal(clean.name.encode()).decode(),
                    created_at=now,
                )
            )
        self.session.add(petition)
        self.session.flush()
        self._event(petition, "received", "routed_triage" if routing.department == TRIAGE else "routed", actor, now)
        audit.record(self.session, actor, "petition.filed", reference, origin, f"channel={channel}")
        if due.provisional:
            self.calendar_alert(due.date.year)
        if commit:
            self.session.commit()
        return petition, code

    def _unused_reference(self) -> str:
        while True:
            reference = references.new_reference("petition")
            if self.session.scalar(select(Petition.id).where(Petition.reference == reference)) is None:
                return reference

    def calendar_alert(self, year: int) -> None:
        """Tell the supervisor, once per year, that the holiday calendar lacks ``year`` (deadlines provisional)."""
        exists = self.session.scalar(
            select(PetitionAlert.id).where(PetitionAlert.kind == "calendar", PetitionAlert.due == str(year))
        )
        if exists is None:
            self.session.add(
                PetitionAlert(
                    petition_id=None,
                    kind="calendar",
                    recipient="supervisor",
                    deadline="year",
                    due=str(year),
                    created_at=self.now(),
                )
            )

    # --- reading ----------------------------------------------------------------------------------------------

    def find(self, reference: str, code: str) -> Petition | None:
        """The petition with this reference and access code; None alike for an unknown reference or wrong code."""
        parsed = references.parse_reference(reference, "petition")
        if parsed is None:
            return None
        petition = self.session.scalar(select(Petition).where(Petition.reference == parsed))
        if petition is None:
            references.hash_access_code(code or "", parsed)  # the same work either way
            return None
        if not references.access_code_matches(code or "", parsed, petition.access_code_hash):
            return None
        return petition

    def details(self, petition: Petition) -> dict[str, Any]:
        """What the petitioner wrote (staff and the petitioner only)."""
        return self.sealer.open_json(petition.sealed)

    def file_bytes(self, petition: Petition, file_id: int) -> tuple[PetitionFile, bytes] | None:
        row = next((f for f in petition.files if f.id == file_id), None)
        if row is None or self.storage is None:
            return None
        return row, self.sealer.open_file(self.storage.get(row.storage_key))

    def routing(self, petition: Petition) -> dict[str, Any]:
        return json.loads(petition.routing)

    def deadlines(self, petition: Petition) -> dict[str, Any]:
        """The dates, as ``YYYY-MM-DD``, and whether any is provisional (the calendar lacks its year)."""
        return {
            "acknowledge_by": petition.acknowledge_by,
            "resolve_by": petition.resolve_by,
            "review_request_by": petition.review_request_by,
            "review_reply_by": petition.review_reply_by,
            "provisional": bool(petition.provisional),
        }

    def current_deadline(self, petition: Petition) -> tuple[str, str] | None:
        """(which, date) of the deadline the case is running against now, if any."""
        which = {"received": "acknowledge_by", "accepted": "resolve_by", "review_requested": "review_reply_by"}
        key = which.get(petition.status)
        if key is None or getattr(petition, key) is None:
            return None
        return key, getattr(petition, key)

    def extension(self, petition: Petition) -> dict[str, Any] | None:
        """The approved extension in the petitioner's terms: how many days, the new reply date and the reason."""
        if petition.extension_state != "approved":
            return None
        approved = next((e for e in reversed(petition.events) if e.note == "extended"), None)
        return {
            "days": petition.extension_days,
            "resolve_by": petition.resolve_by,
            "reason": self.sealer.open_json(approved.text) if approved and approved.text else "",
            "approved_at": _aware(approved.at) if approved else None,
        }

    def notices(self, petition: Petition) -> list[Notice]:
        return list(self.session.scalars(select(Notice).where(Notice.petition_id == petition.id)))

    def _notify(self, petition: Petition, kind: str) -> None:
        """A notice in the outbox for the contact channel the petitioner gave (none for an anonymous petition:
        they follow it on the status page with the reference and the access code)."""
        contact = (self.details(petition) or {}).get("contact") or {}
        if contact.get("phone"):
            self.session.add(
                Notice(petition_id=petition.id, kind=kind, channel="sms", state="recorded", created_at=self.now())
            )

    def history(self, petition: Petition, staff_view: bool = False) -> list[dict[str, Any]]:
        rows = []
        for event in petition.events:
            row: dict[str, Any] = {"status": event.status, "at": _aware(event.at), "note": event.note}
            if event.text:
                row["text"] = self.sealer.open_json(event.text)
            if staff_view:
                row["actor"] = event.actor
            rows.append(row)
        return rows

    # --- who may do what --------------------------------------------------------------------------------------

    def may_open(self, staff: Staff, petition: Petition) -> bool:
        return can(staff, "petitions.view") and in_scope(
            staff, PERMISSIONS["petitions.view"], None, petition.department
        )

    def actions(self, staff: Staff, petition: Petition) -> list[str]:
        if not self.may_open(staff, petition):
            return []
        allowed = []

        def scoped(permission: str) -> bool:
            return can(staff, permission) and in_scope(staff, PERMISSIONS[permission], None, petition.department)

        if petition.status == "received" and petition.department != TRIAGE and scoped("petitions.handle"):
            allowed += ["accept", "decline"]
        if petition.status in ("received", "accepted") and scoped("petitions.transfer"):
            allowed.append("transfer")
        if petition.status == "accepted" and scoped("petitions.handle"):
            allowed.append("reply")
            if petition.extension_state is None:
                allowed.append("request_extension")
        if petition.extension_state == "requested" and scoped("petitions.supervise"):
            allowed += ["approve_extension", "refuse_extension"]
        if petition.status == "replied" and scoped("petitions.supervise") and self.may_request_review(petition):
            allowed.append("review_request")  # the supervisor records a 复查 request made by phone or in person
        if petition.status == "review_requested" and scoped("petitions.supervise"):
            allowed.append("review_reply")
        return allowed

    # --- staff transitions ------------------------------------------------------------------------------------

    def _check(self, staff: Staff, petition: Petition, action: str) -> None:
        if not self.may_open(staff, petition):
            raise PetitionError("not_allowed")
        if action not in self.actions(staff, petition):
            raise PetitionError("wrong_state")

    def _change(self, petition: Petition, version: int, **values: Any) -> None:
        previous = petition.status
        won = self.session.execute(
            update(Petition)
            .where(Petition.id == petition.id, Petition.version == version, Petition.status == previous)
            .values(version=version + 1, updated_at=self.now(), **values)
        ).rowcount
        if won != 1:
            self.session.rollback()
            raise PetitionError("changed_meanwhile")
        self.session.refresh(petition)

    def _event(
        self, petition: Petition, status: str, note: str | None, actor: str, at: dt.datetime, text: str | None = None
    ) -> None:
        self.session.add(
            PetitionEvent(
                petition_id=petition.id,
                at=at,
                status=status,
                note=note,
                actor=actor,
                text=self.sealer.seal_json(text) if text else None,
            )
        )

    @staticmethod
    def _reason(text: str, needed: bool = True, limit: int = REASON_MAX) -> str:
        text = (text or "").strip()
        if needed and not text:
            raise PetitionError("reason_needed")
        if len(text) > limit:
            raise PetitionError("too_long")
        return text

    def _finish(self, actor: str, action: str, petition: Petition, origin: str | None, detail: str = "") -> None:
        audit.record(self.session, actor, f"petition.{action}", petition.reference, origin, detail or None)
        self.session.commit()

    def accept(self, staff: Staff, petition: Petition, version: int, origin: str | None = None) -> Petition:
        self._check(staff, petition, "accept")
        now = self.now()
        due = clock.resolve_by(now)
        self._change(
            petition,
            version,
            status="accepted",
            accepted_at=now,
            resolve_by=due.iso(),
            provisional=bool(petition.provisional or due.provisional),
        )
        self._event(petition, "accepted", "accepted", staff.actor, now)
        if due.provisional:
            self.calendar_alert(due.date.year)
        self._finish(staff.actor, "accepted", petition, origin)
        return petition

    def decline(
        self, staff: Staff, petition: Petition, version: int, reason: str, origin: str | None = None
    ) -> Petition:
        """Not accepted, with the reason and where to go instead (the petitioner reads it)."""
        self._check(staff, petition, "decline")
        reason = self._reason(reason)
        now = self.now()
        self._change(petition, version, status="declined")
        self._event(petition, "declined", "declined", staff.actor, now, reason)
        self._finish(staff.actor, "declined", petition, origin)
        return petition

    def transfer(
        self, staff: Staff, petition: Petition, version: int, department: str, reason: str, origin: str | None = None
    ) -> Petition:
        """转办: to another department, with a reason; the move stays in the history."""
        self._check(staff, petition, "transfer")
        reason = self._reason(reason)
        if self.catalogue.department(department) is None or department == petition.department:
            raise PetitionError("department")
        now = self.now()
        before = petition.department
        self._change(petition, version, department=department)
        self._event(petition, petition.status, "transferred", staff.actor, now, reason)
        self._finish(staff.actor, "transferred", petition, origin, f"from={before} to={department}")
        return petition

    def reply(self, staff: Staff, petition: Petition, version: int, text: str, origin: str | None = None) -> Petition:
        """The written reply; the review window opens."""
        self._check(staff, petition, "reply")
        text = self._reason(text, limit=TEXT_MAX)
        now = self.now()
        due = clock.review_request_by(now)
        self._change(
            petition,
            version,
            status="replied",
            replied_at=now,
            review_request_by=due.iso(),
            provisional=bool(petition.provisional or due.provisional),
        )
        self._event(petition, "replied", "replied", staff.actor, now, text)
        self._finish(staff.actor, "replied", petition, origin)
        return petition

    def request_extension(
        self, staff: Staff, petition: Petition, version: int, days: int, reason: str, origin: str | None = None
    ) -> Petition:
        self._check(staff, petition, "request_extension")
        reason = self._reason(reason)
        if not isinstance(days, int) or not 1 <= days <= clock.EXTENSION_MAX_DAYS:
            raise PetitionError("extension_days")
        now = self.now()
        self._change(petition, version, extension_state="requested", extension_days=days)
        self._event(petition, petition.status, "extension_requested", staff.actor, now, reason)
        self._finish(staff.actor, "extension_requested", petition, origin, f"days={days}")
        return petition

    def decide_extension(
        self, staff: Staff, petition: Petition, version: int, approve: bool, reason: str, origin: str | None = None
    ) -> Petition:
        """A supervisor approves (the resolve date moves; the petitioner is told in the history) or refuses."""
        self._check(staff, petition, "approve_extension")
        reason = self._reason(reason)
        now = self.now()
        if approve:
            due = clock.resolve_by(_aware(petition.accepted_at) or now, petition.extension_days)
            self._change(
                petition,
                version,
                extension_state="approved",
                resolve_by=due.iso(),
                provisional=bool(petition.provisional or due.provisional),
            )
            self._event(petition, petition.status, "extended", staff.actor, now, reason)
            self._notify(petition, "petition_extended")
        else:
            self._change(petition, version, extension_state="refused", extension_days=0)
            self._event(petition, petition.status, "extension_refused", staff.actor, now, reason)
        self._finish(staff.actor, "extension_" + ("approved" if approve else "refused"), petition, origin)
        return petition

    def review_reply(
        self, staff: Staff, petition: Petition, version: int, text: str, origin: str | None = None
    ) -> Petition:
        """The supervisor records the 复查 answer of the body one level up."""
        self._check(staff, petition, "review_reply")
        text = self._reason(text, limit=TEXT_MAX)
        now = self.now()
        self._change(petition, version, status="review_replied")
        self._event(petition, "review_replied", "review_replied", staff.actor, now, text)
        self._finish(staff.actor, "review_replied", petition, origin)
        return petition

    # --- the petitioner's actions (they hold the reference and the access code) --------------------------------

    def rate(self, petition: Petition, rating: str, origin: str | None = None) -> Petition:
        """A rating of ``rating_closes`` (content/petitions.yml; unconfirmed: 满意 / 基本满意) closes the case;
        any other keeps it open for a 复查 request within the window."""
        if rating not in RATINGS:
            raise PetitionError("rating")
        if self.status_of(petition) != "replied" or petition.rating is not None:
            raise PetitionError("wrong_state")
        now = self.now()
        status = "closed" if rating in self.rating_closes()[0] else "replied"
        self._change(petition, petition.version, rating=rating, status=status)
        self._event(petition, status, f"rated_{rating}", "petitioner", now)
        self._finish("petitioner", "rated", petition, origin, f"rating={rating}")
        return petition

    def window_ended(self, petition: Petition) -> bool:
        """Replied, not asked for a review, and the 30 days to ask for one have passed (China time)."""
        return (
            petition.status == "replied"
            and petition.review_request_by is not None
            and clock.china_date(self.now()).isoformat() > petition.review_request_by
        )

    def status_of(self, petition: Petition) -> str:
        """The status as the petitioner and staff see it now. A replied case whose review window has ended is
        ``closed``: read from the clock, so no one and no job has to move it (the escalation job never does)."""
        return "closed" if self.window_ended(petition) else petition.status

    def closed_by(self, petition: Petition) -> str | None:
        """Why it is closed: ``rating`` (a rating that closes it), ``review_window`` (the 30 days ended)."""
        if petition.status == "closed":
            return "rating"
        return "review_window" if self.window_ended(petition) else None

    def rating_closes(self) -> tuple[frozenset[str], bool, dict[str, str]]:
        """Which ratings close the case, whether a person has confirmed that rule, and who to ask
        (``content/petitions.yml``; without it: 满意 and 基本满意, unconfirmed)."""
        rule = self.catalogue.petition_rules.get("rating_closes") or {}
        value = rule.get("value", DEFAULT_RATING_CLOSES)
        return frozenset(v for v in value if v in RATINGS), rule.get("confirmed") is True, dict(rule.get("ask") or {})

    def may_request_review(self, petition: Petition) -> bool:
        if petition.status != "replied" or petition.review_request_by is None:
            return False
        return not self.window_ended(petition)

    def request_review(
        self, petition: Petition, reason: str, actor: str = "petitioner", origin: str | None = None
    ) -> Petition:
        """复查 asked for within the window (by the petitioner, or recorded by the supervisor)."""
        if not self.may_request_review(petition):
            raise PetitionError("review_window")
        reason = self._reason(reason, limit=TEXT_MAX)
        now = self.now()
        due = clock.review_reply_by(now)
        self._change(
            petition,
            petition.version,
            status="review_requested",
            review_requested_at=now,
            review_reply_by=due.iso(),
            provisional=bool(petition.provisional or due.provisional),
        )
        self._event(petition, "review_requested", "review_requested", actor, now, reason)
        if due.provisional:
            self.calendar_alert(due.date.year)
        self._finish(actor, "review_requested", petition, origin)
        return petition

    # --- queues -----------------------------------------------------------------------------------------------

    def queue(self, staff: Staff, status: str | None = None, limit: int = 50, offset: int = 0) -> list[Petition]:
        """The petitions this member of staff may open, the earliest deadline first."""
        if not can(staff, "petitions.view"):
            return []
        query = select(Petition)
        if "supervisor" not in staff.roles:
            query = query.where(Petition.department == staff.scope)
        today = clock.china_date(self.now()).isoformat()
        window_ended = (Petition.status == "replied") & (Petition.review_request_by < today)
        if status == "closed":  # closed by a rating, or (read from the clock) by the end of the review window
            query = query.where((Petition.status == "closed") | window_ended)
        elif status == "replied":
            query = query.where(Petition.status == "replied", ~window_ended)
        elif status:
            query = query.where(Petition.status == status)
        return list(
            self.session.scalars(query.order_by(Petition.acknowledge_by, Petition.id).limit(limit).offset(offset))
        )
