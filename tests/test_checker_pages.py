"""The checker pages: one question per page, errors that keep answers, check answers, results, start again."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.db.models import ServerSession

from .conftest import csrf_token


def start(client, benefit: str | None = None) -> str:
    token = csrf_token(client, "/eligibility")
    data = {"csrf_token": token, **({"benefit": benefit} if benefit else {})}
    response = client.post("/eligibility/start", data=data)
    assert response.status_code == 302
    return token


def answer(client, token: str, question: str, *values: str):
    return client.post(f"/eligibility/questions/{question}", data={"csrf_token": token, "answer": list(values)})


def stored_rows(app) -> int:
    with app.app_context():
        from portal.web.database import db_session

        return db_session().scalar(select(func.count()).select_from(ServerSession))


def test_start_page_says_what_it_does_and_that_nothing_is_stored(client):
    html = client.get("/eligibility").get_data(as_text=True)
    assert "查查能享受哪些帮扶" in html and "不需要填写姓名" in html and "30分钟" in html


def test_a_whole_check_for_one_benefit(app, client):
    token = start(client, "fuel-subsidy")
    location = client.get("/eligibility/benefits").status_code
    assert location == 200
    steps = [
        ("hukou", "dazu"),
        ("certificate", "yes"),
        ("category", "physical"),
        ("lower_limb", "yes"),
        ("motorized_wheelchair", "yes"),
    ]
    for question, value in steps:
        page = client.get(f"/eligibility/questions/{question}").get_data(as_text=True)
        assert page.count("<h1") == 1
        response = answer(client, token, question, value)
        assert response.status_code == 302, question
    assert response.headers["Location"].endswith("/eligibility/check")
    check = client.get("/eligibility/check").get_data(as_text=True)
    assert "户口在哪里？" in check and "大足区" in check and 'href="/eligibility/questions/hukou"' in check
    results = client.get("/eligibility/results").get_data(as_text=True)
    assert "可以申请" in results and "残疾人机动轮椅车燃油补贴" in results
    assert "财社〔2010〕256号" in results
    assert "《大足区“十四五”残疾人保障和发展规划》第三章第一节5" in results and "seed" not in results.lower()
    assert "本门户暂未核实金额" in results
    assert stored_rows(app) == 1


def test_invalid_answer_shows_an_error_and_keeps_what_was_typed(client):
    token = start(client)
    client.post("/eligibility/benefits", data={"csrf_token": token})
    response = answer(client, token, "age", "四十五")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>错误：" in html
    assert 'href="#answer"' in html
    assert 'value="四十五"' in html
    assert 'aria-describedby="answer-hint answer-error"' in html
    assert "年龄请填 0 到 120 之间的整数" in html


def test_missing_choice_is_an_error_in_english_too(client):
    token = start(client, "precision-rehab")
    response = client.post("/eligibility/questions/hukou?lang=en", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Choose an answer, or skip this question" in response.get_data(as_text=True)


def test_skip_moves_on_and_shows_not_answered(client):
    token = start(client, "precision-rehab")
    client.post("/eligibility/questions/hukou", data={"csrf_token": token, "skip": "1"})
    client.post("/eligibility/questions/residence_permit", data={"csrf_token": token, "skip": "1"})
    response = answer(client, token, "certificate", "yes")
    assert response.headers["Location"].endswith("/eligibility/check")
    assert "未回答" in client.get("/eligibility/check").get_data(as_text=True)
    results = client.get("/eligibility/results").get_data(as_text=True)
    assert "还需要更多信息" in results


def test_change_link_returns_to_the_question_with_the_answer_selected(client):
    token = start(client, "precision-rehab")
    answer(client, token, "hukou", "chongqing")
    page = client.get("/eligibility/questions/hukou").get_data(as_text=True)
    assert re.search(r'value="chongqing"[^>]*checked', page)


def test_back_link_goes_to_the_previous_question(client):
    token = start(client, "fuel-subsidy")
    answer(client, token, "hukou", "dazu")
    page = client.get("/eligibility/questions/certificate").get_data(as_text=True)
    assert 'class="back-link"' in page and 'href="/eligibility/questions/hukou" class="back-link"' in page


def test_start_again_deletes_the_answers(app, client):
    token = start(client, "fuel-subsidy")
    answer(client, token, "hukou", "dazu")
    assert stored_rows(app) == 1
    response = client.post("/eligibility/restart", data={"csrf_token": token})
    assert response.headers["Location"].endswith("/eligibility")
    assert stored_rows(app) == 0
    assert client.get("/eligibility/check").status_code == 302


def test_without_answers_the_questions_send_you_to_the_start(client):
    response = client.get("/eligibility/questions/age")
    assert response.status_code == 302 and response.headers["Location"].endswith("/eligibility")


def test_unknown_question_is_404(client):
    start(client)
    assert client.get("/eligibility/questions/shoe_size").status_code == 404
    assert client.get("/eligibility/questions/orphan").status_code == 404


def test_answers_expire(app, client):
    from datetime import datetime, timedelta, timezone

    token = start(client, "fuel-subsidy")
    answer(client, token, "hukou", "dazu")
    with app.app_context():
        from portal.web.database import db_session

        session = db_session()
        row = session.scalars(select(ServerSession)).one()
        row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
        session.commit()
    response = client.get("/eligibility/questions/certificate")
    assert response.status_code == 302
    assert "答案在最后一次修改30分钟后已清除" in client.get("/eligibility").get_data(as_text=True)
    assert stored_rows(app) == 0


def test_extend_pushes_the_expiry_back(app, client):
    token = start(client, "fuel-subsidy")
    with app.app_context():
        from portal.web.database import db_session

        before = db_session().scalars(select(ServerSession)).one().expires_at
    response = client.post("/eligibility/extend", data={"csrf_token": token, "next": "/eligibility/questions/hukou"})
    assert response.headers["Location"].endswith("/eligibility/questions/hukou")
    with app.app_context():
        from portal.web.database import db_session

        assert db_session().scalars(select(ServerSession)).one().expires_at > before
