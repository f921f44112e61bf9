"""The chat: the API's shape, its validation, the degraded answer when Rasa is down, and the /chat page.

Rasa itself is exercised end to end in test_assistant_end_to_end.py; here a small local HTTP server stands in
for Rasa's REST webhook so that the portal's side (timeouts, forwarding, transcript) is tested on its own.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from .conftest import csrf_token


class FakeRasa(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []
    delay = 0.0
    cards = False

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasa.received.append({"path": self.path, **body})
        time.sleep(FakeRasa.delay)
        reply = [
            {"recipient_id": body["sender"], "text": f"收到：{body['message']}"},
            {
                "recipient_id": body["sender"],
                "text": "要查哪一项？",
                "buttons": [{"title": "护理补贴", "payload": "/ask_eligibility"}],
            },
        ]
        if body["message"] == "结果":  # the assistant's machine-readable parts arrive as Rasa "custom" items
            reply += [
                {"recipient_id": body["sender"], "custom": {"asks": "certificate"}},
                {"recipient_id": body["sender"], "text": "可以申请：护理补贴"},
                {
                    "recipient_id": body["sender"],
                    "custom": {"eligibility": [{"benefit": "nursing-subsidy", "status": "eligible", "x": 1}, "bad"]}
                    if not FakeRasa.cards
                    else {
                        "eligibility": [
                            {
                                "benefit": "nursing-subsidy",
                                "status": "eligible",
                                "title": "重度残疾人护理补贴",
                                "url": "/policies/nursing-subsidy",
                                "apply_url": "/apply/nursing-subsidy",
                            }
                        ]
                    },
                },
            ]
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def fake_rasa() -> Iterator[str]:
    FakeRasa.received, FakeRasa.delay = [], 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture()
def down_rasa(app):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app.config["RASA_URL"] = f"http://127.0.0.1:{port}"  # nothing listens there
    return app


def test_chat_forwards_to_rasa_with_the_language(app, client, fake_rasa):
    app.config["RASA_URL"] = fake_rasa
    body = client.post("/api/v1/chat", json={"sender": "abc", "message": "护理补贴", "lang": "en"}).get_json()
    assert body["degraded"] is False
    assert body["messages"][0] == {"text": "收到：护理补贴", "buttons": []}
    assert body["messages"][1]["buttons"] == [{"title": "护理补贴", "payload": "/ask_eligibility"}]
    [sent] = FakeRasa.received
    assert sent == {
        "path": "/webhooks/rest/webhook",
        "sender": "abc",
        "message": "护理补贴",
        "metadata": {"lang": "en"},
    }


def test_chat_carries_what_the_assistant_asks_and_decides(app, client, fake_rasa):
    app.config["RASA_URL"] = fake_rasa
    body = client.post("/api/v1/chat", json={"sender": "abc", "message": "结果"}).get_json()
    messages = body["messages"]
    assert [m["text"] for m in messages] == ["收到：结果", "要查哪一项？", "可以申请：护理补贴"]
    assert messages[1]["asks"] == "certificate"
    assert messages[2]["eligibility"] == [{"benefit": "nursing-subsidy", "status": "eligible"}]
    assert "asks" not in messages[0] and "eligibility" not in messages[0]


def test_chat_page_shows_the_decisions_as_result_cards(app, client, fake_rasa):
    app.config["RASA_URL"] = fake_rasa
    FakeRasa.cards = True
    try:
        client.get("/chat")
        client.post("/chat", data={"message": "结果", "csrf_token": csrf_token(client)})
        page = client.get("/chat").get_data(as_text=True)
    finally:
        FakeRasa.cards = False
    assert 'class="chat__result chat__result--eligible"' in page
    assert '<a href="/apply/nursing-subsidy">重度残疾人护理补贴</a>' in page


def _warm_search(client) -> None:
    """The degraded answer searches the catalogue: open the index first, so the time measured is the assistant's
    (not waiting for it), not the index's first opening."""
    assert client.get("/search?q=轮椅").status_code == 200


