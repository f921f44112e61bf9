"""Table-driven tests of the 17 eligibility rules (eligibility-rules.md), their texts and amounts."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
import yaml

from portal.eligibility import FIELDS, RULE_IDS, RequestError, evaluate
from portal.eligibility import texts as eligibility_texts
from portal.eligibility.engine import COMPILED
from portal.eligibility.parameters import amount, load_parameters
from portal.eligibility.rules import RULES, RULES_BY_ID
from portal.eligibility.texts import load_texts, placeholders

ROOT = Path(__file__).resolve().parents[1]

# A Dazu certificate holder: the base most cases start from.
BASE = {"hukou": "dazu", "certificate": True}
# Someone living in Dazu with a residence permit, hukou elsewhere; and someone with neither.
PERMIT = {"hukou": "other", "residence_permit": True, "certificate": True}
ELSEWHERE = {"hukou": "chongqing", "residence_permit": False, "certificate": True}


def one(benefit: str, profile: dict, lang: str = "zh") -> dict:
    (result,) = evaluate(profile, [benefit], lang=lang)
    assert result["benefit"] == benefit
    return result


def p(**facts) -> dict:
    return {**BASE, **facts}


# (benefit, profile, status, missing)
CASES: list[tuple[str, dict, str, list[str]]] = [
    # living-subsidy
    ("living-subsidy", p(household="dibao"), "eligible", []),
    ("living-subsidy", p(household="dibao", orphan=True), "not_eligible", []),
    ("living-subsidy", p(household="tekun"), "not_eligible", []),
    ("living-subsidy", p(household="dibao_edge"), "needs_review", []),
    ("living-subsidy", p(household="low_income"), "needs_review", []),
    ("living-subsidy", p(household="low_income", orphan=True), "not_eligible", []),
    ("living-subsidy", p(household="none"), "not_eligible", []),
    ("living-subsidy", p(), "need_more_info", ["household"]),
    ("living-subsidy", {"household": "dibao"}, "need_more_info", ["hukou", "certificate"]),
    ("living-subsidy", {"household": "none"}, "not_eligible", []),
    ("living-subsidy", {"hukou": "other", "household": "dibao"}, "not_eligible", []),
    ("living-subsidy", {"hukou": "dazu", "certificate": False, "household": "dibao"}, "not_eligible", []),
    # nursing-subsidy: grades 2/3, exclusions, review
    ("nursing-subsidy", p(grade=2, long_term_care=True, household="none"), "eligible", []),
    ("nursing-subsidy", p(grade=1, long_term_care=True, household="dibao"), "eligible", []),
    ("nursing-subsidy", p(grade=3, long_term_care=True, household="none", category="physical"), "not_eligible", []),
    ("nursing-subsidy", p(grade=3, long_term_care=True, household="none", category="intellectual"), "needs_review", []),
    ("nursing-subsidy", p(grade=4, long_term_care=True, household="none", category="mental"), "needs_review", []),
    (
        "nursing-subsidy",
        p(grade=3, long_term_care=True, household="none", category="multiple", multiple_includes=["visual", "mental"]),
        "needs_review",
        [],
    ),
    (
        "nursing-subsidy",
        p(grade=3, long_term_care=True, household="none", category="multiple", multiple_includes=["visual"]),
        "not_eligible",
        [],
    ),
    (
        "nursing-subsidy",
        p(grade=3, long_term_care=True, household="none", category="multiple"),
        "need_more_info",
        ["multiple_includes"],
    ),
    (
        "nursing-subsidy",
        p(grade=3, long_term_care=True, household="none"),
        "need_more_info",
        ["category", "multiple_includes"],
    ),
    (
        "nursing-subsidy",
        p(grade=1, long_term_care=True, household="none", work_injury_nursing=True),
        "not_eligible",
        [],
    ),
    # 特困供养: a review (revised spec), only where the person would otherwise qualify or be reviewed
    ("nursing-subsidy", p(grade=1, long_term_care=True, household="tekun"), "needs_review", []),
    (
        "nursing-subsidy",
        p(grade=3, long_term_care=True, household="tekun", category="intellectual"),
        "needs_review",
        [],
    ),
    ("nursing-subsidy", p(grade=3, long_term_care=True, household="tekun", category="physical"), "not_eligible", []),
    ("nursing-subsidy", p(grade=1, long_term_care=False, household="tekun"), "not_eligible", []),
    ("nursing-subsidy", {**PERMIT, "grade": 1, "long_term_care": True, "household": "none"}, "not_eligible", []),
    ("nursing-subsidy", p(grade=1, long_term_care=False, household="none"), "not_eligible", []),
    ("nursing-subsidy", p(grade=3, long_term_care=False, category="intellectual"), "not_eligible", []),
    ("nursing-subsidy", p(grade=1, long_term_care=True), "need_more_info", ["household"]),
    ("nursing-subsidy", p(grade=1, household="none"), "need_more_info", ["long_term_care"]),
    # dibao
    ("dibao", p(grade=2, household="dibao_edge"), "eligible", []),
    ("dibao", p(grade=3, household="dibao_edge"), "needs_review", []),
    ("dibao", p(grade=1, household="dibao"), "not_eligible", []),
    ("dibao", p(household="tekun"), "not_eligible", []),
    ("dibao", p(grade=1, household="none"), "needs_review", []),
    ("dibao", p(household="low_income"), "needs_review", []),
    ("dibao", p(household="dibao_edge"), "need_more_info", ["grade"]),
    ("dibao", p(grade=1), "need_more_info", ["household"]),
    # sunshine-home: ages 15/16, 59/60
    ("sunshine-home", p(age=16, category="intellectual"), "eligible", []),
    ("sunshine-home", p(age=15, category="intellectual"), "not_eligible", []),
    ("sunshine-home", p(age=59, category="mental"), "eligible", []),
    ("sunshine-home", p(age=60, category="mental"), "not_eligible", []),
    ("sunshine-home", p(age=30, category="physical", grade=2), "eligible", []),
    ("sunshine-home", p(age=30, category="physical", grade=3), "not_eligible", []),
    ("sunshine-home", p(age=30, category="physical"), "need_more_info", ["grade"]),
    ("sunshine-home", p(age=30, category="visual", grade=1), "not_eligible", []),
    (
        "sunshine-home",
        p(age=30, category="multiple", multiple_includes=["physical", "visual"], grade=1),
        "eligible",
        [],
    ),
    ("sunshine-home", p(category="intellectual"), "need_more_info", ["age"]),
    ("sunshine-home", p(age=30), "need_more_info", ["category", "multiple_includes", "grade"]),
    ("sunshine-home", {**PERMIT, "age": 30, "category": "intellectual"}, "eligible", []),
    ("sunshine-home", {**ELSEWHERE, "age": 30, "category": "intellectual"}, "needs_review", []),
    ("sunshine-home", {**ELSEWHERE, "age": 60, "category": "intellectual"}, "not_eligible", []),
    # care-services
    ("care-services", p(grade=2, household="low_income"), "eligible", []),
    ("care-services", p(grade=3, household="low_income"), "not_eligible", []),
    ("care-services", p(grade=1, household="tekun"), "needs_review", []),
    ("care-services", p(grade=3, household="tekun"), "not_eligible", []),
    ("care-services", p(grade=1, household="none"), "not_eligible", []),
    ("care-services", p(grade=3), "not_eligible", []),
    ("care-services", p(grade=1), "need_more_info", ["household"]),
    ("care-services", {**PERMIT, "grade": 2, "household": "dibao"}, "eligible", []),
    ("care-services", {**ELSEWHERE, "grade": 2, "household": "dibao"}, "needs_review", []),
    ("care-services", {**ELSEWHERE, "grade": 3, "household": "dibao"}, "not_eligible", []),
    (
        "care-services",
        {"hukou": "other", "certificate": True, "grade": 2, "household": "dibao"},
        "need_more_info",
        ["residence_permit"],
    ),
    # pension-insurance: ages 15/16, 59/60
    ("pension-insurance", p(age=16, student=False, employment="unemployed", grade=1), "eligible", []),
    ("pension-insurance", p(age=15, student=False, employment="unemployed", grade=1), "not_eligible", []),
    (
        "pension-insurance",
        p(age=59, student=False, employment="self_employed", grade=4, household="dibao"),
        "eligible",
        [],
    ),
    ("pension-insurance", p(age=60, student=False, employment="unemployed", grade=1), "not_eligible", []),
    ("pension-insurance", p(age=30, student=True, employment="unemployed", grade=1), "not_eligible", []),
    ("pension-insurance", p(age=30, student=False, employment="employed", grade=1), "not_eligible", []),
    (
        "pension-insurance",
        p(age=30, student=False, employment="unable", grade=3, household="low_income"),
        "not_eligible",
        [],
    ),
    ("pension-insurance", p(age=30, student=False, employment="unable", grade=3), "need_more_info", ["household"]),
    ("pension-insurance", p(age=30, grade=1), "need_more_info", ["student", "employment"]),
    # fuel-subsidy
    ("fuel-subsidy", p(category="physical", lower_limb=True, motorized_wheelchair=True), "eligible", []),
    ("fuel-subsidy", p(category="physical", lower_limb=False, motorized_wheelchair=True), "not_eligible", []),
    ("fuel-subsidy", p(category="physical", lower_limb=True, motorized_wheelchair=False), "not_eligible", []),
    ("fuel-subsidy", p(category="hearing", lower_limb=True, motorized_wheelchair=True), "not_eligible", []),
    ("fuel-subsidy", p(category="physical"), "need_more_info", ["lower_limb", "motorized_wheelchair"]),
    (
        "fuel-subsidy",
        p(lower_limb=True, motorized_wheelchair=True),
        "need_more_info",
        ["category", "multiple_includes"],
    ),
    # startup-subsidy: ages 15/16
    ("startup-subsidy", p(age=16, employment="self_employed"), "eligible", []),
    ("startup-subsidy", p(age=15, employment="self_employed"), "not_eligible", []),
    ("startup-subsidy", p(age=70, employment="self_employed"), "eligible", []),
    ("startup-subsidy", p(age=30, employment="unemployed"), "needs_review", []),
    ("startup-subsidy", p(age=30, employment="employed"), "not_eligible", []),
    ("startup-subsidy", p(employment="retired"), "not_eligible", []),
    ("startup-subsidy", p(employment="self_employed"), "need_more_info", ["age"]),
    ("startup-subsidy", p(age=15), "not_eligible", []),
    # vocational-training: ages 15/16; no upper age, the retired included (revised spec)
    ("vocational-training", p(age=16), "eligible", []),
    ("vocational-training", p(age=15), "not_eligible", []),
    ("vocational-training", p(age=59), "eligible", []),
    ("vocational-training", p(age=60), "eligible", []),
    ("vocational-training", p(age=85), "eligible", []),
    ("vocational-training", p(), "need_more_info", ["age"]),
    ("vocational-training", {**PERMIT, "age": 40}, "eligible", []),
    ("vocational-training", {**ELSEWHERE, "age": 40}, "needs_review", []),
    ("vocational-training", {**ELSEWHERE, "age": 15}, "not_eligible", []),
    # precision-rehab
    ("precision-rehab", p(), "eligible", []),
    ("precision-rehab", {"hukou": "dazu"}, "need_more_info", ["certificate"]),
    ("precision-rehab", {"certificate": True}, "need_more_info", ["hukou", "residence_permit"]),
    ("precision-rehab", {"hukou": "chongqing"}, "need_more_info", ["residence_permit", "certificate"]),
    ("precision-rehab", PERMIT, "eligible", []),
    ("precision-rehab", ELSEWHERE, "needs_review", []),
    ("precision-rehab", {**ELSEWHERE, "certificate": False}, "not_eligible", []),
    # child-rehab: ages 6/7, 15/16
    ("child-rehab", {"age": 6, "category": "autism", "hukou": "dazu", "household": "dibao"}, "eligible", []),
    (
        "child-rehab",
        {"age": 6, "category": "hearing", "hukou": "other", "residence_permit": True, "household": "low_income"},
        "eligible",
        [],
    ),
    (
        "child-rehab",
        {"age": 6, "category": "hearing", "hukou": "other", "residence_permit": False, "household": "dibao"},
        "not_eligible",
        [],
    ),
    (
        "child-rehab",
        {"age": 6, "category": "hearing", "hukou": "other", "household": "dibao"},
        "need_more_info",
        ["residence_permit"],
    ),
    ("child-rehab", {"age": 3, "category": "speech", "hukou": "dazu", "household": "none"}, "needs_review", []),
    (
        "child-rehab",
        {"age": 3, "category": "speech", "hukou": "dazu", "household": "none", "orphan": True},
        "eligible",
        [],
    ),
    ("child-rehab", {"age": 3, "category": "speech", "hukou": "dazu"}, "need_more_info", ["household"]),
    ("child-rehab", {"age": 3, "hukou": "dazu", "household": "dibao"}, "need_more_info", ["category"]),
    (
        "child-rehab",
        {"age": 3, "category": "speech", "hukou": "dazu", "household": "dibao", "certificate": False},
        "eligible",
        [],
    ),
    ("child-rehab", {"age": 7, "hukou": "dazu", "certificate": True}, "eligible", []),
    (
        "child-rehab",
        {"age": 7, "hukou": "dazu", "certificate": False, "household": "dibao", "category": "autism"},
        "not_eligible",
        [],
    ),
    ("child-rehab", {"age": 7, "hukou": "other", "residence_permit": True, "certificate": True}, "not_eligible", []),
    ("child-rehab", {"age": 15, "hukou": "dazu", "certificate": True}, "eligible", []),
    ("child-rehab", {"age": 16, "hukou": "dazu", "certificate": True, "household": "dibao"}, "not_eligible", []),
    ("child-rehab", {"hukou": "dazu", "certificate": True}, "need_more_info", ["age", "category", "household"]),
    # assistive-devices
    ("assistive-devices", p(grade=2, household="none"), "eligible", []),
    ("assistive-devices", p(grade=3, household="low_income"), "eligible", []),
    ("assistive-devices", p(grade=3, household="none"), "not_eligible", []),
    ("assistive-devices", p(grade=1), "eligible", []),
    ("assistive-devices", p(household="dibao_edge"), "eligible", []),
    ("assistive-devices", p(grade=3), "need_more_info", ["household"]),
    ("assistive-devices", {**ELSEWHERE, "grade": 1}, "needs_review", []),
    ("assistive-devices", {**ELSEWHERE, "grade": 3, "household": "none"}, "not_eligible", []),
    # incontinence-supplies
    ("incontinence-supplies", p(grade=2, incontinence=True), "eligible", []),
    ("incontinence-supplies", p(grade=3, incontinence=True), "needs_review", []),
    ("incontinence-supplies", p(grade=1, incontinence=False), "not_eligible", []),
    ("incontinence-supplies", p(incontinence=True), "need_more_info", ["grade"]),
    ("incontinence-supplies", p(grade=4), "need_more_info", ["incontinence"]),
    ("incontinence-supplies", {**PERMIT, "grade": 1, "incontinence": True}, "eligible", []),
    ("incontinence-supplies", {**ELSEWHERE, "grade": 1, "incontinence": True}, "needs_review", []),
    ("incontinence-supplies", {**ELSEWHERE, "grade": 3, "incontinence": True}, "needs_review", []),
    # education-aid: 家庭经济困难的残疾学生; no certificate is a review, at any age (revised spec)
    ("education-aid", {"hukou": "dazu", "student": True, "certificate": True, "household": "dibao"}, "eligible", []),
    (
        "education-aid",
        {"hukou": "dazu", "student": True, "certificate": True, "household": "low_income"},
        "eligible",
        [],
    ),
    (
        "education-aid",
        {"hukou": "dazu", "student": True, "certificate": False, "household": "dibao"},
        "needs_review",
        [],
    ),
    ("education-aid", {"hukou": "dazu", "student": True, "certificate": True, "household": "none"}, "not_eligible", []),
    (
        "education-aid",
        {"hukou": "dazu", "student": True, "certificate": False, "household": "none"},
        "not_eligible",
        [],
    ),
    (
        "education-aid",
        {"hukou": "dazu", "student": False, "certificate": True, "household": "dibao"},
        "not_eligible",
        [],
    ),
    ("education-aid", {"hukou": "dazu", "student": True, "household": "dibao"}, "need_more_info", ["certificate"]),
    ("education-aid", {"hukou": "dazu", "student": True, "certificate": True}, "need_more_info", ["household"]),
    ("education-aid", {**PERMIT, "student": True, "household": "dibao"}, "eligible", []),
    (
        "education-aid",
        {"hukou": "other", "student": True, "household": "dibao"},
        "need_more_info",
        ["residence_permit", "certificate"],
    ),
    ("education-aid", {**ELSEWHERE, "student": True, "household": "dibao"}, "needs_review", []),
    # home-accessibility
    ("home-accessibility", p(grade=2, household="tekun"), "eligible", []),
    ("home-accessibility", p(grade=3, household="tekun"), "not_eligible", []),
    ("home-accessibility", p(grade=1, household="none"), "not_eligible", []),
    ("home-accessibility", p(grade=1), "need_more_info", ["household"]),
    ("home-accessibility", {**PERMIT, "grade": 1, "household": "dibao"}, "eligible", []),
    ("home-accessibility", {**ELSEWHERE, "grade": 1, "household": "dibao"}, "needs_review", []),
    # legal-aid: no residence condition; 低保边缘 alone is the ordinary means test (revised spec)
    ("legal-aid", p(fixed_income=False), "eligible", []),
    ("legal-aid", p(fixed_income=True, household="dibao_edge"), "needs_review", []),
    ("legal-aid", p(fixed_income=True, household="dibao"), "eligible", []),
    ("legal-aid", {**ELSEWHERE, "fixed_income": False}, "eligible", []),
    (
        "legal-aid",
        {"hukou": "other", "certificate": True, "fixed_income": True, "household": "none"},
        "needs_review",
        [],
    ),
    ("legal-aid", {"fixed_income": False}, "need_more_info", ["certificate"]),
    ("legal-aid", p(fixed_income=True, household="low_income"), "needs_review", []),
    ("legal-aid", p(fixed_income=True, household="none"), "needs_review", []),
    ("legal-aid", p(household="tekun"), "eligible", []),
    ("legal-aid", p(household="none"), "need_more_info", ["fixed_income"]),
    ("legal-aid", p(fixed_income=True), "need_more_info", ["household"]),
    ("legal-aid", {"hukou": "dazu", "certificate": False, "fixed_income": False}, "not_eligible", []),
    # assessment-subsidy: no certificate needed; not poor is a review (重度 is known only after it)
    ("assessment-subsidy", {"hukou": "dazu", "certificate": False, "household": "dibao"}, "eligible", []),
    ("assessment-subsidy", {"hukou": "dazu", "household": "low_income"}, "eligible", []),
    ("assessment-subsidy", {"hukou": "dazu", "household": "none"}, "needs_review", []),
    ("assessment-subsidy", {"hukou": "dazu"}, "need_more_info", ["household"]),
    ("assessment-subsidy", {"hukou": "other", "residence_permit": True, "household": "tekun"}, "eligible", []),
    ("assessment-subsidy", {"hukou": "other", "household": "tekun"}, "need_more_info", ["residence_permit"]),
    ("assessment-subsidy", {"hukou": "other", "residence_permit": False, "household": "none"}, "needs_review", []),
]


@pytest.mark.parametrize(("benefit", "profile", "status", "missing"), CASES)
def test_rule_table(benefit: str, profile: dict, status: str, missing: list[str]) -> None:
    for lang in ("zh", "en"):
        result = one(benefit, profile, lang)
        assert (result["status"], result["missing"]) == (status, missing)
        assert result["reasons"] and all(r.strip() for r in result["reasons"])
        assert result["next_step"].strip()
        assert "{" not in " ".join(result["reasons"]) + result["next_step"]


def test_every_rule_has_table_cases_for_each_status_it_can_give() -> None:
    covered: dict[str, set[str]] = {}
    for benefit, _, status, _ in CASES:
        covered.setdefault(benefit, set()).add(status)
    for rule in RULES:
        possible = {b.status for b in rule.branches}
        assert possible <= covered[rule.id], rule.id
        assert "need_more_info" in covered[rule.id], rule.id


SPEC_ORDER = [
    "living-subsidy", "nursing-subsidy", "dibao", "sunshine-home", "care-services", "pension-insurance",
    "fuel-subsidy", "startup-subsidy", "vocational-training", "precision-rehab", "child-rehab",
    "assistive-devices", "incontinence-supplies", "education-aid", "home-accessibility", "legal-aid",
    "assessment-subsidy",
]  # fmt: skip

SPEC_SOURCES = {
    "living-subsidy": "国发〔2015〕52号; seed 专栏2 第2项",
    "nursing-subsidy": "国发〔2015〕52号; seed 专栏2 第2项",
    "dibao": "seed 专栏2 第1项; 附件 第2项",
    "sunshine-home": "seed 第三章第一节3, 专栏2 第8项",
    "care-services": "seed 专栏2 第7项, 第三章第一节3",
    "pension-insurance": "国发〔2014〕8号; seed 第三章第一节4",
    "fuel-subsidy": "财社〔2010〕256号; seed 第三章第一节5",
    "startup-subsidy": "seed 专栏3 第1项; 残疾人就业条例 第19条",
    "vocational-training": "seed 第三章第二节3; 专栏1 第2、13项",
    "precision-rehab": "seed 第三章第三节2; 专栏5 第1项",
    "child-rehab": "国发〔2018〕20号; 渝残联发〔2023〕9号; seed 专栏5 第2项",
    "assistive-devices": "seed 第三章第一节5, 专栏2 第3项; 残疾预防和残疾人康复条例 第26条",
    "incontinence-supplies": "seed 第三章第一节5, 第三章第三节2; 附件 第6项",
    "education-aid": "seed 第三章第三节4; 附件 第15项; 残疾人教育条例",
    "home-accessibility": "seed 专栏1 第11项, 专栏8 第3项",
    "legal-aid": "法律援助法 第42条; seed 第三章第四节2",
    "assessment-subsidy": "seed 第三章第一节5, 专栏2 第5项",
}


def test_rule_order_and_results_follow_the_spec() -> None:
    assert list(RULE_IDS) == SPEC_ORDER
    assert [r["benefit"] for r in evaluate({})] == SPEC_ORDER
    assert [r["benefit"] for r in evaluate({}, ["legal-aid", "dibao"])] == ["dibao", "legal-aid"]
    assert evaluate({}, []) == []


PLAN = "《大足区“十四五”残疾人保障和发展规划》"

SHOWN_SOURCES = {
    "living-subsidy": ["国发〔2015〕52号", f"{PLAN}专栏2 第2项"],
    "dibao": [f"{PLAN}专栏2 第1项，附件 第2项"],
    "care-services": [f"{PLAN}专栏2 第7项，第三章第一节3"],
    "startup-subsidy": [f"{PLAN}专栏3 第1项", "《残疾人就业条例》第19条"],
    "vocational-training": [f"{PLAN}第三章第二节3，专栏1 第2、13项"],
    "child-rehab": ["国发〔2018〕20号", "渝残联发〔2023〕9号", f"{PLAN}专栏5 第2项"],
    "education-aid": [f"{PLAN}第三章第三节4，附件 第15项", "《残疾人教育条例》"],
    "legal-aid": ["《法律援助法》第42条", f"{PLAN}第三章第四节2"],
}


def test_rule_sources_are_the_spec_strings() -> None:
    for rule in RULES:
        # the spec separates sources with "; " (a comma stays inside one source)
        assert "; ".join(rule.sources) == SPEC_SOURCES[rule.id]


def test_sources_are_shown_as_residents_read_them() -> None:
    """The plan is 《大足区“十四五”残疾人保障和发展规划》 with its sections, never the spec's "seed"."""
    for lang in ("zh", "en"):
        for result in evaluate(p(), lang=lang):
            shown = result["sources"]
            assert shown and all(s.strip() for s in shown)
            assert not any("seed" in s.lower() for s in shown), shown
            plan = [s for s in shown if s.startswith(PLAN)]
            assert len(plan) == 1, shown  # one entry for the plan, its sections after the title
            assert len(shown) == len([s for s in SPEC_SOURCES[result["benefit"]].split("; ")
                                      if s.startswith(("国", "财", "渝", "残", "法"))]) + 1  # fmt: skip
            if result["benefit"] in SHOWN_SOURCES:
                assert shown == SHOWN_SOURCES[result["benefit"]]


