"""Reading a Teams activity: where it came from, who sent it and what they typed.

Pure functions of the activity, so every decision here is testable without a server.
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any

from microsoft_agents.activity import Activity, ChannelAccount

from bot.reflections import where
from bot.router import Incoming

PLATFORM = "teams"
PERSONAL, CHANNEL, GROUP_CHAT = "personal", "channel", "groupChat"

_MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def conversation_kind(activity: Activity) -> str:
    """ "personal" (1:1 chat), "channel" or "groupChat"."""
    conversation = activity.conversation
    kind = getattr(conversation, "conversation_type", None) if conversation else None
    if kind in (PERSONAL, CHANNEL, GROUP_CHAT):
        return kind
    # The Bot Framework Emulator and some older clients leave conversationType out; then the id
    # tells: a channel post's id carries ";messageid=", a group chat's is a "@thread" id.
    if conversation is None:
        return PERSONAL
    conversation_id = conversation.id or ""
    if ";messageid=" in conversation_id:
        return CHANNEL
    return GROUP_CHAT if conversation.is_group or "@thread" in conversation_id else PERSONAL


def mentions_bot(activity: Activity) -> bool:
    """True when the message @mentions the bot itself (the mention entity, not the text, which
    the sender can edit)."""
    bot = activity.recipient.id if activity.recipient else None
    if not bot:
        return False
    try:
        mentions = activity.get_mentions()
    except (AttributeError, TypeError, ValueError):  # a mention entity of an odd shape
        return False
    return any(m.mentioned is not None and m.mentioned.id == bot for m in mentions)


def tenant_id(activity: Activity) -> str:
    """The Microsoft 365 tenant (organisation) the activity came from; "-" if unknown."""
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return str(conversation.tenant_id)
    tenant = _channel_data(activity).get("tenant") or {}
    return str(tenant.get("id") or "-")


def base_conversation_id(conversation_id: str) -> str:
    """A channel's id without its thread: "19:x@thread.tacv2;messageid=1" -> "19:x@thread.tacv2"."""
    return conversation_id.split(";messageid=", 1)[0]


def channel_key(activity: Activity) -> tuple[str, str, str]:
    """(platform, workspace, channel) for the store: tenant, and conversation without thread."""
    conversation_id = activity.conversation.id if activity.conversation else ""
    return PLATFORM, tenant_id(activity), base_conversation_id(conversation_id or "")


def sender_id(activity: Activity) -> str:
    """The sender's Entra (Azure AD) object id, or their Teams id where there is none (Emulator)."""
    return account_id(activity.from_property)


def account_id(account: ChannelAccount | None) -> str:
    """The id a person's reflections are kept under: their Entra object id, else their Teams id."""
    if account is None:
        return "-"
    return str(account.aad_object_id or account.id or "-")


def memory_key(activity: Activity) -> str:
    """Whose follow-ups ("more") this message continues."""
    return f"{PLATFORM}:{tenant_id(activity)}:{sender_id(activity)}"


def message_text(activity: Activity) -> str:
    """What the person typed: @mentions (of the bot and anyone else) and HTML formatting removed."""
    text = _MENTION.sub(" ", activity.text or "")
    text = _TAG.sub(" ", text)
    return " ".join(html.unescape(text).split())


def card_submission(activity: Activity) -> dict[str, Any] | None:
    """The inputs of an Adaptive Card Action.Submit, which arrives as a message with a `value`."""
    value = activity.value
    if isinstance(value, dict) and isinstance(value.get("action"), str):
        return value
    return None


def bot_was_added(activity: Activity) -> bool:
    """True for the conversationUpdate Teams sends when scrbot is installed in a team or chat."""
    return bool(activity.recipient and any(m.id == activity.recipient.id for m in activity.members_added or []))


def bot_was_removed(activity: Activity) -> bool:
    """True for the conversationUpdate Teams sends when scrbot is removed from a team or chat."""
    return bool(activity.recipient and any(m.id == activity.recipient.id for m in activity.members_removed or []))


def conversation_ref(activity: Activity) -> dict[str, Any]:
    """What a later proactive post needs, as JSON for Subscription.conversation_ref.

    The thread suffix and the activity id are dropped, so a weekly prompt starts a new post
    instead of replying in someone's thread, and the sender is left out: the reference names
    the channel and the bot, never a person.
    """
    conversation = activity.conversation
    recipient = activity.recipient
    ref: dict[str, Any] = {
        "channelId": str(activity.channel_id or "msteams"),
        "serviceUrl": activity.service_url,
        "bot": {"id": recipient.id, "name": recipient.name} if recipient else None,
        "conversation": {
            "id": base_conversation_id(conversation.id),
            "conversationType": conversation.conversation_type,
            "tenantId": tenant_id(activity),
            "isGroup": conversation.is_group,
        },
    }
    ref["bot"] = {k: v for k, v in (ref["bot"] or {}).items() if v is not None} or None
    ref["conversation"] = {k: v for k, v in ref["conversation"].items() if v is not None}
    return {k: v for k, v in ref.items() if v is not None}


def event_key(activity: Activity) -> str | None:
    """A short key that is the same when the Bot Connector delivers one activity twice."""
    if not activity.id or activity.conversation is None:
        return None
    digest = hashlib.sha256(f"{activity.conversation.id}\n{activity.id}".encode()).hexdigest()
    return f"{PLATFORM}:{digest[:48]}"


def _channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


_PLACES = {PERSONAL: where.PERSONAL, CHANNEL: where.CHANNEL, GROUP_CHAT: where.GROUP}


def place_of(activity: Activity) -> str:
    """Where the activity was said, in the core's words (where.PERSONAL, GROUP or CHANNEL)."""
    return _PLACES[conversation_kind(activity)]


def incoming(activity: Activity, form: dict[str, Any] | None = None) -> Incoming:
    """The activity in the core's words: who, where, and the text or the button and its inputs."""
    _, workspace_id, conversation_id = channel_key(activity)
    inputs = form or {}
    return Incoming(
        platform=PLATFORM,
        workspace_id=workspace_id,
        user_id=sender_id(activity),
        conversation_id=conversation_id,
        place=place_of(activity),
        text="" if form is not None else message_text(activity),
        action=str(inputs["action"]) if form is not None else None,
        value=str(inputs.get("value") or ""),
        inputs=inputs,
        memory_key=memory_key(activity),
    )
