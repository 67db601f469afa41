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
