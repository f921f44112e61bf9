"""Web forms by task (Flask-WTF: CSRF on every one). Labels and messages are translated lazily."""

from .checker import BenefitsForm
from .common import CsrfOnlyForm, MultiCheckboxField
from .feedback import COMMENT_MAX, FeedbackForm
from .questions import question_form
from .settings import DisplaySettingsForm, QuickToggleForm

__all__ = [
    "COMMENT_MAX", "BenefitsForm", "CsrfOnlyForm", "DisplaySettingsForm", "FeedbackForm", "MultiCheckboxField",
    "QuickToggleForm", "question_form",
]  # fmt: skip
