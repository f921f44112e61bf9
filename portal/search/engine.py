"""Query side: :class:`SearchEngine` turns what a resident types into weighted query terms and a response.

What a query becomes (zh and en alike; ``lang`` picks the language of titles, summaries and highlights and
which fields weigh most):
- whole questions (``content/needs.yml``, see :mod:`portal.content.needs`): the question frame (能领什么,
  有没有, 咋个办, what, can I get) is dropped; context words (我妈, 补助, mother) are searched but a result need
  not match them; a need the resident describes (瘫痪在床, 耳朵背, bedridden) finds the policies the vocabulary
  lists for it (the ``need`` group of :mod:`portal.search.fast`), and the policies' own words for it (长期照护)
  rank and highlight.
- Chinese runs → jieba words minus stop words (colloquial and 重庆话 particles), each searched in title,
  keywords (incl. the policy's ``synonyms``), summary and body; plus CJK bigrams of the meaningful part for
  recall; plus every domain term (title, keyword, synonym) found inside the run.
- synonym groups (``content/synonyms.txt``) expand a word to its group; a document scores a word and its
  synonyms once, by the best of them.
- homophone typos: spans that are not domain words are read as pinyin and matched to domain terms that
  sound alike (护里补贴 → 护理补贴, 残急人证 → 残疾人证; n/l, zh/z, -in/-ing folded as 重庆话 speakers type).
  A correction never changes a character of a word that is correct as written (common in general Chinese, or
  recognised by the portal: 有没有 stays, 尿不湿 stays), and it is searched and offered as ``suggestion`` only
  when the query as written has fewer than ``SUGGEST_BELOW`` results matching all its words and the
  corrected one has more.
- latin runs: pinyin (``hulibutie``) and initials (``hlbt``) are matched against the pinyin fields and
  converted to domain terms (an English word among English words is not: ``my`` is not 免予); English words
  are stemmed and searched in the English fields, and an unknown English word may get a correction from
  Whoosh's corrector (American and British spellings are the same word: searched, not corrected). A
  suggestion never mixes Chinese and latin letters.
- ``"quoted"`` text must match as a phrase (word positions from jieba; Whoosh's phrase matcher).
- a query that is mostly a policy's name (its title, or a name in ``content/needs.yml``: 两项补贴) puts the
  named policies first.

Scoring is Whoosh's BM25F, read from the precomputed per-term scores of :mod:`portal.search.fast` (a sum of
flat arrays, not a tree of Python matchers): fast enough for 10,000 documents. Each score is graded by the
share of the query the document covers (``COVERAGE_POWER``), so the policy that answers most of a long
question ranks first.

Relevance floor: every term of the query stands for some of the query's *units* (each meaningful Chinese
character, each latin word counts ``LATIN_UNITS``, each quoted phrase ``LATIN_UNITS``): a word, its synonyms,
its correction, its bigrams and the domain terms written over it all stand for its characters. A result must
match terms that stand for more than ``MIN_COVERAGE`` of the units of the resident's own words (stop words,
question frame, context words and, when other words remain, words too common to search are not counted), or
at least ``MIN_COVERAGE_ANCHORED`` when it matches a domain term of the query, or ``MIN_COVERAGE_NEED`` when it
answers a need the query describes (a long question tells a story around its need). 天气预报明天 matched a
policy that mentions 孤儿医疗康复明天计划 on 明天 alone: a third of the query, so no result, and the
zero-result page can help instead.
"""

from __future__ import annotations

import bisect
import heapq
import json
import os
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.lang.porter import stem as _porter
from whoosh.query import And, Or, Phrase, Query, Term

from . import text as T
from .analysis import english_analyzer
from .fast import GROUP_FIELDS, FastIndex, write_fast_index
from .index import USER_DICT_FILE, VOCAB_FILE

RESULT_FIELDS_ZH = GROUP_FIELDS["zh"]
RESULT_FIELDS_EN = GROUP_FIELDS["en"]
OTHER_LANGUAGE_WEIGHT = 0.8
BIGRAM_WEIGHT = 0.35
SYNONYM_WEIGHT = 0.8
CORRECTION_WEIGHT = 0.9
PINYIN_WEIGHTS = {"py": 5.0, "pyi": 4.0}
PREFIX_SCORE = 1.0  # a lone character matching several indexed bigrams: a constant, as Whoosh's Prefix scored it
MAX_BIGRAMS = 16
POSTINGS_BUDGET = 64_000  # postings one query reads at most (the quality set's longest reads under 60,000)
MAX_HIGHLIGHTS = 2
HIGHLIGHT_MAX_CHARS = 90
COMMON_DF_RATIO = 0.3  # a query word in more than this share of documents is dropped when others remain
LARGE_CORPUS_DOCS = 2000
LARGE_CORPUS_DF_RATIO = 0.5
PINYIN_MIN_COVER = 0.6
COMMON_WORD_FREQ = 200  # a jieba dictionary word this common is never "corrected"
MIN_COVERAGE = 0.5  # a result must stand for more than this share of the query's counted units,
MIN_COVERAGE_ANCHORED = 0.34  # or for this share when it matches a domain term the query contains,
MIN_COVERAGE_NEED = 0.25  # or for this share when it is a policy that answers a need the query describes
LATIN_UNITS = 2  # a latin word (and a quoted phrase) weighs as much as a two-character Chinese word
NEED_WEIGHT = 4.0  # a need the query describes (content/needs.yml): its policies, about as a title word weighs
MEANS_WEIGHT = 0.5  # the policies' own words for that need, searched everywhere
CONTEXT_WEIGHT = 0.5  # context words (我妈, 补助, mother): they rank, but a result need not match them
COVERAGE_POWER = 1.0  # score × (share of the counted units a result covers) ** this
NAME_SHARE = 0.5  # a policy name standing for more than this share of the counted units puts its policies first
SUGGEST_BELOW = 3  # corrections only for a query with fewer results than this that match all its words
LOOSE_GROUPS = frozenset({"gram", "prefix"})
RANK_ONLY_WALK = 8  # a rank-only posting list up to this many times the kept documents is walked, not searched
SPELLING_MAXDIST_SHORT = 1  # English words of up to 5 letters: one edit (bread is not broad)
QUOTES = re.compile(r"[\"“”「」『』]([^\"“”「」『』]+)[\"“”「」『』]")
LATIN_RUN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

