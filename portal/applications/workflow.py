"""The application workflow: one function per action, each checking the state, changing it, and writing the
history entry the resident sees and the audit event, in one transaction. Views and the API call these and never
write history or audit themselves. No Flask here.

States: draft → submitted → accepted → in_review → awaiting_decision → approved | rejected; more_info_requested
from submitted, accepted or in_review; withdrawn from any state before a decision. Staff transitions arrive with
the back office; residents can create, fill in, submit and withdraw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import audit
from ..content import Catalogue, FormSpec
from ..db.models import Application, ApplicationEvent, ApplicationFile, Notice
from ..eligibility import RULE_IDS, evaluate, rules_version
from . import intake, references
from .sealing import Sealer
from .storage import DocumentStorage
from .uploads import CleanFile

DRAFT_LIFETIME = timedelta(days=30)
MAX_FILES_PER_DOCUMENT = 10
DECIDED = ("approved", "rejected")
OPEN_TO_WITHDRAW = ("submitted", "accepted", "in_review", "awaiting_decision", "more_info_requested")
STATUSES = ("draft", "submitted", "accepted", "in_review", "awaiting_decision", "more_info_requested",
            "approved", "rejected", "withdrawn")  # fmt: skip


class WorkflowError(Exception):
    """The action is not possible in this state (``code`` says why)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class StoredFile:
    id: int
    document: str
    name: str
    content_type: str
    size: int


