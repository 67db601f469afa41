"""Everything a running scrbot needs, built once at start-up and handed to the adapters."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.content import Catalogue, load_catalogue
from bot.conversation import Conversation, ConversationState
from bot.engine import Engine
from bot.reflections.service import PersonKeys, person_keys
from bot.schedule.commands import Schedules

if TYPE_CHECKING:  # the weekly prompts import this module: for types only
    from bot.schedule.service import WeeklyPrompts
    from bot.store import Store

MAX_REMEMBERED_PEOPLE = 10_000


class ConversationMemory:
    """What each person last asked about (for "more"), bounded so it cannot grow forever."""

    def __init__(self, limit: int = MAX_REMEMBERED_PEOPLE):
        self._states: OrderedDict[str, ConversationState] = OrderedDict()
        self._limit = limit

    def state(self, key: str) -> ConversationState:
        state = self._states.pop(key, None) or ConversationState()
        self._states[key] = state
        while len(self._states) > self._limit:
            self._states.popitem(last=False)
        return state


@dataclass
class Services:
    settings: Settings
    catalogue: Catalogue
    conversation: Conversation
    store: Store | None = None
    clock: Clock = field(default_factory=SystemClock)
    memory: ConversationMemory = field(default_factory=ConversationMemory)
    prompts: WeeklyPrompts | None = None  # once the server starts them

    @classmethod
    def build(cls, settings: Settings, store: Store | None = None, clock: Clock | None = None) -> Services:
        """Load and validate content (raises ContentError) and build the engine."""
        catalogue = load_catalogue(settings.content_dir)
        conversation = Conversation(Engine(catalogue), settings.urgent_contacts)
        return cls(settings, catalogue, conversation, store, clock or SystemClock())

    async def person_keys(self) -> PersonKeys:
        """The person-key maker for this scrbot's secret (see reflections.service.person_keys)."""
        return await person_keys(self.settings.person_key_secret, self.settings.database_url)

    def schedules(self) -> Schedules:
        """What schedule commands work on; they need the database."""
        if self.store is None:
            raise RuntimeError("schedules need a store: start scrbot with a database")
        return Schedules(self.store, self.clock, self.catalogue, self.prompts)

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.settings.admins
