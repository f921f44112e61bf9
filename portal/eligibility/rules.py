"""The 17 eligibility rules of ``eligibility-rules.md``, in the order of its table.

A rule is a decision list: the first branch whose condition holds gives the status, the reason and the
next step. Branches are ordered by the precedence this module applies everywhere:

1. residence (revised 2026-12-01): cash benefits and social insurance need ``hukou == dazu``
   (not_eligible otherwise, next step: 户籍所在地, 全市通办/跨省通办); services count a 大足区 居住证 as
   living in Dazu and answer ``needs_review`` for anyone else (``services``, below); legal-aid has no
   residence condition; child-rehab has its own;
2. no certificate, where the rule needs one → not_eligible (next step: disability assessment);
3. exclusions (orphan, work-injury nursing allowance, already covered) → not_eligible;
4. other unmet requirements → not_eligible;
5. eligible branches; 6. review branches (``needs_review``); 7. the last branch catches the rest.

An exclusion or unmet requirement therefore wins over a review branch; review branches never overlap
an eligible branch. Texts are keys into ``content/eligibility.yml``; amounts live in
``content/parameters.yml``. ``sources`` are the spec's strings ("seed …" is the spec's shorthand for the
plan); ``texts.display_sources`` turns them into what residents read.
"""

from __future__ import annotations

from dataclasses import dataclass

from .logic import POOR, SEVERE, TRUE, Between, Cond, Given, Is, OneOf, has

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
NEED_MORE_INFO = "need_more_info"
NEEDS_REVIEW = "needs_review"
STATUSES = (ELIGIBLE, NOT_ELIGIBLE, NEED_MORE_INFO, NEEDS_REVIEW)


@dataclass(frozen=True)
class Branch:
    """``when`` holds → ``status``; ``reason`` and ``next_step`` are text keys; ``decides`` is the
    department id that decides a review branch."""

    when: Cond
    status: str
    reason: str
    next_step: str
    decides: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    reads: tuple[str, ...]
    sources: tuple[str, ...]
    lead: str  # departments.yml id of the lead department (policy-catalogue.yml)
    apply: str  # online | offline (policy-catalogue.yml)
    branches: tuple[Branch, ...]
    amount: str | None = None  # parameters.yml id, when the benefit has an amount


NOT_DAZU = ~Is("hukou", "dazu")
#: Services: a Dazu hukou or a Dazu residence permit counts as living in Dazu (seed 第三章第五节4:
#: “残疾人基本公共服务逐步覆盖常住人口”).
RESIDENT = Is("hukou", "dazu") | Is("residence_permit", True)
NO_CERT = Is("certificate", False)
#: Cash benefits and social insurance: the hukou decides where they are paid.
HUKOU = Branch(NOT_DAZU, NOT_ELIGIBLE, "common.hukou", "common.hukou")
#: 两项补贴 are 全市通办、跨省通办 (seed 专栏2 第2项): same branch, a more specific next step.
HUKOU_TONGBAN = Branch(NOT_DAZU, NOT_ELIGIBLE, "common.hukou", "common.hukou_tongban")
CERT = Branch(NO_CERT, NOT_ELIGIBLE, "common.no_certificate", "common.assessment")
APPLY = "common.apply"
REVIEW = "common.review"
HELP = "common.help"


def _b(when: Cond, status: str, reason: str, next_step: str = "", decides: str | None = None) -> Branch:
    if not next_step:
        next_step = {ELIGIBLE: APPLY, NEEDS_REVIEW: REVIEW, NOT_ELIGIBLE: HELP}[status]
    return Branch(when, status, reason, next_step, decides)


def _age(low: int | None, high: int | None) -> Cond:
    return Between("age", low, high)


def services(*branches: Branch) -> tuple[Branch, ...]:
    """The branches of a service rule, with the residence condition of the revised spec: before every
    eligible or review branch, the same condition for someone who neither has a Dazu hukou nor a Dazu
    residence permit answers ``needs_review`` (区残联 says what applies to them). Residence alone therefore
    never makes an answer ``not_eligible``, and an unmet requirement still does."""
    out: list[Branch] = []
    for branch in branches:
        if branch.status in (ELIGIBLE, NEEDS_REVIEW):
            out.append(Branch(branch.when & ~RESIDENT, NEEDS_REVIEW, "common.residence", "common.residence", "dpf"))
        out.append(branch)
    return tuple(out)


HAS_INTELLECTUAL_OR_MENTAL = has("intellectual") | has("mental")

