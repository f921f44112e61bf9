"""The chat domain service on its own: no Flask, the search and the words passed in."""

from __future__ import annotations

import socket

from portal.chat import ChatService, DegradedTexts, Link

TEXTS = DegradedTexts(with_results="看看这些：", without_results="搜一搜：", search_more="更多")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service(search) -> ChatService:
    return ChatService(
        rasa_url=f"http://127.0.0.1:{_closed_port()}",
        timeout=0.5,
        search=search,
        search_url=lambda query: f"/search?q={query}",
        texts=lambda lang: TEXTS,
    )


def test_rasa_down_gives_the_search_results_and_the_search_link():
    calls = []

    def search(message, lang, limit):
        calls.append((message, lang, limit))
        return [Link("护理补贴", "/policies/nursing-subsidy")]

    messages, degraded = service(search).reply_to("s", "瘫痪在床", "zh")
    assert degraded and calls == [("瘫痪在床", "zh", 3)]
    assert messages[0]["text"] == "看看这些："
    assert messages[0]["links"] == [
        {"title": "护理补贴", "url": "/policies/nursing-subsidy"},
        {"title": "更多", "url": "/search?q=瘫痪在床"},
    ]


def test_a_failing_search_still_answers():
    def broken(message, lang, limit):
        raise OSError("index gone")

    messages, degraded = service(broken).reply_to("s", "x" * 300, "en")
    assert degraded and messages[0]["text"] == "搜一搜："
    assert messages[0]["links"] == [{"title": "更多", "url": "/search?q=" + "x" * 100}]
