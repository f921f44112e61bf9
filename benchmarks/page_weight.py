"""Page weight: the bytes a browser downloads for a page (HTML + CSS + JS + icon), raw and gzip-compressed.

    .venv/bin/python benchmarks/page_weight.py [/ /search?q=护理补贴 …]
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.db import upgrade_to_head

ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def weigh(client, path: str) -> list[tuple[str, int, int]]:
    html = client.get(path).get_data()
    rows = [(path, len(html), len(gzip.compress(html)))]
    for asset in sorted(set(ASSET.findall(html.decode()))):
        body = client.get(asset).get_data()
        rows.append((asset, len(body), len(gzip.compress(body))))
    return rows


def main(paths: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/weight.sqlite3"
        upgrade_to_head(url)
        app = create_app(
            {"INSTANCE_PATH": tmp, "DATABASE_URL": url, "SEARCH_INDEX_DIR": PROJECT_ROOT / "instance" / "search-index"}
        )
        client = app.test_client()
        for path in paths or ["/"]:
            rows = weigh(client, path)
            print(f"{'resource':<44}{'bytes':>10}{'gzip':>10}")
            for name, raw, packed in rows:
                print(f"{name:<44}{raw:>10}{packed:>10}")
            print(f"{'total for ' + path:<44}{sum(r[1] for r in rows):>10}{sum(r[2] for r in rows):>10}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
