"""scrbot's persistent store: models, migrations and the one place that runs SQL."""

from __future__ import annotations

from sqlalchemy.engine import URL

from bot.store.engine import async_url, default_database_url
from bot.store.engine import create_engine as _create_engine
from bot.store.migrate import upgrade
from bot.store.models import (
    Base,
    Conversation,
    DashboardLink,
    DashboardSession,
    Delivery,
    ProcessedEvent,
    QuizAnswer,
    Reflection,
    Subscription,
)
from bot.store.repository import Store


def open_store(url: str | URL | None = None) -> Store:
    """A Store on `url` (default: the SQLite file from default_database_url()).

    This only creates the engine; run `await store.migrate()` (or `upgrade(url)`) at start-up.
    """
    return Store(_create_engine(url or default_database_url()))


__all__ = [
    "Base",
    "Conversation",
    "DashboardLink",
    "DashboardSession",
    "Delivery",
    "ProcessedEvent",
    "QuizAnswer",
    "Reflection",
    "Store",
    "Subscription",
    "async_url",
    "default_database_url",
    "open_store",
    "upgrade",
]
