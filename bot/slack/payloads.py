"""The shape of what Slack sends, checked once at the edge so listeners can trust their types.

A signed payload whose fields have other JSON types than Slack's (an object where Slack sends
text, a number for a button's value) is refused with 400 before any listener runs. Missing and
null fields are fine: listeners read everything with defaults.
"""

from __future__ import annotations

from typing import Any

# Top-level fields that Slack sends as objects (interactions, the event envelope).
OBJECTS = ("event", "user", "team", "channel", "container", "view", "message", "enterprise")
# Fields of the events scrbot handles, and of buttons and modal inputs, that Slack sends as text.
EVENT_TEXT = ("type", "text", "user", "channel", "ts", "thread_ts", "channel_type", "subtype", "bot_id", "tab")
ACTION_TEXT = ("action_id", "block_id", "value", "type")
VIEW_TEXT = ("id", "callback_id", "private_metadata", "type")
HANDLED_EVENTS = ("app_mention", "message", "app_home_opened")


def well_formed(body: Any) -> bool:
    """True when every field scrbot reads has the JSON type Slack gives it (or is absent)."""
    if not isinstance(body, dict) or not _text(body, ("type", "response_url", "trigger_id", "team_id")):
        return False
    if not all(body.get(key) is None or isinstance(body[key], dict) for key in OBJECTS):
        return False
    for key in ("user", "team", "channel"):
        if not _text(body.get(key) or {}, ("id", "team_id")):
            return False
    container, message = body.get("container") or {}, body.get("message") or {}
    if not _text(container, ("type", "channel_id", "message_ts", "view_id")) or not _text(message, ("ts", "thread_ts")):
        return False
    event = body.get("event") or {}
    if event.get("type") in HANDLED_EVENTS and not _text(event, EVENT_TEXT):
        return False
    actions = body.get("actions")
    if actions is not None and not (isinstance(actions, list) and all(_is_action(a) for a in actions)):
        return False
    view = body.get("view") or {}
    return _text(view, VIEW_TEXT) and _state_values_well_formed(view.get("state"))


def _text(mapping: dict[str, Any], keys: tuple[str, ...]) -> bool:
    return all(mapping.get(key) is None or isinstance(mapping[key], str) for key in keys)


def _is_action(action: Any) -> bool:
    """A button or select: its ids and value are text, a selected option an object with text."""
    if not isinstance(action, dict) or not _text(action, ACTION_TEXT):
        return False
    selected = action.get("selected_option")
    return selected is None or (isinstance(selected, dict) and _text(selected, ("value",)))


def _state_values_well_formed(state: Any) -> bool:
    """view.state.values is {block_id: {action_id: input}}; an input's value is text, its
    selected option(s) objects."""
    if state is None:
        return True
    if not isinstance(state, dict):
        return False
    values = state.get("values")
    if values is None:
        return True
    if not isinstance(values, dict):
        return False
    for block in values.values():
        if not isinstance(block, dict):
            return False
        for field in block.values():
            if not _is_action(field):
                return False
            options = field.get("selected_options")
            if options is not None and not (
                isinstance(options, list) and all(isinstance(o, dict) and _text(o, ("value",)) for o in options)
            ):
                return False
    return True
