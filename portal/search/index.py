"""Build the Whoosh index from the catalogue, in a new directory swapped in atomically.

``index_dir`` is a symbolic link to the current generation (``<name>.<stamp>``, a sibling directory). A build
writes a new generation beside it, then replaces the link with ``os.replace`` (atomic on POSIX): a reader
that resolved the old link keeps its open generation; the next :class:`SearchEngine` search sees the new
one. The two newest generations are kept so that a reader that opened the previous one keeps working.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from portal.content.models import Catalogue, Policy

from . import text as T
from .analysis import bigram_analyzer, english_analyzer, jieba_analyzer, pinyin_analyzer, spelling_analyzer
from .fast import write_fast_index

VOCAB_FILE = "vocab.json"
USER_DICT_FILE = "userdict.txt"
META_FILE = "meta.json"
KEEP_GENERATIONS = 2
USER_WORD_MAX_CHARS = 8  # longer titles stay several words so that their parts still match


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        category=ID(stored=True, sortable=True),
        audience=KEYWORD(stored=True, commas=True, scorable=False),
        facets=ID(stored=False, sortable=True),  # "category|aud1,aud2" (one column read for facet counts)
        title_zh=TEXT(analyzer=jieba_analyzer(), stored=True, phrase=True),
        keywords_zh=TEXT(analyzer=jieba_analyzer(), phrase=True),  # keywords + the policy's synonyms
        summary_zh=TEXT(analyzer=jieba_analyzer(), stored=True, phrase=True),
        body_zh=TEXT(analyzer=jieba_analyzer(), stored=True, phrase=True),
        grams_zh=TEXT(analyzer=bigram_analyzer(), phrase=False),
        title_py=TEXT(analyzer=pinyin_analyzer(initials=False), phrase=False),
        title_pyi=TEXT(analyzer=pinyin_analyzer(initials=True), phrase=False),
        title_en=TEXT(analyzer=english_analyzer(), stored=True, phrase=True),
        keywords_en=TEXT(analyzer=english_analyzer(), phrase=True),
        summary_en=TEXT(analyzer=english_analyzer(), stored=True, phrase=True),
        body_en=TEXT(analyzer=english_analyzer(), stored=True, phrase=True),
        spell_en=TEXT(analyzer=spelling_analyzer(), phrase=False, spelling=True),
        needs=KEYWORD(scorable=True),  # ids of the content/needs.yml needs that list this policy
        url=STORED(),
    )


@dataclass(frozen=True)
class BuildStats:
    documents: int
    seconds: float
    index_dir: Path  # the generation directory now behind the link
    user_words: int
    vocabulary: int


def _lines(*parts: Iterable[str] | str) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            if part.strip():
                out.append(part.strip())
        else:
            out.extend(p.strip() for p in part if p and p.strip())
    return "\n".join(out)


def policy_document(policy: Policy, needs: Iterable[str] = ()) -> dict[str, Any]:
    """The fields indexed for one policy (the body text is plain text, Markdown removed); ``needs``: the ids of
    the ``content/needs.yml`` needs that list it."""
    zh_terms = [policy.title.zh, *policy.keywords.get("zh", ()), *policy.synonyms]
    body_zh = _lines(
        T.markdown_to_text(policy.body_markdown.zh),
        policy.who.zh, policy.what_you_get.zh, policy.how_to_apply.zh,
        (d.zh for d in policy.documents_required),
        (i.text for i in policy.easy_read.get("zh", ())),
    )
    body_en = _lines(
        T.markdown_to_text(policy.body_markdown.en),
        policy.who.en, policy.what_you_get.en, policy.how_to_apply.en,
        (d.en for d in policy.documents_required),
        (i.text for i in policy.easy_read.get("en", ())),
    )
    keywords_en = _lines(policy.keywords.get("en", ()))
    return {
        "id": policy.id,
        "category": policy.category,
        "audience": ",".join(policy.audience),
        "title_zh": policy.title.zh,
        "keywords_zh": _lines(policy.keywords.get("zh", ()), policy.synonyms),
        "summary_zh": policy.summary.zh,
        "body_zh": body_zh,
        "title_py": _lines(zh_terms),
        "title_en": policy.title.en,
        "keywords_en": keywords_en,
        "summary_en": policy.summary.en,
        "body_en": body_en,
        "needs": " ".join(needs),
        "url": policy.url,
    }


def _complete(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Derived fields: bigrams, initials, facets column, English spelling vocabulary."""
    d = dict(doc)
    d["grams_zh"] = _lines(*(d.get(f, "") for f in ("title_zh", "keywords_zh", "summary_zh", "body_zh")))
    d["title_pyi"] = d.get("title_py", "")
    d["facets"] = f"{d.get('category', '')}|{d.get('audience', '')}"
    d["spell_en"] = _lines(*(d.get(f, "") for f in ("title_en", "keywords_en", "summary_en", "body_en")))
    return d


