"""Reflections in Slack: the Reflect modal, `/learn reflect | my reflections | forget me |
report | reflections`, thread replies to the weekly prompt, the Home tab list and the leads'
weekly digest.

What to keep, and what to say about it, is decided in bot.reflections; this module only
turns Slack payloads into those calls and renders the outcome. Calls that carry reflection
text go through `text_client`/`_send`, whose logger never writes (slack_sdk logs whole request
bodies at DEBUG), and no log line here includes text or an exception's message.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.content import Theme
from bot.reflections import privacy, reports, service
from bot.reflections.service import StoreUnavailable, Submission
from bot.router import (  # report periods, list length and notices: decided once, in the core
    INCLUDE_NOW,
    LIST_LIMIT,
    MAX_REPORT_WEEKS,
    NOT_ADMIN,
    UNAVAILABLE,
    parse_weeks,
)
from bot.schedule.prompts import parse_action_value
from bot.services import Services
from bot.slack import privacy as privacy_view
from bot.slack.commands import SlashRequest
from bot.slack.errors import error_code
from bot.slack.messaging import post_reply
from bot.slack.render import button, escape, home_view, messages, section

log = logging.getLogger("scrbot.slack.reflections")

# A logger that never writes, for the Web API and response_url calls that carry reflection text.
_WIRE = logging.getLogger("scrbot.slack.reflections.wire")
_WIRE.setLevel(logging.CRITICAL + 1)
_WIRE.propagate = False
_WIRE.disabled = True

PLATFORM = "slack"
NEW_VIEW = "reflection_new"
EDIT_VIEW = "reflection_edit"
THEME_BLOCK, THEME_INPUT = "reflection_theme", "theme"
TEXT_BLOCK, TEXT_INPUT = "reflection_text", "text"
CONFIDENCE_BLOCK, CONFIDENCE_INPUT = "reflection_confidence", "confidence"
SHARE_BLOCK, SHARE_INPUT = "reflection_share", "shared"
REFLECT = "reflect"  # the weekly prompt's button (value "theme|channel|week")
EDIT = "reflection_edit"
DELETE = "reflection_delete"
FORGET = "reflection_forget_me"
REPLY_IN_FORM = "reflection_reply_in_form"  # a stopped thread reply, reopened in the modal

SAVE_TIMEOUT = 2.0  # seconds; Slack waits 3 s for the answer to a view submission
HOME_LIMIT = 5

QUESTION = "What will you do differently, or what did this make you think about?"
CONFIDENCE_QUESTION = "How confident are you that you would spot this in your own work?"
SHARE_LABEL = "Share with my team without my name"
NOTE = (
    "Reflections are practice learning, not case records. Please leave out names, dates of "
    "birth, addresses and anything else that could identify a child or family."
)
CONFIDENCE_LABELS = {
    1: "1 - not at all confident",
    2: "2 - a little confident",
    3: "3 - fairly confident",
    4: "4 - confident",
    5: "5 - very confident",
}
NOT_SAVED = (
    "Sorry, your reflection was not saved: something went wrong on our side. Your text is "
    "still here, so please press Save again in a moment."
)


def text_client(client: AsyncWebClient) -> AsyncWebClient:
    """A copy of `client` that logs nothing, for calls that carry reflection text."""
    return AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=client.retry_handlers,
        logger=_WIRE,
    )


async def _send(response_url: str | None, **message: Any) -> None:
    """Post to a response_url without logging the body (it may hold reflection text)."""
    if not response_url:
        return
    response = await AsyncWebhookClient(response_url, timeout=10, logger=_WIRE).send_dict(message)
    if response.status_code != 200:
        log.warning("response_url post failed with HTTP %s", response.status_code)


def _team(body: dict[str, Any]) -> str:
    return (
        (body.get("team") or {}).get("id")
        or (body.get("user") or {}).get("team_id")
        or body.get("team_id")
        or ""
    )


def _user(body: dict[str, Any]) -> str:
    return (body.get("user") or {}).get("id") or body.get("user_id") or ""


def _stored_channel(channel_id: str | None) -> str | None:
    """Only channels count for reports; a direct message's id is not kept."""
    return channel_id if channel_id and channel_id[0] in "CG" else None


# -- the modal ---------------------------------------------------------------------------


