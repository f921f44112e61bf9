"""Accounts, for administrators (who see no case data): list, add (enrols on first sign-in), reset a second
factor. Every change is audited."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...accounts.permissions import ROLES, scope_problem
from ...accounts.users import AccountError
from ...forms import CsrfOnlyForm
from ...web.applications import origin
from ...web.ratelimits import per_address
from ...web.services import catalogue
from ...web.staff_auth import accounts, requires, signed_in_staff
from . import bp


def _page(error: str | None = None):
    page = render_template(
        "staff/accounts.html",
        users=accounts().all(),
        roles=ROLES,
        form=CsrfOnlyForm(),
        towns=catalogue().towns,
        departments=catalogue().departments,
        error=error,
    )
    return page, 400 if error else 200


@bp.get("/accounts")
@requires("accounts.manage")
def account_list():
    return _page()


@bp.post("/accounts")
@requires("accounts.manage")
@per_address("staff")
def account_add():
    CsrfOnlyForm().validate_on_submit()
    staff = signed_in_staff()
    roles = [role for role in request.form.getlist("roles") if role in ROLES]
    scope = request.form.get("scope") or None
    problem = scope_problem(roles, scope, {t.id for t in catalogue().towns}, {d.id for d in catalogue().departments})
    error = _("Check the roles and the scope: %(problem)s", problem=problem) if problem else None
    if error is None:
        try:
            accounts().create(
                request.form.get("username", "").strip(),
                request.form.get("password", ""),
                roles,
                scope,
                staff.actor,
                enrolled=False,
            )
        except AccountError as failure:
            error = {
                "username": _("Use letters, digits, dots or underscores (at most 40) for the username."),
                "username_taken": _("That username is taken."),
                "password_short": _("The first password needs at least 12 characters."),
            }[failure.code]
    if error:
        return _page(error)
    flash(_("Account made. It sets up its second factor at its first sign-in."), "success")
    return redirect(url_for("staff.account_list"))


@bp.post("/accounts/<username>/reset-second-factor")
@requires("accounts.manage")
@per_address("staff")
def account_reset(username: str):
    CsrfOnlyForm().validate_on_submit()
    staff = signed_in_staff()
    try:
        accounts().reset_second_factor(username, staff.actor, origin())
    except AccountError:
        return redirect(url_for("staff.account_list"))
    flash(
        _("The second factor of %(name)s was reset: they set up a new one at their next sign-in.", name=username),
        "success",
    )
    return redirect(url_for("staff.account_list"))