RULES: tuple[Rule, ...] = (
    Rule(
        "living-subsidy",
        ("hukou", "certificate", "household", "orphan"),
        ("国发〔2015〕52号", "seed 专栏2 第2项"),
        "civil-affairs",
        "online",
        (
            HUKOU_TONGBAN,
            CERT,
            _b(Is("orphan", True), NOT_ELIGIBLE, "living-subsidy.orphan"),
            _b(Is("household", "tekun"), NOT_ELIGIBLE, "living-subsidy.tekun"),
            _b(Is("household", "dibao"), ELIGIBLE, "living-subsidy.eligible"),
            _b(
                OneOf("household", "dibao_edge", "low_income"),
                NEEDS_REVIEW,
                "living-subsidy.review",
                decides="civil-affairs",
            ),
            _b(TRUE, NOT_ELIGIBLE, "living-subsidy.not_dibao"),
        ),
        amount="living-subsidy.amount",
    ),
    Rule(
        "nursing-subsidy",
        (
            "hukou",
            "certificate",
            "grade",
            "long_term_care",
            "work_injury_nursing",
            "household",
            "category",
            "multiple_includes",
        ),
        ("国发〔2015〕52号", "seed 专栏2 第2项"),
        "civil-affairs",
        "online",
        (
            HUKOU_TONGBAN,
            CERT,
            _b(Is("work_injury_nursing", True), NOT_ELIGIBLE, "nursing-subsidy.work_injury"),
            _b(Is("long_term_care", False), NOT_ELIGIBLE, "nursing-subsidy.no_long_term_care"),
            # 特困供养: whether it combines with the nursing allowance is not confirmed (revised spec).
            _b(
                Is("household", "tekun") & (SEVERE | (Between("grade", 3, 4) & HAS_INTELLECTUAL_OR_MENTAL)),
                NEEDS_REVIEW,
                "nursing-subsidy.tekun",
                decides="civil-affairs",
            ),
            _b(SEVERE, ELIGIBLE, "nursing-subsidy.eligible"),
            # 扩面 to grade 3–4 intellectual / mental is a local option. Read together with the
            # eligible row: the review replaces `severe`, the other conditions still apply.
            _b(
                Between("grade", 3, 4) & HAS_INTELLECTUAL_OR_MENTAL,
                NEEDS_REVIEW,
                "nursing-subsidy.review",
                decides="civil-affairs",
            ),
            _b(TRUE, NOT_ELIGIBLE, "nursing-subsidy.not_severe"),
        ),
        amount="nursing-subsidy.amount",
    ),
    Rule(
        "dibao",
        ("hukou", "certificate", "grade", "household"),
        ("seed 专栏2 第1项", "附件 第2项"),
        "civil-affairs",
        "offline",
        (
            HUKOU,
            CERT,
            _b(OneOf("household", "dibao", "tekun"), NOT_ELIGIBLE, "dibao.covered"),
            _b(SEVERE & Is("household", "dibao_edge"), ELIGIBLE, "dibao.single_household"),
            _b(TRUE, NEEDS_REVIEW, "dibao.review", "dibao.review", decides="civil-affairs"),
        ),
        amount="dibao.amount",
    ),
    Rule(
        "sunshine-home",
        ("hukou", "residence_permit", "certificate", "age", "category", "multiple_includes", "grade"),
        ("seed 第三章第一节3, 专栏2 第8项",),
        "dpf",
        "online",
        services(
            CERT,
            _b(_age(None, 15), NOT_ELIGIBLE, "sunshine-home.age"),
            _b(_age(60, None), NOT_ELIGIBLE, "sunshine-home.age"),
            _b(has("intellectual") | has("mental") | (has("physical") & SEVERE), ELIGIBLE, "sunshine-home.eligible"),
            _b(has("physical"), NOT_ELIGIBLE, "sunshine-home.physical_not_severe"),
            _b(TRUE, NOT_ELIGIBLE, "sunshine-home.category"),
        ),
    ),
    Rule(
        "care-services",
        ("hukou", "residence_permit", "certificate", "grade", "household"),
        ("seed 专栏2 第7项, 第三章第一节3",),
        "civil-affairs",
        "offline",
        services(
            CERT,
            _b(~SEVERE, NOT_ELIGIBLE, "care-services.not_severe"),
            _b(OneOf("household", "dibao", "dibao_edge", "low_income"), ELIGIBLE, "care-services.eligible"),
            # 特困供养 may already provide care: a review, not an exclusion (revised spec).
            _b(Is("household", "tekun"), NEEDS_REVIEW, "care-services.tekun", decides="civil-affairs"),
            _b(TRUE, NOT_ELIGIBLE, "care-services.not_low_income"),
        ),
    ),
    Rule(
        "pension-insurance",
        ("hukou", "certificate", "age", "student", "employment", "grade", "household"),
        ("国发〔2014〕8号", "seed 第三章第一节4"),
        "hrss",
        "offline",
        (
            HUKOU,
            CERT,
            _b(_age(None, 15), NOT_ELIGIBLE, "pension-insurance.too_young"),
            _b(_age(60, None), NOT_ELIGIBLE, "pension-insurance.too_old"),
            _b(Is("student", True), NOT_ELIGIBLE, "pension-insurance.student"),
            _b(Is("employment", "employed"), NOT_ELIGIBLE, "pension-insurance.employed"),
            _b(SEVERE, ELIGIBLE, "pension-insurance.severe"),
            _b(OneOf("household", "tekun", "dibao"), ELIGIBLE, "pension-insurance.household"),
            _b(TRUE, NOT_ELIGIBLE, "pension-insurance.not_covered", "pension-insurance.self"),
        ),
        amount="pension-insurance.amount",
    ),
    Rule(
        "fuel-subsidy",
        ("hukou", "certificate", "category", "multiple_includes", "lower_limb", "motorized_wheelchair"),
        ("财社〔2010〕256号", "seed 第三章第一节5"),
        "dpf",
        "online",
        (
            HUKOU,
            CERT,
            _b(~has("physical"), NOT_ELIGIBLE, "fuel-subsidy.not_physical"),
            _b(Is("lower_limb", False), NOT_ELIGIBLE, "fuel-subsidy.not_lower_limb"),
            _b(Is("motorized_wheelchair", False), NOT_ELIGIBLE, "fuel-subsidy.no_wheelchair"),
            _b(TRUE, ELIGIBLE, "fuel-subsidy.eligible"),
        ),
        amount="fuel-subsidy.amount",
    ),
    Rule(
        "startup-subsidy",
        ("hukou", "certificate", "age", "employment"),
        ("seed 专栏3 第1项", "残疾人就业条例 第19条"),
        "hrss",
        "offline",
        (
            HUKOU,
            CERT,
            _b(_age(None, 15), NOT_ELIGIBLE, "startup-subsidy.too_young"),
            _b(Is("employment", "self_employed"), ELIGIBLE, "startup-subsidy.eligible"),
            _b(
                Is("employment", "unemployed"),
                NEEDS_REVIEW,
                "startup-subsidy.review",
                "startup-subsidy.review",
                decides="hrss",
            ),
            _b(TRUE, NOT_ELIGIBLE, "startup-subsidy.employment"),
        ),
        amount="startup-subsidy.amount",
    ),
    Rule(
        "vocational-training",
        ("hukou", "residence_permit", "certificate", "age"),
        ("seed 第三章第二节3", "专栏1 第2、13项"),
        "dpf",
        "online",
        # No upper age and no exclusion of the retired (revised spec): 专栏1 第13项 counts 农村实用技术培训.
        services(
            CERT,
            _b(_age(None, 15), NOT_ELIGIBLE, "vocational-training.age"),
            _b(TRUE, ELIGIBLE, "vocational-training.eligible"),
        ),
    ),
    Rule(
        "precision-rehab",
        ("hukou", "residence_permit", "certificate"),
        ("seed 第三章第三节2", "专栏5 第1项"),
        "dpf",
        "online",
        services(
            CERT,
            _b(TRUE, ELIGIBLE, "precision-rehab.eligible"),
        ),
    ),
    Rule(
        "child-rehab",
        ("age", "category", "hukou", "residence_permit", "household", "orphan", "certificate"),
        ("国发〔2018〕20号", "渝残联发〔2023〕9号", "seed 专栏5 第2项"),
        "dpf",
        "online",
        (
            _b(_age(16, None), NOT_ELIGIBLE, "child-rehab.too_old", "child-rehab.see_precision"),
            # 7–15: hukou 大足 and a certificate; aids and training only.
            Branch(_age(7, 15) & NOT_DAZU, NOT_ELIGIBLE, "child-rehab.hukou", "common.hukou"),
            Branch(_age(7, 15) & NO_CERT, NOT_ELIGIBLE, "child-rehab.no_certificate", "common.assessment"),
            _b(_age(7, 15), ELIGIBLE, "child-rehab.school_age"),
            # 0–6: a diagnosis (category, autism included), hukou 大足 or a 大足 residence permit,
            # and a poor household or an orphan; no certificate needed.
            _b(
                _age(None, 6) & NOT_DAZU & Is("residence_permit", False),
                NOT_ELIGIBLE,
                "child-rehab.no_residence",
                "common.hukou",
            ),
            _b(_age(None, 6) & Given("category") & Is("orphan", True), ELIGIBLE, "child-rehab.young_orphan"),
            _b(_age(None, 6) & Given("category") & POOR, ELIGIBLE, "child-rehab.young_poor"),
            _b(
                _age(None, 6) & Given("category") & Is("household", "none"),
                NEEDS_REVIEW,
                "child-rehab.review",
                decides="dpf",
            ),
            _b(TRUE, NOT_ELIGIBLE, "child-rehab.no_diagnosis", "child-rehab.diagnosis"),
        ),
        amount="child-rehab.amount",
    ),
    Rule(
        "assistive-devices",
        ("hukou", "residence_permit", "certificate", "grade", "household"),
        ("seed 第三章第一节5, 专栏2 第3项", "残疾预防和残疾人康复条例 第26条"),
        "dpf",
        "online",
        services(
            CERT,
            _b(SEVERE, ELIGIBLE, "assistive-devices.severe"),
            _b(POOR, ELIGIBLE, "assistive-devices.poor"),
            _b(TRUE, NOT_ELIGIBLE, "assistive-devices.not_covered"),
        ),
        amount="assistive-devices.amount",
    ),
    Rule(
        "incontinence-supplies",
        ("hukou", "residence_permit", "certificate", "incontinence", "grade"),
        ("seed 第三章第一节5, 第三章第三节2", "附件 第6项"),
        "dpf",
        "online",
        services(
            CERT,
            _b(Is("incontinence", False), NOT_ELIGIBLE, "incontinence-supplies.no_incontinence"),
            _b(SEVERE, ELIGIBLE, "incontinence-supplies.eligible"),
            _b(TRUE, NEEDS_REVIEW, "incontinence-supplies.review", decides="dpf"),
        ),
        amount="incontinence-supplies.amount",
    ),
    Rule(
        "education-aid",
        ("hukou", "residence_permit", "student", "certificate", "household"),
        ("seed 第三章第三节4", "附件 第15项", "残疾人教育条例"),
        "education",
        "offline",
        # The plan names only 家庭经济困难的残疾学生 (revised spec): no age exception; without a
        # certificate it is a review (what proof of disability 区教委 accepts is not confirmed).
        services(
            _b(Is("student", False), NOT_ELIGIBLE, "education-aid.not_student"),
            _b(Is("household", "none"), NOT_ELIGIBLE, "education-aid.not_poor"),
            _b(Is("certificate", True), ELIGIBLE, "education-aid.eligible"),
            _b(TRUE, NEEDS_REVIEW, "education-aid.no_certificate", decides="education"),
        ),
        amount="education-aid.amount",
    ),
    Rule(
        "home-accessibility",
        ("hukou", "residence_permit", "certificate", "grade", "household"),
        ("seed 专栏1 第11项, 专栏8 第3项",),
        "dpf",
        "online",
        services(
            CERT,
            _b(~SEVERE, NOT_ELIGIBLE, "home-accessibility.not_severe"),
            _b(Is("household", "none"), NOT_ELIGIBLE, "home-accessibility.not_poor"),
            _b(TRUE, ELIGIBLE, "home-accessibility.eligible"),
        ),
        amount="home-accessibility.amount",
    ),
    Rule(
        "legal-aid",
        ("certificate", "fixed_income", "household"),
        ("法律援助法 第42条", "seed 第三章第四节2"),
        "justice",
        "offline",
        # No residence condition: legal aid is sought where the case is handled (法律援助法).
        # 低保边缘 alone is not named by 第42条: the ordinary means test (a review).
        (
            CERT,
            _b(Is("fixed_income", False), ELIGIBLE, "legal-aid.no_fixed_income"),
            _b(OneOf("household", "tekun", "dibao"), ELIGIBLE, "legal-aid.assistance"),
            _b(TRUE, NEEDS_REVIEW, "legal-aid.review", decides="justice"),
        ),
    ),
    Rule(
        "assessment-subsidy",
        ("hukou", "residence_permit", "household"),
        ("seed 第三章第一节5, 专栏2 第5项",),
        "dpf",
        "offline",
        # The plan also names 重度, which is known only after the assessment: not poor is a review.
        services(
            _b(POOR, ELIGIBLE, "assessment-subsidy.poor"),
            _b(TRUE, NEEDS_REVIEW, "assessment-subsidy.review", decides="dpf"),
        ),
        amount="assessment-subsidy.amount",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in RULES)
