"""Rendering the core router's Answer as Teams activities: replies as Adaptive Cards, forms as
cards with inputs, the report chart as an inline image. Nothing here decides what to say."""

from __future__ import annotations

import base64
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, Attachment

from bot.reflections.form import reflection_form as reflection_form_wording
from bot.reflections.outcome import NOT_SAVED_YET
from bot.replies import Action
from bot.router import EDIT_SAVE, Answer, Form, ReflectionForm
from bot.teams.cards import (
    _card,
    _text,
    card_activity,
    execute_action,
    privacy_notice,
    reflection_form,
    reply_activity,
    reply_card,
    text_activity,
)


def answer_card(answer: Answer) -> dict[str, Any] | None:
    """The one card that can replace the card a button was on (a form, or a single reply)."""
    if answer.form is not None:
        return form_card(answer.form)
    if answer.reflection_form is not None:
        return reflection_form_card(answer.reflection_form)
    if len(answer.replies) == 1 and answer.chart is None:
        return reply_card(answer.replies[0])
    return None


def activities(answer: Answer) -> list[Activity]:
    """Every message to send for `answer`, in order."""
    sent: list[Activity] = []
    card = None
    if answer.form is not None:
        card = form_card(answer.form)
    elif answer.reflection_form is not None:
        card = reflection_form_card(answer.reflection_form)
    if card is not None:
        sent.append(card_activity(card, answer.text or ""))
    elif answer.text:
        sent.append(text_activity(answer.text))
    sent += [reply_activity(reply) for reply in answer.replies]
    if answer.chart is not None:
        chart = answer.chart
        image = Attachment(
            content_type="image/png",
            content_url="data:image/png;base64," + base64.b64encode(chart.png).decode("ascii"),
            name=chart.filename,
        )
        sent.append(Activity(type=ActivityTypes.message, text=chart.title, attachments=[image]))
    return sent


def form_card(form: Form) -> dict[str, Any]:
    """A core Form as an Adaptive Card: one multi-line box per field, its problem above it, and
    below it what the privacy guard found in it and, where the guard only asked, its tick box."""
    body: list[dict[str, Any]] = [_text(form.title, size="Medium", weight="Bolder")]
    if form.notice:
        body.append(_text(form.notice, color="Attention", weight="Bolder"))
    body.append(_text(form.intro))
    for field in form.fields:
        if field.problem:
            body.append(_text(field.problem, color="Attention", weight="Bolder"))
        box: dict[str, Any] = {
            "type": "Input.Text",
            "id": field.id,
            "label": field.label,
            "placeholder": field.hint,
            "isMultiline": True,
            "isRequired": field.required,
        }
        if field.max_chars:
            box["maxLength"] = field.max_chars
        if field.required:
            box["errorMessage"] = f"{field.label}: please fill this in."
        if field.value:
            box["value"] = field.value
        body.append(box)
        # Under its own box: an input's label is drawn with the input, so a line above the box
        # would read as the previous column's.
        body.extend(_text(f"• {detail.line()}", spacing="Small") for detail in field.found[:12])
        if field.not_people is not None:
            toggle = field.not_people
            body.append(
                {
                    "type": "Input.Toggle",
                    "id": toggle.id,
                    "title": toggle.label,
                    "value": "",
                    "valueOn": toggle.value,
                    "valueOff": "",
                }
            )
    card = _card(body, fallback=form.title)
    card["actions"] = [execute_action(form.submit), *(execute_action(action) for action in form.more)]
    return card


def reflection_form_card(form: ReflectionForm) -> dict[str, Any]:
    """The reflection form as a card: a new reflection's (Save goes through the card's usual
    save path), or an edit's."""
    if form.editing:
        return edit_form_card(form)
    wording = reflection_form_wording()
    title = f"{wording.title}: {form.theme_title}" if form.theme_title else wording.title
    return reflection_form(form.value, shared=form.shared, title=title, themes=form.themes)


def edit_form_card(form: ReflectionForm) -> dict[str, Any]:
    """The reflection form for an edit, filled in, saving to the same reflection."""
    result = form.outcome
    notice = privacy_notice(result.found, result.problem or "") if result and result.found else None
    intro = f"{NOT_SAVED_YET} {form.problem}" if form.problem else "Change your reflection, then press Save changes."
    card = reflection_form(
        form.theme_id, text=form.text, confidence=form.confidence, shared=form.shared, notice=notice, intro=intro
    )
    card["actions"] = [execute_action(Action(EDIT_SAVE, "Save changes", str(form.reflection_id)))]
    return card


# A button on a card the message extension dropped into a chat carries this in its data: the
# press may come from anyone there, in a chat scrbot was never added to, so it is answered only
# in the invoke response (the card replaced for whoever pressed it), never by posting.
FROM_SEARCH = {"via": "search"}


def is_from_search(data: dict[str, Any]) -> bool:
    """True for a press on a card from the message extension (or one it replaced)."""
    return data.get("via") == FROM_SEARCH["via"]


def search_card(card: dict[str, Any]) -> dict[str, Any]:
    """`card` as the message extension shows it: every Action.Execute marked FROM_SEARCH, and
    no Reflect (the only Action.ShowCard), so a press never needs scrbot in the chat."""

    def marked(node: Any) -> Any:
        if isinstance(node, list):
            return [marked(item) for item in node if not _is_show_card(item)]
        if not isinstance(node, dict):
            return node
        copy = {key: marked(value) for key, value in node.items()}
        if copy.get("type") == "Action.Execute":
            copy["data"] = {**(copy.get("data") or {}), **FROM_SEARCH}
        return copy

    result: dict[str, Any] = marked(card)
    if not result.get("actions"):
        result.pop("actions", None)
    return result


def _is_show_card(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") == "Action.ShowCard"


def search_answer_card(answer: Answer) -> dict[str, Any] | None:
    """The card that replaces a message-extension card when one of its buttons is pressed."""
    card = answer_card(answer)
    if card is None and answer.replies:  # several replies: the first is the answer to the press
        card = reply_card(answer.replies[0])
    return search_card(card) if card is not None else None


def search_results(services: Any, value: dict[str, Any]) -> dict[str, Any]:
    """The message extension's answer to a search: one card per theme, with a preview line, whose
    buttons are answered in place for whoever presses them."""
    from bot import router

    given = value.get("parameters")
    parameters: list[Any] = given if isinstance(given, list) else []
    query = next(
        (str(p.get("value") or "") for p in parameters if isinstance(p, dict) and p.get("name") == "query"), ""
    )
    # An empty box (Teams sends only {"name": "initialRun"}) lists every theme.
    attachments = []
    found = router.find_themes(services, query)
    for theme in found.themes:
        card = search_card(reply_card(router.theme_card_reply(services, theme, urgent=found.urgent, buttons=True)))
        attachments.append(
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": card,
                "preview": {
                    "contentType": "application/vnd.microsoft.card.thumbnail",
                    "content": {"title": theme.title, "text": theme.summary[:200]},
                },
            }
        )
    return {"composeExtension": {"type": "result", "attachmentLayout": "list", "attachments": attachments}}
