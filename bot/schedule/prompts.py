"""The weekly prompt: what a channel receives, and how platforms are asked to post it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

from bot.content import Theme
from bot.replies import Action, Reply, Section

PROMPT_EVENT_TYPE = "scrbot_weekly_prompt"
# Reasons that stop a whole workspace (app uninstalled, token revoked) rather than one channel:
# Web API error codes, and the names of the events Slack sends when it happens.
LIFECYCLE_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})
WORKSPACE_ERRORS = (
    frozenset({"invalid_auth", "token_revoked", "account_inactive", "not_authed", "team_access_not_granted"})
    | LIFECYCLE_EVENTS
)
# What to do about a channel this week's prompt could not be posted to, by the platform's reason
# (Slack's Web API error codes; the Teams poster's names for the Bot Connector's answers).
DELIVERY_FIXES = {
    "not_in_channel": "Invite scrbot back into the channel (`/invite @scrbot`).",
    "channel_not_found": "The channel may have been deleted or made private without scrbot.",
    "is_archived": "The channel is archived; remove its schedule or unarchive it.",
    "bot_not_in_conversation": "Add scrbot back to the team or chat, then set its schedule again.",
    "conversation_not_found": "The channel or chat may have been deleted; set the schedule again where it is now.",
    "no_conversation_reference": "Set the schedule again in that channel, so scrbot knows how to reach it.",
    "bad_conversation_reference": "Set the schedule again in that channel, so scrbot knows how to reach it.",
}
WORKSPACE_STOPPED = (
    "Weekly prompts for this workspace are stopped until the app is reinstalled or its schedule set again."
)


def delivery_failure(place: str, reason: str) -> str:
    """What the admins, and whoever set the schedule, are told when this week's prompt could not
    be posted to `place` (the channel as the platform names it): why, and what to do."""
    return f"scrbot could not post this week's learning prompt to {place}: `{reason}`. " + DELIVERY_FIXES.get(
        reason, WORKSPACE_STOPPED
    )


def failure_recipients(created_by: str | None, admins: Collection[str]) -> list[str]:
    """Who is told about a channel's failed prompt: the configured admins and whoever set it."""
    return sorted(r for r in {*admins, created_by} if r)


@dataclass(frozen=True)
class WeeklyPrompt:
    """One theme's prompt for one channel and week."""

    platform: str
    workspace_id: str
    channel_id: str
    week: str
    theme: Theme
    quiz: Reply | None = None  # set when the channel asked for its prompt as a scenario quiz

    def reply(self) -> Reply:
        if self.quiz is not None:
            return self.quiz
        theme = self.theme
        return Reply(
            kind="weekly-prompt",
            title=f"This week's learning: {theme.title}",
            intro=theme.prompt,
            sections=(Section("Key points", bullets=theme.key_points),),
            actions=(
                Action("reflect", "Reflect", self.action_value()),
                Action("show_theme", "Read more", theme.id),
                Action("discuss", "Discussion starter", theme.id),
            ),
            theme_id=theme.id,
        )

    def action_value(self) -> str:
        """What the Reflect button carries: theme, channel and week (compact, under 2,000 chars)."""
        return f"{self.theme.id}|{self.channel_id}|{self.week}"

    def metadata(self) -> dict[str, Any]:
        """Message metadata naming channel and week, used to find a post after a crash."""
        return {
            "event_type": PROMPT_EVENT_TYPE,
            "event_payload": {"channel": self.channel_id, "week": self.week, "theme": self.theme.id},
        }


def parse_action_value(value: str) -> tuple[str, str | None, str | None]:
    """(theme id, channel, week) from a Reflect button value; channel/week may be missing."""
    parts = (value or "").split("|")
    theme = parts[0]
    channel = parts[1] if len(parts) > 1 and parts[1] else None
    week = parts[2] if len(parts) > 2 and parts[2] else None
    return theme, channel, week


class ChannelUnavailable(Exception):
    """Posting to this channel cannot succeed until someone acts (bot removed, archived, revoked)."""

    def __init__(self, reason: str, workspace_wide: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.workspace_wide = workspace_wide  # token revoked / app uninstalled: stop the workspace


class PromptPoster(Protocol):
    """A platform's way to post weekly prompts (Slack, Teams)."""

    platform: str

    async def post_prompt(self, prompt: WeeklyPrompt, conversation_ref: dict[str, Any] | None) -> str:
        """Post the prompt; return the platform's message id. Raise ChannelUnavailable for a
        dead channel; any other exception is treated as temporary."""
        ...

    async def ready(self) -> None:
        """Wait until the platform's rate limits allow a post (claim only after this)."""
        ...

    async def find_prompt(self, prompt: WeeklyPrompt, conversation_ref: dict[str, Any] | None) -> str | None:
        """The message id of this week's prompt if it is already in the channel, else None."""
        ...
