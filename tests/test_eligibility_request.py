"""parse_request: the JSON body of POST /api/v1/eligibility, validated with errors naming the field."""

from __future__ import annotations

import re

import pytest

from portal.eligibility import FIELDS, RULE_IDS, EligibilityRequest, RequestError, evaluate, parse_request

CJK = re.compile(r"[\u4e00-\u9fff]")


def error(body: object, lang: str = "zh") -> RequestError:
    with pytest.raises(RequestError) as info:
        parse_request(body, lang)
    return info.value


# (body, field named in the error, code)
BAD: list[tuple[object, str, str]] = [
    ([], "body", "body_not_object"),
    ("profile", "body", "body_not_object"),
    (None, "body", "body_not_object"),
    (3, "body", "body_not_object"),
    ({"profile": {}, "benfits": []}, "benfits", "unknown_key"),
    ({"profile": []}, "profile", "not_object"),
    ({"profile": "age=3"}, "profile", "not_object"),
    ({"profile": {"agee": 3}}, "profile.agee", "unknown_field"),
    ({"profile": {"age": True}}, "profile.age", "wrong_type_int"),
    ({"profile": {"age": 3.0}}, "profile.age", "wrong_type_int"),
    ({"profile": {"age": "3"}}, "profile.age", "wrong_type_int"),
    ({"profile": {"age": -1}}, "profile.age", "out_of_range"),
    ({"profile": {"age": 121}}, "profile.age", "out_of_range"),
    ({"profile": {"grade": 0}}, "profile.grade", "out_of_range"),
    ({"profile": {"grade": 5}}, "profile.grade", "out_of_range"),
    ({"profile": {"grade": "二级"}}, "profile.grade", "wrong_type_int"),
    ({"profile": {"grade": False}}, "profile.grade", "wrong_type_int"),
    ({"profile": {"certificate": 1}}, "profile.certificate", "wrong_type_bool"),
    ({"profile": {"certificate": "true"}}, "profile.certificate", "wrong_type_bool"),
    ({"profile": {"hukou": "beijing"}}, "profile.hukou", "not_allowed"),
    ({"profile": {"hukou": 1}}, "profile.hukou", "wrong_type_str"),
    ({"profile": {"category": "Physical"}}, "profile.category", "not_allowed"),
    ({"profile": {"household": "poor"}}, "profile.household", "not_allowed"),
    ({"profile": {"employment": ["employed"]}}, "profile.employment", "wrong_type_str"),
    ({"profile": {"multiple_includes": ["physical"]}}, "profile.multiple_includes", "includes_without_multiple"),
    (
        {"profile": {"category": "physical", "multiple_includes": ["physical"]}},
        "profile.multiple_includes",
        "includes_without_multiple",
    ),
    (
        {"profile": {"category": "multiple", "multiple_includes": ["physical", "deaf"]}},
        "profile.multiple_includes[1]",
        "not_category",
    ),
    (
        {"profile": {"category": "multiple", "multiple_includes": ["multiple"]}},
        "profile.multiple_includes[0]",
        "not_category",
    ),
    (
        {"profile": {"category": "multiple", "multiple_includes": "physical"}},
        "profile.multiple_includes",
        "wrong_type_list",
    ),
    ({"benefits": "dibao"}, "benefits", "benefits_not_list"),
    ({"benefits": {"dibao": True}}, "benefits", "benefits_not_list"),
    ({"benefits": ["dibao", "living-subsidy", "free-money"]}, "benefits[2]", "unknown_benefit"),
    ({"benefits": [1]}, "benefits[0]", "unknown_benefit"),
    ({"benefits": ["disability-certificate"]}, "benefits[0]", "unknown_benefit"),  # a policy without a rule
    ({"lang": "fr"}, "lang", "lang"),
    ({"lang": 1}, "lang", "lang"),
]


@pytest.mark.parametrize(("body", "field", "code"), BAD)
def test_bad_requests_name_the_field(body: object, field: str, code: str) -> None:
    for lang in ("zh", "en"):
        err = error(body, lang)
        assert (err.field, err.code) == (field, code)
        assert err.message.strip()
        # English texts keep the names of Chinese programmes (特困, 低保) and nothing else in Chinese
        assert bool(CJK.search(re.sub("特困|低保", "", err.message))) == (lang == "zh")


def test_messages_follow_the_body_language() -> None:
    err = error({"lang": "en", "profile": {"age": 200}}, "zh")
    assert err.message == "age (profile.age) must be between 0 and 120."
    err = error({"lang": "zh", "profile": {"age": 200}}, "en")
    assert err.message == "年龄（profile.age）应当在 0 到 120 之间。"
    # an invalid lang in the body: the caller's language
    assert not CJK.search(error({"lang": "fr"}, "en").message)
    assert CJK.search(error({"lang": "fr"}, "zh").message)


def test_valid_request() -> None:
    body = {
        "profile": {
            "age": 0, "hukou": "dazu", "residence_permit": False, "certificate": True, "category": "multiple",
            "multiple_includes": ["physical", "mental", "physical"], "grade": 4, "household": "none",
            "long_term_care": True, "work_injury_nursing": False, "orphan": False, "incontinence": False,
            "lower_limb": True, "motorized_wheelchair": False, "student": True, "employment": "unable",
            "fixed_income": False,
        },
        "benefits": ["legal-aid", "dibao"],
        "lang": "en",
    }  # fmt: skip
    request = parse_request(body)
    assert isinstance(request, EligibilityRequest)
    assert set(request.profile) == set(FIELDS)
    assert request.profile["multiple_includes"] == frozenset({"physical", "mental"})
    assert request.benefits == ("legal-aid", "dibao") and request.lang == "en"
    results = evaluate(request.profile, request.benefits, request.lang)
    assert [r["benefit"] for r in results] == ["dibao", "legal-aid"]


def test_defaults_and_nulls() -> None:
    assert parse_request({}) == EligibilityRequest({}, None, "zh")
    assert parse_request({}, "en").lang == "en"
    assert parse_request({"profile": None, "benefits": None, "lang": None}, "en") == EligibilityRequest({}, None, "en")
    # null for a profile field means "not given"
    assert parse_request({"profile": {"age": None, "grade": 2}}).profile == {"grade": 2}
    assert parse_request({"benefits": []}).benefits == ()
    assert parse_request({"benefits": list(RULE_IDS)}).benefits == tuple(RULE_IDS)


def test_boundaries_are_accepted() -> None:
    for name, meta in FIELDS.items():
        if meta.type == "int":
            for value in (meta.min, meta.max):
                assert parse_request({"profile": {name: value}}).profile == {name: value}


def test_every_field_rejects_a_wrong_type() -> None:
    wrong = {"int": "1", "bool": 0, "enum": 0, "list": "x"}
    for name, meta in FIELDS.items():
        profile = {name: wrong[meta.type]}
        if name == "multiple_includes":
            profile["category"] = "multiple"
        err = error({"profile": profile})
        assert err.field == f"profile.{name}" and err.code.startswith("wrong_type")