def test_result_shape() -> None:
    for result in evaluate(p(age=40, grade=1)):
        assert set(result) == {"benefit", "status", "reasons", "missing", "sources", "next_step", "amount"}
        assert result["status"] in {"eligible", "not_eligible", "need_more_info", "needs_review"}
        assert (result["status"] == "need_more_info") == bool(result["missing"])


def test_declared_facts_are_the_facts_read() -> None:
    for rule in RULES:
        assert COMPILED[rule.id].derived_reads == frozenset(rule.reads), rule.id
        assert set(rule.reads) <= set(FIELDS)


FULL = {
    "age": 30, "grade": 1, "household": "dibao", "long_term_care": True, "category": "physical", "lower_limb": True,
    "motorized_wheelchair": True, "employment": "self_employed", "student": True, "incontinence": True,
    "fixed_income": False,
}  # fmt: skip
#: Residence (revised spec): cash benefits and social insurance need a Dazu hukou; services count a Dazu
#: residence permit and review anyone else; legal-aid has no residence condition; child-rehab has its own.
CASH = ["living-subsidy", "nursing-subsidy", "dibao", "pension-insurance", "fuel-subsidy", "startup-subsidy"]
SERVICES = [
    "sunshine-home", "care-services", "vocational-training", "precision-rehab", "assistive-devices",
    "incontinence-supplies", "home-accessibility", "assessment-subsidy", "education-aid",
]  # fmt: skip