_STEMMER = english_analyzer()
_stem_lock = threading.Lock()


@lru_cache(maxsize=16384)
def _stem(word: str) -> str | None:
    """The English field's stem of one word (None for a stop word); highlights ask for the same words often."""
    with _stem_lock:
        stems = [t.text for t in _STEMMER(word)]
    return stems[0] if stems else None


_EN_SPLIT = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@lru_cache(maxsize=16384)
def _en_stem(word: str) -> str:
    """Porter stem of one lower-case word, stop words kept (needs and frames match on word sequences)."""
    return _porter(word.replace("'", ""))


def _en_key(phrase: str) -> tuple[str, ...]:
    """The stem sequence an English phrase is matched on: ``"can't hear"`` → ``("cant", "hear")``."""
    return tuple(_en_stem(w) for w in _EN_SPLIT.findall(T.normalize(phrase).replace("’", "'")))


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


@dataclass(frozen=True)
class _Clause:
    """One weighted query term: ``group`` is a :data:`~portal.search.fast.GROUP_FIELDS` key or ``"prefix"``
    (a lone character: indexed bigrams that start with it); ``units`` is the bit mask of the query units
    it stands for. A ``boost`` of 0 marks a word too common to score: it only counts for coverage."""

    group: str
    term: str
    boost: float
    units: int
    anchor: bool = False  # a domain term or a need: see MIN_COVERAGE_ANCHORED
    need: bool = False  # a need the query describes: see MIN_COVERAGE_NEED
    concept: int = 0  # a word and its synonyms share one (non-zero): a document scores the best of them, once
    literal: bool = True  # the resident's own word (not a synonym's or a need's expansion): see _score's strong
    loose: bool = False  # a bigram or a lone character's prefix: not a word-level match (see _score's strong)


