"""The features registry: what is open comes from one place, configured per service and per policy."""

from __future__ import annotations

import pytest

from portal import create_app
from portal.web.features import BUILT, Availability, Features, FeaturesError

BUILT_FOR_TEST = {"chat": True, "apply": True, "status": False}


def test_with_no_configuration_every_built_service_is_open_and_no_other():
    features = Features.from_setting("", BUILT_FOR_TEST)
    assert features.is_open("chat") and features.is_open("apply")
    assert not features.is_open("status") and not features.is_open("status", staff=True)
    assert not features.is_open("no-such-service")


def test_a_service_can_be_off_or_staff_only():
    features = Features.from_setting(" chat = off , apply=staff ", BUILT_FOR_TEST)
    assert features.availability("chat") is Availability.OFF
    assert not features.is_open("chat", staff=True)
    assert not features.is_open("apply") and features.is_open("apply", staff=True)


def test_configuration_cannot_open_a_service_that_is_not_built():
    assert not Features.from_setting("status=open", BUILT_FOR_TEST).is_open("status", staff=True)


def test_online_applications_per_policy():
    features = Features.from_setting("apply.dibao=off,apply.fuel-subsidy=staff", BUILT_FOR_TEST)
    assert features.applies_online("nursing-subsidy", "online")
    assert not features.applies_online("nursing-subsidy", "offline")  # the policy's own mode decides first
    assert not features.applies_online("dibao", "online", staff=True)
    assert not features.applies_online("fuel-subsidy", "online")
    assert features.applies_online("fuel-subsidy", "online", staff=True)
    closed = Features.from_setting("apply=off,apply.dibao=open", BUILT_FOR_TEST)
    assert not closed.applies_online("dibao", "online")  # a policy cannot open what the service closes


@pytest.mark.parametrize("setting", ["chat=maybe", "chat", "weather=open", "apply.dibao=yes"])
def test_unreadable_settings_are_refused(setting):
    with pytest.raises(FeaturesError):
        Features.from_setting(setting, BUILT_FOR_TEST)


def test_the_app_refuses_to_start_with_an_unknown_policy(app):
    with pytest.raises(FeaturesError):
        create_app({**app.config, "PORTAL_FEATURES": "apply.no-such-policy=off"})


def test_what_is_built():
    """Applications and tracking are built; petitions and the back office are not yet, so nothing offers them."""
    assert BUILT["apply"] is True and BUILT["status"] is True
    assert BUILT["complaints"] is True and BUILT["staff"] is True


def _app_with(app, setting: str):
    return create_app({**app.config, "PORTAL_FEATURES": setting})


def test_a_closed_chat_disappears_everywhere(app):
    client = _app_with(app, "chat=off").test_client()
    home = client.get("/").get_data(as_text=True)
    assert 'href="/chat"' not in home  # neither the navigation nor the chat panel
    assert "智能助手暂未开通" in home
    assert client.get("/chat").status_code == 404
    assert client.post("/api/v1/chat", json={"sender": "a", "message": "低保"}).status_code == 404
    search = client.get("/search?q=低保").get_data(as_text=True)
    assert 'href="/chat"' not in search
    # and it is back with the default configuration
    assert 'href="/chat"' in app.test_client().get("/").get_data(as_text=True)


def test_a_staff_only_service_is_hidden_from_residents(app):
    client = _app_with(app, "eligibility=staff").test_client()
    assert client.get("/eligibility").status_code == 404
    page = client.get("/policies/nursing-subsidy").get_data(as_text=True)
    assert "/eligibility?benefit=nursing-subsidy" not in page
    assert "/eligibility?benefit=nursing-subsidy" in app.test_client().get("/policies/nursing-subsidy").get_data(
        as_text=True
    )


def test_policy_pages_and_the_api_say_online_applications_are_not_open(app):
    client = _app_with(app, "apply=off").test_client()
    page = client.get("/policies/nursing-subsidy").get_data(as_text=True)
    assert "本门户的网上申请暂未开通。开通前" in page
    record = client.get("/api/v1/policies/nursing-subsidy").get_json()
    assert record["apply"] == "online" and record["apply_url"] is None
    assert "本门户的网上申请暂未开通" in record["how_to_apply"]


def test_eligibility_answers_promise_online_applications_only_when_open(app):
    client = _app_with(app, "apply=off").test_client()
    profile = {"age": 70, "hukou": "dazu", "certificate": True, "category": "physical", "grade": 1,
               "long_term_care": True, "household": "none"}  # fmt: skip
    result = client.post("/api/v1/eligibility", json={"benefits": ["nursing-subsidy"], "profile": profile}).get_json()
    assert result["results"][0]["status"] == "eligible"
    assert (
        "在线申请" not in result["results"][0]["next_step"] and "镇街便民服务中心" in result["results"][0]["next_step"]
    )
    from portal.eligibility import evaluate

    promised = evaluate(profile, ["nursing-subsidy"], online={"nursing-subsidy"})[0]["next_step"]
    assert "在线申请" in promised
    opened = app.test_client().post("/api/v1/eligibility", json={"benefits": ["nursing-subsidy"], "profile": profile})
    assert "在线申请" in opened.get_json()["results"][0]["next_step"]
