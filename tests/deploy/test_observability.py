"""/metrics, request ids and structured, redacted logs, seen from outside a running server."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.observability import REDACTED, configure_logging, record_prompt
from bot.server import create_app
from bot.services import Services
from tests.fakes.slack_api import FakeSlack

SECRET = "deploy-test-signing-secret"
NAMED_METRICS = (
    "scrbot_requests_total",
    "scrbot_answer_latency_seconds_bucket",
    "scrbot_prompts_total",
    "scrbot_reflections_saved_total",
    "scrbot_store_errors_total",
    "process_resident_memory_bytes",
)


class Running:
    def __init__(self, server: TestServer, session: aiohttp.ClientSession, fake: FakeSlack):
        self.server, self.session, self.fake = server, session, fake

    async def get(self, path: str, **kwargs) -> tuple[aiohttp.ClientResponse, str]:
        async with self.session.get(self.server.make_url(path), **kwargs) as response:
            return response, await response.text()

    async def slack(self, body: str, content_type: str, **headers: str) -> aiohttp.ClientResponse:
        ts = str(int(time.time()))
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body),
            **headers,
        }
        async with self.session.post(self.server.make_url("/slack/events"), data=body.encode(), headers=signed) as r:
            await r.read()
            return r

    async def command(self, text: str, **headers: str) -> aiohttp.ClientResponse:
        form = {
            "command": "/learn",
            "text": text,
            "user_id": "U1",
            "team_id": "T1",
            "channel_id": "C1",
            "trigger_id": "t1",
            "response_url": self.fake.response_url(),
            "api_app_id": "A1",
            "token": "x",
        }
        return await self.slack(urlencode(form), "application/x-www-form-urlencoded", **headers)

    async def metric(self, line_start: str) -> float:
        _, text = await self.get("/metrics")
        for line in text.splitlines():
            if line.startswith(line_start + " "):
                return float(line.rsplit(" ", 1)[1])
        raise AssertionError(f"{line_start} not in /metrics")


@pytest.fixture
async def running(tmp_path, catalogue, conversation):
    fake = await FakeSlack().start()
    settings = Settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/scrbot.db",
    )
    server = TestServer(create_app(Services(settings, catalogue, conversation), prompts=False), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield Running(server, session, fake)
    await server.close()
    await fake.close()


@pytest.fixture
def log_stream():
    """Route every log record through configure_logging into a string; restore afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    yield stream
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_metrics_expose_every_named_metric_in_prometheus_format(running):
    response, text = await running.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    for name in NAMED_METRICS:
        assert re.search(rf"^{name}(\{{|\s)", text, re.M), name
    for outcome in ("posted", "failed", "skipped"):
        assert f'scrbot_prompts_total{{outcome="{outcome}"}}' in text


async def test_a_slash_command_is_counted_by_kind(running):
    label = 'scrbot_requests_total{kind="slack_command"}'
    before = await running.metric(label)
    response = await running.command("toxic trio")
    assert response.status == 200
    assert await running.metric(label) == before + 1


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (
            {
                "type": "block_actions",
                "actions": [
                    {
                        "action_id": "nothing",
                        "value": "x",
                        "type": "button",
                        "block_id": "b",
                        "action_ts": "1",
                    }
                ],
            },
            "slack_action",
        ),
        ({"type": "view_closed", "view": {"id": "V1", "callback_id": "nothing"}}, "slack_view"),
    ],
)
async def test_interactions_are_counted_as_actions_or_views(running, payload, kind):
    label = f'scrbot_requests_total{{kind="{kind}"}}'
    before = await running.metric(label)
    body = urlencode({"payload": json.dumps({"team": {"id": "T1"}, "user": {"id": "U1"}, **payload})})
    await running.slack(body, "application/x-www-form-urlencoded")
    assert await running.metric(label) == before + 1


async def test_events_and_health_checks_are_counted(running):
    event_label, health_label = (
        'scrbot_requests_total{kind="slack_event"}',
        'scrbot_requests_total{kind="health"}',
    )
    events, health = await running.metric(event_label), await running.metric(health_label)
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "event_id": "EvM1",
            "event_time": int(time.time()),
            "event": {"type": "reaction_added", "user": "U1"},
        }
    )
    await running.slack(body, "application/json")
    await running.get("/healthz")
    await running.get("/readyz")
    assert await running.metric(event_label) == events + 1
    assert await running.metric(health_label) == health + 2


async def test_prompt_counters_recorded_elsewhere_show_up(running):
    before = await running.metric('scrbot_prompts_total{outcome="skipped"}')
    record_prompt("skipped")
    assert await running.metric('scrbot_prompts_total{outcome="skipped"}') == before + 1
    with pytest.raises(ValueError):
        record_prompt("lost")


async def test_request_id_is_echoed_or_made_up(running):
    response, _ = await running.get("/healthz", headers={"X-Request-Id": "req-42"})
    assert response.headers["X-Request-Id"] == "req-42"
    response, _ = await running.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-Id"])
    response, _ = await running.get("/healthz", headers={"X-Request-Id": "bad id\twith spaces"})
    assert response.headers["X-Request-Id"] != "bad id\twith spaces"


