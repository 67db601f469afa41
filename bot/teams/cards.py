"""Adaptive Card rendering of the core's Reply: a pure function from Reply to card JSON.

Urgent signposting always comes first. Each Reply action becomes an Action.Execute (Universal
Actions) whose data carries the action id and value back to us: a press arrives as an
adaptiveCard/action invoke, answered 200 with the card that replaces this one, or with a short
message while the answer is posted. Reflect opens the reflection form in place
(Action.ShowCard), whose Save is an Action.Execute too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.core import CardFactory

from bot.reflections import outcome
from bot.reflections.form import SHARED_BY_DEFAULT
from bot.reflections.form import reflection_form as reflection_form_wording
from bot.replies import Action, Reply, Section, UrgentNotice

CARD_VERSION = "1.4"  # what Teams renders on desktop, web and mobile
MAX_ACTIONS = 6  # Teams shows no more than six actions on a card
SAVE_REFLECTION = "save_reflection"
REDACT_REFLECTION = "redact_reflection"  # "Replace them for me" on a form the guard stopped
SHOW_THEME = "show_theme"


def reply_activity(reply: Reply) -> Activity:
    """A message activity carrying the reply as one Adaptive Card."""
    activity = Activity(type=ActivityTypes.message, attachments=[CardFactory.adaptive_card(reply_card(reply))])
    summary = reply.summary_text()
    if summary:  # what notifications and the chat list show
        activity.summary = summary
    return activity


def text_activity(text: str) -> Activity:
    """A plain message, for short confirmations and problems a person can fix."""
    return Activity(type=ActivityTypes.message, text=text, text_format="plain")


def reply_card(reply: Reply) -> dict[str, Any]:
    """The Adaptive Card for one Reply."""
    body: list[dict[str, Any]] = []
    if reply.urgent:
        body.append(_urgent(reply.urgent))
    if reply.title:
        body.append(_text(reply.title, size="Large", weight="Bolder"))
    if reply.intro:
        body.append(_text(reply.intro))
    for section in reply.sections:
        body.append(_section(section))
    if reply.choices and not reply.actions:  # with actions, each choice has a button already
        body.append(_theme_picker(reply))
    if reply.footer:
        body.append(_text(reply.footer, size="Small", isSubtle=True, separator=True, spacing="Medium"))
    card: dict[str, Any] = _card(body, fallback=reply.summary_text() or "scrbot")
    card["msteams"] = {"width": "Full"}
    actions = [_action(action) for action in reply.actions[:MAX_ACTIONS]]
    if reply.choices and not reply.actions:
        # No "value" in the data: the picker's choice arrives merged into it, as "value".
        show = {"type": "Action.Execute", "title": "Show theme", "verb": SHOW_THEME, "data": {"action": SHOW_THEME}}
        actions.append(show)
    if actions:
        card["actions"] = actions
    return card


@dataclass(frozen=True)
class PrivacyNotice:
    """What the guard found in a form's text, for showing above the text it keeps."""

    problem: str
    lines: tuple[str, ...]
    not_people_key: str = ""  # set when only questions were asked: the tick box's value


def privacy_notice(found: outcome.Findings, problem: str) -> PrivacyNotice:
    """The core's findings for the form's one text, as the card shows them."""
    lines = tuple(detail.line() for detail in found.details)
    return PrivacyNotice(problem, lines, found.not_people_keys.get("text", "") if found.asking else "")


