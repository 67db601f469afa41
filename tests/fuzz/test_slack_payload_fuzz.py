"""Signed Slack requests with random or missing fields, through the running app: never a 5xx,
never a traceback in a response, an ack inside Slack's 3 seconds, and no unhandled error behind
the ack. Unsigned and forged requests: refused, and nothing stored or sent."""

from __future__ import annotations

import itertools
import json
import logging
import time

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.fuzz.budget import fuzz_settings
from tests.fuzz.harness import describe
from tests.fuzz.payloads import as_request, json_values, realistic, shapeless
from tests.fuzz.text import any_text

KINDS = ["event", "command", "action", "view"]
ACK_LIMIT = 3.0
# Markup the fuzzers type (tests/fuzz/text.py); none of it may reach Slack unescaped.
TYPED_MARKUP = ["<!channel>", "<!here>", "<!everyone>", "<@U123>", "<#C123|general>", "<https://evil.example"]
NO_ACK = "didn't call ack()"  # bolt's warning when a listener failed before acknowledging
_event_ids = itertools.count(1)


def fresh_event_id(payload):
    """Each example is a new event: a repeated id would be dropped as a Slack retry, untested."""
    if isinstance(payload, dict) and payload.get("event_id") == "Ev1":
        payload["event_id"] = f"EvFuzz{next(_event_ids)}"
    return payload


async def send(harness, kind, payload, **kwargs):
    body, content_type = as_request(kind, fresh_event_id(payload), harness.fake.response_url())
    started = time.monotonic()
    response = await harness.post(body, content_type, **kwargs)
    return response, await response.text(), time.monotonic() - started


def shown_text(message: dict) -> list:
    """What people see of a message, modal or Home tab (not the API call's other parameters)."""
    return [message.get(key) for key in ("text", "blocks", "view", "attachments")]


def assert_answered_safely(status: int, text: str) -> None:
    assert status < 500, f"HTTP {status}: {text[:300]}"
    assert "Traceback" not in text and 'File "' not in text, text[:500]


@pytest.mark.parametrize("kind", KINDS)
@fuzz_settings(share=0.5)
@given(data=st.data())
async def test_signed_payloads_with_missing_or_changed_fields_are_handled(fuzz_slack, kind, data):
    payload = data.draw(realistic(kind), label="payload")
    fuzz_slack.errors.take()
    calls, responses = len(fuzz_slack.fake.calls), len(fuzz_slack.fake.responses)
    response, text, elapsed = await send(fuzz_slack, kind, payload)
    await fuzz_slack.settle()
    assert_answered_safely(response.status, text)
    assert elapsed < ACK_LIMIT, f"acknowledged after {elapsed:.1f}s"
    event(f"HTTP {response.status}")
    problems = [r for r in fuzz_slack.errors.take() if r.levelno >= logging.ERROR or NO_ACK in r.getMessage()]
    assert not problems, describe(problems)
    shown = [shown_text(c.params) for c in fuzz_slack.fake.calls[calls:]]
    shown += [shown_text(r) for r in fuzz_slack.fake.responses[responses:]]
    assert not [m for m in TYPED_MARKUP if m in json.dumps(shown)], "markup typed by a user came alive in a message"


@pytest.mark.parametrize("kind", KINDS)
@fuzz_settings(share=0.5)
@given(data=st.data())
async def test_signed_payloads_of_any_shape_never_get_a_5xx(fuzz_slack, kind, data):
    response, text, elapsed = await send(fuzz_slack, kind, data.draw(shapeless(kind), label="payload"))
    assert_answered_safely(response.status, text)
    assert elapsed < ACK_LIMIT, f"answered after {elapsed:.1f}s"
    await fuzz_slack.settle()
    # Still serving: an ordinary question is answered.
    before = len(fuzz_slack.fake.of("chat.postMessage"))
    mention = {
        "type": "event_callback",
        "team_id": "T1",
        "event_id": "Ev1",
        "event": {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "5.5", "text": "<@UBOT> neglect"},
    }
    response, _, _ = await send(fuzz_slack, "event", mention)
    assert response.status == 200
    await fuzz_slack.fake.wait_for("chat.postMessage", before + 1)


@fuzz_settings(share=0.5)
@given(
    body=st.one_of(any_text, json_values.map(lambda v: __import__("json").dumps(v)), st.binary(max_size=300)),
    content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", ""]),
)
async def test_signed_bodies_that_are_not_slack_payloads_are_refused(fuzz_slack, body, content_type):
    if isinstance(body, bytes):
        body = body.decode("latin-1")
    response = await fuzz_slack.post(body.encode("utf-8", "surrogatepass").decode("utf-8", "replace"), content_type)
    text = await response.text()
    assert_answered_safely(response.status, text)


FORGERIES = {
    "unsigned": {"sign": False},
    "wrong secret": {"secret": "not-the-signing-secret"},
    "stale": {"timestamp": int(time.time()) - 301},
    "signature of another body": None,
    "bad header": {
        "sign": False,
        "headers": {"X-Slack-Request-Timestamp": "not-a-number", "X-Slack-Signature": "v0=0"},
    },
}


@pytest.mark.parametrize("kind", KINDS)
@fuzz_settings(share=0.25)
@given(data=st.data(), forgery=st.sampled_from(sorted(FORGERIES)))
async def test_unsigned_or_forged_requests_store_nothing_and_send_nothing(fuzz_slack, kind, data, forgery):
    payload = data.draw(st.one_of(realistic(kind), shapeless(kind)), label="payload")
    body, content_type = as_request(kind, fresh_event_id(payload), fuzz_slack.fake.response_url())
    if forgery == "signature of another body":
        response = await forged_with_other_body(fuzz_slack, body, content_type)
    else:
        response = await fuzz_slack.post(body, content_type, **FORGERIES[forgery])
    text = await response.text()
    assert response.status in (400, 401), f"{forgery}: HTTP {response.status} {text[:200]}"
    assert_answered_safely(response.status, text)
    await fuzz_slack.settle()
    assert fuzz_slack.fake.calls == [] and fuzz_slack.fake.responses == []
    assert set((await fuzz_slack.row_counts()).values()) == {0}


async def forged_with_other_body(harness, body: str, content_type: str):
    from slack_sdk.signature import SignatureVerifier

    from tests.slack.conftest import SECRET

    ts = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body + " ")
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
    response = await harness.session.post(harness.server.make_url("/slack/events"), data=body.encode(), headers=headers)
    await response.read()
    return response
