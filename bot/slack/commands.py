"""`/learn <subcommand>` routing. Each feature module offers `ROUTES` (first words -> handler)
and `register(app, services)` for its buttons and modals; anything else is a question."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.replies import Reply
from bot.services import Services
from bot.slack.render import messages


@dataclass
class SlashRequest:
    """One `/learn` invocation, already acknowledged."""

    services: Services
    command: dict[str, Any]
    args: str  # the text after the subcommand words
    respond: Callable[..., Awaitable[Any]]
    client: AsyncWebClient

    @property
    def user_id(self) -> str:
        return self.command.get("user_id", "")

    @property
    def team_id(self) -> str:
        return self.command.get("team_id", "")

    @property
    def channel_id(self) -> str:
        return self.command.get("channel_id", "")

    @property
    def trigger_id(self) -> str:
        return self.command.get("trigger_id", "")

    async def say_privately(self, reply: Reply | str) -> None:
        """An ephemeral reply to the person who typed the command."""
        if isinstance(reply, str):
            await self.respond(response_type="ephemeral", replace_original=False, text=reply)
            return
        for message in messages(reply):
            await self.respond(response_type="ephemeral", replace_original=False, **message)

    async def say_in_channel(self, reply: Reply) -> None:
        for message in messages(reply):
            await self.respond(response_type="in_channel", replace_original=False, **message)


Handler = Callable[[SlashRequest], Awaitable[None]]


def routes(feature_modules: list[Any]) -> dict[tuple[str, ...], Handler]:
    """Every feature module's ROUTES in one table (first words -> handler)."""
    table: dict[tuple[str, ...], Handler] = {}
    for module in feature_modules:
        for words, handler in module.ROUTES.items():
            table[tuple(words.split())] = handler
    return table


def match_route(text: str, table: dict[tuple[str, ...], Handler]) -> tuple[Handler, str] | None:
    """The handler whose words start `text` (longest first), and the rest of the text."""
    words = text.split()
    lowered = [w.lower() for w in words]
    for key in sorted(table, key=len, reverse=True):
        if tuple(lowered[: len(key)]) == key:
            return table[key], " ".join(words[len(key) :])
    return None
