"""A small real Bot Connector service on 127.0.0.1 that records what the bot sends to Teams.

Tests put its URL in an activity's `serviceUrl` (or a stored conversation reference), so the
real Agents SDK connector client posts replies here:

    POST /v3/conversations/{conversation_id}/activities               a new message
    POST /v3/conversations/{conversation_id}/activities/{reply_to_id}  a reply in a thread
    GET  /v3/conversations/{conversation_id}/members                  the conversation's members

Members are the accounts tests put in `members` (a list of {"id", "name", "aadObjectId"}, as
Teams answers); a conversation with none set answers 404, and `refuse_members` scripts a status.

It answers like Teams ({"id": "<message id>"}) and can be told to fail a conversation with a
status (403 bot removed, 404 channel deleted, 429 throttled with Retry-After). Like the Agents
Playground's connector, it answers 400 to an activity whose `id` or `replyToId` is null (optional
strings there: left out, or a string).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

NOT_NULL = ("id", "replyToId")  # what the playground's activity schema types as optional strings


@dataclass
class Post:
    conversation_id: str
    reply_to_id: str | None
    activity: dict[str, Any]
    authorization: str | None
    id: str = ""
    at: float = field(default_factory=time.monotonic)
    updated: bool = False  # a PUT that replaced activity `reply_to_id` (a card refreshed in place)

    @property
    def card(self) -> dict[str, Any] | None:
        """The first Adaptive Card attached, if any."""
        for attachment in self.activity.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return attachment["content"]
        return None


class FakeConnector:
    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.refused: list[tuple[str, int]] = []  # (conversation id, status) answered with an error
        self._failures: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
        self._ids = itertools.count(1_700_000_000_001)
        self._changed = asyncio.Event()
        self.server: TestServer | None = None
        self.refuse_updates = False  # answer every PUT (update an activity) with 403
        self._hold_next_update = False
        self.update_held = asyncio.Event()  # set while a held PUT waits (see hold_next_update)
        self._another_update = asyncio.Event()
        self.members: dict[str, list[dict[str, Any]]] = {}  # conversation id -> its accounts
        self.members_refused: dict[str, int] = {}  # conversation id -> status for every GET members
        self.member_requests: list[tuple[str, str | None]] = []  # (conversation id, authorization)

    # scripting ---------------------------------------------------------------------------
    def fail(self, conversation_id: str, status: int, times: int = 1, retry_after: str | None = None) -> None:
        """Answer the next `times` posts to this conversation with `status`."""
        self._failures[conversation_id] += [(status, retry_after)] * times

    def refuse_members(self, conversation_id: str, status: int) -> None:
        """Answer every members request for this conversation with `status` (403, 404...)."""
        self.members_refused[conversation_id] = status

    def hold_next_update(self) -> None:
        """Keep the next PUT waiting until another PUT has been applied: two updates of the same
        card arriving out of order, as they can when two people answer at once."""
        self._hold_next_update = True

    # inspection --------------------------------------------------------------------------
    async def wait_for(self, count: int = 1, within: float = 5.0) -> list[Post]:
        deadline = time.monotonic() + within
        while len(self.posts) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"expected {count} post(s) to the connector, got {len(self.posts)}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                pass
        return self.posts

    # server ------------------------------------------------------------------------------
    @property
    def service_url(self) -> str:
        assert self.server is not None, "start() the fake first"
        return str(self.server.make_url("/"))

    async def start(self) -> FakeConnector:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._activity)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{reply_to_id}", self._activity)
        app.router.add_put("/v3/conversations/{conversation_id}/activities/{reply_to_id}", self._update)
        app.router.add_get("/v3/conversations/{conversation_id}/members", self._members)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _members(self, request: web.Request) -> web.Response:
        conversation_id = request.match_info["conversation_id"]
        self.member_requests.append((conversation_id, request.headers.get("Authorization")))
        status = self.members_refused.get(conversation_id)
        if status is None and conversation_id not in self.members:
            status = 404
        if status is not None:
            self.refused.append((conversation_id, status))
            return web.json_response({"error": {"code": str(status), "message": "scripted"}}, status=status)
        return web.json_response(self.members[conversation_id])

    async def _update(self, request: web.Request) -> web.Response:
        if self.refuse_updates:
            return web.json_response({"error": {"code": "Forbidden", "message": "scripted"}}, status=403)
        if self._hold_next_update:
            self._hold_next_update = False
            await self._until_another_update()
        post = Post(
            conversation_id=request.match_info["conversation_id"],
            reply_to_id=request.match_info["reply_to_id"],
            activity=await request.json(),
            authorization=request.headers.get("Authorization"),
            id=request.match_info["reply_to_id"],
            updated=True,
        )
        self.posts.append(post)
        self._changed.set()
        self._another_update.set()
        return web.json_response({"id": post.id})

    async def _until_another_update(self, within: float = 5.0) -> None:
        self._another_update.clear()
        self.update_held.set()
        try:
            await asyncio.wait_for(self._another_update.wait(), within)
        except TimeoutError:
            pass  # none came: apply this one anyway, and the test's assertion says what is shown
        finally:
            self.update_held.clear()

    async def _activity(self, request: web.Request) -> web.Response:
        conversation_id = request.match_info["conversation_id"]
        body = await request.json()
        nulls = [name for name in NOT_NULL if name in body and body[name] is None]
        if nulls:
            self.refused.append((conversation_id, 400))
            self._changed.set()
            message = f"Invalid request body: {', '.join(nulls)} must be a string when present"
            return web.json_response({"error": {"code": "BadArgument", "message": message}}, status=400)
        failures = self._failures.get(conversation_id)
        if failures:
            status, retry_after = failures.pop(0)
            self.refused.append((conversation_id, status))
            self._changed.set()
            headers = {"Retry-After": retry_after} if retry_after else {}
            return web.json_response(
                {"error": {"code": str(status), "message": "scripted failure"}},
                status=status,
                headers=headers,
            )
        post = Post(
            conversation_id=conversation_id,
            reply_to_id=request.match_info.get("reply_to_id"),
            activity=body,
            authorization=request.headers.get("Authorization"),
            id=str(next(self._ids)),
        )
        self.posts.append(post)
        self._changed.set()
        return web.json_response({"id": post.id})
