"""End to end: /api/v1/chat → Rasa → action server → the portal's eligibility API → back, on real processes.

Needs the assistant's venv and trained model, which `make test` builds (assistant/scripts/setup.sh, train.sh)
before it runs this. Takes about a minute to start Rasa.
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

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


# --- the fixed conversations (tests/assistant_conversations.yml): decisions reached, no fact asked twice -------

CONVERSATIONS = yaml.safe_load((Path(__file__).parent / "assistant_conversations.yml").read_text(encoding="utf-8"))
DEFAULT_ANSWERS = {  # field -> (what the resident says, the profile value it means)
    "zh": {
        "age": ("六十岁", 60),
        "category": ("肢体残疾", "physical"),
        "grade": ("二级", 2),
        "hukou": ("大足", "dazu"),
        "certificate": ("有证", True),
        "long_term_care": ("要人照顾", True),
        "household": ("低保", "dibao"),
        "residence_permit": ("没有居住证", False),
        "incontinence": ("没有失禁", False),
        "student": ("没上学", False),
        "employment": ("没得工作", "unemployed"),
        "lower_limb": ("是下肢", True),
        "fixed_income": ("没有收入", False),
        "motorized_wheelchair": ("没有机动轮椅车", False),
        "work_injury_nursing": ("不是工伤", False),
        "orphan": ("不是", False),
        "multiple_includes": ("视力和肢体", ["physical", "visual"]),
    },
    "en": {
        "age": ("60", 60),
        "category": ("physical", "physical"),
        "grade": ("grade 2", 2),
        "hukou": ("Dazu", "dazu"),
        "certificate": ("yes", True),
        "long_term_care": ("yes", True),
        "household": ("dibao", "dibao"),
        "residence_permit": ("no residence permit", False),
        "incontinence": ("no", False),
        "student": ("no", False),
        "employment": ("no job", "unemployed"),
        "lower_limb": ("yes", True),
        "fixed_income": ("no income", False),
        "motorized_wheelchair": ("no", False),
        "work_injury_nursing": ("no", False),
        "orphan": ("no", False),
        "multiple_includes": ("visual and physical", ["physical", "visual"]),
    },
}


def engine_statuses(stack: Stack, profile: dict, benefits: list[str], lang: str) -> dict[str, str]:
    body = json.dumps({"profile": profile, "benefits": benefits, "lang": lang}).encode()
    request = urllib.request.Request(
        stack.portal_url + "/api/v1/eligibility", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return {r["benefit"]: r["status"] for r in json.loads(response.read())["results"]}


def converse(stack: Stack, conv: dict, sender: str, turns: list, facts: dict, asked: list[str]) -> list[dict]:
    """Say the turns, answer every question, until the assistant reports decisions; those decisions."""
    lang = conv.get("lang", "zh")
    answers = {**DEFAULT_ANSWERS[lang], **{k: tuple(v) for k, v in (conv.get("answers") or {}).items()}}
    pending = list(turns)
    transcript: list[str] = []
    for _step in range(10):
        if not pending:
            break
        said, stated = pending.pop(0)
        facts.update(stated)
        reply = chat(stack, sender, said, lang)
        assert reply["degraded"] is False, reply
        transcript += [f"> {said}"] + [f"< {m['text']}" for m in reply["messages"]]
        decided = [d for m in reply["messages"] for d in m.get("eligibility") or []]
        if decided and not pending:
            return decided
        asks = [m["asks"] for m in reply["messages"] if m.get("asks")]
        if asks:
            field = asks[-1]
            log = "\n".join(transcript)
            assert field != "benefit", f"{conv['id']}: asked which benefit\n{log}"
            assert field not in facts, f"{conv['id']}: asked for {field}, already given\n{log}"
            assert field not in asked, f"{conv['id']}: asked for {field} twice\n{log}"
            asked.append(field)
            if not pending:
                assert field in answers, f"{conv['id']}: asked for {field}, which the script cannot answer\n{log}"
                text, value = answers[field]
                pending.append([text, value if isinstance(value, dict) else {field: value}])
    pytest.fail(f"{conv['id']}: no decision\n" + "\n".join(transcript))


@pytest.mark.parametrize("conv", CONVERSATIONS, ids=[c["id"] for c in CONVERSATIONS])
def test_fixed_conversation(stack: Stack, conv: dict):
    lang = conv.get("lang", "zh")
    facts: dict = {}
    asked: list[str] = []
    sender = f"conv-{conv['id']}-{uuid.uuid4().hex[:8]}"  # a new conversation on every run
    for stage in ("turns", "then"):
        if stage not in conv:
            continue
        decided = converse(stack, conv, sender, conv[stage], facts, asked)
        statuses = {d["benefit"]: d["status"] for d in decided}
        wanted = conv.get("benefits") or list(statuses)
        assert set(wanted) <= set(statuses), (conv["id"], statuses)
        assert statuses == {**statuses, **engine_statuses(stack, facts, wanted, lang)}, (conv["id"], facts)
        if stage == "turns":
            for benefit, status in (conv.get("expect") or {}).items():
                assert statuses.get(benefit) == status, (conv["id"], benefit, statuses)
    assert len(asked) <= conv.get("max_questions", 3), (conv["id"], asked)


def test_complaint_in_dialect_is_read_back_filed_and_followed_by_reference(stack: Stack):
    sender = f"e2e-complaint-{uuid.uuid4().hex[:8]}"
    said = ["我要投诉", "盲道被占起了，过不去", "龙岗街道", "不留", "确认提交"]
    replies = [" ".join(m["text"] for m in chat(stack, sender, line)["messages"]) for line in said]
    assert "盲道被占起了" in replies[3] and "确认提交吗" in replies[3], replies  # read back before sending
    filed = re.search(r"编号是 (C[0-9A-Z]{3}-[0-9A-Z]{4})，查询码是 ([0-9A-Z]{4}-[0-9A-Z]{4})", replies[4])
    assert filed, replies[4]
    reference, code = filed.groups()
    status = " ".join(m["text"] for m in chat(stack, sender, f"查一下投诉 {reference} 查询码 {code}")["messages"])
    assert reference in status and "已收到" in status, status
    wrong = " ".join(m["text"] for m in chat(stack, sender, f"查投诉 {reference} 查询码 2222-2222")["messages"])
    assert "没有找到" in wrong, wrong
