"""Question types: one class per kind of question, shared by the checker and (next) the application forms.

A question knows which component renders it (``kind``), its options, how to read what was submitted into
facts (``parse``, raising :class:`AnswerError`), what the form shows for facts already given (``initial``) and
how a fact reads back on a check-answers page (``summary``). No Flask or WTForms here: ``portal.forms.questions``
turns a question into a form field, and templates pick the component by ``kind``.
"""

from .types import (
    AnswerError,
    ChoiceQuestion,
    FlagsQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    Option,
    Question,
    SummaryWords,
    YesNoQuestion,
)

__all__ = [
    "AnswerError", "ChoiceQuestion", "FlagsQuestion", "MultiChoiceQuestion", "NumberQuestion", "Option", "Question",
    "SummaryWords", "YesNoQuestion",
]  # fmt: skip
