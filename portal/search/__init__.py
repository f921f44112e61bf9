"""Search over the catalogue (Whoosh + jieba + pypinyin; BM25F term scores precomputed per index generation,
see :mod:`portal.search.fast`). No Flask here.

``build_index(catalogue, index_dir)`` at deploy/set-up time; ``init_jieba(catalogue)`` once per process
before forking; ``SearchEngine(index_dir).search(q, lang=…)`` per request.
"""

from .engine import SearchEngine, SearchResponse, SearchResult
from .index import BuildStats, build_index, init_jieba, policy_document, user_words
from .text import MAX_QUERY_CHARS, write_user_dict

__all__ = [
    "MAX_QUERY_CHARS", "BuildStats", "SearchEngine", "SearchResponse", "SearchResult", "build_index",
    "init_jieba", "policy_document", "user_words", "write_user_dict",
]
