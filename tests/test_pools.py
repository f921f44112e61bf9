"""The two pools: the action server's API calls never queue behind the chat turns that wait on them.

The starvation test runs the real topology (tests/support/stack.py: both gunicorn pools, as ``make run`` starts
them) on a deliberately small web pool, with a Rasa stand-in that calls back into the portal in the middle of every
turn. It asserts outcomes (no degraded answer, every callback answered), not timings. The control shows the test
can fail: with the callbacks pointed at the web pool — the old single-pool topology — the same turns degrade.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from portal import create_app
from portal.config import default_service_bind

from .support.rasa_stand_in import StandIn, rasa_stand_in
from .support.stack import Stack, running_stack

WEB_THREADS = 2
TURNS = 3 * WEB_THREADS  # more turns at once than the web pool has threads
POLICY = "/api/v1/policies/dibao"


@pytest.fixture(scope="module")
def small_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, StandIn]]:
    with rasa_stand_in(together=WEB_THREADS) as stand_in:
        env = {
            "WEB_CONCURRENCY": "1",
            "PORTAL_THREADS": str(WEB_THREADS),
            "PORTAL_SERVICE_WORKERS": "1",
            "PORTAL_SERVICE_THREADS": "2",
            "RASA_URL": stand_in.url,
            "RASA_TIMEOUT": "3",
            "LOG_LEVEL": "warning",
        }
        with running_stack(tmp_path_factory.mktemp("pools"), with_assistant=False, portal_env=env) as stack:
            stand_in.token = stack.token
            yield stack, stand_in


def _turn(stack: Stack, number: int) -> dict:
    body = json.dumps({"sender": f"resident-{number}", "message": "低保怎么申请"}).encode()
    request = urllib.request.Request(
        stack.portal_url + "/api/v1/chat", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def _turns_at_once(stack: Stack) -> list[dict]:
    with ThreadPoolExecutor(TURNS) as pool:
        return list(pool.map(lambda number: _turn(stack, number), range(TURNS)))


def test_concurrent_turns_that_call_back_into_the_portal_all_complete(small_stack):
    stack, stand_in = small_stack
    stand_in.callback_url, stand_in.callbacks[:] = stack.service_url + POLICY, []
    replies = _turns_at_once(stack)
    assert [reply["degraded"] for reply in replies] == [False] * TURNS
    assert stand_in.callbacks == [200] * TURNS
    assert all("政策查询 200" in reply["messages"][0]["text"] for reply in replies)


def test_control_callbacks_into_the_web_pool_starve_it(small_stack):
    """The old topology (the action server calling the pool that holds the turns): the turns degrade."""
    stack, stand_in = small_stack
    stand_in.callback_url, stand_in.callbacks[:] = stack.portal_url + POLICY, []
    replies = _turns_at_once(stack)
    assert sum(reply["degraded"] for reply in replies) >= WEB_THREADS


def _service_app(app):
    return create_app({**app.config, "PORTAL_POOL": "service", "PORTAL_SERVICE_TOKEN": "pool-token"})


def test_the_service_pool_serves_the_api_to_service_callers_only(app):
    client = _service_app(app).test_client()
    token = {"Authorization": "Bearer pool-token"}
    assert client.get(POLICY, headers=token).get_json()["id"] == "dibao"
    refused = client.get(POLICY)
    assert refused.status_code == 401 and refused.get_json()["error"]["field"] == "Authorization"
    assert client.get("/", headers=token).status_code == 404


def test_the_service_pool_never_serves_a_chat_turn(app):
    client = _service_app(app).test_client()
    response = client.post(
        "/api/v1/chat", json={"sender": "a", "message": "你好"}, headers={"Authorization": "Bearer pool-token"}
    )
    assert response.status_code == 404
    assert set(response.get_json()["error"]) == {"field", "message"}
    assert "聊天" in response.get_json()["error"]["message"]


def test_the_web_pool_still_serves_service_callers(app):
    """Partner channels and the phone desk keep using the public address with the token."""
    web = create_app({**app.config, "PORTAL_SERVICE_TOKEN": "pool-token"}).test_client()
    assert web.get(POLICY, headers={"Authorization": "Bearer pool-token"}).status_code == 200
    assert web.get("/").status_code == 200


def test_an_unknown_pool_is_refused_at_start(app):
    with pytest.raises(ValueError, match="PORTAL_POOL"):
        create_app({**app.config, "PORTAL_POOL": "chat"})


@pytest.mark.parametrize(
    ("bind", "service"),
    [
        ("127.0.0.1:8000", "127.0.0.1:8001"),
        ("0.0.0.0:9000", "127.0.0.1:9001"),
        ("[::]:8080", "127.0.0.1:8081"),
        ("unix:/run/portal.sock", "127.0.0.1:8001"),
        ("8000", "127.0.0.1:8001"),
    ],
)
def test_the_service_pool_listens_beside_portal_bind(bind, service):
    assert default_service_bind(bind) == service


def test_run_all_starts_both_pools_and_points_the_action_server_at_the_service_pool():
    """``make run`` and tests/support/stack.py start the same topology (the stack is exercised above)."""
    script = (Path(__file__).resolve().parents[1] / "scripts" / "run-all.sh").read_text(encoding="utf-8")
    assert "PORTAL_POOL=web .venv/bin/gunicorn -c gunicorn.conf.py" in script
    assert "PORTAL_POOL=service .venv/bin/gunicorn -c gunicorn.conf.py" in script
    assert 'export PORTAL_URL="${PORTAL_URL:-http://$PORTAL_SERVICE_BIND}"' in script
