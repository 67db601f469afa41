"""Weekly prompts in Teams: what Teams knows about a conversation for `@scrbot schedule …`
(answered by bot.schedule.commands), and keeping conversation references. The subscription keeps
the channel's reference, which the prompt poster needs to post there later without being asked.
"""

from __future__ import annotations

import logging
import zoneinfo
from typing import TYPE_CHECKING, Any

from aiohttp import ClientError
from microsoft_agents.activity import Activity

from bot.reflections import reports
from bot.reflections.service import StoreUnavailable, store_errors
from bot.schedule.calendar import DEFAULT_TIMEZONE
from bot.schedule.commands import Channel, resubscribe
from bot.schedule.prompts import ChannelUnavailable, delivery_failure, failure_recipients
from bot.services import Services
from bot.teams.activities import (
    GROUP_CHAT,
    PERSONAL,
    channel_key,
    conversation_kind,
    conversation_ref,
    sender_id,
)

if TYPE_CHECKING:
    from bot.teams.prompts import TeamsPromptPoster

log = logging.getLogger("scrbot.teams.schedule")

TEAMS_COMMAND = "@scrbot schedule"


def channel(activity: Activity) -> Channel:
    """What Teams knows about the conversation for a schedule command (which
    bot.schedule.commands answers): the sender's name and time zone, and its reference."""

    async def sender_zone() -> str:
        return _sender_zone(activity)

    # Whoever can post in a Teams channel or group chat is a member of it: is_member's default.
    return Channel(
        who=_name(activity),
        command=TEAMS_COMMAND,
        default_zone=sender_zone,
        conversation_ref=conversation_ref(activity),
    )


async def refresh_reference(services: Services, activity: Activity) -> bool:
    """Keep a subscribed channel's conversation reference current (Teams can move a team to
    another service URL); True if it changed. Unchanged references are not rewritten."""
    if services.store is None or conversation_kind(activity) == PERSONAL:
        return False
    key = channel_key(activity)
    current = await services.store.get_subscription(*key)
    ref = conversation_ref(activity)
    if current is None or current.conversation_ref == ref:
        return False
    await resubscribe(services.schedules(), current, key, conversation_ref=ref)
    log.info("refreshed the conversation reference of a subscribed Teams channel")
    return True


async def remember_conversation(services: Services, activity: Activity) -> None:
    """scrbot was installed here: keep the conversation's reference, so a later schedule or
    proactive message can reach it. A 1:1 chat is kept under the person's pseudonymous key,
    which forget me deletes."""
    if services.store is None:
        return
    platform, workspace_id, conversation_id = channel_key(activity)
    kind = conversation_kind(activity)
    person = (await services.person_keys())(workspace_id, sender_id(activity)) if kind == PERSONAL else None
    with store_errors():
        await services.store.save_conversation(
            platform,
            workspace_id,
            conversation_id,
            kind=kind,
            conversation_ref=conversation_ref(activity),
            now=services.clock.now(),
            person_key=person,
        )


async def forget_conversation(services: Services, activity: Activity) -> bool:
    """scrbot was removed from here: drop the kept reference; False if there was none."""
    if services.store is None:
        return False
    with store_errors():
        return await services.store.delete_conversation(*channel_key(activity))


def _sender_zone(activity: Activity) -> str:
    """The zone the sender's Teams client reports (an IANA name), if it is one we know."""
    zone = activity.local_timezone
    if not zone:
        return DEFAULT_TIMEZONE
    try:
        return zoneinfo.ZoneInfo(zone).key
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return DEFAULT_TIMEZONE


def _name(activity: Activity) -> str:
    sender = activity.from_property
    return (sender.name if sender and sender.name else None) or "Someone"


async def notify_failure(services: Services, poster: TeamsPromptPoster, subscription: Any, reason: str) -> None:
    """Tell the admins (and whoever set the schedule), each in their 1:1 chat with scrbot, that a
    Teams channel could not be posted to. Someone with no such chat kept is only logged: Teams
    lets a bot start a chat only where it was installed."""
    if services.store is None:
        return
    text = delivery_failure(_place(subscription), reason)
    keys = await services.person_keys()
    for user in failure_recipients(subscription.created_by, services.settings.admins):
        try:
            with store_errors():
                chat = await services.store.personal_conversation(
                    "teams", subscription.workspace_id, keys(subscription.workspace_id, user)
                )
            if chat is None:
                log.info("could not tell an admin about a failing Teams channel: no 1:1 chat with scrbot is kept")
                continue
            await poster.post_text(chat.conversation_ref, text)
        except (StoreUnavailable, ChannelUnavailable, ClientError) as exc:
            log.warning("could not tell an admin about a failing Teams channel: %s", type(exc).__name__)


async def post_weekly_digests(services: Services, poster: TeamsPromptPoster) -> int:
    """The leads' weekly digest in Teams: each tenant's, to every configured admin with a 1:1
    chat with scrbot there, once a week across replicas. Returns how many were posted."""
    if services.store is None or services.prompts is None or not services.settings.admins:
        return 0
    store, prompts, posted = services.store, services.prompts, 0
    keys = await services.person_keys()
    for tenant in await store.conversation_workspaces("teams"):
        chats = [
            chat
            for admin in sorted(services.settings.admins)
            if (chat := await store.personal_conversation("teams", tenant, keys(tenant, admin))) is not None
        ]
        if not chats:
            continue

        async def post(tenant: str = tenant, chats: list[Any] = chats) -> None:
            nonlocal posted
            digest = await reports.weekly_digest(store, services.catalogue, services.clock, tenant)
            for chat in chats:
                try:
                    await poster.post_reply(chat.conversation_ref, digest)
                    posted += 1
                except (ChannelUnavailable, ClientError) as exc:
                    log.warning("could not post the weekly digest to an admin in Teams: %s", type(exc).__name__)

        await prompts.once_a_week("teams", tenant, "digest:admins", services.clock.now(), post)
    return posted


def _place(subscription: Any) -> str:
    """The conversation as an admin would recognise it: the reference names no channel."""
    kind = ((subscription.conversation_ref or {}).get("conversation") or {}).get("conversationType")
    return "a Teams group chat" if kind == GROUP_CHAT else "a Teams channel"
