"""``content/needs.yml``: how residents ask, mapped to what the policies cover (the search engine's query side).

Four sections, each reviewed like the rest of ``content/``:

- ``question_frame`` (zh, en): words that only make a question of a need (能领什么钱, 有没有, 咋个办, what help,
  can I get). Search drops them, so "瘫痪在床能领什么钱" is searched as its need, 瘫痪在床.
- ``context`` (zh, en): who is asked about and generic benefit words (我妈, 娃儿, 补助, mother, money). They still
  rank results, but a result does not have to match them to count as an answer.
- ``names``: well-known names of policies (两项补贴 = living-subsidy + nursing-subsidy). A query that is mostly a
  name puts the named policies first.
- ``needs``: what residents say (``say``: 瘫痪在床, 卧床, bedridden) → the words the policies use for it (``means``:
  长期照护, long-term care) → the policies that cover it (``policies``). The checker requires each listed policy's
  own text to contain one of the ``means`` words in each language, so the vocabulary cannot promise a benefit that
  no policy describes.

No Flask here; :func:`load_needs` for the catalogue, :func:`check_needs` for ``python -m portal.content check``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

NEEDS_FILE = "needs.yml"
LANGS = ("zh", "en")
SECTIONS = ("question_frame", "context", "names", "needs")
NAME_KEYS = ("policies", "zh", "en")
NEED_KEYS = ("id", "say", "means", "policies")


@dataclass(frozen=True)
class PolicyName:
    """A well-known name (``terms`` in both languages) and the policies it names, in order."""

    policies: tuple[str, ...]
    zh: tuple[str, ...]
    en: tuple[str, ...]


@dataclass(frozen=True)
class Need:
    """One situation: how residents say it, the policies' words for it, and the policies that cover it."""

    id: str
    say_zh: tuple[str, ...]
    say_en: tuple[str, ...]
    means_zh: tuple[str, ...]
    means_en: tuple[str, ...]
    policies: tuple[str, ...]


@dataclass(frozen=True)
class NeedsVocabulary:
    """``content/needs.yml`` loaded (empty when the file does not exist)."""

    frame_zh: tuple[str, ...] = ()
    frame_en: tuple[str, ...] = ()
    context_zh: tuple[str, ...] = ()
    context_en: tuple[str, ...] = ()
    names: tuple[PolicyName, ...] = ()
    needs: tuple[Need, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the search index stores it with each generation)."""
        return {
            "question_frame": {"zh": list(self.frame_zh), "en": list(self.frame_en)},
            "context": {"zh": list(self.context_zh), "en": list(self.context_en)},
            "names": [{"policies": list(n.policies), "zh": list(n.zh), "en": list(n.en)} for n in self.names],
            "needs": [
                {"id": n.id, "say": {"zh": list(n.say_zh), "en": list(n.say_en)},
                 "means": {"zh": list(n.means_zh), "en": list(n.means_en)}, "policies": list(n.policies)}
                for n in self.needs
            ],
        }


def normalize_term(term: str) -> str:
    """How a term is compared: NFKC, lower case, single spaces (the search engine normalises queries alike)."""
    return " ".join(unicodedata.normalize("NFKC", term).lower().split())


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v).strip() for v in value if isinstance(v, (str, int)) and str(v).strip())


def _pair(value: Any, lang: str) -> tuple[str, ...]:
    return _strs(value.get(lang)) if isinstance(value, dict) else ()


def vocabulary_from_data(data: Any) -> NeedsVocabulary:
    """Build the vocabulary from parsed YAML (assumed checked; malformed parts are skipped)."""
    if not isinstance(data, dict):
        return NeedsVocabulary()
    frame, context = data.get("question_frame"), data.get("context")
    names = tuple(
        PolicyName(policies=_strs(e.get("policies")), zh=_strs(e.get("zh")), en=_strs(e.get("en")))
        for e in data.get("names") or [] if isinstance(e, dict)
    )
    needs = tuple(
        Need(id=str(e.get("id", "")), say_zh=_pair(e.get("say"), "zh"), say_en=_pair(e.get("say"), "en"),
             means_zh=_pair(e.get("means"), "zh"), means_en=_pair(e.get("means"), "en"),
             policies=_strs(e.get("policies")))
        for e in data.get("needs") or [] if isinstance(e, dict)
    )
    return NeedsVocabulary(frame_zh=_pair(frame, "zh"), frame_en=_pair(frame, "en"),
                           context_zh=_pair(context, "zh"), context_en=_pair(context, "en"),
                           names=names, needs=needs)


def load_needs(content_dir: Path) -> NeedsVocabulary:
    """``content/needs.yml``, or an empty vocabulary when there is none."""
    path = Path(content_dir) / NEEDS_FILE
    if not path.exists():
        return NeedsVocabulary()
    from .loader import read_yaml  # the loader imports the models, which import this module

    return vocabulary_from_data(read_yaml(path, Path(content_dir)))


# --- checking --------------------------------------------------------------------------------------------


def _lines(text: str) -> dict[tuple[str, int], int]:
    """1-based line of each section's n-th entry: ``(section, index) → line``; ``(section, -1)`` the section."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    out: dict[tuple[str, int], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = str(key.value)
            out[(name, -1)] = key.start_mark.line + 1
            if isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    out[(name, i)] = item.start_mark.line + 1
    return out


