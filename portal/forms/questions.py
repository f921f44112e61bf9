"""A question type (``portal.questions``) as a one-field WTForms form: the field follows the question's kind."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, StringField

from ..questions import Question
from .common import MultiCheckboxField


def _field(question: Question, label: str, hint: str | None, lang: str) -> Field:
    if question.kind == "number":
        return StringField(label, description=hint)
    choices = [(option.value, option.label[lang]) for option in getattr(question, "options", ())]
    if question.kind == "checkboxes":
        return MultiCheckboxField(label, description=hint, choices=choices)
    return RadioField(label, description=hint, choices=choices)


def question_form(
    question: Question, label: str, hint: str | None, lang: str, facts: dict[str, Any], formdata: Any = None
) -> FlaskForm:
    """The form for ``question``, filled from the ``facts`` given so far on GET and from ``formdata`` on POST."""

    class QuestionForm(FlaskForm):
        answer = _field(question, label, hint, lang)

    if formdata is not None:
        return QuestionForm(formdata=formdata)
    return QuestionForm(formdata=None, answer=question.initial(facts))