@dataclass
class _Plan:
    """What the query analysis produced: the terms, the phrases that must match, the units a result must
    cover, words to highlight, and what a suggestion may be made of."""

    clauses: list[_Clause]
    required: list[Query | _Clause]  # quoted text: a Whoosh phrase query, or one word's clause
    required_units: int
    counted: int
    zh_terms: set[str]
    en_stems: set[str]
    query: str = ""
    readings: list[tuple[str, str]] = field(default_factory=list)  # (pinyin or initials, Chinese): searched
    fixes: list[tuple[str, str]] = field(default_factory=list)  # (typo, correction): searched only if they help
    fix_clauses: list[_Clause] = field(default_factory=list)
    fixes_zh: bool = False  # the corrections are Chinese homophones (else English spellings)
    en_unknown: list[tuple[str, int]] = field(default_factory=list)  # (word, units): English correction candidates
    en_scale: float = 1.0
    names: list[tuple[int, list[str]]] = field(default_factory=list)  # (units, policy ids) of names in the query


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
        self.domain_terms = frozenset(self.phrases)
        self.synonyms: dict[str, set[str]] = defaultdict(set)
        for group in data.get("synonyms", []):
            terms = {T.normalize(t) for t in group if t.strip()}
            for t in terms:
                self.synonyms[t] |= terms - {t}

        # content/needs.yml (see portal.content.needs), normalised as queries are
        query = data.get("query") or {}

        def terms(section: str, lang: str) -> list[str]:
            return [t for t in (T.normalize(x) for x in (query.get(section) or {}).get(lang, ())) if t]

        self.frame_zh = sorted(terms("question_frame", "zh"), key=len, reverse=True)
        frame_en = terms("question_frame", "en")
        self.frame_en_words = frozenset(_en_key(t)[0] for t in frame_en if len(_en_key(t)) == 1)
        self.frame_en_phrases = [_en_key(t) for t in frame_en if len(_en_key(t)) > 1]
        self.context_zh = frozenset(terms("context", "zh"))
        self.context_en = frozenset(_en_key(t)[0] for t in terms("context", "en") if len(_en_key(t)) == 1)
        # say term → need ids (zh: substrings of a run; en: stem sequences of the latin words)
        self.need_say_zh: dict[str, list[str]] = defaultdict(list)
        self.need_say_en: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self.need_means: dict[str, tuple[list[str], list[str]]] = {}
        for need in query.get("needs") or []:
            nid = str(need.get("id", ""))
            say, means = need.get("say") or {}, need.get("means") or {}
            for t in say.get("zh", ()):
                self.need_say_zh[T.normalize(t)].append(nid)
            for t in say.get("en", ()):
                if _en_key(t):
                    self.need_say_en[_en_key(t)].append(nid)
            self.need_means[nid] = ([T.normalize(t) for t in means.get("zh", ())],
                                    [T.normalize(t) for t in means.get("en", ())])
        self.need_zh_terms = sorted(self.need_say_zh, key=len, reverse=True)
        # names: zh text → policy ids; en stem sequence → policy ids (the first listing of a name wins)
        self.names_zh: dict[str, list[str]] = {}
        self.names_en: dict[tuple[str, ...], list[str]] = {}
        for name in query.get("names") or []:
            pids = [str(x) for x in name.get("policies", ())]
            for t in name.get("zh", ()):
                self.names_zh.setdefault(T.normalize(t).replace(" ", ""), pids)
            for t in name.get("en", ()):
                if _en_key(t):
                    self.names_en.setdefault(_en_key(t), pids)
        self.name_zh_terms = sorted((t for t in self.names_zh if len(t) >= 2), key=len, reverse=True)
        self.need_say_en_by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for key in self.need_say_en:
            self.need_say_en_by_first[key[0]].append(key)
        self.names_en_by_first: dict[str, list[tuple[tuple[str, ...], list[str]]]] = defaultdict(list)
        for key, pids in self.names_en.items():
            self.names_en_by_first[key[0]].append((key, pids))
        # what a resident may write that the portal recognises: never "corrected" into something else
        self.recognised = (frozenset(self.weights) | frozenset(self.need_say_zh) | self.context_zh
                           | frozenset(self.frame_zh) | frozenset(self.names_zh) | frozenset(self.synonyms))
        self.en_recognised = (self.frame_en_words | self.context_en
                              | frozenset(w for key in self.need_say_en for w in key)
                              | frozenset(w for key in self.names_en for w in key))

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
        self._spelling().suggest("disabilty", limit=1)  # the corrector is used only when a query finds little

    # --- opening and swapping ---------------------------------------------------------------------------

    def _open(self) -> None:
        target = os.path.realpath(self.index_dir)
        ix = windex.open_dir(target, readonly=True)
        searcher = ix.searcher()
        data = json.loads((Path(target) / VOCAB_FILE).read_text(encoding="utf-8"))
        T.load_user_dict(Path(target) / USER_DICT_FILE)
        vocab = _Vocabulary(data)
        reader = searcher.reader()
        facets = list(reader.column_reader("facets"))  # per document: "category|audience1,audience2"
        facet_parts = {
            f: (f.split("|", 1)[0], tuple(a for a in f.split("|", 1)[1].split(",") if a) if "|" in f else ())
            for f in set(facets)
        }
        fast = _open_fast(Path(target))
        old = getattr(self, "_searcher", None)
        self._ix, self._searcher, self._vocab, self._fast = ix, searcher, vocab, fast
        self._facets, self._facet_parts = facets, facet_parts
        self._spell_words: set[str] | None = None
        self._corrector: Any = None
        self._docnums: dict[str, int | None] = {}
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

    def _protected(self, run: str) -> set[int]:
        """Positions in a Chinese run that a correction must not change: characters of words that are correct as
        written. That is a jieba word of two or more characters that is common in general Chinese (有没有 must not
        become 有没油) or a stop word, and anything the portal itself writes or recognises (domain terms, needs,
        question words, context words: 尿不湿 must not become 尿不是). A resident's typo kept as a synonym (护里补贴)
        is recognised for searching but not protected: it is what a correction is for."""
        v = self._vocab
        stop = T.stopwords()
        out: set[int] = set()
        pos = 0
        for w in T._cut_run(run):
            if len(w) >= 2 and (T.word_freq(w) >= COMMON_WORD_FREQ or w in stop or v.known(w)
                                or (w in v.recognised and w not in v.untrusted)):
                out.update(range(pos, pos + len(w)))
            pos += len(w)
        for terms in (v.need_zh_terms, v.frame_zh):
            for term in terms:
                if len(term) >= 2 and term in run:
                    for start in _find_all(run, term):
                        out.update(range(start, start + len(term)))
        return out

    def _corrections(self, run: str) -> list[tuple[int, int, str]]:
        """Spans of a Chinese run that sound like a domain term but are not written like one, and whose changed
        characters are not protected (:meth:`_protected`)."""
        v = self._vocab
        sylls = [T.syllables(c)[0] if T.syllables(c) else c for c in run]
        protected = self._protected(run)
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
                    if len(cand) != length or cand == span or cand in v.untrusted:
                        continue
                    changed = [k for k in range(length) if cand[k] != span[k]]
                    if len(changed) > length - max(1, length // 2) or any(i + k in protected for k in changed):
                        continue
                    key_ = (length - len(changed), -rank)  # most characters kept, then the heaviest domain term
                    if best_key is None or key_ > best_key:
                        best, best_key = cand, key_
                if best:
                    out.append((i, i + length, best))
                    step = length
                    break
            i += step
        return out

    def _pinyin_words(self, latin: str) -> list[str]:
        """Domain terms a pinyin or initials string stands for (longest cover, heaviest term first).

        Initials must be covered whole (``xyzzy`` is not 学业 plus three stray letters); pinyin mostly
        (``PINYIN_MIN_COVER`` of its syllables)."""
        v = self._vocab
        if T.looks_like_initials(latin):
            words, covered = self._cover(list(latin), lambda key: v.by_initials.get("".join(key), []))
            return words if covered == len(latin) else []
        best: list[str] = []
        for split in T.split_pinyin(latin):
            words, covered = self._cover(list(split), lambda key: v.by_pinyin.get(tuple(key), []))
            if covered < PINYIN_MIN_COVER * len(split):
                continue
            if sum(len(w) for w in words) > sum(len(w) for w in best):
                best = words
        return best

    def _cover(self, units: list[str], lookup) -> tuple[list[str], int]:
        """Greedy longest domain terms over ``units`` (letters or syllables): the terms, and how many units
        they cover."""
        out: list[str] = []
        covered = 0
        i = 0
        while i < len(units):
            for length in range(min(self._vocab.max_len, len(units) - i), 1, -1):
                found = [w for w in lookup(units[i : i + length]) if w not in self._vocab.untrusted]
                if found:
                    out.append(found[0])
                    covered += length
                    i += length
                    break
            else:
                i += 1
        return out, covered

    def _analyse(self, q: str, lang: str) -> _Plan:
        v = self._vocab
        stop = T.stopwords()
        en = _STEMMER
        zh_scale = 1.0 if lang == "zh" else OTHER_LANGUAGE_WEIGHT
        en_scale = 1.0 if lang == "en" else OTHER_LANGUAGE_WEIGHT
        # (group, term) → [boost, units, common, anchor, concept, literal]: the first boost and concept win, the
        # units of repeats are merged
        entries: dict[tuple[str, str], list[Any]] = {}
        meaningful = 0  # units of words that are not stop words or question frame: only these can be counted
        required: list[Query | _Clause] = []
        required_units = 0
        own_units = 0  # units of the resident's own words that are searched
        common_units = 0  # units of own words so common that they are searched only when nothing else is
        context_units = 0  # units of context words (我妈, 补助, mother): they rank, a result need not match them
        zh_terms: set[str] = set()
        en_stems: set[str] = set()
        readings: list[tuple[str, str]] = []  # (latin run, its Chinese reading): pinyin and initials
        fixes: list[tuple[str, str]] = []  # (original, correction): homophone typos, English misspellings
        fix_entries: dict[tuple[str, str], list[Any]] = {}  # clauses of the corrections, searched only if they help
        zh_fixes: list[tuple[str, str, int]] = []  # (typo, correction, units) candidates
        en_unknown: list[tuple[str, int]] = []  # English words the content does not have: corrected lazily
        names: list[tuple[int, list[str]]] = []  # (units, policy ids) of the policy names the query contains

        concept = 0  # the concept new entries belong to (0: none, scores add up)
        concepts = iter(range(1, 1 << 30))

        def add(group: str, term: str, boost: float, units: int, common: bool = False, anchor: bool = False,
                into: dict[tuple[str, str], list[Any]] | None = None, literal: bool = True) -> None:
            table = entries if into is None else into
            entry = table.get((group, term))
            if entry is None:
                table[(group, term)] = [boost, units, common, anchor, concept, literal]
            else:
                entry[1] |= units
                entry[3] = entry[3] or anchor
                entry[5] = entry[5] or literal

        def add_zh(word: str, weight: float, units: int, original: bool = True, context: bool = False,
                   into: dict[tuple[str, str], list[Any]] | None = None) -> None:
            """``original``: the resident's own word (or its reading/correction), not a synonym; ``context``: a
            context word (see :data:`CONTEXT_WEIGHT`)."""
            nonlocal own_units, common_units, context_units
            table = entries if into is None else into
            common = ("zh", word) not in table and self._is_common("zh", word)
            zh_terms.add(word)
            add("zh", word, weight * zh_scale, units, common, anchor=word in v.domain_terms and not context,
                into=table, literal=original)
            if context:
                context_units |= units
            elif original and into is None:
                if entries[("zh", word)][2]:
                    common_units |= units
                else:
                    own_units |= units

        def add_en(stem: str, weight: float, units: int, original: bool = True, context: bool = False,
                   into: dict[tuple[str, str], list[Any]] | None = None) -> None:
            nonlocal own_units, common_units, context_units
            table = entries if into is None else into
            if ("en", stem) in table and stem in en_stems:
                table[("en", stem)][1] |= units
            else:
                common = original and self._is_common("en", stem)
                add("en", stem, weight * en_scale, units, common, into=table, literal=original)
            en_stems.add(stem)
            if context:
                context_units |= units
            elif original and into is None:
                if entries[("en", stem)][2]:
                    common_units |= units
                else:
                    own_units |= units

        def add_need(nid: str, units: int) -> None:
            """A need the query describes: its policies (``need`` group) and the words they use for it."""
            nonlocal own_units, meaningful
            add("need", nid, NEED_WEIGHT, units, anchor=True)
            own_units |= units
            meaningful |= units
            # The policies' words for the need rank and highlight, but do not stand for the resident's words: only
            # the policies the need lists answer it (照护 is in six policies; 瘫痪在床 is answered by two).
            means_zh, means_en = v.need_means.get(nid, ((), ()))
            for term in means_zh:
                for part in (term,) if v.known(term) or ("zh", term) in entries else T.cut(term):
                    if part not in stop and T.IS_CJK.match(part):
                        add_zh(part, MEANS_WEIGHT, 0, original=False)
            for term in means_en:
                for tok in en(term):
                    add_en(tok.text, MEANS_WEIGHT, 0, original=False)

        # 1. quoted phrases: must match (Whoosh's phrase matcher: positions are in its postings)
        rest = QUOTES.sub(" ", q)
        next_unit = len(rest)  # units 0 … len(rest)-1 are the characters; latin words and phrases come after
        for m in QUOTES.finditer(q):
            phrase = m.group(1)
            words = [w for w in T.cut(phrase) if T.IS_CJK.match(w)]
            stems = [t.text for t in en(phrase)]
            alts: list[Query] = []
            if len(words) >= 2:
                alts += [Phrase(f, words, boost=b) for f, b in RESULT_FIELDS_ZH.items()]
            if len(stems) >= 2:
                alts += [Phrase(f, stems, boost=b) for f, b in RESULT_FIELDS_EN.items()]
            single: _Clause | None = None  # one quoted word: no positions to check, the fast index answers
            if len(words) == 1:
                single = _Clause("zh", words[0], zh_scale, 0)
            elif len(stems) == 1 and not words:
                single = _Clause("en", stems[0], en_scale, 0)
            if single and alts:
                alts.append(_field_group(GROUP_FIELDS[single.group], single.term, single.boost))
            if alts or single:
                required.append(Or(alts) if alts else single)
                required_units |= _span(next_unit, next_unit + LATIN_UNITS)
                next_unit += LATIN_UNITS
                zh_terms.update(words)
                en_stems.update(stems)

        # 2. Chinese runs
        for m in T.CJK_RUN.finditer(rest):
            run, base = m.group(0), m.start()
            concept = 0
            # needs first: 瘫痪在床 is one need, whatever jieba makes of it; then the question frame around it
            need_mask = 0
            for term in v.need_zh_terms:
                if len(term) <= len(run) and term in run:
                    units = _occurrences(run, term, base)
                    need_mask |= units
                    for nid in v.need_say_zh[term]:
                        add_need(nid, units)
                    zh_terms.add(term)
            frame_mask = 0
            for term in v.frame_zh:
                if len(term) <= len(run) and term in run:
                    for start in _find_all(run, term):
                        span = _span(base + start, base + start + len(term))
                        if not span & (need_mask | frame_mask):
                            frame_mask |= span
            for term in v.name_zh_terms:
                if len(term) <= len(run) and term in run:
                    names.append((_occurrences(run, term, base), v.names_zh[term]))
            words = list(T._cut_run(run))
            segments: list[tuple[int, str]] = []  # (start in rest, text) of the meaningful parts
            seg_start, segment = base, ""
            pos = base
            for w in words:
                concept = next(concepts)
                units = _span(pos, pos + len(w))
                if w in stop or units & ~frame_mask == 0:
                    if segment:
                        segments.append((seg_start, segment))
                    segment = ""
                    pos += len(w)
                    seg_start = pos
                    continue
                segment += w
                context = w in v.context_zh and not units & need_mask
                if not context:
                    meaningful |= units & ~frame_mask
                add_zh(w, CONTEXT_WEIGHT if context else 1.0, units, context=context)
                if len(w) == 1 and not context:  # a lone character (聋, 盲, 瘫): words in the index that start with it
                    add("prefix", w, BIGRAM_WEIGHT, units)
                for syn in v.synonyms.get(w, ()):
                    for part in T.cut(syn) if not v.known(syn) else [syn]:
                        if part not in stop:
                            add_zh(part, SYNONYM_WEIGHT * (CONTEXT_WEIGHT if context else 1.0), units,
                                   original=False, context=context)
                pos += len(w)
            concept = 0
            if segment:
                segments.append((seg_start, segment))
            # domain terms and synonym-group terms written inside the run
            for term in v.phrases:
                if len(term) <= len(run) and term in run and term not in stop and term not in v.context_zh:
                    add_zh(term, 1.0, _occurrences(run, term, base))
            for term, group in v.synonyms.items():
                if len(term) >= 2 and term in run and term not in words and term not in v.context_zh:
                    units = _occurrences(run, term, base)
                    concept = next(concepts)
                    add_zh(term, 1.0, units)
                    for syn in group:
                        if syn not in stop:
                            add_zh(syn, SYNONYM_WEIGHT, units, original=False)
            # recall: bigrams of the meaningful part
            grams: dict[str, int] = {}
            for start, seg in segments:
                for i in range(len(seg) - 1):
                    g = seg[i : i + 2]
                    grams[g] = grams.get(g, 0) | _span(start + i, start + i + 2)
            concept = 0
            kept = [g for g in grams if not self._is_common("gram", g)][:MAX_BIGRAMS]
            for g in kept:
                add("gram", g, BIGRAM_WEIGHT, grams[g])
            # homophone typos: candidates here, searched only if they help (see search)
            for start, end, fixed in self._corrections(run):
                zh_fixes.append((run[start:end], fixed, _span(base + start, base + end)))

        # 3. latin runs: English (needs, question frame, context words), pinyin, initials, numbers
        concept = 0
        latin: list[tuple[str, int]] = []  # (run, units)
        for m in LATIN_RUN.finditer(rest):
            latin.append((m.group(0).replace("’", "'"), _span(next_unit, next_unit + LATIN_UNITS)))
            next_unit += LATIN_UNITS
        stems_seq = [_en_stem(run) for run, _ in latin]
        in_need = [False] * len(latin)
        in_frame = [False] * len(latin)
        for i in range(len(latin)):
            for key in v.need_say_en_by_first.get(stems_seq[i], ()):
                if tuple(stems_seq[i : i + len(key)]) == key:
                    units = 0
                    for j in range(i, i + len(key)):
                        in_need[j] = True
                        units |= latin[j][1]
                    for nid in v.need_say_en[key]:
                        add_need(nid, units)
            for key, pids in v.names_en_by_first.get(stems_seq[i], ()):
                if tuple(stems_seq[i : i + len(key)]) == key:
                    names.append((_span_of(latin[i : i + len(key)]), pids))
            for key in v.frame_en_phrases:
                if tuple(stems_seq[i : i + len(key)]) == key:
                    for j in range(i, i + len(key)):
                        in_frame[j] = True
        english_words = sum(1 for (run, _), s in zip(latin, stems_seq, strict=True)
                            if run in stop or s in v.en_recognised or self._in_english_lexicon(run))
        for i, (run, units) in enumerate(latin):
            stem_ = stems_seq[i]
            if not in_need[i] and (in_frame[i] or stem_ in v.frame_en_words or run in stop):
                continue  # a question word: what, can, is there, help …
            context = not in_need[i] and stem_ in v.context_en
            if not context:
                meaningful |= units
            if run.isdigit():
                add_zh(run, 1.0, units)
            elif run.isalpha() and len(run) >= 2 and not context and not (
                    english_words >= 2 and (stem_ in v.en_recognised or self._in_english_lexicon(run))):
                # pinyin or initials; an English word among English words is not read as pinyin (my ≠ 免予)
                add("py", run, PINYIN_WEIGHTS["py"], units)
                if T.looks_like_initials(run):
                    add("pyi", run, PINYIN_WEIGHTS["pyi"], units)
                words = self._pinyin_words(run)
                if words:
                    readings.append((run, "".join(words)))
                    for w in words:
                        concept = next(concepts)
                        add_zh(w, CORRECTION_WEIGHT, units)
                        for syn in v.synonyms.get(w, ()):
                            add_zh(syn, CORRECTION_WEIGHT * SYNONYM_WEIGHT, units, original=False)
            concept = next(concepts)
            for tok in en(run):
                add_en(tok.text, CONTEXT_WEIGHT if context else 1.0, units, context=context)
            for word in re.findall(r"[a-z]{4,}", run):
                for syn in v.synonyms.get(word, ()):
                    for tok in en(syn):
                        if tok.text not in en_stems:
                            add_en(tok.text, SYNONYM_WEIGHT, units, original=False, context=context)
            concept = 0

        # 4. English spelling: an unknown English word (not pinyin, not recognised) may be corrected after the
        # first pass (see search); its American or British spelling is the same word, searched now
        if not readings:
            for (run, units), stem_ in zip(latin, stems_seq, strict=True):
                if stem_ in v.en_recognised or run in stop:
                    continue
                for word in re.findall(r"[a-z]{4,}", run):
                    if not self._is_english_unknown(word):
                        continue
                    variants = [w for w in _spelling_variants(word) if self._in_english_lexicon(w)]
                    for tok in en(variants[0]) if variants else ():
                        add_en(tok.text, 1.0, units)  # motorized is motorised
                    if not variants:
                        en_unknown.append((word, units))

        # A Chinese correction is a candidate only where the words as written find nothing: a span whose every
        # meaningful character a literal match stands for (有补 of 有补贴) is not a typo. A resident's typo kept as a
        # synonym (护里补贴) does not count as finding it: that is what the correction is for.
        findable = 0
        for (group, term), (_b, units, _c, _a, _k, literal) in entries.items():
            if (literal and group not in LOOSE_GROUPS and units and term not in v.untrusted
                    and self._fast.df(group, term)):
                findable |= units
        for typo, fixed, units in zh_fixes:
            if not units & meaningful & ~findable:
                continue
            concept = next(concepts)
            fixes.append((typo, fixed))
            add_zh(fixed, CORRECTION_WEIGHT, units, into=fix_entries)
            for syn in v.synonyms.get(fixed, ()):
                add_zh(syn, CORRECTION_WEIGHT * SYNONYM_WEIGHT, units, original=False, into=fix_entries)

        # Too common words are not scored when others remain (they barely rank, and on a large corpus their
        # long posting lists cost more than they help), but a result must still stand for them. Context words
        # are counted only when nothing else is.
        own_units &= meaningful
        common_units &= meaningful
        use_common = not own_units and not required
        counted = own_units | required_units | common_units
        if not counted:
            counted = context_units  # only context words (我妈能领什么钱): match those

        def clauses(table: dict[tuple[str, str], list[Any]]) -> list[_Clause]:
            return [_Clause(group, term, boost if use_common or not common else 0.0, units, anchor=anchor,
                            need=group == "need", loose=group in LOOSE_GROUPS, concept=concept_, literal=literal)
                    for (group, term), (boost, units, common, anchor, concept_, literal) in table.items()]

        fix_clauses = clauses(fix_entries)
        return _Plan(clauses=clauses(entries), required=required, required_units=required_units, counted=counted,
                     zh_terms={t for t in zh_terms if t not in stop}, en_stems=en_stems,
                     readings=readings, fixes=fixes, fix_clauses=fix_clauses, names=names, query=q,
                     fixes_zh=bool(fixes), en_unknown=[] if fixes else en_unknown, en_scale=en_scale)

    def _is_common(self, group: str, term: str) -> bool:
        """In so many documents that it barely ranks: dropped when the query has other words. Zh and en words
        count documents by their body field, bigrams by theirs."""
        n = self._doc_count
        if n < 20:
            return False
        df = self._fast.df(group, term) if group == "gram" else self._fast.df_widest(group, term)
        ratio = COMMON_DF_RATIO if n < LARGE_CORPUS_DOCS else LARGE_CORPUS_DF_RATIO
        return df > ratio * n

    def _spelling(self) -> Any:
        if self._corrector is None:
            self._corrector = self._searcher.corrector("spell_en")
        return self._corrector

    def _in_english_lexicon(self, word: str) -> bool:
        """A word of the English content (the corrector's vocabulary)."""
        if self._spell_words is None:
            self._spell_words = {
                w.decode("utf-8") if isinstance(w, bytes) else w for w in self._searcher.lexicon("spell_en")
            }
        return word in self._spell_words

    def _is_english_unknown(self, word: str) -> bool:
        if T.split_pinyin(word) or T.looks_like_initials(word):
            return False
        return not self._in_english_lexicon(word)

    def _docnum(self, policy_id: str) -> int | None:
        if policy_id not in self._docnums:
            self._docnums[policy_id] = self._searcher.document_number(id=policy_id)
        return self._docnums[policy_id]

    def _put_named_first(self, plan: _Plan, scores: dict[int, float]) -> dict[int, float]:
        """A query that is mostly a policy's name (its title, or a name in content/needs.yml such as 两项补贴)
        puts the named policies first, in the name's order."""
        total = plan.counted.bit_count()
        if not plan.names or not total:
            return scores
        named: list[str] = []
        for units, pids in plan.names:
            if (units & plan.counted).bit_count() > NAME_SHARE * total:
                named += [p for p in pids if p not in named]
        if not named:
            return scores
        out = dict(scores)
        top = max(out.values(), default=0.0)
        for rank, pid in enumerate(named):
            d = self._docnum(pid)
            if d is not None and (d in out or not plan.required):
                out[d] = top + len(named) - rank
        return out

    # --- search -------------------------------------------------------------------------------------------

    def search(self, q: str, lang: str = "zh", limit: int = 10, page: int = 1,
               categories: Sequence[str] = (), audiences: Sequence[str] = ()) -> SearchResponse:
        """Search the catalogue. Facet counts are over the query's results before the category and audience
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
        scores: dict[int, float] = {}
        fixed = False
        if plan.clauses or plan.required or plan.fix_clauses:
            scores, (whole, most) = self._score(plan, strong=bool(plan.fix_clauses or plan.en_unknown))
            # A correction is searched and offered only when it helps: the query as written has fewer than
            # SUGGEST_BELOW results that match all its words, and the corrected one has more (or, for Chinese,
            # whose common words are protected, matches more of the query in one result). English words are
            # looked up (slow) only when the query has fewer than SUGGEST_BELOW results at all.
            if plan.en_unknown and len(scores) < SUGGEST_BELOW:
                self._english_fixes(plan)
            if plan.fix_clauses and whole < SUGGEST_BELOW:
                fixed_scores, (fixed_whole, fixed_most) = self._score(plan, plan.fix_clauses, strong=True)
                if fixed_whole > whole or (plan.fixes_zh and fixed_most > most):
                    scores, fixed = fixed_scores, True
            scores = self._put_named_first(plan, scores)
        if not scores:
            return empty
        suggestion = _suggestion(plan, fixed)
        cat_filter, aud_filter = set(categories), set(audiences)
        cat_counts: Counter[str] = Counter()
        aud_counts: Counter[str] = Counter()
        # count documents per facet value combination (few), then spread to categories and audiences
        per_combination = Counter(map(self._facets.__getitem__, scores))
        wanted: set[str] = set()
        for combination, n in per_combination.items():
            cat, auds = self._facet_parts[combination]
            cat_counts[cat] += n
            for aud in auds:
                aud_counts[aud] += n
            if (not cat_filter or cat in cat_filter) and (not aud_filter or aud_filter.intersection(auds)):
                wanted.add(combination)
        if len(wanted) == len(per_combination):
            allowed = list(scores)
        else:
            facet_of = self._facets
            allowed = [d for d in scores if facet_of[d] in wanted]
        facets = {"category": dict(cat_counts.most_common()), "audience": dict(aud_counts.most_common())}
        # best first; equal scores in index order, as Whoosh ranked them
        top = heapq.nlargest(page * limit, allowed, key=lambda d: (scores[d], -d))[(page - 1) * limit :]
        results: list[SearchResult] = []
        for docnum in top:
            stored = self._searcher.stored_fields(docnum)
            title = stored.get("title_en" if lang == "en" else "title_zh") or stored.get("title_zh", "")
            summary = stored.get("summary_en" if lang == "en" else "summary_zh") or ""
            body = stored.get("body_en" if lang == "en" else "body_zh") or ""
            segs = _highlight(body, plan, lang)
            results.append(SearchResult(
                id=stored["id"], title=title, summary=summary, url=stored.get("url") or f"/policies/{stored['id']}",
                score=round(float(scores[docnum]), 4),
                highlights=["".join(s["text"] for s in seg) for seg in segs],
                highlight_segments=segs,
            ))
        return SearchResponse(query=query_text, total=len(allowed), results=results, suggestion=suggestion,
                              facets=facets, page=page, limit=limit, lang=lang)

    def _score(self, plan: _Plan, extra: Sequence[_Clause] = (),
               strong: bool = False) -> tuple[dict[int, float], tuple[int, int]]:
        """Score every document that matches a clause (BM25F sums from the fast index), keep those that cover more
        than ``MIN_COVERAGE`` of the plan's counted units, and grade each score by the share it covers (a long
        question ranks first the policies that answer most of it): docnum → score, and when ``strong`` how well
        the query's own words as written (not bigrams, prefixes or synonyms) match: (kept documents they match
        whole, the most units they match in one document)."""
        fast = self._fast
        acc: dict[int, float] = {}
        get = acc.get
        counted = plan.counted
        docs_by_units: dict[int, set[int]] = defaultdict(set)
        strong_by_units: dict[int, set[int]] = defaultdict(set)
        anchored: set[int] = set()
        answers: set[int] = set()  # the policies that answer a need the query describes
        best_by_concept: dict[int, dict[int, float]] = defaultdict(dict)
        # Rarest terms first; a long query (a pasted paragraph) stops reading postings at the budget, and the
        # units only its skipped (most frequent) terms stood for are not counted.
        spent, read_units = 0, 0
        replaced = {(c.group, c.term) for c in extra}  # a correction replaces the same term as a mere synonym
        chosen = [*(c for c in plan.clauses if (c.group, c.term) not in replaced), *extra]
        # Clauses that stand for no counted unit (a need's means words, context words) only add to the score of
        # documents kept for other reasons: scored after the floor, for the kept documents only.
        rank_only = [c for c in chosen if c.boost and c.group != "prefix" and not c.units & counted]
        if rank_only and len(rank_only) < len(chosen):
            deferred = set(rank_only)
            chosen = [c for c in chosen if c not in deferred]
        else:
            rank_only = []
        for cost, clause in sorted(((self._cost(c), c) for c in chosen), key=lambda x: x[0]):
            if spent + cost > POSTINGS_BUDGET and spent:
                break
            spent += cost
            read_units |= clause.units
            group, term, boost = clause.group, clause.term, clause.boost
            if group == "prefix":
                expansions = fast.terms_with_prefix("gram", term)
                if len(expansions) > 1:
                    docs: Any = fast.prefix_docs("gram", term)
                    for d in docs:
                        acc[d] = get(d, 0.0) + PREFIX_SCORE
                    units = clause.units & counted
                    if units:
                        docs_by_units[units].update(docs)
                    continue
                if not expansions:
                    continue
                group, term = "gram", expansions[0]
            ids, values = fast.postings(group, term)
            if not ids:
                continue
            if boost and clause.concept:  # a word or one of its synonyms: the best of them counts
                best = best_by_concept[clause.concept]
                bget = best.get
                for d, s in zip(ids, values, strict=True):
                    s *= boost
                    if s > bget(d, 0.0):
                        best[d] = s
            elif boost:  # else a common word: only its coverage counts
                for d, s in zip(ids, values, strict=True):
                    acc[d] = get(d, 0.0) + s * boost
            units = clause.units & counted
            if units:
                docs_by_units[units].update(ids)
                if strong and clause.literal and not clause.loose:
                    strong_by_units[units].update(ids)
                if clause.anchor:
                    anchored.update(ids)
                if clause.need:
                    answers.update(ids)
        for best in best_by_concept.values():
            for d, s in best.items():
                acc[d] = get(d, 0.0) + s
        counted &= read_units | plan.required_units
        base = 0
        pool: Any = acc
        if plan.required:
            required = self._required_scores(plan.required)
            acc = {d: s + get(d, 0.0) for d, s in required.items()}
            pool = required
            base = (plan.required_units & counted).bit_count()
        total = counted.bit_count()
        if not total:
            return acc, (0, 0)
        own = counted & ~plan.required_units
        covered = _coverage(own, docs_by_units)
        cget = covered.get
        need, need_anchored, need_answer = (MIN_COVERAGE * total, MIN_COVERAGE_ANCHORED * total,
                                            MIN_COVERAGE_NEED * total)
        # one pass over the candidates (thousands at 10,000 documents): without quoted text, only the documents
        # that cover something can pass the floor
        candidates = ((d, cget(d, 0) + base) for d in pool) if plan.required else covered.items()
        kept = {d: c for d, c in candidates
                if (c > need or (c >= need_anchored and d in anchored) or (c >= need_answer and d in answers))
                and d in pool}
        extra_scores = self._rank_only_scores(rank_only, kept) if rank_only and kept else {}
        xget = extra_scores.get
        if COVERAGE_POWER == 1:
            out = {d: (acc[d] + xget(d, 0.0)) * c / total for d, c in kept.items()}
        else:
            out = {d: (acc[d] + xget(d, 0.0)) * (c / total) ** COVERAGE_POWER for d, c in kept.items()}
        literal = (0, 0)
        if strong and out:
            strong_cover = _coverage(own, strong_by_units)
            covered_by = [strong_cover.get(d, 0) + base for d in out]
            literal = (sum(1 for c in covered_by if c >= total), max(covered_by))
        return out, literal

    def _english_fixes(self, plan: _Plan) -> None:
        """Whoosh's corrector for the plan's unknown English words (slow: only when the query finds little). A
        suggestion with the word's own stem is no correction (veteran / veterans search alike)."""
        for word, units in plan.en_unknown:
            maxdist = SPELLING_MAXDIST_SHORT if len(word) <= 5 else 2
            fixed = self._spelling().suggest(word, limit=1, maxdist=maxdist)
            if not fixed or fixed[0] == word or _stem(fixed[0]) == _stem(word):
                continue
            plan.fixes.append((word, fixed[0]))
            plan.fix_clauses += [_Clause("en", tok.text, CORRECTION_WEIGHT * plan.en_scale, units)
                                 for tok in _STEMMER(fixed[0]) if tok.text not in plan.en_stems]

    def _rank_only_scores(self, clauses: Sequence[_Clause], docs: dict[int, Any]) -> dict[int, float]:
        """The scores ``clauses`` add to ``docs`` (the best per concept): a short posting list is walked, a long
        one is searched for each document (both are sorted by document number)."""
        out: dict[int, float] = defaultdict(float)
        best_by_concept: dict[int, dict[int, float]] = defaultdict(dict)
        wanted = sorted(docs)
        for clause in clauses:
            ids, values = self._fast.postings(clause.group, clause.term)
            if not ids:
                continue
            if len(ids) <= RANK_ONLY_WALK * len(wanted):
                hits = [(d, s) for d, s in zip(ids, values, strict=True) if d in docs]
            else:
                hits = []
                n = len(ids)
                for d in wanted:
                    i = bisect.bisect_left(ids, d)
                    if i < n and ids[i] == d:
                        hits.append((d, values[i]))
            if clause.concept:
                best = best_by_concept[clause.concept]
                for d, s in hits:
                    if s * clause.boost > best.get(d, 0.0):
                        best[d] = s * clause.boost
            else:
                for d, s in hits:
                    out[d] += s * clause.boost
        for best in best_by_concept.values():
            for d, s in best.items():
                out[d] += s
        return out

    def _cost(self, clause: _Clause) -> int:
        """Postings a clause reads."""
        if clause.group == "prefix":
            expansions = self._fast.terms_with_prefix("gram", clause.term)
            if len(expansions) > 1:
                return len(self._fast.prefix_docs("gram", clause.term))
            return self._fast.df("gram", expansions[0]) if expansions else 0
        return self._fast.df(clause.group, clause.term)

    def _required_scores(self, required: list[Query | _Clause]) -> dict[int, float]:
        """Documents matching every quoted text, with their score for it: a single word from the fast index,
        a phrase from Whoosh (its positions are in Whoosh's postings; quoted phrases are rare)."""
        words = [r for r in required if isinstance(r, _Clause)]
        phrases = [r for r in required if not isinstance(r, _Clause)]
        out: dict[int, float] | None = None
        for clause in words:
            ids, values = self._fast.postings(clause.group, clause.term)
            scores = {d: s * clause.boost for d, s in zip(ids, values, strict=True)}
            out = scores if out is None else {d: s + scores[d] for d, s in out.items() if d in scores}
        if phrases:
            query = phrases[0] if len(phrases) == 1 else And(phrases)
            hits = self._searcher.search(query, limit=None) if out is None or out else []
            scores = {hit.docnum: float(hit.score or 0.0) for hit in hits}
            out = scores if out is None else {d: s + scores[d] for d, s in out.items() if d in scores}
        return out or {}