def _full(benefit: str, **facts) -> dict:
    profile = p(**FULL, **facts)
    if benefit == "pension-insurance":
        profile["student"] = False
    return profile


def test_residence_groups_cover_every_rule() -> None:
    assert sorted([*CASH, *SERVICES, "legal-aid", "child-rehab"]) == sorted(SPEC_ORDER)


@pytest.mark.parametrize("benefit", CASH)
def test_cash_benefits_need_a_dazu_hukou(benefit: str) -> None:
    assert one(benefit, _full(benefit))["status"] != "not_eligible" or benefit == "dibao"
    for hukou in ("chongqing", "other"):
        for permit in (None, True, False):  # a residence permit does not replace the hukou here
            result = one(benefit, _full(benefit, hukou=hukou, residence_permit=permit))
            assert result["status"] == "not_eligible"
            assert result["missing"] == []
            assert "户籍" in result["reasons"][0] and "户籍所在地" in result["next_step"]
            assert "通办" in result["next_step"]
        en = one(benefit, _full(benefit, hukou=hukou), "en")
        assert "hukou" in en["reasons"][0] and "hukou" in en["next_step"]


@pytest.mark.parametrize("benefit", SERVICES)
def test_services_accept_a_residence_permit_and_review_other_residents(benefit: str) -> None:
    dazu = one(benefit, _full(benefit))
    assert dazu["status"] == "eligible", dazu
    with_permit = one(benefit, _full(benefit, hukou="other", residence_permit=True))
    assert (with_permit["status"], with_permit["reasons"]) == (dazu["status"], dazu["reasons"])
    for hukou in ("chongqing", "other"):
        result = one(benefit, _full(benefit, hukou=hukou, residence_permit=False))
        assert result["status"] == "needs_review" and result["missing"] == []
        assert "居住证" in result["reasons"][0] and "常住人口" in result["reasons"][0]
        assert "区残联" in result["next_step"] and "12385" in result["next_step"]
        assert "户籍所在地" not in result["next_step"]
        en = one(benefit, _full(benefit, hukou=hukou, residence_permit=False), "en")
        assert "residence permit" in en["reasons"][0] and "Federation" in en["next_step"]
        unknown = one(benefit, _full(benefit, hukou=hukou))
        assert (unknown["status"], unknown["missing"]) == ("need_more_info", ["residence_permit"])
    # residence alone never gives not_eligible; an unmet requirement still does
    if "certificate" in RULES_BY_ID[benefit].reads and benefit != "education-aid":
        no_cert = one(benefit, _full(benefit, hukou="other", residence_permit=False, certificate=False))
        assert no_cert["status"] == "not_eligible" and "残疾人证" in no_cert["reasons"][0]


