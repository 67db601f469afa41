"""The "Record our actions" card when the privacy guard stops it: the card refreshes in place
(the Action.Execute invoke's answer) with every column's text, what was found in each, "Replace
them for me" and, when the guard only asked, the "not a person" toggle carrying the digest."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from bot import meetings, router
from bot.reflections import outcome
from tests.teams import payloads
from tests.teams.test_parity import buttons

ADDRESS = "The family moved to 7 Orchard Close last month"
NEXT = "Ring the health visitor before the review"
NAMED = "Ask Harley to join supervision"


async def stored(teams) -> list:
    return await teams.services.store.reflections_between(
        datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC), payloads.TENANT
    )


async def actions_form(teams) -> dict:
    """Discuss in the channel, press Record our actions: the form card posted for the team."""
    pack = await teams.ask(teams.channel("discuss disguised compliance"))
    record = dict(buttons(pack.card))["Record our actions"]
    before = len(teams.connector.posts)
    await teams.execute(record, in_channel=True)
    form = (await teams.connector.wait_for(before + 1))[before]
    return form.card


async def press(teams, card: dict, title: str, **inputs: str) -> dict:
    """Press `title` on `card`, its data merged with the inputs as Teams sends them: the card
    the invoke answers with, which Teams swaps in for the pressed one."""
    body = await teams.execute({**dict(buttons(card))[title], **inputs}, in_channel=True)
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive", body
    return body["value"]


def boxes(card: dict) -> dict[str, dict]:
    return {item["id"]: item for item in card["body"] if "id" in item}


def lines(card: dict) -> list[str]:
    return [item["text"] for item in card["body"] if item.get("type") == "TextBlock"]


async def test_a_refused_address_shows_what_was_found_and_keeps_every_columns_text(teams):
    form = await actions_form(teams)
    posts = len(teams.connector.posts)
    card = await press(
        teams, form, "Save and post", working_well="Good handovers", worried_about=ADDRESS, next_steps=NEXT
    )

    inputs = boxes(card)
    assert inputs["working_well"]["value"] == "Good handovers"
    assert inputs["worried_about"]["value"] == ADDRESS and inputs["next_steps"]["value"] == NEXT
    shown = lines(card)
    problem = "Please remove “7 Orchard Close” (address) before saving."
    assert f"{outcome.NOT_SAVED_YET} {problem}" in shown
    assert "• “7 Orchard Close” looks like a street: remove it (or use [address])" in shown
    # The finding sits just under the column it was found in.
    ids = [item.get("id") or item.get("text") for item in card["body"]]
    assert ids.index("worried_about") + 1 == ids.index(
        "• “7 Orchard Close” looks like a street: remove it (or use [address])"
    )
    assert [title for title, _ in buttons(card)] == ["Save and post", outcome.REPLACE]
    assert not any(name.endswith(router.NOT_PEOPLE) for name in inputs)  # refused: no tick box
    assert len(teams.connector.posts) == posts  # refreshed in place, nothing posted
    assert await stored(teams) == []


async def test_replace_them_for_me_replaces_the_words_and_then_saves(teams):
    form = await actions_form(teams)
    card = await press(teams, form, "Save and post", worried_about=ADDRESS, next_steps=NEXT)
    replaced = await press(teams, card, outcome.REPLACE, worried_about=ADDRESS, next_steps=NEXT)

    inputs = boxes(replaced)
    assert inputs["worried_about"]["value"] == "The family moved to [address] last month"
    assert inputs["next_steps"]["value"] == NEXT
    assert meetings.ACTIONS_REPLACED in lines(replaced)
    assert [title for title, _ in buttons(replaced)] == ["Save and post"]
    assert await stored(teams) == []  # replaced, not yet saved

    values = {name: inputs[name].get("value", "") for name in meetings.COLUMNS}
    done = await press(teams, replaced, "Save and post", **values)
    assert "Our agreed actions" in json.dumps(done)
    (kept,) = await stored(teams)
    assert "[address]" in kept.text and "Orchard" not in kept.text
    assert kept.source == meetings.TEAM_ACTIONS_SOURCE and kept.channel_id == payloads.CHANNEL


async def test_a_possible_name_is_asked_about_and_the_ticked_toggle_saves_it(teams):
    form = await actions_form(teams)
    card = await press(teams, form, "Save and post", next_steps=NAMED)

    shown = lines(card)
    assert "• “Harley” looks like a name: remove it, or tick below if it isn't a person (or use [child])" in shown
    toggle = boxes(card)[f"next_steps{router.NOT_PEOPLE}"]
    assert toggle["type"] == "Input.Toggle" and toggle["title"].startswith(outcome.NOT_PEOPLE_LABEL)
    digest = meetings.guard_findings(
        meetings.team_actions("", "", NAMED), {}, meetings.check_team_actions(meetings.team_actions("", "", NAMED))
    )[0].not_people_keys["next_steps"]
    assert toggle["valueOn"] == digest and "Harley" not in toggle["valueOn"]  # the digest, never the words
    assert await stored(teams) == []

    done = await press(teams, card, "Save and post", next_steps=NAMED, **{toggle["id"]: toggle["valueOn"]})
    assert "Our agreed actions" in json.dumps(done)
    (kept,) = await stored(teams)
    assert NAMED in kept.text


async def test_a_different_name_after_ticking_is_asked_about_again(teams):
    form = await actions_form(teams)
    card = await press(teams, form, "Save and post", next_steps=NAMED)
    toggle = boxes(card)[f"next_steps{router.NOT_PEOPLE}"]

    other = "Ask Callum to join supervision"
    again = await press(teams, card, "Save and post", next_steps=other, **{toggle["id"]: toggle["valueOn"]})
    assert any("“Callum” looks like a name" in line for line in lines(again))
    assert boxes(again)["next_steps"]["value"] == other
    assert boxes(again)[toggle["id"]]["valueOn"] != toggle["valueOn"]
    assert await stored(teams) == []


async def test_other_problems_stay_plain_errors_beside_the_guards(teams):
    form = await actions_form(teams)
    card = await press(teams, form, "Save and post", working_well=ADDRESS)  # and no agreed action
    assert "Write at least one action the team agreed." in lines(card)
    assert [title for title, _ in buttons(card)] == ["Save and post"]
    assert boxes(card)["working_well"]["value"] == ADDRESS
    assert await stored(teams) == []


async def test_what_the_guard_found_in_the_actions_never_reaches_the_logs(teams, caplog):
    caplog.set_level(logging.DEBUG)
    form = await actions_form(teams)
    card = await press(teams, form, "Save and post", worried_about=ADDRESS, next_steps=NAMED)
    await press(teams, card, outcome.REPLACE, worried_about=ADDRESS, next_steps=NAMED)
    assert caplog.records
    for record in caplog.records:
        message = record.getMessage()
        assert "Orchard" not in message and "Harley" not in message
    assert await stored(teams) == []