def _suggestion(plan: _Plan, fixed: bool) -> str | None:
    """The query with its pinyin read as Chinese and, when they were searched, its corrections; never a text
    that mixes Chinese and latin letters (``my son has autism`` is not ``免予 son has autism``)."""
    parts = [*plan.readings, *(plan.fixes if fixed else ())]
    if not parts:
        return None
    text = plan.query
    for original, replacement in parts:
        text = text.replace(original, replacement, 1)
    if text == plan.query or (T.CJK_RUN.search(text) and re.search(r"[a-z]", text)):
        return None
    return text


_VARIANTS = (("ize", "ise"), ("yze", "yse"), ("iza", "isa"), ("our", "or"), ("ogue", "og"), ("tre", "ter"),
             ("ll", "l"))


def _spelling_variants(word: str) -> list[str]:
    """The other American or British spellings of a word (motorized → motorised, color → colour)."""
    out = []
    for x, y in _VARIANTS:
        for one, other in ((x, y), (y, x)):
            i = word.find(one)
            while i != -1:
                out.append(word[:i] + other + word[i + len(one):])
                i = word.find(one, i + 1)
    return out


def _find_all(text: str, term: str) -> Iterator[int]:
    i = text.find(term)
    while i != -1:
        yield i
        i = text.find(term, i + 1)


