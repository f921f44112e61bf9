"""Every /staff route refuses a visitor and a member of staff of another scope or role; sign-in needs the second
factor every time; lockout, idle timeout, sign-out everywhere, four eyes, concurrent decisions, append-only audit."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from portal.accounts.permissions import Staff
from portal.applications.review import Review
from portal.applications.workflow import WorkflowError
from portal.db.models import Application, AuditEvent, StaffUser

from .support import staff
from .test_staff_journey import act, submit

PAIR = "correct horse battery staple"


def routes(app) -> list[tuple[str, str]]:
    """Every /staff route with its methods, filled with a real reference where it takes one."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff") and rule.endpoint not in ("staff.sign_in", "staff.session_state"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((method, rule.rule))
    return found


def fill(rule: str, reference: str) -> str:
    return rule.replace("<reference>", reference).replace("<int:file_id>", "1").replace("<username>", "someone")


@pytest.fixture()
def case(app, client):
    reference, _code = submit(client)  # received by 龙岗街道, decided by 区民政局
    return reference


def test_every_staff_route_refuses_a_visitor(app, case):
    visitor = app.test_client()
    checked = routes(app)
    assert len(checked) >= 12
    for method, rule in checked:
        response = visitor.open(fill(rule, case), method=method)
        assert response.status_code in (302, 400, 401), (method, rule, response.status_code)
        if response.status_code == 302:
            assert (
                "/staff/sign-in" in response.headers["Location"] or "/staff/enrol" not in response.headers["Location"]
            )
            assert response.headers["Location"].split("?")[0].endswith(("/staff/sign-in", "/staff/sign-in/"))


def _signed(app, username: str, *roles: str, scope: str | None = None):
    secret = staff.add(app, username, *roles, scope=scope)
    client = app.test_client()
    assert staff.sign_in(app, client, username, secret).status_code == 302
    return client


CASE_ROUTES = ("/staff/applications/{ref}", "/staff/applications/{ref}/files/1")


def test_another_town_cannot_open_the_case(app, case):
    other = _signed(app, "clerk.tangxiang", "town_clerk", scope="tangxiang")
    assert case not in other.get("/staff").get_data(as_text=True)
    for path in CASE_ROUTES:
        assert other.get(path.format(ref=case)).status_code == 404
    response = other.post(
        f"/staff/applications/{case}/act", data={"csrf_token": staff.token(other), "action": "accept", "version": "1"}
    )
    assert response.status_code == 404
    with app.app_context():
        from portal.web.database import db_session

        assert db_session().scalars(select(Application)).one().status == "submitted"


def test_another_department_cannot_open_it(app, case):
    other = _signed(app, "reviewer.dpf", "reviewer", scope="dpf")
    for path in CASE_ROUTES:
        assert other.get(path.format(ref=case)).status_code == 404


@pytest.mark.parametrize("roles", [("petition_handler",), ("admin",), ("supervisor",)])
def test_roles_without_applications_see_no_case_data(app, case, roles):
    scope = "civil-affairs" if roles == ("petition_handler",) else None
    other = _signed(app, f"user.{roles[0]}", *roles, scope=scope)
    for path in CASE_ROUTES:
        assert other.get(path.format(ref=case)).status_code == 403
    assert other.get("/staff/applications.csv").status_code == 403
    assert case not in other.get("/staff").get_data(as_text=True)


def test_only_admins_manage_accounts_and_only_supervisors_read_the_audit(app, case):
    clerk = _signed(app, "clerk.longgang", "town_clerk", scope="longgang")
    assert clerk.get("/staff/accounts").status_code == 403
    assert clerk.get("/staff/audit").status_code == 403
    assert clerk.get("/staff/audit.csv").status_code == 403
    admin = _signed(app, "admin1", "admin")
    assert admin.get("/staff/accounts").status_code == 200 and admin.get("/staff/audit").status_code == 403
    supervisor = _signed(app, "super1", "supervisor")
    audit = supervisor.get("/staff/audit.csv")
    assert audit.status_code == 200 and "signin" in audit.get_data(as_text=True)


def test_the_csv_export_masks_id_numbers(app, case):
    from .test_apply_journey import PARENT

    clerk = _signed(app, "clerk.longgang", "town_clerk", scope="longgang")
    body = clerk.get("/staff/applications.csv").get_data(as_text=True)
    assert case in body and PARENT not in body and PARENT[:4] + "**********" + PARENT[-4:] in body


def test_sign_in_needs_the_code_and_a_code_works_once(app):
    secret = staff.add(app, "clerk.x", "town_clerk", scope="longgang")
    client = app.test_client()
    token = staff.token(client, "/staff/sign-in")
    no_code = client.post(
        "/staff/sign-in", data={"csrf_token": token, "username": "clerk.x", "password": PAIR, "code": ""}
    )
    assert no_code.status_code == 400
    assert staff.sign_in(app, client, "clerk.x", secret).status_code == 302
    client.post("/staff/sign-out", data={"csrf_token": staff.token(client)})
    replay = client.post(
        "/staff/sign-in",
        data={
            "csrf_token": staff.token(client, "/staff/sign-in"),
            "username": "clerk.x",
            "password": PAIR,
            "code": staff.code(secret),
        },
    )
    assert replay.status_code == 400  # the same code again is refused


def test_lockout_after_five_failures(app):
    secret = staff.add(app, "clerk.y", "town_clerk", scope="longgang")
    client = app.test_client()
    for _ in range(5):
        token = staff.token(client, "/staff/sign-in")
        client.post(
            "/staff/sign-in",
            data={
                "csrf_token": token,
                "username": "clerk.y",
                "password": "wrong password!",
                "code": staff.code(secret),
            },
        )
    assert staff.sign_in(app, client, "clerk.y", secret).status_code == 400  # locked, even with the right details
    with app.app_context():
        from portal.web.database import db_session

        user = db_session().scalars(select(StaffUser).where(StaffUser.username == "clerk.y")).one()
        assert user.locked_until is not None
        locked = db_session().scalars(select(AuditEvent).where(AuditEvent.action == "signin.locked")).all()
        assert len(locked) == 1


def test_recovery_codes_work_once(app):
    result = app.test_cli_runner().invoke(
        args=["staff", "add", "clerk.z", "--role", "town_clerk", "--scope", "longgang"], input=PAIR + "\n"
    )
    recovery = result.output.splitlines()[1].split(": ", 1)[1].split()[0]
    client = app.test_client()

    def attempt():
        return client.post(
            "/staff/sign-in",
            data={
                "csrf_token": staff.token(client, "/staff/sign-in"),
                "username": "clerk.z",
                "password": PAIR,
                "code": recovery,
            },
        )

    assert attempt().status_code == 302
    client.post("/staff/sign-out", data={"csrf_token": staff.token(client)})
    assert attempt().status_code == 400


def test_idle_timeout_and_sign_out_everywhere(app, case):
    app.config["STAFF_IDLE_SECONDS"] = 1
    clerk = _signed(app, "clerk.longgang", "town_clerk", scope="longgang")
    assert clerk.get("/staff").status_code == 200
    time.sleep(1.2)
    timed_out = clerk.get("/staff")
    assert timed_out.status_code == 302 and "/staff/sign-in" in timed_out.headers["Location"]
    app.config["STAFF_IDLE_SECONDS"] = 900
    secret = staff.add(app, "clerk.two", "town_clerk", scope="longgang")
    phone, desk = app.test_client(), app.test_client()
    staff.sign_in(app, phone, "clerk.two", secret)
    staff.sign_in(app, desk, "clerk.two", secret)
    assert phone.get("/staff").status_code == 200 and desk.get("/staff").status_code == 200
    desk.post("/staff/sign-out-everywhere", data={"csrf_token": staff.token(desk)})
    assert phone.get("/staff").status_code == 302  # the other device is signed out too


def test_four_eyes(app, case):
    clerk = _signed(app, "clerk.longgang", "town_clerk", scope="longgang")
    act(clerk, case, "accept")
    act(clerk, case, "forward")
    both = _signed(app, "both.ca", "reviewer", "approver", scope="civil-affairs")
    act(both, case, "recommend", message="符合条件。", outcome="approve")
    page = both.get(f"/staff/applications/{case}").get_data(as_text=True)
    assert 'name="action" value="approve"' not in page
    refused = both.post(
        f"/staff/applications/{case}/act",
        data={"csrf_token": staff.token(both), "action": "approve", "version": "4", "message": "x", "basis": "y"},
    )
    assert refused.status_code == 302
    with app.app_context():
        from portal.web.database import db_session

        assert db_session().scalars(select(Application)).one().status == "awaiting_decision"


def test_concurrent_decisions_cannot_both_win(app, case):
    """Two clerks open the case at the same moment (two requests, two database sessions) and both accept it."""
    from portal.applications.workflow import Applications

    def service(session):
        return Review(
            Applications(
                session, app.extensions["sealer"], app.extensions["document_storage"], app.extensions["catalogue"]
            )
        )

    clerk = Staff(1, "clerk.a", frozenset({"town_clerk"}), "longgang")
    other_clerk = Staff(2, "clerk.b", frozenset({"town_clerk"}), "longgang")
    make = app.extensions["db_sessionmaker"]
    with make() as first, make() as second:
        one, two = service(first), service(second)
        seen_by_one = first.scalars(select(Application)).one()
        seen_by_two = second.scalars(select(Application)).one()
        one.act(clerk, seen_by_one, "accept", seen_by_one.version, None)
        with pytest.raises(WorkflowError) as stale:
            two.act(other_clerk, seen_by_two, "accept", seen_by_two.version, None)
        assert stale.value.code == "changed_meanwhile"
    with make() as check:
        application = check.scalars(select(Application)).one()
        assert application.status == "accepted" and [e.status for e in application.events].count("accepted") == 1


def test_the_audit_cannot_be_changed_or_deleted(app, case):
    with app.app_context():
        from portal.web.database import db_session

        session = db_session()
        assert session.scalars(select(AuditEvent)).first() is not None
        for statement in (update(AuditEvent).values(actor="someone else"), delete(AuditEvent)):
            with pytest.raises(DatabaseError):
                session.execute(statement)
            session.rollback()
        assert session.scalars(select(AuditEvent.actor)).first() != "someone else"


def test_the_audit_module_only_inserts():
    import inspect

    import portal.audit as audit

    source = inspect.getsource(audit)
    assert "update(" not in source and "delete(" not in source and ".add(" in source


def test_the_cli_checks_roles_and_scopes(app):
    runner = app.test_cli_runner()
    bad = [
        (["staff", "add", "a1", "--role", "town_clerk"], "--scope must be a town id"),
        (["staff", "add", "a2", "--role", "town_clerk", "--scope", "atlantis"], "--scope must be a town id"),
        (["staff", "add", "a3", "--role", "supervisor", "--scope", "longgang"], "district-wide"),
        (["staff", "add", "a4", "--role", "town_clerk", "--role", "reviewer", "--scope", "longgang"], "two accounts"),
        (["staff", "add", "a5", "--role", "pilot"], "pilot"),
    ]
    for args, message in bad:
        result = runner.invoke(args=args, input=PAIR + "\n")
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    short = runner.invoke(args=["staff", "add", "a6", "--role", "supervisor"], input="short\n")
    assert short.exit_code != 0 and "12 characters" in short.output
    ok = runner.invoke(args=["staff", "add", "sup", "--role", "supervisor"], input=PAIR + "\n")
    assert ok.exit_code == 0 and ok.output.splitlines()[0].startswith("otpauth://totp/")


def test_an_admin_reset_makes_the_member_enrol_again(app):
    secret = staff.add(app, "clerk.r", "town_clerk", scope="longgang")
    admin = _signed(app, "admin2", "admin")
    response = admin.post(
        "/staff/accounts/clerk.r/reset-second-factor", data={"csrf_token": staff.token(admin, "/staff/accounts")}
    )
    assert response.status_code == 302
    client = app.test_client()
    assert (
        staff.sign_in(app, client, "clerk.r", secret).headers["Location"].endswith("/staff/enrol")
    )  # old code ignored
    with app.app_context():
        from portal.web.database import db_session

        actions = db_session().scalars(select(AuditEvent.action)).all()
        assert "account.second_factor_reset" in actions
