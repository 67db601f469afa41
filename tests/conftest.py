"""Shared fixtures: the real catalogue, loaded once per test session."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.content import Catalogue, load_catalogue
from bot.conversation import Conversation
from bot.engine import Engine


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(DEFAULT_CONTENT_DIR)


@pytest.fixture(scope="session")
def engine(catalogue: Catalogue) -> Engine:
    return Engine(catalogue)


@pytest.fixture(scope="session")
def conversation(engine: Engine) -> Conversation:
    return Conversation(engine, Settings().urgent_contacts)
