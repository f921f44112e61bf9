"""Petitions: routing accuracy on the test set, p95 of filing through the API (in-process test client, fresh
SQLite), and the escalation job's run time over N open petitions.

    .venv/bin/python benchmarks/petition_bench.py --filings 200 --open 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.content import load_catalogue
from portal.db import make_engine, upgrade_to_head
from portal.db.models import Petition
from portal.petitions import escalation
from portal.petitions.routing import route

CN = dt.timezone(dt.timedelta(hours=8))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=200)
    parser.add_argument("--open", type=int, default=10_000)
    args = parser.parse_args()
    catalogue = load_catalogue(PROJECT_ROOT / "content")
    cases = yaml.safe_load((PROJECT_ROOT / "tests" / "petition_routing.yml").read_text(encoding="utf-8"))["cases"]
    right = sum(route(c["text"], catalogue).department == c["expect"] for c in cases)
    print(f"routing accuracy: {right}/{len(cases)} = {right / len(cases):.1%}")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade_to_head(url)
        app = create_app({"INSTANCE_PATH": Path(tmp), "DATABASE_URL": url, "SECRET_KEY": "bench",
                          "PORTAL_SERVICE_TOKEN": "bench", "RATELIMIT_ENABLED": False})  # fmt: skip
        client = app.test_client()
        texts = [c["text"] for c in cases]
        times = []
        for i in range(args.filings):
            body = {"channel": "phone", "kind": "complaint", "what": texts[i % len(texts)], "contact": None}
            start = time.perf_counter()
            response = client.post("/api/v1/petitions", json=body, headers={"Authorization": "Bearer bench"})
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 201, response.get_json()
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"filing through the API: n={len(times)} p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
        engine = make_engine(url)
        from sqlalchemy.orm import Session

        with Session(engine) as session:
            template = session.query(Petition).first()
            base = dt.date(2026, 9, 1)
            session.bulk_insert_mappings(Petition, [  # type: ignore[arg-type]
                {"reference": f"B{i:08d}"[:12], "kind": "complaint", "channel": "phone", "lang": "zh",
                 "status": "received" if i % 2 else "accepted", "department": template.department,
                 "task": template.task, "routing": template.routing, "anonymous": True,
                 "access_code_hash": template.access_code_hash, "sealed": template.sealed,
                 "received_at": template.received_at, "acknowledge_by": (base + dt.timedelta(days=i % 40)).isoformat(),
                 "resolve_by": (base + dt.timedelta(days=i % 90)).isoformat(), "provisional": False,
                 "extension_days": 0, "version": 1, "updated_at": template.updated_at}
                for i in range(args.open)
            ])  # fmt: skip
            session.commit()
            start = time.perf_counter()
            summary = escalation.run(session, dt.datetime(2026, 10, 1, 9, tzinfo=CN))
            first = time.perf_counter() - start
            start = time.perf_counter()
            escalation.run(session, dt.datetime(2026, 10, 1, 10, tzinfo=CN))
            second = time.perf_counter() - start
        print(f"escalation over {summary.checked} open petitions: first run {first:.2f} s "
              f"({summary.reminders} reminders, {summary.escalations} escalations), repeat run {second:.2f} s")


if __name__ == "__main__":
    main()
