"""The 12385 petition forms: filing (text first), tracking, rating and asking for a review."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..petitions.workflow import TEXT_MAX

KIND_LABELS = {
    "complaint": _l("A complaint"),
    "suggestion": _l("A suggestion"),
    "help": _l("A request for help"),
}
RATING_LABELS = {
    "satisfied": _l("Satisfied (满意)"),
    "basically_satisfied": _l("Basically satisfied (基本满意)"),
    "dissatisfied": _l("Not satisfied (不满意)"),
}


class PetitionForm(FlaskForm):
    kind = RadioField(
        _l("What is it?"),
        choices=list(KIND_LABELS.items()),
        default="complaint",
        validators=[InputRequired(_l("Choose what it is"))],
    )
    what = TextAreaField(
        _l("What happened?"),
        description=_l("Write it in your own words. Please do not write ID numbers or bank details here."),
        validators=[InputRequired(_l("Write what happened")), Length(max=TEXT_MAX)],
    )
    where = StringField(_l("Where? (town or street, or a place)"), validators=[Optional(), Length(max=200)])
    since = StringField(_l("Since when?"), validators=[Optional(), Length(max=100)])
    outcome = TextAreaField(_l("What would you like to happen?"), validators=[Optional(), Length(max=2000)])
    reply = RadioField(
        _l("How can we answer you?"),
        choices=[("contact", _l("Contact me by phone")), ("anonymous", _l("I want to stay anonymous"))],
        default="contact",
        validators=[InputRequired(_l("Choose how we can answer you"))],
    )
    photos = FileField(
        _l("Photos (optional)"),
        description=_l("Up to 3 photos (JPG or PNG) or PDF files, each under 10 MB."),
        render_kw={"multiple": True},
    )
    name = StringField(_l("Your name"), validators=[Optional(), Length(max=50)])
    phone = StringField(_l("Phone number"), validators=[Optional(), Length(max=30)])
    #: A one-time key written into the form when it is shown: sending the same form again (a double click, back
    #: and send, a retry after a timeout) shows the first receipt and files nothing new.
    submission = HiddenField(validators=[Optional(), Length(max=64)])


class TrackForm(FlaskForm):
    reference = StringField(_l("Petition reference"), description=_l("8 characters, for example C7KX-4M9P."))
    access_code = StringField(_l("Access code"), description=_l("8 characters, given when you filed it."))


class RateForm(FlaskForm):
    rating = RadioField(
        _l("How satisfied are you with the reply?"),
        choices=list(RATING_LABELS.items()),
        validators=[InputRequired(_l("Choose how satisfied you are"))],
    )


class ReviewForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you ask for a review?"),
        validators=[InputRequired(_l("Write why you ask for a review")), Length(max=TEXT_MAX)],
    )
