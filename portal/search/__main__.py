"""``python -m portal.search build [--content DIR] [--index DIR]``: build the index and swap it in atomically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import content_dir, search_index_dir
from ..content import load_catalogue
from .index import build_index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.search")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="index content/ into a new directory, then swap it in")
    build.add_argument("--content", type=Path, default=None, help="default: CONTENT_DIR, else content/")
    build.add_argument(
        "--index", type=Path, default=None, help="default: SEARCH_INDEX_DIR, else <PORTAL_INSTANCE_PATH>/search-index"
    )
    args = parser.parse_args(argv)
    stats = build_index(load_catalogue(args.content or content_dir()), args.index or search_index_dir())
    print(f"search index: {stats}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