def check_needs(content_dir: Path, policy_text: Callable[[str], tuple[str, str] | None]) -> list[Any]:
    """Every problem in ``content/needs.yml`` (none when the file does not exist).

    ``policy_text(id)`` gives a policy's searchable text ``(zh, en)``, or None for an unknown id. Errors: YAML
    errors, unknown sections or keys, empty lists or terms, unknown policy ids, duplicate terms (within an entry,
    across entries, or a term in two sections that contradict each other), and a need whose ``means`` words do not
    occur in the text of a policy it lists."""
    from .loader import ContentProblem, yaml_error_problem

    path = Path(content_dir) / NEEDS_FILE
    if not path.exists():
        return []
    rel = f"{Path(content_dir).name}/{NEEDS_FILE}"
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return [yaml_error_problem(exc, rel)]
    problems: list[ContentProblem] = []
    lines = _lines(text)

    def add(section: str, index: int, message: str) -> None:
        problems.append(ContentProblem(rel, lines.get((section, index), lines.get((section, -1), 1)), message))

    if not isinstance(data, dict):
        return [ContentProblem(rel, 1, f"expected a mapping with {', '.join(SECTIONS)}")]
    for key in data:
        if key not in SECTIONS:
            add(str(key), -1, f"unknown section {key!r} (expected {', '.join(SECTIONS)})")

    # where each term was first seen, per language: a second use is a duplicate
    seen: dict[tuple[str, str], str] = {}

    def terms(section: str, index: int, where: str, value: Any, lang: str, *, must: bool = True) -> list[str]:
        if value is None and not must:
            return []
        if not isinstance(value, list) or (must and not value):
            add(section, index, f"{where}.{lang} must be a non-empty list of terms")
            return []
        out = []
        for item in value:
            if not isinstance(item, (str, int)) or not str(item).strip():
                add(section, index, f"{where}.{lang} has an empty or non-text term: {item!r}")
                continue
            term = normalize_term(str(item))
            key = (lang, term)
            if key in seen:
                add(section, index, f"duplicate term {term!r} in {where}.{lang} (already in {seen[key]})")
                continue
            seen[key] = where
            out.append(term)
        return out

    def policy_ids(section: str, index: int, where: str, value: Any) -> list[str]:
        if not isinstance(value, list) or not value:
            add(section, index, f"{where}.policies must be a non-empty list of policy ids")
            return []
        ids = []
        for pid in value:
            if not isinstance(pid, str) or policy_text(pid) is None:
                add(section, index, f"{where}: unknown policy id {pid!r} (catalogue.yml)")
            elif pid in ids:
                add(section, index, f"{where}: duplicate policy id {pid!r}")
            else:
                ids.append(pid)
        return ids

    for section in ("question_frame", "context"):
        value = data.get(section)
        if value is None:
            continue
        if not isinstance(value, dict):
            add(section, -1, f"{section} must be a mapping {{zh: [...], en: [...]}}")
            continue
        for key in value:
            if key not in LANGS:
                add(section, -1, f"{section} has an unknown key {key!r}")
        for lang in LANGS:
            terms(section, -1, section, value.get(lang), lang)

    for section, keys in (("names", NAME_KEYS), ("needs", NEED_KEYS)):
        entries = data.get(section)
        if entries is None:
            continue
        if not isinstance(entries, list):
            add(section, -1, f"{section} must be a list")
            continue
        ids_seen: set[str] = set()
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not entry:
                add(section, i, f"{section} entry {i + 1} is empty or not a mapping")
                continue
            for key in entry:
                if key not in keys:
                    add(section, i, f"{section} entry {i + 1}: unknown key {key!r}")
            if section == "names":
                where = f"names[{i + 1}]"
                for lang in LANGS:
                    terms(section, i, where, entry.get(lang), lang)
                policy_ids(section, i, where, entry.get("policies"))
                continue
            need_id = entry.get("id")
            if not isinstance(need_id, str) or not need_id.strip():
                add(section, i, f"needs entry {i + 1} has no id")
                need_id = f"needs[{i + 1}]"
            elif need_id in ids_seen:
                add(section, i, f"duplicate need id {need_id!r}")
            ids_seen.add(need_id)
            means: dict[str, list[str]] = {}
            for part in ("say", "means"):
                value = entry.get(part)
                if not isinstance(value, dict):
                    add(section, i, f"{need_id}: {part} must be a mapping {{zh: [...], en: [...]}}")
                    continue
                for lang in LANGS:
                    if part == "say":
                        terms(section, i, f"{need_id}.say", value.get(lang), lang)
                    else:
                        means[lang] = _means(value.get(lang), lang, need_id, lambda m, s=section, n=i: add(s, n, m))
            for pid in policy_ids(section, i, need_id, entry.get("policies")):
                texts = policy_text(pid)
                for lang, words in means.items():
                    haystack = normalize_term((texts or ("", ""))[LANGS.index(lang)])
                    if words and not any(w in haystack for w in words):
                        add(section, i, f"{need_id}: policy {pid!r} mentions none of means.{lang} "
                                        f"({', '.join(words)}): list only policies whose text covers the need")
    return problems


