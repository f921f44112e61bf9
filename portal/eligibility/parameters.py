"""Amounts from ``content/parameters.yml``, chosen by effective date.

Several entries may share an id with different ``effective_from`` dates: the one in force on a date is
the latest whose ``effective_from`` is not after it. An unconfirmed entry never shows a value.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .texts import CONTENT_DIR


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@lru_cache(maxsize=4)
def load_parameters(path: Path = CONTENT_DIR / "parameters.yml") -> dict[str, list[dict[str, Any]]]:
    """Entries by id, each list sorted by ``effective_from``."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for entry in data["parameters"]:
        item = dict(entry)
        item["effective_from"] = _as_date(item["effective_from"])
        by_id.setdefault(item["id"], []).append(item)
    for entries in by_id.values():
        entries.sort(key=lambda e: e["effective_from"])
    return by_id


def parameter(param_id: str, on: date, path: Path | None = None) -> dict[str, Any] | None:
    """The entry of ``param_id`` in force on ``on``, or None (unknown id, or none in force yet)."""
    entries = load_parameters(path) if path else load_parameters()
    chosen = None
    for entry in entries.get(param_id, ()):
        if entry["effective_from"] <= on:
            chosen = entry
    return chosen


def amount(param_id: str, on: date, lang: str, path: Path | None = None) -> dict[str, Any] | None:
    """The ``amount`` of an eligibility answer: value only when confirmed."""
    entry = parameter(param_id, on, path)
    if entry is None:
        return None
    confirmed = bool(entry.get("confirmed"))
    return {
        "value": entry.get("value") if confirmed else None,
        "unit": entry.get("unit"),
        "confirmed": confirmed,
        "effective_from": entry["effective_from"].isoformat(),
        "source": entry.get("source"),
        "ask": (entry.get("ask") or {}).get(lang),
    }
