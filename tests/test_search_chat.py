"""Whole questions through the routes: the degraded chat (/api/v1/chat with Rasa unreachable) offers the policy
that answers the question (portal.chat.degraded_reply calls the search engine), and /api/v1/search answers
the issue's examples."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture()
def rasa_down(app):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app.config["RASA_URL"] = f"http://127.0.0.1:{port}"  # nothing listens there
    return app


def _degraded_links(client, message: str, lang: str = "zh") -> list[str]:
    response = client.post("/api/v1/chat", json={"sender": "resident-1", "message": message, "lang": lang})
    body = response.get_json()
    assert response.status_code == 200 and body["degraded"] is True
    [reply] = body["messages"]
    assert "12385" in reply["text"]
    assert reply["links"][-1]["url"].startswith("/search?q=")  # always the way on to the search page
    return [link["url"] for link in reply["links"][:-1]]


@pytest.mark.parametrize(
    ("message", "lang", "policy"),
    [
        ("我妈瘫痪在床能领什么钱", "zh", "nursing-subsidy"),
        ("孩子不会说话咋个办", "zh", "child-rehab"),
        ("屋头房子漏雨了，有没有人管", "zh", "housing-safety"),
        ("水电费能不能少交点", "zh", "utilities-discount"),
        ("My mother is bedridden, what help can she get?", "en", "nursing-subsidy"),
        ("my son has autism", "en", "child-rehab"),
    ],
)
def test_degraded_chat_offers_the_policy_for_a_whole_question(rasa_down, client, message: str, lang: str,
                                                              policy: str) -> None:
    assert f"/policies/{policy}" in _degraded_links(client, message, lang)


def test_degraded_chat_offers_only_the_search_page_for_an_off_topic_question(rasa_down, client) -> None:
    assert _degraded_links(client, "火车票怎么买") == []


@pytest.mark.parametrize(
    ("q", "lang", "policy", "suggestion"),
    [
        ("我妈瘫痪在床能领什么钱", "zh", "nursing-subsidy", None),
        ("耳朵聋了有没有补助", "zh", "assistive-devices", None),
        ("My mother is bedridden, what help can she get?", "en", "nursing-subsidy", None),
        ("my son has autism", "en", "child-rehab", None),
        ("护里补贴", "zh", "nursing-subsidy", "护理补贴"),
    ],
)
def test_search_api_answers_the_issue_questions(client, q: str, lang: str, policy: str, suggestion: str | None) -> None:
    """As the issue tried them: /api/v1/search with limit=3."""
    body = client.get("/api/v1/search", query_string={"q": q, "lang": lang, "limit": 3}).get_json()
    assert policy in [r["id"] for r in body["results"]]
    assert body["suggestion"] == suggestion


def test_search_api_names_first(client) -> None:
    body = client.get("/api/v1/search", query_string={"q": "两项补贴", "limit": 3}).get_json()
    assert [r["id"] for r in body["results"]][:2] == ["living-subsidy", "nursing-subsidy"]
