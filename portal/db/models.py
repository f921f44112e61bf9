"""Database tables. Every change here needs an Alembic migration in ``migrations/versions/``."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class PageFeedback(Base):
    """“这个页面有帮助吗？” — one answer about one page. The optional comment is free text a resident may fill with
    personal details, so it is sealed (``comment_sealed``, with the data key)."""

    __tablename__ = "page_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)
    path: Mapped[str] = mapped_column(String(300), nullable=False, index=True)
    useful: Mapped[bool] = mapped_column(Boolean, nullable=False)
    comment_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    lang: Mapped[str] = mapped_column(String(8), nullable=False)


class ServerSession(Base):
    """Short-lived data kept server-side for one visitor (see ``portal.db.visitor_store``).

    The browser holds only the random ``id`` (in the signed session cookie); rows expire, and “start again”
    deletes them.
    """

    __tablename__ = "server_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    data: Mapped[str] = mapped_column(Text, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)


class Application(Base):
    """One application, from its first save (state ``draft``) to its decision.

    Personal data (the applicant's and proxy's details, the answers, the consent, the stored eligibility result)
    is in ``sealed``, encrypted with the data key; ``applicant_lookup`` is a keyed hash of the applicant's ID
    number, so a lookup needs no plaintext. ``town`` and ``benefit`` stay plain: staff queues sort by them.
    """

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), nullable=False, unique=True)
    benefit: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(24), nullable=False, index=True)
    channel: Mapped[str] = mapped_column(String(12), nullable=False)  # web | api
    lang: Mapped[str] = mapped_column(String(8), nullable=False)
    town: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    access_code_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    applicant_lookup: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    sealed: Mapped[str] = mapped_column(Text, nullable=False)
    rules_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)  # optimistic lock for staff actions

    files: Mapped[list[ApplicationFile]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationFile.id"
    )
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationEvent.id"
    )


class ApplicationFile(Base):
    """One uploaded file of one document; the bytes (sealed) are in the document storage under ``storage_key``."""

    __tablename__ = "application_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(String(40), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    sealed_name: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)

    application: Mapped[Application] = relationship(back_populates="files")


class ApplicationEvent(Base):
    """The history the resident sees: each change of status, with a note in plain words."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)
    status: Mapped[str] = mapped_column(String(24), nullable=False)
    note: Mapped[str | None] = mapped_column(String(60), nullable=True)  # a text key, rendered in the reader's language
    actor: Mapped[str] = mapped_column(String(60), nullable=False)  # resident | service | staff:<username> | system

    application: Mapped[Application] = relationship(back_populates="events")


class Notice(Base):
    """The outbox: a message owed to a resident about an application or a petition (one of the two ids is set).
    ``state`` is ``recorded`` until a real sender delivers it."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True, nullable=True
    )
    petition_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE", name="fk_notices_petition_id"), index=True, nullable=True
    )
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False)  # recorded | sent | failed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class IdempotencyKey(Base):
    """A service caller's ``Idempotency-Key``: the first answer, returned again for a repeat."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), nullable=False)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status_code: Mapped[int] = mapped_column(Integer, nullable=False)
    response: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)


