"""“这个页面有帮助吗？” page feedback: yes / no and an optional comment (sealed at rest: it is free text)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _

from ..db.models import PageFeedback
from ..forms import FeedbackForm
from ..web.database import db_session
from ..web.extensions import htmx
from ..web.fragments import page_or_fragment
from ..web.i18n import current_lang
from ..web.navigation import safe_local_path
from ..web.ratelimits import per_address

bp = Blueprint("feedback", __name__)


@bp.get("/feedback")
def form():
    form = FeedbackForm(prefix="feedback", formdata=None, path=safe_local_path(request.args.get("path")))
    return render_template("feedback.html", feedback_form=form)


@bp.post("/feedback")
@per_address("feedback")
def submit():
    form = FeedbackForm(prefix="feedback")
    path = safe_local_path(form.path.data)
    form.path.data = path
    if not form.validate_on_submit():
        return page_or_fragment(
            "feedback.html", "components/feedback_form.html", 400, feedback_form=form, has_errors=True
        )
    session = db_session()
    comment = (form.comment.data or "").strip()
    session.add(
        PageFeedback(
            path=path,
            useful=form.useful.data == "yes",
            comment_sealed=current_app.extensions["sealer"].seal_json(comment) if comment else None,
            lang=current_lang(),
        )
    )
    session.commit()
    if htmx:
        return page_or_fragment("feedback.html", "components/feedback_thanks.html")
    flash(_("Thank you for your feedback."), "success")
    response = redirect(path)
    response.vary.add("HX-Request")
    return response
