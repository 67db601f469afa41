"""A small real Slack Web API on 127.0.0.1 that records every call and can be told to fail.

Tests point the real slack_sdk client at it. It answers the methods scrbot uses, enforces
nothing by default, and can be scripted to answer 429 with Retry-After, API errors for a
method or a channel, or an optional per-channel rate limit (for the fan-out benchmark).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeSlack:
    def __init__(self, team_id: str = "T1", bot_user: str = "UBOT", bot_id: str = "BBOT"):
        self.team_id, self.bot_user, self.bot_id = team_id, bot_user, bot_id
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []  # posts to response_url
        self._failures: dict[str, list[tuple[str, float]]] = defaultdict(list)  # method -> [(error, argument)]
        self.channel_errors: dict[str, str] = {}
        self.channel_members: dict[str, list[str]] = defaultdict(lambda: ["U1", "U2", self.bot_user])
        self.history: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.revoked = False
        self.per_channel_interval: float = 0.0  # seconds between posts allowed per channel
        self.workspace_per_second: int = 0  # posts allowed per one-second window (0: unlimited)
        self._window: tuple[int, int] = (0, 0)  # (window second, posts in it)
        self.limited_count = 0
        self._last_post: dict[str, float] = {}
        self._ts = itertools.count(1)
        self._changed = asyncio.Event()
        self.server: TestServer | None = None
        self.uploads: dict[str, bytes] = {}  # file id -> bytes posted to its upload URL

    # scripting -------------------------------------------------------------------------------
    def fail(self, method: str, error: str, times: int = 1) -> None:
        self._failures[method] += [(error, 0)] * times

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        self._failures[method] += [("ratelimited", retry_after)] * times

    def server_error(self, method: str, status: int = 500, times: int = 1) -> None:
        """Answer HTTP `status` (an HTML page, as a load balancer would) without doing anything."""
        self._failures[method] += [("http", status)] * times

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        """Do the work at once (a post is in the channel), but answer only after `seconds`:
        the caller may time out not knowing its message went out."""
        self._failures[method] += [("slow", seconds)] * times

    # inspection ------------------------------------------------------------------------------
    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:  # noqa: ASYNC109 (polls until a deadline; the failure names what never came)
        deadline = time.monotonic() + timeout
        while len(self.of(method)) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"expected {count} {method} call(s), got {len(self.of(method))}: {self.calls}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                pass
        return self.of(method)

    async def wait_for_responses(self, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:  # noqa: ASYNC109 (polls until a deadline; the failure names what never came)
        deadline = time.monotonic() + timeout
        while len(self.responses) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} response_url post(s), got {len(self.responses)}")
            await asyncio.sleep(0.01)
        return self.responses

    # server ----------------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/api/"))

    def response_url(self, name: str = "r1") -> str:
        assert self.server is not None
        return str(self.server.make_url(f"/response/{name}"))

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/_counts", self._counts)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        if request.content_type == "application/json":
            params = json.loads(raw or "{}")
        else:
            params = dict(parse_qsl(raw))
            for key in ("blocks", "view", "metadata", "files"):
                if isinstance(params.get(key), str):
                    try:
                        params[key] = json.loads(params[key])
                    except ValueError:
                        pass
        params.update(dict(request.query))
        return params

    async def _counts(self, request: web.Request) -> web.Response:
        """For benchmarks running the fake in another process: posts per channel, 429s sent."""
        per_channel = {channel: len(messages) for channel, messages in self.history.items()}
        return web.json_response({"per_channel": per_channel, "limited": self.limited_count})

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL that files.getUploadURLExternal hands out (files upload v2)."""
        self.uploads[request.match_info["file_id"]] = await request.read()
        self._changed.set()
        return web.Response(text="OK - 1")

    async def _response(self, request: web.Request) -> web.Response:
        self.responses.append(await request.json())
        self._changed.set()
        return web.Response(text="ok")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append(Call(method, params))
        self._changed.set()
        if self.revoked and method != "auth.test":
            return web.json_response({"ok": False, "error": "token_revoked"})
        queued = self._failures.get(method)
        if queued and queued[0][0] == "slow":
            _, delay = queued.pop(0)
            response = await self._answer(method, params)
            await asyncio.sleep(delay)
            return response
        if queued:
            error, retry_after = queued.pop(0)
            if error == "http":
                return web.Response(status=int(retry_after), text="<html>Server error</html>", content_type="text/html")
            if error == "ratelimited":
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(int(retry_after))}
                )
            return web.json_response({"ok": False, "error": error})
        return await self._answer(method, params)

    async def _answer(self, method: str, params: dict[str, Any]) -> web.Response:
        channel = params.get("channel")
        if channel and channel in self.channel_errors:
            return web.json_response({"ok": False, "error": self.channel_errors[channel]})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        body = handler(params) if handler else {}
        if isinstance(body, web.Response):
            return body
        return web.json_response({"ok": True, **body})

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.revoked:
            return {"ok": False, "error": "token_revoked"}
        return {
            "user_id": self.bot_user,
            "bot_id": self.bot_id,
            "team_id": self.team_id,
            "team": "Test",
            "user": "scrbot",
        }

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        channel = params.get("channel", "")
        if self.workspace_per_second:
            now = time.monotonic()
            second = int(now)
            window, count = self._window
            count = count if window == second else 0
            if count >= self.workspace_per_second:
                self.limited_count += 1
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
                )
            self._window = (second, count + 1)
        if self.per_channel_interval:
            now = time.monotonic()
            last = self._last_post.get(channel)
            if last is not None and now - last < self.per_channel_interval:
                wait = max(1, int(self.per_channel_interval - (now - last) + 0.999))
                self.limited_count += 1
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(wait)}
                )
            self._last_post[channel] = now
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        message = {"ts": ts, "text": params.get("text"), "metadata": params.get("metadata"), "bot_id": self.bot_id}
        self.history[channel].insert(0, message)
        return {"channel": channel, "ts": ts, "message": message}

    def _chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": f"{int(time.time())}.{next(self._ts):06d}"}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = params.get("channel", ""), params.get("ts", "")
        for message in self.history[channel]:
            if message["ts"] == ts:
                message["text"] = params.get("text")
        return {"channel": channel, "ts": ts, "text": params.get("text")}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view") or {}
        return {"view": {**view, "id": f"V{next(self._ts):06d}", "team_id": self.team_id}}

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        # .get, not [], so that reading a channel never makes it look posted to in _counts
        messages = self.history.get(params.get("channel", ""), [])
        return {"messages": messages[: int(params.get("limit", 100))], "has_more": False}

    def _conversations_members(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"members": self.channel_members[params.get("channel", "")], "response_metadata": {"next_cursor": ""}}

    def _conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel", "")
        return {
            "channel": {
                "id": channel,
                "is_member": self.bot_user in self.channel_members[channel],
                "is_archived": False,
            }
        }

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = params.get("user", "")
        return {
            "user": {
                "id": user,
                "tz": "Europe/London",
                "is_admin": user.startswith("UADMIN"),
                "is_owner": user.startswith("UOWNER"),
            }
        }

    def _views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"view": {**(params.get("view") or {}), "id": params.get("view_id") or "V0"}}

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"view": {**(params.get("view") or {}), "id": f"VH{next(self._ts):06d}", "type": "home"}}

    def _reactions_add(self, params: dict[str, Any]) -> dict[str, Any]:
        return {}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(params.get("users", "")).split(",")[0]}}

    def _files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        assert self.server is not None
        file_id = f"F{next(self._ts):06d}"
        return {"upload_url": str(self.server.make_url(f"/upload/{file_id}")), "file_id": file_id}

    def _files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files") or []
        return {"files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}


async def _serve_forever(port: int, per_second: int, per_channel_interval: float) -> None:
    fake = FakeSlack()
    fake.workspace_per_second = per_second
    fake.per_channel_interval = per_channel_interval
    app = web.Application()
    app.router.add_post("/api/{method}", fake._api)
    app.router.add_get("/api/{method}", fake._api)
    app.router.add_get("/_counts", fake._counts)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the fake Slack Web API alone (for benchmarks).")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--per-second", type=int, default=0)
    parser.add_argument("--per-channel-interval", type=float, default=0.0)
    options = parser.parse_args()
    asyncio.run(_serve_forever(options.port, options.per_second, options.per_channel_interval))
