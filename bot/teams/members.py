"""Who is in a Teams channel or chat, for the report's participation: the Bot Connector's
conversation members (GET {serviceUrl}/v3/conversations/{id}/members, a list of accounts),
asked through the conversation reference the store keeps for proactive posts.

Only member ids leave here, never names; bots (ids starting "28:", scrbot among them) are
left out, as Slack's lookup leaves out scrbot's own user.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import ClientError, ClientResponseError
from microsoft_agents.activity import ChannelAccount, ConversationReference
from microsoft_agents.hosting.core import ChannelServiceAdapter, ConnectorClientBase
from pydantic import ValidationError

from bot.reflections.service import store_errors
from bot.teams.activities import PLATFORM, account_id, base_conversation_id
from bot.teams.connector import DEAD_ENDS, with_connector

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger("scrbot.teams.members")

BOT_ID_PREFIX = "28:"  # a bot's Teams id: "28:" and its app id; people are "29:..." or "8:orgid:..."


def is_bot(account: ChannelAccount, bot_id: str | None = None) -> bool:
    """True for a bot's account (scrbot's own, `bot_id`, or any other app's)."""
    return (account.id or "").startswith(BOT_ID_PREFIX) or (bot_id is not None and account.id == bot_id)


class TeamsMembers:
    """A reports.Members for Teams: (tenant, conversation) -> its members' ids, or None when
    Teams will not say (no reference kept, scrbot removed, conversation deleted)."""

    def __init__(
        self,
        adapter: ChannelServiceAdapter,
        app_id: str | None,
        store: Store,
        service_url: str | None = None,
    ):
        self.adapter = adapter
        self.app_id = app_id
        self.store = store
        # Where to ask about a conversation with no kept reference: the service URL of the
        # activity that asked for the report (one per tenant's region), when there is one.
        self.service_url = service_url

    async def reference(self, workspace_id: str, conversation_id: str) -> ConversationReference | None:
        """The conversation's reference: kept at install, or with its schedule, or (failing both)
        made from the asking activity's service URL; None when there is none."""
        conversation_id = base_conversation_id(conversation_id)
        with store_errors():
            kept = await self.store.get_conversation(PLATFORM, workspace_id, conversation_id)
            ref: dict[str, Any] | None = kept.conversation_ref if kept is not None else None
            if not ref:
                subscription = await self.store.get_subscription(PLATFORM, workspace_id, conversation_id)
                ref = subscription.conversation_ref if subscription is not None else None
        if not ref and self.service_url:
            ref = {
                "channelId": "msteams",
                "serviceUrl": self.service_url,
                "conversation": {"id": conversation_id, "tenantId": workspace_id},
            }
        if not ref:
            return None
        try:
            reference = ConversationReference.model_validate(ref)
        except ValidationError:
            return None
        return reference if reference.service_url and reference.conversation.id else None

    async def __call__(self, workspace_id: str, conversation_id: str) -> list[str] | None:
        reference = await self.reference(workspace_id, conversation_id)
        if reference is None:
            log.info("no Teams conversation reference kept for %s: its participation is left out", conversation_id)
            return None
        return await self.of(reference)

    async def of(self, reference: ConversationReference) -> list[str] | None:
        """The members' ids of the referenced conversation, without bots; None if Teams refused."""
        conversation_id = base_conversation_id(reference.conversation.id)

        async def ask(connector: ConnectorClientBase) -> list[ChannelAccount]:
            return await connector.conversations.get_conversation_members(conversation_id)

        try:
            accounts = await with_connector(self.adapter, self.app_id, reference, ask)
        except ClientResponseError as exc:
            reason = DEAD_ENDS.get(exc.status, f"HTTP {exc.status}")
            log.warning("Teams would not list the members of %s (%s): participation left out", conversation_id, reason)
            return None
        except (ClientError, TimeoutError, ValueError) as exc:
            log.warning(
                "Teams members lookup failed for %s (%s): participation left out", conversation_id, type(exc).__name__
            )
            return None
        bot_id = reference.agent.id if reference.agent is not None else None
        return [account_id(account) for account in accounts or [] if not is_bot(account, bot_id)]
