"""One reader of ``content/``: every part of the portal serves the directory ``CONTENT_DIR`` names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portal import content, create_app
from portal.config import PROJECT_ROOT
from portal.content import check_content
from portal.eligibility import evaluate

ELIGIBLE = {"age": 70, "hukou": "dazu", "certificate": True, "category": "physical", "grade": 1, "long_term_care": True,
            "household": "none"}  # fmt: skip


@pytest.fixture()
def edited_content(tmp_path: Path) -> Path:
    """A copy of the real content with a renamed department and a reworded checker question."""
    copy = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", copy)
    departments = copy / "departments.yml"
    text = departments.read_text(encoding="utf-8")
    assert "区民政局" in text
    departments.write_text(text.replace("区民政局", "区民政局（测试改名）"), encoding="utf-8")
    checker = copy / "checker.yml"
    text = checker.read_text(encoding="utf-8")
    checker.write_text(text.replace("有没有残疾人证？", "手上有没有残疾人证？（测试）"), encoding="utf-8")
    return copy


def test_the_app_serves_the_configured_content_everywhere(app, edited_content):
    edited = create_app({**app.config, "CONTENT_DIR": edited_content})
    try:
        client = edited.test_client()
        body = client.post(
            "/api/v1/eligibility", json={"benefits": ["nursing-subsidy"], "profile": ELIGIBLE}
        ).get_json()
        assert body["results"][0]["status"] == "eligible"
        assert "区民政局（测试改名）" in body["results"][0]["next_step"]  # the engine's texts
        page = client.get("/policies/nursing-subsidy").get_data(as_text=True)
        assert "区民政局（测试改名）" in page  # the policy page
        from .conftest import csrf_token

        token = csrf_token(client, "/eligibility")
        client.post("/eligibility/start", data={"csrf_token": token, "benefit": "fuel-subsidy"})
        question = client.get("/eligibility/questions/certificate").get_data(as_text=True)
        assert "手上有没有残疾人证？（测试）" in question  # the checker's questions
    finally:
        content.use(PROJECT_ROOT / "content")
    assert "（测试改名）" not in evaluate(ELIGIBLE, ["nursing-subsidy"])[0]["next_step"]


def test_rules_and_policies_must_agree_on_lead_and_apply_mode(edited_content):
    policy = edited_content / "policies" / "fuel-subsidy.md"
    text = policy.read_text(encoding="utf-8")
    assert "\napply: online\n" in text
    policy.write_text(text.replace("\napply: online\n", "\napply: offline\n"), encoding="utf-8")
    problems = [str(p) for p in check_content(edited_content)]
    assert any(
        "fuel-subsidy.md" in p and "apply is 'offline' but rule 'fuel-subsidy' says 'online'" in p for p in problems
    )
    line = int(next(p for p in problems if "rule 'fuel-subsidy'" in p).split(":")[1])
    assert policy.read_text(encoding="utf-8").splitlines()[line - 1] == "apply: offline"


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        ("forms/nursing-subsidy.yml", "long_term_care, ", "", "also reads long_term_care"),
        ("forms/nursing-subsidy.yml", "facts: [", "facts: [shoe_size, ", "'shoe_size' is not a fact"),
        ("forms/nursing-subsidy.yml", "facts: [", "facts: [age, ", "'age' is not a fact"),
        ("forms/nursing-subsidy.yml", "benefit: nursing-subsidy", "benefit: dibao", "does not match the file name"),
        ("forms/fuel-subsidy.yml", "details:", "details: [passport]\nold_details:", "unknown detail 'passport'"),
        ("forms/fuel-subsidy.yml", "confirmed: false", "confirmed: true", "needs the source that was checked"),
        ("towns.yml", "confirmed: false", "confirmed: maybe", "source needs confirmed"),
        ("towns.yml", "{id: tangxiang,", "{id: longgang,", "'longgang' must be lower-case ascii and unique"),
    ],
)
def test_form_and_town_problems_are_reported(edited_content, file, old, new, expected):
    path = edited_content / file
    text = path.read_text(encoding="utf-8")
    if old not in text:  # a form without details gets one to break
        text = text.replace("documents:", f"{new}\ndocuments:") if old == "details:" else text
    else:
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    assert any(expected in str(problem) for problem in check_content(edited_content)), expected


def test_a_policy_that_takes_online_applications_needs_a_form(edited_content):
    (edited_content / "forms" / "sunshine-home.yml").unlink()
    assert any(
        "sunshine-home.yml:0: apply: online, but the form is missing" in str(p) for p in check_content(edited_content)
    )
