"""Text processing shared by the index and the query side: normalisation, jieba, pinyin, bigrams.

jieba keeps one process-wide tokenizer (``jieba.dt``-like, but our own instance) so that index time and
query time segment alike; :func:`init_jieba` adds the domain vocabulary to it once per process (the
portal calls it before gunicorn forks, so the workers share the loaded dictionary pages).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import jieba
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PINYIN_DICT

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_CHARS = 200

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
TOKEN_RUN = re.compile(f"[{_CJK}]+|[a-z0-9]+(?:[.'’][a-z0-9]+)*", re.IGNORECASE)
IS_CJK = re.compile(f"^[{_CJK}]+$")
SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_user_words: set[str] = set()

STOPWORDS_PATH = Path(__file__).with_name("stopwords_zh.txt")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, collapse whitespace."""
    text = unicodedata.normalize("NFKC", text or "")
    return " ".join(text.lower().split())


def tokenizer() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer (initialised lazily: loading the dictionary takes ~0.7 s)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tok = jieba.Tokenizer()
                tok.initialize()
                _tokenizer = tok
    return _tokenizer


def add_user_words(words: Iterable[str], freq: int | None = None) -> int:
    """Add domain words to the tokenizer (idempotent); returns how many were new."""
    tok = tokenizer()
    added = 0
    with _lock:
        for word in words:
            word = normalize(word).replace(" ", "")
            if len(word) < 2 or word in _user_words or not IS_CJK.match(word):
                continue
            # suggest_freq makes jieba keep the word whole even where its statistics would split it.
            tok.add_word(word, freq=freq if freq is not None else max(tok.suggest_freq(word, tune=False), 2000))
            _user_words.add(word)
            added += 1
        if added:
            _cut_run.cache_clear()  # segmentations cached before these words would split them
    return added


