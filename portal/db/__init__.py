"""The system of record's storage: plain SQLAlchemy models, the engine, and the visitor store. No Flask here:
``portal.web.database`` binds one session per request.
"""

from .engine import make_engine, upgrade_to_head
from .models import Base, PageFeedback, ServerSession

__all__ = ["Base", "PageFeedback", "ServerSession", "make_engine", "upgrade_to_head"]
