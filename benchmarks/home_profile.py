"""CPU per request in process: a bare Flask "hello", the portal's own hooks around a "hello", and some pages.

    .venv/bin/python benchmarks/home_profile.py [--requests 400] [--rounds 5] [--profile /]

Where ``home_ratio.py`` measures under gunicorn (and so moves with the machine's load), this counts the CPU time of
this process only (``time.process_time``) through Flask's test client, best of ``--rounds``, a reader with no
cookies: what the portal's code costs per page, apart from gunicorn and the network. ``--profile PATH`` prints
cProfile's top functions for that page as well (``--sort tottime`` for the time spent in each function itself).

``--touch-mb N`` writes to N MiB of other memory between requests (untimed), as a server's own loop and the other
workers on the same cores do between two requests of one worker: the page's code then finds less of its own data in
the CPU's caches. It shows how much of a page's cost under gunicorn is memory rather than instructions.

Run with ``PORTAL_ROOT=/other/checkout`` to measure another commit with the same script.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(os.environ.get("PORTAL_ROOT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))

PAGES = ["/", "/search?q=%E6%8A%A4%E7%90%86%E8%A1%A5%E8%B4%B4", "/policies/nursing-subsidy", "/accessibility"]


def per_request(client, path: str, requests: int, rounds: int, touch: bytearray) -> float:
    """Best CPU milliseconds per request over the rounds, after a warm-up; ``touch`` is written between requests."""
    for _ in range(30):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    best = float("inf")
    for _ in range(rounds):
        spent = 0.0
        for _ in range(requests):
            touch[::64] = bytes(len(touch[::64]))  # one write to every 64-byte cache line
            started = time.process_time()
            client.get(path)
            spent += time.process_time() - started
        best = min(best, spent * 1000 / requests)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", metavar="PATH")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order for --profile (cumulative, tottime)")
    parser.add_argument("--touch-mb", type=int, default=0, metavar="N")
    args = parser.parse_args()

    from flask import Flask

    from portal import create_app

    bare = Flask("hello")
    bare.get("/")(lambda: "hello")
    with tempfile.TemporaryDirectory() as tmp:
        from portal.db import upgrade_to_head

        url = f"sqlite:///{tmp}/portal.sqlite3"
        upgrade_to_head(url)
        app = create_app(
            {
                "INSTANCE_PATH": tmp,
                "DATABASE_URL": url,
                "SECRET_KEY": "benchmark",
                "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(ROOT / "instance" / "search-index")),
                "RATELIMIT_ENABLED": False,  # thousands of requests from one client, on purpose
            }
        )
        app.add_url_rule("/__hello", "benchmark_hello", lambda: "hello")
        client = app.test_client()
        touch = bytearray(args.touch_mb << 20)
        rows = [("bare Flask hello", per_request(bare.test_client(), "/", args.requests, args.rounds, touch))]
        rows.append(("portal hooks + hello", per_request(client, "/__hello", args.requests, args.rounds, touch)))
        rows += [(path, per_request(client, path, args.requests, args.rounds, touch)) for path in PAGES]
        print(f"{'request':<52}{'CPU ms':>8}")
        for name, ms in rows:
            print(f"{name:<52}{ms:>8.3f}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                client.get(args.profile)
            profile.disable()
            pstats.Stats(profile).sort_stats(args.sort).print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
