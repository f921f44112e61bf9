"""Signing in (username, password, TOTP code), enrolling a second factor, staying signed in, signing out."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from ...db.models import StaffUser
from ...forms import CsrfOnlyForm
from ...web.applications import origin
from ...web.database import db_session
from ...web.extensions import limiter
from ...web.navigation import safe_local_path
from ...web.ratelimits import per_address
from ...web.staff_auth import (
    accounts,
    current_staff,
    expires_at,
    requires,
    sign_in_session,
    sign_out_session,
    signed_in_staff,
)
from . import bp


class SignInForm(FlaskForm):
    username = StringField(_l("Username"))
    password = PasswordField(_l("Password"))
    code = StringField(
        _l("Code from your authenticator app"), description=_l("6 digits. Or one of your recovery codes.")
    )


class EnrolForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"), description=_l("6 digits."))


def _username_key() -> str:
    return "staff-sign-in:" + (request.form.get("username") or "")[:40].lower()


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per 15 minutes", key_func=_username_key, methods=["POST"])
@per_address("staff-sign-in", methods=["POST"])
def sign_in():
    form = SignInForm()
    if request.method == "POST" and form.validate_on_submit():
        result = accounts().sign_in(form.username.data or "", form.password.data or "", form.code.data or "", origin())
        if result.code == "ok" and result.staff:
            sign_in_session(result.staff, result.epoch)
            return redirect(safe_local_path(request.args.get("next"), url_for("staff.home")))
        if result.code == "enrol" and result.staff:
            sign_in_session(result.staff, result.epoch)
            return redirect(url_for("staff.enrol"))
        if result.code == "locked":
            form.username.errors = [
                _(
                    "This account is locked for 15 minutes after too many failed attempts. Try "
                    "again later, or ask your administrator."
                )
            ]
        else:
            form.username.errors = [_("The username, password or code is not right. Check them and try again.")]
        return render_template("staff/sign_in.html", form=form), 400
    return render_template("staff/sign_in.html", form=form)


@bp.route("/enrol", methods=["GET", "POST"])
@per_address("staff-sign-in", methods=["POST"])
def enrol():
    data = session.get("staff") or {}
    user = db_session().get(StaffUser, int(data.get("id", 0)))
    if user is None or user.enrolled:
        return redirect(url_for("staff.sign_in"))
    form = EnrolForm()
    if request.method == "POST" and form.validate_on_submit():
        if accounts().finish_enrolment(user.id, form.code.data or "", origin()):
            flash(_("Your second factor is set up."), "success")
            return redirect(url_for("staff.home"))
        form.code.errors = [_("That code is not right. Check the time on your phone and try the next code.")]
    codes = accounts().new_recovery_codes(user.id, origin()) if request.method == "GET" else None
    return render_template("staff/enrol.html", form=form, uri=accounts().enrolment_uri(user), codes=codes)


@bp.post("/sign-out")
@per_address("staff")
def sign_out():
    CsrfOnlyForm().validate_on_submit()
    sign_out_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for("staff.sign_in"))


@bp.post("/sign-out-everywhere")
@requires("home")
@per_address("staff")
def sign_out_everywhere():
    CsrfOnlyForm().validate_on_submit()
    staff = signed_in_staff()
    accounts().sign_out_everywhere(staff.id, origin())
    sign_out_session()
    flash(_("You have signed out on every device."), "success")
    return redirect(url_for("staff.sign_in"))


@bp.post("/stay")
@requires("home")
@per_address("staff")
def stay():
    """The idle-timeout warning's “stay signed in” (any request counts as activity; this is the explicit one)."""
    return redirect(safe_local_path(request.form.get("next"), url_for("staff.home")))


@bp.get("/session")
def session_state():
    """When the session ends if nothing more happens (for the warning; reading it is not activity)."""
    staff = current_staff()
    moment = expires_at() if staff else None
    return jsonify({"signed_in": staff is not None, "expires_at": moment.isoformat() if moment else None})
