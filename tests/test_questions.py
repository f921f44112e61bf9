"""Question types: parse what a form submits, show what was given, read it back on a summary row."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.checker.flow import EXCLUSIONS, question
from portal.eligibility import FIELDS, missing
from portal.questions import (
    AnswerError,
    ChoiceQuestion,
    FlagsQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Option,
    SummaryWords,
    YesNoQuestion,
)

WORDS = SummaryWords(yes="是", no="否", none_of_these="都没有", separator="、", number=lambda n: f"{n}岁")
COLOURS = (Option("r", "red", {"zh": "红", "en": "Red"}), Option("g", "green", {"zh": "绿", "en": "Green"}))


def test_number_question():
    age = NumberQuestion("age", minimum=0, maximum=120, suffixes=("岁",))
    assert age.kind == "number"
    assert age.parse([" ７２岁 "]) == {"age": 72}
    assert age.initial({"age": 72}) == "72" and age.initial({}) is None
    assert age.summary({"age": 72}, "zh", WORDS) == "72岁"
    for bad, key in (
        ([], "required"),
        (["  "], "required"),
        (["121"], "number"),
        (["-1"], "number"),
        (["七十"], "number"),
    ):
        with pytest.raises(AnswerError) as error:
            age.parse(bad)
        assert error.value.key == key


def test_choice_question_stores_the_option_fact():
    colour = ChoiceQuestion("colour", options=COLOURS)
    assert colour.kind == "radios"
    assert colour.parse(["g"]) == {"colour": "green"}
    assert colour.initial({"colour": "green"}) == "g"
    assert colour.summary({"colour": "red"}, "en", WORDS) == "Red"
    with pytest.raises(AnswerError):
        colour.parse(["blue"])


def test_yes_no_question():
    yes_no = YesNoQuestion.with_labels("student", {"zh": "是", "en": "Yes"}, {"zh": "否", "en": "No"})
    assert yes_no.parse(["no"]) == {"student": False}
    assert yes_no.initial({"student": False}) == "no" and yes_no.initial({}) is None
    assert yes_no.summary({"student": True}, "zh", WORDS) == "是"
    with pytest.raises(AnswerError):
        yes_no.parse(["maybe"])


def test_multi_choice_question_keeps_option_order():
    colours = MultiChoiceQuestion("colours", options=COLOURS)
    assert colours.kind == "checkboxes"
    assert colours.parse(["g", "r", "x"]) == {"colours": ["red", "green"]}
    assert colours.initial({"colours": ["green"]}) == ["g"]
    assert colours.summary({"colours": ["green", "red"]}, "zh", WORDS) == "红、绿"
    with pytest.raises(AnswerError):
        colours.parse(["x"])


def test_flags_question_sets_one_fact_per_option_and_none_is_an_answer():
    flags = FlagsQuestion("exclusions", options=COLOURS)
    assert flags.facts == ("r", "g")
    assert flags.parse([]) == {"r": False, "g": False}
    assert flags.parse(["g"]) == {"r": False, "g": True}
    assert flags.summary({"r": False, "g": False}, "zh", WORDS) == "都没有"
    assert flags.summary({"g": True}, "en", WORDS) == "Green"


def test_every_checker_question_has_a_type_matching_its_field():
    kinds = {name: question(name).kind for name in FIELDS if name not in ("orphan", "work_injury_nursing")}
    assert kinds["age"] == "number" and kinds["grade"] == "radios" and kinds["multiple_includes"] == "checkboxes"
    assert kinds["household"] == "radios" and kinds["certificate"] == "radios"
    assert question(EXCLUSIONS).facts == ("orphan", "work_injury_nursing")
    grade = question("grade")
    assert grade.parse(["2"]) == {"grade": 2} and grade.summary({"grade": 2}, "zh", WORDS) == "二级"


PROFILE = st.fixed_dictionaries(
    {},
    optional={
        "age": st.integers(0, 120),
        "hukou": st.sampled_from(FIELDS["hukou"].allowed),
        "certificate": st.booleans(),
        "category": st.sampled_from(FIELDS["category"].allowed),
        "grade": st.integers(1, 4),
        "household": st.sampled_from(FIELDS["household"].allowed),
        "long_term_care": st.booleans(),
        "student": st.booleans(),
        "incontinence": st.booleans(),
    },
)


@settings(deadline=None)  # timings on a shared CI machine are not what these test
@given(PROFILE)
def test_missing_is_what_evaluate_lists_without_rendering_texts(profile):
    from portal.eligibility import evaluate

    needed = {name for result in evaluate(profile) for name in result["missing"]}
    assert missing(profile) == [name for name in FIELDS if name in needed]
