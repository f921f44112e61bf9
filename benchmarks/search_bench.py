"""Search benchmark: index build time, query latency and recall@3, Whoosh engine vs SQLite FTS5 (trigram).

    .venv/bin/python benchmarks/search_bench.py [--docs 10000] [--repeat 3]

Corpora: the real content (43 policies) and the real content plus N generated policy-like documents, made
deterministically (fixed seeds) from the real content's sentences and words. Queries: the tuning set
tests/search_quality.yml (keywords and whole questions) and the held-out whole questions
tests/search_questions_heldout.yml; r@1 / r@3 count a query when its expected policy is first / in the first
three results. Latency is per query, measured in this process after one warm-up pass, over ``--repeat``
passes of both sets; no response cache is involved. The machine's load average is printed before and after:
on a shared machine, latency figures are only comparable at a similar load.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal.content import load_catalogue  # noqa: E402
from portal.search import SearchEngine, build_index, policy_document  # noqa: E402
from portal.search import text as T  # noqa: E402

AUDIENCES = ("children", "students", "working-age", "older-people", "families", "employers")
QUERY_SETS = (("tuning", "tests/search_quality.yml"), ("held-out", "tests/search_questions_heldout.yml"))


def generated_documents(catalogue, n: int, seed: int = 20261129) -> list[dict]:
    """``n`` policy-like documents: real sentences reshuffled, some words swapped for other real words."""
    rng = random.Random(seed)
    docs = [policy_document(p) for p in catalogue.policies]
    zh_sentences = [s for d in docs for s in T.sentences(d["body_zh"]) if len(s) >= 8]
    en_sentences = [s for d in docs for s in T.sentences(d["body_en"]) if len(s) >= 20]
    words = [w for d in docs for w in T.cut(d["body_zh"]) if len(w) >= 2 and T.IS_CJK.match(w)]
    categories = sorted({p.category for p in catalogue.policies})
    out = []
    for i in range(n):
        body = []
        for sentence in rng.sample(zh_sentences, 10):
            parts = T.cut(sentence)
            for j in range(len(parts)):
                if T.IS_CJK.match(parts[j]) and rng.random() < 0.2:
                    parts[j] = rng.choice(words)
            body.append("".join(parts))
        title_words = [rng.choice(words) for _ in range(3)]
        out.append(
            {
                "id": f"gen-{i:05d}",
                "category": rng.choice(categories),
                "audience": ",".join(sorted(rng.sample(AUDIENCES, rng.randint(1, 3)))),
                "title_zh": "".join(title_words) + rng.choice(["服务", "补贴", "项目", "办法", "政策"]),
                "keywords_zh": "\n".join(rng.choice(words) for _ in range(3)),
                "summary_zh": body[0],
                "body_zh": "\n".join(body),
                "title_py": "".join(title_words),
                "title_en": " ".join(rng.choice(en_sentences).split()[:6]),
                "keywords_en": "",
                "summary_en": rng.choice(en_sentences),
                "body_en": "\n".join(rng.sample(en_sentences, 4)),
                "url": f"/policies/gen-{i:05d}",
            }
        )
    return out


# --- SQLite FTS5 with the trigram tokenizer ---------------------------------------------------------------


def fts_build(path: Path, docs: list[dict]) -> float:
    start = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, keywords, body, tokenize='trigram')")
    con.executemany(
        "INSERT INTO docs VALUES (?, ?, ?, ?)",
        [
            (
                d["id"],
                f"{d['title_zh']} {d.get('title_en', '')}",
                f"{d.get('keywords_zh', '')} {d.get('keywords_en', '')}",
                f"{d['summary_zh']}\n{d['body_zh']}\n{d.get('summary_en', '')}\n{d.get('body_en', '')}",
            )
            for d in docs
        ],
    )
    con.commit()
    con.close()
    return time.perf_counter() - start


def fts_match(q: str) -> str | None:
    """A fair FTS5-trigram query: jieba words of 3+ characters, 3-character windows of the meaningful
    Chinese text, and latin words of 3+ letters, OR-ed and ranked by bm25 (title and keywords weighted)."""
    stop = T.stopwords()
    terms: list[str] = []
    for run in T.CJK_RUN.findall(T.normalize(q)):
        meaningful = "".join(w for w in T.cut(run) if w not in stop)
        terms += [w for w in T.cut(run) if len(w) >= 3 and w not in stop]
        terms += [meaningful[i : i + 3] for i in range(len(meaningful) - 2)]
        if len(meaningful) in (1, 2):
            terms.append(meaningful)  # shorter than a trigram: matches nothing, kept for honesty
    terms += re.findall(r"[a-z0-9]{3,}", T.normalize(q))
    terms = [t for t in dict.fromkeys(terms) if len(t) >= 3]
    if not terms:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def fts_search(con: sqlite3.Connection, q: str, limit: int = 3) -> list[str]:
    match = fts_match(q)
    if match is None:
        return []
    rows = con.execute(
        "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0.0, 10.0, 5.0, 1.0) LIMIT ?", (match, limit)
    ).fetchall()
    return [r[0] for r in rows]


# --- measuring ------------------------------------------------------------------------------------------


def _p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def measure(search, sets: dict[str, list[dict]], repeat: int) -> dict:
    """Latency over all queries (p50, p95, max ms) and, per set, p95 ms and recall@1 / recall@3."""
    out: dict = {"sets": {}}
    for name, queries in sets.items():  # warm-up pass, and recall
        top1 = top3 = 0
        for item in queries:
            got = search(item["q"], item.get("lang", "zh"))
            top1 += got[:1] == [item["expect"]]
            top3 += item["expect"] in got
        out["sets"][name] = {"r1": top1 / len(queries), "r3": top3 / len(queries), "times": []}
    for _ in range(repeat):
        for name, queries in sets.items():
            for item in queries:
                t = time.perf_counter()
                search(item["q"], item.get("lang", "zh"))
                out["sets"][name]["times"].append((time.perf_counter() - t) * 1000)
    times = sorted(t for s in out["sets"].values() for t in s["times"])
    out.update(p50=statistics.median(times), p95=_p95(times), max=times[-1])
    for s in out["sets"].values():
        s["p95"] = _p95(s.pop("times"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sets = {name: yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))["queries"] for name, path in QUERY_SETS}
    catalogue = load_catalogue(ROOT / "content")
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        real_docs = [policy_document(p) for p in catalogue.policies]
        for label, extra in (("real", []), (f"real+{args.docs}", generated_documents(catalogue, args.docs))):
            n = len(catalogue.policies) + len(extra)
            stats = build_index(catalogue, tmpdir / f"ix-{label}" / "index", extra_documents=extra)
            engine = SearchEngine(tmpdir / f"ix-{label}" / "index")

            def whoosh_top3(q: str, lang: str, engine: SearchEngine = engine) -> list[str]:
                return [r.id for r in engine.search(q, lang=lang, limit=3).results]

            rows.append(("whoosh+jieba", label, n, stats.seconds, measure(whoosh_top3, sets, args.repeat)))
            db = tmpdir / f"fts-{label}.sqlite"
            seconds = fts_build(db, [*real_docs, *extra])
            con = sqlite3.connect(db)

            def fts_top3(q: str, lang: str, con: sqlite3.Connection = con) -> list[str]:
                return fts_search(con, q)

            rows.append(("sqlite fts5 trigram", label, n, seconds, measure(fts_top3, sets, args.repeat)))
            con.close()
            engine.close()
    load_after = os.getloadavg()
    counts = ", ".join(f"{name} {len(q)} ({path})" for (name, path), q in zip(QUERY_SETS, sets.values(), strict=True))
    print(
        f"\nqueries: {counts}; {args.repeat} timed passes; "
        f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs; "
        f"load average (1, 5, 15 min) before {_load(load_before)}, after {_load(load_after)}"
    )
    names = list(sets)
    header = (f"{'engine':<20} {'corpus':<12} {'docs':>6} {'build s':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
              + "".join(f" | {name + ' p95':>13} {'r@1':>6} {'r@3':>6}" for name in names))
    print(header)
    print("-" * len(header))
    for engine_name, label, n, build, m in rows:
        per_set = [m["sets"][name] for name in names]
        print(f"{engine_name:<20} {label:<12} {n:>6} {build:>8.2f} {m['p50']:>7.2f} {m['p95']:>7.2f} {m['max']:>7.2f}"
              + "".join(f" | {s['p95']:>13.2f} {s['r1']:>6.1%} {s['r3']:>6.1%}" for s in per_set))


def _load(avg: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in avg)


if __name__ == "__main__":
    main()
