"""Request bodies over MAX_BODY_BYTES are refused with 413 before anything parses them: bolt
never sees them, nothing is stored or sent, and the server does not wait for the rest."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.server import MAX_BODY_BYTES, SLACK_APP

FORM, JSON = "application/x-www-form-urlencoded", "application/json"


@pytest.fixture
def dispatched(fuzz_slack, monkeypatch):
    """Every request that reached bolt's dispatcher."""
    bolt = fuzz_slack.server.app[SLACK_APP]
    seen: list = []
    original = bolt.async_dispatch

    async def counting(request):
        seen.append(request)
        return await original(request)

    monkeypatch.setattr(bolt, "async_dispatch", counting)
    return seen


async def nothing_happened(harness) -> None:
    await harness.settle()
    assert harness.fake.calls == [] and harness.fake.responses == []
    assert set((await harness.row_counts()).values()) == {0}


@pytest.mark.parametrize("content_type", [JSON, FORM])
async def test_a_signed_body_over_the_limit_is_refused_before_bolt_reads_it(fuzz_slack, dispatched, content_type):
    payload = {
        "type": "event_callback",
        "team_id": "T1",
        "event_id": "EvBig",
        "event": {
            "type": "app_mention",
            "user": "U1",
            "channel": "C1",
            "ts": "1.1",
            "text": "<@UBOT> what is neglect " + "x" * MAX_BODY_BYTES,
        },
    }
    body = json.dumps(payload) if content_type == JSON else "payload=" + json.dumps(payload)
    response = await fuzz_slack.post(body, content_type)  # correctly signed
    assert response.status == 413
    assert dispatched == []
    await nothing_happened(fuzz_slack)


async def test_a_body_just_under_the_limit_is_read(fuzz_slack, dispatched):
    body = json.dumps({"type": "url_verification", "challenge": "c" * (MAX_BODY_BYTES - 100), "token": "x"})
    assert len(body) < MAX_BODY_BYTES
    response = await fuzz_slack.post(body, JSON)
    assert response.status == 200 and len(dispatched) == 1


async def test_a_chunked_body_over_the_limit_is_refused(fuzz_slack, dispatched):
    async def chunks():
        for _ in range(40):
            yield b"x" * 65536  # 2.5 MiB in all, with no Content-Length

    response = await fuzz_slack.session.post(
        fuzz_slack.server.make_url("/slack/events"), data=chunks(), headers={"Content-Type": JSON}
    )
    assert response.status == 413
    assert dispatched == []
    await nothing_happened(fuzz_slack)


@pytest.mark.parametrize("content_type", [JSON, FORM])
async def test_a_huge_announced_body_is_refused_without_waiting_for_all_of_it(fuzz_slack, dispatched, content_type):
    announced = 64 * 1024 * 1024
    reader, writer = await asyncio.open_connection(fuzz_slack.server.host, fuzz_slack.server.port)
    writer.write(
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {announced}\r\nX-Slack-Request-Timestamp: 1\r\nX-Slack-Signature: v0=0\r\n\r\n".encode()
    )
    sent, status_line = 0, b""
    try:
        while sent < 8 * MAX_BODY_BYTES:
            writer.write(b"x" * 65536)
            sent += 65536
            await writer.drain()
            try:
                status_line = await asyncio.wait_for(reader.readline(), 0.01)
                break
            except TimeoutError:
                continue
        if not status_line:
            status_line = await asyncio.wait_for(reader.readline(), 5)
    finally:
        writer.close()
    assert b" 413 " in status_line, status_line
    assert sent <= 4 * MAX_BODY_BYTES, f"the server read {sent} bytes of {announced} before refusing"
    assert dispatched == []
    await nothing_happened(fuzz_slack)
