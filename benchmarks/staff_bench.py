"""The back office at scale: queue page and case page times with many applications in the database.

    .venv/bin/python benchmarks/staff_bench.py [--applications 10000] [--requests 40]

Files the applications through the domain service (as the API does), spread over every town and every online
benefit, then times ``GET /staff`` (the queue, first page) for a town clerk and for a department reviewer, and
``GET /staff/applications/<ref>`` (a case, audited view) — p50 and p95 over ``--requests`` each, in process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from itertools import cycle
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.db import upgrade_to_head
from tests.support import people, staff


def answers(town: str, i: int) -> dict:
    pid = people.id_number(f"19{50 + i % 40:02d}0314", sequence=f"{i % 1000:03d}")
    return {
        "who": "self",
        "applicant": {
            "name": "测试",
            "id_number": pid,
            "phone": "13800001234",
            "town": town,
            "village": "某村",
            "address": "1号",
            "certificate_number": people.certificate_number(pid),
            "bank_name": "银行",
            "bank_account": "622848001234567890",
        },
        "facts": {"hukou": "dazu", "certificate": True, "category": "physical", "grade": 1, "long_term_care": True},
        "consent": {"obtained_by": "benchmark"},
    }


def timed(client, path: str, n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/staff.sqlite3"
        upgrade_to_head(url)
        app = create_app(
            {
                "INSTANCE_PATH": tmp,
                "DATABASE_URL": url,
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
                "SEARCH_INDEX_DIR": PROJECT_ROOT / "instance" / "search-index",
            }
        )
        started = time.perf_counter()
        with app.app_context():
            from portal.web.applications import applications

            service = applications()
            towns = cycle(t.id for t in app.extensions["catalogue"].towns)
            benefits = cycle(sorted(app.extensions["catalogue"].forms))
            reference = None
            for i in range(args.applications):
                benefit, town = next(benefits), next(towns)
                application, _code = service.file_complete(
                    benefit, answers(town, i), "zh", "bench", "api", None, commit=(i % 200 == 199)
                )
                if benefit == "nursing-subsidy" and town == "longgang":
                    reference = application.reference
            service.session.commit()
        print(
            f"filed {args.applications} applications across {len(app.extensions['catalogue'].towns)} towns "
            f"in {time.perf_counter() - started:.1f} s"
        )
        results = []
        for username, role, scope in (
            ("bench.clerk", "town_clerk", "longgang"),
            ("bench.reviewer", "reviewer", "civil-affairs"),
        ):
            secret = staff.add(app, username, role, scope=scope)
            client = app.test_client()
            assert staff.sign_in(app, client, username, secret).status_code == 302
            results.append((f"queue, {role} ({scope})", *timed(client, "/staff", args.requests)))
            results.append(
                (f"queue filtered by status, {role}", *timed(client, "/staff?status=submitted&page=2", args.requests))
            )
            results.append((f"case page, {role}", *timed(client, f"/staff/applications/{reference}", args.requests)))
        print(f"{'page':<48}{'p50 ms':>10}{'p95 ms':>10}")
        for name, p50, p95 in results:
            print(f"{name:<48}{p50:>10.1f}{p95:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
