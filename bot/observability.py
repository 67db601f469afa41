"""Metrics, request ids and structured logs: how an operator sees what a running scrbot does.

Other modules record what happens through the names exported here, e.g.::

    from bot.observability import ANSWER_LATENCY, PROMPTS, REFLECTIONS_SAVED, STORE_ERRORS

    with ANSWER_LATENCY.time():            # around producing one answer
        reply = conversation.reply(text)
    PROMPTS.labels("posted").inc()         # or record_prompt("posted" | "failed" | "skipped")
    REFLECTIONS_SAVED.inc()                # never log the reflection's text
    STORE_ERRORS.inc()                     # where a store call failed and we carried on

Metrics live in one registry of our own (`REGISTRY`), served at /metrics by the server.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import traceback
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO

from aiohttp import web
from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.exposition import choose_encoder

log = logging.getLogger("scrbot.http")

# -- metrics -----------------------------------------------------------------------------------

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)  # process_resident_memory_bytes, cpu seconds, open fds
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

REQUEST_KINDS = (
    "slack_event",
    "slack_command",
    "slack_action",
    "slack_view",
    "slack_other",
    "teams",
    "health",
    "metrics",
    "other",
)
PROMPT_OUTCOMES = ("posted", "failed", "skipped")

REQUESTS = Counter("scrbot_requests", "HTTP requests received, by kind", ["kind"], registry=REGISTRY)
ANSWER_LATENCY = Histogram(
    "scrbot_answer_latency_seconds",
    "Time to produce one answer to a question",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
PROMPTS = Counter(
    "scrbot_prompts",
    "Weekly prompts, by outcome (posted, failed, skipped)",
    ["outcome"],
    registry=REGISTRY,
)
REFLECTIONS_SAVED = Counter("scrbot_reflections_saved", "Reflections saved", registry=REGISTRY)
STORE_ERRORS = Counter("scrbot_store_errors", "Store (database) operations that failed", registry=REGISTRY)

# Every label value shows up at 0 from the start, so dashboards and alerts never see a gap;
# the children are kept, so counting a request is one increment (it is on every ack's path).
_REQUESTS_BY_KIND = {_kind: REQUESTS.labels(_kind) for _kind in REQUEST_KINDS}
for _outcome in PROMPT_OUTCOMES:
    PROMPTS.labels(_outcome)


def record_request(kind: str) -> None:
    """Count one HTTP request of `kind` (one of REQUEST_KINDS; anything else counts as other)."""
    (_REQUESTS_BY_KIND.get(kind) or _REQUESTS_BY_KIND["other"]).inc()


def record_prompt(outcome: str) -> None:
    """Count one weekly prompt as "posted", "failed" or "skipped"."""
    if outcome not in PROMPT_OUTCOMES:
        raise ValueError(f"prompt outcome must be one of {PROMPT_OUTCOMES}, not {outcome!r}")
    PROMPTS.labels(outcome).inc()


def record_reflection_saved() -> None:
    """Count one reflection written to the store."""
    REFLECTIONS_SAVED.inc()


def record_store_error() -> None:
    """Count one store operation that failed."""
    STORE_ERRORS.inc()


def metrics_text() -> bytes:
    """Every metric in the Prometheus text format."""
    return generate_latest(REGISTRY)


async def metrics(request: web.Request) -> web.Response:
    """GET /metrics, in the text format the scraper asks for (Prometheus 0.0.4 by default)."""
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return web.Response(body=encode(REGISTRY), headers={"Content-Type": content_type})


# -- request ids -------------------------------------------------------------------------------

REQUEST_ID: ContextVar[str] = ContextVar("scrbot_request_id", default="-")
REQUEST_ID_HEADER = "X-Request-Id"
_GOOD_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_QUIET_KINDS = {"health", "metrics"}  # probes and scrapes would drown the log at INFO


def request_id_from(given: str | None) -> str:
    """The caller's X-Request-Id when it is a sane token, else a fresh one."""
    return given if given and _GOOD_REQUEST_ID.fullmatch(given) else os.urandom(16).hex()  # as random as uuid4


REQUEST_KIND = web.RequestKey("scrbot_request_kind", str)