def reflection_view(
    services: Services,
    *,
    callback_id: str,
    metadata: dict[str, Any],
    theme: Theme | None = None,
    reflection: Any = None,
    text: str | None = None,
) -> dict[str, Any]:
    """The Reflect modal (new or edit): the question, confidence 1-5, sharing, and the note."""
    blocks: list[dict[str, Any]] = []
    if theme is not None:
        blocks.append(section(f"*{escape(theme.title)}*"))
    elif reflection is None:
        blocks.append(_theme_picker(services))
    text_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": TEXT_INPUT,
        "multiline": True,
        "max_length": service.MAX_CHARS,
        "placeholder": {"type": "plain_text", "text": "A sentence or two is enough."},
    }
    if reflection is not None:
        text_input["initial_value"] = reflection.text
    elif text:
        text_input["initial_value"] = text
    blocks.append(
        {"type": "input", "block_id": TEXT_BLOCK, "label": _plain(QUESTION), "element": text_input}
    )
    options = [
        {"text": _plain(label), "value": str(level)} for level, label in CONFIDENCE_LABELS.items()
    ]
    radio: dict[str, Any] = {
        "type": "radio_buttons",
        "action_id": CONFIDENCE_INPUT,
        "options": options,
    }
    if reflection is not None and reflection.confidence in CONFIDENCE_LABELS:
        radio["initial_option"] = options[reflection.confidence - 1]
    blocks.append(
        {
            "type": "input",
            "block_id": CONFIDENCE_BLOCK,
            "optional": True,
            "label": _plain(CONFIDENCE_QUESTION),
            "element": radio,
        }
    )
    share_option = {"text": _plain(SHARE_LABEL), "value": "shared"}
    checkboxes: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": SHARE_INPUT,
        "options": [share_option],
    }
    if reflection is None or reflection.shared:
        checkboxes["initial_options"] = [share_option]
    blocks.append(
        {
            "type": "input",
            "block_id": SHARE_BLOCK,
            "optional": True,
            "label": _plain("Sharing"),
            "element": checkboxes,
        }
    )
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": NOTE}]})
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": json.dumps(metadata, separators=(",", ":")),
        "title": _plain("Edit reflection" if reflection is not None else "Reflect"),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _theme_picker(services: Services) -> dict[str, Any]:
    options = [
        {"text": _plain(theme.title[:75]), "value": theme.id}
        for theme in list(services.catalogue)[:100]
    ]
    return {
        "type": "input",
        "block_id": THEME_BLOCK,
        "label": _plain("Which theme are you reflecting on?"),
        "element": {
            "type": "static_select",
            "action_id": THEME_INPUT,
            "placeholder": _plain("Choose a theme"),
            "options": options,
        },
    }


def thanks_view(shared: bool, command: str) -> dict[str, Any]:
    """What the modal turns into once saved (never echoes the text)."""
    lines = [
        "*Thank you: your reflection is saved.*",
        "You can read, edit or delete it in my Home tab or with "
        f"`{escape(command)} my reflections`.",
    ]
    if shared:
        lines.append(
            "It may appear, without your name, when your team asks "
            f"`{escape(command)} reflections`."
        )
    return {
        "type": "modal",
        "title": _plain("Reflect"),
        "close": _plain("Done"),
        "blocks": [section("\n".join(lines))],
    }


@dataclass(frozen=True)
class Form:
    text: str
    confidence: int | None
    shared: bool
    theme_id: str | None


def read_form(view: dict[str, Any]) -> Form:
    """The values a person entered in the Reflect modal."""
    values = (view.get("state") or {}).get("values") or {}

    def element(block: str, action: str) -> dict[str, Any]:
        return (values.get(block) or {}).get(action) or {}

    text = privacy_view.value_of(view, TEXT_BLOCK, TEXT_INPUT)
    confidence = (element(CONFIDENCE_BLOCK, CONFIDENCE_INPUT).get("selected_option") or {}).get(
        "value"
    )
    shared = bool(element(SHARE_BLOCK, SHARE_INPUT).get("selected_options"))
    theme = (element(THEME_BLOCK, THEME_INPUT).get("selected_option") or {}).get("value")
    return Form(text, service.confidence_from(confidence), shared, theme)


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


async def open_reflect_modal(
    services: Services,
    client: AsyncWebClient,
    trigger_id: str,
    *,
    theme: Theme | None,
    channel_id: str | None,
    week: str | None,
    source: str,
    text: str | None = None,
) -> bool:
    """Open the Reflect modal (with `text` in it, if given, and what the guard finds in that
    text); False (logged) if Slack refused, e.g. an expired trigger."""
    metadata = {
        "theme": theme.id if theme else None,
        "channel": _stored_channel(channel_id),
        "week": week,
        "source": source,
    }
    view = reflection_view(services, callback_id=NEW_VIEW, metadata=metadata, theme=theme, text=text)
    if text:
        review = service.privacy_review(text)
        problem = service.privacy_problem(text, review)
        if problem:
            view = privacy_view.reviewed_view(view, {TEXT_BLOCK: text}, {TEXT_BLOCK: review}, problem=problem)
    try:
        await text_client(client).views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("views.open failed for the Reflect modal: %s", error_code(exc))
        return False
    return True


