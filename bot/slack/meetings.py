"""`/learn discuss`, `/learn meeting` and `/learn quiz` in a Slack channel, with their buttons
and the "Record our actions" modal. What to say comes from bot.meetings; this file only moves
it between Slack and the core.
"""

from __future__ import annotations

import json
import logging
import random
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import meetings, router
from bot.content import Theme
from bot.reflections import service as reflections
from bot.replies import Reply
from bot.services import Services
from bot.slack import answers
from bot.slack import privacy as privacy_view
from bot.slack.commands import SlashRequest
from bot.slack.messaging import log_api_error, reply_privately
from bot.slack.messaging import state_key as _state_key
from bot.slack.render import escape, messages, section

_SLACK_TS = re.compile(r"\d{1,12}\.\d{1,9}")
_SLACK_CHANNEL = re.compile(r"[CDG][A-Z0-9]{1,20}")
log = logging.getLogger("scrbot.slack.meetings")

PLATFORM = "slack"
RECORD_VIEW = router.TEAM_ACTIONS_FORM
COLUMN_BLOCKS = meetings.COLUMNS  # TeamActions field names


# -- slash commands ---------------------------------------------------------------------------


async def on_discuss(request: SlashRequest) -> None:
    """`/learn discuss <theme|random>`: post the meeting pack in the channel."""
    command = request.services.settings.slash_command
    if not request.args.strip():
        await request.say_privately(
            f"Say which theme to discuss, e.g. `{command} discuss neglect` or "
            f"`{command} discuss random`. `{command} themes` lists them all, and "
            f"`{command} meeting` picks one this channel has not discussed."
        )
        return
    theme = await _theme_asked_for(request)
    if theme is not None:
        await _post_in_channel(request, meetings.meeting_pack(theme))


async def on_quiz(request: SlashRequest) -> None:
    """`/learn quiz [theme]`: post a scenario with three answer buttons."""
    rng = random.Random()  # randomness enters here, at the edge
    if request.args.strip():
        theme = await _theme_asked_for(request, rng)
        if theme is None:
            return
    else:
        theme = rng.choice(list(request.services.catalogue))
    card = meetings.build_quiz(theme, request.services.catalogue, meetings.new_nonce(rng))
    await _post_in_channel(request, meetings.quiz_reply(card))


async def _theme_asked_for(request: SlashRequest, rng: random.Random | None = None) -> Theme | None:
    """The theme named in the command, or None after telling the person why not."""
    services = request.services
    found = meetings.find_theme(services.conversation.engine, request.args, rng or random.Random())
    if found.urgent:
        # Someone describing a child at risk gets the urgent signposting, privately, first.
        await request.say_privately(services.conversation.reply(request.args))
        return None
    if found.theme is None:
        await request.say_privately(
            f"I couldn't tell which theme “{escape(request.args.strip()[:100])}” means. "
            f"`{services.settings.slash_command} themes` lists them all, or try `random`."
        )
    return found.theme


async def _post_in_channel(request: SlashRequest, reply: Reply) -> None:
    await answers.post_for_everyone(request.client, request.channel_id, request.command.get("response_url"), reply)


# -- buttons and the modal ----------------------------------------------------------------------


def on_discuss_button(services: Services):
    """The "Discussion starter" button (answers, weekly prompts): the pack, privately, to share."""

    async def discuss(ack, body: dict[str, Any], action: dict[str, Any], respond, client: AsyncWebClient) -> None:
        await ack()
        theme = services.catalogue.get(action.get("value") or "")
        user = (body.get("user") or {}).get("id")
        if theme is None:
            gone = "That theme is no longer in the catalogue. Try `themes` to see what there is."
            await _tell(respond, client, body, gone)
            return
        services.memory.state(_state_key(_team_id(body), user)).last_theme = theme.id
        # From the App Home tab (no response_url) the pack arrives as a direct message, where
        # "Post in this channel" would have no team channel to post to.
        in_channel = bool(getattr(respond, "response_url", None))
        pack = meetings.meeting_pack(theme, for_channel=False, can_share=in_channel)
        await reply_privately(respond, client, user, pack)

    return discuss


def on_share(services: Services):
    """The "Post in this channel" button under a privately shown discussion starter."""

    async def share(ack, body: dict[str, Any], action: dict[str, Any], respond, client: AsyncWebClient) -> None:
        await ack()
        theme = services.catalogue.get(action.get("value") or "")
        channel = (body.get("channel") or {}).get("id")
        if theme is None or not channel:
            await _tell(
                respond, client, body, f"Use `{services.settings.slash_command} discuss <theme>` in a team channel."
            )
            return
        try:
            for message in messages(meetings.meeting_pack(theme)):
                await client.chat_postMessage(channel=channel, unfurl_links=False, **message)
        except SlackApiError as exc:
            code = log_api_error("chat.postMessage", channel, exc)
            await _tell(
                respond,
                client,
                body,
                f"I couldn't post here (`{code}`). Invite me with `/invite @scrbot`, or use "
                f"`{services.settings.slash_command} discuss {theme.id}`.",
            )

    return share