def load_user_dict(path: Path) -> int:
    """Load a jieba user dictionary written by :func:`write_user_dict` (``word freq`` per line)."""
    if not path.exists():
        return 0
    words = [line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return add_user_words(words)


def write_user_dict(words: Iterable[str], path: Path, freq: int = 2000) -> int:
    """Write a jieba user dictionary (also usable as Rasa JiebaTokenizer's ``dictionary_path``)."""
    unique = sorted({normalize(w).replace(" ", "") for w in words if w and IS_CJK.match(normalize(w).replace(" ", ""))})
    unique = [w for w in unique if len(w) >= 2]
    path.write_text("".join(f"{w} {freq}\n" for w in unique), encoding="utf-8")
    return len(unique)


def word_freq(word: str) -> int:
    """jieba's own dictionary frequency of ``word`` (0 when unknown or added by us): how common a word is in
    general Chinese."""
    if word in _user_words:
        return 0
    return tokenizer().FREQ.get(word, 0) or 0


@lru_cache(maxsize=4096)
def _cut_run(run: str) -> tuple[str, ...]:
    return tuple(w for w in tokenizer().cut(run, HMM=True) if w.strip())


def cut(text: str) -> list[str]:
    """Segment normalised text into words: jieba for Chinese runs, letters/digits runs kept whole."""
    out: list[str] = []
    for m in TOKEN_RUN.finditer(normalize(text)):
        run = m.group(0)
        if IS_CJK.match(run):
            out.extend(_cut_run(run))
        else:
            out.append(run)
    return out


def sub_words(word: str) -> list[str]:
    """Dictionary words inside a longer word (残疾人保障法 → 残疾, 残疾人, 保障, 保障法…) for recall."""
    if len(word) < 3 or not IS_CJK.match(word):
        return []
    freq = tokenizer().FREQ
    found = []
    for n in range(2, min(len(word), 7)):
        for i in range(len(word) - n + 1):
            part = word[i : i + n]
            if part != word and freq.get(part):
                found.append(part)
    return found


def bigrams(text: str) -> Iterator[str]:
    """CJK character bigrams (and single characters of one-character runs), latin words whole."""
    for m in TOKEN_RUN.finditer(normalize(text)):
        run = m.group(0)
        if IS_CJK.match(run):
            if len(run) == 1:
                yield run
            for i in range(len(run) - 1):
                yield run[i : i + 2]
        else:
            yield run


# --- pinyin ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def syllables(word: str) -> tuple[str, ...]:
    """Toneless pinyin syllables of a Chinese word (``护理`` → ``("hu", "li")``); non-CJK kept as is."""
    return tuple(lazy_pinyin(word, style=Style.NORMAL, errors="default", v_to_u=False))


def full_pinyin(word: str) -> str:
    return "".join(syllables(word))


def initials(word: str) -> str:
    """First letter of each syllable: 护理补贴 → hlbt (zh/ch/sh count as z/c/s, as people type them)."""
    return "".join(s[0] for s in syllables(word) if s)


_FUZZY = (("zh", "z"), ("ch", "c"), ("sh", "s"))


@lru_cache(maxsize=16384)
def fuzzy_syllable(s: str) -> str:
    """Fold distinctions that south-western Mandarin speakers (重庆话) do not make when typing pinyin:
    zh/z, ch/c, sh/s, n/l, f/h (before u), -ing/-in, -eng/-en."""
    for a, b in _FUZZY:
        if s.startswith(a):
            s = b + s[len(a) :]
            break
    if s.startswith("n"):
        s = "l" + s[1:]
    if s.startswith("fu"):
        s = "hu" + s[2:]
    if s.endswith("ing") or (s.endswith("eng") and s != "eng"):
        s = s[:-1]
    return s


def fuzzy_key(sylls: Iterable[str]) -> tuple[str, ...]:
    return tuple(fuzzy_syllable(s) for s in sylls)


@lru_cache(maxsize=1)
def syllable_set() -> frozenset[str]:
    """Every toneless pinyin syllable (from pypinyin's dictionary)."""
    out: set[str] = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            base = unicodedata.normalize("NFKD", reading)
            base = "".join(c for c in base if not unicodedata.combining(c)).replace("ü", "v")
            if base.isascii() and base.isalpha():
                out.add(base)
    out.discard("m")  # 呣 and similar: one-letter syllables break initials-vs-pinyin detection
    out.discard("n")
    out.discard("ng")
    out.discard("hm")
    out.discard("hng")
    return frozenset(out)


def split_pinyin(text: str, max_results: int = 8) -> list[tuple[str, ...]]:
    """All ways (up to ``max_results``, fewest syllables first) to read ``text`` as toneless pinyin."""
    sylls = syllable_set()
    n = len(text)
    results: list[tuple[str, ...]] = []
    # memo[i]: whether text[i:] can be split at all (prunes the search)
    can = [False] * (n + 1)
    can[n] = True
    for i in range(n - 1, -1, -1):
        can[i] = any(text[i:j] in sylls and can[j] for j in range(i + 1, min(n, i + 6) + 1))
    if not can[0]:
        return []

    def walk(i: int, acc: list[str]) -> None:
        if len(results) >= max_results * 4:
            return
        if i == n:
            results.append(tuple(acc))
            return
        for j in range(min(n, i + 6), i, -1):  # longest syllable first
            if can[j] and text[i:j] in sylls:
                acc.append(text[i:j])
                walk(j, acc)
                acc.pop()

    walk(0, [])
    results.sort(key=len)
    return results[:max_results]


INITIAL_LETTERS = set("bpmfdtnlgkhjqxzcsryw")


def looks_like_initials(text: str) -> bool:
    """``hlbt``: two or more letters, none a vowel, each can start a syllable."""
    return len(text) >= 2 and all(c in INITIAL_LETTERS for c in text)


# --- sentences and stopwords -----------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """Split on 。！？!?；; and line breaks, keeping the end punctuation with its sentence."""
    return [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Words that carry no search meaning in residents' questions (colloquial and 重庆话 particles)."""
    words = set()
    for line in STOPWORDS_PATH.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.update(w for w in line.split() if w)
    return frozenset(words)


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)|[*_`|]+", re.MULTILINE)


def markdown_to_text(md: str) -> str:
    """Plain text of a Markdown body for indexing and highlights (links keep their text)."""
    text = _MD_LINK.sub(r"\1", md or "")
    text = _MD_MARKUP.sub("", text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
