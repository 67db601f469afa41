"""Posting to Slack and logging its refusals: the few helpers every Slack feature module uses.

A leaf module (it imports no other feature module), so the listeners never import each other
in a circle.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.replies import Reply
from bot.slack.errors import error_code
from bot.slack.render import messages

log = logging.getLogger("scrbot.slack")

# Web API errors that mean "this channel or workspace cannot be posted to"; never retried.
DEAD_ENDS = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_auth",
    "token_revoked",
    "account_inactive",
    "not_authed",
    "team_access_not_granted",
    "missing_scope",
}


def state_key(team: str | None, user: str | None) -> str:
    return f"{team or '-'}:{user or '-'}"


async def reply_privately(respond, client: AsyncWebClient, user: str | None, reply: Reply) -> None:
    """Answer a button privately: an ephemeral message beside the message clicked, or, for a
    button in the App Home tab or a modal (which come without a response_url), a direct message."""
    if getattr(respond, "response_url", None):
        for message in messages(reply):
            await respond(response_type="ephemeral", replace_original=False, **message)
    else:
        await post_reply(client, user, reply)


async def post_reply(client: AsyncWebClient, channel: str | None, reply: Reply, thread_ts: str | None = None) -> None:
    """Post a reply (split within Block Kit limits); Web API failures are logged, not raised."""
    if not channel:
        return
    for message in messages(reply):
        try:
            await client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False, **message)
        except SlackApiError as exc:
            log_api_error("chat.postMessage", channel, exc)
            return


def log_api_error(method: str, channel: str | None, exc: SlackApiError) -> str:
    """Log a Web API failure with its Slack error code (never message text) and return the code."""
    code = error_code(exc)
    level = logging.WARNING if code in DEAD_ENDS else logging.ERROR
    log.log(level, "Slack %s failed for channel %s: %s", method, channel, code)
    return code
