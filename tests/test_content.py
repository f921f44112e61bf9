"""portal.content: loading, Markdown rendering and the content checker (real content and broken copies)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portal.content import check_content, load_catalogue, sources
from portal.content.seed import check_seed_ref, parse_seed

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SEED = ROOT.parent / "shared" / "seed" / "000_737854678808b00c.txt"

VALID_POLICY = """---
id: living-subsidy
title: {zh: 困难残疾人生活补贴, en: Living allowance}
summary: {zh: 一句话说明。, en: One sentence.}
category: social-security
audience: [working-age, older-people]
lead_department: civil-affairs
partner_departments: [dpf, finance]
seed_refs: ["专栏2 第2项", "附件 第5项", "第三章第一节5"]
sources:
  - {ref: 国发〔2015〕52号, title: 国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见}
eligibility_rule: living-subsidy
apply: online
who: {zh: 谁可以申请, en: Who can apply}
what_you_get: {zh: 能得到什么, en: What you get}
how_to_apply: {zh: 怎么申请, en: How to apply}
documents_required:
  - {zh: 身份证或户口簿, en: ID card or household register}
parameters: [living-subsidy.amount]
easy_read:
  zh: [{icon: person, text: 这是给困难残疾人的钱。}]
  en: [{icon: person, text: This is money for disabled people with little money.}]
keywords: {zh: [两项补贴, 生活补贴], en: [living allowance]}
synonyms: [生活补助]
sign_language: null
last_reviewed: 2026-11-29
---

## 这是什么

