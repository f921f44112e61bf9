"""Application intake: submit with three 3 MB photos, through a real gunicorn, as a browser would.

    .venv/bin/python benchmarks/intake_bench.py [--applications 20]

Prints p50/p95 of the final POST (declaration → the confirmation page, redirect followed), the time to upload
one 3 MB photo, the bytes stored per application (database and sealed uploads), and the page weight of every
intake page (HTML + CSS + JS, raw and gzip). Load goes to 127.0.0.1 only; the loop is bounded.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.config import PROJECT_ROOT
from portal.db import upgrade_to_head
from tests.support import files, people
from tests.support.stack import free_port

ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FACTS = people.NURSING_FACTS


class Browser:
    def __init__(self, base: str) -> None:
        self.base, self.http, self.token = base, requests.Session(), ""
        self.pages: dict[str, bytes] = {}

    def get(self, path: str) -> requests.Response:
        response = self.http.get(self.base + path, timeout=30)
        found = TOKEN.search(response.text)
        self.token = found.group(1) if found else self.token
        self.pages[re.sub(r"/(facts|details)/[a-z_-]+", r"/\1/…", path.split("?")[0])] = response.content
        return response

    def post(self, path: str, data: dict | None = None, files_: list | None = None) -> requests.Response:
        response = self.http.post(
            self.base + path, data={"csrf_token": self.token, **(data or {})}, files=files_, timeout=60
        )
        found = TOKEN.search(response.text)
        self.token = found.group(1) if found else self.token
        return response


def apply_once(browser: Browser, photo: bytes, pid: str) -> tuple[float, list[float]]:
    browser.get("/apply/nursing-subsidy")
    browser.get("/apply/nursing-subsidy/privacy")
    browser.post("/apply/nursing-subsidy/privacy", {"general": "y", "sensitive": "y"})
    browser.get("/apply/draft")
    for page, data in (
        ("who", {"who": "self"}),
        ("name", {"name": "李秀英"}),
        ("id-number", {"id_number": pid}),
        ("phone", {"phone": "13800001234"}),
        ("address", {"town": "longgang", "village": "龙岗社区", "address": "3组12号"}),
    ):
        browser.get(f"/apply/draft/details/{page}")
        browser.post(f"/apply/draft/details/{page}", data)
    for _ in range(12):
        found = re.search(r'href="/apply/draft/facts/([a-z_]+)"', browser.get("/apply/draft").text)
        if not found:
            break
        browser.get(f"/apply/draft/facts/{found.group(1)}")
        browser.post(f"/apply/draft/facts/{found.group(1)}", {"answer": FACTS.get(found.group(1), [])})
    browser.post("/apply/draft/details/certificate-number", {"certificate_number": people.certificate_number(pid)})
    browser.post("/apply/draft/details/bank", {"bank_name": "农商行", "bank_account": "622848001234567890"})
    uploads = []
    for document, name in (("identity", "户口簿首页.jpg"), ("identity", "本人页.jpg"), ("certificate", "残疾证.jpg")):
        browser.get("/apply/draft/documents")
        started = time.perf_counter()
        response = browser.post(f"/apply/draft/documents/{document}", files_=[("files", (name, photo, "image/jpeg"))])
        uploads.append(time.perf_counter() - started)
        assert response.ok, response.status_code
    browser.get("/apply/draft/documents")
    browser.get("/apply/draft/check")
    started = time.perf_counter()
    done = browser.post("/apply/draft/check", {"true_and_complete": "y"})
    elapsed = time.perf_counter() - started
    assert done.url.endswith("/apply/draft/done") and done.ok, done.url
    browser.pages["/apply/draft/done"] = done.content
    return elapsed, uploads


def weigh(browser: Browser) -> list[tuple[str, int, int]]:
    assets: dict[str, bytes] = {}
    rows = []
    for path, html in sorted(browser.pages.items()):
        total, packed = len(html), len(gzip.compress(html))
        for asset in set(ASSET.findall(html.decode(errors="replace"))):
            body = assets.setdefault(asset, browser.http.get(browser.base + asset, timeout=30).content)
            total, packed = total + len(body), packed + len(gzip.compress(body))
        rows.append((path, total, packed))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=20)
    args = parser.parse_args()
    photo = files.noisy_jpeg(3)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        upgrade_to_head(url)
        port = free_port()
        env = {
            **os.environ,
            "PORTAL_INSTANCE_PATH": tmp,
            "DATABASE_URL": url,
            "PORTAL_BIND": f"127.0.0.1:{port}",
            "SEARCH_INDEX_DIR": str(PROJECT_ROOT / "instance" / "search-index"),
            "RATELIMIT_ENABLED": "false",
        }
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                "portal:create_app()",
            ],
            cwd=PROJECT_ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(150):
                try:
                    requests.get(base + "/", timeout=1)
                    break
                except requests.RequestException:
                    time.sleep(0.2)
            finals, uploads = [], []
            browser = Browser(base)
            for i in range(args.applications):
                browser = Browser(base)
                final, sent = apply_once(browser, photo, people.id_number("19520314", sequence=f"{i % 1000:03d}"))
                finals.append(final)
                uploads += sent
            rows = weigh(browser)
            server.terminate()
            server.wait(timeout=20)
            with sqlite3.connect(f"{tmp}/bench.sqlite3") as connection:  # fold the WAL in before measuring
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db_bytes = (Path(tmp) / "bench.sqlite3").stat().st_size
            upload_bytes = sum(p.stat().st_size for p in (Path(tmp) / "uploads").rglob("*") if p.is_file())
        finally:
            server.terminate()
            server.wait(timeout=20)

    def ms(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else values[0] * 1000

    print(f"photo size: {len(photo) / 1048576:.2f} MB (random pixels: does not compress)")
    print(f"applications: {args.applications}, each with three photos")
    print(f"final POST → confirmation page: p50 {ms(finals, 50):.1f} ms, p95 {ms(finals, 95):.1f} ms")
    print(
        f"one 3 MB photo upload (checked, re-encoded, sealed, fsynced): p50 {ms(uploads, 50):.1f} ms, "
        f"p95 {ms(uploads, 95):.1f} ms"
    )
    print(
        f"stored per application: {upload_bytes / args.applications / 1048576:.2f} MB of sealed uploads, "
        f"{db_bytes / args.applications / 1024:.1f} KB of database"
    )
    print(f"\n{'intake page':<40}{'bytes':>10}{'gzip':>10}")
    for path, raw, packed in rows:
        print(f"{path:<40}{raw:>10}{packed:>10}")
    heaviest = max(rows, key=lambda row: row[1])
    print(f"heaviest: {heaviest[0]} {heaviest[1]} bytes ({heaviest[2]} gzip)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
