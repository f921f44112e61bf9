"""Query side: :class:`SearchEngine` turns what a resident types into a Whoosh query and a response.

What a query becomes (zh and en alike; ``lang`` picks the language of titles, summaries and highlights and
which fields weigh most):
- Chinese runs → jieba words minus stop words (colloquial and 重庆话 particles), each searched in title,
  keywords (incl. the policy's ``synonyms``), summary and body; plus CJK bigrams of the meaningful part for
  recall; plus every domain term (title, keyword, synonym) found inside the run.
- synonym groups (``content/synonyms.txt``) expand a word to its group.
- homophone typos: spans that are not domain words are read as pinyin and matched to domain terms that
  sound alike (护里补贴 → 护理补贴, 残急人证 → 残疾人证; n/l, zh/z, -in/-ing folded as 重庆话 speakers type).
  The corrected query is also returned as ``suggestion``.
- latin runs: pinyin (``hulibutie``) and initials (``hlbt``) are matched against the pinyin fields and
  converted to domain terms; English words are stemmed and searched in the English fields, and an unknown
  English word gets a suggestion from Whoosh's corrector.
- ``"quoted"`` text must match as a phrase (word positions from jieba).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.query import And, AndMaybe, NullQuery, Or, Phrase, Prefix, Query, Term

from . import text as T
from .analysis import english_analyzer
from .index import USER_DICT_FILE, VOCAB_FILE

RESULT_FIELDS_ZH = {"title_zh": 6.0, "keywords_zh": 4.0, "summary_zh": 2.0, "body_zh": 1.0}
RESULT_FIELDS_EN = {"title_en": 6.0, "keywords_en": 4.0, "summary_en": 2.0, "body_en": 1.0}
OTHER_LANGUAGE_WEIGHT = 0.8
BIGRAM_WEIGHT = 0.35
SYNONYM_WEIGHT = 0.8
CORRECTION_WEIGHT = 0.9
PINYIN_WEIGHTS = {"title_py": 5.0, "title_pyi": 4.0}
MAX_BIGRAMS = 16
MAX_HIGHLIGHTS = 2
HIGHLIGHT_MAX_CHARS = 90
COMMON_DF_RATIO = 0.3  # a query word in more than this share of documents is dropped when others remain
LARGE_CORPUS_DOCS = 2000
LARGE_CORPUS_DF_RATIO = 0.1
COMMON_WORD_FREQ = 200  # a jieba dictionary word this common is never "corrected"
QUOTES = re.compile(r"[\"“”「」『』]([^\"“”「」『』]+)[\"“”「」『』]")


@dataclass
class SearchResult:
    id: str
    title: str
    summary: str
    url: str
    score: float
    highlights: list[str]
    highlight_segments: list[list[dict[str, Any]]] = field(default_factory=list)

    def to_dict(self, extended: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id, "title": self.title, "summary": self.summary, "url": self.url,
            "score": self.score, "highlights": list(self.highlights),
        }
        if extended:
            d["highlight_segments"] = self.highlight_segments
        return d


@dataclass
class SearchResponse:
    query: str
    total: int
    results: list[SearchResult]
    suggestion: str | None
    facets: dict[str, dict[str, int]]
    page: int = 1
    limit: int = 10
    lang: str = "zh"

    def to_dict(self, extended: bool = False) -> dict[str, Any]:
        """The ``/api/v1/search`` JSON of ARCHITECTURE.md exactly; ``extended`` adds ``facets``, ``page``,
        ``limit`` and each result's ``highlight_segments`` (``[{"text", "match"}]``, for safe rendering)."""
        d: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "results": [r.to_dict(extended) for r in self.results],
            "suggestion": self.suggestion,
        }
        if extended:
            d.update(facets=self.facets, page=self.page, limit=self.limit)
        return d


@dataclass
class _Plan:
    """What the query analysis produced: the query, words to highlight, and the suggestion."""

    query: Query
    zh_terms: set[str]
    en_stems: set[str]
    suggestion: str | None


