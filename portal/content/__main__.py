"""``python -m portal.content check [--content DIR] [--seed PATH]``: print ``file:line: message`` per problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .check import check_content

DEFAULT_CONTENT = Path(__file__).resolve().parents[2] / "content"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.content")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check content/ and exit 1 on any problem")
    check.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="content directory")
    check.add_argument("--seed", type=Path, default=None, help="the plan, to check that seed_refs exist")
    args = parser.parse_args(argv)
    if args.seed is not None and not args.seed.exists():
        print(f"{args.seed}:0: seed plan not found", file=sys.stderr)
        return 1
    problems = check_content(args.content, args.seed)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {args.content}", file=sys.stderr)
        return 1
    print(f"content OK: {args.content}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
