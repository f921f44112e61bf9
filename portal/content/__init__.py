"""The portal's reviewed content: load ``content/`` into dataclasses and check it.

``load_catalogue(content_dir)`` for the app and the search index; ``check_content(content_dir, seed_path)``
for set-up (``python -m portal.content check --seed ../shared/seed/000_737854678808b00c.txt``);
``portal.content.sources`` for what each policy's claims cite (``python -m portal.content sources``).
"""

from .check import check_content
from .loader import ContentError, ContentProblem, load_catalogue, render_markdown
from .models import (
    Catalogue,
    Category,
    Department,
    EasyReadItem,
    Indicator,
    Parameter,
    Policy,
    SignLanguage,
    Source,
    Task,
    Text,
)

__all__ = [
    "Catalogue", "Category", "ContentError", "ContentProblem", "Department", "EasyReadItem", "Indicator",
    "Parameter", "Policy", "SignLanguage", "Source", "Task", "Text", "check_content", "load_catalogue",
    "render_markdown",
]
