"""Rotating the data key: every sealed value re-sealed, every keyed hash re-computed and every document re-sealed
under the current key, while the portal keeps running (``flask --app portal maintenance rotate-key``).

The portal runs with the new key as ``DATA_KEY`` and the old one in ``DATA_KEY_PREVIOUS``: it seals with the new
key only and opens with either, so whatever it writes meanwhile needs no re-sealing. Each row is rewritten with a
compare-and-swap (``UPDATE … WHERE id = ? AND column = <what was read>``): a row the portal changed in between is
left alone (it was just written under the new key). A document is written to a new file first, the row pointed at
it, and the old file deleted only after the commit. Finally ``verify`` opens everything with the new key alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..db.models import (
    Application,
    ApplicationFile,
    CaseNote,
    IdempotencyKey,
    InfoRequest,
    PageFeedback,
    Petition,
    PetitionEvent,
    PetitionFile,
    StaffUser,
)
from .sealing import Sealer
from .storage import DocumentStorage

#: Every sealed text column: (model, column name). Documents and keyed hashes are handled on their own below.
SEALED_COLUMNS: tuple[tuple[Any, str], ...] = (
    (Application, "sealed"),
    (ApplicationFile, "sealed_name"),
    (InfoRequest, "message"),
    (InfoRequest, "answer"),
    (CaseNote, "text"),
    (Petition, "sealed"),
    (PetitionFile, "sealed_name"),
    (PetitionEvent, "text"),
    (StaffUser, "totp_secret"),
    (IdempotencyKey, "response"),
    (PageFeedback, "comment_sealed"),
)

#: Models whose rows point at a sealed document in the document storage (``storage_key``).
DOCUMENTS: tuple[Any, ...] = (ApplicationFile, PetitionFile)

BATCH = 200


@dataclass
class Summary:
    values: int = 0
    lookups: int = 0
    documents: int = 0
    skipped: int = 0  # changed by the portal while the rotation ran (already under the new key)
    problems: list[str] = field(default_factory=list)


def _is_sealed(value: str | None) -> bool:
    # idempotency answers written before they were sealed start with "{" (kept a day); nothing else is plain
    return bool(value) and not str(value).startswith("{")


def _ids(session: Session, model: Any) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(session.scalars(select(model.id).where(model.id > last).order_by(model.id).limit(BATCH)))
        if not ids:
            return
        yield ids
        last = ids[-1]


def _applicant_lookup(sealer: Sealer, sealed: str) -> str | None:
    """The keyed hash of the applicant's ID number in ``sealed``, as the workflow computes it."""
    answers = sealer.open_json(sealed).get("answers") or {}
    id_number = (answers.get("applicant") or {}).get("id_number")
    return sealer.lookup(id_number) if id_number else None


def _rotate_column(session: Session, sealer: Sealer, model: Any, name: str, summary: Summary) -> None:
    column = getattr(model, name)
    for ids in _ids(session, model):
        rows = session.execute(select(model.id, column).where(model.id.in_(ids))).all()
        for row_id, value in rows:
            if not _is_sealed(value):
                continue
            try:
                fresh = sealer.reseal(value)
            except ValueError:
                summary.problems.append(f"{model.__tablename__}.{name} #{row_id} does not open with any key")
                continue
            values: dict[str, Any] = {name: fresh}
            if model is Application:
                values["applicant_lookup"] = _applicant_lookup(sealer, fresh)
            done = session.execute(
                update(model).where(model.id == row_id, column == value).values(**values)
            ).rowcount
            if done:
                summary.values += 1
                summary.lookups += "applicant_lookup" in values
            else:
                summary.skipped += 1
        session.commit()


def _rotate_documents(session: Session, sealer: Sealer, storage: DocumentStorage, model: Any, summary: Summary) -> None:
    for ids in _ids(session, model):
        rows = session.execute(select(model.id, model.storage_key).where(model.id.in_(ids))).all()
        written: list[tuple[str, str]] = []  # (old key, new key) of rows re-pointed
        for row_id, key in rows:
            try:
                data = sealer.open_file(storage.get(key))
            except (OSError, KeyError, ValueError):
                summary.problems.append(f"{model.__tablename__} #{row_id}: its document does not open with any key")
                continue
            new_key = storage.put(sealer.seal_file(data))
            done = session.execute(
                update(model).where(model.id == row_id, model.storage_key == key).values(storage_key=new_key)
            ).rowcount
            if done:
                written.append((key, new_key))
            else:  # the row went (a purged draft) or changed: the new copy is not needed
                storage.delete(new_key)
                summary.skipped += 1
        session.commit()
        for old_key, _new_key in written:
            storage.delete(old_key)
        summary.documents += len(written)


def rotate(session: Session, sealer: Sealer, storage: DocumentStorage) -> Summary:
    """Re-seal everything under ``sealer``'s current key (opening with any of its keys)."""
    summary = Summary()
    for model, name in SEALED_COLUMNS:
        _rotate_column(session, sealer, model, name, summary)
    for model in DOCUMENTS:
        _rotate_documents(session, sealer, storage, model, summary)
    return summary


def verify(session: Session, current_only: Sealer, storage: DocumentStorage) -> list[str]:
    """What does not open with ``current_only`` (a sealer holding the current key alone): empty when the rotation is
    complete. Keyed hashes are checked against the sealed ID numbers too."""
    problems = []
    for model, name in SEALED_COLUMNS:
        column = getattr(model, name)
        for ids in _ids(session, model):
            for row_id, value in session.execute(select(model.id, column).where(model.id.in_(ids))):
                if not _is_sealed(value):
                    continue
                try:
                    current_only.open(value.encode())
                except ValueError:
                    problems.append(f"{model.__tablename__}.{name} #{row_id}")
    for ids in _ids(session, Application):
        for row_id, sealed, lookup in session.execute(
            select(Application.id, Application.sealed, Application.applicant_lookup).where(Application.id.in_(ids))
        ):
            try:
                if _applicant_lookup(current_only, sealed) != lookup:
                    problems.append(f"applications.applicant_lookup #{row_id}")
            except ValueError:
                pass  # already listed above
    for model in DOCUMENTS:
        for ids in _ids(session, model):
            for row_id, key in session.execute(select(model.id, model.storage_key).where(model.id.in_(ids))):
                try:
                    current_only.open_file(storage.get(key))
                except (OSError, KeyError, ValueError):
                    problems.append(f"{model.__tablename__} #{row_id} (document)")
    return problems