async def test_refused_requests_carry_a_request_id_too(running):
    response = await running.slack(
        "{}", "application/json", **{"X-Slack-Signature": "v0=forged", "X-Request-Id": "req-forged"}
    )
    assert response.status == 401
    assert response.headers["X-Request-Id"] == "req-forged"
    response, _ = await running.get("/no-such-page", headers={"X-Request-Id": "req-404"})
    assert response.status == 404 and response.headers["X-Request-Id"] == "req-404"


async def test_logs_are_json_lines_with_the_request_id_when_not_on_a_terminal(running, log_stream):
    configure_logging(stream=log_stream)
    await running.command("neglect", **{"X-Request-Id": "req-json-1"})
    lines = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    assert lines, "something was logged"
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id"} <= set(line)
    (access,) = [line for line in lines if line["logger"] == "scrbot.http"]
    assert access["request_id"] == "req-json-1"
    assert "POST /slack/events 200" in access["message"] and "kind=slack_command" in access["message"]


def test_logs_are_text_with_the_request_id_on_a_terminal(log_stream):
    terminal = Terminal()
    configure_logging(stream=terminal)
    logging.getLogger("scrbot.test").warning("hello %s", "there")
    line = terminal.getvalue()
    assert not line.startswith("{")
    assert "WARNING" in line and "scrbot.test" in line and "hello there" in line and "[-]" in line


def test_slack_tokens_and_secrets_in_log_messages_are_redacted(log_stream):
    configure_logging(json=True, stream=log_stream, secrets=[SECRET, None])
    log = logging.getLogger("scrbot.test")
    log.info("bot token xoxb-1234-5678-abcdEFGH in the message")
    log.info("app token %s as an argument", "xapp-1-A111-222-abc")
    log.info("user token xoxp-9-8-7 and refresh xoxe-1-xyz and admin xoxa-2-abc")
    log.info("the signing secret is %s", SECRET)
    log.info("database postgresql+asyncpg://scrbot:hunter2pass@db:5432/scrbot")
    try:
        raise RuntimeError("failed with xoxb-9999-8888-zzzz")
    except RuntimeError:
        log.exception("posting failed")
    output = log_stream.getvalue()
    for secret in (
        "xoxb-1234",
        "xapp-1-A111",
        "xoxp-9",
        "xoxe-1",
        "xoxa-2",
        SECRET,
        "hunter2pass",
        "xoxb-9999",
    ):
        assert secret not in output, secret
    assert output.count(REDACTED) >= 8
    assert "scrbot:[redacted]@db:5432" in output
    last = json.loads(output.splitlines()[-1])
    assert "RuntimeError" in last["exception"]


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
async def test_database_statements_and_their_parameters_stay_out_of_the_logs(log_stream, tmp_path, level):
    from sqlalchemy import text

    from bot.observability import DRIVER_LOGGERS
    from bot.store import open_store

    levels = {name: logging.getLogger(name).level for name in DRIVER_LOGGERS}
    configure_logging(json=True, stream=log_stream, level=level)
    sentinel = "a reflection nobody else should read"
    store = open_store(f"sqlite+aiosqlite:///{tmp_path}/scrbot.db")
    try:
        async with store.engine.connect() as connection:
            await connection.execute(text("SELECT :words"), {"words": sentinel})
    finally:
        await store.close()
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)
    assert sentinel not in log_stream.getvalue()
    assert "SELECT" not in log_stream.getvalue()


async def test_an_oversized_form_is_still_refused_with_a_request_id(running):
    async with running.session.post(
        running.server.make_url("/slack/events"),
        data=b"payload=" + b"x" * (2 * 1024 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Request-Id": "req-big"},
    ) as response:
        assert response.status == 413
        assert response.headers["X-Request-Id"] == "req-big"


MARKER = "pineapple-zebra-7731"


async def test_no_request_body_reaches_the_log_even_at_debug(running, log_stream):
    configure_logging(json=True, level=logging.DEBUG, stream=log_stream)
    url = running.server.make_url("/slack/events")
    unsigned = json.dumps({"type": "event_callback", "event": {"type": "message", "text": MARKER}})
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    async with running.session.post(url, data=unsigned, headers=headers) as response:
        assert response.status == 401
    direct_message = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": "U1",
        "ts": "1.2",
        "text": f"what is neglect {MARKER}",
    }
    await running.slack(
        json.dumps({"type": "event_callback", "team_id": "T1", "event_id": "EvLog1", "event": direct_message}),
        "application/json",
    )
    await running.fake.wait_for("chat.postMessage")
    await running.command(f"neglect {MARKER}")
    await running.fake.wait_for_responses()
    # bolt's own line for a failed signature, were a request ever to reach it unverified
    logging.getLogger("scrbot.bolt").info(
        "Invalid request signature detected (signature: v0=1, timestamp: 1, body: %s)", MARKER
    )
    text = log_stream.getvalue()
    assert "POST /slack/events" in text  # DEBUG was on and requests were logged
    assert MARKER not in text


def test_the_log_level_is_a_validated_setting():
    from bot.config import ConfigError, load_settings

    assert load_settings({"SCRBOT_LOG_LEVEL": "debug"}).log_level == logging.DEBUG
    assert load_settings({}).log_level == logging.INFO
    with pytest.raises(ConfigError, match="SCRBOT_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR"):
        load_settings({"SCRBOT_LOG_LEVEL": "loud"})