def test_legal_aid_has_no_residence_condition() -> None:
    assert "hukou" not in RULES_BY_ID["legal-aid"].reads and "residence_permit" not in RULES_BY_ID["legal-aid"].reads
    for hukou in ("dazu", "chongqing", "other"):
        result = one("legal-aid", _full("legal-aid", hukou=hukou))
        assert result["status"] == "eligible"
        assert "户籍" not in " ".join(result["reasons"]) + result["next_step"]


def test_two_subsidies_point_to_tongban() -> None:
    for benefit in ("living-subsidy", "nursing-subsidy"):
        assert "跨省通办" in one(benefit, {"hukou": "other"})["next_step"]


# education-aid names a review for a student without a certificate (see below)
CERT_RULES = [r.id for r in RULES if "certificate" in r.reads and r.id != "education-aid"]


@pytest.mark.parametrize("benefit", CERT_RULES)
def test_certificate_rule(benefit: str) -> None:
    profile = {
        "hukou": "dazu", "certificate": False, "age": 10, "grade": 1, "household": "dibao", "long_term_care": True,
        "category": "physical", "lower_limb": True, "motorized_wheelchair": True, "employment": "self_employed",
        "student": True, "incontinence": True, "fixed_income": False,
    }  # fmt: skip
    if benefit != "child-rehab":
        profile["age"] = 30
    result = one(benefit, profile)
    assert result["status"] == "not_eligible" and result["missing"] == []
    assert "残疾人证" in result["reasons"][0]
    assert "残疾评定" in result["next_step"] and "评定补贴" in result["next_step"]
    en = one(benefit, profile, "en")
    assert "assessment" in en["next_step"] and "certificate" in en["reasons"][0]


