"""Rate limits on every form and lookup (``portal/web/ratelimits.py``): each has a per-address limit (a walk of the
URL map, so a new route cannot be forgotten, and a check that each one holds), a lookup is limited per reference
from any address (web and API together) and per address across references, and a refused request gets a friendly
429 in Chinese and English (JSON for the API) with ``Retry-After`` that keeps what was typed.

The test client sends everything from 127.0.0.1 unless a request names its own ``REMOTE_ADDR`` (the portal reads
the address from the connection: ``request.remote_addr``); the tests below give each address of their own.
"""

from __future__ import annotations

import re
from html import unescape
from itertools import count

import pytest

from portal.applications import references
from portal.web import ratelimits

from .support import people
from .test_applications_api import TOKEN, body

PID = people.id_number()
_addresses = count(1)


def new_address() -> dict[str, str]:
    n = next(_addresses)
    return {"REMOTE_ADDR": f"198.51.{n // 250}.{n % 250 + 1}"}


def _qualified(view) -> str:
    return f"{view.__module__}.{view.__qualname__}"


def forms_and_lookups(app):
    """Every form (a rule that takes POST) and every lookup (every API route, the search page)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in {"static", "openapi.openapi_json"}:
            continue
        if "POST" in rule.methods or rule.rule.startswith("/api/") or rule.endpoint == "search.search":
            yield rule


def test_every_form_and_lookup_has_a_per_address_limit(app):
    missing = [
        f"{sorted(rule.methods - {'HEAD', 'OPTIONS'})} {rule.rule}"
        for rule in forms_and_lookups(app)
        if _qualified(app.view_functions[rule.endpoint]) not in ratelimits.LIMITED
    ]
    assert not missing, "add @per_address(group) (portal/web/ratelimits.py) to: " + ", ".join(missing)
    assert len(list(forms_and_lookups(app))) >= 45  # the walk sees the whole portal
    assert set(ratelimits.LIMITED.values()) <= set(ratelimits.GROUPS)
    assert set(app.config["RATE_LIMITS"]) == set(ratelimits.GROUPS)


#: Routes that refuse a request before its limit is counted, so the walk below cannot send them anything that
#: reaches the limit: staff pages behind a sign-in (``@requires``), and the API's filing routes, which take only
#: service-token callers (who are exempt from per-address limits). Their limits are in the table all the same.
BEHIND_A_GATE = {
    "api.create_application",
    "api.create_petition",
    "staff.account_add",
    "staff.account_reset",
    "staff.act",
    "staff.add_note",
    "staff.petition_act",
    "staff.petition_phone",
    "staff.sign_out_everywhere",
    "staff.stay",
}


def _url(rule) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m.group(1) == "int" else "x", rule.rule)


def test_each_per_address_limit_holds(app):
    app.config["RATE_LIMITS"] = {name: "2 per hour" for name in ratelimits.GROUPS}
    app.config.update(CHAT_LIMIT_PER_ADDRESS="2 per hour", RASA_URL="http://127.0.0.1:9", RASA_TIMEOUT=0.5)
    checked, unlimited = 0, []
    for rule in forms_and_lookups(app):
        if rule.endpoint in BEHIND_A_GATE:
            continue
        method = "post" if "POST" in rule.methods else "get"
        address = new_address()
        codes = []
        for _ in range(3):
            client = app.test_client()  # a new browser each time, from the same address
            kwargs = {"json": {}} if rule.rule.startswith("/api/") and method == "post" else {"data": {}}
            codes.append(getattr(client, method)(_url(rule), environ_base=address, **kwargs).status_code)
        if codes[2] != 429 or 429 in codes[:2]:
            unlimited.append(f"{method.upper()} {rule.rule}: {codes}")
        checked += 1
        # another address is not held back by this one's count
        assert app.test_client().get("/", environ_base=new_address()).status_code == 200
    assert not unlimited, unlimited
    assert checked >= 35


def test_the_limits_are_settings(monkeypatch, tmp_path, search_index, database_url):
    from portal import create_app

    monkeypatch.setenv("RATE_LIMIT_LOOKUP", "3 per hour")
    monkeypatch.setenv("REFERENCE_LIMIT", "4 per hour")
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path,
            "DATABASE_URL": database_url,
            "TESTING": True,
            "SECRET_KEY": "t",
            "SEARCH_INDEX_DIR": search_index,
        }
    )
    assert app.config["RATE_LIMITS"]["lookup"] == "3 per hour"
    assert app.config["RATE_LIMITS"]["search"] == ratelimits.GROUPS["search"].default
    assert app.config["REFERENCE_LIMIT"] == "4 per hour"


def _look_up(app, reference: str, address: dict[str, str], lang: str = "zh"):
    client = app.test_client()
    return client.post(
        f"/status?lang={lang}",
        data={"reference": reference, "id_number": PID, "access_code": ""},
        environ_base=address,
    )


def test_a_reference_is_limited_after_ten_wrong_tries_from_any_address(app):
    target = references.new_reference("application")
    codes = [_look_up(app, target, new_address()).status_code for _ in range(10)]
    assert codes == [400] * 10
    assert _look_up(app, target, new_address()).status_code == 429  # an eleventh address is refused too
    api = app.test_client().get(
        f"/api/v1/applications/{target}", headers={"X-Applicant-Id": PID}, environ_base=new_address()
    )
    assert api.status_code == 429  # the web and the API count together
    assert _look_up(app, references.new_reference("application"), new_address()).status_code == 400


def test_a_petition_reference_is_limited_the_same_way(app):
    target = references.new_reference("petition")

    def look(address):
        return app.test_client().post(
            "/complaints/status", data={"reference": target, "access_code": "2222-2222"}, environ_base=address
        )

    assert [look(new_address()).status_code for _ in range(10)] == [400] * 10
    assert look(new_address()).status_code == 429
    api = app.test_client().get(
        f"/api/v1/petitions/{target}", headers={"X-Access-Code": "2222-2222"}, environ_base=new_address()
    )
    assert api.status_code == 429


def test_an_address_is_limited_across_references(app):
    address = new_address()
    limit = int(ratelimits.GROUPS["lookup"].default.split()[0])  # 60 an hour, the default
    codes = [_look_up(app, references.new_reference("application"), address).status_code for _ in range(limit)]
    assert codes == [400] * limit
    assert _look_up(app, references.new_reference("application"), address).status_code == 429
    # the same address is refused on the API too (one "lookup" count), another address is not
    api = app.test_client().get(
        f"/api/v1/applications/{references.new_reference('application')}",
        headers={"X-Applicant-Id": PID},
        environ_base=address,
    )
    assert api.status_code == 429
    assert _look_up(app, references.new_reference("application"), new_address()).status_code == 400


def test_right_answers_are_not_counted_against_the_reference(app):
    app.config["PORTAL_SERVICE_TOKEN"] = "test-token"
    filed = app.test_client().post("/api/v1/applications", json=body(), headers=TOKEN).get_json()
    reference = filed["reference"]
    address = new_address()
    answers = [
        app.test_client()
        .get(f"/api/v1/applications/{reference}", headers={"X-Applicant-Id": PID}, environ_base=address)
        .status_code
        for _ in range(15)
    ]
    assert answers == [200] * 15


def test_the_429_page_is_friendly_in_both_languages_and_keeps_what_was_typed(app):
    app.config["RATE_LIMITS"]["lookup"] = "1 per hour"
    address = new_address()
    target = references.new_reference("application")
    assert _look_up(app, target, address).status_code == 400
    zh = _look_up(app, target, address)
    assert zh.status_code == 429 and int(zh.headers["Retry-After"]) > 0
    html = unescape(zh.get_data(as_text=True))
    assert "尝试次数太多" in html and "请等 60 分钟后再试" in html and "12385" in html  # an hour: not "61 minutes"
    assert zh.headers["Cache-Control"] == "no-store"  # it holds the ID number that was typed
    assert f'name="reference" value="{target}"' in html and f'name="id_number" value="{PID}"' in html
    assert 'action="/status?lang=zh"' in html and "重新发送" in html
    en = _look_up(app, target, address, lang="en")
    assert en.status_code == 429 and int(en.headers["Retry-After"]) > 0
    text = unescape(en.get_data(as_text=True))
    assert "Too many tries in a short time" in text and "please wait" in text and "Send again" in text


def test_a_refused_sign_in_keeps_the_user_name_and_never_the_password(app):
    app.config["RATE_LIMITS"]["staff-sign-in"] = "1 per hour"
    address = new_address()
    form = {"username": "clerk", "password": "a long secret password", "code": "123456"}
    app.test_client().post("/staff/sign-in", data=form, environ_base=address)
    refused = app.test_client().post("/staff/sign-in", data=form, environ_base=address)
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert 'name="username" value="clerk"' in html
    assert "a long secret password" not in html and "123456" not in html


def test_a_refused_upload_says_the_files_must_be_chosen_again(app):
    import io

    app.config["RATE_LIMITS"]["upload"] = "1 per hour"
    address = new_address()
    for _ in range(2):
        response = app.test_client().post(
            "/apply/draft/documents/x",
            data={"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
            content_type="multipart/form-data",
            environ_base=address,
        )
    assert response.status_code == 429
    assert "请重新选择" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang, words", [("zh", "尝试次数太多"), ("en", "Too many tries")])
def test_the_api_answers_429_as_json_in_its_language(app, lang, words):
    app.config["RATE_LIMITS"]["lookup"] = "1 per hour"
    address = new_address()
    path = f"/api/v1/applications/{references.new_reference('application')}?lang={lang}"
    app.test_client().get(path, headers={"X-Applicant-Id": PID}, environ_base=address)
    refused = app.test_client().get(path, headers={"X-Applicant-Id": PID}, environ_base=address)
    assert refused.status_code == 429 and refused.is_json and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["error"]["field"] is None
    assert words in refused.get_json()["error"]["message"]


def test_service_callers_are_exempt_from_the_address_limits_only(app):
    app.config["PORTAL_SERVICE_TOKEN"] = "test-token"
    app.config["RATE_LIMITS"]["lookup"] = "1 per hour"
    address = new_address()
    target = references.new_reference("application")
    codes = [
        app.test_client()
        .get(f"/api/v1/applications/{target}", headers={**TOKEN, "X-Applicant-Id": PID}, environ_base=address)
        .status_code
        for _ in range(11)
    ]
    assert codes == [404] * 10 + [429]  # past the address limit, held by the reference's


def test_an_htmx_form_gets_its_part_of_the_page_with_what_was_typed(app):
    app.config["RATE_LIMITS"]["feedback"] = "1 per hour"
    address = new_address()
    form = {"feedback-useful": "no", "feedback-comment": "字太小了", "feedback-path": "/"}
    headers = {"HX-Request": "true"}
    assert app.test_client().post("/feedback", data=form, headers=headers, environ_base=address).status_code == 200
    refused = app.test_client().post("/feedback", data=form, headers=headers, environ_base=address)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    html = refused.get_data(as_text=True)
    assert "<html" not in html and 'role="alert"' in html and "尝试次数太多" in html
    assert 'name="feedback-comment" value="字太小了"' in html
