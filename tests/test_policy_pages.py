"""Policy pages, browse pages and the search page."""

from __future__ import annotations

import re

import pytest

from portal.config import PROJECT_ROOT
from portal.content import load_catalogue

POLICY_IDS = [policy.id for policy in load_catalogue(PROJECT_ROOT / "content").policies]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_policy_page_renders_the_answer_first(client, lang):
    for policy_id in POLICY_IDS:
        response = client.get(f"/policies/{policy_id}?lang={lang}")
        assert response.status_code == 200, policy_id
        html = response.get_data(as_text=True)
        assert html.count("<h1") == 1
        who = html.index('id="who-title"')
        assert who < html.index('id="what-title"') < html.index('id="how-title"') < html.index('id="details-title"')
        assert "大足府发〔2022〕27号" in html
        assert "12385" in html


def test_policy_page_links_to_the_checker_and_says_whether_online_apply_is_open(app, client):
    html = client.get("/policies/nursing-subsidy").get_data(as_text=True)
    assert 'href="/eligibility?benefit=nursing-subsidy"' in html
    assert 'href="/apply/nursing-subsidy"' in html and "网上申请暂未开通" not in html
    from portal import create_app

    closed = create_app({**app.config, "PORTAL_FEATURES": "apply=off"}).test_client()
    assert "网上申请暂未开通" in closed.get("/policies/nursing-subsidy").get_data(as_text=True)
    assert "本门户暂未核实金额" in html
    # No sign-language video yet: the page says so and offers an interpreter.
    assert "暂时没有手语视频" in html


def test_easy_read_version(client):
    html = client.get("/policies/nursing-subsidy?easy=1").get_data(as_text=True)
    assert 'id="easy-read"' in html
    assert len(re.findall(r'class="easy-read__icon" aria-hidden="true"', html)) >= 4


def test_read_aloud_button_is_hidden_until_script_finds_speech(client):
    html = client.get("/policies/dibao").get_data(as_text=True)
    assert re.search(r'<button type="button" class="button button--secondary read-aloud"[^>]*hidden>', html)


def test_unknown_policy_is_404(client):
    assert client.get("/policies/no-such-thing").status_code == 404


def test_browse_by_category_and_audience(client):
    html = client.get("/policies?category=education").get_data(as_text=True)
    assert "残疾儿童少年义务教育与送教上门" in html and "残疾人精准康复服务" not in html
    children = client.get("/policies?audience=children").get_data(as_text=True)
    assert "残疾儿童康复救助" in children and "招录残疾人用人单位补贴" not in children
    assert client.get("/policies?category=nope").status_code == 404


def test_search_page_without_javascript(client):
    html = client.get("/search?q=护理补贴").get_data(as_text=True)
    assert "找到" in html and "条结果" in html
    assert '<a href="/policies/nursing-subsidy">' in html
    assert "<mark>" in html


def test_search_page_zero_results_helps(client):
    html = client.get("/search?q=天气预报").get_data(as_text=True)
    assert "没有找到" in html and 'href="/policies"' in html and "12385" in html


def test_search_page_suggestion(client):
    html = client.get("/search?q=残急人证").get_data(as_text=True)
    assert "您是不是要找" in html and "残疾人证" in html


def test_search_htmx_gets_only_the_results(client):
    response = client.get("/search?q=轮椅", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "data-announce" in html
    assert "HX-Request" in response.headers["Vary"]


def test_search_page_survives_bad_parameters(client):
    for query in ("?q=" + "长" * 500, "?q=a&page=-1", "?q=a&page=zz", "?q=a&category=nope&audience=x", "?q=%00"):
        assert client.get("/search" + query).status_code == 200
