"""Tracking models. The Learning Record Store's live in tracking.lrs.models."""

from tracking.lrs.models import (  # noqa: F401
    Activity,
    Attachment,
    Document,
    LRSClient,
    Statement,
    StatementIndex,
)
