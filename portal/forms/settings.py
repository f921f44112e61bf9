"""Display settings: the settings page and the header's quick toggles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField
from wtforms.validators import DataRequired

from ..web.display import CONTRASTS, LANGUAGES, MOTIONS, TEXT_SIZES


class DisplaySettingsForm(FlaskForm):
    text = RadioField(
        _l("Text size"),
        choices=list(zip(TEXT_SIZES, [_l("Standard"), _l("Large"), _l("Extra large")], strict=True)),
        validators=[DataRequired(message=_l("Choose a text size"))],
    )
    contrast = RadioField(
        _l("Contrast"),
        choices=list(zip(CONTRASTS, [_l("Standard"), _l("High contrast (white on black)")], strict=True)),
        validators=[DataRequired(message=_l("Choose a contrast"))],
    )
    elder = RadioField(
        _l("Elder mode (长辈版)"),
        description=_l("Bigger text and buttons, a simpler menu and no animation."),
        choices=[("1", _l("On")), ("0", _l("Off"))],
        validators=[DataRequired(message=_l("Choose whether to use elder mode"))],
    )
    motion = RadioField(
        _l("Animation"),
        choices=list(zip(MOTIONS, [_l("Allow animation"), _l("Reduce animation")], strict=True)),
        validators=[DataRequired(message=_l("Choose an animation setting"))],
    )
    lang = RadioField(
        _l("Language"),
        choices=list(zip(LANGUAGES, ["简体中文", "English"], strict=True)),
        validators=[DataRequired(message=_l("Choose a language"))],
    )


class QuickToggleForm(FlaskForm):
    """The header's one-click toggles: large text, high contrast, elder mode."""

    toggle = HiddenField()
    next = HiddenField()
