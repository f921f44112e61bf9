"""The checker's flow: only questions that can still change an answer, in schema order."""

from __future__ import annotations

import pytest

from portal.checker.flow import EXCLUSIONS, AnswerError, Answers, next_question, read_answer


def test_first_question_for_everything_is_the_first_field_any_rule_needs():
    assert next_question(Answers()) == "age"


def test_one_benefit_asks_only_what_that_rule_reads():
    answers = Answers(benefits=["fuel-subsidy"], benefits_chosen=True)
    asked = []
    facts = {
        "hukou": "dazu",
        "certificate": True,
        "category": "physical",
        "lower_limb": True,
        "motorized_wheelchair": True,
    }
    while (question := next_question(answers)) is not None:
        asked.append(question)
        answers.record(question, {question: facts[question]})
    assert asked == ["hukou", "certificate", "category", "lower_limb", "motorized_wheelchair"]


def test_a_deciding_answer_stops_the_questions():
    answers = Answers(benefits=["fuel-subsidy"])
    answers.record("hukou", {"hukou": "other"})
    assert next_question(answers) is None


def test_skipped_questions_are_not_asked_again():
    answers = Answers(benefits=["precision-rehab"])
    answers.record("hukou", {})
    # a service: with the hukou unknown, a Dazu residence permit could still decide residence
    assert next_question(answers) == "residence_permit"
    answers.record("residence_permit", {})
    assert next_question(answers) == "certificate"
    answers.record("certificate", {})
    assert next_question(answers) is None


def test_exclusions_are_asked_once_when_a_chosen_rule_reads_them():
    answers = Answers(benefits=["living-subsidy"])
    for name, value in (("hukou", "dazu"), ("certificate", True), ("household", "dibao")):
        answers.record(name, {name: value})
    assert next_question(answers) == EXCLUSIONS
    answers.record(EXCLUSIONS, read_answer(EXCLUSIONS, []))
    assert answers.profile["orphan"] is False and next_question(answers) is None


def test_changing_category_away_from_multiple_drops_its_parts():
    answers = Answers()
    answers.record("category", {"category": "multiple"})
    answers.record("multiple_includes", {"multiple_includes": ["visual", "hearing"]})
    answers.record("category", {"category": "physical"})
    assert "multiple_includes" not in answers.profile


@pytest.mark.parametrize(
    ("question", "values", "expected"),
    [
        ("age", ["45"], {"age": 45}),
        ("age", [" 72岁 "], {"age": 72}),
        ("age", ["７"], {"age": 7}),
        ("grade", ["2"], {"grade": 2}),
        ("certificate", ["no"], {"certificate": False}),
        ("household", ["dibao_edge"], {"household": "dibao_edge"}),
        ("multiple_includes", ["hearing", "visual"], {"multiple_includes": ["visual", "hearing"]}),
        (EXCLUSIONS, ["orphan"], {"orphan": True, "work_injury_nursing": False}),
    ],
)
def test_read_answer(question, values, expected):
    assert read_answer(question, values) == expected


@pytest.mark.parametrize(
    ("question", "values", "key"),
    [
        ("age", [], "required"),
        ("age", ["forty"], "number"),
        ("age", ["121"], "number"),
        ("age", ["-3"], "number"),
        ("age", ["4.5"], "number"),
        ("grade", ["5"], "number"),
        ("certificate", ["maybe"], "required"),
        ("multiple_includes", ["multiple"], "required"),
    ],
)
def test_read_answer_refuses(question, values, key):
    with pytest.raises(AnswerError) as error:
        read_answer(question, values)
    assert error.value.key == key


def test_every_question_has_text_and_options_in_both_languages():
    from portal.checker.flow import EXCLUSION_FIELDS
    from portal.checker.flow import texts as checker_texts
    from portal.eligibility import FIELDS

    texts = checker_texts()["questions"]
    for name in [*(f for f in FIELDS if f not in EXCLUSION_FIELDS), EXCLUSIONS]:
        assert texts[name]["question"]["zh"] and texts[name]["question"]["en"], name
        options = texts[name].get("options", {})
        if name == EXCLUSIONS:
            assert set(options) == set(EXCLUSION_FIELDS)
        elif options:
            allowed = {1, 2, 3, 4} if name == "grade" else set(FIELDS[name].allowed)
            assert set(options) == allowed, name
