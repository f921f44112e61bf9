"""Display settings: text size, contrast, 长辈版, animation and language. Work without JavaScript."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..forms import DisplaySettingsForm, QuickToggleForm
from ..web.display import DisplaySettings
from ..web.i18n import current_display, save_display
from ..web.navigation import safe_local_path
from ..web.ratelimits import per_address

bp = Blueprint("settings", __name__)

# What each header toggle flips between.
TOGGLES = {
    "text": lambda s: {"text": "standard" if s.text != "standard" else "large"},
    "contrast": lambda s: {"contrast": "standard" if s.contrast == "high" else "high"},
    "elder": lambda s: {"elder": "0" if s.elder else "1"},
}


@bp.route("/settings", methods=["GET", "POST"])
@per_address("settings", methods=["POST"])
def edit():
    display = current_display()
    form = DisplaySettingsForm(
        data={
            "text": display.text,
            "contrast": display.contrast,
            "elder": "1" if display.elder else "0",
            "motion": display.motion,
            "lang": display.lang,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        chosen = DisplaySettings().updated(
            {name: form[name].data for name in ("text", "contrast", "elder", "motion", "lang")}
        )
        response = redirect(url_for("settings.edit", saved=1))
        save_display(response, chosen)
        return response
    status = 400 if form.errors else 200
    return render_template("settings.html", form=form, saved=request.args.get("saved") == "1"), status


@bp.post("/settings/quick")
@per_address("settings")
def quick_toggle():
    form = QuickToggleForm()
    back = safe_local_path(form.next.data)
    choice = request.form.get("toggle")
    if not form.validate_on_submit() or choice not in TOGGLES:
        flash(_("That setting could not be changed. Please use the display settings page."), "error")
        return redirect(back)
    display = current_display()
    response = redirect(back)
    save_display(response, display.updated(TOGGLES[choice](display)))
    return response
