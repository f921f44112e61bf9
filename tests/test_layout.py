"""The layout's rules (README, "Where things live"): Flask glue in ``portal/web``, nothing below it imports Flask
or reaches back up, and the portal root holds only the factory and the configuration."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from portal.config import PROJECT_ROOT

PORTAL = PROJECT_ROOT / "portal"
#: Packages below the line: plain Python, no Flask.
DOMAIN = ("db", "content", "eligibility", "checker", "search", "chat", "questions", "petitions", "jobs")
#: What a domain module may never import: Flask and its extensions, and the layers above the line.
FORBIDDEN_TOP = {"flask", "flask_babel", "flask_wtf", "flask_htmx", "flask_limiter", "werkzeug", "wtforms", "jinja2"}
ABOVE_THE_LINE = {"web", "views", "api", "forms"}


def _imports(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, line) of every import in ``path``, relative imports resolved."""
    package = ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(PROJECT_ROOT).parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _domain_modules() -> list[Path]:
    return sorted(path for name in DOMAIN for path in (PORTAL / name).rglob("*.py"))


def test_the_checker_finds_a_forbidden_import(tmp_path):
    """The rule below would pass vacuously if ``_imports`` missed relative or aliased imports."""
    bad = PORTAL / "chat" / "_probe_for_test.py"
    bad.write_text("from ..web import features\nimport flask as f\n", encoding="utf-8")
    try:
        names = {name for name, _line in _imports(bad)}
    finally:
        bad.unlink()
    assert "portal.web" in names and "flask" in names


@pytest.mark.parametrize("path", _domain_modules(), ids=lambda p: str(p.relative_to(PORTAL)))
def test_domain_modules_import_no_flask_and_nothing_above_them(path):
    for module, line in _imports(path):
        parts = module.split(".")
        assert parts[0] not in FORBIDDEN_TOP, f"{path}:{line} imports {module}"
        if parts[0] == "portal" and len(parts) > 1:
            assert parts[1] not in ABOVE_THE_LINE, f"{path}:{line} reaches up to {module}"


def test_the_domain_loads_without_flask():
    """Importing every domain package loads no Flask module at all (run in a fresh interpreter)."""
    code = (
        "import sys\n"
        + "".join(f"import portal.{name}\n" for name in DOMAIN)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'flask_babel', 'flask_wtf'})\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_portal_root_holds_only_the_factory_and_configuration():
    assert sorted(p.name for p in PORTAL.glob("*.py")) == ["__init__.py", "config.py"]


def _is_blueprint(module: str) -> bool:
    path = PROJECT_ROOT / (module.replace(".", "/") + ".py")
    return path.exists() and "bp = Blueprint(" in path.read_text(encoding="utf-8")


def test_views_import_no_other_blueprint_and_not_the_api():
    """A view module may use a helper module beside it, never another task's blueprint or the API."""
    for path in sorted((PORTAL / "views").glob("*.py")):
        for module, line in _imports(path):
            parts = module.split(".")
            if parts[0] == "portal" and len(parts) > 2 and parts[1] in {"views", "api"}:
                assert parts[1] == "views" and not _is_blueprint(".".join(parts[:3])), f"{path}:{line} {module}"


def test_the_api_imports_no_view():
    """The API shares what it says with the pages through `portal/web`, never by reaching into a view module."""
    for path in sorted((PORTAL / "api").glob("*.py")):
        for module, line in _imports(path):
            parts = module.split(".")
            assert not (parts[0] == "portal" and len(parts) > 1 and parts[1] == "views"), f"{path}:{line} {module}"
