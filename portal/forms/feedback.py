"""“这个页面有帮助吗？”"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

COMMENT_MAX = 500


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