def test_certificate_not_needed_for_young_children_and_assessment_subsidy() -> None:
    young = {"age": 4, "category": "autism", "hukou": "dazu", "household": "dibao", "certificate": False}
    assert one("child-rehab", young)["status"] == "eligible"
    assert "certificate" not in RULES_BY_ID["assessment-subsidy"].reads


def test_education_aid_without_a_certificate_is_a_review_at_any_age() -> None:
    """The plan names only 家庭经济困难的残疾学生: no age exception, no diagnosis document (revised spec)."""
    assert "age" not in RULES_BY_ID["education-aid"].reads
    profile = {"hukou": "dazu", "student": True, "certificate": False, "household": "dibao"}
    result = one("education-aid", profile)
    assert result["status"] == "needs_review" and "残疾人证" in result["reasons"][0]
    assert "区教委" in result["next_step"]
    assert "Education" in one("education-aid", profile, "en")["next_step"]


def test_exclusion_flags_default_to_false_and_are_never_missing() -> None:
    results = evaluate({})
    assert all("orphan" not in r["missing"] and "work_injury_nursing" not in r["missing"] for r in results)
    assert one("living-subsidy", p(household="dibao"))["status"] == "eligible"
    assert one("nursing-subsidy", p(grade=1, long_term_care=True, household="none"))["status"] == "eligible"
    assert FIELDS["orphan"].default is False and FIELDS["work_injury_nursing"].default is False


