"""Load ``content/`` into a :class:`~portal.content.models.Catalogue`.

The loader is strict about syntax (a YAML error raises :class:`ContentError` naming file and line) and
lenient about completeness: a catalogue id whose file is missing is skipped here and reported by
:func:`portal.content.check.check_content`, which set-up runs before anything else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import yaml

from .models import (
    Catalogue,
    Category,
    Department,
    DocumentSpec,
    EasyReadItem,
    FormSpec,
    Indicator,
    Parameter,
    Policy,
    Route,
    SignLanguage,
    Source,
    Task,
    Text,
    Town,
)
from .needs import load_needs


@dataclass(frozen=True)
class ContentProblem:
    """One problem found in ``content/``: ``file`` relative to the content dir, ``line`` 1-based (0 = whole file)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """Content that cannot be loaded at all."""

    def __init__(self, problems: list[ContentProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


# --- YAML helpers ------------------------------------------------------------------------------------


def rel_path(path: Path, content_dir: Path) -> str:
    try:
        return str(path.relative_to(content_dir.parent))
    except ValueError:
        return str(path)


def yaml_error_problem(exc: yaml.YAMLError, file: str, line_offset: int = 0) -> ContentProblem:
    """Turn a PyYAML error into a problem with the file's 1-based line number."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = (mark.line + 1 + line_offset) if mark is not None else line_offset
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"YAML error: {problem}" + (f" ({context})" if context else "")
    return ContentProblem(file, line, message)


def key_lines(text: str, line_offset: int = 0) -> dict[str, int]:
    """1-based line of each top-level key of a YAML mapping document (for problem reports)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, _value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[str(key.value)] = key.start_mark.line + 1 + line_offset
    return lines


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---\\nYAML\\n---\\nbody``; returns (yaml, body, line of the first YAML line) or None."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), 1
    return None


def read_yaml(path: Path, content_dir: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError([yaml_error_problem(exc, rel_path(path, content_dir))]) from exc


# --- Markdown ------------------------------------------------------------------------------------------

_MD_EXTENSIONS = ["tables", "sane_lists", "toc"]


def _markdown() -> markdown.Markdown:
    from markdown.extensions.toc import slugify_unicode

    md = markdown.Markdown(
        extensions=_MD_EXTENSIONS,
        extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
        output_format="html",
    )
    # Content is Markdown only: raw HTML in a body is escaped and shown as text, never passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def render_markdown(text: str) -> str:
    """Markdown → HTML (``## `` headings become ``<h2 id=…>``; raw HTML is escaped)."""
    return _markdown().convert(text or "")


# --- coercion ------------------------------------------------------------------------------------------


def _text(value: Any) -> Text:
    if isinstance(value, dict):
        return Text(zh=str(value.get("zh") or ""), en=str(value.get("en") or ""))
    if value is None:
        return Text("", "")
    return Text(str(value), str(value))


def _strs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if v is not None)
    return (str(value),)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _first(entry: dict[str, Any], *keys: str, default: Any = None) -> Any:
    for key in keys:
        if key in entry and entry[key] is not None:
            return entry[key]
    return default


def policy_from_front_matter(meta: dict[str, Any], body_zh: str, body_en: str, path: Path | None) -> Policy:
    """Build a :class:`Policy` from parsed front matter (assumed checked; missing keys become empty)."""
    easy: dict[str, tuple[EasyReadItem, ...]] = {}
    raw_easy = meta.get("easy_read") or {}
    if isinstance(raw_easy, dict):
        for lang in ("zh", "en"):
            items = raw_easy.get(lang) or []
            easy[lang] = tuple(
                EasyReadItem(icon=str(i.get("icon", "")), text=str(i.get("text", "")))
                for i in items
                if isinstance(i, dict)
            )
    raw_kw = meta.get("keywords") or {}
    keywords = {lang: _strs(raw_kw.get(lang)) if isinstance(raw_kw, dict) else () for lang in ("zh", "en")}
    sign = meta.get("sign_language")
    sign_language = None
    if isinstance(sign, dict):
        sign_language = SignLanguage(
            video=str(sign.get("video") or ""),
            captions=str(sign.get("captions") or ""),
            transcript=_text(sign["transcript"]) if sign.get("transcript") else None,
        )
    sources = tuple(
        Source(ref=str(s.get("ref", "")), title=str(s.get("title", "")))
        for s in (meta.get("sources") or [])
        if isinstance(s, dict)
    )
    return Policy(
        id=str(meta.get("id", "")),
        title=_text(meta.get("title")),
        summary=_text(meta.get("summary")),
        category=str(meta.get("category", "")),
        audience=_strs(meta.get("audience")),
        lead_department=str(meta.get("lead_department", "")),
        partner_departments=_strs(meta.get("partner_departments")),
        seed_refs=_strs(meta.get("seed_refs")),
        sources=sources,
        eligibility_rule=meta.get("eligibility_rule") or None,
        apply=str(meta.get("apply", "")),
        who=_text(meta.get("who")),
        what_you_get=_text(meta.get("what_you_get")),
        how_to_apply=_text(meta.get("how_to_apply")),
        documents_required=tuple(_text(d) for d in (meta.get("documents_required") or [])),
        parameters=_strs(meta.get("parameters")),
        easy_read=easy,
        keywords=keywords,
        synonyms=_strs(meta.get("synonyms")),
        sign_language=sign_language,
        last_reviewed=_date(meta.get("last_reviewed")),
        body_markdown=Text(body_zh, body_en),
        body_html=Text(render_markdown(body_zh), render_markdown(body_en)),
        path=path,
    )


def read_policy(path: Path, content_dir: Path) -> Policy:
    """Read ``policies/<id>.md`` and its ``<id>.en.md``; raises :class:`ContentError` on a broken file."""
    rel = rel_path(path, content_dir)
    split = split_front_matter(path.read_text(encoding="utf-8"))
    if split is None:
        raise ContentError([ContentProblem(rel, 1, "no YAML front matter (the file must start with ---)")])
    front, body_zh, offset = split
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        raise ContentError([yaml_error_problem(exc, rel, offset)]) from exc
    if not isinstance(meta, dict):
        raise ContentError([ContentProblem(rel, 2, "front matter is not a mapping")])
    en_path = path.with_name(path.name[: -len(".md")] + ".en.md")
    body_en = en_path.read_text(encoding="utf-8") if en_path.exists() else ""
    return policy_from_front_matter(meta, body_zh, body_en, path)


# --- reference data ------------------------------------------------------------------------------------


def _entries(data: Any, key: str) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        data = data.get(key, [])
    return [e for e in (data or []) if isinstance(e, dict)]


def load_categories(content_dir: Path) -> list[Category]:
    data = read_yaml(content_dir / "categories.yml", content_dir)
    return [Category(id=str(e["id"]), name=_text(e)) for e in _entries(data, "categories") if "id" in e]


def load_catalogue_entries(content_dir: Path) -> list[dict[str, Any]]:
    data = read_yaml(content_dir / "catalogue.yml", content_dir)
    return [e for e in _entries(data, "policies") if "id" in e]


def load_departments(content_dir: Path) -> list[Department]:
    path = content_dir / "departments.yml"
    if not path.exists():
        return []
    return [
        Department(id=str(e["id"]), name=_text(e), in_seed=e.get("seed", True) is not False)
        for e in _entries(read_yaml(path, content_dir), "departments")
        if "id" in e
    ]


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.replace("，", ",").split(",") if v.strip())
    return _strs(value)


def load_indicators(content_dir: Path) -> list[Indicator]:
    path = content_dir / "indicators.yml"
    if not path.exists():
        return []
    out = []
    for i, e in enumerate(_entries(read_yaml(path, content_dir), "indicators"), start=1):
        name = _first(e, "name", "title", "indicator", default=None)
        if name is None and ("zh" in e or "en" in e):
            name = e
        out.append(
            Indicator(
                number=int(_first(e, "number", "no", "seq", "n", default=i)),
                name=_text(name),
                target=str(_first(e, "target", "target_value", default="")),
                unit=str(_first(e, "unit", default="")),
                kind=str(_first(e, "kind", "attribute", "type", "property", default="")),
                raw=dict(e),
            )
        )
    return out


def load_tasks(content_dir: Path) -> list[Task]:
    path = content_dir / "tasks.yml"
    if not path.exists():
        return []
    out = []
    for i, e in enumerate(_entries(read_yaml(path, content_dir), "tasks"), start=1):
        text = _first(e, "text", "task", "title", "name", default=None)
        if text is None and ("zh" in e or "en" in e):
            text = e
        out.append(
            Task(
                number=int(_first(e, "number", "no", "seq", "n", default=i)),
                text=_text(text),
                lead=_ids(_first(e, "lead", "leads", "lead_departments", default=())),
                responsible=_ids(_first(e, "responsible", "partners", "responsible_departments", default=())),
                raw=dict(e),
            )
        )
    return out


def load_parameters(content_dir: Path) -> list[Parameter]:
    path = content_dir / "parameters.yml"
    if not path.exists():
        return []
    out = []
    for e in _entries(read_yaml(path, content_dir), "parameters"):
        if "id" not in e:
            continue
        name = e.get("name") or e.get("title")
        if name is None and ("zh" in e or "en" in e):
            name = e
        out.append(
            Parameter(
                id=str(e["id"]),
                value=e.get("value"),
                unit=e.get("unit"),
                effective_from=str(_first(e, "effective_from", "effective", "effective_date", default="")) or None,
                source=str(e["source"]) if e.get("source") is not None else None,
                confirmed=e.get("confirmed") is True,
                name=_text(name) if name is not None else None,
                raw=dict(e),
            )
        )
    return out


def load_synonyms(content_dir: Path) -> list[tuple[str, ...]]:
    """``synonyms.txt``: one group a line, comma-separated (ASCII or full-width), ``#`` starts a comment."""
    path = content_dir / "synonyms.txt"
    if not path.exists():
        return []
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        terms = tuple(t.strip() for t in line.replace("，", ",").split(",") if t.strip())
        if len(terms) >= 2:
            groups.append(terms)
    return groups


def load_catalogue(content_dir: Path) -> Catalogue:
    """Load every content file. Policies come in the order of ``content/catalogue.yml``."""
    content_dir = Path(content_dir)
    entries = load_catalogue_entries(content_dir)
    policies = []
    for entry in entries:
        path = content_dir / "policies" / f"{entry['id']}.md"
        if path.exists():
            policies.append(read_policy(path, content_dir))
    rules = frozenset(str(e["eligibility_rule"]) for e in entries if e.get("eligibility_rule"))
    return Catalogue(
        content_dir=content_dir,
        policies=policies,
        categories=load_categories(content_dir),
        departments=load_departments(content_dir),
        indicators=load_indicators(content_dir),
        tasks=load_tasks(content_dir),
        parameters=load_parameters(content_dir),
        synonyms=load_synonyms(content_dir),
        eligibility_rules=rules,
        eligibility_texts=_optional_yaml(content_dir / "eligibility.yml", content_dir),
        checker_questions=_optional_yaml(content_dir / "checker.yml", content_dir),
        towns=load_towns(content_dir),
        towns_source=dict(_optional_yaml(content_dir / "towns.yml", content_dir).get("source") or {}),
        forms=load_forms(content_dir),
        needs=load_needs(content_dir),
        routes=load_routes(content_dir),
        petition_rules=_optional_yaml(content_dir / "petitions.yml", content_dir),
    )


def load_routes(content_dir: Path) -> list[Route]:
    """``routing.yml`` (optional): the petition routing vocabulary; ``portal.content.check`` checks it."""
    routes = []
    for e in _entries(_optional_yaml(content_dir / "routing.yml", content_dir), "routes"):
        words = e.get("words") or {}
        task = e.get("task")
        routes.append(
            Route(
                id=str(e.get("id", "")),
                task=task if isinstance(task, int) and not isinstance(task, bool) else None,
                policy=str(e["policy"]) if e.get("policy") else None,
                department=str(e.get("department", "")),
                handles=_text(e.get("handles")),
                words=tuple(str(w) for w in (words.get("zh") or []))
                + tuple(str(w).lower() for w in (words.get("en") or [])),
            )
        )
    return routes


def load_towns(content_dir: Path) -> list[Town]:
    data = _optional_yaml(content_dir / "towns.yml", content_dir)
    return [Town(id=str(e["id"]), name=_text(e)) for e in _entries(data, "towns") if "id" in e]


def load_forms(content_dir: Path) -> dict[str, FormSpec]:
    """``forms/<benefit>.yml``: the online application forms, by benefit."""
    forms = {}
    for path in sorted((content_dir / "forms").glob("*.yml")):
        data = read_yaml(path, content_dir)
        if not isinstance(data, dict) or "benefit" not in data:
            continue
        documents = tuple(
            DocumentSpec(
                id=str(e.get("id")),
                name=_text(e.get("name")),
                what_counts=_text(e.get("what_counts")),
                required=e.get("required") is True,
                source=str(e["source"]) if e.get("source") else None,
                confirmed=e.get("confirmed") is True,
                ask=_text(e.get("ask")),
            )
            for e in data.get("documents") or []
            if isinstance(e, dict)
        )
        forms[str(data["benefit"])] = FormSpec(
            benefit=str(data["benefit"]),
            minutes=int(data.get("minutes") or 0),
            facts=_strs(data.get("facts")),
            details=_strs(data.get("details")),
            documents=documents,
            path=path,
        )
    return forms


def _optional_yaml(path: Path, content_dir: Path) -> dict[str, Any]:
    data = read_yaml(path, content_dir) if path.exists() else None
    return data if isinstance(data, dict) else {}