def _span_of(items: Sequence[tuple[str, int]]) -> int:
    units = 0
    for _, u in items:
        units |= u
    return units


def _span(start: int, end: int) -> int:
    """Bit mask of units ``start`` … ``end - 1``."""
    return ((1 << (end - start)) - 1) << start


def _occurrences(run: str, term: str, base: int) -> int:
    units = 0
    i = run.find(term)
    while i != -1:
        units |= _span(base + i, base + i + len(term))
        i = run.find(term, i + 1)
    return units


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _coverage(units: int, docs_by_units: dict[int, set[int]]) -> Counter[int]:
    """docnum → how many of ``units`` the document's matched clauses stand for. Units covered by the same
    clauses are counted together, with set unions and ``Counter.update`` (both in C)."""
    masks = list(docs_by_units)
    weights: Counter[tuple[int, ...]] = Counter()
    for bit in _bits(units):
        key = tuple(i for i, m in enumerate(masks) if m >> bit & 1)
        if key:
            weights[key] += 1
    covered: Counter[int] = Counter()
    for key, weight in weights.items():
        docs = docs_by_units[masks[key[0]]] if len(key) == 1 else set().union(*(docs_by_units[masks[i]] for i in key))
        if weight <= 3:  # counting an iterable runs in C; a mapping of weights is a Python loop, cheaper beyond 3
            for _ in range(weight):
                covered.update(docs)
        else:
            covered.update(dict.fromkeys(docs, weight))
    return covered


def _field_group(fields: dict[str, float], word: str, scale: float) -> Query:
    return Or([Term(f, word, boost=b * scale) for f, b in fields.items()])


def _open_fast(generation: Path) -> FastIndex:
    """The generation's precomputed scores; an index built before they existed gets them now (once)."""
    try:
        return FastIndex(generation)
    except FileNotFoundError:
        write_fast_index(generation)
        return FastIndex(generation)


# --- highlights ---------------------------------------------------------------------------------------------

_EN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def _match_spans(sentence: str, zh_terms: list[str], en_stems: set[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    low = sentence.lower()
    for term in zh_terms:
        start = low.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = low.find(term, start + len(term))
    if en_stems:
        for m in _EN_WORD.finditer(low):
            if _stem(m.group(0)) in en_stems:
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
    zh_terms = sorted((t for t in plan.zh_terms if t and (len(t) > 1 or T.IS_CJK.match(t))), key=len, reverse=True)
    scored = []
    for index, sentence in enumerate(T.sentences(body)):
        spans = _match_spans(sentence, zh_terms, plan.en_stems)
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
