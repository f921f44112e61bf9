"""Which claims of each policy cite the plan, and which cite a national or Chongqing document.

A claim is one bullet of a policy's 政策依据 section. It cites the plan when it names a section of it
(第三章第一节5, 专栏2 第2项, 附件 第5项; “同一节” repeats the bullet before), and a document when it names one by
its number (国发〔2015〕52号, 国务院令第649号, 渝残联发〔2023〕9号) or its title in 《》. A bullet that names
neither is reported as citing nothing.

``python -m portal.content sources`` prints this per policy; ``--markdown`` prints the table kept in
``content/README.md`` and ``--write-readme`` rewrites it there (a test checks that it is current).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .loader import load_catalogue

PLAN_NUMBER = "大足府发〔2022〕27号"
PLAN_TITLE = "《大足区“十四五”残疾人保障和发展规划》"
README_START = "<!-- sources-table:start (python -m portal.content sources --write-readme) -->"
README_END = "<!-- sources-table:end -->"

_PLAN_REF = re.compile(
    r"第[一二三四五六七八九十]+章(?:第[一二三四五六七八九十]+节(?:\d+(?:、\d+)*)?)?"
    r"|专栏\d+(?:\s*第\d+(?:[、—-]\d+)*项)?|附件\s*第\d+(?:、\d+)*项"
)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号|国务院令第\d+号")
_DOC_TITLE = re.compile(r"《[^》]+》")
_SAME_SECTION = re.compile(r"同一(?:节|条|项)")
_PLAN_PREFIX = re.compile(r"^《[^》]*大足区[^》]*规划[^》]*》(?:（[^）]*）)?|^规划")


@dataclass(frozen=True)
class Claim:
    """One bullet of 政策依据: the plan sections and the other documents it cites."""

    text: str
    plan: tuple[str, ...]
    documents: tuple[str, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        """``plan``, ``national``, ``chongqing`` (in that order, those that apply), or ``none``."""
        kinds = ["plan"] if self.plan else []
        if any(not _is_chongqing(d) for d in self.documents):
            kinds.append("national")
        if any(_is_chongqing(d) for d in self.documents):
            kinds.append("chongqing")
        return tuple(kinds) or ("none",)


@dataclass(frozen=True)
class PolicySources:
    id: str
    title: str
    seed_refs: tuple[str, ...]
    documents: tuple[str, ...]  # the front matter's sources, as ``ref``
    claims: tuple[Claim, ...]

    def count(self, kind: str) -> int:
        return sum(1 for claim in self.claims if kind in claim.kinds)


def _is_chongqing(document: str) -> bool:
    return document.startswith("渝") or "重庆市" in document


def _section(markdown_text: str, heading: str) -> str:
    m = re.search(r"^## " + re.escape(heading) + r"\s*$(.*?)(?=^## |\Z)", markdown_text, re.M | re.S)
    return m.group(1) if m else ""


def _documents(text: str, known: dict[str, str]) -> tuple[str, ...]:
    """Documents other than the plan, each once: by its number where it has one (a title right before or
    after the number is the same document), else by the ``ref`` the front matter gives its title (``known``:
    title → ref), else by its title."""
    numbers = [m for m in _DOC_NUMBER.finditer(text) if m.group(0) != PLAN_NUMBER]
    found = [m.group(0) for m in numbers]
    for m in _DOC_TITLE.finditer(text):
        title = m.group(0)[1:-1]
        if "大足区" in title and "规划" in title:  # the plan itself
            continue
        if any(m.start() - 3 <= n.end() and n.start() <= m.end() + 3 for n in numbers):
            continue  # 国发〔2015〕52号《…》 or 《…》（国务院令第649号）: already named by its number
        found.append(known.get(title, title))
    return tuple(dict.fromkeys(found))


def claims(body_zh: str, known: dict[str, str] | None = None) -> tuple[Claim, ...]:
    """The claims of one Chinese body's 政策依据 section, in order (``known``: document title → ref)."""
    out: list[Claim] = []
    previous_plan: tuple[str, ...] = ()
    for line in _section(body_zh, "政策依据").splitlines():
        if not line.startswith("- "):
            continue
        text = line[2:].strip()
        plan = tuple(dict.fromkeys(re.sub(r"\s+", " ", ref) for ref in _PLAN_REF.findall(text)))
        if not plan and _SAME_SECTION.search(text):
            plan = previous_plan
        out.append(Claim(text, plan, _documents(text, known or {})))
        previous_plan = plan or previous_plan
    return tuple(out)


def policy_sources(content_dir: Path) -> list[PolicySources]:
    """Every policy of the catalogue, in catalogue order."""
    catalogue = load_catalogue(content_dir)
    return [
        PolicySources(
            id=policy.id,
            title=policy.title.get("zh") or policy.id,
            seed_refs=policy.seed_refs,
            documents=tuple(source.ref for source in policy.sources),
            claims=claims(policy.body_markdown.get("zh") or "", {s.title: s.ref for s in policy.sources}),
        )
        for policy in catalogue.policies
    ]


def render_text(items: Iterable[PolicySources]) -> str:
    lines: list[str] = []
    for item in items:
        lines.append(f"{item.id} ({item.title})")
        lines.append(f"  plan sections (seed_refs): {'; '.join(item.seed_refs) or '-'}")
        lines.append(f"  other documents (sources): {'; '.join(item.documents) or '-'}")
        for claim in item.claims:
            cited = [f"plan {', '.join(claim.plan)}"] if claim.plan else []
            cited += [("Chongqing " if _is_chongqing(d) else "national ") + d for d in claim.documents]
            text = _PLAN_PREFIX.sub("", claim.text).lstrip("：:")
            short = text if len(text) <= 40 else text[:39] + "…"
            lines.append(f"  - {'; '.join(cited) or 'CITES NOTHING'} — {short}")
        lines.append("")
    return "\n".join(lines)


def render_markdown(items: Iterable[PolicySources]) -> str:
    """The table of content/README.md: claims (政策依据 bullets) by what they cite."""
    rows = [
        "| policy | claims | cite the plan | cite a national document | cite a Chongqing document | cite nothing "
        "| national and Chongqing documents |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in items:
        documents = list(dict.fromkeys([*item.documents, *(d for c in item.claims for d in c.documents)]))
        rows.append(
            f"| {item.id} | {len(item.claims)} | {item.count('plan')} | {item.count('national')} "
            f"| {item.count('chongqing')} | {item.count('none')} | {'; '.join(documents) or '-'} |"
        )
    return "\n".join(rows) + "\n"


def update_readme(readme: Path, items: Iterable[PolicySources]) -> bool:
    """Rewrite the table between the markers of ``readme``; True when it changed."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    new = text[:start] + "\n" + render_markdown(items) + text[end:]
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def readme_table(readme: Path) -> str:
    """The table currently between the markers of ``readme``."""
    text = readme.read_text(encoding="utf-8")
    return text[text.index(README_START) + len(README_START) : text.index(README_END)].lstrip("\n")