def reflection_form(
    value: str,
    *,
    text: str = "",
    confidence: int | None = None,
    shared: bool = SHARED_BY_DEFAULT,
    notice: PrivacyNotice | None = None,
    intro: str | None = None,
    title: str = "",
    themes: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    """The reflection form, worded by bot.reflections.form: free text, confidence from 1 to 5,
    and whether to share it; a `title` above it, and the theme picker when `value` names no
    theme (`themes`). Given a notice, the form comes back filled in as the person left it,
    with what the guard found."""
    wording = reflection_form_wording()
    body: list[dict[str, Any]] = [_text(title, size="Medium", weight="Bolder")] if title else []
    if notice is not None:
        body.append(_text(f"{outcome.NOT_SAVED_YET} {notice.problem}", weight="Bolder", color="Attention"))
        body.extend(_text(f"• {line}", spacing="None") for line in notice.lines[:12])
    else:
        body.append(_text(intro or wording.note))
    if themes:
        body.append(
            {
                "type": "Input.ChoiceSet",
                "id": "theme",
                "label": wording.theme_label,
                "placeholder": wording.theme_hint,
                "style": "compact",
                "isRequired": True,
                "errorMessage": wording.theme_missing,
                "choices": [{"title": title, "value": theme_id} for theme_id, title in themes],
            }
        )
    text_input: dict[str, Any] = {
        "type": "Input.Text",
        "id": "text",
        "label": wording.text_label,
        "placeholder": wording.text_hint,
        "isMultiline": True,
        "maxLength": wording.max_chars,
        "isRequired": True,
        "errorMessage": wording.text_missing,
    }
    if text:
        text_input["value"] = text
    choices: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": "confidence",
        "label": wording.confidence_label,
        "style": "compact",
        "choices": [{"title": choice.label, "value": choice.value} for choice in wording.confidence_choices],
    }
    if any(choice.value == str(confidence) for choice in wording.confidence_choices):
        choices["value"] = str(confidence)
    body += [
        text_input,
        choices,
        {
            "type": "Input.Toggle",
            "id": "shared",
            "title": wording.share_label,
            "value": "true" if shared else "false",
            "valueOn": "true",
            "valueOff": "false",
        },
    ]
    if notice is not None and notice.not_people_key:
        body.append(
            {
                "type": "Input.Toggle",
                "id": "not_people",
                "title": f"{outcome.NOT_PEOPLE_LABEL}: save as written",
                "value": "",
                "valueOn": notice.not_people_key,
                "valueOff": "",
            }
        )
    card = _card(body, fallback="Reflection form")
    # Universal Actions: the invoke's answer replaces the card in place, text kept, on any problem.
    card["actions"] = [execute_action(Action(SAVE_REFLECTION, wording.save_untitled, value))]
    if notice is not None:
        card["actions"].append(execute_action(Action(REDACT_REFLECTION, outcome.REPLACE, value)))
    return card


def card_activity(card: dict[str, Any], text: str = "") -> Activity:
    """A message carrying one Adaptive Card (and a line of text beside it)."""
    activity = Activity(type=ActivityTypes.message, attachments=[CardFactory.adaptive_card(card)])
    if text:
        activity.text = text
        activity.text_format = "plain"
    return activity


def _card(body: list[dict[str, Any]], fallback: str) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": fallback,
        "body": body,
    }


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _urgent(notice: UrgentNotice) -> dict[str, Any]:
    return {
        "type": "Container",
        "style": "attention",
        "bleed": True,
        "items": [
            _text(notice.heading, weight="Bolder", color="Attention", size="Medium"),
            # One block per line: a lone newline is not a line break in every Teams client.
            *(_text(line, spacing="Small") for line in notice.body.splitlines() if line.strip()),
        ],
    }


def _section(section: Section) -> dict[str, Any]:
    items = [_text(section.heading, weight="Bolder", spacing="Medium")] if section.heading else []
    if section.text:
        items.append(_text(section.text))
    # One block per bullet: list markdown renders differently across Teams clients.
    items += [_text(f"• {bullet}", spacing="Small") for bullet in section.bullets]
    if section.actions:
        items.append({"type": "ActionSet", "actions": [execute_action(action) for action in section.actions]})
    return {"type": "Container", "items": items, **({"separator": True} if section.actions else {})}


def _theme_picker(reply: Reply) -> dict[str, Any]:
    return {
        "type": "Input.ChoiceSet",
        "id": "value",
        "label": "Pick a theme",
        "style": "compact",
        "value": reply.choices[0][0],
        "choices": [{"title": title, "value": theme_id} for theme_id, title in reply.choices],
    }


def execute_action(action: Action) -> dict[str, Any]:
    """A Universal Actions button: an invoke, answered with the card that replaces this one."""
    return {
        "type": "Action.Execute",
        "title": action.label,
        "verb": action.id,
        "data": {"action": action.id, "value": action.value},
    }


def _action(action: Action) -> dict[str, Any]:
    if action.id == "reflect":
        return {
            "type": "Action.ShowCard",
            "title": action.label,
            "card": reflection_form(action.value),
        }
    return execute_action(action)
