"""content/needs.yml: loading, and each problem ``python -m portal.content check`` reports for it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portal.content import check_content, load_catalogue
from portal.content.needs import check_needs, load_needs

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"

TEXTS = {
    "nursing-subsidy": ("需要长期照护的重度残疾人", "People who need long-term care"),
    "assistive-devices": ("轮椅、助听器", "wheelchairs, hearing aids"),
}
VALID = {
    "question_frame": {"zh": ["有没有", "能领什么"], "en": ["what", "can i get"]},
    "context": {"zh": ["我妈", "补助"], "en": ["mother"]},
    "names": [{"policies": ["nursing-subsidy"], "zh": ["护理补贴"], "en": ["care allowance"]}],
    "needs": [
        {"id": "bedridden", "say": {"zh": ["瘫痪在床", "卧床"], "en": ["bedridden"]},
         "means": {"zh": ["长期照护"], "en": ["long-term care"]}, "policies": ["nursing-subsidy"]},
        {"id": "hearing", "say": {"zh": ["耳朵背"], "en": ["hard of hearing"]},
         "means": {"zh": ["助听器"], "en": ["hearing aid"]}, "policies": ["assistive-devices"]},
    ],
}


def _problems(tmp_path: Path, data: object) -> list[str]:
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (content / "needs.yml").write_text(text, encoding="utf-8")
    return [str(p) for p in check_needs(content, TEXTS.get)]


def _edit(change) -> dict:
    data = yaml.safe_load(yaml.safe_dump(VALID, allow_unicode=True))
    change(data)
    return data


def test_valid_vocabulary_has_no_problems_and_loads(tmp_path: Path) -> None:
    assert _problems(tmp_path, VALID) == []
    vocab = load_needs(tmp_path / "content")
    assert vocab.frame_zh == ("有没有", "能领什么") and vocab.context_en == ("mother",)
    assert vocab.names[0].policies == ("nursing-subsidy",) and vocab.names[0].en == ("care allowance",)
    [bedridden, hearing] = vocab.needs
    assert bedridden.say_zh == ("瘫痪在床", "卧床") and bedridden.means_en == ("long-term care",)
    assert hearing.policies == ("assistive-devices",)


def test_no_file_is_no_problem_and_an_empty_vocabulary(tmp_path: Path) -> None:
    assert check_needs(tmp_path, TEXTS.get) == []
    assert load_needs(tmp_path).needs == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # unknown policy ids
        (lambda d: d["needs"][0].update(policies=["no-such-policy"]), "bedridden: unknown policy id 'no-such-policy'"),
        (lambda d: d["names"][0].update(policies=["made-up"]), "names[1]: unknown policy id 'made-up'"),
        # empty entries, lists and terms
        (lambda d: d["needs"].append({}), "needs entry 3 is empty or not a mapping"),
        (lambda d: d["needs"][0]["say"].update(zh=[]), "bedridden.say.zh must be a non-empty list of terms"),
        (lambda d: d["needs"][0]["say"].update(en=["  "]), "bedridden.say.en has an empty or non-text term"),
        (lambda d: d["needs"][1]["means"].update(zh=[]), "hearing: means.zh must be a non-empty list of terms"),
        (lambda d: d["needs"][1].update(policies=[]), "hearing.policies must be a non-empty list of policy ids"),
        (lambda d: d["needs"][1].pop("means"), "hearing: means must be a mapping"),
        (lambda d: d["needs"][1].update(id=""), "needs entry 2 has no id"),
        (lambda d: d["question_frame"].update(en=[]), "question_frame.en must be a non-empty list of terms"),
        (lambda d: d["names"][0].update(zh=None), "names[1].zh must be a non-empty list of terms"),
        # duplicates
        (lambda d: d["needs"][1]["say"]["zh"].append("卧床"),
         "duplicate term '卧床' in hearing.say.zh (already in bedridden.say)"),
        (lambda d: d["needs"][0]["say"]["zh"].append("瘫痪在床"), "duplicate term '瘫痪在床' in bedridden.say.zh"),
        (lambda d: d["context"]["zh"].append("有没有"),
         "duplicate term '有没有' in context.zh (already in question_frame)"),
        (lambda d: d["needs"][1].update(id="bedridden"), "duplicate need id 'bedridden'"),
        (lambda d: d["needs"][1].update(policies=["assistive-devices", "assistive-devices"]),
         "hearing: duplicate policy id 'assistive-devices'"),
        (lambda d: d["names"].append({"policies": ["assistive-devices"], "zh": ["护理补贴"], "en": ["devices"]}),
         "duplicate term '护理补贴' in names[2].zh"),
        # a need may only list policies whose own text covers it
        (lambda d: d["needs"][0].update(policies=["nursing-subsidy", "assistive-devices"]),
         "bedridden: policy 'assistive-devices' mentions none of means.zh (长期照护)"),
        (lambda d: d["needs"][1]["means"].update(en=["free money"]),
         "hearing: policy 'assistive-devices' mentions none of means.en (free money)"),
        # structure
        (lambda d: d.update(extras=[]), "unknown section 'extras'"),
        (lambda d: d["needs"][0].update(colour="blue"), "needs entry 1: unknown key 'colour'"),
    ],
)
def test_each_problem_is_reported(tmp_path: Path, change, expected: str) -> None:
    problems = _problems(tmp_path, _edit(change))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("content/needs.yml:") for p in problems)


def test_problems_point_at_the_entry_line(tmp_path: Path) -> None:
    text = yaml.safe_dump(_edit(lambda d: d["needs"][1].update(policies=["nope"])), allow_unicode=True,
                          sort_keys=False)
    [problem] = _problems(tmp_path, text)
    line = int(problem.split(":")[1])
    assert text.splitlines()[line - 1].lstrip().startswith("- id: hearing")


def test_yaml_error_is_reported_with_its_line(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, "needs:\n  - {id: x, say: [unclosed\n")
    assert problem.startswith("content/needs.yml:") and "YAML error" in problem


def test_the_real_vocabulary_loads_and_only_points_at_covering_policies() -> None:
    catalogue = load_catalogue(CONTENT)
    vocab = catalogue.needs
    assert len(vocab.needs) >= 25 and vocab.frame_zh and vocab.context_zh and vocab.names
    ids = {p.id for p in catalogue.policies}
    assert {pid for need in vocab.needs for pid in need.policies} <= ids
    by_id = {n.id: n for n in vocab.needs}
    # the mappings are there
    assert "瘫痪在床" in by_id["bedridden"].say_zh and "长期照护" in by_id["bedridden"].means_zh
    assert "不会说话" in by_id["speech"].say_zh and "言语" in by_id["speech"].means_zh
    assert "耳朵背" in by_id["hearing-loss"].say_zh and "助听器" in by_id["hearing-loss"].means_zh
    assert "漏雨" in by_id["unsafe-house"].say_zh and "危房" in by_id["unsafe-house"].means_zh
    assert "尿不湿" in by_id["incontinence"].say_zh and "失禁" in by_id["incontinence"].means_zh
    assert all(n.say_en and n.means_en for n in vocab.needs)  # both languages


def test_check_content_and_the_cli_report_a_broken_vocabulary(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    assert [p for p in check_content(content) if "needs.yml" in p.file] == []
    data = yaml.safe_load((content / "needs.yml").read_text(encoding="utf-8"))
    data["needs"][0]["policies"].append("fuel-subsidy")  # the fuel subsidy does not cover long-term care
    (content / "needs.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = [str(p) for p in check_content(content)]
    assert any("policy 'fuel-subsidy' mentions none of means" in p for p in problems), problems
    cli = subprocess.run([sys.executable, "-m", "portal.content", "check", "--content", str(content)],
                         capture_output=True, text=True, cwd=ROOT)
    assert cli.returncode == 1 and "needs.yml" in cli.stdout
