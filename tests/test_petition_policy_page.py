"""The policy page ``petition-12385`` says what the portal does: while the complaint form is open it links to it
and says what it offers (no false "not open yet" banner); the text in content promises no online service itself."""

from __future__ import annotations

from portal import create_app


def test_the_policy_page_links_to_the_complaint_form_and_says_what_it_does(client):
    html = client.get("/policies/petition-12385?lang=en").get_data(as_text=True)
    assert 'href="/complaints"' in html
    assert "not open yet" not in html
    assert "anonymous" in html and "access code" in html
    assert "Satisfied (满意), Basically satisfied (基本满意)" in html  # the rule of content/petitions.yml


def test_when_the_complaint_form_is_closed_the_page_says_so_and_does_not_link_it(app):
    closed = create_app({**app.config, "PORTAL_FEATURES": "complaints=off"}).test_client()
    html = closed.get("/policies/petition-12385?lang=en").get_data(as_text=True)
    assert "not open yet" in html
    assert 'href="/complaints"' not in html
    assert "12385" in html