class _Vocabulary:
    """Domain terms and their pinyin, read from the index generation's ``vocab.json``."""

    def __init__(self, data: dict[str, Any]):
        self.weights: dict[str, int] = {k: int(v) for k, v in data.get("terms", {}).items()}
        self.untrusted: set[str] = set(data.get("untrusted", ()))
        self.by_pinyin: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self.by_fuzzy: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self.by_initials: dict[str, list[str]] = defaultdict(list)
        for word in self.weights:
            sylls = T.syllables(word)
            self.by_pinyin[sylls].append(word)
            self.by_fuzzy[T.fuzzy_key(sylls)].append(word)
            self.by_initials[T.initials(word)].append(word)
        for table in (self.by_pinyin, self.by_fuzzy, self.by_initials):
            for words in table.values():
                # spellings from titles, keywords and bodies first; residents' own spellings last
                words.sort(key=lambda w: (w in self.untrusted, -self.weights[w], w))
        self.max_len = max((len(w) for w in self.weights), default=0)
        # Terms matched inside a query as substrings: titles, keywords, synonyms (weight ≥ 50).
        self.phrases = sorted((w for w, n in self.weights.items() if n >= 50 and len(w) >= 2), key=len, reverse=True)
        self.synonyms: dict[str, set[str]] = defaultdict(set)
        for group in data.get("synonyms", []):
            terms = {T.normalize(t) for t in group if t.strip()}
            for t in terms:
                self.synonyms[t] |= terms - {t}

    def known(self, word: str) -> bool:
        """Written as the portal writes it (a resident's typo kept as a policy synonym does not count)."""
        return word in self.weights and word not in self.untrusted


