"""Who may change a channel's weekly prompts: one rule for Slack and Teams, no platform objects."""

from __future__ import annotations

from bot.schedule.commands import ONLY_ADMINS, ONLY_MEMBERS, change_refused


def membership(answer: bool, asked: list[bool]):
    async def is_member() -> bool:
        asked.append(True)
        return answer

    return is_member


async def test_with_admins_configured_only_they_may_and_membership_is_not_asked():
    asked: list[bool] = []
    assert await change_refused(("UADMIN",), "UADMIN", membership(False, asked)) is None
    assert await change_refused(("UADMIN",), "U1", membership(True, asked)) == ONLY_ADMINS
    assert asked == []  # Slack pages through the members only when it matters


async def test_without_admins_the_channels_members_may():
    asked: list[bool] = []
    assert await change_refused((), "U1", membership(True, asked)) is None
    assert await change_refused((), "U2", membership(False, asked)) == ONLY_MEMBERS
    assert len(asked) == 2
