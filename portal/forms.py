"""Web forms (Flask-WTF: CSRF on every one). Labels and messages are translated lazily."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length, Optional

from .checker.flow import EXCLUSION_FIELDS, EXCLUSIONS, Answers
from .display import CONTRASTS, LANGUAGES, MOTIONS, TEXT_SIZES
from .eligibility import FIELDS, value_label

COMMENT_MAX = 500


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


class FeedbackForm(FlaskForm):
    useful = RadioField(
        _l("Was this page useful?"),
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        validators=[DataRequired(message=_l("Choose yes or no"))],
    )
    comment = TextAreaField(
        _l("What could be better? (optional)"),
        description=_l("Do not include your name, ID number, phone number or other personal details."),
        validators=[
            Optional(),
            Length(max=COMMENT_MAX, message=_l("Write %(max)d characters or fewer", max=COMMENT_MAX)),
        ],
    )
    path = HiddenField()


class CsrfOnlyForm(FlaskForm):
    """A form whose only field is the CSRF token (start, start again, extend)."""


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class BenefitsForm(FlaskForm):
    """The checker's “which support do you want to check?” (labels set by the view, from the catalogue)."""

    benefits = MultiCheckboxField()


def question_form(name: str, texts: dict[str, Any], lang: str, answers: Answers, formdata: Any = None) -> FlaskForm:
    """The checker's one-field form for question ``name`` (texts from content/checker.yml), filled from
    ``answers`` on GET and from ``formdata`` on POST."""
    text = texts["questions"][name]
    label = text["question"][lang]
    hint = text.get("hint", {}).get(lang)
    options = text.get("options", {})
    if name == EXCLUSIONS:
        field = MultiCheckboxField(label, description=hint, choices=[(f, options[f][lang]) for f in EXCLUSION_FIELDS])
        current = [f for f in EXCLUSION_FIELDS if answers.profile.get(f)]
    else:
        spec = FIELDS[name]
        current = answers.profile.get(name)
        if spec.type == "int" and name != "grade":
            field = StringField(label, description=hint)
        elif spec.type == "list":
            field = MultiCheckboxField(
                label, description=hint, choices=[(v, value_label("category", v, lang)) for v in spec.allowed]
            )
        elif spec.type == "bool":
            yes_no = texts["yes_no"]
            field = RadioField(
                label, description=hint, choices=[("yes", yes_no["yes"][lang]), ("no", yes_no["no"][lang])]
            )
            current = None if current is None else ("yes" if current else "no")
        else:
            allowed = range(1, 5) if name == "grade" else spec.allowed
            field = RadioField(label, description=hint, choices=[(str(v), value_label(name, v, lang)) for v in allowed])
            current = None if current is None else str(current)

    class QuestionForm(FlaskForm):
        answer = field

    form = QuestionForm(formdata=formdata) if formdata is not None else QuestionForm(formdata=None, answer=current)
    return form