class SearchEngine:
    """A read-only searcher over the index at ``index_dir`` (a symlink swapped by :func:`build_index`).

    Not shared between threads: give each worker thread its own (gunicorn sync workers have one)."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._target: str | None = None
        self._open()
        self.search("残疾人证 hulibutie hlbt disabilty")  # warm caches (pinyin syllables, corrector, jieba)

    # --- opening and swapping ---------------------------------------------------------------------------

    def _open(self) -> None:
        target = os.path.realpath(self.index_dir)
        ix = windex.open_dir(target, readonly=True)
        searcher = ix.searcher()
        data = json.loads((Path(target) / VOCAB_FILE).read_text(encoding="utf-8"))
        T.load_user_dict(Path(target) / USER_DICT_FILE)
        vocab = _Vocabulary(data)
        reader = searcher.reader()
        facets = list(reader.column_reader("facets"))
        categories = [f.split("|", 1)[0] for f in facets]
        audiences = [tuple(a for a in f.split("|", 1)[1].split(",") if a) if "|" in f else () for f in facets]
        old = getattr(self, "_searcher", None)
        self._ix, self._searcher, self._vocab = ix, searcher, vocab
        self._categories, self._audiences = categories, audiences
        self._spell_words = None
        self._doc_count = searcher.doc_count()
        self._target = target
        if old is not None:
            old.close()

    def _refresh_if_swapped(self) -> None:
        target = os.path.realpath(self.index_dir)
        if target != self._target:
            with self._lock:
                if target != self._target and os.path.isdir(target):
                    self._open()

    def close(self) -> None:
        self._searcher.close()

    @property
    def doc_count(self) -> int:
        return self._searcher.doc_count()

    # --- query analysis ---------------------------------------------------------------------------------

    def _zh_group(self, word: str, weight: float, lang: str) -> Query:
        scale = weight * (1.0 if lang == "zh" else OTHER_LANGUAGE_WEIGHT)
        return Or([Term(f, word, boost=b * scale) for f, b in RESULT_FIELDS_ZH.items()])

    def _en_group(self, stem: str, weight: float, lang: str) -> Query:
        scale = weight * (1.0 if lang == "en" else OTHER_LANGUAGE_WEIGHT)
        return Or([Term(f, stem, boost=b * scale) for f, b in RESULT_FIELDS_EN.items()])

    def _corrections(self, run: str) -> list[tuple[int, int, str]]:
        """Spans of a Chinese run that sound like a domain term but are not written like one."""
        v = self._vocab
        sylls = [T.syllables(c)[0] if T.syllables(c) else c for c in run]
        out: list[tuple[int, int, str]] = []
        i, n = 0, len(run)
        while i < n:
            step = 1
            for length in range(min(v.max_len, n - i), 1, -1):
                span = run[i : i + length]
                if v.known(span):
                    step = length
                    break
                if T.word_freq(span) >= COMMON_WORD_FREQ:
                    continue
                key = tuple(sylls[i : i + length])
                candidates = v.by_pinyin.get(key) or v.by_fuzzy.get(T.fuzzy_key(key)) or []
                best, best_key = None, None
                for rank, cand in enumerate(candidates[:20]):
                    shared = sum(1 for a, b in zip(cand, span, strict=False) if a == b)
                    if cand == span or cand in v.untrusted or shared < max(1, length // 2):
                        continue
                    key_ = (shared, -rank)  # most characters kept, then the heaviest domain term
                    if best_key is None or key_ > best_key:
                        best, best_key = cand, key_
                if best:
                    out.append((i, i + length, best))
                    step = length
                    break
            i += step
        return out

    def _pinyin_words(self, latin: str) -> list[str]:
        """Domain terms a pinyin or initials string stands for (longest cover, heaviest term first)."""
        v = self._vocab
        if T.looks_like_initials(latin):
            return self._cover(list(latin), lambda key: v.by_initials.get("".join(key), []))
        best: list[str] = []
        for split in T.split_pinyin(latin):
            words = self._cover(list(split), lambda key: v.by_pinyin.get(tuple(key), []))
            if sum(len(w) for w in words) > sum(len(w) for w in best):
                best = words
        return best

    def _cover(self, units: list[str], lookup) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(units):
            for length in range(min(self._vocab.max_len, len(units) - i), 1, -1):
                found = [w for w in lookup(units[i : i + length]) if w not in self._vocab.untrusted]
                if found:
                    out.append(found[0])
                    i += length
                    break
            else:
                i += 1
        return out

    def _analyse(self, q: str, lang: str) -> _Plan:
        v = self._vocab
        stop = T.stopwords()
        optional: list[Query] = []
        required: list[Query] = []
        zh_terms: set[str] = set()
        en_stems: set[str] = set()
        suggestion_parts: list[tuple[str, str]] = []  # (original, replacement)
        en = english_analyzer()

        common: list[Query] = []  # in so many documents that they barely rank: searched only when alone
        # the resident's own non-common words: common words are dropped only when one of these remains
        word_groups: list[Query] = []

        def add_zh(word: str, weight: float, into: list[Query], original: bool = True) -> None:
            """``original``: the resident's own word (or its reading/correction), not a synonym."""
            if word in zh_terms and into is optional:
                return
            zh_terms.add(word)
            group = self._zh_group(word, weight, lang)
            if into is optional and self._is_common("body_zh", word):
                common.append(group)
            else:
                into.append(group)
                if original:
                    word_groups.append(group)

        # 1. quoted phrases: must match
        for m in QUOTES.finditer(q):
            phrase = m.group(1)
            words = [w for w in T.cut(phrase) if T.IS_CJK.match(w)]
            stems = [t.text for t in en(phrase)]
            alts: list[Query] = []
            if len(words) >= 2:
                alts += [Phrase(f, words, boost=b) for f, b in RESULT_FIELDS_ZH.items()]
            elif words:
                alts.append(self._zh_group(words[0], 1.0, lang))
            if len(stems) >= 2:
                alts += [Phrase(f, stems, boost=b) for f, b in RESULT_FIELDS_EN.items()]
            elif stems and not words:
                alts.append(self._en_group(stems[0], 1.0, lang))
            if alts:
                required.append(Or(alts))
                zh_terms.update(words)
                en_stems.update(stems)
        rest = QUOTES.sub(" ", q)

        # 2. Chinese runs
        for run in T.CJK_RUN.findall(rest):
            words = list(T._cut_run(run))
            meaningful: list[str] = []
            segment: list[str] = []
            for w in words:
                if w in stop:
                    if segment:
                        meaningful.append("".join(segment))
                        segment = []
                    continue
                segment.append(w)
                add_zh(w, 1.0, optional)
                if len(w) == 1:  # a lone character (聋, 盲, 瘫): words in the index that start with it
                    optional.append(Prefix("grams_zh", w, boost=BIGRAM_WEIGHT))
                for syn in v.synonyms.get(w, ()):
                    for part in T.cut(syn) if not v.known(syn) else [syn]:
                        if part not in stop:
                            add_zh(part, SYNONYM_WEIGHT, optional, original=False)
            if segment:
                meaningful.append("".join(segment))
            # domain terms and synonym-group terms written inside the run
            for term in v.phrases:
                if len(term) <= len(run) and term in run and term not in zh_terms:
                    add_zh(term, 1.0, optional)
            for term, group in v.synonyms.items():
                if len(term) >= 2 and term in run and term not in words:
                    for syn in group:
                        if syn not in stop:
                            add_zh(syn, SYNONYM_WEIGHT, optional, original=False)
            # recall: bigrams of the meaningful part
            grams = [g for seg in meaningful for g in T.bigrams(seg) if len(g) == 2]
            for g in [g for g in dict.fromkeys(grams) if not self._is_common("grams_zh", g)][:MAX_BIGRAMS]:
                optional.append(Term("grams_zh", g, boost=BIGRAM_WEIGHT))
            # homophone typos
            for start, end, fixed in self._corrections(run):
                suggestion_parts.append((run[start:end], fixed))
                add_zh(fixed, CORRECTION_WEIGHT, optional)
                for syn in v.synonyms.get(fixed, ()):
                    add_zh(syn, CORRECTION_WEIGHT * SYNONYM_WEIGHT, optional, original=False)

        # 3. latin runs: pinyin, initials, English, numbers
        latin_runs = re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", re.sub(T.CJK_RUN, " ", rest))
        en_text = " ".join(latin_runs)
        for run in latin_runs:
            if run.isdigit():
                add_zh(run, 1.0, optional)
                continue
            alpha = run.isalpha()
            if alpha and len(run) >= 2:
                optional.append(Term("title_py", run, boost=PINYIN_WEIGHTS["title_py"]))
                if T.looks_like_initials(run):
                    optional.append(Term("title_pyi", run, boost=PINYIN_WEIGHTS["title_pyi"]))
                words = self._pinyin_words(run) if len(run) >= 2 else []
                if words:
                    suggestion_parts.append((run, "".join(words)))
                    for w in words:
                        add_zh(w, CORRECTION_WEIGHT, optional)
                        for syn in v.synonyms.get(w, ()):
                            add_zh(syn, CORRECTION_WEIGHT * SYNONYM_WEIGHT, optional, original=False)
        for tok in en(en_text):
            if tok.text not in en_stems:
                en_stems.add(tok.text)
                group = self._en_group(tok.text, 1.0, lang)
                if self._is_common("body_en", tok.text):
                    common.append(group)
                else:
                    optional.append(group)
                    word_groups.append(group)
        for word in re.findall(r"[a-z]{4,}", en_text):
            for syn in v.synonyms.get(word, ()):
                for tok in en(syn):
                    if tok.text not in en_stems:
                        en_stems.add(tok.text)
                        optional.append(self._en_group(tok.text, SYNONYM_WEIGHT, lang))

        # 4. English spelling: an unknown English word (not pinyin) gets the corrector's suggestion
        if not suggestion_parts:
            for word in re.findall(r"[a-z]{4,}", en_text):
                if self._is_english_unknown(word):
                    fixed = self._searcher.corrector("spell_en").suggest(word, limit=1, maxdist=2)
                    if fixed and fixed[0] != word:
                        suggestion_parts.append((word, fixed[0]))
                        for tok in en(fixed[0]):
                            if tok.text not in en_stems:
                                en_stems.add(tok.text)
                                optional.append(self._en_group(tok.text, CORRECTION_WEIGHT, lang))

        if not word_groups and not required:
            optional += common

        suggestion = None
        if suggestion_parts:
            fixed_q = q
            for original, replacement in suggestion_parts:
                fixed_q = fixed_q.replace(original, replacement, 1)
            if fixed_q != q:
                suggestion = fixed_q
        if required:
            query: Query = AndMaybe(required[0] if len(required) == 1 else _and(required), Or(optional)) \
                if optional else (required[0] if len(required) == 1 else _and(required))
        elif optional:
            query = Or(optional)
        else:
            query = NullQuery
        return _Plan(query=query, zh_terms={t for t in zh_terms if t not in stop}, en_stems=en_stems,
                     suggestion=suggestion)

    def _is_common(self, field: str, text: str) -> bool:
        n = self._doc_count
        if n < 20:
            return False
        df = self._searcher.reader().doc_frequency(field, text)
        # Whoosh scores every posting of every query term in pure Python: on a large corpus, a word in more
        # than LARGE_CORPUS_DF_RATIO of the documents costs more than it helps the ranking.
        ratio = COMMON_DF_RATIO if n < LARGE_CORPUS_DOCS else LARGE_CORPUS_DF_RATIO
        return df > ratio * n

    def _is_english_unknown(self, word: str) -> bool:
        if T.split_pinyin(word) or T.looks_like_initials(word):
            return False
        if self._spell_words is None:
            self._spell_words = {
                w.decode("utf-8") if isinstance(w, bytes) else w for w in self._searcher.lexicon("spell_en")
            }
        return word not in self._spell_words

    # --- search -------------------------------------------------------------------------------------------

    def search(self, q: str, lang: str = "zh", limit: int = 10, page: int = 1,
               categories: Sequence[str] = (), audiences: Sequence[str] = ()) -> SearchResponse:
        """Search the catalogue. Facet counts are over the query's matches before the category and audience
        filters (so a page can offer the other choices); ``total`` is after them."""
        lang = "en" if lang == "en" else "zh"
        limit = max(1, min(int(limit), 50))
        page = max(1, int(page))
        query_text = T.normalize(q)[: T.MAX_QUERY_CHARS].strip()
        empty = SearchResponse(query=query_text, total=0, results=[], suggestion=None,
                               facets={"category": {}, "audience": {}}, page=page, limit=limit, lang=lang)
        if not query_text:
            return empty
        self._refresh_if_swapped()
        plan = self._analyse(query_text, lang)
        if plan.query is NullQuery:
            empty.suggestion = plan.suggestion
            return empty
        searcher = self._searcher
        matched = list(searcher.docs_for_query(plan.query))
        cat_filter, aud_filter = set(categories), set(audiences)
        cat_counts: Counter[str] = Counter()
        aud_counts: Counter[str] = Counter()
        allowed: list[int] = []
        for docnum in matched:
            cat, auds = self._categories[docnum], self._audiences[docnum]
            cat_counts[cat] += 1
            aud_counts.update(auds)
            if (not cat_filter or cat in cat_filter) and (not aud_filter or aud_filter.intersection(auds)):
                allowed.append(docnum)
        facets = {"category": dict(cat_counts.most_common()), "audience": dict(aud_counts.most_common())}
        total = len(allowed)
        results: list[SearchResult] = []
        if total:
            kwargs: dict[str, Any] = {}
            if cat_filter or aud_filter:
                kwargs["filter"] = set(allowed)
            hits = searcher.search(plan.query, limit=page * limit, **kwargs)
            # iterate the top hits only: len(hits) would count every match a second time
            for hit in itertools.islice(iter(hits), (page - 1) * limit, page * limit):
                stored = hit.fields()
                title = stored.get("title_en" if lang == "en" else "title_zh") or stored.get("title_zh", "")
                summary = stored.get("summary_en" if lang == "en" else "summary_zh") or ""
                body = stored.get("body_en" if lang == "en" else "body_zh") or ""
                segs = _highlight(body, plan, lang)
                results.append(SearchResult(
                    id=stored["id"], title=title, summary=summary, url=stored.get("url") or f"/policies/{stored['id']}",
                    score=round(float(hit.score or 0.0), 4),
                    highlights=["".join(s["text"] for s in seg) for seg in segs],
                    highlight_segments=segs,
                ))
        return SearchResponse(query=query_text, total=total, results=results, suggestion=plan.suggestion,
                              facets=facets, page=page, limit=limit, lang=lang)


