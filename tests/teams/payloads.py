"""Activities shaped like the ones Microsoft Teams sends a bot (field for field as Teams sends
them, with made-up ids), pointed at the fake Bot Connector through `serviceUrl`."""

from __future__ import annotations

import itertools
from typing import Any

APP_ID = "5b6a3c1e-2f4d-4e8a-9b1c-7d2e3f4a5b6c"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT = {"id": f"28:{APP_ID}", "name": "scrbot"}
PAT = {
    "id": "29:1pat-teams-user-id",
    "name": "Pat Practitioner",
    "aadObjectId": "6a1c2e3f-4b5d-4c6e-8f7a-9b0c1d2e3f4a",
}
SAM = {
    "id": "29:1sam-teams-user-id",
    "name": "Sam Social Worker",
    "aadObjectId": "0f1e2d3c-4b5a-4968-8776-655443322110",
}
CHANNEL = "19:d1c2b3a4e5f60718293a4b5c6d7e8f90@thread.tacv2"
TEAM = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"
GROUP_CHAT = "19:meeting_group_chat_0123456789@thread.v2"
PERSONAL_CHAT = "a:1Xq9mKpersonalChatIdForPatWithScrbot"

_ids = itertools.count(1_763_888_400_000)


def _base(service_url: str, conversation: dict[str, Any], sender: dict[str, Any], **fields: Any) -> dict[str, Any]:
    activity_id = str(next(_ids))
    activity = {
        "type": "message",
        "id": activity_id,
        "timestamp": "2026-11-23T09:00:00.1234567Z",
        "localTimestamp": "2026-11-23T09:00:00.1234567+00:00",
        "localTimezone": "Europe/London",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": sender,
        "conversation": conversation,
        "recipient": BOT,
        "textFormat": "plain",
        "locale": "en-GB",
        "entities": [
            {
                "locale": "en-GB",
                "country": "GB",
                "platform": "Web",
                "timezone": "Europe/London",
                "type": "clientInfo",
            }
        ],
        "channelData": {"tenant": {"id": TENANT}},
    }
    activity.update(fields)
    return activity


def personal_message(service_url: str, text: str, sender: dict[str, Any] = PAT) -> dict[str, Any]:
    """A message in a 1:1 chat with the bot."""
    conversation = {"conversationType": "personal", "tenantId": TENANT, "id": PERSONAL_CHAT}
    return _base(service_url, conversation, sender, text=text)


def channel_mention(
    service_url: str, text: str, sender: dict[str, Any] = PAT, thread: str | None = None
) -> dict[str, Any]:
    """A new post in a team channel that @mentions the bot: `text` follows the mention."""
    activity = _base(service_url, {}, sender, text=f"<at>scrbot</at> {text}")
    root = thread or activity["id"]
    activity["conversation"] = {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": TENANT,
        "id": f"{CHANNEL};messageid={root}",
    }
    activity["entities"].insert(0, {"mentioned": BOT, "text": "<at>scrbot</at>", "type": "mention"})
    activity["channelData"] = {
        "teamsChannelId": CHANNEL,
        "teamsTeamId": TEAM,
        "channel": {"id": CHANNEL},
        "team": {"id": TEAM},
        "tenant": {"id": TENANT},
    }
    return activity


def group_chat_mention(service_url: str, text: str, sender: dict[str, Any] = PAT) -> dict[str, Any]:
    """A message in a group chat that @mentions the bot."""
    conversation = {
        "isGroup": True,
        "conversationType": "groupChat",
        "tenantId": TENANT,
        "id": GROUP_CHAT,
    }
    activity = _base(service_url, conversation, sender, text=f"<at>scrbot</at> {text}")
    activity["entities"].insert(0, {"mentioned": BOT, "text": "<at>scrbot</at>", "type": "mention"})
    return activity


def card_submit(
    service_url: str,
    value: dict[str, Any],
    *,
    in_channel: bool = False,
    card_id: str = "1763888399999",
    sender: dict[str, Any] = PAT,
) -> dict[str, Any]:
    """An Adaptive Card Action.Submit: a message with no text, the inputs and data in `value`."""
    if in_channel:
        activity = channel_mention(service_url, "", sender, thread=card_id)
        activity.pop("text")
        activity["entities"] = activity["entities"][1:]
    else:
        activity = personal_message(service_url, "", sender)
        activity.pop("text")
    activity["replyToId"] = card_id
    activity["value"] = value
    activity["channelData"]["source"] = {"name": "message"}
    activity["channelData"]["legacy"] = {"replyToId": card_id}
    return activity


def bot_added_to_team(service_url: str) -> dict[str, Any]:
    """The conversationUpdate Teams sends to a team's General channel when the app is added."""
    return {
        "type": "conversationUpdate",
        "id": f"f:{next(_ids)}",
        "timestamp": "2026-11-23T08:55:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": PAT,
        "conversation": {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": TEAM,
        },
        "recipient": BOT,
        "membersAdded": [{"id": BOT["id"]}],
        "channelData": {
            "team": {"id": TEAM, "name": "Safeguarding Partnership", "aadGroupId": "2b3c"},
            "eventType": "teamMemberAdded",
            "tenant": {"id": TENANT},
        },
    }


def bot_added_to_personal_chat(service_url: str) -> dict[str, Any]:
    """The conversationUpdate Teams sends when someone adds the app for themselves."""
    return {
        "type": "conversationUpdate",
        "id": f"f:{next(_ids)}",
        "timestamp": "2026-11-23T08:55:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": PAT,
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": PERSONAL_CHAT},
        "recipient": BOT,
        "membersAdded": [{"id": BOT["id"]}],
        "channelData": {"tenant": {"id": TENANT}},
    }


def installation_update(service_url: str, action: str = "add", *, in_team: bool = False) -> dict[str, Any]:
    """The installationUpdate Teams sends when the app is installed ("add") or uninstalled
    ("remove") in a personal scope or a team."""
    conversation = (
        {"isGroup": True, "conversationType": "channel", "tenantId": TENANT, "id": CHANNEL}
        if in_team
        else {"conversationType": "personal", "tenantId": TENANT, "id": PERSONAL_CHAT}
    )
    return {
        "type": "installationUpdate",
        "action": action,
        "id": f"f:{next(_ids)}",
        "timestamp": "2026-11-23T08:55:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": PAT,
        "conversation": conversation,
        "recipient": BOT,
        "channelData": {"tenant": {"id": TENANT}, "source": {"name": "message"}},
    }


def bot_removed_from_channel(service_url: str) -> dict[str, Any]:
    """The conversationUpdate Teams sends when scrbot is removed from a team."""
    activity = bot_added_to_team(service_url)
    activity.pop("membersAdded")
    activity["conversation"]["id"] = CHANNEL
    activity["membersRemoved"] = [{"id": BOT["id"]}]
    activity["channelData"]["eventType"] = "teamMemberRemoved"
    return activity


def card_execute(
    service_url: str,
    verb: str,
    data: dict[str, Any],
    *,
    card_id: str = "1763888399999",
    in_channel: bool = False,
    sender: dict[str, Any] = PAT,
) -> dict[str, Any]:
    """An Adaptive Card Action.Execute press (Universal Actions): an adaptiveCard/action invoke,
    the button's data merged with the card's inputs."""
    if in_channel:
        activity = channel_mention(service_url, "", sender, thread=card_id)
        activity["entities"] = activity["entities"][1:]
    else:
        activity = personal_message(service_url, "", sender)
    activity.pop("text")
    activity.update(
        type="invoke",
        name="adaptiveCard/action",
        replyToId=card_id,
        value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
    )
    return activity
