"""Accessibility-tree snapshots of the main pages, kept in aria_snapshots/ so that a change to landmarks, headings,
or the names of links, buttons and fields shows up in review as a diff of those files.

The tree is Playwright's ARIA snapshot of the server-rendered page (JavaScript off, so what a browser's speech
features unhide does not vary between machines), with running text left out: a policy's wording may change without
touching these files, its headings may not. After an intended change: ``UPDATE_ARIA_SNAPSHOTS=1 pytest
accessibility_tests/test_aria_snapshots.py``, then review the diff."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from .conftest import new_context

SNAPSHOTS = Path(__file__).parent / "aria_snapshots"

MAIN_PAGES = {
    "home": "/",
    "search-results": "/search?q=护理补贴",
    "policy": "/policies/nursing-subsidy",
    "checker-start": "/eligibility",
    "apply-start": "/apply/nursing-subsidy",
}

# Roles whose text is running text: kept as a bare role (its place in the structure), text dropped.
TEXT_ROLES = "paragraph|listitem|cell|term|definition|blockquote|caption|code|time"
# Inline text with no role of its own: dropped.
INLINE = "text|strong|emphasis|mark|superscript|subscript|insertion|deletion"


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip())


def skeleton(snapshot: str) -> str:
    kept = []
    for line in snapshot.splitlines():
        if re.match(rf"^\s*- ({INLINE}): ", line):
            continue
        kept.append(re.sub(rf"^(\s*- (?:{TEXT_ROLES})): .+$", r"\1", line))
    # A node whose children were all inline text now has none: drop its dangling colon.
    for i, line in enumerate(kept):
        if line.endswith(":") and (i + 1 == len(kept) or _depth(kept[i + 1]) <= _depth(line)):
            kept[i] = line[:-1]
    return "\n".join(kept) + "\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_accessibility_tree_matches_the_reviewed_snapshot(browser, portal_url, name, lang):
    context = new_context(browser, portal_url, lang=lang, java_script_enabled=False)
    page = context.new_page()
    page.goto(portal_url + MAIN_PAGES[name])
    tree = skeleton(page.locator("body").aria_snapshot())
    context.close()
    stored = SNAPSHOTS / f"{name}.{lang}.yml"
    if os.environ.get("UPDATE_ARIA_SNAPSHOTS") == "1" or not stored.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        stored.write_text(tree, encoding="utf-8")
        if os.environ.get("UPDATE_ARIA_SNAPSHOTS") != "1":
            pytest.fail(f"{stored.name} did not exist: written now, review and commit it")
    diff = "".join(
        difflib.unified_diff(
            stored.read_text(encoding="utf-8").splitlines(keepends=True),
            tree.splitlines(keepends=True),
            f"reviewed {stored.name}",
            "this page now",
        )
    )
    assert not diff, f"the accessibility tree of {MAIN_PAGES[name]} ({lang}) changed:\n{diff}"