# -- listeners ---------------------------------------------------------------------------


def register(app: AsyncApp, services: Services) -> None:
    """The Reflect button, the modal submissions, list buttons and thread replies."""
    app.action(REFLECT)(_on_reflect_button(services))
    app.view(NEW_VIEW)(_on_new_submission(services))
    app.view(EDIT_VIEW)(_on_edit_submission(services))
    app.action(EDIT)(_on_edit_button(services))
    app.action(DELETE)(_on_delete_button(services))
    app.action(FORGET)(_on_forget_button(services))
    app.action(privacy_view.REDACT)(_on_redact_button())
    privacy.warm_up()  # the guard's word lists, before the first submission
    if not any(isinstance(f, privacy_view.WithoutResponseBodies) for f in app.logger.filters):
        app.logger.addFilter(privacy_view.WithoutResponseBodies())
    app.action(REPLY_IN_FORM)(_on_reply_in_form_button(services))
    app.event("message", matchers=[is_thread_reply])(_on_thread_reply(services))


def _on_reflect_button(services: Services):
    async def on_reflect(
        ack, action: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        theme_id, channel, week = parse_action_value(action.get("value") or "")
        channel = channel or (body.get("channel") or {}).get("id")
        theme = services.catalogue.get(theme_id) if theme_id else None
        await open_reflect_modal(
            services,
            client,
            body.get("trigger_id", ""),
            theme=theme,
            channel_id=channel,
            week=week or service.current_week(services),
            source="modal",
        )

    return on_reflect


def _on_reply_in_form_button(services: Services):
    """ "Open it in the Reflect form": a thread reply the guard stopped, in the modal, with what
    the guard refused already replaced, so one more Save (or a tick) keeps it."""

    async def on_open(ack, action: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        try:
            data = json.loads(action.get("value") or "{}")
        except ValueError:
            data = {}
        theme = services.catalogue.get(str(data.get("t") or ""))
        await open_reflect_modal(
            services,
            client,
            body.get("trigger_id", ""),
            theme=theme,
            channel_id=data.get("c"),
            week=data.get("w") or service.current_week(services),
            source="thread",
            text=str(data.get("x") or ""),
        )

    return on_open


def _on_new_submission(services: Services):
    async def on_submit(ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata, form = _metadata(view), read_form(view)
        theme_id = metadata.get("theme") or form.theme_id
        errors: dict[str, str] = {}
        if not theme_id or services.catalogue.get(theme_id) is None:
            errors[THEME_BLOCK] = "Please choose the theme you are reflecting on."
        not_people = privacy_view.not_people_answer(view, TEXT_BLOCK)
        problem = service.text_problem(service.clean_text(form.text), not_people)
        if problem and not errors and await _ask_about_privacy(ack, services, view, form, problem, not_people):
            return
        if problem:
            errors[_text_block_id(view)] = problem
        if errors or not theme_id:
            await ack(response_action="errors", errors=errors)
            return
        team, user = _team(body), _user(body)
        submission = Submission(
            platform=PLATFORM,
            workspace_id=team,
            user_id=user,
            theme_id=theme_id,
            text=form.text,
            idempotency_key=service.view_key(PLATFORM, team, view.get("id") or ""),
            source=metadata.get("source") or "modal",
            confidence=form.confidence,
            shared=form.shared,
            channel_id=_stored_channel(metadata.get("channel")),
            week=metadata.get("week"),
            not_people=not_people,
        )
        if not view.get("id"):
            submission = _with_hash_key(submission)
        try:
            outcome = await asyncio.wait_for(service.capture(services, submission), SAVE_TIMEOUT)
        except (StoreUnavailable, TimeoutError) as exc:
            log.error("a reflection was not saved (view %s): %s", view.get("id"), _kind(exc))
            await ack(response_action="errors", errors={_text_block_id(view): NOT_SAVED})
            return
        if outcome.problem:
            await ack(response_action="errors", errors={_text_block_id(view): outcome.problem})
            return
        await ack(
            response_action="update", view=thanks_view(form.shared, services.settings.slash_command)
        )

    return on_submit


def _text_block_id(view: dict[str, Any]) -> str:
    """The text input's current block id (it changes each time a redaction rewrites the text)."""
    ids = privacy_view.text_blocks(view, TEXT_BLOCK)
    return ids[0] if ids else TEXT_BLOCK


async def _ask_about_privacy(
    ack, services: Services, view: dict[str, Any], form: Form, problem: str, not_people: str
) -> bool:
    """Keep the modal open with the person's text and what the guard found; False when the
    problem is not the guard's (empty, too long, emoji only)."""
    cleaned = service.clean_text(form.text)
    review = service.privacy_review(cleaned, not_people)
    if review.ok or problem != service.privacy_problem(cleaned, review):
        return False
    metadata = _metadata(view)
    theme = services.catalogue.get(metadata.get("theme") or form.theme_id or "")
    if theme is not None and view.get("callback_id") != EDIT_VIEW:
        metadata = {**metadata, "theme": theme.id}  # the picker is not shown again: keep the choice
    again = reflection_view(
        services,
        callback_id=str(view.get("callback_id") or NEW_VIEW),
        metadata=metadata,
        theme=theme,
        reflection=_AsTyped(cleaned, form.confidence, form.shared) if view.get("callback_id") == EDIT_VIEW else None,
        text=cleaned,
    )
    if view.get("callback_id") != EDIT_VIEW:
        again = _with_choices(again, form)
    updated = privacy_view.reviewed_view(again, {TEXT_BLOCK: cleaned}, {TEXT_BLOCK: review}, problem=problem)
    await ack(response_action="update", view=updated)
    return True


@dataclass(frozen=True)
class _AsTyped:
    """The edit modal's fields as the person left them (reflection_view reads these three)."""

    text: str
    confidence: int | None
    shared: bool


def _with_choices(view: dict[str, Any], form: Form) -> dict[str, Any]:
    """The new-reflection modal with the person's confidence and sharing choices kept."""
    for block in view["blocks"]:
        element = block.get("element") or {}
        if block.get("block_id") == CONFIDENCE_BLOCK and form.confidence in CONFIDENCE_LABELS:
            element["initial_option"] = element["options"][form.confidence - 1]
        if block.get("block_id") == SHARE_BLOCK and not form.shared:
            element.pop("initial_options", None)
    return view


def _on_redact_button():
    """ "Replace them for me": rewrite every text in the modal with the guard's neutral wording."""

    async def on_redact(ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        view = body.get("view") or {}
        texts: dict[str, str] = {}
        for block in view.get("blocks") or []:
            element = block.get("element") or {}
            if block.get("type") == "input" and element.get("type") == "plain_text_input":
                base = str(block.get("block_id", "")).split("~")[0]
                typed = privacy_view.value_of(view, base, str(element.get("action_id") or ""))
                cleaned = service.clean_text(typed)
                review = service.privacy_review(cleaned)
                texts[base] = redact_text(cleaned, review)
        reviews = {base: service.privacy_review(text) for base, text in texts.items() if text}
        leftovers = {base: r for base, r in reviews.items() if not r.ok}
        problem = "Please check the rest." if leftovers else ""
        updated = privacy_view.reviewed_view(view, texts, leftovers, problem=problem, rename=True)
        try:
            await text_client(client).views_update(view_id=view.get("id"), hash=view.get("hash"), view=updated)
        except SlackApiError as exc:
            log.warning("views.update failed for a redaction: %s", error_code(exc))

    return on_redact


def redact_text(text: str, review: Any) -> str:
    """`text` with what the guard found replaced ("[child]", "[postcode]")."""
    return privacy.redact(text, (*review.refused, *review.questions))


def _with_hash_key(submission: Submission) -> Submission:
    key = service.submission_key(
        PLATFORM,
        submission.workspace_id,
        submission.user_id,
        submission.theme_id,
        service.clean_text(submission.text),
    )
    return replace(submission, idempotency_key=key)


def _kind(exc: BaseException) -> str:
    return "timed out" if isinstance(exc, TimeoutError) else f"store unavailable ({exc})"


def _on_edit_submission(services: Services):
    async def on_submit(
        ack, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        metadata, form = _metadata(view), read_form(view)
        team, user = _team(body), _user(body)
        try:
            reflection_id = int(metadata.get("id") or "")
        except (TypeError, ValueError):
            await ack(response_action="errors", errors={_text_block_id(view): service.GONE})
            return
        not_people = privacy_view.not_people_answer(view, TEXT_BLOCK)
        problem = service.text_problem(service.clean_text(form.text), not_people)
        if problem and await _ask_about_privacy(ack, services, view, form, problem, not_people):
            return
        try:
            outcome = await asyncio.wait_for(
                service.edit(
                    services,
                    team,
                    user,
                    reflection_id,
                    text=form.text,
                    confidence=form.confidence,
                    shared=form.shared,
                    not_people=not_people,
                ),
                SAVE_TIMEOUT,
            )
        except (StoreUnavailable, TimeoutError) as exc:
            log.error(
                "a reflection edit was not saved (reflection %s): %s", reflection_id, _kind(exc)
            )
            await ack(response_action="errors", errors={_text_block_id(view): NOT_SAVED})
            return
        if outcome.problem:
            await ack(response_action="errors", errors={_text_block_id(view): outcome.problem})
            return
        await ack()
        await _refresh(
            services, client, team, user, metadata.get("origin"), metadata.get("response_url")
        )

    return on_submit


def _origin(body: dict[str, Any]) -> tuple[str, str | None]:
    """Where a list button was pressed: the Home tab, or a message with a response_url."""
    in_a_view = (body.get("container") or {}).get("type") == "view"
    if in_a_view or (body.get("view") or {}).get("type") == "home":
        return "home", None
    return "list", body.get("response_url")


def _on_edit_button(services: Services):
    async def on_edit(
        ack, action: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        team, user = _team(body), _user(body)
        origin, response_url = _origin(body)
        try:
            reflection = await service.own_reflection(
                services, team, user, int(action.get("value") or 0)
            )
        except (StoreUnavailable, ValueError):
            await _send(
                response_url, response_type="ephemeral", replace_original=False, text=UNAVAILABLE
            )
            return
        if reflection is None:
            await _send(
                response_url, response_type="ephemeral", replace_original=False, text=service.GONE
            )
            return
        metadata = {"id": reflection.id, "origin": origin, "response_url": response_url}
        view = reflection_view(
            services,
            callback_id=EDIT_VIEW,
            metadata=metadata,
            theme=services.catalogue.get(reflection.theme_id),
            reflection=reflection,
        )
        try:
            await text_client(client).views_open(trigger_id=body.get("trigger_id", ""), view=view)
        except SlackApiError as exc:
            log.warning("views.open failed for the edit modal: %s", error_code(exc))

    return on_edit


def _on_delete_button(services: Services):
    async def on_delete(
        ack, action: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        team, user = _team(body), _user(body)
        origin, response_url = _origin(body)
        try:
            await service.delete(services, team, user, int(action.get("value") or 0))
        except (StoreUnavailable, ValueError):
            await _send(
                response_url, response_type="ephemeral", replace_original=False, text=UNAVAILABLE
            )
            return
        await _refresh(services, client, team, user, origin, response_url, note="Deleted.")

    return on_delete


def _on_forget_button(services: Services):
    async def on_forget(ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        team, user = _team(body), _user(body)
        origin, response_url = _origin(body)
        try:
            count = await service.forget(services, team, user)
        except StoreUnavailable:
            await _send(
                response_url, response_type="ephemeral", replace_original=False, text=UNAVAILABLE
            )
            return
        done = f"Done: I deleted all your reflections ({count}) and your quiz answers."
        if origin == "home":
            await publish_home(services, client, team, user)
        else:
            await _send(response_url, response_type="ephemeral", replace_original=True, text=done)

    return on_forget


async def _refresh(
    services: Services,
    client: AsyncWebClient,
    team: str,
    user: str,
    origin: str | None,
    response_url: str | None,
    note: str | None = None,
) -> None:
    """Show the person's list again where they were looking at it."""
    if origin == "home":
        await publish_home(services, client, team, user)
        return
    try:
        message = await my_reflections_message(services, team, user, note)
    except StoreUnavailable:
        message = {"text": UNAVAILABLE}
    await _send(response_url, response_type="ephemeral", replace_original=True, **message)


# -- thread replies to the weekly prompt -------------------------------------------------


async def is_thread_reply(event: dict[str, Any]) -> bool:
    """A person's reply in a channel thread (not a DM, an edit, a bot or the thread's parent)."""
    thread_ts = event.get("thread_ts")
    return bool(
        thread_ts
        and thread_ts != event.get("ts")
        and event.get("channel_type") in ("channel", "group")
        and event.get("user")
        and not event.get("bot_id")
        and not event.get("subtype")
    )


def _on_thread_reply(services: Services):
    async def on_thread_reply(
        event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context
    ) -> None:
        store = services.store
        if store is None:
            return
        team, channel = body.get("team_id") or "", event.get("channel") or ""
        text = event.get("text") or ""
        if context.bot_user_id and f"<@{context.bot_user_id}" in text:
            return  # a question to the bot in the thread: app_mention answers it
        try:
            prompt = await service.prompt_replied_to(
                services, PLATFORM, team, channel, event.get("thread_ts")
            )
        except StoreUnavailable as exc:
            log.error("could not check a thread reply in %s: %s", channel, exc)
            return
        if prompt is None or not service.has_words(service.clean_text(text)):
            return  # not this week's prompt, channel not opted in, or only emoji: not a reflection
        submission = Submission(
            platform=PLATFORM,
            workspace_id=team,
            user_id=event["user"],
            theme_id=prompt.theme_id,
            text=text,
            idempotency_key=service.message_key(PLATFORM, team, channel, event.get("ts", "")),
            source="thread",
            shared=True,
            channel_id=channel,
            week=prompt.week,
        )
        try:
            outcome = await service.capture(services, submission)
        except StoreUnavailable as exc:
            log.error("a thread reply in %s was not saved as a reflection: %s", channel, exc)
            await _tell_in_thread(
                client,
                event,
                "Sorry, your reply could not be saved as a reflection "
                "just now (a problem on our side). Your reply is still in the thread.",
            )
            return
        if outcome.problem:
            await _tell_in_thread(
                client,
                event,
                f"Your reply was not saved as a reflection. {outcome.problem} "
                "You may also want to edit or delete your reply.",
                _reply_in_form_button(service.clean_text(text), outcome.privacy, prompt.theme_id, channel, prompt.week),
            )
            return
        try:
            await client.reactions_add(
                channel=channel, timestamp=str(event.get("ts") or ""), name="white_check_mark"
            )
        except SlackApiError as exc:
            if error_code(exc) != "already_reacted":
                log.warning("reactions.add failed in %s: %s", channel, error_code(exc))

    return on_thread_reply


def _reply_in_form_button(
    text: str, review: Any, theme_id: str, channel: str, week: str | None
) -> dict[str, Any] | None:
    """A button that opens the reply in the Reflect modal with the refused details replaced
    (None when the guard was not the reason, or the reply is too long for a button)."""
    if review is None or review.ok:
        return None
    kept = privacy.redact(text, review.refused)  # refused details never leave this function
    value = json.dumps({"t": theme_id, "c": channel, "w": week, "x": kept}, separators=(",", ":"))
    if len(value) > 2000:  # Slack's limit for a button value
        return None
    return button("Open it in the Reflect form", REPLY_IN_FORM, value)


async def _tell_in_thread(
    client: AsyncWebClient, event: dict[str, Any], text: str, action: dict[str, Any] | None = None
) -> None:
    blocks = [section(escape(text))]
    if action is not None:
        blocks.append({"type": "actions", "elements": [action]})
    try:
        await text_client(client).chat_postEphemeral(
            channel=str(event.get("channel") or ""),
            user=str(event.get("user") or ""),
            thread_ts=event.get("thread_ts"),
            text=text,
            blocks=blocks,
        )
    except SlackApiError as exc:
        log.warning("chat.postEphemeral failed in %s: %s", event.get("channel"), error_code(exc))


# -- /learn commands ---------------------------------------------------------------------


async def reflect_command(request: SlashRequest) -> None:
    """`/learn reflect [theme]`: open the Reflect modal, on a theme if one is named."""
    services = request.services
    theme = find_theme(services, request.args)
    week = await _channel_week(services, request.team_id, request.channel_id)
    if theme is None and not request.args.strip():
        theme = await _this_weeks_theme(services, request.team_id, request.channel_id, week)
    opened = await open_reflect_modal(
        services,
        request.client,
        request.trigger_id,
        theme=theme,
        channel_id=request.channel_id,
        week=week,
        source="command",
    )
    if not opened:
        await request.say_privately(
            "Sorry, I couldn't open the reflection form. Please try the command again."
        )


def find_theme(services: Services, words: str) -> Theme | None:
    """The theme named by id, title or a question-like phrase; None if nothing fits."""
    words = words.strip()
    if not words:
        return None
    catalogue = services.catalogue
    theme = catalogue.get(words.lower()) or catalogue.get("-".join(words.lower().split()))
    if theme is not None:
        return theme
    for candidate in catalogue:
        if candidate.title.lower() == words.lower():
            return candidate
    return services.conversation.engine.answer(words).theme


async def _channel_week(services: Services, team: str, channel: str) -> str:
    """This week in the channel's prompt time zone (UK time when it has none)."""
    timezone = None
    if services.store is not None and _stored_channel(channel):
        try:
            timezone = await service.channel_timezone(services, PLATFORM, team, channel)
        except StoreUnavailable as exc:  # UK time will do; a save reports store trouble itself
            log.warning("could not read the subscription of %s: %s", channel, exc)
    return service.current_week(services, timezone)


async def _this_weeks_theme(services: Services, team: str, channel: str, week: str) -> Theme | None:
    if services.store is None or not _stored_channel(channel):
        return None
    try:
        theme_id = await service.prompt_theme(services, PLATFORM, team, channel, week)
    except StoreUnavailable as exc:  # nothing preselected; the person picks a theme
        log.warning("could not read this week's prompt in %s: %s", channel, exc)
        return None
    return services.catalogue.get(theme_id) if theme_id else None


async def my_reflections_command(request: SlashRequest) -> None:
    """`/learn my reflections`: the person's own reflections with Edit and Delete."""
    try:
        message = await my_reflections_message(request.services, request.team_id, request.user_id)
    except StoreUnavailable:
        await request.say_privately(UNAVAILABLE)
        return
    await _send(
        request.command.get("response_url"),
        response_type="ephemeral",
        replace_original=False,
        **message,
    )


async def my_reflections_message(
    services: Services, team: str, user: str, note: str | None = None
) -> dict[str, Any]:
    """An ephemeral message listing the person's latest reflections (text is escaped)."""
    reflections = await service.mine(services, team, user, limit=LIST_LIMIT + 1)
    command = escape(services.settings.slash_command)
    blocks: list[dict[str, Any]] = []
    if note:
        blocks.append(section(escape(note)))
    if not reflections:
        blocks.append(
            section(
                f"You have no saved reflections. Use `{command} reflect` or the Reflect "
                "button on a weekly prompt to write one."
            )
        )
        return {"text": "You have no saved reflections.", "blocks": blocks}
    shown = reflections[:LIST_LIMIT]
    more = " (your 10 most recent)" if len(reflections) > LIST_LIMIT else ""
    blocks.append(
        section(
            f"*Your reflections*{more}. Only you can see this list. "
            f"`{command} forget me` deletes all of them."
        )
    )
    for reflection in shown:
        blocks += reflection_blocks(services, reflection)
    return {"text": f"Your reflections ({len(shown)})", "blocks": blocks}


def reflection_blocks(services: Services, reflection: Any) -> list[dict[str, Any]]:
    """One reflection: its text (inert mrkdwn), when and on what, and Edit / Delete buttons."""
    theme = services.catalogue.get(reflection.theme_id)
    title = theme.title if theme else reflection.theme_id
    details = [escape(title), reflection.created_at.strftime("%d %b %Y")]
    if reflection.confidence:
        details.append(f"confidence {reflection.confidence}/5")
    details.append(
        "shared with your team without your name" if reflection.shared else "private to you"
    )
    delete = button("Delete", DELETE, str(reflection.id), style="danger")
    delete["confirm"] = {
        "title": _plain("Delete this reflection?"),
        "text": _plain("It will be deleted for good."),
        "confirm": _plain("Delete"),
        "deny": _plain("Keep it"),
        "style": "danger",
    }
    return [
        section(escape(reflection.text)[:2900]),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(details)}]},
        {
            "type": "actions",
            "block_id": f"reflection_{reflection.id}",
            "elements": [button("Edit", EDIT, str(reflection.id)), delete],
        },
    ]


async def forget_me_command(request: SlashRequest) -> None:
    """`/learn forget me`: ask for confirmation before deleting everything of this person."""
    forget = button("Delete all my reflections", FORGET, "all", style="danger")
    forget["confirm"] = {
        "title": _plain("Delete everything?"),
        "text": _plain("All your reflections and quiz answers will be deleted for good."),
        "confirm": _plain("Delete all"),
        "deny": _plain("Cancel"),
        "style": "danger",
    }
    text = (
        "This deletes every reflection you have written and your quiz answers, in every "
        "channel. It cannot be undone."
    )
    await request.respond(
        response_type="ephemeral",
        replace_original=False,
        text=text,
        blocks=[section(text), {"type": "actions", "elements": [forget]}],
    )


async def team_reflections_command(request: SlashRequest) -> None:
    """`/learn reflections`: this week's reflections shared with the team, without names."""
    services = request.services
    if services.store is None or not _stored_channel(request.channel_id):
        await request.say_privately("Ask for the team's reflections in the team's channel.")
        return
    week = await _channel_week(services, request.team_id, request.channel_id)
    try:
        shared = await reports.shared_this_week(services, request.team_id, request.channel_id, week)
    except StoreUnavailable:
        await request.say_privately(UNAVAILABLE)
        return
    reply = reports.team_summary(shared, services.catalogue, week)
    response_type = "in_channel" if shared else "ephemeral"
    for message in messages(reply):
        await _send(
            request.command.get("response_url"),
            response_type=response_type,
            replace_original=False,
            **message,
        )


async def report_command(request: SlashRequest) -> None:
    """`/learn report [weeks]`: figures for admins, and the chart uploaded to them privately."""
    services = request.services
    if not await is_report_admin(services, request.client, request.user_id):
        await request.say_privately(NOT_ADMIN)
        return
    weeks = parse_weeks(request.args)
    if weeks is None:
        command = services.settings.slash_command
        await request.say_privately(
            f"Say how many weeks to cover, from 1 to {MAX_REPORT_WEEKS}: "
            f"for example `{command} report 12`."
        )
        return
    end = services.clock.now() + INCLUDE_NOW
    start = end - timedelta(weeks=weeks)
    members = slack_members(request.client, await bot_user_id(request.client))
    try:
        report = await reports.gather_report(
            services, start, end, workspace_id=request.team_id, members=members
        )
    except StoreUnavailable:
        await request.say_privately(UNAVAILABLE)
        return
    await request.say_privately(reports.report_reply(report))
    await upload_chart(request.client, request.user_id, report)


async def is_report_admin(services: Services, client: AsyncWebClient, user_id: str) -> bool:
    """Configured scrbot admins, and the workspace's admins and owners."""
    if services.is_admin(user_id):
        return True
    try:
        response = await client.users_info(user=user_id)
    except SlackApiError as exc:
        log.warning("users.info failed while checking report access: %s", error_code(exc))
        return False
    user = response.get("user") or {}
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


async def bot_user_id(client: AsyncWebClient) -> str | None:
    """The bot's own user id (left out of channel membership), or None if Slack won't say."""
    try:
        return (await client.auth_test()).get("user_id")
    except SlackApiError as exc:
        log.warning("auth.test failed: %s", error_code(exc))
        return None


def slack_members(client: AsyncWebClient, bot_user: str | None) -> reports.Members:
    """Channel membership through conversations.members (without the bot itself)."""

    async def members(workspace_id: str, channel_id: str) -> list[str] | None:
        found: list[str] = []
        cursor = None
        try:
            while True:
                response = await client.conversations_members(
                    channel=channel_id, limit=1000, cursor=cursor
                )
                found += [m for m in response.get("members") or [] if m != bot_user]
                cursor = (response.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return found
        except SlackApiError as exc:
            log.warning("conversations.members failed for %s: %s", channel_id, error_code(exc))
            return None

    return members


async def upload_chart(client: AsyncWebClient, user_id: str, report: reports.Report) -> bool:
    """Upload the report's chart to the admin's direct message (files upload v2 API)."""
    png = await asyncio.to_thread(reports.as_png, report)
    name = f"reflections-{report.start.date().isoformat()}-{report.end.date().isoformat()}.png"
    try:
        opened = await client.conversations_open(users=user_id)
        channel = (opened.get("channel") or {}).get("id")
        await client.files_upload_v2(
            channel=channel,
            file=png,
            filename=name,
            title="Reflections per week",
            alt_txt="Bar chart of reflections per week, with a line for how many people reflected",
            initial_comment="The reflections chart you asked for.",
        )
    except SlackApiError as exc:
        log.warning("uploading the report chart failed: %s", error_code(exc))
        return False
    return True


ROUTES = {
    "reflect": reflect_command,
    "my reflections": my_reflections_command,
    "forget me": forget_me_command,
    "report": report_command,
    "reflections": team_reflections_command,
}


# -- App Home ----------------------------------------------------------------------------


async def home_blocks(services: Services, team: str, user: str) -> list[dict[str, Any]]:
    """The person's own latest reflections for the Home tab."""
    if services.store is None or not user:
        return []
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        section("*Your reflections*  (only you can see these)"),
        {"type": "actions", "elements": [button("Write a reflection", REFLECT, "")]},
    ]
    try:
        reflections = await service.mine(services, team, user, limit=HOME_LIMIT)
    except StoreUnavailable:
        return blocks + [section(UNAVAILABLE)]
    if not reflections:
        return blocks + [
            section("None yet. Press *Write a reflection*, or *Reflect* on a weekly prompt.")
        ]
    for reflection in reflections:
        blocks += reflection_blocks(services, reflection)
    return blocks


async def publish_home(services: Services, client: AsyncWebClient, team: str, user: str) -> None:
    """Publish the Home tab with the person's reflections (after an edit or delete there)."""
    view = home_view(services, mine=await home_blocks(services, team, user))
    try:
        await text_client(client).views_publish(user_id=user, view=view)
    except SlackApiError as exc:
        log.warning("views.publish failed: %s", error_code(exc))


# -- the leads' weekly digest ------------------------------------------------------------


async def post_weekly_digest(services: Services, client: AsyncWebClient, workspace_id: str) -> bool:
    """Post last week's figures to the configured leads channel; False if none is configured."""
    channel = services.settings.leads_channel
    if not channel:
        return False
    end = services.clock.now() + INCLUDE_NOW
    report = await reports.gather_report(
        services,
        end - timedelta(days=7),
        end,
        workspace_id=workspace_id,
        members=slack_members(client, await bot_user_id(client)),
    )

    await post_reply(client, channel, reports.digest_reply(report))
    return True


async def purge_expired(services: Services) -> int:
    """The daily retention purge (for the scheduler)."""
    return await service.purge_expired(services)


__all__ = [
    "ROUTES",
    "register",
    "post_weekly_digest",
    "purge_expired",
    "home_blocks",
    "publish_home",
]
