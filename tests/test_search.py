"""portal.search: query features on the real content, and engine mechanics on small made-up catalogues."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from portal.content import load_catalogue
from portal.content.loader import load_categories, load_departments, policy_from_front_matter
from portal.content.models import Catalogue
from portal.search import MAX_QUERY_CHARS, SearchEngine, build_index

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    index_dir = tmp_path_factory.mktemp("search") / "index"
    build_index(load_catalogue(CONTENT), index_dir)
    return SearchEngine(index_dir)


def _ids(engine: SearchEngine, q: str, lang: str = "zh", limit: int = 3) -> list[str]:
    return [r.id for r in engine.search(q, lang=lang, limit=limit).results]


def _policy(
    pid: str,
    zh_body: str,
    en_body: str = "Nothing.",
    category: str = "social-security",
    audience: tuple[str, ...] = ("working-age",),
    title: str | None = None,
):
    meta = {
        "id": pid,
        "title": {"zh": title or f"测试政策{pid}", "en": f"Test policy {pid}"},
        "summary": {"zh": "摘要", "en": "Summary"},
        "category": category,
        "audience": list(audience),
        "lead_department": "dpf",
        "keywords": {"zh": [], "en": []},
        "synonyms": [],
    }
    return policy_from_front_matter(meta, zh_body, en_body, None)


def _catalogue(policies, synonyms=()) -> Catalogue:
    return Catalogue(
        content_dir=CONTENT,
        policies=list(policies),
        categories=load_categories(CONTENT),
        departments=load_departments(CONTENT),
        indicators=[],
        tasks=[],
        parameters=[],
        synonyms=[tuple(g) for g in synonyms],
    )


# --- features on the real content --------------------------------------------------------------------------


def test_phrase_query_needs_the_words_in_order(engine: SearchEngine) -> None:
    quoted = engine.search('"残疾人保障法"', limit=50)
    assert quoted.total >= 1
    for r in quoted.results:
        assert any("残疾人保障法" in h for h in r.highlights), r.id
    # the same words in another order match loosely, but not as a phrase
    assert engine.search("保障法残疾人").total > 0
    assert engine.search('"保障法残疾人"').total == 0


def test_pinyin_full_and_initials(engine: SearchEngine) -> None:
    full = engine.search("hulibutie")
    assert full.results[0].id == "nursing-subsidy"
    assert full.suggestion == "护理补贴"
    assert "nursing-subsidy" in _ids(engine, "hlbt")
    assert "disability-certificate" in _ids(engine, "canjirenzheng")


@pytest.mark.parametrize(
    ("typo", "fixed", "policy"),
    [("护里补贴", "护理补贴", "nursing-subsidy"), ("残急人证", "残疾人证", "disability-certificate")],
)
def test_chinese_spelling_suggestion(engine: SearchEngine, typo: str, fixed: str, policy: str) -> None:
    response = engine.search(typo)
    assert response.suggestion == fixed
    assert response.results[0].id == policy
    assert engine.search(fixed).suggestion is None  # a correctly written query gets no suggestion


def test_english_suggestion(engine: SearchEngine) -> None:
    response = engine.search("wheelchiar", lang="en")
    assert response.suggestion == "wheelchair"
    assert "assistive-devices" in [r.id for r in response.results]


def test_facets_and_filters(engine: SearchEngine) -> None:
    everything = engine.search("补贴", limit=50)
    assert everything.total > 5
    assert sum(everything.facets["category"].values()) == everything.total
    assert everything.facets["audience"]
    employment = engine.search("补贴", categories=["employment"], limit=50)
    assert employment.total == everything.facets["category"]["employment"]
    assert {r.id for r in employment.results} <= {p.id for p in load_catalogue(CONTENT).policies_in("employment")}
    assert employment.facets == everything.facets  # facets count before the filters
    children = engine.search("补贴", audiences=["children"], limit=50)
    assert children.total == everything.facets["audience"]["children"]


def test_paging(engine: SearchEngine) -> None:
    first = engine.search("残疾人", limit=5, page=1)
    second = engine.search("残疾人", limit=5, page=2)
    assert len(first.results) == 5 and len(second.results) == 5
    assert not {r.id for r in first.results} & {r.id for r in second.results}
    assert first.total == second.total


@pytest.mark.parametrize("q", ["", "   ", "\n\t", "？？！", "的了吗"])
def test_empty_queries_give_no_results(engine: SearchEngine, q: str) -> None:
    response = engine.search(q)
    assert response.total == 0 and response.results == [] and response.suggestion is None


def test_long_query_is_capped(engine: SearchEngine) -> None:
    response = engine.search("护理补贴" * 100)
    assert len(response.query) == MAX_QUERY_CHARS
    assert response.results[0].id == "nursing-subsidy"


def test_response_json_matches_the_api_contract(engine: SearchEngine) -> None:
    d = engine.search("纸尿裤").to_dict()
    assert set(d) == {"query", "total", "results", "suggestion"}
    assert set(d["results"][0]) == {"id", "title", "summary", "url", "score", "highlights"}
    assert d["results"][0]["url"] == f"/policies/{d['results'][0]['id']}"
    extended = engine.search("纸尿裤").to_dict(extended=True)
    assert {"facets", "page", "limit"} <= set(extended)


def test_highlights_are_sentences_with_marked_terms(engine: SearchEngine) -> None:
    r = engine.search("纸尿裤").results[0]
    assert r.highlights
    for text, segments in zip(r.highlights, r.highlight_segments, strict=True):
        assert "".join(s["text"] for s in segments) == text
        assert any(s["match"] and "纸尿裤" in s["text"] for s in segments)
        assert sum(text.count(c) for c in "。！？") <= 1  # one sentence each
    en = engine.search("wheelchair", lang="en").results[0]
    assert any(s["match"] and s["text"].lower().startswith("wheelchair") for seg in en.highlight_segments for s in seg)


@pytest.mark.parametrize(
    ("q", "lang"),
    [("xyzzy", "zh"), ("天气预报", "zh"), ("明天天气怎么样", "zh"), ("天气预报明天", "zh"), ("火车票怎么买", "zh"),
     ("how to bake bread", "en"), ("how to bake bread", "zh")],
)
def test_off_topic_queries_find_nothing(engine: SearchEngine, q: str, lang: str) -> None:
    # 天气预报明天 used to find precision-rehab on 明天 (孤儿医疗康复明天计划) alone; xyzzy read as initials
    response = engine.search(q, lang=lang)
    assert response.total == 0 and response.results == []
    assert response.facets == {"category": {}, "audience": {}}
    assert response.suggestion is None  # its terms were searched too: it would find nothing either


def test_relevance_floor_keeps_partial_colloquial_matches(engine: SearchEngine) -> None:
    # the content says neither 中风 nor 偏瘫, but 康复训练 (a domain term) is most of what the resident needs
    assert "precision-rehab" in _ids(engine, "成年人中风后偏瘫做康复训练")
    # one domain word among question words is enough
    assert _ids(engine, "屋头老汉瘫了有啥子补贴")


# --- mechanics on made-up catalogues ----------------------------------------------------------------------


def test_precomputed_scores_are_whoosh_bm25f(tmp_path: Path) -> None:
    """Each precomputed (group, term) score is what Whoosh's BM25F gives the same term in the group's fields."""
    from whoosh import index as windex
    from whoosh.query import Or, Term

    from portal.search.fast import GROUP_FIELDS, FastIndex

    policies = [
        _policy("a", "盲人按摩培训。盲人按摩机构。", title="盲人按摩"),
        _policy("b", "按摩服务和康复训练。", en_body="Massage services and rehabilitation training."),
        _policy("c", "康复训练，康复服务，社区康复。", title="社区康复", en_body="Community rehabilitation."),
    ]
    build_index(_catalogue(policies), tmp_path / "ix")
    generation = (tmp_path / "ix").resolve()
    fast = FastIndex(generation)
    with windex.open_dir(str(generation)).searcher() as searcher:
        for group, term in (("zh", "按摩"), ("zh", "康复"), ("en", "rehabilit"), ("gram", "康复")):
            query = Or([Term(f, term, boost=b) for f, b in GROUP_FIELDS[group].items()])
            expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
            ids, scores = fast.postings(group, term)
            assert expected and dict(zip(ids, scores, strict=True)).keys() == expected.keys(), (group, term)
            for docnum, score in zip(ids, scores, strict=True):
                assert score == pytest.approx(expected[docnum], rel=1e-6), (group, term, docnum)


def test_a_result_must_cover_most_of_the_query(tmp_path: Path) -> None:
    policies = [_policy("a", "盲人可以免费学习按摩技术。"), _policy("b", "孤儿医疗康复明天计划。")]
    build_index(_catalogue(policies), tmp_path / "ix")
    eng = SearchEngine(tmp_path / "ix")
    assert [r.id for r in eng.search("明天计划").results] == ["b"]
    assert eng.search("明天天气").total == 0  # half the query: not enough
    assert eng.search("明天天气预报").total == 0
    assert [r.id for r in eng.search("盲人学按摩").results] == ["a"]


def test_index_without_precomputed_scores_gets_them(tmp_path: Path) -> None:
    from portal.search.fast import FAST_LEXICON_FILE, FAST_POSTINGS_FILE

    build_index(_catalogue([_policy("a", "盲人按摩服务。")]), tmp_path / "ix")
    generation = (tmp_path / "ix").resolve()
    for name in (FAST_LEXICON_FILE, FAST_POSTINGS_FILE):
        (generation / name).unlink()  # as an index built before they existed
    assert [r.id for r in SearchEngine(tmp_path / "ix").search("盲人按摩").results] == ["a"]
    assert (generation / FAST_LEXICON_FILE).exists()



def test_synonym_expansion(tmp_path: Path) -> None:
    policies = [_policy("a", "孤独症儿童可以申请康复训练。"), _policy("b", "老年人可以参加体育锻炼。")]
    build_index(_catalogue(policies), tmp_path / "plain")
    assert SearchEngine(tmp_path / "plain").search("自闭症").total == 0
    build_index(_catalogue(policies, synonyms=[("孤独症", "自闭症")]), tmp_path / "syn")
    response = SearchEngine(tmp_path / "syn").search("自闭症")
    assert [r.id for r in response.results] == ["a"]


def test_english_stemming(tmp_path: Path) -> None:
    policies = [
        _policy("a", "甲", en_body="Families applying for allowances are helped."),
        _policy("b", "乙", en_body="Sports for everyone."),
    ]
    build_index(_catalogue(policies), tmp_path / "ix")
    eng = SearchEngine(tmp_path / "ix")
    for q in ("allowance", "applied", "family"):
        assert [r.id for r in eng.search(q, lang="en").results] == ["a"], q


def test_atomic_swap_keeps_an_open_reader_working(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index(_catalogue([_policy("old", "旧的盲人按摩服务。")]), index_dir)
    assert index_dir.is_symlink()
    eng = SearchEngine(index_dir)
    first_generation = index_dir.resolve()
    errors: list[BaseException] = []
    seen: list[set[str]] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.append({r.id for r in eng.search("盲人按摩").results})
            except BaseException as exc:
                errors.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(3):
            build_index(_catalogue([_policy(f"new{i}", "新的盲人按摩服务。")]), index_dir)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert seen and all(len(s) == 1 for s in seen)  # every search saw one whole generation
    assert index_dir.resolve() != first_generation
    assert [r.id for r in eng.search("盲人按摩").results] == ["new2"]  # the reader moved to the new index
    generations = [p for p in tmp_path.iterdir() if p.name.startswith("index.") and p.is_dir()]
    assert len(generations) == 2  # current and previous are kept, older ones removed


def test_reader_opened_before_a_swap_still_answers(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index(_catalogue([_policy("old", "旧的盲人按摩服务。")]), index_dir)
    eng = SearchEngine(index_dir)
    searcher = eng._searcher  # the generation this reader holds open
    build_index(_catalogue([_policy("new", "新的盲人按摩服务。")]), index_dir)
    assert searcher.doc_count() == 1 and searcher.document(id="old") is not None


def test_words_added_to_jieba_apply_to_text_cut_before() -> None:
    """The benchmark cut its generated corpus before the index added the domain words: the cached segmentation
    of the same text must not survive the new words."""
    from portal.search import text as T

    sample = "阿巴卡达拉布补贴申请"  # a made-up word: jieba splits it
    assert "阿巴卡达拉布" not in T.cut(sample)
    T.add_user_words(["阿巴卡达拉布"])
    assert "阿巴卡达拉布" in T.cut(sample)
