"""The reflection form says the same on every platform: its wording is bot.reflections.form's."""

from __future__ import annotations

import json

from bot.reflections.form import reflection_form
from bot.teams.cards import reflection_form as teams_card


def test_the_slack_modal_and_the_teams_card_ask_the_same_questions(services):
    from bot.slack.reflections import NEW_VIEW, reflection_view

    wording = reflection_form()
    modal = json.dumps(reflection_view(services, callback_id=NEW_VIEW, metadata={}), ensure_ascii=False)
    card = json.dumps(teams_card("neglect"), ensure_ascii=False)
    labels = [choice.label for choice in wording.confidence_choices]
    for words in (wording.text_label, wording.confidence_label, wording.share_label, wording.note, *labels):
        assert words in modal and words in card
    assert wording.theme_label in modal  # only Slack's modal picks the theme; a Teams card has one


def test_share_with_my_team_starts_the_same_in_the_slack_modal_and_the_teams_card(services):
    from bot.reflections.form import SHARED_BY_DEFAULT
    from bot.slack.reflections import NEW_VIEW, SHARE_BLOCK, reflection_view

    modal = reflection_view(services, callback_id=NEW_VIEW, metadata={})
    share = next(b for b in modal["blocks"] if b.get("block_id") == SHARE_BLOCK)["element"]
    toggle = next(item for item in teams_card("neglect")["body"] if item.get("id") == "shared")
    assert bool(share.get("initial_options")) is SHARED_BY_DEFAULT is True  # Slack's default, kept
    assert toggle["value"] == "true"
