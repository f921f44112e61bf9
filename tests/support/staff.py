"""Staff accounts for tests: made with the CLI as a new user would, signed in with a real TOTP code."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pyotp
from sqlalchemy import update

from portal.db.models import StaffUser

PASSWORD = "correct horse battery staple"


def add(app, username: str, *roles: str, scope: str | None = None) -> str:
    """Make the account with ``flask staff add``; returns its TOTP secret (from the printed enrolment URI)."""
    args = ["staff", "add", username, *[part for role in roles for part in ("--role", role)]]
    if scope:
        args += ["--scope", scope]
    result = app.test_cli_runner().invoke(args=args, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    uri = result.output.splitlines()[0]
    assert uri.startswith("otpauth://totp/")
    return parse_qs(urlparse(uri).query)["secret"][0]


def code(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def sign_in(app, client, username: str, secret: str, password: str = PASSWORD):
    """Sign in; the account's last-used step is reset first so one test may sign the same account in again."""
    with app.app_context():
        from portal.web.database import db_session

        db_session().execute(update(StaffUser).where(StaffUser.username == username).values(last_totp_step=0))
        db_session().commit()
    from ..conftest import csrf_token

    token = csrf_token(client, "/staff/sign-in")
    return client.post(
        "/staff/sign-in", data={"csrf_token": token, "username": username, "password": password, "code": code(secret)}
    )


def token(client, path: str = "/staff") -> str:
    from ..conftest import csrf_token

    return csrf_token(client, path)