生活补贴。<script>alert(1)</script>
"""


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    """A one-policy content tree with valid reference data."""
    d = tmp_path / "content"
    (d / "policies").mkdir(parents=True)
    for name in ("categories.yml", "departments.yml"):
        shutil.copy(CONTENT / name, d / name)
    (d / "catalogue.yml").write_text(
        "policies:\n  - {id: living-subsidy, category: social-security, eligibility_rule: living-subsidy}\n",
        encoding="utf-8",
    )
    (d / "parameters.yml").write_text(
        "parameters:\n  - {id: living-subsidy.amount, value: null, confirmed: false, source: plan}\n", encoding="utf-8"
    )
    (d / "indicators.yml").write_text(
        "indicators:\n" + "".join(f"  - {{'no': {i}, zh: 指标{i}, en: Indicator {i}}}\n" for i in range(1, 14)),
        encoding="utf-8",
    )
    (d / "tasks.yml").write_text(
        "tasks:\n"
        + "".join(f"  - {{'no': {i}, zh: 任务{i}, lead: [dpf], partners: [finance]}}\n" for i in range(1, 29)),
        encoding="utf-8",
    )
    (d / "synonyms.txt").write_text("# comment\n残疾人证,残疾证\n", encoding="utf-8")
    (d / "forms").mkdir()
    for name in ("towns.yml", "forms/living-subsidy.yml"):  # the online application form, and where it is received
        shutil.copy(CONTENT / name, d / name)
    (d / "policies" / "living-subsidy.md").write_text(VALID_POLICY, encoding="utf-8")
    (d / "policies" / "living-subsidy.en.md").write_text("## What it is\n\nAn allowance.\n", encoding="utf-8")
    return d


def _edit(content: Path, old: str, new: str) -> None:
    path = content / "policies" / "living-subsidy.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _messages(content: Path) -> list[str]:
    return [str(p) for p in check_content(content, SEED)]


def test_valid_tree_has_no_problems_and_loads(content: Path) -> None:
    assert _messages(content) == []
    cat = load_catalogue(content)
    p = cat.policy("living-subsidy")
    assert p is not None and p.title.get("en") == "Living allowance" and p.title.get("zh") == "困难残疾人生活补贴"
    assert p.audience == ("working-age", "older-people")
    assert p.sources[0].ref == "国发〔2015〕52号"
    assert p.easy_read["zh"][0].icon == "person"
    assert str(p.last_reviewed) == "2026-11-29"
    assert '<h2 id="这是什么">这是什么</h2>' in p.body_html.zh
    assert "<script>" not in p.body_html.zh and "&lt;script&gt;" in p.body_html.zh  # raw HTML is escaped
    assert "<h2" in p.body_html.en
    assert cat.parameter("living-subsidy.amount").confirmed is False
    assert cat.department("dpf").name.zh == "区残联"
    assert [c.id for c in cat.categories][:2] == ["social-security", "employment"]
    assert cat.synonyms == [("残疾人证", "残疾证")]
    assert len(cat.indicators) == 13 and cat.indicators[0].number == 1 and cat.indicators[0].name.zh == "指标1"
    assert cat.task(28).lead == ("dpf",) and cat.task(28).responsible == ("finance",)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("category: social-security", "category: welfare", ":5: unknown category 'welfare'"),
        ("audience: [working-age, older-people]", "audience: [adults]", ":6: audience: unknown audience 'adults'"),
        ("lead_department: civil-affairs", "lead_department: nobody", ":7: unknown department 'nobody'"),
        ('"专栏2 第2项"', '"专栏2 第11项"', ":9: seed_ref '专栏2 第11项': 专栏2 has no 第11项"),
        ('"附件 第5项"', '"附件 第29项"', "附件 has no 第29项"),
        ('"第三章第一节5"', '"第三章第九节"', "the plan has no 第三章第九节"),
        ('"第三章第一节5"', '"第三章第一节9"', "第三章第一节 has no item 9"),
        ("eligibility_rule: living-subsidy", "eligibility_rule: made-up", "unknown eligibility rule 'made-up'"),
        ("apply: online", "apply: sometimes", "apply must be one of online, offline, info"),
        ("parameters: [living-subsidy.amount]", "parameters: [nope]", "unknown parameter (parameters.yml) 'nope'"),
        ("icon: person, text: 这是", "icon: smiley, text: 这是", "easy_read.zh: unknown icon 'smiley'"),
        ("last_reviewed: 2026-11-29", "last_reviewed: soon", "last_reviewed must be a date"),
        ("en: Living allowance}", "}", ":3: title.en is missing"),
        ("sign_language: null\n", "", "front matter key 'sign_language' is missing"),
        ("synonyms: [生活补助]", "synonyms: [生活补助]\ncolour: blue", "unknown front matter key 'colour'"),
        ("id: living-subsidy", "id: other", "does not match the file name"),
    ],
)
def test_checker_reports_each_problem_with_its_line(content: Path, old: str, new: str, expected: str) -> None:
    _edit(content, old, new)
    messages = _messages(content)
    assert any(expected in m for m in messages), messages
    assert all(m.startswith("content/policies/living-subsidy.md:") for m in messages)


def test_yaml_error_is_reported_with_file_and_line(content: Path) -> None:
    _edit(content, "apply: online", "apply: [online")
    messages = _messages(content)
    assert len(messages) == 1
    file, line, message = messages[0].split(":", 2)
    assert file == "content/policies/living-subsidy.md"
    assert 13 <= int(line) <= 15  # the unclosed [ on line 13, reported where the parser notices it
    assert "YAML error" in message


def test_missing_english_body_and_unknown_file_are_reported(content: Path) -> None:
    (content / "policies" / "living-subsidy.en.md").unlink()
    (content / "policies" / "stray.md").write_text("---\nid: stray\n---\n", encoding="utf-8")
    messages = _messages(content)
    assert "content/policies/living-subsidy.en.md:0: English body file is missing" in messages
    assert "content/policies/stray.md:0: 'stray' is not in catalogue.yml" in messages


def test_missing_catalogue_policy_and_broken_reference_yaml(content: Path) -> None:
    with (content / "catalogue.yml").open("a", encoding="utf-8") as f:
        f.write("  - {id: dibao, category: social-security, eligibility_rule: dibao}\n")
    (content / "tasks.yml").write_text("tasks:\n  - {'no': 1, lead: [dpf]\n", encoding="utf-8")
    messages = _messages(content)
    assert "content/policies/dibao.md:0: catalogue policy file is missing" in messages
    assert any(m.startswith("content/tasks.yml:") and "YAML error" in m for m in messages)


def test_task_with_unknown_department(content: Path) -> None:
    text = (content / "tasks.yml").read_text(encoding="utf-8").replace("lead: [dpf]", "lead: [ghost]", 1)
    (content / "tasks.yml").write_text(text, encoding="utf-8")
    assert any("task 1: unknown department 'ghost'" in m for m in _messages(content))


def test_seed_structure() -> None:
    seed = parse_seed(SEED)
    assert sorted(seed.annex_items) == list(range(1, 29))
    assert sorted(seed.columns[1]) == list(range(1, 14))  # 专栏1: the 13 indicators
    assert sorted(seed.columns[2]) == list(range(1, 11))
    assert sorted(seed.columns[7]) == list(range(1, 8))  # items 8, 9 after it belong to 第三章第三节
    assert sorted(seed.sections[(3, 3)]) == list(range(1, 10))
    assert check_seed_ref("第四章第二节3", seed) is None
    assert check_seed_ref("专栏3 第3、5、6项", seed) is None
    assert check_seed_ref("专栏8", seed) is None
    assert "not of the form" in (check_seed_ref("chapter 3", seed) or "")


def test_cli_exit_codes(content: Path) -> None:
    cmd = [sys.executable, "-m", "portal.content", "check", "--content", str(content), "--seed", str(SEED)]
    ok = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    _edit(content, "category: social-security", "category: welfare")
    bad = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    assert bad.returncode == 1
    assert "content/policies/living-subsidy.md:5: unknown category 'welfare'" in bad.stdout


def test_real_content_loads_in_catalogue_order() -> None:
    cat = load_catalogue(CONTENT)
    order = [e["id"] for e in yaml.safe_load((CONTENT / "catalogue.yml").read_text(encoding="utf-8"))["policies"]]
    assert len(order) == 43
    assert [p.id for p in cat.policies] == [i for i in order if cat.policy(i)]
    assert len(cat.categories) == 8
    for p in cat.policies:
        assert p.body_html.zh.count("<h2") >= 1, p.id


def test_real_content_passes_the_checker() -> None:
    """What set-up runs: a broken or missing policy file fails here."""
    problems = check_content(CONTENT, SEED)
    assert problems == [], "\n".join(map(str, problems))


# --- what residents read: online promises, internal words, quotations of the plan -------------------


HOW = "how_to_apply: {zh: 怎么申请, en: How to apply}"


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (HOW, "how_to_apply: {zh: 在本门户在线申请。, en: How to apply}", 16),
        (HOW, "how_to_apply: {zh: 怎么申请, en: Apply online on this portal.}", 16),
        ("text: 这是给困难残疾人的钱。", "text: 可以在网上申请。", 21),
        ("who: {zh: 谁可以申请, en: Who can apply}", "who: {zh: 谁可以申请, en: You can check the progress here.}", 14),
        ("生活补贴。<script>", "您可以在本门户提交诉求。<script>", 31),
    ],
)  # fmt: skip
def test_checker_refuses_online_promises_in_what_residents_read(
    content: Path, old: str, new: str, line: int
) -> None:
    _edit(content, old, new)
    messages = _messages(content)
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"content/policies/living-subsidy.md:{line}: promises an online service")


def test_checker_refuses_online_promises_in_the_english_body_and_reference_files(content: Path) -> None:
    (content / "policies" / "living-subsidy.en.md").write_text(
        "## How to apply\n\n1. Choose “Apply online” on this portal and send the form.\n"
        "2. You can check its progress here.\n",
        encoding="utf-8",
    )
    (content / "eligibility.yml").write_text(
        "next_steps:\n  common:\n    apply_offline:\n"
        "      zh: 您可以在本门户在线申请。\n      en: Apply at the centre.\n"
        "    apply_online:\n      zh: 您可以在本门户在线申请。\n      en: Apply online on this portal.\n",
        encoding="utf-8",
    )
    messages = _messages(content)
    # apply_online is shown only while the features registry has online applications open: it may say so.
    assert sorted(m.split(": promises")[0] for m in messages) == [
        "content/eligibility.yml:4",
        "content/policies/living-subsidy.en.md:3",
        "content/policies/living-subsidy.en.md:4",
    ], messages


def test_checker_allows_saying_there_is_no_online_application(content: Path) -> None:
    zh = "这是信息页，不用在本门户申请；这项资助在线下办理。"
    _edit(content, HOW, f"how_to_apply: {{zh: {zh}, en: No online application; you do not apply on this portal.}}")
    (content / "policies" / "living-subsidy.en.md").write_text(
        "## How to apply\n\nThere is no application on this portal. This portal has not confirmed the office.\n",
        encoding="utf-8",
    )
    assert _messages(content) == []


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("zh body", "依据：seed 专栏2 第2项。"),
        ("en body", "Source: Seed box 2 item 2."),
        ("front matter", None),
        ("checker texts", None),
    ],
)
def test_checker_refuses_the_word_seed_in_what_residents_read(content: Path, where: str, text: str | None) -> None:
    if where == "zh body":
        _edit(content, "生活补贴。<script>", text + "<script>")
        expected = "content/policies/living-subsidy.md:31"
    elif where == "en body":
        (content / "policies" / "living-subsidy.en.md").write_text(f"## Where this comes from\n\n{text}\n", "utf-8")
        expected = "content/policies/living-subsidy.en.md:3"
    elif where == "front matter":
        _edit(content, "what_you_get: {zh: 能得到什么, en: What you get}",
              "what_you_get: {zh: 见seed专栏2, en: What you get}")  # fmt: skip
        expected = "content/policies/living-subsidy.md:15"
    else:
        (content / "checker.yml").write_text("questions:\n  age:\n    hint: {zh: 按 seed 计算, en: Age}\n", "utf-8")
        expected = "content/checker.yml:3"
    messages = _messages(content)
    assert len(messages) == 1 and messages[0].startswith(expected) and "says “seed”" in messages[0], messages


def test_search_words_and_ids_are_not_resident_text(content: Path) -> None:
    """Keywords, synonyms and ids feed the search or the code; they may say anything."""
    _edit(content, "synonyms: [生活补助]", "synonyms: [生活补助, 网上申请补贴]")
    _edit(content, "keywords: {zh: [两项补贴, 生活补贴], en: [living allowance]}",
          "keywords: {zh: [两项补贴, 生活补贴], en: [living allowance, apply online]}")  # fmt: skip
    assert _messages(content) == []


PLAN_TEXT = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
_QUOTE = re.compile(r"“((?:[^“”]|“[^“”]*”)*)”")


def _section(text: str, heading: str) -> str | None:
    m = re.search(r"^## " + re.escape(heading) + r"\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1) if m else None


def _plan_quotes(section: str, chinese_only: bool) -> list[str]:
    """The quotations of a 政策依据 section (outermost “…”; a ‘…’ inside is the plan's “…”)."""
    quotes = []
    for q in _QUOTE.findall(section):
        if chinese_only and (not re.search(r"[\u4e00-\u9fff]", q) or re.search(r"[A-Za-z]", q)):
            continue  # an English paraphrase, not a quotation of the Chinese text
        quotes.append(q.replace("‘", "“").replace("’", "”"))
    return quotes


@pytest.mark.parametrize("policy_id", sorted(p.name[: -len(".md")] for p in (CONTENT / "policies").glob("*.md")
                                             if not p.name.endswith(".en.md")))  # fmt: skip
def test_policy_basis_quotations_are_word_for_word_in_the_plan(policy_id: str) -> None:
    """Every quotation in 政策依据 (and a Chinese quotation in its English counterpart) is the plan's own
    text; “……” marks an omission, so each part must be there, in order."""
    zh = _section((CONTENT / "policies" / f"{policy_id}.md").read_text(encoding="utf-8"), "政策依据")
    en = _section((CONTENT / "policies" / f"{policy_id}.en.md").read_text(encoding="utf-8"), "Where this comes from")
    assert zh is not None and en is not None, policy_id
    checked = 0
    for quote in _plan_quotes(zh, chinese_only=False) + _plan_quotes(en, chinese_only=True):
        parts = [re.sub(r"\s+", "", part) for part in re.split(r"…+", quote) if part.strip()]
        position = 0
        for part in parts:
            found = PLAN_TEXT.find(part, position)
            assert found >= 0, f"{policy_id}: not word for word in the plan: “{part}”"
            position = found + len(part)
        checked += 1
    assert checked or "“" not in zh, policy_id


def test_quotation_check_catches_a_paraphrase() -> None:
    section = "- 专栏2 第1项：“低保边缘家庭中的重度残疾人可以单独纳入低保。”\n"
    (quote,) = _plan_quotes(section, chinese_only=False)
    assert re.sub(r"\s+", "", quote) not in PLAN_TEXT
    assert "低保边缘家庭中的重度残疾人，经本人申请参照单人户纳入低保" in PLAN_TEXT


# --- sources per policy (python -m portal.content sources) -------------------------------------------

BASIS = """## 政策依据

- 《重庆市大足区“十四五”残疾人保障和发展规划》（大足府发〔2022〕27号）专栏2 第2项：“两项补贴”。
- 同一节还提出：动态调整。
- 规划第五章第二节2、附件 第25项：镇街普遍建立服务机构。
- 国发〔2015〕52号《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》：全国建立两项补贴制度。
- 重庆市文件：《重庆市残疾儿童康复救助实施办法（修订）》（渝残联发〔2023〕9号）。
- 国家法律：《中华人民共和国法律援助法》第四十二条。
- 以后会更好。

## 有问题找谁
"""


def test_claims_say_what_each_bullet_cites() -> None:
    found = sources.claims(BASIS, {"中华人民共和国法律援助法": "法律援助法 第42条"})
    assert [(c.plan, c.documents, c.kinds) for c in found] == [
        (("专栏2 第2项",), (), ("plan",)),  # the plan's own title and number are not another document
        (("专栏2 第2项",), (), ("plan",)),  # “同一节” repeats the bullet before
        (("第五章第二节2", "附件 第25项"), (), ("plan",)),
        ((), ("国发〔2015〕52号",), ("national",)),  # number and title: one document, by its number
        ((), ("渝残联发〔2023〕9号",), ("chongqing",)),
        ((), ("法律援助法 第42条",), ("national",)),  # a title the front matter knows: by its ref
        ((), (), ("none",)),
    ]


def test_every_claim_in_the_real_content_cites_the_plan_or_a_document() -> None:
    items = sources.policy_sources(CONTENT)
    assert len(items) == 43
    unsourced = [(i.id, c.text) for i in items for c in i.claims if c.kinds == ("none",)]
    assert unsourced == []
    assert all(i.claims for i in items)
    child = next(i for i in items if i.id == "child-rehab")
    assert child.count("chongqing") == 1 and child.count("national") == 1


def test_readme_sources_table_is_current() -> None:
    """content/README.md's table is generated: run `python -m portal.content sources --write-readme`."""
    assert sources.readme_table(CONTENT / "README.md") == sources.render_markdown(sources.policy_sources(CONTENT))


def test_sources_command(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "portal.content", "sources"]
    text = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert text.startswith("living-subsidy (困难残疾人生活补贴)\n")
    assert "  - national 国发〔2015〕52号 — " in text and "  - plan 专栏2 第2项 — " in text
    assert "CITES NOTHING" not in text
    table = subprocess.run([*cmd, "--markdown"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert table.splitlines()[0].startswith("| policy | claims | cite the plan |") and len(table.splitlines()) == 45
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    readme = copy / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("| dibao |", "| stale |"), encoding="utf-8")
    subprocess.run([*cmd, "--content", str(copy), "--write-readme"], cwd=ROOT, check=True, capture_output=True)
    assert sources.readme_table(readme) == table
