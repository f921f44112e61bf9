"""Texts of the eligibility engine, from ``eligibility.yml`` of the content being served (zh and en)."""

from __future__ import annotations

import re
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


#: How residents read the plan's name (eligibility-rules.md, "Sources: write them for residents").
PLAN_TITLE = "《大足区“十四五”残疾人保障和发展规划》"
_SEED_PREFIX = "seed "
_PLAN_SECTION = re.compile(r"^(?:第[一二三四五六七八九十]+章|专栏\d+|附件)")
_LAW = re.compile(r"^([\u4e00-\u9fff]+(?:法|条例))\s*(.*)$")


def display_sources(sources: Iterable[str]) -> list[str]:
    """A rule's sources as a resident reads them: the one place where the spec's shorthand becomes text.

    The spec writes the plan as ``seed 专栏2 第2项`` (and a further source of the plan as a bare section,
    ``附件 第2项``). Those become one entry, ``《大足区“十四五”残疾人保障和发展规划》专栏2 第2项，附件 第2项``, at
    the place of the first. A law or regulation gets its book-title marks (``《法律援助法》第42条``); document
    numbers (国发〔2015〕52号) are kept as written.
    """
    out: list[str] = []
    plan: list[str] = []
    plan_at: int | None = None
    for source in sources:
        ref = source.strip()
        if ref.startswith(_SEED_PREFIX):
            ref = ref[len(_SEED_PREFIX) :].strip()
        elif not _PLAN_SECTION.match(ref):
            law = _LAW.match(ref)
            out.append(f"《{law.group(1)}》{law.group(2)}" if law else ref)
            continue
        if plan_at is None:
            plan_at = len(out)
            out.append("")
        plan += [part.strip() for part in ref.split(",") if part.strip()]
    if plan_at is not None:
        out[plan_at] = PLAN_TITLE + "，".join(plan)
    return out