def _means(value: Any, lang: str, need_id: str, add: Callable[[str], None]) -> list[str]:
    """The ``means`` terms of one language (they may repeat across needs: two needs can lead to one benefit)."""
    if not isinstance(value, list) or not value:
        add(f"{need_id}: means.{lang} must be a non-empty list of terms")
        return []
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            add(f"{need_id}: means.{lang} has an empty or non-text term: {item!r}")
        elif normalize_term(item) in out:
            add(f"{need_id}: duplicate term {normalize_term(item)!r} in means.{lang}")
        else:
            out.append(normalize_term(item))
    return out


def policy_text_lookup(content_dir: Path, ids: Iterable[str]) -> Callable[[str], tuple[str, str] | None]:
    """``id → (zh, en)``: the policy's own text (title, summary, who / what / how, documents, keywords, easy read,
    bodies; not the residents' ``synonyms``), read on first use; None for an id not in ``ids`` or a policy file
    that does not load (the policy checker reports that one)."""
    from .loader import ContentError, read_policy

    known = set(ids)
    cache: dict[str, tuple[str, str] | None] = {}

    def lookup(pid: str) -> tuple[str, str] | None:
        if pid not in known:
            return None
        if pid not in cache:
            try:
                p = read_policy(Path(content_dir) / "policies" / f"{pid}.md", Path(content_dir))
            except (ContentError, OSError, yaml.YAMLError):
                cache[pid] = ("", "")
            else:
                cache[pid] = tuple(  # type: ignore[assignment]
                    "\n".join([
                        p.title.get(lang), p.summary.get(lang), p.who.get(lang), p.what_you_get.get(lang),
                        p.how_to_apply.get(lang), *(d.get(lang) for d in p.documents_required),
                        *p.keywords.get(lang, ()), *(i.text for i in p.easy_read.get(lang, ())),
                        p.body_markdown.get(lang),
                    ])
                    for lang in LANGS
                )
        return cache[pid]

    return lookup
