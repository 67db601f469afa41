"""Unsigned requests with odd bodies or headers are refused (400 or 401), never a 500, before
anything runs: no row stored, no Slack call made."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

FORM, JSON = "application/x-www-form-urlencoded", "application/json"
BAD_HEADERS = {"X-Slack-Request-Timestamp": "not-a-number", "X-Slack-Signature": "v0=00"}

CASES = {
    "not JSON": ("{not json", JSON, {}),
    "a JSON list": ("[1, 2]", JSON, {}),
    "JSON null": ("null", JSON, {}),
    "a payload that is not JSON": ("payload=%7Bbad", FORM, {}),
    "a payload that is a list": (urlencode({"payload": "[]"}), FORM, {}),
    "bytes that are not UTF-8": ("\udcff\udcfe", JSON, {}),
    "a timestamp that is not a number": ("{}", JSON, BAD_HEADERS),
    "an interaction with a null type": (urlencode({"payload": json.dumps({"type": None})}), FORM, {}),
    "an interaction with a numeric type": (urlencode({"payload": json.dumps({"type": 7})}), FORM, {}),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_an_unsigned_request_of_an_odd_shape_is_refused_not_a_500(fuzz_slack, case):
    body, content_type, headers = CASES[case]
    response = await fuzz_slack.session.post(
        fuzz_slack.server.make_url("/slack/events"),
        data=body.encode("utf-8", "surrogateescape"),
        headers={"Content-Type": content_type, **headers},
    )
    text = await response.text()
    assert response.status in (400, 401), f"HTTP {response.status}: {text[:200]}"
    assert "Traceback" not in text
    await fuzz_slack.settle()
    assert fuzz_slack.fake.calls == [] and fuzz_slack.fake.responses == []
    assert set((await fuzz_slack.row_counts()).values()) == {0}