class AuditEvent(Base):
    """The append-only record: who did what to which case, when, from where. No code path updates or deletes it."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False, index=True)
    actor: Mapped[str] = mapped_column(String(60), nullable=False)
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    subject: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)  # a reference
    origin: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the client address
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)  # never personal data


class StaffUser(Base):
    """A member of staff. ``roles`` is a comma-separated list of role ids; ``scope`` the town or department they
    serve (none for the district-wide roles). ``totp_secret`` is sealed; ``session_epoch`` grows with every "sign
    out everywhere", which ends every session signed in before it."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    display_name: Mapped[str] = mapped_column(String(60), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    totp_secret: Mapped[str | None] = mapped_column(Text, nullable=True)
    enrolled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    roles: Mapped[str] = mapped_column(String(200), nullable=False)
    scope: Mapped[str | None] = mapped_column(String(40), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_totp_step: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    session_epoch: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)


class RecoveryCode(Base):
    """A one-time recovery code, kept as a hash; ``used_at`` set when it is spent."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class InfoRequest(Base):
    """Staff asked the resident for more information; the resident's answer (message and files) comes back here.
    ``message`` and ``answer`` are sealed: they may hold personal details."""

    __tablename__ = "application_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)
    asked_by: Mapped[str] = mapped_column(String(60), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    return_to: Mapped[str] = mapped_column(String(24), nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)


class CaseNote(Base):
    """An internal note on a case (staff only; sealed)."""

    __tablename__ = "application_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)
    author: Mapped[str] = mapped_column(String(60), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)


class Petition(Base):
    """A 12385 petition (诉求): complaint, suggestion or request for help. What the petitioner wrote, where, what
    they want and how to reach them are in ``sealed``; the department it is routed to, the task and the
    deadlines stay plain, for the queues and the escalation job. Deadlines are dates in China time."""

    __tablename__ = "petitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)  # complaint | suggestion | help
    channel: Mapped[str] = mapped_column(String(12), nullable=False)  # web | assistant | phone
    lang: Mapped[str] = mapped_column(String(8), nullable=False)
    status: Mapped[str] = mapped_column(String(24), nullable=False, index=True)
    town: Mapped[str | None] = mapped_column(String(40), nullable=True)
    department: Mapped[str] = mapped_column(String(40), nullable=False, index=True)  # or "triage"
    task: Mapped[int | None] = mapped_column(Integer, nullable=True)
    routing: Mapped[str] = mapped_column(Text, nullable=False)  # JSON: route, words matched (no personal data)
    anonymous: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    access_code_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    sealed: Mapped[str] = mapped_column(Text, nullable=False)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    review_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    acknowledge_by: Mapped[str] = mapped_column(String(10), nullable=False)
    resolve_by: Mapped[str | None] = mapped_column(String(10), nullable=True)
    review_request_by: Mapped[str | None] = mapped_column(String(10), nullable=True)
    review_reply_by: Mapped[str | None] = mapped_column(String(10), nullable=True)
    provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    extension_days: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    extension_state: Mapped[str | None] = mapped_column(String(12), nullable=True)  # requested | approved | refused
    rating: Mapped[str | None] = mapped_column(String(32), nullable=True)  # a PETITION_RATINGS value
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)

    events: Mapped[list[PetitionEvent]] = relationship(
        back_populates="petition", cascade="all, delete-orphan", order_by="PetitionEvent.id"
    )
    files: Mapped[list[PetitionFile]] = relationship(
        back_populates="petition", cascade="all, delete-orphan", order_by="PetitionFile.id"
    )


class PetitionFile(Base):
    """A photo (or PDF) sent with a petition, checked and sealed like an application's documents."""

    __tablename__ = "petition_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    sealed_name: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)

    petition: Mapped[Petition] = relationship(back_populates="files")


class PetitionEvent(Base):
    """The history of a petition the petitioner sees: each change of status and each transfer, with a note key;
    ``text`` (sealed) holds what staff wrote (a reason, the reply)."""

    __tablename__ = "petition_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)
    status: Mapped[str] = mapped_column(String(24), nullable=False)
    note: Mapped[str | None] = mapped_column(String(60), nullable=True)
    actor: Mapped[str] = mapped_column(String(60), nullable=False)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)

    petition: Mapped[Petition] = relationship(back_populates="events")


class PetitionAlert(Base):
    """A reminder to the handling department or an escalation to the supervisor, written by the escalation job
    (or a calendar alert); one per petition, kind, deadline and due date, so a second run adds nothing."""

    __tablename__ = "petition_alerts"
    __table_args__ = (UniqueConstraint("petition_id", "kind", "deadline", "due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # reminder | escalation | calendar
    recipient: Mapped[str] = mapped_column(String(40), nullable=False, index=True)  # a department id | supervisor
    deadline: Mapped[str] = mapped_column(String(24), nullable=False)  # acknowledge | resolve | review_reply | year
    due: Mapped[str] = mapped_column(String(10), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow, nullable=False)
    seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
