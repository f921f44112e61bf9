"""The structure of the plan (大足府发〔2022〕27号) and validation of ``seed_refs`` against it.

A seed_ref is one of ``第N章[第N节[N[、N…]]]`` (Chinese numerals for chapter and section, Arabic for items),
``专栏N[ 第N[、N…]项]`` or ``附件 第N[、N…]项``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_number(text: str) -> int | None:
    """一…九十九 → int (enough for chapter and section numbers)."""
    if not text or any(c not in _CN for c in text):
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN[tens] if tens else 1) * 10 + (_CN[units] if units else 0)
    return _CN[text] if len(text) == 1 else None


@dataclass
class SeedStructure:
    """Sections (chapter, section) → item numbers, 专栏 → item numbers, and the number of 附件 rows."""

    sections: dict[tuple[int, int], set[int]] = field(default_factory=dict)
    chapters: set[int] = field(default_factory=set)
    columns: dict[int, set[int]] = field(default_factory=dict)
    annex_items: set[int] = field(default_factory=set)


_CHAPTER = re.compile(r"^\s*第([一二三四五六七八九十]+)章")
_SECTION = re.compile(r"^\s*第([一二三四五六七八九十]+)节")
_COLUMN = re.compile(r"^\s*专栏(\d+)")
_ITEM = re.compile(r"^\s*(\d+)[．.]")
_ROW = re.compile(r"^\t(\d+)\s*$")


def parse_seed(path: Path) -> SeedStructure:
    """Read the plan's headings and numbered items.

    Items after a 专栏 heading belong to it while they count up from 1 without a gap and until two empty
    lines (the plan closes each 专栏 so); later numbered items belong to the surrounding section again.
    专栏1 and 附件 are tables whose rows are a bare number on a tab-indented line.
    """
    s = SeedStructure()
    chapter = section = 0
    column: int | None = None
    in_annex = False
    blank_run = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        blank_run = blank_run + 1 if not line.strip() else 0
        if blank_run >= 2:  # the plan closes every 专栏 with two empty lines
            column = None
        if line.strip() == "附件":
            in_annex, column = True, None
            continue
        if in_annex:
            m = _ROW.match(line)
            if m:
                s.annex_items.add(int(m.group(1)))
            continue
        m = _CHAPTER.match(line)
        if m:
            chapter, section, column = cn_number(m.group(1)) or 0, 0, None
            s.chapters.add(chapter)
            continue
        m = _SECTION.match(line)
        if m and chapter:
            section, column = cn_number(m.group(1)) or 0, None
            s.sections.setdefault((chapter, section), set())
            continue
        m = _COLUMN.match(line)
        if m:
            column = int(m.group(1))
            s.columns.setdefault(column, set())
            continue
        m = _ITEM.match(line)
        if m:
            n = int(m.group(1))
            if column is not None:
                items = s.columns[column]
                if n == len(items) + 1:
                    items.add(n)
                    continue
                column = None
            if chapter and section:
                s.sections[(chapter, section)].add(n)
            continue
        if column is not None:
            m = _ROW.match(line)
            if m and int(m.group(1)) == len(s.columns[column]) + 1:  # a table row (专栏1)
                s.columns[column].add(int(m.group(1)))
    return s


_REF_SECTION = re.compile(r"^第([一二三四五六七八九十]+)章(?:第([一二三四五六七八九十]+)节([\d、,，]*)?)?$")
_REF_COLUMN = re.compile(r"^专栏(\d+)(?:\s*第([\d、,，]+)项)?$")
_REF_ANNEX = re.compile(r"^附件\s*第([\d、,，]+)项$")


def _numbers(text: str | None) -> list[int]:
    if not text:
        return []
    return [int(x) for x in re.split(r"[、,，]", text) if x.strip()]


def check_seed_ref(ref: str, seed: SeedStructure | None) -> str | None:
    """None when ``ref`` is well formed (and, given the plan's structure, exists); else what is wrong."""
    ref = ref.strip()
    m = _REF_SECTION.match(ref)
    if m:
        chapter = cn_number(m.group(1)) or 0
        if seed is None:
            return None
        if chapter not in seed.chapters:
            return f"seed_ref {ref!r}: the plan has no 第{m.group(1)}章"
        if m.group(2):
            section = cn_number(m.group(2)) or 0
            if (chapter, section) not in seed.sections:
                return f"seed_ref {ref!r}: the plan has no 第{m.group(1)}章第{m.group(2)}节"
            missing = [n for n in _numbers(m.group(3)) if n not in seed.sections[(chapter, section)]]
            if missing:
                return f"seed_ref {ref!r}: 第{m.group(1)}章第{m.group(2)}节 has no item {missing[0]}"
        return None
    m = _REF_COLUMN.match(ref)
    if m:
        column = int(m.group(1))
        if seed is None:
            return None
        if column not in seed.columns:
            return f"seed_ref {ref!r}: the plan has no 专栏{column}"
        missing = [n for n in _numbers(m.group(2)) if n not in seed.columns[column]]
        if missing:
            return f"seed_ref {ref!r}: 专栏{column} has no 第{missing[0]}项"
        return None
    m = _REF_ANNEX.match(ref)
    if m:
        allowed = seed.annex_items if seed is not None and seed.annex_items else set(range(1, 29))
        missing = [n for n in _numbers(m.group(1)) if n not in allowed]
        if missing:
            return f"seed_ref {ref!r}: 附件 has no 第{missing[0]}项 (1–{max(allowed)})"
        return None
    return f"seed_ref {ref!r} is not of the form 第N章第N节[N], 专栏N 第N项 or 附件 第N项"