class Applications:
    """Applications in one database session, sealed with one key, their files in one storage."""

    def __init__(
        self,
        session: Session,
        sealer: Sealer,
        storage: DocumentStorage,
        catalogue: Catalogue,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.session, self.sealer, self.storage, self.catalogue, self.now = session, sealer, storage, catalogue, now

    # --- reading -----------------------------------------------------------------------------------------------

    def form(self, application: Application) -> FormSpec:
        return self.catalogue.forms[application.benefit]

    def answers(self, application: Application) -> dict[str, Any]:
        return self.sealer.open_json(application.sealed)["answers"]

    def eligibility(self, application: Application) -> list[dict[str, Any]] | None:
        return self.sealer.open_json(application.sealed).get("eligibility")

    def files(self, application: Application) -> list[StoredFile]:
        return [
            StoredFile(f.id, f.document, self.sealer.open(f.sealed_name.encode()).decode(), f.content_type, f.size)
            for f in application.files
        ]

    def file_bytes(self, application: Application, file_id: int) -> tuple[StoredFile, bytes] | None:
        for row, shown in zip(application.files, self.files(application), strict=True):
            if row.id == file_id:
                return shown, self.sealer.open_file(self.storage.get(row.storage_key))
        return None

    def find(self, reference: str, id_number: str | None = None, access_code: str | None = None) -> Application | None:
        """The application with ``reference`` if the ID number (when given) and the access code (when given) match;
        None for an unknown reference, a wrong ID number or a wrong code alike."""
        parsed = references.parse_reference(reference, "application")
        if parsed is None:
            return None
        application = self.session.scalar(select(Application).where(Application.reference == parsed))
        if application is None or self._expired(application):
            return None
        if id_number is not None and application.applicant_lookup not in self.sealer.lookups(id_number):
            return None
        if access_code is not None and not references.access_code_matches(
            access_code, application.reference, application.access_code_hash
        ):
            return None
        return application

    def _expired(self, application: Application) -> bool:
        expires = aware(application.expires_at)
        return application.status == "draft" and expires is not None and expires <= self.now()

    def draft_expires(self, application: Application) -> datetime | None:
        return aware(application.expires_at)

    # --- resident actions --------------------------------------------------------------------------------------

    def _new(self, benefit: str, lang: str, answers: dict[str, Any], channel: str) -> tuple[Application, str]:
        """A new application row in the session (not committed): its reference and its access code."""
        if benefit not in self.catalogue.forms:
            raise WorkflowError("unknown_benefit")
        code = references.new_access_code()
        for _attempt in range(5):  # 30^6 references: a clash is rare, and retried
            reference = references.new_reference("application")
            if self.session.scalar(select(Application.id).where(Application.reference == reference)) is None:
                break
        now = self.now()
        application = Application(
            reference=reference, benefit=benefit, status="draft", channel=channel, lang=lang,
            access_code_hash=references.hash_access_code(code, reference),
            sealed=self.sealer.seal_json({"answers": answers}),
            created_at=now, updated_at=now, expires_at=now + DRAFT_LIFETIME,
        )  # fmt: skip
        self.session.add(application)
        self.session.flush()
        return application, code

    def create_draft(
        self, benefit: str, lang: str, consent: dict[str, Any], actor: str = "resident", channel: str = "web",
        origin: str | None = None,
    ) -> tuple[Application, str]:  # fmt: skip
        """A new draft (the first save: it gets its reference and access code, shown once)."""
        application, code = self._new(benefit, lang, {"consent": {**consent, "at": self.now().isoformat()}}, channel)
        self._event(application, "draft", "draft_saved", actor)
        audit.record(
            self.session, actor, "application.draft_created", application.reference, origin, f"benefit={benefit}"
        )
        self.session.commit()
        return application, code

    def save_answers(self, application: Application, answers: dict[str, Any]) -> None:
        if application.status != "draft":
            raise WorkflowError("not_a_draft")
        sealed = self.sealer.open_json(application.sealed)
        sealed["answers"] = answers
        application.sealed = self.sealer.seal_json(sealed)
        id_number = (answers.get("applicant") or {}).get("id_number")
        application.applicant_lookup = self.sealer.lookup(id_number) if id_number else None
        application.town = (answers.get("applicant") or {}).get("town")
        application.updated_at = self.now()
        application.expires_at = self.now() + DRAFT_LIFETIME
        self.session.commit()

    def add_file(self, application: Application, document: str, clean: CleanFile) -> StoredFile:
        """Keep one checked file of ``document``; durable on disk before the row that names it is committed."""
        if application.status != "draft":
            raise WorkflowError("not_a_draft")
        if self.form(application).document(document) is None:
            raise WorkflowError("unknown_document")
        if sum(1 for f in application.files if f.document == document) >= MAX_FILES_PER_DOCUMENT:
            raise WorkflowError("too_many_files")
        row = self._file_row(document, clean)
        application.files.append(row)
        application.updated_at = self.now()
        application.expires_at = self.now() + DRAFT_LIFETIME
        self.session.commit()
        return StoredFile(row.id, document, clean.name, clean.content_type, row.size)

    def attach(self, application: Application, document: str, clean: CleanFile) -> None:
        """Keep a file that answers a request (after submission); committed with the answer."""
        application.files.append(self._file_row(document, clean))

    def _file_row(self, document: str, clean: CleanFile) -> ApplicationFile:
        """The file sealed and durably stored, and the row that names it (not yet committed)."""
        key = self.storage.put(self.sealer.seal_file(clean.data))
        return ApplicationFile(
            document=document,
            storage_key=key,
            content_type=clean.content_type,
            size=len(clean.data),
            sha256=hashlib.sha256(clean.data).hexdigest(),
            sealed_name=self.sealer.seal(clean.name.encode()).decode(),
        )

    def remove_file(self, application: Application, file_id: int) -> bool:
        if application.status != "draft":
            raise WorkflowError("not_a_draft")
        row = next((f for f in application.files if f.id == file_id), None)
        if row is None:
            return False
        application.files.remove(row)
        self.session.commit()
        self.storage.delete(row.storage_key)
        return True

    def submit(self, application: Application, declaration: dict[str, Any], actor: str = "resident",
               origin: str | None = None) -> Application:  # fmt: skip
        """File the draft: exactly once, however often it is called (a double click, a retry, a lost response).
        Checked again in full first; the engine's answer on the submitted facts is stored with the rules version."""
        if application.status != "draft":
            return application  # already filed: the same application, nothing new
        form = self.form(application)
        answers = self.answers(application)
        if intake.validate_all(form, answers):
            raise WorkflowError("incomplete")
        uploaded = {f.document for f in application.files}
        if intake.progress(form, answers, uploaded).next_page != "check":
            raise WorkflowError("incomplete")
        now = self.now()
        answers["declaration"] = {**declaration, "at": now.isoformat()}
        result = None
        if application.benefit in RULE_IDS:
            result = evaluate(intake.profile(answers, now.date()), [application.benefit], lang=application.lang)
        sealed = self.sealer.seal_json({"answers": answers, "eligibility": result})
        won = self.session.execute(
            update(Application)
            .where(Application.id == application.id, Application.status == "draft")
            .values(
                status="submitted",
                submitted_at=now,
                updated_at=now,
                expires_at=None,
                sealed=sealed,
                rules_version=rules_version() if result is not None else None,
            )
        ).rowcount
        if won != 1:  # another request filed it first
            self.session.rollback()
            self.session.refresh(application)
            return application
        self._event(application, "submitted", "submitted", actor)
        self._notice(application, "received")
        audit.record(self.session, actor, "application.submitted", application.reference, origin)
        self.session.commit()
        self.session.refresh(application)
        return application

    def file_complete(
        self, benefit: str, answers: dict[str, Any], lang: str, actor: str, channel: str, origin: str | None = None,
        commit: bool = True,
    ) -> tuple[Application, str]:  # fmt: skip
        """Staff-assisted and partner channels: a whole, already validated application at once (documents may
        follow later). With ``commit=False`` the caller commits (with its idempotency record, in one transaction)."""
        now = self.now()
        result = evaluate(intake.profile(answers, now.date()), [benefit], lang=lang) if benefit in RULE_IDS else None
        application, code = self._new(benefit, lang, answers, channel)
        id_number = (answers.get("applicant") or {}).get("id_number")
        application.applicant_lookup = self.sealer.lookup(id_number) if id_number else None
        application.town = (answers.get("applicant") or {}).get("town")
        application.sealed = self.sealer.seal_json({"answers": answers, "eligibility": result})
        application.status, application.submitted_at, application.expires_at = "submitted", now, None
        application.rules_version = rules_version() if result is not None else None
        self._event(application, "submitted", "submitted_for_you", actor)
        self._notice(application, "received")
        audit.record(self.session, actor, "application.submitted", application.reference, origin, f"channel={channel}")
        if commit:
            self.session.commit()
        return application, code

    def withdraw(self, application: Application, actor: str = "resident", origin: str | None = None) -> None:
        if application.status not in OPEN_TO_WITHDRAW:
            raise WorkflowError("cannot_withdraw")
        application.status = "withdrawn"
        application.updated_at = self.now()
        self._event(application, "withdrawn", "withdrawn", actor)
        audit.record(self.session, actor, "application.withdrawn", application.reference, origin)
        self.session.commit()

    def delete_draft(self, application: Application) -> None:
        if application.status != "draft":
            raise WorkflowError("not_a_draft")
        keys = [f.storage_key for f in application.files]
        self.session.delete(application)
        self.session.commit()
        for key in keys:
            self.storage.delete(key)

    def purge_expired_drafts(self) -> int:
        """The worker's clean-up: drafts past their 30 days go, with their files."""
        expired = self.session.scalars(
            select(Application).where(Application.status == "draft", Application.expires_at <= self.now())
        ).all()
        for application in expired:
            self.delete_draft(application)
        return len(expired)

    # --- history and notices -----------------------------------------------------------------------------------

    def history(self, application: Application) -> list[ApplicationEvent]:
        return list(application.events)

    def notices(self, application: Application) -> list[Notice]:
        return list(self.session.scalars(select(Notice).where(Notice.application_id == application.id)))

    def _event(self, application: Application, status: str, note: str, actor: str) -> None:
        self.session.add(
            ApplicationEvent(application_id=application.id, at=self.now(), status=status, note=note, actor=actor)
        )

    def _notice(self, application: Application, kind: str) -> None:
        self.session.add(Notice(application_id=application.id, kind=kind, channel="sms", state="recorded"))
