"""Pieces every form task uses."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets


class CsrfOnlyForm(FlaskForm):
    """A form whose only field is the CSRF token (start, start again, extend)."""


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
