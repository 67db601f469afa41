"""Every Slack feature has its Teams twin: my reflections (edit, delete), forget me, the team
summary, the admin report with its chart, discuss with "Record our actions", meeting, install
and removal. Through the real Agents SDK adapter and the fake Bot Connector."""

from __future__ import annotations

import asyncio
import json

from bot import router
from bot.reflections.service import PersonKeys
from bot.teams.cards import SAVE_REFLECTION
from tests.teams import payloads
from tests.teams.conftest import SECRET

PAT_KEY = PersonKeys(SECRET)(payloads.TENANT, payloads.PAT["aadObjectId"])
TEXT = "I will ask to see the changes at home, not only hear that the family agree with the plan."


def card_text(card: dict) -> str:
    return json.dumps(card)


def buttons(card: dict) -> list[tuple[str, dict]]:
    """Every Action.Submit and Action.Execute on the card, including those inside sections."""
    found: list[tuple[str, dict]] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("Action.Submit", "Action.Execute"):
                found.append((node["title"], node["data"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


async def save(teams, text: str = TEXT, *, in_channel: bool = False, shared: str = "true") -> None:
    value = f"disguised-compliance|{payloads.CHANNEL}|2026-W48"
    form = {"action": SAVE_REFLECTION, "value": value, "text": text, "confidence": "4", "shared": shared}
    post = await teams.ask(teams.submit(form, in_channel=in_channel))
    assert "is saved" in post.activity["text"]


async def test_my_reflections_lists_them_with_edit_and_delete_in_a_1to1_chat(teams):
    await save(teams)
    post = await teams.ask(teams.personal("my reflections"))
    assert "Your reflections" in card_text(post.card) and TEXT in card_text(post.card)
    titles = [title for title, _ in buttons(post.card)]
    assert titles == ["Edit", "Delete"]


async def test_my_reflections_in_a_channel_points_to_the_1to1_chat_and_shows_nothing(teams):
    await save(teams)
    post = await teams.ask(teams.channel("my reflections"))
    assert "1:1 chat" in post.activity["text"] and TEXT not in json.dumps(post.activity)


async def test_editing_a_reflection_refreshes_the_card_and_saves_the_change(teams):
    await save(teams)
    listing = await teams.ask(teams.personal("my reflections"))
    edit = dict(buttons(listing.card))["Edit"]
    form = await teams.ask(teams.submit(edit, card_id="1763888300100"))
    assert form.updated and form.reply_to_id == "1763888300100"
    inputs = {item["id"]: item for item in form.card["body"] if "id" in item}
    assert inputs["text"]["value"] == TEXT
    ((title, save_data),) = buttons(form.card)
    assert title == "Save changes"
    changed = "I will ask to see the bedroom myself next visit."
    done = await teams.ask(teams.submit({**save_data, "text": changed, "confidence": "5", "shared": "false"}))
    assert "Your reflection is updated." in card_text(done.card)
    (saved,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert saved.text == changed and saved.confidence == 5 and saved.shared is False


async def test_an_edit_the_guard_refuses_keeps_the_text_and_is_not_saved(teams):
    await save(teams)
    listing = await teams.ask(teams.personal("my reflections"))
    form = await teams.ask(teams.submit(dict(buttons(listing.card))["Edit"]))
    save_data = dict(buttons(form.card))["Save changes"]
    refused = "Call mum on 07700 900123."
    again = await teams.ask(teams.submit({**save_data, "text": refused}))
    inputs = {item["id"]: item for item in again.card["body"] if "id" in item}
    assert inputs["text"]["value"] == refused and "Not saved yet" in card_text(again.card)
    (saved,) = await teams.services.store.list_reflections_for_person(PAT_KEY)
    assert saved.text == TEXT


async def test_delete_asks_first_then_deletes(teams):
    await save(teams)
    listing = await teams.ask(teams.personal("my reflections"))
    confirm = await teams.ask(teams.submit(dict(buttons(listing.card))["Delete"]))
    assert router.DELETE_WARNING in card_text(confirm.card)
    assert len(await teams.services.store.list_reflections_for_person(PAT_KEY)) == 1
    done = await teams.ask(teams.submit(dict(buttons(confirm.card))["Delete"]))
    assert "Deleted." in card_text(done.card)
    assert await teams.services.store.list_reflections_for_person(PAT_KEY) == []


async def test_forget_me_deletes_everything_after_the_button(teams):
    await save(teams)
    await save(teams, "Next time I will check who else lives in the house.")
    warning = await teams.ask(teams.personal("forget me"))
    assert router.FORGET_WARNING in card_text(warning.card)
    assert len(await teams.services.store.list_reflections_for_person(PAT_KEY)) == 2
    done = await teams.ask(teams.submit(dict(buttons(warning.card))["Delete all my reflections"]))
    assert "deleted all your reflections (2)" in done.activity["text"]
    assert await teams.services.store.list_reflections_for_person(PAT_KEY) == []


async def test_the_team_summary_in_a_channel_shows_shared_reflections_without_names(teams, monkeypatch):
    monkeypatch.setattr(router.reflections, "current_week", lambda services, timezone=None: "2026-W48")
    await save(teams, in_channel=True)
    post = await teams.ask(teams.channel("reflections"))
    assert "What we said this week" in card_text(post.card) and TEXT in card_text(post.card)
    assert "Pat" not in card_text(post.card)


async def test_report_is_for_configured_admins_only(teams):
    post = await teams.ask(teams.personal("report"))
    # Teams has no workspace admins of its own: the refusal names only the scrbot admins.
    assert post.activity["text"] == router.NOT_SCRBOT_ADMIN
    assert "workspace admins" not in post.activity["text"]


async def test_the_admin_report_comes_with_its_chart(admin_teams):
    await save(admin_teams)
    before = len(admin_teams.connector.posts)
    await admin_teams.send(admin_teams.personal("report 8"))
    figures, chart = (await admin_teams.connector.wait_for(before + 2))[before:]
    assert "Reflections report" in card_text(figures.card)
    (image,) = chart.activity["attachments"]
    assert image["contentType"] == "image/png" and image["contentUrl"].startswith("data:image/png;base64,")


async def test_report_with_a_bad_period_says_how_to_ask(admin_teams):
    post = await admin_teams.ask(admin_teams.personal("report 500"))
    assert "from 1 to 104" in post.activity["text"]


async def test_discuss_in_a_channel_has_record_our_actions_and_saves_them(teams):
    pack = await teams.ask(teams.channel("discuss disguised compliance"))
    record = dict(buttons(pack.card))["Record our actions"]
    form = await teams.ask(teams.submit(record, in_channel=True))
    assert "Record our actions" in card_text(form.card)
    save_data = dict(buttons(form.card))["Save and post"]
    empty = await teams.ask(teams.submit({**save_data, "working_well": "Good handovers"}, in_channel=True))
    assert "Write at least one action" in card_text(empty.card)
    assert "Good handovers" in card_text(empty.card)  # the team's words are kept
    done = await teams.ask(
        teams.submit({**save_data, "next_steps": "Ask to see the changes at each visit"}, in_channel=True)
    )
    assert "Our agreed actions" in card_text(done.card)
    stored = await teams.services.store.reflections_between(
        __import__("datetime").datetime(2000, 1, 1, tzinfo=__import__("datetime").UTC),
        __import__("datetime").datetime(2100, 1, 1, tzinfo=__import__("datetime").UTC),
        payloads.TENANT,
    )
    assert [r.source for r in stored] == ["team-actions"] and stored[0].channel_id == payloads.CHANNEL


async def test_discuss_in_a_1to1_chat_has_no_record_button(teams):
    pack = await teams.ask(teams.personal("discuss neglect"))
    assert "Record our actions" not in [t for t, _ in buttons(pack.card)]


async def test_meeting_picks_a_theme_for_the_channel(teams):
    post = await teams.ask(teams.channel("meeting"))
    assert "Record our actions" in [t for t, _ in buttons(post.card)] or "Discussion starter" in card_text(post.card)


async def test_install_in_a_personal_chat_welcomes_with_a_theme_picker_once(teams):
    welcome = await teams.ask(payloads.installation_update(teams.service_url))
    assert "Hello, I'm scrbot" in card_text(welcome.card)
    assert any(item.get("type") == "Input.ChoiceSet" for item in welcome.card["body"])
    response = await teams.send(payloads.bot_added_to_personal_chat(teams.service_url))
    assert response.status in (200, 202)
    await asyncio.sleep(0.1)
    assert len(teams.connector.posts) == 1  # installationUpdate and conversationUpdate: one welcome


async def test_removal_stops_the_channels_weekly_prompts(teams, caplog):
    schedule = await teams.ask(teams.channel("schedule weekly monday 9am"))
    assert schedule.activity
    assert await teams.services.store.get_subscription("teams", payloads.TENANT, payloads.CHANNEL) is not None
    caplog.set_level("INFO", logger="scrbot.teams")
    response = await teams.send(payloads.bot_removed_from_channel(teams.service_url))
    assert response.status in (200, 202)
    assert await teams.services.store.get_subscription("teams", payloads.TENANT, payloads.CHANNEL) is None
    assert "weekly prompts stopped" in caplog.text


async def test_list_buttons_and_forms_are_universal_actions(teams):
    await save(teams)
    listing = await teams.ask(teams.personal("my reflections"))
    kinds = {json.dumps(a) for a in listing.card["body"][-1]["items"][-1]["actions"]}
    assert all('"Action.Execute"' in k and '"verb"' in k for k in kinds)


async def test_an_execute_press_gets_the_refreshed_card_as_its_invoke_response(teams):
    await save(teams)
    listing = await teams.ask(teams.personal("my reflections"))
    delete = dict(buttons(listing.card))["Delete"]
    before = len(teams.connector.posts)
    response = await teams.session.post(
        teams.server.make_url("/api/messages"),
        json=payloads.card_execute(teams.service_url, delete["action"], delete),
    )
    assert response.status == 200
    body = await response.json()
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert router.DELETE_WARNING in json.dumps(body["value"])
    await asyncio.sleep(0.1)
    assert len(teams.connector.posts) == before  # Teams swaps the card itself: nothing else is sent


def search(teams, parameters: list[dict]) -> dict:
    activity = teams.personal("")
    activity.pop("text")
    activity.update(
        type="invoke",
        name="composeExtension/query",
        value={"commandId": "findTheme", "parameters": parameters, "queryOptions": {"skip": 0, "count": 25}},
    )
    return activity


async def test_the_message_extension_finds_a_theme_and_offers_its_card(teams):
    response = await teams.session.post(
        teams.server.make_url("/api/messages"), json=search(teams, [{"name": "query", "value": "disguised"}])
    )
    assert response.status == 200
    result = (await response.json())["composeExtension"]
    assert result["type"] == "result" and result["attachmentLayout"] == "list"
    first = result["attachments"][0]
    assert first["preview"]["content"]["title"] == "Disguised compliance"
    card = first["content"]
    assert card["type"] == "AdaptiveCard" and "Disguised compliance" in json.dumps(card)
    # Dropped into a chat, its buttons are Universal Actions answered in place, whoever presses.
    assert [(a["type"], a["title"]) for a in card["actions"]] == [
        ("Action.Execute", "Reflective questions"),
        ("Action.Execute", "Discussion starter"),
        ("Action.Execute", "Related themes"),
    ]
    assert all(data["via"] == "search" for _, data in buttons(card))
    assert "Action.ShowCard" not in json.dumps(card) and "Action.Submit" not in json.dumps(card)  # no Reflect
    assert teams.connector.posts == []  # a search posts nothing by itself


def pressed_in_a_group_chat(teams, data: dict, sender: dict = payloads.SAM) -> dict:
    """Someone else in a group chat (where scrbot was never added) presses a button on a card
    that Pat dropped there with the message extension."""
    activity = payloads.group_chat_mention(teams.service_url, "", sender)
    activity.pop("text")
    activity["entities"] = activity["entities"][1:]
    activity.update(
        type="invoke",
        name="adaptiveCard/action",
        replyToId="1763888377777",
        value={"action": {"type": "Action.Execute", "verb": data["action"], "data": data}, "trigger": "manual"},
    )
    return activity


async def found_card(teams, words: str = "disguised") -> dict:
    response = await teams.session.post(
        teams.server.make_url("/api/messages"), json=search(teams, [{"name": "query", "value": words}])
    )
    return (await response.json())["composeExtension"]["attachments"][0]["content"]


async def test_a_message_extension_card_pressed_by_someone_else_is_answered_in_place_for_them(teams):
    questions = dict(buttons(await found_card(teams)))["Reflective questions"]
    response = await teams.send(pressed_in_a_group_chat(teams, questions))
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Reflective questions" in json.dumps(body["value"]) and "Disguised compliance" in json.dumps(body["value"])
    assert all(data["via"] == "search" for _, data in buttons(body["value"]))  # its buttons stay in place too
    await asyncio.sleep(0.1)
    assert teams.connector.posts == [] and teams.connector.refused == []  # nothing posted to the chat


async def test_related_themes_on_a_message_extension_card_open_each_theme_in_place(teams):
    related = dict(buttons(await found_card(teams)))["Related themes"]
    listing = await (await teams.send(pressed_in_a_group_chat(teams, related))).json()
    title, show = next((t, d) for t, d in buttons(listing["value"]) if d["action"] == "show_theme")
    opened = await (await teams.send(pressed_in_a_group_chat(teams, show, sender=payloads.PAT))).json()
    assert opened["value"]["body"][0]["text"] == title
    assert "Action.ShowCard" not in json.dumps(opened["value"])  # no Reflect on a card in someone's chat
    await asyncio.sleep(0.1)
    assert teams.connector.posts == []


async def test_the_message_extension_lists_every_theme_before_anything_is_typed(teams):
    response = await teams.session.post(
        teams.server.make_url("/api/messages"), json=search(teams, [{"name": "initialRun", "value": "true"}])
    )
    attachments = (await response.json())["composeExtension"]["attachments"]
    assert len(attachments) == min(len(teams.services.catalogue), router.MAX_FOUND)


async def test_the_message_extension_matches_a_question_in_the_persons_words(teams):
    response = await teams.session.post(
        teams.server.make_url("/api/messages"),
        json=search(teams, [{"name": "query", "value": "the family say all the right things but nothing changes"}]),
    )
    titles = [a["preview"]["content"]["title"] for a in (await response.json())["composeExtension"]["attachments"]]
    assert "Disguised compliance" in titles


async def test_a_search_describing_a_child_at_risk_puts_urgent_help_first_in_the_card(teams):
    response = await teams.session.post(
        teams.server.make_url("/api/messages"),
        json=search(teams, [{"name": "query", "value": "a child told me dad hits her and she is scared to go home"}]),
    )
    attachments = (await response.json())["composeExtension"]["attachments"]
    assert attachments and attachments[0]["content"]["body"][0]["style"] == "attention"


async def test_an_invoke_scrbot_does_not_use_still_gets_a_200(teams):
    activity = teams.personal("")
    activity.pop("text")
    activity.update(type="invoke", name="composeExtension/fetchTask", value={"commandId": "other"})
    response = await teams.session.post(teams.server.make_url("/api/messages"), json=activity)
    assert response.status == 200


async def test_pressing_a_quiz_answer_button_gets_the_explanation(teams):
    quiz = await teams.ask(teams.personal("quiz neglect"))
    options = [(title, data) for title, data in buttons(quiz.card) if data.get("action") == "quiz_answer"]
    assert len(options) == 3
    title, data = options[0]
    assert all(d["action"] == "quiz_answer" for _, d in options)
    feedback = await teams.ask(teams.press(data))
    text = card_text(feedback.card)
    assert ("Yes:" in text or "Not quite:" in text) and "fits" in text
    assert "999" in feedback.card["body"][-1]["text"]


async def test_a_quiz_button_for_a_quiz_that_no_longer_exists_says_so(teams):
    post = await teams.ask(teams.submit({"action": "quiz_answer", "value": "no-such-theme.abc|neglect"}))
    assert "no longer available" in post.activity["text"]


def quiz_options(card: dict) -> list[dict]:
    return [data for _, data in buttons(card) if data.get("action") == "quiz_answer"]


async def test_teams_quiz_answers_are_counted_in_the_tally_once_per_person(teams):
    quiz = await teams.ask(teams.channel("quiz neglect"))
    first, second, _ = quiz_options(quiz.card)
    quiz_id = first["value"].split("|")[0]
    stored_id = f"teams:{payloads.TENANT}:{payloads.CHANNEL}:{quiz_id}"  # as Slack keys its tallies

    await teams.ask(teams.press(first, in_channel=True))
    await teams.ask(teams.press(second, in_channel=True, sender=payloads.SAM))
    again = await teams.ask(teams.press(second, in_channel=True))  # Pat changes their mind

    assert "your first answer is the one counted" in card_text(again.card)
    choice = lambda data: data["value"].split("|")[1]  # noqa: E731
    assert await teams.services.store.quiz_tally(stored_id) == {choice(first): 1, choice(second): 1}


async def test_teams_quiz_answers_reach_the_dashboards_quiz_results(teams):
    from datetime import timedelta

    from bot.dashboard import figures

    quiz = await teams.ask(teams.personal("quiz neglect"))
    right = next(d for d in quiz_options(quiz.card) if d["value"].endswith("|neglect"))
    await teams.ask(teams.press(right))

    now = teams.services.clock.now()
    facts = await teams.services.store.quiz_answer_facts(now - timedelta(days=1), now + timedelta(days=1))
    filters = figures.Filters(now.date(), now.date())
    page = figures.quiz(figures.DashboardData(filters, None, now, quiz_answers=list(facts)), teams.services.catalogue)
    (row,) = page.table("quiz").rows
    assert row[0] == "Neglect"  # the theme's title, not the stored id it was counted under


async def test_forget_me_deletes_teams_quiz_answers_too(teams):
    quiz = await teams.ask(teams.personal("quiz neglect"))
    option = quiz_options(quiz.card)[0]
    await teams.ask(teams.press(option))
    stored_id = f"teams:{payloads.TENANT}:{payloads.PERSONAL_CHAT}:{option['value'].split('|')[0]}"
    assert sum((await teams.services.store.quiz_tally(stored_id)).values()) == 1

    confirm = await teams.ask(teams.personal("forget me"))
    await teams.ask(teams.submit(dict(buttons(confirm.card))["Delete all my reflections"]))
    assert await teams.services.store.quiz_tally(stored_id) == {}


def ends_with_the_safety_footer(teams, card: dict) -> bool:
    """As every Teams answer ends: the footer (999 and the front door) as the card's last line."""
    last = card["body"][-1]
    return last["text"] == teams.services.conversation.safety_footer and last.get("separator") is True


async def test_our_agreed_actions_and_what_we_said_this_week_end_with_the_safety_footer(teams):
    pack = await teams.ask(teams.channel("discuss disguised compliance"))
    form = await teams.ask(teams.submit(dict(buttons(pack.card))["Record our actions"], in_channel=True))
    save_data = dict(buttons(form.card))["Save and post"]
    actions = {**save_data, "next_steps": "Bring the chronology to supervision"}
    done = await teams.ask(teams.submit(actions, in_channel=True))
    assert "Our agreed actions" in card_text(done.card) and ends_with_the_safety_footer(teams, done.card)
    assert "999" in card_text(done.card)

    summary = await teams.ask(teams.channel("team summary"))
    assert "What we said this week" in card_text(summary.card) and "Bring the chronology" in card_text(summary.card)
    assert ends_with_the_safety_footer(teams, summary.card)


async def test_actions_handed_back_when_the_store_fails_end_with_the_safety_footer(teams, monkeypatch):
    from bot.reflections.service import StoreUnavailable

    async def broken(*_args, **_kw):
        raise StoreUnavailable("OperationalError")

    pack = await teams.ask(teams.channel("discuss disguised compliance"))
    form = await teams.ask(teams.submit(dict(buttons(pack.card))["Record our actions"], in_channel=True))
    monkeypatch.setattr(router.reflections, "capture", broken)
    save_data = dict(buttons(form.card))["Save and post"]
    actions = {**save_data, "next_steps": "Bring the chronology to supervision"}
    kept = await teams.ask(teams.submit(actions, in_channel=True))
    assert "Bring the chronology to supervision" in card_text(kept.card)
    assert ends_with_the_safety_footer(teams, kept.card)


async def test_the_meeting_theme_ends_with_the_safety_footer_like_discuss(teams):
    meeting = await teams.ask(teams.channel("meeting"))
    discuss = await teams.ask(teams.channel("discuss neglect"))
    assert ends_with_the_safety_footer(teams, meeting.card) and ends_with_the_safety_footer(teams, discuss.card)


async def test_a_teams_quiz_answer_redraws_the_quiz_card_with_the_tally_in_place(teams):
    quiz = await teams.ask(teams.channel("quiz neglect"))
    first, second, _ = quiz_options(quiz.card)
    assert "Answers so far" not in card_text(quiz.card)

    before = len(teams.connector.posts)
    pressed = await teams.send(teams.press(first, in_channel=True))
    (feedback,) = (await teams.connector.wait_for(before + 1))[before:]
    body = await pressed.json()
    assert body["type"] == "application/vnd.microsoft.card.adaptive"  # Teams swaps the pressed card for this
    assert "Answers so far" in card_text(body["value"]) and "1 answer: " in card_text(body["value"])
    assert quiz_options(body["value"]) == quiz_options(quiz.card)  # the same quiz, still answerable
    assert "Yes:" in card_text(feedback.card) or "Not quite:" in card_text(feedback.card)

    # A press on a card posted with Action.Submit: the quiz message is updated through the connector.
    before = len(teams.connector.posts)
    await teams.send(teams.submit(second, in_channel=True, sender=payloads.SAM))
    posts = await teams.connector.wait_for(before + 2)
    (update,) = [post for post in posts[before:] if post.updated]
    assert "2 answers: " in card_text(update.card)


async def test_two_teams_quiz_answers_at_once_leave_the_quiz_showing_both(teams):
    quiz = await teams.ask(teams.channel("quiz neglect"))
    first, second, _ = quiz_options(quiz.card)
    # Pat's update of the quiz card reaches Teams only after Sam's: out of order, as two answers
    # at once can be. The card must not be left showing Pat's older tally.
    teams.connector.hold_next_update()
    pat = asyncio.ensure_future(teams.send(teams.submit(first, in_channel=True)))
    await asyncio.wait_for(teams.connector.update_held.wait(), 5)
    assert (await teams.send(teams.submit(second, in_channel=True, sender=payloads.SAM))).status in (200, 202)
    assert (await pat).status in (200, 202)
    updates = [post for post in teams.connector.posts if post.updated]
    assert "2 answers: " in card_text(updates[-1].card), [card_text(u.card) for u in updates]
