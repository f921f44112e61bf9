"""Capacity: a mixed resident and staff workload against the portal under gunicorn, at 10, 50 and 100 users.

    .venv/bin/python benchmarks/capacity.py [--users 10 50 100] [--seconds 25]

A benchmark, not a test. Each level runs Locust (headless, pinned in benchmarks/requirements.txt) for
``--seconds`` against one gunicorn started with the portal's own settings (gunicorn.conf.py) and prints req/s,
p50/p95/p99 and errors, as a Markdown table (README, "Capacity"). Workloads (benchmarks/capacity_locustfile.py):
residents (9 in 10) read the home page, search, read policies, go through the checker, chat with the assistant
down (the degraded answer), look up statuses and send applications with two 1 MB photos; town clerks (1 in 10)
read their queue and case pages. Simulated users wait 1–3 s (staff 2–5 s) between tasks.

The database and the rest come from the environment, as for the portal itself: ``DATABASE_URL`` (default: a fresh
SQLite file in a temporary instance folder, migrated here), ``RATELIMIT_STORAGE_URI`` and the like are passed on,
so the same command measures SQLite and PostgreSQL+Redis side by side. The assistant is pointed at a closed port
(``RASA_URL``) and every per-address limit raised (chat and the groups of ``portal/web/ratelimits.py``): every
simulated user shares 127.0.0.1. Locust runs on the same
machine and takes CPU from the portal, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: Read before the test helpers are imported: on the PostgreSQL+Redis stack (scripts/services.sh) they take
#: DATABASE_URL out of the environment, since tests make a database of their own from it.
DATABASE_URL = os.environ.get("DATABASE_URL")

from portal.config import PROJECT_ROOT  # noqa: E402
from tests.support.stack import free_port  # noqa: E402
from tests.support.staff import PASSWORD  # noqa: E402

MAKE_STAFF = """
import sys
from portal import create_app
from tests.support import staff
app = create_app()
for name in sys.argv[1:]:
    print(name + ":" + staff.add(app, name, "town_clerk", scope="longgang"))
"""


def make_staff(env: dict[str, str], levels: list[int]) -> dict[int, str]:
    """Town clerks for each level, all made in one process before the first level (a TOTP code signs an account in
    once per 30 s step, so no account serves two levels): level → ``name:secret,…``. Made with ``flask staff add``
    as a new user would be."""
    counts = {users: users // 10 + 2 for users in levels}  # staff are 1 in 10 users
    names = [f"bench.{users}.{i}" for users in levels for i in range(counts[users])]
    result = subprocess.run(
        [sys.executable, "-c", MAKE_STAFF, *names], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    made = result.stdout.split()
    return {users: ",".join(a for a in made if a.startswith(f"bench.{users}.")) for users in levels}


def run_level(env: dict[str, str], host: str, users: int, seconds: int, out: Path, staff: str) -> dict[str, str]:
    prefix = out / f"level{users}"
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "capacity_locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],
        cwd=ROOT,
        env={**env, "CAPACITY_STAFF": staff, "CAPACITY_STAFF_PASSWORD": PASSWORD},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        for failure in csv.DictReader(handle):
            print(
                f"  {users} users: {failure['Occurrences']} × {failure['Method']} {failure['Name']}: "
                f"{failure['Error'][:160]}",
                file=sys.stderr,
            )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return next(row for row in rows if row["Name"] == "Aggregated")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--seconds", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PORTAL_INSTANCE_PATH": os.environ.get("PORTAL_INSTANCE_PATH", tmp),
            "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(PROJECT_ROOT / "instance" / "search-index")),
            "RASA_URL": "http://127.0.0.1:9",
            "RASA_TIMEOUT": "1",
            "CHAT_LIMIT_PER_ADDRESS": "100000 per minute",
            "CHAT_LIMIT_PER_CONVERSATION": "1000 per minute",
        }
        from portal.web.ratelimits import GROUPS

        for name in GROUPS:  # every simulated user shares 127.0.0.1
            env["RATE_LIMIT_" + name.upper().replace("-", "_")] = "100000 per minute"
        env["DATABASE_URL"] = DATABASE_URL or f"sqlite:///{tmp}/capacity.sqlite3"
        from portal.db import upgrade_to_head

        upgrade_to_head(env["DATABASE_URL"])
        port = free_port()
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                "portal:create_app()",
            ],
            cwd=ROOT,
            env={**env, "PORTAL_BIND": f"127.0.0.1:{port}", "LOG_LEVEL": "warning"},
        )
        host = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(host + "/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            staff = make_staff(env, args.users)
            engine = env["DATABASE_URL"].split(":", 1)[0]
            limits = env.get("RATELIMIT_STORAGE_URI", "memory://")
            print(f"database: {engine}; rate limits: {limits}; {args.seconds} s per level", flush=True)
            print("| users | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
            print("|---:|---:|---:|---:|---:|---:|---:|", flush=True)
            for users in args.users:
                row = run_level(env, host, users, args.seconds, Path(tmp), staff[users])
                print(
                    f"| {users} | {row['Request Count']} | {float(row['Requests/s']):.1f} | {row['50%']} | "
                    f"{row['95%']} | {row['99%']} | {row['Failure Count']} |",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