def test_reasons_name_the_deciding_fact() -> None:
    nursing = p(grade=3, long_term_care=True, household="none", category="physical")
    assert one("nursing-subsidy", nursing)["reasons"] == ["您的残疾等级为三级，护理补贴面向一级、二级重度残疾人。"]
    assert "grade 3" in one("nursing-subsidy", nursing, "en")["reasons"][0]
    assert "15岁" in one("sunshine-home", p(age=15, category="mental"))["reasons"][0]
    assert "60" in one("pension-insurance", p(age=60))["reasons"][0]
    assert "听力残疾" in one("fuel-subsidy", p(category="hearing"))["reasons"][0]
    assert "低保边缘家庭" in one("living-subsidy", p(household="dibao_edge"))["reasons"][0]
    assert "已退休" in one("startup-subsidy", p(age=65, employment="retired"))["reasons"][0]
    assert "重庆市以外" in one("fuel-subsidy", {"hukou": "other"})["reasons"][0]
    assert "没有大足区居住证" in one("precision-rehab", ELSEWHERE)["reasons"][0]
    several = one("nursing-subsidy", {"hukou": "other", "certificate": False})["reasons"]
    assert len(several) == 2 and "户籍" in several[0] and "残疾人证" in several[1]


def test_need_more_info_lists_the_questions() -> None:
    result = one("dibao", p())
    assert result["reasons"] == ["还需要知道：残疾等级、家庭是否特困、低保、低保边缘或其他低收入家庭。"]
    assert "disability grade" in one("dibao", p(), "en")["reasons"][0]


