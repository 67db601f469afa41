"""The privacy guard's answer in a Slack modal: what was found, a one-click redaction, and, for
words that may be names, a tick box saying they aren't people.

The modal is updated in place (response_action "update", or views.update after the redaction
button), so the person's text stays in it. The text travels only in Slack's own view; nothing
here logs it, and the "not people" answer is a digest of the questioned words, not the words.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.reflections import outcome
from bot.slack.render import escape

REVIEW_BLOCK = "privacy_review"
NOT_PEOPLE_BLOCK, NOT_PEOPLE_INPUT = "privacy_not_people", "answer"
REDACT = "privacy_redact"  # the button's action_id; its value names the text block to redact
_VIEW_KEYS = (
    "type",
    "callback_id",
    "private_metadata",
    "title",
    "submit",
    "close",
    "clear_on_close",
    "notify_on_close",
    "external_id",
)


class WithoutResponseBodies(logging.Filter):
    """Drops the body from bolt's "Responding with status: 200 body: ..." debug line: an
    answer to a view submission can carry the person's text and the words the guard found."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Responding with status:"):
            record.msg = message.split(" body:", 1)[0] + " (body not logged)"
            record.args = ()
        return True


def text_blocks(view: dict[str, Any], base_id: str) -> list[str]:
    """The block ids of the text inputs that start with `base_id` (ids change on redaction)."""
    return [
        block["block_id"]
        for block in view.get("blocks") or []
        if block.get("type") == "input" and str(block.get("block_id", "")).split("~")[0] == base_id
    ]


def value_of(view: dict[str, Any], base_id: str, action_id: str) -> str:
    """What the person typed in the text input `base_id` (whatever its current revision)."""
    values = (view.get("state") or {}).get("values") or {}
    for block_id, actions in values.items():
        if str(block_id).split("~")[0] == base_id:
            return str(((actions or {}).get(action_id) or {}).get("value") or "")
    return ""


def not_people_answer(view: dict[str, Any], base_id: str) -> str:
    """The digest the person ticked ("these aren't people") for the text `base_id`, or ""."""
    values = (view.get("state") or {}).get("values") or {}
    chosen = ((values.get(NOT_PEOPLE_BLOCK) or {}).get(NOT_PEOPLE_INPUT) or {}).get("selected_options") or []
    answer = str(chosen[0].get("value") or "") if chosen else ""
    for part in answer.split(","):
        base, _, key = part.rpartition(":")
        if base == base_id:
            return key
    return ""


def reviewed_view(
    view: dict[str, Any],
    texts: dict[str, str],
    found: outcome.Findings | None,
    *,
    problem: str,
    rename: bool = False,
) -> dict[str, Any]:
    """A copy of the submitted `view` that keeps each text (by base block id) and shows, under
    the texts, what the guard found, a redaction button and, for questions only, the tick box.
    With `rename`, text blocks get a new id so Slack shows the new text (after a redaction)."""
    copy = {key: view[key] for key in _VIEW_KEYS if key in view}
    blocks = []
    for block in view.get("blocks") or []:
        block_id = str(block.get("block_id", ""))
        if block_id in (REVIEW_BLOCK, NOT_PEOPLE_BLOCK) or block_id.startswith(REVIEW_BLOCK):
            continue
        block = dict(block)
        base = block_id.split("~")[0]
        if block.get("type") == "input" and base in texts:
            element = dict(block.get("element") or {})
            if texts[base]:
                element["initial_value"] = texts[base]
            else:
                element.pop("initial_value", None)
            block = {**block, "element": element}
            if rename:
                block["block_id"] = _next_id(block_id)
        blocks.append(block)
    if found is not None and found.details:
        at = _after_last_text(blocks, texts)
        blocks[at:at] = review_blocks(found, problem)
    copy["blocks"] = blocks
    return copy


def review_blocks(found: outcome.Findings, problem: str) -> list[dict[str, Any]]:
    """The blocks that explain the guard's findings and offer the redaction and the tick box."""
    lines = [f"• {detail.line(escape)}" for detail in found.details]
    header = f":warning: *{outcome.NOT_SAVED_YET}* {escape(problem)}"
    body = "\n".join([header, *lines[:12]])[:2900]
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "block_id": REVIEW_BLOCK,
            "text": {"type": "mrkdwn", "text": body},
            "accessory": {
                "type": "button",
                "action_id": REDACT,
                "text": {"type": "plain_text", "text": outcome.REPLACE},
                "value": "redact",
            },
        }
    ]
    if found.asking and found.not_people_keys:
        # One tick answers every text's questions: "<block>:<digest>", comma separated.
        key = ",".join(f"{base}:{digest}" for base, digest in found.not_people_keys.items())
        option = {"text": {"type": "plain_text", "text": outcome.NOT_PEOPLE_LABEL}, "value": key}
        blocks.append(
            {
                "type": "input",
                "block_id": NOT_PEOPLE_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": outcome.SAVE_AS_WRITTEN},
                "element": {"type": "checkboxes", "action_id": NOT_PEOPLE_INPUT, "options": [option]},
            }
        )
    return blocks


def _after_last_text(blocks: list[dict[str, Any]], texts: dict[str, str]) -> int:
    last = len(blocks)
    for index, block in enumerate(blocks):
        if block.get("type") == "input" and str(block.get("block_id", "")).split("~")[0] in texts:
            last = index + 1
    return last


def _next_id(block_id: str) -> str:
    base, _, revision = block_id.partition("~")
    return f"{base}~{int(revision or 0) + 1 if revision.isdigit() else 1}"
