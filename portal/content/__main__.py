"""``python -m portal.content check [--content DIR] [--seed PATH]``: print ``file:line: message`` per problem.

``python -m portal.content sources [--content DIR] [--markdown | --write-readme]``: per policy, which claims
(政策依据 bullets) cite the plan and which a national or Chongqing document (``portal.content.sources``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import content_dir
from .check import check_content
from .sources import policy_sources, render_markdown, render_text, update_readme

DEFAULT_CONTENT = content_dir()  # CONTENT_DIR, else content/


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.content")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check content/ and exit 1 on any problem")
    check.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="content directory")
    check.add_argument("--seed", type=Path, default=None, help="the plan, to check that seed_refs exist")
    sources = sub.add_parser("sources", help="print, per policy, which claims cite the plan or another document")
    sources.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="content directory")
    form = sources.add_mutually_exclusive_group()
    form.add_argument("--markdown", action="store_true", help="print the table kept in content/README.md")
    form.add_argument("--write-readme", action="store_true", help="rewrite that table in <content>/README.md")
    args = parser.parse_args(argv)
    if args.command == "sources":
        items = policy_sources(args.content)
        if args.write_readme:
            changed = update_readme(args.content / "README.md", items)
            print(f"{args.content / 'README.md'}: {'updated' if changed else 'already current'}", file=sys.stderr)
        else:
            print(render_markdown(items) if args.markdown else render_text(items), end="")
        return 0
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
