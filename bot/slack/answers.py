"""The core router in Slack: a command or button in as a `router.Incoming`, the `router.Answer`
out as Block Kit (ephemeral or in the channel), a file upload for the report's chart.

Nothing here decides what to say. Calls that may carry reflection text go through
`text_client` / `send_quietly`, whose logger never writes (slack_sdk logs whole request bodies
at DEBUG).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot import inbound, router
from bot.observability import ANSWER_LATENCY
from bot.reflections import reports
from bot.replies import Reply
from bot.services import Services
from bot.slack import schedule
from bot.slack.errors import error_code
from bot.slack.messaging import log_api_error, post_reply, reply_privately, state_key
from bot.slack.render import escape, messages, reflection_form_message, urgent_blocks

log = logging.getLogger("scrbot.slack.answers")
_SLACK_CHANNEL = re.compile(r"[CDG][A-Z0-9]{1,20}")

PLATFORM = "slack"
# Web API errors after which posting through the command's response_url still works.
NOT_A_MEMBER = ("not_in_channel", "channel_not_found")
MENTION_SCHEDULE = "@scrbot schedule"  # how to write a schedule command to scrbot in a channel

# A logger that never writes, for the Web API and response_url calls that carry reflection text.
_WIRE = logging.getLogger("scrbot.slack.reflections.wire")
_WIRE.setLevel(logging.CRITICAL + 1)
_WIRE.propagate = False
_WIRE.disabled = True


def text_client(client: AsyncWebClient) -> AsyncWebClient:
    """A copy of `client` that logs nothing, for calls that carry reflection text."""
    return AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=client.retry_handlers,
        logger=_WIRE,
    )


async def send_quietly(response_url: str | None, **message: Any) -> None:
    """Post to a response_url without logging the body (it may hold reflection text)."""
    if not response_url:
        return
    response = await AsyncWebhookClient(response_url, timeout=10, logger=_WIRE).send_dict(message)
    if response.status_code != 200:
        log.warning("response_url post failed with HTTP %s", response.status_code)


# -- Slack in ------------------------------------------------------------------------------------


def place_of(channel_id: str | None) -> str:
    """Slack's conversation ids: C… and G… are channels and group chats, D… a direct message."""
    return router.CHANNEL if channel_id and channel_id[0] in "CG" else router.PERSONAL


