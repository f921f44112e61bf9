"""Page weight: the bytes a browser downloads for a page (HTML + CSS + JS + icon), on first and on repeat view.

    .venv/bin/python benchmarks/page_weight.py [/ /complaints …]

For each page: every resource's size uncompressed and as sent to a browser that accepts ``br, gzip`` (what the
portal really sends: Flask-Compress, portal/web/assets.py). First view: the page and every file it links, none
cached. Repeat view: the page again; its static files are under versioned URLs sent ``immutable`` for a year, so
a browser asks for none of them (the ``cached`` column says whether the portal allows that).
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.db import upgrade_to_head

ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')
BROWSER = {"Accept-Encoding": "br, gzip", "Sec-Fetch-Site": "none"}
#: The home page, and the heaviest form page (the 12385 petition form: the most fields and a photo upload).
DEFAULT_PATHS = ["/", "/complaints"]


def fetch(client, path: str) -> tuple[int, int, bool, str]:
    """(uncompressed bytes, bytes sent, cached for good, body)."""
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    sent = client.get(path, headers=BROWSER)
    cached = "immutable" in (sent.headers.get("Cache-Control") or "")
    return len(plain.get_data()), len(sent.get_data()), cached, plain.get_data(as_text=True)


def weigh(client, path: str) -> list[tuple[str, int, int, bool]]:
    raw, sent, cached, html = fetch(client, path)
    rows = [(path, raw, sent, cached)]
    for asset in sorted(set(ASSET.findall(html))):
        raw, sent, cached, _ = fetch(client, asset)
        rows.append((asset.split("?")[0], raw, sent, cached))
    return rows


def main(paths: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/weight.sqlite3"
        upgrade_to_head(url)
        app = create_app(
            {"INSTANCE_PATH": tmp, "DATABASE_URL": url, "SEARCH_INDEX_DIR": PROJECT_ROOT / "instance" / "search-index"}
        )
        client = app.test_client()
        for path in paths or DEFAULT_PATHS:
            rows = weigh(client, path)
            print(f"{'resource':<36}{'bytes':>9}{'sent':>9}  cached")
            for name, raw, sent, cached in rows:
                print(f"{name:<36}{raw:>9}{sent:>9}  {'a year' if cached else 'no'}")
            first_raw, first_sent = sum(r[1] for r in rows), sum(r[2] for r in rows)
            repeat = sum(r[2] for r in rows if not r[3])
            print(f"{'first view of ' + path:<36}{first_raw:>9}{first_sent:>9}")
            print(f"{'repeat view of ' + path:<36}{'':>9}{repeat:>9}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