@web.middleware
async def request_context(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Give each request an id (for logs and the response header) and count it by kind.

    Nothing here reads the body: the kind comes from the path and headers, and the Slack
    endpoint refines it (command, action, view) only after the signature has been verified."""
    request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    token = REQUEST_ID.set(request_id)
    started = time.monotonic()
    status = 500
    request[REQUEST_KIND] = request_kind(request)
    try:
        response = await handler(request)
        status = response.status
        response.headers[REQUEST_ID_HEADER] = request_id
        return response
    except web.HTTPException as exc:
        status = exc.status
        exc.headers[REQUEST_ID_HEADER] = request_id
        raise
    finally:
        kind = request[REQUEST_KIND]
        record_request(kind)
        level = logging.DEBUG if kind in _QUIET_KINDS and status < 400 else logging.INFO
        if log.isEnabledFor(level):
            log.log(
                level,
                "%s %s %d %.0fms kind=%s",
                request.method,
                request.path,
                status,
                (time.monotonic() - started) * 1000,
                kind,
            )
        REQUEST_ID.reset(token)


def request_kind(request: web.Request) -> str:
    """Which kind of request this is, from its path and headers alone."""
    path = request.path
    if path in ("/healthz", "/readyz"):
        return "health"
    if path == "/metrics":
        return "metrics"
    if path.startswith("/slack/"):
        is_event = request.method == "POST" and request.content_type == "application/json"
        return "slack_event" if is_event else "slack_other"
    if path.startswith("/teams/") or path == "/api/messages":
        return "teams"
    return "other"


def slack_kind(body: object) -> str:
    """The kind of a verified Slack request, from the body bolt has already parsed."""
    if not isinstance(body, dict):
        return "slack_other"
    if "command" in body:
        return "slack_command"
    if body.get("type") == "event_callback":
        return "slack_event"
    payload_type = str(body.get("type") or "")
    if payload_type.startswith("view_"):
        return "slack_view"
    if payload_type in ("block_actions", "shortcut", "message_action", "interactive_message"):
        return "slack_action"
    return "slack_other"


# -- logs --------------------------------------------------------------------------------------

# bolt puts request bodies in a few messages (a failed signature at INFO, a middleware that
# neither answered nor called next at WARNING, an unhandled request's outline): cut them off.
BODY_LOGGERS = ("scrbot.bolt", "slack_bolt")
_REQUEST_BODY = re.compile(r"(body: |for the request \(|Unhandled request \().*", re.DOTALL)
_SLACK_TOKEN = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+")
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
REDACTED = "[redacted]"


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with Slack tokens, URL passwords and each of `secrets` replaced."""
    text = _SLACK_TOKEN.sub(REDACTED, text)
    text = _URL_PASSWORD.sub(rf"\1{REDACTED}@", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record so no token or known secret reaches any output."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Short values would redact ordinary words; real secrets are long.
        self.secrets = tuple(s for s in secrets if s and len(s) >= 8)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.name.startswith(BODY_LOGGERS):
            message = _REQUEST_BODY.sub(r"\1[request body not logged]", message)
        record.msg = redact(message, self.secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id (and exception)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"


def configure_logging(
    json: bool | None = None,
    *,
    secrets: Iterable[str | None] = (),
    level: int = logging.INFO,
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Send every log record to stderr: JSON lines when it is not a terminal, text when it is.

    `secrets` (e.g. the signing secret) are redacted wherever they appear, as are Slack tokens.
    Calling it again replaces the handler it installed before.
    """
    stream = stream or sys.stderr
    if json is None:
        json = not (hasattr(stream, "isatty") and stream.isatty())
    handler = logging.StreamHandler(stream)
    handler.set_name("scrbot")
    handler.addFilter(RedactingFilter(s for s in secrets if s))
    handler.setFormatter(JsonFormatter() if json else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "scrbot"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # SQLAlchemy echoes every statement with its parameters at INFO (the drivers at DEBUG), and
    # those parameters include reflection text: keep them at WARNING whatever scrbot's level.
    for name in DRIVER_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    # At DEBUG the Teams SDK and MSAL log whole activities and token exchanges: never below INFO,
    # whatever scrbot's level. (slack_sdk's wire log stays: bot/slack/reflections.py keeps
    # reflection text out of it, and bolt's body-carrying lines are cut by RedactingFilter.)
    for name in SDK_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    return handler


DRIVER_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool")
SDK_LOGGERS = ("microsoft_agents", "msal")
