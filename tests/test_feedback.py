"""“这个页面有帮助吗？” — stored without personal data, validated, works with and without htmx."""

from __future__ import annotations

from sqlalchemy import select

from portal.db.models import PageFeedback

from .conftest import csrf_token


def stored(app) -> list[PageFeedback]:
    with app.app_context():
        from portal.web.database import db_session

        return list(db_session().scalars(select(PageFeedback)))


def test_every_page_offers_the_feedback_form(client):
    for path in ("/", "/settings", "/accessibility"):
        html = client.get(path).get_data(as_text=True)
        assert 'id="feedback"' in html and "这个页面有帮助吗？" in html


def test_feedback_is_stored_and_the_user_returns_to_the_page(app, client):
    token = csrf_token(client, "/accessibility")
    response = client.post(
        "/feedback",
        data={
            "csrf_token": token,
            "feedback-useful": "no",
            "feedback-comment": "  字太小  ",
            "feedback-path": "/accessibility",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/accessibility"
    assert "谢谢您的反馈" in client.get("/accessibility").get_data(as_text=True)
    [row] = stored(app)
    comment = app.extensions["sealer"].open_json(row.comment_sealed)
    assert (row.path, row.useful, comment, row.lang) == ("/accessibility", False, "字太小", "zh")
    assert "字太小" not in row.comment_sealed


def test_missing_answer_keeps_the_comment_and_explains(app, client):
    token = csrf_token(client)
    response = client.post(
        "/feedback", data={"csrf_token": token, "feedback-comment": "想要更多信息", "feedback-path": "/settings"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>错误：" in html
    assert "请选择“是”或“否”" in html
    assert "想要更多信息</textarea>" in html
    assert 'href="#feedback-useful-0"' in html
    assert stored(app) == []


def test_too_long_comment_is_refused_politely(app, client):
    token = csrf_token(client)
    response = client.post(
        "/feedback",
        data={"csrf_token": token, "feedback-useful": "yes", "feedback-comment": "长" * 501, "feedback-path": "/"},
    )
    assert response.status_code == 400
    assert "500" in response.get_data(as_text=True)
    assert stored(app) == []


def test_off_site_path_is_not_stored(app, client):
    token = csrf_token(client)
    client.post(
        "/feedback", data={"csrf_token": token, "feedback-useful": "yes", "feedback-path": "https://evil.example/"}
    )
    assert [row.path for row in stored(app)] == ["/"]


def test_htmx_gets_a_fragment_and_vary_header(app, client):
    token = csrf_token(client)
    response = client.post(
        "/feedback",
        data={"csrf_token": token, "feedback-useful": "yes", "feedback-path": "/"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "谢谢您的反馈" in html
    assert "data-focus-on-load" in html
    assert "HX-Request" in response.headers["Vary"]
    error = client.post("/feedback", data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert error.status_code == 400 and "<html" not in error.get_data(as_text=True)
    assert "error-summary" in error.get_data(as_text=True)
