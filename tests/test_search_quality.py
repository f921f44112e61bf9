"""Search quality: ≥ 95 % of tests/search_quality.yml must have the expected policy in the top 3."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from portal.content import load_catalogue
from portal.search import SearchEngine, build_index

ROOT = Path(__file__).resolve().parents[1]
QUALITY = ROOT / "tests" / "search_quality.yml"
TARGET = 0.95


def load_quality_set() -> list[dict]:
    return yaml.safe_load(QUALITY.read_text(encoding="utf-8"))["queries"]


def test_quality_set_is_well_formed() -> None:
    queries = load_quality_set()
    catalogue = load_catalogue(ROOT / "content")
    assert len(queries) >= 90
    unknown = [q for q in queries if not catalogue.policy(q["expect"])]
    assert unknown == []
    kinds = Counter(q["kind"] for q in queries)
    for kind in ("colloquial", "dialect", "pinyin", "initials", "typo", "english", "mixed"):
        assert kinds[kind] >= 2, kinds


def test_top3_recall(tmp_path: Path) -> None:
    build_index(load_catalogue(ROOT / "content"), tmp_path / "index")
    engine = SearchEngine(tmp_path / "index")
    queries = load_quality_set()
    failures = []
    by_kind: Counter[str] = Counter()
    hits_by_kind: Counter[str] = Counter()
    for item in queries:
        response = engine.search(item["q"], lang=item.get("lang", "zh"), limit=3)
        got = [r.id for r in response.results]
        by_kind[item["kind"]] += 1
        if item["expect"] in got:
            hits_by_kind[item["kind"]] += 1
        else:
            failures.append(f"  [{item['kind']}] {item['q']!r}: expected {item['expect']}, got {got}")
    recall = 1 - len(failures) / len(queries)
    print(f"\nsearch quality: {len(queries) - len(failures)}/{len(queries)} = {recall:.1%} in the top 3")
    print("  by kind: " + ", ".join(f"{k} {hits_by_kind[k]}/{n}" for k, n in sorted(by_kind.items())))
    print("\n".join(failures) if failures else "  no failures")
    assert recall >= TARGET, "\n".join(failures)


def test_no_quality_query_is_taken_for_off_topic(tmp_path: Path) -> None:
    """The relevance floor (a result must match most of the query) must not empty a resident's real question."""
    build_index(load_catalogue(ROOT / "content"), tmp_path / "index")
    engine = SearchEngine(tmp_path / "index")
    empty = [item["q"] for item in load_quality_set()
             if engine.search(item["q"], lang=item.get("lang", "zh")).total == 0]
    assert empty == []