def test_review_says_who_decides() -> None:
    cases = {
        "living-subsidy": (p(household="low_income"), "区民政局"),
        "nursing-subsidy": (p(grade=3, long_term_care=True, household="none", category="mental"), "区民政局"),
        "dibao": (p(household="none"), "区民政局"),
        "startup-subsidy": (p(age=30, employment="unemployed"), "区人力社保局"),
        "child-rehab": ({"age": 2, "category": "visual", "hukou": "dazu", "household": "none"}, "区残联"),
        "incontinence-supplies": (p(grade=4, incontinence=True), "区残联"),
        "legal-aid": (p(fixed_income=True, household="none"), "区司法局"),
        "care-services": (p(grade=1, household="tekun"), "区民政局"),
        "education-aid": ({"hukou": "dazu", "student": True, "certificate": False, "household": "dibao"}, "区教委"),
        "assessment-subsidy": ({"hukou": "dazu", "household": "none"}, "区残联"),
        "sunshine-home": ({**ELSEWHERE, "age": 30, "category": "mental"}, "区残联"),
    }
    tekun = one("nursing-subsidy", p(grade=1, long_term_care=True, household="tekun"))
    assert tekun["status"] == "needs_review" and "区民政局" in tekun["next_step"] and "特困" in tekun["reasons"][0]
    for benefit, (profile, decider) in cases.items():
        result = one(benefit, profile)
        assert result["status"] == "needs_review", benefit
        assert decider in result["next_step"], benefit
        en = one(benefit, profile, "en")["next_step"]
        assert "Bureau" in en or "Federation" in en or "Commission" in en


def test_child_rehab_points_older_children_to_precision_rehab() -> None:
    result = one("child-rehab", {"age": 16})
    assert result["status"] == "not_eligible" and "精准康复" in result["next_step"]


def test_evaluate_validates_its_input() -> None:
    with pytest.raises(RequestError) as err:
        evaluate({"age": True})
    assert err.value.field == "profile.age"
    with pytest.raises(RequestError) as err:
        evaluate({}, ["nope"])
    assert err.value.field == "benefits[0]"
    with pytest.raises(RequestError) as err:
        evaluate({}, "dibao")  # type: ignore[arg-type]
    assert err.value.field == "benefits"
    with pytest.raises(RequestError) as err:
        evaluate({}, lang="fr")
    assert err.value.field == "lang"


# --- texts ---------------------------------------------------------------------------------------

KNOWN_PLACEHOLDERS = set(FIELDS) | {"lead", "decider", "fields"}


