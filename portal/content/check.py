"""``check_content``: every problem in ``content/`` as ``file:line: message`` (set-up fails on any)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .check_forms import check_forms, check_towns
from .loader import (
    ContentError,
    ContentProblem,
    key_lines,
    load_catalogue,
    load_catalogue_entries,
    load_categories,
    load_departments,
    load_parameters,
    rel_path,
    split_front_matter,
    yaml_error_problem,
)
from .models import APPLY_MODES, AUDIENCES, ICONS, Catalogue
from .needs import check_needs, policy_text_lookup
from .seed import SeedStructure, check_seed_ref, parse_seed

FRONT_MATTER_KEYS = (
    "id",
    "title",
    "summary",
    "category",
    "audience",
    "lead_department",
    "partner_departments",
    "seed_refs",
    "sources",
    "eligibility_rule",
    "apply",
    "who",
    "what_you_get",
    "how_to_apply",
    "documents_required",
    "parameters",
    "easy_read",
    "keywords",
    "synonyms",
    "sign_language",
    "last_reviewed",
)
SUMMARY_MAX_ZH_CHARS = 60
SUMMARY_MAX_EN_WORDS = 30

# --- what residents read: no hard-coded online promises, no internal words ---------------------------
#: Front matter keys whose text a resident reads (keywords and synonyms only feed the search index).
RESIDENT_KEYS = (
    "title",
    "summary",
    "who",
    "what_you_get",
    "how_to_apply",
    "documents_required",
    "easy_read",
    "sign_language",
)
#: Reference files whose zh/en texts residents read (the checker, the engine's answers, amounts, names).
RESIDENT_FILES = (
    "eligibility.yml",
    "checker.yml",
    "parameters.yml",
    "departments.yml",
    "categories.yml",
    "indicators.yml",
    "tasks.yml",
)
#: Keys whose string values are resident text (a value under any other key is an id, an icon, a date …).
TEXT_KEYS = frozenset({"zh", "en", "text", "source"})
#: Online application, complaint or tracking on this portal. The portal itself says which online services
#: are open (the features registry); content never promises them.
ONLINE_PROMISES = (
    re.compile(r"(?:在本门户|本门户|网上|在线(?!下)|线上)[^。；，,、\n]{0,6}?(?:申请|提交|报名|投诉|办理|递交)"),
    re.compile(r"(?:查|查询|查看)[^。；，,\n]{0,4}?进度"),
    re.compile(
        r"\b(?:apply|applies|applying|sign(?:s|ing)? up|send|submit|complain|report|file|write|lodge)\b"
        r"[^.;:!?\n]{0,40}?\b(?:online|on this portal|through this portal|via this portal)\b",
        re.I,
    ),
    re.compile(r"\bonline (?:application|form|complaint)s?\b", re.I),
    re.compile(r"\b(?:check|track|follow)\b[^.;!?\n]{0,30}?\bprogress\b", re.I),
)
#: Texts the portal shows only while the features registry has that online service open (the engine picks
#: ``next_steps.common.apply_online`` only for a benefit the portal takes online now): they may say so.
FEATURE_GATED_KEYS = frozenset({"apply_online"})
#: A promise said in the negative (“不用在本门户申请”, “No online application”) is allowed.
_NEGATION_ZH = re.compile(r"[不未无没]")
_NEGATION_EN = re.compile(r"\b(?:no|not|n't|without|never)\b|n't\b", re.I)
#: “seed” is the spec's shorthand for the plan; residents read 《大足区“十四五”残疾人保障和发展规划》.
INTERNAL_WORD = re.compile(r"(?<![A-Za-z])seed(?![A-Za-z])", re.I)


def resident_text_problems(text: str) -> list[str]:
    """What is wrong with one piece of resident-facing text (empty: nothing)."""
    found: list[str] = []
    for pattern in ONLINE_PROMISES:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 25) : m.start()]
            window = before[-4:] + m.group(0)
            if _NEGATION_ZH.search(window) or _NEGATION_EN.search(before[-25:] + " " + m.group(0)):
                continue
            found.append(
                f"promises an online service ({m.group(0)!r}): say how to apply in person or by 12385; "
                "the portal shows its open online services itself"
            )
    if INTERNAL_WORD.search(text):
        found.append("says “seed”: residents read the plan as 《大足区“十四五”残疾人保障和发展规划》 with its section")
    return found


def _yaml_texts(text: str, line_offset: int = 0, top_keys: tuple[str, ...] | None = None) -> Iterator[tuple[str, int]]:
    """(string, 1-based line) of every resident-facing scalar in a YAML document: a value under a key in
    ``TEXT_KEYS``, or an item of a list under one; with ``top_keys``, only below those top-level keys."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return

    def walk(node: yaml.Node, key: str | None, depth: int) -> Iterator[tuple[str, int]]:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                name = str(k.value) if isinstance(k, yaml.ScalarNode) else ""
                if depth == 0 and top_keys is not None and name not in top_keys:
                    continue
                if name in FEATURE_GATED_KEYS:
                    continue
                yield from walk(v, name, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from walk(item, key, depth + 1)
        elif isinstance(node, yaml.ScalarNode) and key in TEXT_KEYS and node.tag.endswith(":str"):
            yield str(node.value), node.start_mark.line + 1 + line_offset

    if root is not None:
        yield from walk(root, None, 0)


def _body_problems(rel: str, body: str, first_line: int) -> list[ContentProblem]:
    problems: list[ContentProblem] = []
    for n, line in enumerate(body.splitlines(), start=first_line):
        problems += [ContentProblem(rel, n, message) for message in resident_text_problems(line)]
    return problems


def check_resident_files(content_dir: Path) -> list[ContentProblem]:
    """The resident-facing texts of the reference files (``RESIDENT_FILES``) that exist."""
    problems: list[ContentProblem] = []
    for name in RESIDENT_FILES:
        path = content_dir / name
        if not path.exists():
            continue
        rel = str(path.relative_to(content_dir.parent))
        for value, line in _yaml_texts(path.read_text(encoding="utf-8")):
            problems += [ContentProblem(rel, line, message) for message in resident_text_problems(value)]
    return problems


class _Reporter:
    def __init__(self, file: str, lines: dict[str, int]):
        self.file = file
        self.lines = lines
        self.problems: list[ContentProblem] = []

    def add(self, key: str | None, message: str) -> None:
        line = self.lines.get(key, 1) if key else 1
        self.problems.append(ContentProblem(self.file, line, message))


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_bilingual(r: _Reporter, key: str, value: Any) -> None:
    if not isinstance(value, dict):
        r.add(key, f"{key} must be a mapping {{zh: …, en: …}}")
        return
    for lang in ("zh", "en"):
        if not _is_text(value.get(lang)):
            r.add(key, f"{key}.{lang} is missing or empty")
    extra = set(value) - {"zh", "en"}
    if extra:
        r.add(key, f"{key} has unknown keys: {', '.join(sorted(map(str, extra)))}")


def _check_str_list(
    r: _Reporter, key: str, value: Any, *, allowed: set[str] | None = None, what: str = "value", non_empty: bool = False
) -> None:
    if not isinstance(value, list):
        r.add(key, f"{key} must be a list (use [] when empty)")
        return
    if non_empty and not value:
        r.add(key, f"{key} must not be empty")
    for item in value:
        if not _is_text(item):
            r.add(key, f"{key} has an empty or non-text item: {item!r}")
        elif allowed is not None and item not in allowed:
            r.add(key, f"{key}: unknown {what} {item!r}")
    dupes = [v for v, n in Counter(map(str, value)).items() if n > 1]
    if dupes:
        r.add(key, f"{key}: duplicate {what} {dupes[0]!r}")


def check_policy_file(
    path: Path,
    rel: str,
    *,
    expected: dict[str, Any] | None,
    categories: set[str],
    departments: set[str],
    parameters: set[str] | None,
    rules: set[str],
    seed: SeedStructure | None,
) -> list[ContentProblem]:
    """Check one ``policies/<id>.md`` (front matter and body) and the presence of its ``.en.md``."""
    text = path.read_text(encoding="utf-8")
    split = split_front_matter(text)
    if split is None:
        return [ContentProblem(rel, 1, "no YAML front matter: the file must start and close with a --- line")]
    front, body, offset = split
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        return [yaml_error_problem(exc, rel, offset)]
    r = _Reporter(rel, key_lines(front, offset))
    if not isinstance(meta, dict):
        r.add(None, "front matter is not a YAML mapping")
        return r.problems

    stem = path.name[: -len(".md")]
    for key in FRONT_MATTER_KEYS:
        if key not in meta:
            r.add(None, f"front matter key {key!r} is missing (every key must be present; null or [] when empty)")
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            r.add(str(key), f"unknown front matter key {key!r}")

    if "id" in meta and meta["id"] != stem:
        r.add("id", f"id {meta['id']!r} does not match the file name ({stem}.md)")
    for key in ("title", "summary", "who", "what_you_get", "how_to_apply"):
        if key in meta:
            _check_bilingual(r, key, meta[key])
    summary = meta.get("summary")
    if isinstance(summary, dict):
        zh, en = summary.get("zh"), summary.get("en")
        if isinstance(zh, str) and len(zh.strip()) > SUMMARY_MAX_ZH_CHARS:
            r.add("summary", f"summary.zh has {len(zh.strip())} characters (at most {SUMMARY_MAX_ZH_CHARS})")
        if isinstance(en, str) and len(en.split()) > SUMMARY_MAX_EN_WORDS:
            r.add("summary", f"summary.en has {len(en.split())} words (at most {SUMMARY_MAX_EN_WORDS})")

    if "category" in meta:
        category = meta["category"]
        if category not in categories:
            r.add("category", f"unknown category {category!r} (categories.yml)")
        elif expected and expected.get("category") and category != expected["category"]:
            r.add("category", f"category {category!r} differs from the catalogue's {expected['category']!r}")
    if "audience" in meta:
        _check_str_list(r, "audience", meta["audience"], allowed=set(AUDIENCES), what="audience", non_empty=True)
    if "lead_department" in meta and meta["lead_department"] not in departments:
        r.add("lead_department", f"unknown department {meta['lead_department']!r} (departments.yml)")
    if "partner_departments" in meta:
        _check_str_list(r, "partner_departments", meta["partner_departments"], allowed=departments, what="department")
    if "seed_refs" in meta:
        refs = meta["seed_refs"]
        _check_str_list(r, "seed_refs", refs, what="seed_ref", non_empty=True)
        for ref in refs if isinstance(refs, list) else []:
            if isinstance(ref, str):
                problem = check_seed_ref(ref, seed)
                if problem:
                    r.add("seed_refs", problem)
    if "sources" in meta:
        sources = meta["sources"]
        if not isinstance(sources, list):
            r.add("sources", "sources must be a list of {ref, title} (use [] when none)")
        else:
            for s in sources:
                if not isinstance(s, dict) or not _is_text(s.get("ref")) or not _is_text(s.get("title")):
                    r.add("sources", f"each source needs a non-empty ref and title: {s!r}")
    if "eligibility_rule" in meta:
        rule = meta["eligibility_rule"]
        if rule is not None and rule not in rules:
            r.add("eligibility_rule", f"unknown eligibility rule {rule!r} (eligibility-rules.md)")
        elif expected is not None and rule != expected.get("eligibility_rule"):
            r.add(
                "eligibility_rule",
                f"eligibility_rule {rule!r} differs from the catalogue's {expected.get('eligibility_rule')!r}",
            )
    if "apply" in meta and meta["apply"] not in APPLY_MODES:
        r.add("apply", f"apply must be one of {', '.join(APPLY_MODES)}, not {meta['apply']!r}")
    if "documents_required" in meta:
        docs = meta["documents_required"]
        if not isinstance(docs, list):
            r.add("documents_required", "documents_required must be a list (use [] when none)")
        else:
            for d in docs:
                _check_bilingual(r, "documents_required", d)
    if "parameters" in meta:
        params = meta["parameters"]
        if parameters is None:
            _check_str_list(r, "parameters", params, what="parameter")
            if isinstance(params, list) and params:
                r.add("parameters", "parameters are listed but content/parameters.yml does not exist")
        else:
            _check_str_list(r, "parameters", params, allowed=parameters, what="parameter (parameters.yml)")
    if "easy_read" in meta:
        easy = meta["easy_read"]
        if not isinstance(easy, dict):
            r.add("easy_read", "easy_read must be a mapping {zh: [...], en: [...]}")
        else:
            for lang in ("zh", "en"):
                items = easy.get(lang)
                if not isinstance(items, list) or not items:
                    r.add("easy_read", f"easy_read.{lang} must be a non-empty list of {{icon, text}}")
                    continue
                for item in items:
                    if not isinstance(item, dict) or not _is_text(item.get("text")):
                        r.add("easy_read", f"easy_read.{lang}: each item needs a text: {item!r}")
                    elif item.get("icon") not in ICONS:
                        r.add("easy_read", f"easy_read.{lang}: unknown icon {item.get('icon')!r}")
    if "keywords" in meta:
        kw = meta["keywords"]
        if not isinstance(kw, dict):
            r.add("keywords", "keywords must be a mapping {zh: [...], en: [...]}")
        else:
            for lang in ("zh", "en"):
                _check_str_list(r, "keywords", kw.get(lang), what=f"{lang} keyword")
    if "synonyms" in meta:
        _check_str_list(r, "synonyms", meta["synonyms"], what="synonym")
    if "sign_language" in meta:
        sign = meta["sign_language"]
        if sign is not None:
            if not isinstance(sign, dict):
                r.add("sign_language", "sign_language must be null or {video, captions, transcript}")
            else:
                for key in ("video", "captions"):
                    if not _is_text(sign.get(key)):
                        r.add("sign_language", f"sign_language.{key} is missing")
                transcript = sign.get("transcript")
                if transcript is not None:
                    _check_bilingual(r, "sign_language", transcript)
    if "last_reviewed" in meta:
        value = meta["last_reviewed"]
        if not isinstance(value, dt.date):
            r.add("last_reviewed", f"last_reviewed must be a date YYYY-MM-DD, not {value!r}")

    for value, line in _yaml_texts(front, offset, RESIDENT_KEYS):
        r.problems += [ContentProblem(rel, line, message) for message in resident_text_problems(value)]
    body_line = offset + front.count("\n") + 2
    if not body.strip():
        r.problems.append(ContentProblem(rel, body_line, "the Chinese body is empty"))
    r.problems += _body_problems(rel, body, body_line)
    en_path = path.with_name(stem + ".en.md")
    if en_path.exists():
        en_text = en_path.read_text(encoding="utf-8")
        en_rel = str(Path(rel).with_name(en_path.name))
        if not en_text.strip():
            r.problems.append(ContentProblem(en_rel, 1, "the English body is empty"))
        elif en_text.lstrip().startswith("---\n"):
            r.problems.append(ContentProblem(en_rel, 1, "the English body must not have front matter"))
        else:
            r.problems += _body_problems(en_rel, en_text, 1)
    return r.problems


def _check_yaml_file(path: Path, rel: str) -> tuple[Any, list[ContentProblem]]:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
    except yaml.YAMLError as exc:
        return None, [yaml_error_problem(exc, rel)]


def _entry_lines(path: Path) -> list[int]:
    """1-based line of each entry of the document's main list (for reference-data problems)."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if isinstance(node, yaml.MappingNode) and node.value:
        node = node.value[0][1]
    if isinstance(node, yaml.SequenceNode):
        return [item.start_mark.line + 1 for item in node.value]
    return []


def _check_reference_data(content_dir: Path, departments: set[str]) -> list[ContentProblem]:
    problems: list[ContentProblem] = []
    base = content_dir.parent

    def rel(p: Path) -> str:
        return str(p.relative_to(base))

    for name, key, expected_count in (
        ("departments.yml", "departments", None),
        ("indicators.yml", "indicators", 13),
        ("tasks.yml", "tasks", 28),
        ("parameters.yml", "parameters", None),
        ("categories.yml", "categories", 8),
        ("catalogue.yml", "policies", None),
    ):
        path = content_dir / name
        if not path.exists():
            if name in ("departments.yml", "categories.yml", "catalogue.yml", "indicators.yml", "tasks.yml"):
                problems.append(ContentProblem(f"{rel(content_dir)}/{name}", 0, "file is missing"))
            continue
        data, errs = _check_yaml_file(path, rel(path))
        problems += errs
        if errs:
            continue
        entries = data.get(key) if isinstance(data, dict) else data
        if not isinstance(entries, list):
            problems.append(ContentProblem(rel(path), 1, f"expected a list under {key!r}"))
            continue
        lines = _entry_lines(path)
        if expected_count is not None and len(entries) != expected_count:
            problems.append(ContentProblem(rel(path), 1, f"{len(entries)} entries, expected {expected_count}"))
        seen: set[str] = set()
        for i, e in enumerate(entries):
            line = lines[i] if i < len(lines) else 1
            if not isinstance(e, dict):
                problems.append(ContentProblem(rel(path), line, f"entry {i + 1} is not a mapping"))
                continue
            ident = e.get("id", e.get("number", e.get("no")))
            if key in ("departments", "parameters", "categories", "policies"):
                if not _is_text(e.get("id")):
                    problems.append(ContentProblem(rel(path), line, "entry has no id"))
                    continue
                if e["id"] in seen:
                    problems.append(ContentProblem(rel(path), line, f"duplicate id {e['id']!r}"))
                seen.add(e["id"])
            if key in ("departments", "categories"):
                for lang in ("zh", "en"):
                    if not _is_text(e.get(lang)):
                        problems.append(ContentProblem(rel(path), line, f"{ident}: {lang} name is missing"))
            if key == "parameters" and not isinstance(e.get("confirmed"), bool):
                problems.append(ContentProblem(rel(path), line, f"{ident}: confirmed must be true or false"))
            if key == "tasks":
                for field in ("lead", "responsible"):
                    value = e.get(field)
                    ids = value if isinstance(value, list) else []
                    for d in ids:
                        if d not in departments:
                            problems.append(ContentProblem(rel(path), line, f"task {ident}: unknown department {d!r}"))
    syn = content_dir / "synonyms.txt"
    if syn.exists():
        for n, line in enumerate(syn.read_text(encoding="utf-8").splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if line and len([t for t in line.replace("，", ",").split(",") if t.strip()]) < 2:
                problems.append(ContentProblem(rel(syn), n, "a synonym group needs at least two terms"))
    return problems


def check_content(content_dir: Path, seed_path: Path | None = None) -> list[ContentProblem]:
    """Every problem in ``content_dir`` (empty list: all good). ``seed_path``: also check seed_refs exist."""
    content_dir = Path(content_dir)
    problems: list[ContentProblem] = []
    seed = parse_seed(Path(seed_path)) if seed_path is not None else None
    try:
        entries = load_catalogue_entries(content_dir)
        categories = {c.id for c in load_categories(content_dir)}
        departments = {d.id for d in load_departments(content_dir)}
        params_path = content_dir / "parameters.yml"
        parameters = {p.id for p in load_parameters(content_dir)} if params_path.exists() else None
    except (ContentError, FileNotFoundError) as exc:
        problems += _check_reference_data(content_dir, set())
        if isinstance(exc, ContentError):
            problems += [p for p in exc.problems if p not in problems]
        return problems
    problems += _check_reference_data(content_dir, departments)
    problems += check_resident_files(content_dir)
    rules = {str(e["eligibility_rule"]) for e in entries if e.get("eligibility_rule")}
    by_id = {str(e["id"]): e for e in entries}
    policy_dir = content_dir / "policies"
    rel_dir = str(policy_dir.relative_to(content_dir.parent))
    for pid, entry in by_id.items():
        md = policy_dir / f"{pid}.md"
        if not md.exists():
            problems.append(ContentProblem(f"{rel_dir}/{pid}.md", 0, "catalogue policy file is missing"))
            continue
        if not (policy_dir / f"{pid}.en.md").exists():
            problems.append(ContentProblem(f"{rel_dir}/{pid}.en.md", 0, "English body file is missing"))
        problems += check_policy_file(
            md,
            f"{rel_dir}/{pid}.md",
            expected=entry,
            categories=categories,
            departments=departments,
            parameters=parameters,
            rules=rules,
            seed=seed,
        )
    if policy_dir.exists():
        for path in sorted(policy_dir.glob("*.md")):
            stem = path.name[: -len(".en.md")] if path.name.endswith(".en.md") else path.name[: -len(".md")]
            if stem not in by_id:
                problems.append(ContentProblem(f"{rel_dir}/{path.name}", 0, f"{stem!r} is not in catalogue.yml"))
    problems += check_needs(content_dir, policy_text_lookup(content_dir, by_id))
    if not problems:
        catalogue = load_catalogue(content_dir)
        problems += check_rules_agree(catalogue) + check_forms(catalogue) + check_towns(catalogue)
        problems += check_routes(catalogue) + check_petition_rules(catalogue)
    return problems


PETITION_RATINGS = ("satisfied", "basically_satisfied", "dissatisfied")


def check_petition_rules(catalogue: Catalogue) -> list[ContentProblem]:
    """``petitions.yml``: ``rating_closes`` lists known ratings, says whether it is confirmed, and (while it is not)
    who to ask, in both languages."""
    file = "content/petitions.yml"
    rule = catalogue.petition_rules.get("rating_closes")
    if rule is None:
        return []
    if not isinstance(rule, dict):
        return [ContentProblem(file, 0, "rating_closes: a mapping with value, confirmed and ask")]
    problems = []
    value = rule.get("value")
    if not isinstance(value, list) or any(v not in PETITION_RATINGS for v in value):
        problems.append(ContentProblem(file, 0, f"rating_closes: value lists ratings of {PETITION_RATINGS}"))
    if not isinstance(rule.get("confirmed"), bool):
        problems.append(ContentProblem(file, 0, "rating_closes: confirmed must be true or false"))
    ask = rule.get("ask") or {}
    if rule.get("confirmed") is False and not (isinstance(ask, dict) and ask.get("zh") and ask.get("en")):
        problems.append(ContentProblem(file, 0, "rating_closes: unconfirmed, so ask needs zh and en"))
    return problems


def check_routes(catalogue: Catalogue) -> list[ContentProblem]:
    """``routing.yml``: each route names a task of tasks.yml and one of its leads, or a policy and its lead
    department; it has words in both languages, a zh and en description, and no word routes to two departments."""
    file = "content/routing.yml"
    problems: list[ContentProblem] = []
    tasks = {t.number: t for t in catalogue.tasks}
    seen: set[str] = set()
    owner: dict[str, str] = {}
    for route in catalogue.routes:
        where = f"route {route.id or '?'}"
        if not route.id or route.id in seen:
            problems.append(ContentProblem(file, 0, f"{where}: missing or duplicate id"))
        seen.add(route.id)
        if (route.task is None) == (route.policy is None):
            problems.append(ContentProblem(file, 0, f"{where}: name exactly one of task and policy"))
        elif route.task is not None:
            task = tasks.get(route.task)
            if task is None:
                problems.append(ContentProblem(file, 0, f"{where}: task {route.task} is not in tasks.yml"))
            elif route.department not in task.lead:
                problems.append(
                    ContentProblem(
                        file, 0, f"{where}: {route.department!r} is not a lead department of task {route.task}"
                    )
                )
        else:
            policy = catalogue.policy(route.policy or "")
            if policy is None:
                problems.append(ContentProblem(file, 0, f"{where}: unknown policy {route.policy!r}"))
            elif route.department != policy.lead_department:
                problems.append(
                    ContentProblem(
                        file,
                        0,
                        f"{where}: a policy route goes to its policy's lead_department ({policy.lead_department})",
                    )
                )
        if catalogue.department(route.department) is None:
            problems.append(ContentProblem(file, 0, f"{where}: unknown department {route.department!r}"))
        if not (route.handles.zh and route.handles.en):
            problems.append(ContentProblem(file, 0, f"{where}: handles needs zh and en"))
        if not route.words:
            problems.append(ContentProblem(file, 0, f"{where}: no words"))
        for word in route.words:
            if word in owner and owner[word] != route.department:
                problems.append(ContentProblem(file, 0, f"{where}: {word!r} already routes to {owner[word]}"))
            owner.setdefault(word, route.department)
    return problems


def check_rules_agree(catalogue: Catalogue) -> list[ContentProblem]:
    """Each eligibility rule names its policy's lead department and apply mode (the engine's next steps and the
    policy page must not disagree about who decides or whether the portal takes the application)."""
    from ..eligibility.rules import RULES_BY_ID  # imported here: the engine itself reads content

    problems = []
    for policy in catalogue.policies:
        rule = RULES_BY_ID.get(policy.eligibility_rule or "")
        if rule is None or policy.path is None:
            continue
        rel = rel_path(policy.path, catalogue.content_dir)
        front = split_front_matter(policy.path.read_text(encoding="utf-8"))
        lines = key_lines(front[0], front[2]) if front else {}
        for key, in_rule, in_policy in (
            ("lead_department", rule.lead, policy.lead_department),
            ("apply", rule.apply, policy.apply),
        ):
            if in_rule != in_policy:
                problems.append(
                    ContentProblem(
                        rel, lines.get(key, 0), f"{key} is {in_policy!r} but rule {rule.id!r} says {in_rule!r}"
                    )
                )
    return problems