def _and(queries: list[Query]) -> Query:
    return And(queries)


# --- highlights ---------------------------------------------------------------------------------------------

_EN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def _match_spans(sentence: str, plan: _Plan, lang: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    low = sentence.lower()
    for term in sorted(plan.zh_terms, key=len, reverse=True):
        if not term or (len(term) == 1 and not T.IS_CJK.match(term)):
            continue
        start = low.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = low.find(term, start + len(term))
    if plan.en_stems:
        analyzer = english_analyzer()
        for m in _EN_WORD.finditer(sentence):
            stems = [t.text for t in analyzer(m.group(0))]
            if stems and stems[0] in plan.en_stems:
                spans.append((m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _highlight(body: str, plan: _Plan, lang: str) -> list[list[dict[str, Any]]]:
    """Up to two sentences (split on 。！？) that contain the most distinct query terms, in text order,
    as segments ``{"text", "match"}``; long sentences are cut around their first match."""
    scored = []
    for index, sentence in enumerate(T.sentences(body)):
        spans = _match_spans(sentence, plan, lang)
        if not spans:
            continue
        distinct = len({sentence[s:e].lower() for s, e in spans})
        scored.append((distinct, -index, index, sentence, spans))
    scored.sort(reverse=True)
    chosen = sorted(scored[:MAX_HIGHLIGHTS], key=lambda x: x[2])
    out = []
    for _d, _neg, _i, sentence, spans in chosen:
        start, end = 0, len(sentence)
        if len(sentence) > HIGHLIGHT_MAX_CHARS:
            start = max(0, spans[0][0] - HIGHLIGHT_MAX_CHARS // 4)
            end = min(len(sentence), start + HIGHLIGHT_MAX_CHARS)
        segs: list[dict[str, Any]] = []
        if start > 0:
            segs.append({"text": "…", "match": False})
        pos = start
        for s, e in spans:
            if e <= start or s >= end:
                continue
            s, e = max(s, start), min(e, end)
            if s > pos:
                segs.append({"text": sentence[pos:s], "match": False})
            segs.append({"text": sentence[s:e], "match": True})
            pos = e
        if pos < end:
            segs.append({"text": sentence[pos:end], "match": False})
        if end < len(sentence):
            segs.append({"text": "…", "match": False})
        out.append(segs)
    return out
