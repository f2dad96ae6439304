"""The HTTP API and the dashboard, served from one FastAPI app (`eventscope serve`)."""

from .app import Limits, create_app

__all__ = ["Limits", "create_app"]
