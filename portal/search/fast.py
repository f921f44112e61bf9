"""Precomputed term scores: the query side's fast path over a Whoosh index generation.

Whoosh scores every posting of every query term in pure Python, through a tree of matcher objects; on
10,000 documents a resident's question (a dozen words, their bigrams and synonyms, each searched in four
fields) took up to a second. The ranking itself is simple: a sum, over query terms, of a field-boosted BM25F
score. So :func:`write_fast_index` computes, once per index generation, each term's score in each document
exactly as Whoosh's BM25F would (same idf, same quantised field lengths, K1=1.2, B=0.75), already summed
over the fields a term is always searched in together (title ×6, keywords ×4, summary ×2, body ×1). A query
then adds up a few flat arrays (:class:`FastIndex`), read from a memory-mapped file shared by the workers.

Groups (what the engine searches together):

- ``zh``: a Chinese word (or number) in ``title_zh``, ``keywords_zh``, ``summary_zh``, ``body_zh``;
- ``en``: an English stem in the four English fields;
- ``gram``: a CJK bigram in ``grams_zh``; ``py`` / ``pyi``: a pinyin / initials token of a title or keyword;
- ``need``: a ``content/needs.yml`` need id, in the policies that need lists (``needs``).
"""

from __future__ import annotations

import bisect
import json
import mmap
import os
from array import array
from collections.abc import Sequence
from math import log
from pathlib import Path
from typing import Any

FAST_POSTINGS_FILE = "fast-postings.bin"
FAST_LEXICON_FILE = "fast-lexicon.json"
FAST_VERSION = 1

GROUP_FIELDS: dict[str, dict[str, float]] = {
    "zh": {"title_zh": 6.0, "keywords_zh": 4.0, "summary_zh": 2.0, "body_zh": 1.0},
    "en": {"title_en": 6.0, "keywords_en": 4.0, "summary_en": 2.0, "body_en": 1.0},
    "gram": {"grams_zh": 1.0},
    "py": {"title_py": 1.0},
    "pyi": {"title_pyi": 1.0},
    "need": {"needs": 1.0},
}
BM25_B = 0.75  # whoosh.scoring.BM25F's defaults, which the index used before this fast path
BM25_K1 = 1.2

_ID = "i"  # array typecodes: 4-byte document numbers and 4-byte float scores
_SCORE = "f"


def _bm25(idf: float, tf: float, fl: float, avgfl: float) -> float:
    return idf * ((tf * (BM25_K1 + 1)) / (tf + BM25_K1 * ((1 - BM25_B) + BM25_B * fl / avgfl)))


def write_fast_index(generation: Path) -> int:
    """Read the (optimised, single-segment) Whoosh index in ``generation`` and write the precomputed
    postings beside it; returns how many (group, term) lists were written."""
    from whoosh import index as windex

    ix = windex.open_dir(str(generation), readonly=True)
    lexicon: dict[str, dict[str, list[int]]] = {}
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            n_docs = reader.doc_count_all()
            tmp_postings = generation / f".{FAST_POSTINGS_FILE}.{os.getpid()}"
            with open(tmp_postings, "wb") as out:
                offset = 0
                for group, fields in GROUP_FIELDS.items():
                    table: dict[str, list[int]] = {}
                    lexicon[group] = table
                    stats = {}
                    for field in fields:
                        avgfl = (reader.field_length(field) / (n_docs or 1)) or 1
                        lengths = [reader.doc_field_length(d, field, 1) for d in range(n_docs)]
                        stats[field] = (avgfl, lengths)
                    terms = sorted({t for f in fields for t in reader.lexicon(f)})
                    last = list(fields)[-1]  # the widest field: its document frequency decides "common"
                    for bterm in terms:
                        scores: dict[int, float] = {}
                        for field, boost in fields.items():
                            if (field, bterm) not in reader:
                                continue
                            idf = log(n_docs / (reader.doc_frequency(field, bterm) + 1)) + 1
                            avgfl, lengths = stats[field]
                            m = reader.postings(field, bterm)
                            while m.is_active():
                                d = m.id()
                                scores[d] = scores.get(d, 0.0) + boost * _bm25(idf, m.weight(), lengths[d], avgfl)
                                m.next()
                        if not scores:
                            continue
                        ids = array(_ID, sorted(scores))
                        values = array(_SCORE, (scores[d] for d in ids))
                        out.write(ids.tobytes())
                        out.write(values.tobytes())
                        term = bterm.decode("utf-8") if isinstance(bterm, bytes) else str(bterm)
                        table[term] = [offset, len(ids), reader.doc_frequency(last, bterm)]
                        offset += len(ids) * (ids.itemsize + values.itemsize)
    finally:
        ix.close()
    meta = {"version": FAST_VERSION, "documents": n_docs, "groups": lexicon}
    tmp_lexicon = generation / f".{FAST_LEXICON_FILE}.{os.getpid()}"
    tmp_lexicon.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    # postings first, lexicon last: a reader that finds the lexicon finds its postings
    os.replace(tmp_postings, generation / FAST_POSTINGS_FILE)
    os.replace(tmp_lexicon, generation / FAST_LEXICON_FILE)
    return sum(len(t) for t in lexicon.values())


