"""Rate limits on chat turns: per conversation, a per-address ceiling a shared address does not reach, service
callers exempt from the ceiling, and a friendly 429 that keeps what the resident typed (page, htmx and API).

Every test client comes from one address (127.0.0.1), like the residents behind a 村委 office's connection.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import csrf_token


class QuickRasa(BaseHTTPRequestHandler):
    """Answers every turn at once."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        data = json.dumps([{"recipient_id": body["sender"], "text": f"收到：{body['message']}"}]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def quick_rasa() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), QuickRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def chat_app(app, quick_rasa):
    app.config.update(RASA_URL=quick_rasa, PORTAL_SERVICE_TOKEN="limits-token")
    return app


def api_turn(client, sender: str, headers: dict | None = None, lang: str | None = None):
    body = {"sender": sender, "message": "护理补贴", **({"lang": lang} if lang else {})}
    return client.post("/api/v1/chat", json=body, headers=headers or {})


def test_a_conversation_is_limited_on_its_own(chat_app):
    client = chat_app.test_client()
    assert [api_turn(client, "alice").status_code for _ in range(12)] == [200] * 12
    refused = api_turn(client, "alice")
    assert refused.status_code == 429
    assert refused.get_json() == {"error": {"field": "sender", "message": "请稍等一下再发。"}}
    assert int(refused.headers["Retry-After"]) > 0
    # Another resident at the same address is not held up by Alice.
    assert api_turn(client, "bob").status_code == 200


def test_the_429_speaks_the_language_the_body_asks_for(chat_app):
    client = chat_app.test_client()
    for _ in range(12):
        api_turn(client, "carol")
    refused = api_turn(client, "carol", lang="en")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["message"] == "Please wait a moment before sending again."


def test_thirty_residents_behind_one_address_are_not_refused(chat_app):
    """The issue's case: 30 residents, 5 messages each, from one address within a minute."""
    client = chat_app.test_client()
    codes = [api_turn(client, f"resident-{n}").status_code for _ in range(5) for n in range(30)]
    assert codes == [200] * 150


def test_the_address_ceiling_stops_a_flood_of_new_conversations(chat_app):
    chat_app.config["CHAT_LIMIT_PER_ADDRESS"] = "20 per minute"
    client = chat_app.test_client()
    assert [api_turn(client, f"new-{n}").status_code for n in range(20)] == [200] * 20
    refused = api_turn(client, "new-20")
    assert refused.status_code == 429 and refused.get_json()["error"]["field"] is None


def test_service_callers_are_exempt_from_the_address_ceiling_not_from_the_conversation_limit(chat_app):
    chat_app.config["CHAT_LIMIT_PER_ADDRESS"] = "20 per minute"
    client = chat_app.test_client()
    token = {"Authorization": "Bearer limits-token"}
    assert [api_turn(client, f"web-{n}").status_code for n in range(20)] == [200] * 20
    assert api_turn(client, "web-20").status_code == 429  # the address has reached its ceiling…
    assert api_turn(client, "web-21", {"Authorization": "Bearer wrong"}).status_code == 429  # (a wrong token: no)
    # …but the phone desk, all of whose callers come from its one address, is not held by it.
    assert [api_turn(client, f"desk-{n}", token).status_code for n in range(40)] == [200] * 40
    assert [api_turn(client, "desk-0", token).status_code for _ in range(12)] == [200] * 11 + [429]


def test_turns_refused_for_one_conversation_do_not_use_up_the_address(chat_app):
    chat_app.config["CHAT_LIMIT_PER_ADDRESS"] = "20 per minute"
    client = chat_app.test_client()
    codes = [api_turn(client, "impatient").status_code for _ in range(30)]
    assert codes == [200] * 12 + [429] * 18
    # 12 of the address's 20 are used: 8 more residents still get through.
    assert [api_turn(client, f"neighbour-{n}").status_code for n in range(8)] == [200] * 8
    assert api_turn(client, "neighbour-8").status_code == 429


