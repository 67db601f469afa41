"""Which channel a reflection counts for: one core rule, fed by each platform's own facts."""

from __future__ import annotations

import pytest
from microsoft_agents.activity import Activity

from bot.reflections.where import CHANNEL, GROUP, PERSONAL, counted_channel
from bot.slack.answers import place_of as slack_place
from bot.slack.reflections import _stored_channel
from bot.teams.reflections import draft
from tests.teams import payloads

SERVICE = "https://smba.trafficmanager.net/emea/"


def test_a_reflection_written_in_a_channel_or_group_chat_counts_there():
    assert counted_channel(CHANNEL, "C0123") == "C0123"
    assert counted_channel(GROUP, "19:chat@thread.v2") == "19:chat@thread.v2"


def test_in_a_team_place_the_place_wins_over_a_prompt_from_elsewhere():
    assert counted_channel(CHANNEL, "19:here@thread.tacv2", "19:there@thread.tacv2") == "19:here@thread.tacv2"


def test_from_a_1to1_chat_it_counts_for_the_prompts_channel_and_the_chat_is_never_kept():
    assert counted_channel(PERSONAL, "a:1to1-chat", "C0123") == "C0123"
    assert counted_channel(PERSONAL, "D0123") is None
    assert counted_channel(PERSONAL, "D0123", "") is None
    assert counted_channel(PERSONAL, None) is None


@pytest.mark.parametrize(
    ("channel_id", "counted"),
    [("C0123ABC", "C0123ABC"), ("G0123ABC", "G0123ABC"), ("D0123ABC", None), ("", None), (None, None)],
)
def test_slack_ids_say_where_and_the_core_says_what_counts(channel_id, counted):
    assert slack_place(channel_id) == (CHANNEL if counted else PERSONAL)
    assert _stored_channel(channel_id) == counted


def test_teams_a_form_in_a_channel_counts_for_that_channel_not_the_prompts():
    activity = Activity.model_validate(payloads.card_submit(SERVICE, {"action": "save_reflection"}, in_channel=True))
    kept = draft(activity, {"value": "neglect|19:elsewhere@thread.tacv2|2026-W48", "text": "x"})
    assert kept.channel_id == activity.conversation.id.split(";messageid=")[0]
    assert kept.channel_id != "19:elsewhere@thread.tacv2"


def test_teams_a_form_in_a_1to1_chat_counts_for_the_prompts_channel_or_none():
    activity = Activity.model_validate(payloads.card_submit(SERVICE, {"action": "save_reflection"}))
    from_prompt = draft(activity, {"value": "neglect|19:team@thread.tacv2|2026-W48", "text": "x"})
    assert from_prompt.channel_id == "19:team@thread.tacv2"
    assert draft(activity, {"value": "neglect", "text": "x"}).channel_id is None
