"""Rasa at scale: two Rasa servers (``assistant/scripts/run.sh`` twice, each with its own action server) on one
PostgreSQL tracker store and one Redis lock store, chosen by ``RASA_TRACKER_STORE_URL`` and
``RASA_LOCK_STORE_URL`` (``assistant/endpoints.scale.yml``). A complaint started on one server is carried on
and read back by the other, as a load balancer sending each turn to either would need.

With the default in-memory stores (``endpoints.yml``) the second server would start the conversation afresh:
"龙岗街道" outside the complaint form is an ``inform`` and opens the eligibility form, so nothing would read back
what the resident told the first server. The lock part holds the conversation's lock in Redis, as the other
server holds it during a turn, and the server waits for it: an in-memory lock store would not see it.

Runs in the PostgreSQL+Redis pass only (it needs both servers); 70 s on a quiet machine, about 3 minutes on a busy one
(starting the two Rasa servers at once).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import create_engine, text

from .support import databases
from .support.assistants import running_assistants
from .support.stack import MODEL, RASA

WHAT = "村上克扣我的补贴"
WHERE = "龙岗街道"
LOCK_DB = 2  # Redis databases 0 and 1 are the portal's rate limits and job queue
LOCK_HELD_SECONDS = 4


def say(server: str, sender: str, message: str) -> str:
    """One turn through the REST channel, as the portal sends it; the replies' text, joined."""
    response = requests.post(
        server + "/webhooks/rest/webhook",
        json={"sender": sender, "message": message, "metadata": {"lang": "zh"}},
        timeout=60,
    )
    response.raise_for_status()
    return "\n".join(reply.get("text", "") for reply in response.json())


@pytest.mark.services_only
def test_one_conversation_continues_on_a_second_rasa_server(tmp_path: Path):
    """PostgreSQL+Redis only: the shared stores are what is tested."""
    assert RASA.exists() and MODEL.exists(), "the assistant is not set up: run `make test` (it trains the model)"
    lock_url = os.environ["RATELIMIT_STORAGE_URI"].rsplit("/", 1)[0] + f"/{LOCK_DB}"
    locks = redis.Redis.from_url(lock_url)
    locks.flushdb()
    with databases.database(tmp_path, migrated=False, name="rasa") as portal_style_url:
        # Rasa's SQLAlchemy 1.4 speaks psycopg2 (postgresql://), the portal psycopg 3 (postgresql+psycopg://).
        tracker_url = "postgresql://" + portal_style_url.split("://", 1)[1]
        env = {"RASA_TRACKER_STORE_URL": tracker_url, "RASA_LOCK_STORE_URL": lock_url}
        with running_assistants(tmp_path, 2, env) as (one, two):
            for assistant in (one, two):
                assert "endpoints.scale.yml" in assistant.log.read_text(), assistant.log.read_text()[-2000:]
            sender = f"scale-{uuid.uuid4().hex[:8]}"

            assert "发生了什么事" in say(one.url, sender, "我要投诉")
            assert "在哪里发生的" in say(one.url, sender, WHAT)
            # The next turns go to the other server, which has never seen this conversation.
            assert "怎么联系您" in say(two.url, sender, WHERE)

            # The other server holds this conversation's lock (a ticket of its own, in the lock's Redis
            # format) for a few seconds: this server waits for it before taking the turn.
            ticket = {"number": 0, "expires": time.time() + LOCK_HELD_SECONDS}
            held = {"conversation_id": sender, "tickets": [json.dumps(ticket)]}
            locks.set(f"dazu:lock:{sender}", json.dumps(held))
            started = time.monotonic()
            confirm = say(two.url, sender, "不留")
            waited = time.monotonic() - started
            assert waited >= LOCK_HELD_SECONDS - 1, f"answered in {waited:.1f} s, through a lock held elsewhere"
            assert f"内容：{WHAT}" in confirm and f"地点：{WHERE}" in confirm, confirm  # what the first server heard

            tracker = requests.get(f"{one.url}/conversations/{sender}/tracker", timeout=30).json()
            assert tracker["slots"]["complaint_where"] == WHERE  # the first server sees the second's turns too
            assert tracker["slots"]["requested_slot"] == "complaint_confirm"
            heard = [event["text"] for event in tracker["events"] if event["event"] == "user"]
            assert heard == ["我要投诉", WHAT, WHERE, "不留"]
            assert locks.keys("dazu:lock:*") == []  # released once the turn was done

        engine = create_engine(portal_style_url)
        try:
            with engine.connect() as connection:
                stored = connection.execute(
                    text("SELECT count(*) FROM events WHERE sender_id = :sender AND type_name = 'user'"),
                    {"sender": sender},
                ).scalar_one()
        finally:
            engine.dispose()
        assert stored == 4  # in PostgreSQL, not in either server's memory
