"""The JSON API: shapes per ARCHITECTURE.md, and every bad parameter a 400 naming it, never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.eligibility import RULE_IDS

CATALOGUE_SIZE = 43


def test_search_shape(client):
    body = client.get("/api/v1/search?q=护理补贴&lang=zh&limit=3").get_json()
    assert set(body) >= {"query", "total", "results", "suggestion"}
    assert body["query"] == "护理补贴"
    assert 1 <= len(body["results"]) <= 3
    first = body["results"][0]
    assert set(first) == {"id", "title", "summary", "url", "score", "highlights"}
    assert first["id"] == "nursing-subsidy"
    assert first["url"] == "/policies/nursing-subsidy"


def test_search_in_english(client):
    body = client.get("/api/v1/search?q=wheelchair&lang=en").get_json()
    assert body["results"] and body["results"][0]["title"].isascii()


def test_search_suggests_through_pinyin(client):
    body = client.get("/api/v1/search?q=护里补贴").get_json()
    assert body["suggestion"] == "护理补贴"


def test_search_category_filter(client):
    body = client.get("/api/v1/search?q=补贴&category=employment").get_json()
    ids = [r["id"] for r in body["results"]]
    assert ids and all(client.get(f"/api/v1/policies/{i}").get_json()["category"] == "employment" for i in ids)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "q"),
        ("?q=a&limit=0", "limit"),
        ("?q=a&limit=51", "limit"),
        ("?q=a&limit=ten", "limit"),
        ("?q=a&limit=-1", "limit"),
        ("?q=a&page=0", "page"),
        ("?q=a&lang=fr", "lang"),
        ("?q=a&category=weather", "category"),
        ("?q=a&audience=aliens", "audience"),
        ("?q=" + "长" * 201, "q"),
    ],
)
def test_search_bad_parameters_are_400_naming_the_field(client, query, field):
    response = client.get("/api/v1/search" + query)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field
    assert response.get_json()["error"]["message"]


def test_search_error_message_in_the_request_language(client):
    zh = client.get("/api/v1/search?q=a&limit=0").get_json()["error"]["message"]
    en = client.get("/api/v1/search?q=a&limit=0&lang=en").get_json()["error"]["message"]
    assert "整数" in zh and "whole number" in en


def test_policies_list_and_record(client):
    listing = client.get("/api/v1/policies").get_json()
    assert listing["total"] == CATALOGUE_SIZE
    assert listing["policies"][0]["id"] == "living-subsidy"
    record = client.get("/api/v1/policies/nursing-subsidy?lang=en").get_json()
    assert record["id"] == "nursing-subsidy" and record["lang"] == "en"
    assert record["lead_department"] == {"id": "civil-affairs", "name": "District Civil Affairs Bureau"}
    assert record["eligibility_rule"] == "nursing-subsidy"
    assert record["eligibility_url"] == "/eligibility?benefit=nursing-subsidy"
    # The plan gives no amount: the record says who to ask and shows no value.
    [amount] = record["amounts"]
    assert amount["confirmed"] is False and amount["value"] is None and "12385" in amount["ask"]


def test_policy_not_found_and_bad_category(client):
    missing = client.get("/api/v1/policies/no-such-policy")
    assert missing.status_code == 404 and missing.get_json()["error"]["field"] == "id"
    assert client.get("/api/v1/policies?category=nope").status_code == 400


def test_eligibility_answers_every_rule_in_spec_order(client):
    response = client.post("/api/v1/eligibility", json={"profile": {}})
    results = response.get_json()["results"]
    assert [r["benefit"] for r in results] == list(RULE_IDS)
    for result in results:
        assert set(result) >= {"benefit", "status", "reasons", "missing", "sources", "next_step"}
        assert result["sources"]
        # the plan as residents read it, with its section; never the spec's "seed" shorthand
        assert any(s.startswith("《大足区“十四五”残疾人保障和发展规划》") for s in result["sources"])
        assert "seed" not in " ".join(result["sources"]).lower()


def test_eligibility_decides_a_clear_case(client):
    profile = {"hukou": "dazu", "certificate": True, "grade": 1, "long_term_care": True, "household": "dibao"}
    body = client.post(
        "/api/v1/eligibility", json={"profile": profile, "benefits": ["nursing-subsidy"], "lang": "en"}
    ).get_json()
    [result] = body["results"]
    assert result["status"] == "eligible" and result["missing"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"profile": {"age": "seventy"}}, "profile.age"),
        ({"profile": {"age": 121}}, "profile.age"),
        ({"profile": {"grade": True}}, "profile.grade"),
        ({"profile": {"shoe_size": 42}}, "profile.shoe_size"),
        ({"benefits": ["free-money"]}, "benefits[0]"),
        ({"lang": "fr"}, "lang"),
        ({"colour": "red"}, "colour"),
        ([1, 2], "body"),
    ],
)
def test_eligibility_bad_bodies_are_400_naming_the_field(client, body, field):
    response = client.post("/api/v1/eligibility", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_eligibility_malformed_json_is_400(client):
    for raw in (b"{", b"", b"\xff\xfe", b"[" * 5000):
        response = client.post("/api/v1/eligibility", data=raw, content_type="application/json")
        assert response.status_code == 400, raw[:10]
        assert response.get_json()["error"]["field"] == "body"


def test_eligibility_error_in_english_when_asked(client):
    response = client.post("/api/v1/eligibility", json={"profile": {"age": -1}, "lang": "en"})
    assert response.get_json()["error"]["message"].isascii()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
profile_like = st.fixed_dictionaries(
    {},
    optional={
        "profile": st.dictionaries(
            st.sampled_from(["age", "grade", "hukou", "category", "household", "certificate", "x"]), json_values
        ),
        "benefits": st.lists(st.sampled_from([*RULE_IDS, "nope", 3]), max_size=3) | json_values,
        "lang": st.sampled_from(["zh", "en", "fr", None]),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values | profile_like)
def test_eligibility_never_answers_5xx(client, body):
    response = client.post("/api/v1/eligibility", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400)
    assert response.is_json


def test_openapi_describes_every_api_route(app, client):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    routes = {
        rule.rule.replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert routes == set(spec["paths"])
    profile = spec["components"]["schemas"]["Profile"]["properties"]
    # null means "not given" (the engine's rule), so the schema says so too
    assert {"type": "integer", "minimum": 0, "maximum": 120} in profile["age"]["anyOf"]
    assert {"type": "null"} in profile["age"]["anyOf"]


def test_how_to_apply_says_online_applications_are_not_open_while_they_are_closed(app, client):
    """The caveat travels with the text (the assistant repeats it) whenever the registry has the service closed."""
    from portal import create_app

    closed = create_app({**app.config, "PORTAL_FEATURES": "apply=off"}).test_client()
    zh = closed.get("/api/v1/policies/nursing-subsidy").get_json()["how_to_apply"]
    en = closed.get("/api/v1/policies/nursing-subsidy?lang=en").get_json()["how_to_apply"]
    assert zh.endswith("（本门户的网上申请暂未开通，开通前请到线下办理。）")
    assert "not open yet" in en
    offline = closed.get("/api/v1/policies/dibao").get_json()["how_to_apply"]
    assert "暂未开通" not in offline
    opened = client.get("/api/v1/policies/nursing-subsidy").get_json()
    assert "暂未开通" not in opened["how_to_apply"] and opened["apply_url"] == "/apply/nursing-subsidy"