class FastIndex:
    """Read side of :func:`write_fast_index`: ``postings(group, term)`` → (document numbers, scores)."""

    def __init__(self, generation: Path):
        meta: dict[str, Any] = json.loads((generation / FAST_LEXICON_FILE).read_text(encoding="utf-8"))
        if meta.get("version") != FAST_VERSION:
            raise ValueError(f"{generation}: fast index version {meta.get('version')}, expected {FAST_VERSION}")
        self.documents: int = meta["documents"]
        self._lexicon: dict[str, dict[str, list[int]]] = meta["groups"]
        self._sorted: dict[str, list[str]] = {}
        self._prefix_cache: dict[tuple[str, str], frozenset[int]] = {}
        path = generation / FAST_POSTINGS_FILE
        if os.path.getsize(path):
            with open(path, "rb") as f:
                # The mapping outlives the file object; pages are shared by every worker process.
                self._data: Any = memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
        else:
            self._data = memoryview(b"")
        self._id_size = array(_ID).itemsize
        self._score_size = array(_SCORE).itemsize

    def df(self, group: str, term: str) -> int:
        """Documents with ``term`` in any field of ``group``."""
        entry = self._lexicon[group].get(term)
        return entry[1] if entry else 0

    def df_widest(self, group: str, term: str) -> int:
        """Documents with ``term`` in the group's widest field (``body_zh``, ``body_en``)."""
        entry = self._lexicon[group].get(term)
        return entry[2] if entry else 0

    def postings(self, group: str, term: str) -> tuple[Sequence[int], Sequence[float]]:
        entry = self._lexicon[group].get(term)
        if not entry:
            return (), ()
        offset, n = entry[0], entry[1]
        mid = offset + n * self._id_size
        return (self._data[offset:mid].cast(_ID),
                self._data[mid : mid + n * self._score_size].cast(_SCORE))

    def terms_with_prefix(self, group: str, prefix: str) -> list[str]:
        terms = self._sorted.get(group)
        if terms is None:
            terms = self._sorted[group] = sorted(self._lexicon[group])
        i = bisect.bisect_left(terms, prefix)
        out = []
        while i < len(terms) and terms[i].startswith(prefix):
            out.append(terms[i])
            i += 1
        return out

    def prefix_docs(self, group: str, prefix: str) -> frozenset[int]:
        """Documents with any term of ``group`` that starts with ``prefix`` (cached: lone characters)."""
        key = (group, prefix)
        docs = self._prefix_cache.get(key)
        if docs is None:
            found: set[int] = set()
            for term in self.terms_with_prefix(group, prefix):
                found.update(self.postings(group, term)[0])
            docs = frozenset(found)
            if len(self._prefix_cache) > 512:
                self._prefix_cache.clear()
            self._prefix_cache[key] = docs
        return docs