def test_chat_answers_degraded_and_fast_when_rasa_is_down(down_rasa, client):
    _warm_search(client)
    started = time.monotonic()
    response = client.post("/api/v1/chat", json={"sender": "abc", "message": "轮椅怎么申请"})
    elapsed = time.monotonic() - started
    body = response.get_json()
    assert response.status_code == 200 and body["degraded"] is True
    assert elapsed < 1.0
    [message] = body["messages"]
    assert "12385" in message["text"]
    assert any(link["url"] == "/policies/assistive-devices" for link in message["links"])
    assert message["links"][-1]["url"].startswith("/search?q=")
    # The rest of the portal does not wait on the assistant.
    assert client.get("/").status_code == 200


def test_chat_answers_degraded_when_rasa_is_slow(app, client, fake_rasa):
    app.config.update(RASA_URL=fake_rasa, RASA_TIMEOUT=0.3)
    FakeRasa.delay = 2.0
    _warm_search(client)
    started = time.monotonic()
    body = client.post("/api/v1/chat", json={"sender": "abc", "message": "低保"}).get_json()
    assert body["degraded"] is True and time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": "hi"}, "sender"),
        ({"sender": "", "message": "hi"}, "sender"),
        ({"sender": "x" * 65, "message": "hi"}, "sender"),
        ({"sender": "a", "message": "   "}, "message"),
        ({"sender": "a", "message": 5}, "message"),
        ({"sender": "a", "message": "长" * 501}, "message"),
        ({"sender": "a", "message": "hi", "lang": "fr"}, "lang"),
        ({"sender": "a", "message": "hi", "extra": 1}, "extra"),
        (["hi"], "body"),
    ],
)
def test_chat_validation(down_rasa, client, body, field):
    response = client.post("/api/v1/chat", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_chat_page_without_javascript_keeps_the_conversation(app, client, fake_rasa):
    app.config["RASA_URL"] = fake_rasa
    token = csrf_token(client, "/chat")
    response = client.post("/chat", data={"csrf_token": token, "message": "我屋头老汉瘫了有啥子补贴"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/chat#latest")
    html = client.get("/chat").get_data(as_text=True)
    assert "我屋头老汉瘫了有啥子补贴" in html and "收到：我屋头老汉瘫了有啥子补贴" in html
    assert 'role="log"' in html
    # Buttons are real buttons; pressing one sends its payload and shows its title.
    client.post("/chat", data={"csrf_token": token, "button": "0"})
    assert FakeRasa.received[-1]["message"] == "/ask_eligibility"
    assert client.get("/chat").get_data(as_text=True).count("护理补贴") >= 2
    # The Rasa sender id is the server-side session id, not anything personal.
    assert len(FakeRasa.received[0]["sender"]) >= 40


def test_chat_page_empty_message_is_an_error_that_keeps_the_page(down_rasa, client):
    token = csrf_token(client, "/chat")
    response = client.post("/chat", data={"csrf_token": token, "message": " "})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>错误：" in html and "请输入您的问题" in html and 'href="#chat-message"' in html


def test_chat_page_htmx_returns_only_the_new_turn(app, client, fake_rasa):
    app.config["RASA_URL"] = fake_rasa
    token = csrf_token(client, "/chat")
    response = client.post("/chat", data={"csrf_token": token, "message": "你好"}, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "收到：你好" in html
    assert 'hx-swap-oob="true"' in html and 'data-focus-target="#chat-message"' in html
    assert "HX-Request" in response.headers["Vary"]
    error = client.post("/chat", data={"csrf_token": token, "message": ""}, headers={"HX-Request": "true"})
    assert error.status_code == 400 and error.headers["HX-Retarget"] == "#chat-form"


def test_delete_conversation(app, client, fake_rasa):
    app.config["RASA_URL"] = fake_rasa
    token = csrf_token(client, "/chat")
    client.post("/chat", data={"csrf_token": token, "message": "你好"})
    client.post("/chat/clear", data={"csrf_token": token})
    assert "收到：你好" not in client.get("/chat").get_data(as_text=True)


def test_every_page_has_the_chat_panel(client):
    html = client.get("/policies/dibao").get_data(as_text=True)
    assert 'class="chat-panel"' in html and 'id="chat-message"' in html
