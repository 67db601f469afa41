"""The Bot Connector client the adapter sends through, with one repair: no `"id": null`.

The SDK's adapter sets `activity.id = None` on every activity it sends, after the send hooks,
and copies the incoming activity's id into `replyToId`, None when the activity had none. The
connector client then serialises every field that was *set*, so those Nones go out as
`"id": null` / `"replyToId": null`, which the Agents Playground's connector (and Teams' own
schema, where both are optional strings) refuses with 400. The wrapper here drops them just
before the activity is posted; everything else passes through unchanged.

`with_connector` runs a call (a proactive post, a members lookup) with that client, outside
any incoming turn, for a stored conversation reference.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from microsoft_agents.activity import Activity, ConversationReference, ResourceResponse
from microsoft_agents.hosting.core import (
    AuthenticationConstants,
    ChannelServiceAdapter,
    ClaimsIdentity,
    ConnectorClientBase,
    RestChannelServiceClientFactory,
    TurnContext,
)

T = TypeVar("T")
# Connector answers that mean "this conversation cannot be reached until someone acts".
DEAD_ENDS = {
    403: "bot_not_in_conversation",  # scrbot was removed from the team or chat
    404: "conversation_not_found",  # the channel or chat was deleted
}

OPTIONAL_IDS = ("id", "reply_to_id")  # optional strings: left out, never null


def without_null_ids(activity: Activity) -> Activity:
    """A copy of `activity` in which an id or replyToId that is None is unset, so it is left
    out of the body instead of being sent as null."""
    copy = activity.model_copy()
    for name in OPTIONAL_IDS:
        if getattr(copy, name) is None:
            copy.model_fields_set.discard(name)
    return copy


class WellFormedConversations:
    """The SDK's conversation operations; new posts and replies leave out null ids."""

    def __init__(self, inner: Any):
        self._inner = inner

    def __getattr__(self, name: str) -> Any:  # every other operation, as the SDK has it
        return getattr(self._inner, name)

    async def send_to_conversation(self, conversation_id: str, body: Activity) -> ResourceResponse:
        return await self._inner.send_to_conversation(conversation_id, without_null_ids(body))

    async def reply_to_activity(self, conversation_id: str, activity_id: str, body: Activity) -> ResourceResponse:
        return await self._inner.reply_to_activity(conversation_id, activity_id, without_null_ids(body))


class WellFormedConnectorClient(ConnectorClientBase):
    """A connector client whose conversations are WellFormedConversations; the rest (attachments,
    the Teams operations, close) is the SDK's client itself."""

    def __init__(self, inner: ConnectorClientBase):
        self._inner = inner
        self._conversations = WellFormedConversations(inner.conversations)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    @property
    def base_uri(self) -> str:
        return self._inner.base_uri

    @property
    def attachments(self) -> Any:
        return self._inner.attachments

    @property
    def conversations(self) -> Any:
        return self._conversations

    async def close(self) -> None:
        await self._inner.close()


class WellFormedClientFactory(RestChannelServiceClientFactory):
    """The SDK's client factory (tokens, service URLs), handing out WellFormedConnectorClients."""

    async def create_connector_client(self, *args: Any, **kwargs: Any) -> ConnectorClientBase:
        return WellFormedConnectorClient(await super().create_connector_client(*args, **kwargs))


async def with_connector(
    adapter: ChannelServiceAdapter,
    app_id: str | None,
    reference: ConversationReference,
    call: Callable[[ConnectorClientBase], Awaitable[T]],
) -> T | None:
    """`call` with the adapter's connector client for the reference's service URL, in a proactive
    turn; what it returns (None if the adapter never ran it), and what it raises, reach the caller."""
    done: list[T] = []
    failed: list[BaseException] = []

    async def turn(turn_context: TurnContext) -> None:
        # Caught here to reach our caller: the adapter's turn-error handler would swallow it.
        try:
            # The adapter keys its connector client by this abstract class.
            connector = turn_context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
            if connector is None:
                raise RuntimeError("the adapter gave the proactive turn no connector client")
            done.append(await call(connector))
        except Exception as exc:  # re-raised below, after the adapter has cleaned up
            failed.append(exc)

    continuation = reference.get_continuation_activity()
    if app_id:
        await adapter.continue_conversation(app_id, continuation, turn)
    else:  # anonymous, for the Emulator and tests: no token on outgoing calls
        await adapter.continue_conversation_with_claims(
            ClaimsIdentity(),
            continuation,
            turn,
            audience=AuthenticationConstants.AGENTS_SDK_SCOPE,
        )
    if failed:
        raise failed[0]
    return done[0] if done else None
