"""Slack payloads for fuzzing: real shapes of every kind scrbot listens to, with fields dropped,
nulled or given other values of the same JSON type; and shapeless JSON for the hostile runs."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

from bot.slack import reflections as slack_reflections
from tests.fuzz.text import COMMANDS, WORDS, any_char, any_text, message, piece

_MISSING = object()

THEME_VALUES = [
    "neglect",
    "toxic-trio",
    "neglect|C1|2026-W48",
    "neglect|C1|",
    "|",
    "",
    "neglect.0123456789|a",
    "neglect.0123456789|z",
    "nope.zz|b",
    "12",
    "-1",
]
ACTION_IDS = [
    "questions",
    "related",
    "show_theme",
    "practice",
    "sources",
    "home_pick_theme",
    "discuss",
    "discuss_share",
    "record_actions",
    "quiz_answer",
    slack_reflections.REFLECT,
    *slack_reflections.LIST_BUTTONS,
    "not_a_button",
]
VIEW_IDS = ["team_actions", slack_reflections.NEW_VIEW, slack_reflections.EDIT_VIEW, "not_a_view"]


def _ts() -> str:
    return f"{int(time.time())}.000100"


def event_templates() -> list[dict[str, Any]]:
    user_text = "<@UBOT> what is neglect"
    events = [
        {"type": "app_mention", "user": "U1", "text": user_text, "ts": _ts(), "channel": "C1", "event_ts": _ts()},
        {"type": "app_mention", "user": "U1", "text": user_text, "ts": _ts(), "thread_ts": "1.0", "channel": "C1"},
        {"type": "message", "channel_type": "im", "user": "U1", "text": "neglect", "ts": _ts(), "channel": "D1"},
        {
            "type": "message",
            "channel_type": "im",
            "subtype": "message_changed",
            "channel": "D1",
            "message": {"text": "x", "user": "U1"},
            "ts": _ts(),
        },
        {"type": "message", "channel_type": "im", "bot_id": "B1", "text": "x", "ts": _ts(), "channel": "D1"},
        {
            "type": "message",
            "channel_type": "channel",
            "user": "U1",
            "text": "I will ask the school",
            "ts": _ts(),
            "thread_ts": "1700000000.000100",
            "parent_user_id": "UBOT",
            "channel": "C1",
        },
        {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": _ts()},
        {
            "type": "reaction_added",
            "user": "U1",
            "reaction": "eyes",
            "item": {"type": "message", "channel": "C1", "ts": "1.0"},
        },
        {"type": "member_joined_channel", "user": "U1", "channel": "C1"},
    ]
    return [
        {
            "token": "x",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": "Ev1",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
            "event": event,
        }
        for event in events
    ] + [{"type": "url_verification", "challenge": "abc", "token": "x"}]


def command_templates() -> list[dict[str, Any]]:
    return [
        {
            "command": "/learn",
            "text": text,
            "user_id": "U1",
            "user_name": "pat",
            "team_id": "T1",
            "channel_id": channel,
            "channel_name": "team",
            "trigger_id": "trig1",
            "response_url": "RESPONSE_URL",
            "api_app_id": "A1",
            "token": "x",
        }
        for text in ("what is neglect", "schedule weekly monday 09:30", "quiz", "reflect", "discuss neglect")
        for channel in ("C1", "D1")
    ]


def action_templates() -> list[dict[str, Any]]:
    out = []
    for action_id in ACTION_IDS:
        action: dict[str, Any] = {
            "action_id": action_id,
            "value": "neglect",
            "type": "button",
            "block_id": "b1",
            "action_ts": "1",
        }
        if action_id == "home_pick_theme":
            action = {
                "action_id": action_id,
                "type": "static_select",
                "block_id": "browse",
                "selected_option": {"value": "neglect", "text": {"type": "plain_text", "text": "Neglect"}},
            }
        out.append(
            {
                "type": "block_actions",
                "team": {"id": "T1"},
                "user": {"id": "U1", "team_id": "T1"},
                "api_app_id": "A1",
                "token": "x",
                "trigger_id": "trig2",
                "response_url": "RESPONSE_URL",
                "channel": {"id": "C1"},
                "container": {"type": "message", "message_ts": "1.0", "channel_id": "C1"},
                "message": {"ts": "1.0", "thread_ts": "0.5"},
                "actions": [action],
            }
        )
    return out


def view_templates() -> list[dict[str, Any]]:
    values = {
        "working_well": {"text": {"type": "plain_text_input", "value": "We shared the chronology"}},
        "worried_about": {"text": {"type": "plain_text_input", "value": "Drift"}},
        "next_steps": {"text": {"type": "plain_text_input", "value": "Ask the school"}},
        slack_reflections.TEXT_BLOCK: {
            slack_reflections.TEXT_INPUT: {"type": "plain_text_input", "value": "I will ask who lives there."}
        },
        slack_reflections.CONFIDENCE_BLOCK: {
            slack_reflections.CONFIDENCE_INPUT: {"type": "radio_buttons", "selected_option": {"value": "4"}}
        },
        slack_reflections.SHARE_BLOCK: {
            slack_reflections.SHARE_INPUT: {"type": "checkboxes", "selected_options": [{"value": "shared"}]}
        },
        slack_reflections.THEME_BLOCK: {
            slack_reflections.THEME_INPUT: {"type": "static_select", "selected_option": {"value": "neglect"}}
        },
    }
    metadata = {
        "team_actions": {"theme": "neglect", "channel": "C1", "ts": "1.0"},
        slack_reflections.NEW_VIEW: {"theme": "neglect", "channel": "C1", "week": "2026-W48", "source": "modal"},
        slack_reflections.EDIT_VIEW: {"id": 1, "theme": "neglect"},
        "not_a_view": {},
    }
    return [
        {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": "U1", "team_id": "T1"},
            "api_app_id": "A1",
            "token": "x",
            "trigger_id": "trig3",
            "view": {
                "id": "V1",
                "team_id": "T1",
                "type": "modal",
                "callback_id": callback,
                "private_metadata": json.dumps(metadata[callback]),
                "state": {"values": values},
            },
        }
        for callback in VIEW_IDS
    ]


# -- type-preserving variation -----------------------------------------------------------------


# Fields that route a request to its listener: varied rarely, or every example is a 404.
ROUTING = {"type", "command", "action_id", "callback_id", "channel_type", "tab", "subtype", "bot_id"}


def _string(key: str, original: str) -> st.SearchStrategy[str]:
    if original == "RESPONSE_URL":  # Slack's own URL: present or missing, never another
        return st.just(original)
    if original in THEME_VALUES:
        other = st.one_of(st.sampled_from(THEME_VALUES), message, any_text)
    elif original.startswith(("U", "C", "D", "T", "V", "Ev")) and len(original) < 5:
        # Ids: Slack's are short; a long one would only test the fake's URL limit.
        ids = ["U1", "UADMIN1", "C1", "C2", "D1", "T1", "T2", "", "UBOT", "<!channel>", "C1'; DROP TABLE x;--"]
        other = st.one_of(st.sampled_from(ids), st.text(any_char, max_size=30))
    elif key == "text":  # what a person typed: often a subcommand followed by anything
        other = st.one_of(st.tuples(st.sampled_from(COMMANDS), piece).map(" ".join), message, any_text)
    else:
        other = st.one_of(st.sampled_from([*COMMANDS, *WORDS[:40]]), message, any_text)
    keep = 19 if key in ROUTING else 1
    return st.integers(0, keep).flatmap(lambda roll: other if roll == 0 else st.just(original))


@st.composite
def varied(draw: st.DrawFn, value: Any, key: str = "", depth: int = 0) -> Any:
    """`value` with some fields dropped or nulled and leaves replaced by others of their type."""
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            roll = draw(st.integers(0, 39 if name in ROUTING else 11))
            if roll == 0:
                continue  # the field is missing
            if roll == 1:
                out[name] = None
                continue
            out[name] = draw(varied(item, name, depth + 1))
        return out
    if isinstance(value, list):
        items = [draw(varied(item, key, depth + 1)) for item in value]
        return draw(st.sampled_from([items, items, items, [], items + items]))
    if isinstance(value, bool):
        return draw(st.booleans())
    if isinstance(value, int | float):
        return draw(st.one_of(st.just(value), st.integers(-(2**63), 2**63), st.floats(allow_nan=False)))
    if isinstance(value, str):
        if value.startswith("{") and depth > 0:  # JSON kept in a string (private_metadata)
            inner = varied(json.loads(value), key, depth + 1).map(json.dumps)
            return draw(st.one_of(st.just(value), inner, any_text))
        return draw(_string(key, value))
    return value


# Any JSON at all, for the hostile runs.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4),
    max_leaves=20,
)


@st.composite
def hostile(draw: st.DrawFn, value: Any) -> Any:
    """`value` with any field (at any depth) replaced by any JSON value."""
    if isinstance(value, dict):
        return {
            key: draw(hostile(item)) if draw(st.integers(0, 4)) else draw(json_values) for key, item in value.items()
        }
    if isinstance(value, list):
        return [draw(hostile(item)) for item in value]
    return draw(json_values) if draw(st.integers(0, 3)) == 0 else value


def as_request(kind: str, payload: Any, response_url: str) -> tuple[str, str]:
    """(body, content type) as Slack would send this kind of payload."""
    if kind == "event":
        return json.dumps(payload), "application/json"
    if kind == "command":
        if isinstance(payload, dict):
            payload = {k: (response_url if v == "RESPONSE_URL" else v) for k, v in payload.items()}
            form = {
                str(k): ("" if v is None else v if isinstance(v, str) else json.dumps(v)) for k, v in payload.items()
            }
            return urlencode(form, encoding="utf-8", errors="surrogatepass"), "application/x-www-form-urlencoded"
        return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    text = json.dumps(payload).replace('"RESPONSE_URL"', json.dumps(response_url))
    return urlencode({"payload": text}, encoding="utf-8", errors="surrogatepass"), "application/x-www-form-urlencoded"


def _form_value(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else json.dumps(value)


TEMPLATES = {
    "event": event_templates,
    "command": command_templates,
    "action": action_templates,
    "view": view_templates,
}


def realistic(kind: str) -> st.SearchStrategy[Any]:
    return st.sampled_from(TEMPLATES[kind]()).flatmap(varied)


def shapeless(kind: str) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(TEMPLATES[kind]()).flatmap(hostile), json_values)
