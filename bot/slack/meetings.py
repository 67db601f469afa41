"""The "Record our actions" modal and the quiz's tally in a Slack channel. `/learn discuss`,
`meeting` and `quiz` and their buttons are answered by bot.router (bot/slack/answers.py renders
them); what the actions form says comes from there too. This file only moves it between Slack
and the core.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import inbound, meetings, router
from bot.reflections import outcome
from bot.replies import Reply
from bot.services import Services
from bot.slack import answers
from bot.slack import privacy as privacy_view
from bot.slack.answers import slack_channel_id
from bot.slack.messaging import log_api_error, reply_privately
from bot.slack.render import escape, messages, section

_SLACK_TS = re.compile(r"\d{1,12}\.\d{1,9}")
log = logging.getLogger("scrbot.slack.meetings")

PLATFORM = "slack"
RECORD_VIEW = router.TEAM_ACTIONS_FORM
COLUMN_BLOCKS = meetings.COLUMNS  # TeamActions field names
SAVE_TIMEOUT = 2.0  # seconds; Slack waits 3 s for the answer to a view submission


# -- buttons and the modal ----------------------------------------------------------------------


def on_record_actions(services: Services):
    """The "Record our actions" button: the router's form, as a modal for this discussion."""

    async def record(ack, body: dict[str, Any], action: dict[str, Any], respond, client: AsyncWebClient) -> None:
        await ack()
        channel, ts = _clicked_message(body)
        # Actions go under the pack, or beside it when the pack itself sits in a thread.
        ts = slack_ts((body.get("message") or {}).get("thread_ts")) or ts
        pressed = answers.button_incoming(services, body, router.RECORD_ACTIONS, str(action.get("value") or ""))
        answer = await inbound.answer(services, pressed)
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
    """Save the team's actions as a team reflection and post them under the discussion. The
    router decides; the modal waits for it and stays open with the team's text when it refuses."""

    async def submitted(ack, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient) -> None:
        try:
            place = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            place = {}
        channel, ts = answers.slack_channel_id(place.get("channel")), slack_ts(place.get("ts"))
        theme = services.catalogue.get(place.get("theme") or "")
        team, user = _team_id(body), (body.get("user") or {}).get("id", "")
        if theme is None or not channel:
            await ack()
            log.warning("team actions submitted without a known theme or channel (view %s)", view.get("id"))
            return
        texts = {b: privacy_view.value_of(view, b, "text") for b in COLUMN_BLOCKS}
        inputs = texts | {f"{b}{router.NOT_PEOPLE}": privacy_view.not_people_answer(view, b) for b in COLUMN_BLOCKS}
        saving = answers.incoming(
            services, team, user, channel, action=router.SAVE_ACTIONS, value=theme.id, inputs=inputs
        )
        unsaved = meetings.team_actions_reply(theme, meetings.team_actions(*texts.values()), saved=False)
        try:
            answer = await asyncio.wait_for(inbound.answer(services, saving), SAVE_TIMEOUT)
        except Exception as exc:
            # Hand the team's words back rather than lose them; anything but a slow store goes
            # on to bolt's error handler, which logs it.
            await ack()
            await _post_actions(client, user, None, user, unsaved)
            if not isinstance(exc, TimeoutError):
                raise
            log.error("team actions were not saved in time (view %s)", view.get("id"))
            return
        if answer.form is not None:
            await ack(**_refused(view, answer))
            return
        await ack()
        # Saved: under the discussion, for everyone. Not saved: handed back to the presser.
        target, thread = (channel, ts) if answer.for_everyone else (user, None)
        for reply in answer.replies:
            await _post_actions(client, target, thread, user, reply)

    return submitted


def _refused(view: dict[str, Any], answer: router.Answer) -> dict[str, Any]:
    """The router's refusal on the open modal, which keeps the team's text: what the guard found,
    with the redaction button and the tick box, or each problem under its box."""
    assert answer.form is not None
    form = answer.form
    review = _review(form)
    if review is not None:
        found, problem = review
        base = actions_modal(form, str(view.get("private_metadata") or ""))
        texts = {field.id: field.value for field in form.fields}
        return {"response_action": "update", "view": privacy_view.reviewed_view(base, texts, found, problem=problem)}
    problems = {field.id: field.problem for field in form.fields if field.problem}
    return {
        "response_action": "errors",
        "errors": _by_block_id(view, problems or {COLUMN_BLOCKS[-1]: answer.text or ""}),
    }


def _review(form: router.Form) -> tuple[outcome.Findings, str] | None:
    """What the guard found, as the router put it on the form's boxes, and the line above it;
    None when another rule refused the actions."""
    details = tuple(detail for field in form.fields for detail in field.found)
    if not details:
        return None
    keys = {field.id: field.not_people.value for field in form.fields if field.not_people is not None}
    return outcome.Findings(details, asking=bool(keys), not_people_keys=keys), form.problem


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
        pressed = answers.button_incoming(services, body, router.QUIZ_ANSWER, str(action.get("value") or ""))
        answered = await inbound.answer(services, pressed)
        await answers.answer_button(client, respond, pressed, answered)
        channel, ts = _clicked_message(body)
        if answered.redraw is not None and channel and ts:
            await _show_tally(services, client, channel, ts, pressed, answered.redraw)

    return answer


async def _show_tally(
    services: Services, client: AsyncWebClient, channel: str, ts: str, pressed: router.Incoming, quiz: Reply | None
) -> None:
    """Redraw the quiz message with the tally (counts only) for everyone in the channel."""
    shown: Reply | None = None
    # Two answers at once can redraw out of order; read again after drawing and redraw if it moved.
    for _ in range(2):
        if quiz is None or quiz == shown:
            return
        (message,) = messages(quiz)
        try:
            await client.chat_update(channel=channel, ts=ts, **message)
        except SlackApiError as exc:
            log_api_error("chat.update", channel, exc)
            return
        shown = quiz
        quiz = await router.quiz_redraw(services, pressed)


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


def _team_id(body: dict[str, Any]) -> str:
    return (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""


ROUTES: dict[str, Any] = {}  # discuss, meeting and quiz are bot.router's text commands


def register(app: AsyncApp, services: Services) -> None:
    """The buttons and the modal behind the meeting commands."""
    for action_id in ("discuss", router.SHARE):
        app.action(action_id)(answers.on_button(services, action_id))
    app.action("record_actions")(on_record_actions(services))
    app.view(RECORD_VIEW)(on_actions_submitted(services))
    app.action("quiz_answer")(on_quiz_answer(services))