def test_limits_can_be_turned_off_for_load_tests(app, quick_rasa, tmp_path):
    from portal import create_app

    unlimited = create_app({**app.config, "RASA_URL": quick_rasa, "RATELIMIT_ENABLED": False})
    client = unlimited.test_client()
    assert [api_turn(client, "load").status_code for _ in range(30)] == [200] * 30


def test_rate_limit_enabled_false_in_the_environment_turns_limits_off(monkeypatch, tmp_path):
    from portal.config import load_config

    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    assert load_config(tmp_path)["RATELIMIT_ENABLED"] is False
    monkeypatch.delenv("RATELIMIT_ENABLED")
    assert load_config(tmp_path)["RATELIMIT_ENABLED"] is True


def _textarea(html: str) -> str:
    match = re.search(r'<textarea[^>]*id="chat-message"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, "no chat textarea"
    return unescape(match.group(1))


def _use_up_the_page_limit(client, token: str) -> None:
    codes = [client.post("/chat", data={"csrf_token": token, "message": f"第{n}问"}).status_code for n in range(12)]
    assert codes == [302] * 12


def test_chat_page_without_javascript_says_wait_and_keeps_the_text(chat_app):
    client = chat_app.test_client()
    token = csrf_token(client, "/chat")
    _use_up_the_page_limit(client, token)
    typed = "我屋头老汉瘫了有啥子补贴 <也想问轮椅>"
    response = client.post("/chat", data={"csrf_token": token, "message": typed})
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "请稍等一下再发" in html and "<html" in html
    assert _textarea(html) == typed
    assert 'role="alert"' in html and 'aria-invalid="true"' not in html
    assert "收到：第11问" in html  # the conversation so far is still on the page
    assert int(response.headers["Retry-After"]) > 0


def test_chat_page_with_htmx_says_wait_in_the_form_and_keeps_the_text(chat_app):
    client = chat_app.test_client()
    token = csrf_token(client, "/chat")
    _use_up_the_page_limit(client, token)
    response = client.post(
        "/chat", data={"csrf_token": token, "message": "残疾证咋个办"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 429
    assert response.headers["HX-Retarget"] == "#chat-form" and response.headers["HX-Reswap"] == "outerHTML"
    html = response.get_data(as_text=True)
    assert "<html" not in html and "请稍等一下再发" in html
    assert _textarea(html) == "残疾证咋个办"


def test_htmx_swaps_the_429_answer_in(client):
    """htmx leaves 4xx answers out unless told: the page's htmx config swaps 429 like 400."""
    html = client.get("/chat").get_data(as_text=True)
    config = json.loads(unescape(re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', html).group(1)))
    handling = config["responseHandling"]
    first_match = next(rule for rule in handling if re.fullmatch(rule["code"], "429"))
    assert first_match["swap"] is True


def test_chat_page_wait_message_in_english(chat_app):
    client = chat_app.test_client()
    client.get("/chat?lang=en")
    token = csrf_token(client, "/chat")
    _use_up_the_page_limit(client, token)
    html = client.post("/chat", data={"csrf_token": token, "message": "wheelchair"}).get_data(as_text=True)
    assert "Please wait a moment before sending again" in html and _textarea(html) == "wheelchair"


def test_each_browser_behind_one_address_has_its_own_page_limit(chat_app):
    first, second = chat_app.test_client(), chat_app.test_client()
    first_token = csrf_token(first, "/chat")
    _use_up_the_page_limit(first, first_token)
    assert first.post("/chat", data={"csrf_token": first_token, "message": "再问"}).status_code == 429
    second_token = csrf_token(second, "/chat")
    assert second.post("/chat", data={"csrf_token": second_token, "message": "你好"}).status_code == 302


def test_clearing_the_conversation_does_not_reset_the_limit(chat_app):
    client = chat_app.test_client()
    token = csrf_token(client, "/chat")
    _use_up_the_page_limit(client, token)
    client.post("/chat/clear", data={"csrf_token": token})
    assert client.post("/chat", data={"csrf_token": token, "message": "重新开始"}).status_code == 429
