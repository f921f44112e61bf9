"""Texts of the eligibility engine, from ``eligibility.yml`` of the content being served (zh and en)."""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .. import content
from ..content.loader import read_yaml

LANGS = ("zh", "en")


def load_texts(path: Path | None = None) -> dict[str, Any]:
    """The texts of the content being served (``eligibility.yml``), or of the file at ``path``."""
    if path is not None:
        return read_yaml(path, path.parent)
    return content.current().eligibility_texts


def department(dept_id: str, lang: str) -> str:
    found = content.current().department(dept_id)
    return found.name.get(lang) if found else dept_id


def text(section: str, key: str, lang: str) -> str:
    """``section`` is a top-level key of eligibility.yml (reasons, next_steps, errors, …); ``key`` may
    be dotted (``living-subsidy.orphan``)."""
    node = load_texts()[section]
    for part in key.split("."):
        node = node[part]
    return node[lang]


def field_label(name: str, lang: str) -> str:
    return load_texts()["fields"][name][lang]


def value_label(name: str, value: Any, lang: str) -> str:
    """A value as a resident reads it (大足区, 三级, 低保家庭 …)."""
    labels = load_texts()["values"].get(name)
    if labels is None:
        return str(value)
    return labels[value][lang]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class _Facts(dict):
    """format_map source: labels of the given facts; a fact the text names but the profile lacks is a
    programming error (texts only name facts their branch condition needs), reported loudly."""

    def __missing__(self, key: str) -> str:
        raise KeyError(f"text names {key!r}, which is not known here")


def render(template: str, facts: Mapping[str, Any], lang: str, extra: Mapping[str, str] | None = None) -> str:
    values = _Facts(extra or {})
    for name in placeholders(template):
        if name in values:
            continue
        if name in facts:
            values[name] = value_label(name, facts[name], lang)
    return template.format_map(values)


def join_labels(names: Iterable[str], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(field_label(n, lang) for n in names)