def on_record_actions(services: Services):
    """The "Record our actions" button: the router's form, as a modal for this discussion."""

    async def record(ack, body: dict[str, Any], action: dict[str, Any], respond, client: AsyncWebClient) -> None:
        await ack()
        channel, ts = _clicked_message(body)
        # Actions go under the pack, or beside it when the pack itself sits in a thread.
        ts = slack_ts((body.get("message") or {}).get("thread_ts")) or ts
        pressed = answers.button_incoming(services, body, router.RECORD_ACTIONS, str(action.get("value") or ""))
        answer = await router.route(services, pressed)
        if answer.form is None or not channel:
            await _tell(respond, client, body, answer.text or "That discussion's theme is no longer in the catalogue.")
            return
        metadata = json.dumps({"theme": answer.form.submit.value, "channel": channel, "ts": ts})
        try:  # the trigger_id expires in about 3 s: open the modal before anything slow
            await client.views_open(trigger_id=body.get("trigger_id"), view=actions_modal(answer.form, metadata))
        except SlackApiError as exc:
            log_api_error("views.open", channel, exc)

    return record


MODAL_TITLE_CHARS = 24  # Slack's limit for a modal's title


def actions_modal(form: router.Form, private_metadata: str) -> dict[str, Any]:
    """A core Form as a modal: the title and note on top, one box per field."""
    title, _, subject = form.title.partition(": ")
    blocks: list[dict[str, Any]] = [section(f"*{escape(subject or title)}*\n{escape(form.intro)}")]
    for field in form.fields:
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": "text", "multiline": True}
        if field.max_chars:
            element["max_length"] = field.max_chars
        if field.value:
            element["initial_value"] = field.value
        block: dict[str, Any] = {
            "type": "input",
            "block_id": field.id,
            "optional": not field.required,
            "label": {"type": "plain_text", "text": field.label},
            "element": element,
        }
        if field.hint:
            block["hint"] = {"type": "plain_text", "text": field.hint}
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": form.id,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": title[:MODAL_TITLE_CHARS]},
        "submit": {"type": "plain_text", "text": form.submit.label},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def on_actions_submitted(services: Services):
    """Save the team's actions as a team reflection and post them under the discussion."""

    async def submitted(ack, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient) -> None:
        actions = meetings.team_actions(*(privacy_view.value_of(view, b, "text") for b in COLUMN_BLOCKS))
        answers = {b: privacy_view.not_people_answer(view, b) for b in COLUMN_BLOCKS}
        problems = meetings.check_team_actions(actions, answers)
        if problems:
            # The modal stays open with the team's text: what the guard found, with a redaction
            # button and a tick box, or an inline error for the other rules.
            updated = _reviewed(services, view, actions, answers, problems)
            if updated is not None:
                await ack(response_action="update", view=updated)
            else:
                await ack(response_action="errors", errors=_by_block_id(view, problems))
            return
        await ack()
        try:
            place = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            place = {}
        theme = services.catalogue.get(place.get("theme") or "")
        channel, ts = place.get("channel"), slack_ts(place.get("ts"))
        team = _team_id(body)
        user = (body.get("user") or {}).get("id", "")
        if theme is None or not channel:
            log.warning("team actions submitted without a known theme or channel (view %s)", view.get("id"))
            return
        submission = reflections.Submission(
            platform=PLATFORM,
            workspace_id=team,
            user_id=user,
            theme_id=theme.id,
            text=actions.as_text(),
            idempotency_key=reflections.view_key(PLATFORM, team, view.get("id") or ""),
            source=meetings.TEAM_ACTIONS_SOURCE,
            shared=True,
            channel_id=channel,
            not_people=meetings.stored_answer(actions) if any(answers.values()) else "",
        )
        try:
            outcome = await reflections.capture(services, submission)
        except Exception:
            # The modal has closed, so hand the team's words back rather than lose them; the
            # error itself goes on to bolt's error handler, which logs it.
            await _post_actions(client, user, None, user, meetings.team_actions_reply(theme, actions, saved=False))
            raise
        if outcome.problem:  # the checks above mirror the capture rules, so this is our mistake
            log.error(
                "team actions passed the modal checks but capture refused them (view %s)",
                view.get("id"),
            )
            return
        if outcome.created:
            await _post_actions(client, channel, ts, user, meetings.team_actions_reply(theme, actions))

    return submitted


def _reviewed(
    services: Services,
    view: dict[str, Any],
    actions: meetings.TeamActions,
    answers: dict[str, str],
    problems: dict[str, str],
) -> dict[str, Any] | None:
    """The modal again with the guard's findings, when the guard is behind every problem."""
    texts = {b: getattr(actions, b) for b in COLUMN_BLOCKS}
    reviews = {b: reflections.privacy_review(texts[b], answers[b]) for b in problems if texts.get(b)}
    if set(reviews) != set(problems) or any(
        r.ok or problems[b] != reflections.privacy_problem(texts[b], r) for b, r in reviews.items()
    ):
        return None
    problem = next(iter(problems.values())) if len(problems) == 1 else "Please check what is listed below."
    try:
        theme_id = json.loads(view.get("private_metadata") or "{}").get("theme") or ""
    except (ValueError, AttributeError):
        theme_id = ""
    theme = services.catalogue.get(theme_id)
    # Rebuilt from our own modal, not Slack's echo of it, so the team's words are always kept.
    metadata = str(view.get("private_metadata") or "")
    base = actions_modal(router.team_actions_form(theme.id, theme.title), metadata) if theme is not None else view
    return privacy_view.reviewed_view(base, texts, reviews, problem=problem)


