"""End to end: /api/v1/chat → Rasa → action server → the portal's eligibility API → back, on real processes.

Needs the assistant's venv and trained model, which `make test` builds (assistant/scripts/setup.sh, train.sh)
before it runs this. Takes about a minute to start Rasa.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator

import pytest

from .support.stack import MODEL, RASA, Stack, running_stack

# What to answer when the assistant asks about…: (pattern in its question, reply), first match wins.
ANSWERS = [
    (r"等级|几级", "一级"),
    (r"户口|户籍|hukou", "户口在大足"),
    (r"残疾人证|残疾证", "有残疾证"),
    (r"照顾|照护|护理", "要，需要人长期照顾"),
    (r"家里|家庭|低保|特困|收入", "低保户"),
    (r"工伤", "没有"),
    (r"多大|年龄|岁", "72岁"),
    (r"类别|哪一类|哪类", "肢体残疾"),
]
DECIDED = re.compile(r"可以申请|符合条件|暂不符合|不符合|需要.*审核|审核")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    assert RASA.exists() and MODEL.exists(), "the assistant is not set up: run `make test` (it trains the model)"
    with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


def chat(stack: Stack, sender: str, message: str, lang: str = "zh") -> dict:
    body = json.dumps({"sender": sender, "message": message, "lang": lang}).encode()
    request = urllib.request.Request(
        stack.portal_url + "/api/v1/chat", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_eligibility_conversation_through_every_process(stack: Stack):
    sender = "e2e-eligibility"
    reply = chat(stack, sender, "我老汉能领护理补贴不")
    transcript = []
    for _turn in range(10):
        assert reply["degraded"] is False, reply
        text = " ".join(message["text"] for message in reply["messages"])
        transcript.append(text)
        if DECIDED.search(text) and "护理补贴" in text:
            break
        answer = next((said for pattern, said in ANSWERS if re.search(pattern, text)), "是的")
        reply = chat(stack, sender, answer)
    else:
        pytest.fail("the assistant never gave an answer:\n" + "\n".join(transcript))
    assert "国发〔2015〕52号" in text or "专栏2" in text, text  # the engine's sources come back
    log = stack.logs["service"].read_text()  # the action server calls the service pool (README, "Two pools")
    assert re.search(r'"POST /api/v1/eligibility HTTP/1.1" 200', log), "the action server never called the portal"


def test_policy_question_answered_from_the_portal(stack: Stack):
    reply = chat(stack, "e2e-policy", "残疾证咋个办")
    assert reply["degraded"] is False
    text = " ".join(message["text"] for message in reply["messages"])
    assert "残疾" in text and len(text) > 20


def test_english_reply(stack: Stack):
    reply = chat(stack, "e2e-english", "hello", lang="en")
    assert reply["degraded"] is False
    text = " ".join(message["text"] for message in reply["messages"])
    assert text and not re.search(r"[\u4e00-\u9fff]", text), text