def test_every_text_key_exists_in_both_languages_with_known_placeholders() -> None:
    keys: list[tuple[str, str]] = [("reasons", f"common.{s}") for s in ("need_more_info", "eligible", "not_eligible")]
    keys += [("next_steps", k) for k in ("common.apply_online", "common.apply_offline", "common.need_more_info")]
    for rule in RULES:
        for branch in rule.branches:
            keys += [("reasons", branch.reason), ("next_steps", branch.next_step)]
    for section, key in keys:
        if key in {"common.apply", "common.review", "common.help"} and section == "next_steps":
            key = {"common.apply": "common.apply_online"}.get(key, key)
        zh = eligibility_texts.text(section, key, "zh")
        en = eligibility_texts.text(section, key, "en")
        assert zh.strip() and en.strip(), key
        assert placeholders(zh) == placeholders(en), key
        assert placeholders(zh) <= KNOWN_PLACEHOLDERS, key


def test_every_field_and_value_has_labels() -> None:
    data = load_texts()
    for name, meta in FIELDS.items():
        assert data["fields"][name]["zh"] and data["fields"][name]["en"]
        if meta.type == "enum" or name == "grade":
            values = meta.allowed or range(meta.min, meta.max + 1)
            for value in values:
                assert data["values"][name][value]["zh"] and data["values"][name][value]["en"]


def test_texts_invent_no_numbers_but_12385() -> None:
    """Amounts, phone numbers and deadlines are not in the plan: only ages, grades, 12385 and section numbers."""
    import re

    raw = (ROOT / "content" / "eligibility.yml").read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.lstrip().startswith("#"))
    numbers = set(re.findall(r"\d+", body))
    assert numbers <= {"12385", "1", "2", "3", "4", "6", "7", "15", "16", "59", "60", "0"}, numbers


def test_eligibility_package_imports_no_flask() -> None:
    for path in (ROOT / "portal" / "eligibility").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "flask" for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "flask", path


# --- amounts -------------------------------------------------------------------------------------

AMOUNT_RULES = [
    "living-subsidy", "nursing-subsidy", "dibao", "fuel-subsidy", "startup-subsidy", "child-rehab",
    "assistive-devices", "incontinence-supplies", "education-aid", "home-accessibility", "assessment-subsidy",
    "pension-insurance",
]  # fmt: skip


def test_parameters_file_has_one_unconfirmed_amount_per_benefit() -> None:
    params = load_parameters()
    assert set(params) == {f"{r}.amount" for r in AMOUNT_RULES}
    for entries in params.values():
        for entry in entries:
            assert entry["confirmed"] is False and entry["value"] is None
            assert "大足府发〔2022〕27号" in entry["source"]
            assert entry["zh"] and entry["en"]
            assert "12385" in entry["ask"]["zh"] and "12385" in entry["ask"]["en"]
    for rule in RULES:
        assert (rule.amount is not None) == (rule.id in AMOUNT_RULES)


def test_amount_in_answers_is_never_shown_unconfirmed() -> None:
    for result in evaluate(p(), on=date(2026, 1, 1)):
        if result["benefit"] in AMOUNT_RULES:
            amt = result["amount"]
            assert amt["confirmed"] is False and amt["value"] is None
            assert amt["effective_from"] == "2022-08-11" and "区" in amt["ask"]
        else:
            assert result["amount"] is None
    en = one("dibao", p(), "en")["amount"]
    assert "12385" in en["ask"] and "区" not in en["ask"]
    # before the plan there is no entry in force
    assert one("dibao", p(), "zh") != {} and evaluate(p(), ["dibao"], on=date(2020, 1, 1))[0]["amount"] is None


def test_amount_lookup_by_effective_date(tmp_path: Path) -> None:
    data = {
        "parameters": [
            {"id": "x.amount", "zh": "x", "en": "x", "value": 100, "unit": "CNY/month", "effective_from": "2023-01-01",
             "confirmed": True, "source": "doc A", "ask": {"zh": "问A", "en": "ask A"}},
            {"id": "x.amount", "zh": "x", "en": "x", "value": 120, "unit": "CNY/month", "effective_from": "2024-07-01",
             "confirmed": True, "source": "doc B", "ask": {"zh": "问B", "en": "ask B"}},
            {"id": "x.amount", "zh": "x", "en": "x", "value": 999, "unit": "CNY/month", "effective_from": "2025-01-01",
             "confirmed": False, "source": "draft", "ask": {"zh": "问C", "en": "ask C"}},
        ]
    }  # fmt: skip
    path = tmp_path / "parameters.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert amount("x.amount", date(2022, 12, 31), "zh", path) is None
    assert amount("x.amount", date(2023, 1, 1), "zh", path)["value"] == 100
    assert amount("x.amount", date(2024, 6, 30), "en", path)["source"] == "doc A"
    got = amount("x.amount", date(2024, 7, 1), "en", path)
    assert got == {"value": 120, "unit": "CNY/month", "confirmed": True, "effective_from": "2024-07-01",
                   "source": "doc B", "ask": "ask B"}  # fmt: skip
    later = amount("x.amount", date(2030, 1, 1), "zh", path)
    assert later["value"] is None and later["confirmed"] is False and later["ask"] == "问C"
    assert amount("y.amount", date(2030, 1, 1), "zh", path) is None
