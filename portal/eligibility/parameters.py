"""Amounts from ``parameters.yml`` of the content being served, chosen by effective date.

Several entries may share an id with different ``effective_from`` dates: the one in force on a date is
the latest whose ``effective_from`` is not after it. An unconfirmed entry never shows a value.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .. import content
from ..content import Parameter
from ..content.loader import load_parameters as read_parameters


def _history(param_id: str, path: Path | None) -> list[Parameter]:
    """The entries of ``param_id``, oldest first: of the content being served, or of the file at ``path``."""
    if path is None:
        return content.current().parameter_history(param_id)
    entries = [entry for entry in read_parameters(path.parent) if entry.id == param_id]
    return sorted(entries, key=lambda entry: entry.effective_from or "")


def load_parameters(path: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """Entries by id as written in the file (``effective_from`` as a date), each list oldest first."""
    ids = {entry.id for entry in (read_parameters(path.parent) if path else content.current().parameters)}
    return {
        param_id: [
            {**entry.raw, "effective_from": date.fromisoformat(entry.effective_from or "")}
            for entry in _history(param_id, path)
        ]
        for param_id in sorted(ids)
    }


def parameter(param_id: str, on: date, path: Path | None = None) -> Parameter | None:
    """The entry of ``param_id`` in force on ``on``, or None (unknown id, or none in force yet)."""
    chosen = None
    for entry in _history(param_id, path):
        if entry.effective_from and date.fromisoformat(entry.effective_from) <= on:
            chosen = entry
    return chosen


def amount(param_id: str, on: date, lang: str, path: Path | None = None) -> dict[str, Any] | None:
    """The ``amount`` of an eligibility answer: value only when confirmed."""
    entry = parameter(param_id, on, path)
    if entry is None:
        return None
    return {
        "value": entry.value if entry.confirmed else None,
        "unit": entry.unit,
        "confirmed": entry.confirmed,
        "effective_from": entry.effective_from,
        "source": entry.source,
        "ask": (entry.raw.get("ask") or {}).get(lang),
    }
