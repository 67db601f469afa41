"""Where a message was said, in every platform's words, and which channel a reflection written
there counts for in the team's figures: one rule, whichever platform it came from."""

from __future__ import annotations

PERSONAL, GROUP, CHANNEL = "personal", "group", "channel"  # a 1:1 chat, a group chat, a channel


def counted_channel(place: str, conversation_id: str | None, prompt_channel: str | None = None) -> str | None:
    """The channel a reflection counts for: the channel or group chat it was written in; from a
    1:1 chat, the channel whose weekly prompt it answers, if any. A 1:1 chat's own id is never
    kept, so a reflection written there alone counts for no channel."""
    if place != PERSONAL:
        return conversation_id or None
    return prompt_channel or None
