"""The eligibility checker's own form (its questions are built by ``questions.question_form``)."""

from __future__ import annotations

from flask_wtf import FlaskForm

from .common import MultiCheckboxField


class BenefitsForm(FlaskForm):
    """The checker's “which support do you want to check?” (labels set by the view, from the catalogue)."""

    benefits = MultiCheckboxField()