def vocabulary_terms(catalogue: Catalogue) -> tuple[dict[str, int], set[str]]:
    """Domain terms → weight, and the subset trusted for spelling.

    Titles, keywords and synonym groups weigh most, then frequent words of summaries and bodies. The query
    side reads this to turn pinyin into Chinese (``hulibutie`` → 护理补贴) and to correct homophone typos
    (护里补贴 → 护理补贴). A policy's ``synonyms`` are what residents type, typos included (the schema says
    so), so they are searchable but never offered as a spelling: only the trusted terms are."""
    weights: Counter[str] = Counter()
    trusted: set[str] = set()

    def add(term: str, weight: int, trust: bool) -> None:
        term = T.normalize(term).replace(" ", "")
        if T.IS_CJK.match(term) and len(term) >= 2:
            weights[term] += weight
            if trust:
                trusted.add(term)

    for policy in catalogue.policies:
        for term in (policy.title.zh, *policy.keywords.get("zh", ())):
            add(term, 100, True)
        for term in policy.synonyms:
            add(term, 100, False)
        doc = policy_document(policy)
        sources = ((policy.title.zh, 10), (_lines(policy.keywords.get("zh", ())), 10),
                   (doc["summary_zh"], 3), (doc["body_zh"], 1))
        for text, weight in sources:
            for word in T.cut(text):
                if word not in T.stopwords():
                    add(word, weight, True)
    for group in catalogue.synonyms:
        # synonyms.txt: the first term is canonical; the others are what residents type (typos included)
        for i, term in enumerate(group):
            add(term, 50, i == 0)
    return dict(weights), trusted


def needs_by_policy(catalogue: Catalogue) -> dict[str, list[str]]:
    """Policy id → the ids of the needs (``content/needs.yml``) that list it."""
    out: dict[str, list[str]] = {}
    for need in catalogue.needs.needs:
        for pid in need.policies:
            out.setdefault(pid, []).append(need.id)
    return out


def query_vocabulary(catalogue: Catalogue) -> dict[str, Any]:
    """``content/needs.yml`` for the query side, plus every policy title as a name of its policy."""
    data = catalogue.needs.to_dict()
    titles = []
    for policy in catalogue.policies:
        zh = {T.normalize(policy.title.zh), T.normalize(policy.title.zh.split("（", 1)[0])}
        titles.append({"policies": [policy.id], "zh": sorted(t for t in zh if t), "en": [T.normalize(policy.title.en)]})
    data["names"] = [*data["names"], *titles]
    return data


def user_words(catalogue: Catalogue) -> list[str]:
    """Words jieba must keep whole: short titles, keywords, synonyms (policy and synonyms.txt)."""
    words: set[str] = set()
    for policy in catalogue.policies:
        for term in (policy.title.zh, *policy.keywords.get("zh", ()), *policy.synonyms):
            words.add(term)
    for group in catalogue.synonyms:
        words.update(group)
    out = []
    for w in words:
        w = T.normalize(w).replace(" ", "")
        if T.IS_CJK.match(w) and 2 <= len(w) <= USER_WORD_MAX_CHARS:
            out.append(w)
    return sorted(out)


def init_jieba(catalogue: Catalogue) -> int:
    """Load jieba's dictionary and the catalogue's words into it (once per process, before forking)."""
    return T.add_user_words(user_words(catalogue))


def _swap_link(index_dir: Path, generation: Path) -> None:
    tmp = index_dir.with_name(f".{index_dir.name}.link-{os.getpid()}-{time.monotonic_ns()}")
    os.symlink(generation.name, tmp)
    if index_dir.exists() and not index_dir.is_symlink():
        # A plain directory from an older layout: move it aside (not atomic, happens once).
        index_dir.rename(index_dir.with_name(f"{index_dir.name}.legacy-{time.time_ns()}"))
    os.replace(tmp, index_dir)


def _cleanup(index_dir: Path, current: Path) -> None:
    prefix = index_dir.name + "."
    gens = sorted(
        (p for p in index_dir.parent.iterdir()
         if p.name.startswith(prefix) and p.is_dir() and not p.is_symlink() and p != current),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in gens[KEEP_GENERATIONS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def build_index(
    catalogue: Catalogue, index_dir: Path, *, extra_documents: Iterable[Mapping[str, Any]] = ()
) -> BuildStats:
    """Index every policy (plus ``extra_documents``, same keys as :func:`policy_document`, for benchmarks)
    into a new generation directory (the Whoosh index, then its precomputed term scores, see
    :mod:`portal.search.fast`) and swap ``index_dir`` (a symlink) to it."""
    start = time.perf_counter()
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    init_jieba(catalogue)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{time.time_ns() % 10**9:09d}-{os.getpid()}"
    generation = index_dir.with_name(f"{index_dir.name}.{stamp}")
    generation.mkdir()
    try:
        ix = windex.create_in(str(generation), make_schema())
        writer = ix.writer(limitmb=256)
        count = 0
        needs = needs_by_policy(catalogue)
        for policy in catalogue.policies:
            writer.add_document(**_complete(policy_document(policy, needs.get(policy.id, ()))))
            count += 1
        for doc in extra_documents:
            writer.add_document(**_complete(doc))
            count += 1
        writer.commit(optimize=True)
        ix.close()
        write_fast_index(generation)
        vocab, trusted = vocabulary_terms(catalogue)
        words = user_words(catalogue)
        vocab_data = {
            "terms": vocab,
            "untrusted": sorted(set(vocab) - trusted),
            "synonyms": [list(g) for g in catalogue.synonyms],
            "policy_synonyms": {p.id: list(p.synonyms) for p in catalogue.policies},
            "query": query_vocabulary(catalogue),
        }
        (generation / VOCAB_FILE).write_text(json.dumps(vocab_data, ensure_ascii=False), encoding="utf-8")
        n_words = T.write_user_dict(words, generation / USER_DICT_FILE)
        (generation / META_FILE).write_text(
            json.dumps({"documents": count, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}), encoding="utf-8"
        )
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    _swap_link(index_dir, generation)
    _cleanup(index_dir, generation)
    return BuildStats(documents=count, seconds=time.perf_counter() - start, index_dir=generation,
                      user_words=n_words, vocabulary=len(vocab))
