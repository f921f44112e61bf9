"""Whoosh analyzers: jieba words (positions = word index, so phrase queries work), CJK bigrams, pinyin.

These classes are pickled into the index's schema; they hold no state, and reach the process-wide jieba
tokenizer through :mod:`portal.search.text`.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer, Token, Tokenizer

from . import text as T


class JiebaTokenizer(Tokenizer):
    """jieba precise-mode words; words of 3+ characters also yield their dictionary sub-words at the same
    position (残疾人保障法 → 残疾人@0 残疾@0 保障法@1 保障@1) so that a shorter query word still matches while
    the phrase 残疾人保障法 stays exact."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JiebaTokenizer)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        subwords = mode != "query"
        for m in T.TOKEN_RUN.finditer(T.normalize(value)):
            run = m.group(0)
            words = T._cut_run(run) if T.IS_CJK.match(run) else (run,)
            for word in words:
                for w in (word, *(T.sub_words(word) if subwords else ())):
                    t.text = w
                    t.boost = 1.0
                    t.stopped = False
                    if keeporiginal:
                        t.original = w
                    if positions:
                        t.pos = pos
                    if chars:  # offsets in the normalised text (the portal highlights on its own)
                        t.startchar = start_char + m.start()
                        t.endchar = start_char + m.end()
                    yield t
                pos += 1


class BigramTokenizer(Tokenizer):
    """CJK character bigrams; latin words whole. Catches what jieba segments differently."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BigramTokenizer)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, gram in enumerate(T.bigrams(value)):
            t.text = gram
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = gram
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar = t.endchar = start_char
            yield t


class PinyinTokenizer(Tokenizer):
    """Pinyin of each line's words: each jieba word and the whole line (a title, a keyword) as one token.

    ``initials=False``: 护理补贴 → ``huli``, ``butie``, ``hulibutie``; ``initials=True``: ``hl``, ``bt``,
    ``hlbt``. The field's source text is one term per line."""

    def __init__(self, initials: bool = False):
        self.initials = initials

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PinyinTokenizer) and other.initials == self.initials

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.initials))

    def _convert(self, word: str) -> str:
        return T.initials(word) if self.initials else T.full_pinyin(word)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for line in value.splitlines():
            cjk = "".join(T.CJK_RUN.findall(T.normalize(line)))
            if not cjk:
                continue
            items = [self._convert(w) for w in T.cut(cjk) if T.IS_CJK.match(w)]
            whole = self._convert(cjk)
            for item in [*items, whole] if len(items) > 1 else [whole]:
                if not item:
                    continue
                t.text = item
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = item
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = t.endchar = start_char
                yield t
                pos += 1


def jieba_analyzer():
    return JiebaTokenizer() | LowercaseFilter()


def bigram_analyzer():
    return BigramTokenizer() | LowercaseFilter()


def pinyin_analyzer(initials: bool = False):
    return PinyinTokenizer(initials=initials)


def english_analyzer():
    """Porter stemming, English stop words removed (whoosh's StemmingAnalyzer)."""
    return StemmingAnalyzer(minsize=1)


def spelling_analyzer():
    """Unstemmed lower-case English words of 3+ letters: the vocabulary for the English corrector."""
    return RegexTokenizer(r"[A-Za-z]{3,}") | LowercaseFilter()