def team_of(body: dict[str, Any]) -> str:
    return (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or body.get("team_id") or ""


def user_of(body: dict[str, Any]) -> str:
    return (body.get("user") or {}).get("id") or body.get("user_id") or ""


def channel_of(body: dict[str, Any]) -> str:
    """The conversation a button was pressed in ("" for the Home tab, a modal or a forged id)."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return slack_channel_id(channel) or ""


def slack_channel_id(value: Any) -> str | None:
    """A Slack conversation id ("C0123ABC", "G…", "D…"), or None: a forged id such as "<!channel>"
    must never reach a modal's metadata, a message or an API call."""
    return value if isinstance(value, str) and _SLACK_CHANNEL.fullmatch(value) else None


def incoming(services: Services, team: str, user: str, channel: str, **fields: Any) -> router.Incoming:
    """A Slack request in the router's words. Slack answers commands and buttons privately
    (ephemeral), so every answer here is the asker's own unless the router says otherwise."""
    return router.Incoming(
        platform=PLATFORM,
        workspace_id=team,
        user_id=user,
        conversation_id=channel,
        place=place_of(channel),
        memory_key=state_key(team, user),
        private_reply=True,
        command=f"{services.settings.slash_command} ",
        **fields,
    )


def button_incoming(
    services: Services, body: dict[str, Any], action: str, value: str, inputs: dict[str, Any] | None = None
) -> router.Incoming:
    """A button press: `action` is the router's button (Slack's own, or its confirmed twin)."""
    return incoming(
        services, team_of(body), user_of(body), channel_of(body), action=action, value=value, inputs=inputs or {}
    )


async def command_incoming(
    services: Services, client: AsyncWebClient, command: dict[str, Any], text: str
) -> router.Incoming:
    """`/learn <text>`, answered privately (ephemeral) wherever it is typed."""
    team, user = command.get("team_id") or "", command.get("user_id") or ""
    asked = incoming(services, team, user, command.get("channel_id") or "", text=text)
    return await with_platform_rules(
        services,
        client,
        asked,
        who=str(command.get("user_name") or "") or None,
        schedule_command=f"{services.settings.slash_command} schedule",
    )


def message_incoming(team: str, user: str, channel: str, text: str, **fields: Any) -> router.Incoming:
    """A direct message or an @mention: answered where it was said, so a channel sees it."""
    return router.Incoming(
        platform=PLATFORM,
        workspace_id=team,
        user_id=user,
        conversation_id=channel,
        place=place_of(channel),
        text=text,
        memory_key=state_key(team, user),
        **fields,
    )


async def with_platform_rules(
    services: Services,
    client: AsyncWebClient,
    asked: router.Incoming,
    *,
    who: str | None = None,
    schedule_command: str = MENTION_SCHEDULE,
) -> router.Incoming:
    """`asked` with what only Slack knows, read for the commands that need it: the workspace's
    own admins (report, dashboard), channel membership (report) and the channel (schedule)."""

    async def workspace_admin() -> bool:
        return await is_workspace_admin(client, asked.user_id)

    asked = replace(asked, platform_admin=workspace_admin)
    found = router.command_of(asked.text)
    if found is not None and found[0] in ("schedule", "thread_replies"):
        channel = await schedule.channel(
            client, asked.user_id, asked.conversation_id, who=who, command=schedule_command
        )
        return replace(asked, channel=channel)
    if found is None or found[0] != "report":
        return asked
    user = asked.user_id
    is_admin = services.is_admin(user) or await is_workspace_admin(client, user)
    return replace(asked, is_admin=is_admin, members=channel_members(client))


async def is_workspace_admin(client: AsyncWebClient, user_id: str) -> bool:
    """Slack's own admins: the workspace's admins and owners."""
    try:
        response = await client.users_info(user=user_id)
    except SlackApiError as exc:
        log.warning("users.info failed while checking report access: %s", error_code(exc))
        return False
    user = response.get("user") or {}
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


async def bot_user_id(client: AsyncWebClient) -> str | None:
    """The bot's own user id (left out of channel membership), or None if Slack won't say."""
    try:
        return (await client.auth_test()).get("user_id")
    except SlackApiError as exc:
        log.warning("auth.test failed: %s", error_code(exc))
        return None


def channel_members(client: AsyncWebClient) -> reports.Members:
    """Channel membership through conversations.members (without the bot itself)."""
    bot: list[str | None] = []

    async def members(workspace_id: str, channel_id: str) -> list[str] | None:
        if not bot:
            bot.append(await bot_user_id(client))
        found: list[str] = []
        cursor = None
        try:
            while True:
                response = await client.conversations_members(channel=channel_id, limit=1000, cursor=cursor)
                found += [m for m in response.get("members") or [] if m != bot[0]]
                cursor = (response.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return found
        except SlackApiError as exc:
            log.warning("conversations.members failed for %s: %s", channel_id, error_code(exc))
            return None

    return members


# -- Slack out -----------------------------------------------------------------------------------


def answer_messages(answer: router.Answer) -> list[tuple[dict[str, Any], bool]]:
    """Each message of `answer` and whether it is for everyone (a notice is always the asker's)."""
    out: list[tuple[dict[str, Any], bool]] = []
    if answer.text:
        out.append(({"text": escape(answer.text)}, False))
    for reply in answer.replies:
        out += [(message, answer.for_everyone) for message in messages(reply)]
    return out


async def respond(response_url: str | None, answer: router.Answer) -> None:
    """The answer through a response_url: ephemeral, or in the channel when it is for everyone;
    an answer `in_place` replaces the message its button was on."""
    for number, (message, public) in enumerate(answer_messages(answer)):
        await send_quietly(
            response_url,
            response_type="in_channel" if public else "ephemeral",
            replace_original=answer.in_place and number == 0,
            **message,
        )


# Opens the Reflect modal on a new reflection form with a trigger id; False if Slack refused.
FormOpener = Callable[[AsyncWebClient, str, router.ReflectionForm, router.Incoming], Awaitable[bool]]
COULD_NOT_OPEN = "Sorry, I couldn't open the reflection form. Please try the command again."


async def answer_command(
    services: Services,
    client: AsyncWebClient,
    command: dict[str, Any],
    text: str,
    open_form: FormOpener | None = None,
) -> None:
    """`/learn <anything>` the router answers: intents, and questions for the conversation. A new
    reflection form opens as the modal at once (`open_form`), with the command's trigger."""
    asked = await command_incoming(services, client, command, text)
    with ANSWER_LATENCY.time():
        answer = await inbound.answer(services, asked)
    response_url = command.get("response_url")
    form = answer.reflection_form
    if form is not None and not form.editing and open_form is not None:
        if not await open_form(client, str(command.get("trigger_id") or ""), form, asked):
            await send_quietly(response_url, response_type="ephemeral", replace_original=False, text=COULD_NOT_OPEN)
        return
    if answer.for_everyone and any(reply.actions for reply in answer.replies):
        for reply in answer.replies:
            await post_for_everyone(client, asked.conversation_id, response_url, reply)
    else:
        await respond(response_url, answer)
    if answer.chart is not None:
        await upload_chart(client, asked.user_id, answer.chart)


async def post_for_everyone(client: AsyncWebClient, channel: str, response_url: str | None, reply: Reply) -> None:
    """A reply with buttons, posted as the bot (so a press can update it or answer in its thread),
    or through the command's response_url where the bot is not a member of the conversation."""
    try:
        for message in messages(reply):
            await client.chat_postMessage(channel=channel, unfurl_links=False, **message)
    except SlackApiError as exc:
        code = log_api_error("chat.postMessage", channel, exc)
        if code not in NOT_A_MEMBER:
            await send_quietly(
                response_url,
                response_type="ephemeral",
                replace_original=False,
                text=f"Slack would not let me post here (`{code}`). Please try again.",
            )
            return
        for message in messages(reply):
            await send_quietly(response_url, response_type="in_channel", replace_original=False, **message)


async def post_answer(
    client: AsyncWebClient, incoming: router.Incoming, answer: router.Answer, thread_ts: str | None = None
) -> None:
    """The answer to a direct message or mention, posted where it was said. In a channel a notice
    goes to the asker only, and urgent help reaches them privately before the thread reply."""
    quiet = text_client(client)  # a list of my reflections carries their text
    channel, user = incoming.conversation_id, incoming.user_id
    in_channel = incoming.in_team_place
    form = answer.reflection_form
    if form is not None and not form.editing:  # a button that opens the modal, for the asker only
        if in_channel:
            await _post_ephemeral(quiet, channel, user, thread_ts, reflection_form_message(form))
        else:
            try:
                await quiet.chat_postMessage(channel=channel, thread_ts=thread_ts, **reflection_form_message(form))
            except SlackApiError as exc:
                log_api_error("chat.postMessage", channel, exc)
    if answer.text:
        notice = Reply(kind="notice", intro=answer.text)
        if in_channel:
            await _post_ephemeral(quiet, channel, user, thread_ts, {"text": escape(answer.text)})
        else:
            await post_reply(quiet, channel, notice, thread_ts=thread_ts)
    for reply in answer.replies:
        if reply.urgent and in_channel:
            urgent = {"text": f"{reply.urgent.heading} {reply.urgent.body}", "blocks": urgent_blocks(reply)}
            await _post_ephemeral(quiet, channel, user, thread_ts, urgent)
        await post_reply(quiet, channel, reply, thread_ts=thread_ts)
    if answer.chart is not None:
        await upload_chart(client, user, answer.chart)


async def _post_ephemeral(
    client: AsyncWebClient, channel: str, user: str, thread_ts: str | None, message: dict[str, Any]
) -> None:
    try:
        await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **message)
    except SlackApiError as exc:
        log_api_error("chat.postEphemeral", channel, exc)


async def upload_chart(client: AsyncWebClient, user_id: str, chart: router.Chart) -> bool:
    """The chart as a file in the person's direct message (files upload v2 API)."""
    try:
        opened = await client.conversations_open(users=user_id)
        channel = (opened.get("channel") or {}).get("id")
        await client.files_upload_v2(
            channel=channel,
            file=chart.png,
            filename=chart.filename,
            title=chart.title,
            alt_txt=chart.alt_text,
            initial_comment=chart.caption,
        )
    except SlackApiError as exc:
        log.warning("uploading the report chart failed: %s", error_code(exc))
        return False
    return True


def on_button(services: Services, action_id: str):
    """A button the router answers (a theme's parts, Discussion starter, Post in this channel)."""

    async def pressed(ack, body: dict[str, Any], action: dict[str, Any], respond, client: AsyncWebClient) -> None:
        await ack()
        incoming = button_incoming(services, body, action_id, str(action.get("value") or ""))
        await answer_button(client, respond, incoming, await inbound.answer(services, incoming))

    return pressed


async def answer_button(client: AsyncWebClient, respond, incoming: router.Incoming, answer: router.Answer) -> None:
    """Privately to the presser (beside the message, or as a direct message from the Home tab),
    or posted in the channel when the answer is for everyone there."""
    if answer.for_everyone and incoming.in_team_place:
        for reply in answer.replies:
            try:
                for message in messages(reply):
                    await client.chat_postMessage(channel=incoming.conversation_id, unfurl_links=False, **message)
            except SlackApiError as exc:
                code = log_api_error("chat.postMessage", incoming.conversation_id, exc)
                note = f"I couldn't post here (`{code}`). Invite me with `/invite @scrbot`, then press it again."
                await reply_privately(respond, client, incoming.user_id, Reply(kind="notice", intro=note))
                return
        return
    notices = (Reply(kind="notice", intro=answer.text),) if answer.text else ()
    for reply in notices + answer.replies:
        await reply_privately(respond, client, incoming.user_id, reply)