def _by_block_id(view: dict[str, Any], problems: dict[str, str]) -> dict[str, str]:
    """Errors keyed by each column's current block id (a redaction renames the blocks)."""
    return {(privacy_view.text_blocks(view, name) or [name])[0]: text for name, text in problems.items()}


async def _post_actions(client: AsyncWebClient, channel: str, ts: str | None, user: str, reply: Reply) -> None:
    """Post in the discussion's thread; if the bot cannot post there, send them to the person."""
    for target, thread in ((channel, ts), (user, None)):
        try:
            for message in messages(reply):
                await client.chat_postMessage(channel=target, thread_ts=thread, unfurl_links=False, **message)
            return
        except SlackApiError as exc:
            log_api_error("chat.postMessage", target, exc)


def on_quiz_answer(services: Services):
    """One person's answer: private feedback, and the channel's message redrawn with the tally."""

    async def answer(ack, body: dict[str, Any], action: dict[str, Any], respond, client: AsyncWebClient) -> None:
        await ack()
        quiz_id, _, choice = (action.get("value") or "").partition("|")
        card = meetings.quiz_from_id(services.catalogue, quiz_id)
        option = card.option(choice) if card else None
        if card is None or option is None:
            command = services.settings.slash_command
            await _tell(
                respond, client, body, f"This quiz is no longer available. Try a new one with `{command} quiz`."
            )
            return
        team, user = _team_id(body), (body.get("user") or {}).get("id", "")
        channel, ts = _clicked_message(body)
        stored_id = f"{PLATFORM}:{team}:{channel or '-'}:{card.quiz_id}"
        store = services.store
        first = True
        if store is not None:
            key = (await reflections.person_keys(services))(team, user)
            first = await store.record_quiz_answer(stored_id, key, choice, option.correct, services.clock.now())
        feedback = meetings.quiz_feedback(card, choice, already_answered=not first)
        assert feedback is not None  # the option was found above
        await reply_privately(respond, client, user, feedback)
        if first and store is not None and channel and ts:
            await _show_tally(client, channel, ts, card, stored_id, store)

    return answer


async def _show_tally(
    client: AsyncWebClient, channel: str, ts: str, card: meetings.QuizCard, stored_id: str, store
) -> None:
    """Redraw the quiz message with the tally (counts only) for everyone in the channel."""
    shown: dict[str, int] | None = None
    # Two answers at once can redraw out of order; read again after drawing and redraw if it moved.
    for _ in range(2):
        tally = await store.quiz_tally(stored_id)
        if tally == shown:
            return
        (message,) = messages(meetings.quiz_reply(card, tally))
        try:
            await client.chat_update(channel=channel, ts=ts, **message)
        except SlackApiError as exc:
            log_api_error("chat.update", channel, exc)
            return
        shown = tally


async def _tell(respond, client: AsyncWebClient, body: dict[str, Any], text: str) -> None:
    """A short private note to the person who pressed a button."""
    await reply_privately(respond, client, (body.get("user") or {}).get("id"), Reply(kind="notice", intro=text))


def _clicked_message(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(channel, ts) of the message whose button was pressed."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    ts = slack_ts(container.get("message_ts")) or slack_ts((body.get("message") or {}).get("ts"))
    return slack_channel_id(channel), ts


def slack_ts(value: Any) -> str | None:
    """A Slack message timestamp ("1700000000.123456"), or None for anything else: a forged
    field must never travel on into a modal's metadata or an API call."""
    return value if isinstance(value, str) and _SLACK_TS.fullmatch(value) else None


def slack_channel_id(value: Any) -> str | None:
    """A Slack conversation id ("C0123ABC", "G…", "D…"), or None: a forged id such as "<!channel>"
    must never reach a modal's metadata, a message or an API call."""
    return value if isinstance(value, str) and _SLACK_CHANNEL.fullmatch(value) else None


def _team_id(body: dict[str, Any]) -> str:
    return (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""


ROUTES = {"discuss": on_discuss, "quiz": on_quiz}  # "meeting" is bot.router's


def register(app: AsyncApp, services: Services) -> None:
    """The buttons and the modal behind the meeting commands."""
    app.action("discuss")(on_discuss_button(services))
    app.action("discuss_share")(on_share(services))
    app.action("record_actions")(on_record_actions(services))
    app.view(RECORD_VIEW)(on_actions_submitted(services))
    app.action("quiz_answer")(on_quiz_answer(services))
