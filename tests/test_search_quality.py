"""Search quality: ≥ 95 % of each question set must have the expected policy in the top 3.

Two sets: ``tests/search_quality.yml`` (keywords as residents type them, and whole questions: the tuning set)
and ``tests/search_questions_heldout.yml`` (whole questions written before the question work was tuned and
never tuned against: it tells whether the tuning generalises). Top-1 and top-3 are printed for both."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from portal.content import load_catalogue
from portal.search import SearchEngine, build_index
from portal.search import text as T

ROOT = Path(__file__).resolve().parents[1]
QUALITY = ROOT / "tests" / "search_quality.yml"
HELD_OUT = ROOT / "tests" / "search_questions_heldout.yml"
SETS = {"tuning": QUALITY, "held-out": HELD_OUT}
TARGET = 0.95


def load_quality_set(path: Path = QUALITY) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    index_dir = tmp_path_factory.mktemp("quality") / "index"
    build_index(load_catalogue(ROOT / "content"), index_dir)
    return SearchEngine(index_dir)


def test_quality_set_is_well_formed() -> None:
    queries = load_quality_set()
    catalogue = load_catalogue(ROOT / "content")
    assert len(queries) >= 90
    unknown = [q for q in queries if not catalogue.policy(q["expect"])]
    assert unknown == []
    kinds = Counter(q["kind"] for q in queries)
    for kind in ("colloquial", "dialect", "pinyin", "initials", "typo", "english", "mixed", "question"):
        assert kinds[kind] >= 2, kinds


def test_held_out_set_is_whole_questions_kept_apart_from_tuning() -> None:
    held_out = load_quality_set(HELD_OUT)
    catalogue = load_catalogue(ROOT / "content")
    assert len(held_out) >= 120
    assert [q for q in held_out if not catalogue.policy(q["expect"])] == []
    kinds = Counter(q["kind"] for q in held_out)
    assert set(kinds) <= {"question", "dialect", "elderly", "english", "mixed"}, kinds
    assert kinds["dialect"] >= 20 and kinds["english"] >= 20 and kinds["elderly"] >= 5, kinds
    assert all(q.get("lang") == "en" for q in held_out if q["kind"] == "english")
    # whole sentences, not keywords: Chinese questions of 6+ characters, English of 4+ words
    short = [q["q"] for q in held_out
             if (len(T.normalize(q["q"]).split()) < 4 if q["kind"] == "english" else len(q["q"]) < 6)]
    assert short == []
    # nothing held out is in the tuning set or in content/needs.yml (which is tuned)
    tuning = {T.normalize(q["q"]) for q in load_quality_set()}
    assert [q["q"] for q in held_out if T.normalize(q["q"]) in tuning] == []
    needs_text = T.normalize((ROOT / "content" / "needs.yml").read_text(encoding="utf-8"))
    assert [q["q"] for q in held_out if T.normalize(q["q"]) in needs_text] == []
    # every policy is asked about
    assert {q["expect"] for q in held_out} == {p.id for p in catalogue.policies}


@pytest.mark.parametrize("name", list(SETS))
def test_top3_recall(engine: SearchEngine, name: str) -> None:
    queries = load_quality_set(SETS[name])
    failures = []
    top1 = 0
    by_kind: Counter[str] = Counter()
    hits_by_kind: Counter[str] = Counter()
    for item in queries:
        response = engine.search(item["q"], lang=item.get("lang", "zh"), limit=3)
        got = [r.id for r in response.results]
        by_kind[item["kind"]] += 1
        top1 += got[:1] == [item["expect"]]
        if item["expect"] in got:
            hits_by_kind[item["kind"]] += 1
        else:
            failures.append(f"  [{item['kind']}] {item['q']!r}: expected {item['expect']}, got {got}")
    recall = 1 - len(failures) / len(queries)
    print(f"\nsearch quality ({name}, {SETS[name].name}): top-1 {top1}/{len(queries)} = {top1 / len(queries):.1%}, "
          f"top-3 {len(queries) - len(failures)}/{len(queries)} = {recall:.1%}")
    print("  by kind: " + ", ".join(f"{k} {hits_by_kind[k]}/{n}" for k, n in sorted(by_kind.items())))
    print("\n".join(failures) if failures else "  no failures")
    assert recall >= TARGET, "\n".join(failures)


def test_no_quality_query_is_taken_for_off_topic(engine: SearchEngine) -> None:
    """The relevance floor (a result must match most of the query) must not empty a resident's real question.
    (Tuning set only: the held-out set is measured, by test_top3_recall, not tuned.)"""
    empty = [item["q"] for item in load_quality_set()
             if engine.search(item["q"], lang=item.get("lang", "zh")).total == 0]
    assert empty == []


@pytest.mark.parametrize("name", list(SETS))
def test_no_suggestion_mixes_scripts(engine: SearchEngine, name: str) -> None:
    mixed = []
    for item in load_quality_set(SETS[name]):
        suggestion = engine.search(item["q"], lang=item.get("lang", "zh")).suggestion
        if suggestion and T.CJK_RUN.search(suggestion) and any("a" <= c <= "z" for c in suggestion):
            mixed.append((item["q"], suggestion))
    assert mixed == []
