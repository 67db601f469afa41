"""Reflections in Slack: the Reflect modal, `/learn reflect`, the list's Edit, Delete and Forget
me buttons, thread replies to the weekly prompt, the Home tab list and the leads' weekly digest.

What to keep, and what to say about it, is decided in bot.reflections.outcome and bot.router;
this module only turns Slack payloads into those calls and renders the outcome. Calls that carry
reflection text go through `text_client`/`send_quietly`, whose logger never writes (slack_sdk
logs whole request bodies at DEBUG), and no log line here includes text or an exception's message.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import inbound, router
from bot.content import Theme
from bot.reflections import outcome, privacy, reports, service, where
from bot.reflections.form import SHARED_BY_DEFAULT, ReflectionFormWording, reflection_form
from bot.router import NOT_ADMIN  # noqa: F401  (NOT_ADMIN: the report refusal, read by tests)
from bot.schedule.prompts import parse_action_value
from bot.services import Services
from bot.slack import answers
from bot.slack import privacy as privacy_view
from bot.slack.answers import text_client
from bot.slack.errors import error_code
from bot.slack.messaging import post_reply
from bot.slack.render import button, escape, home_view, reply_blocks, section

log = logging.getLogger("scrbot.slack.reflections")

PLATFORM = "slack"
NEW_VIEW = "reflection_new"
EDIT_VIEW = "reflection_edit"
THEME_BLOCK, THEME_INPUT = "reflection_theme", "theme"
TEXT_BLOCK, TEXT_INPUT = "reflection_text", "text"
CONFIDENCE_BLOCK, CONFIDENCE_INPUT = "reflection_confidence", "confidence"
SHARE_BLOCK, SHARE_INPUT = "reflection_share", "shared"
REFLECT = router.REFLECT  # the weekly prompt's button, and a new form's (value "theme|channel|week")
LIST_BUTTONS = (router.EDIT, router.DELETE, router.FORGET)  # on the list of my reflections and forget me
REPLY_IN_FORM = "reflection_reply_in_form"  # a stopped thread reply, reopened in the modal

SAVE_TIMEOUT = 2.0  # seconds; Slack waits 3 s for the answer to a view submission
MODAL_SOURCES = ("modal", "command", "thread")  # where the Reflect modal is opened from

NOT_SAVED = reflection_form().not_saved  # the form's wording is bot.reflections.form's


_team, _user = answers.team_of, answers.user_of


def _stored_channel(channel_id: str | None) -> str | None:
    """The channel a reflection about `channel_id` counts for (a direct message's id is not
    kept): Slack's ids say where, and the core's rule says what counts."""
    return where.counted_channel(answers.place_of(channel_id), channel_id)


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
    """The Reflect modal (new or edit), worded by bot.reflections.form: the question,
    confidence 1-5, sharing, and the note."""
    wording = reflection_form(editing=reflection is not None)
    blocks: list[dict[str, Any]] = []
    if theme is not None:
        blocks.append(section(f"*{escape(theme.title)}*"))
    elif reflection is None:
        blocks.append(_theme_picker(services, wording))
    text_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": TEXT_INPUT,
        "multiline": True,
        "max_length": wording.max_chars,
        "placeholder": _plain(wording.text_hint),
    }
    if reflection is not None:
        text_input["initial_value"] = reflection.text
    elif text:
        text_input["initial_value"] = text
    blocks.append({"type": "input", "block_id": TEXT_BLOCK, "label": _plain(wording.text_label), "element": text_input})
    options = [{"text": _plain(choice.label), "value": choice.value} for choice in wording.confidence_choices]
    radio: dict[str, Any] = {"type": "radio_buttons", "action_id": CONFIDENCE_INPUT, "options": options}
    chosen = [o for o in options if reflection is not None and o["value"] == str(reflection.confidence)]
    if chosen:
        radio["initial_option"] = chosen[0]
    blocks.append(
        {
            "type": "input",
            "block_id": CONFIDENCE_BLOCK,
            "optional": True,
            "label": _plain(wording.confidence_label),
            "element": radio,
        }
    )
    share_option = {"text": _plain(wording.share_label), "value": "shared"}
    checkboxes: dict[str, Any] = {"type": "checkboxes", "action_id": SHARE_INPUT, "options": [share_option]}
    if reflection.shared if reflection is not None else SHARED_BY_DEFAULT:
        checkboxes["initial_options"] = [share_option]
    blocks.append(
        {
            "type": "input",
            "block_id": SHARE_BLOCK,
            "optional": True,
            "label": _plain(wording.share_heading),
            "element": checkboxes,
        }
    )
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(wording.note)}]})
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": json.dumps(metadata, separators=(",", ":")),
        "title": _plain(wording.title),
        "submit": _plain(wording.save),
        "close": _plain(wording.cancel),
        "blocks": blocks,
    }


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _theme_picker(services: Services, wording: ReflectionFormWording) -> dict[str, Any]:
    options = [{"text": _plain(theme.title[:75]), "value": theme.id} for theme in list(services.catalogue)[:100]]
    return {
        "type": "input",
        "block_id": THEME_BLOCK,
        "label": _plain(wording.theme_label),
        "element": {
            "type": "static_select",
            "action_id": THEME_INPUT,
            "placeholder": _plain(wording.theme_hint),
            "options": options,
        },
    }


def thanks_view(result: outcome.ReflectionOutcome, command: str) -> dict[str, Any]:
    """What the modal turns into once saved (never echoes the text)."""
    wording = reflection_form()
    first, *rest = result.thanks(f"{command} ", home_tab=True)
    return {
        "type": "modal",
        "title": _plain(wording.title),
        "close": _plain(wording.done),
        "blocks": [section("\n".join([f"*{escape(first)}*", *(escape(line) for line in rest)]))],
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
    confidence = (element(CONFIDENCE_BLOCK, CONFIDENCE_INPUT).get("selected_option") or {}).get("value")
    shared = bool(element(SHARE_BLOCK, SHARE_INPUT).get("selected_options"))
    theme = (element(THEME_BLOCK, THEME_INPUT).get("selected_option") or {}).get("value")
    return Form(text, service.confidence_from(confidence), shared, theme)


def _source(metadata: dict[str, Any]) -> str:
    """Where the modal was opened from, as its metadata says; "modal" for anything else."""
    source = metadata.get("source")
    return source if source in MODAL_SOURCES else "modal"


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
    checked = outcome.check(text) if text else None
    if checked is not None and checked.guarded:
        found, problem = _in_modal(checked), checked.problem or ""
        view = privacy_view.reviewed_view(view, {TEXT_BLOCK: text or ""}, found, problem=problem)
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
    for action_id in LIST_BUTTONS:
        app.action(action_id)(_on_list_button(services, action_id))
    app.action(privacy_view.REDACT)(_on_redact_button())
    privacy.warm_up()  # the guard's word lists, before the first submission
    if not any(isinstance(f, privacy_view.WithoutResponseBodies) for f in app.logger.filters):
        app.logger.addFilter(privacy_view.WithoutResponseBodies())
    app.action(REPLY_IN_FORM)(_on_reply_in_form_button(services))
    app.event("message", matchers=[is_thread_reply])(_on_thread_reply(services))


def _on_reflect_button(services: Services):
    async def on_reflect(ack, action: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
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
            week=week or service.current_week(services.clock),
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
            week=data.get("w") or service.current_week(services.clock),
            source="thread",
            text=str(data.get("x") or ""),
        )

    return on_open


def _on_new_submission(services: Services):
    async def on_submit(ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata, form, team = _metadata(view), read_form(view), _team(body)
        draft = outcome.Draft(
            platform=PLATFORM,
            workspace_id=team,
            user_id=_user(body),
            theme_id=metadata.get("theme") or form.theme_id,
            text=form.text,
            source=_source(metadata),
            confidence=form.confidence,
            shared=form.shared,
            channel_id=_stored_channel(metadata.get("channel")),
            week=metadata.get("week"),
            not_people=privacy_view.not_people_answer(view, TEXT_BLOCK),
            repeat_key=service.view_key(PLATFORM, team, view["id"]) if view.get("id") else "",
        )
        result = await outcome.save(
            services.store,
            await services.person_keys(),
            services.clock,
            services.catalogue,
            draft,
            within=SAVE_TIMEOUT,
            context=f"view {view.get('id')}",
        )
        if result.saved:
            await ack(response_action="update", view=thanks_view(result, services.settings.slash_command))
        elif result.guarded:
            await ack(response_action="update", view=_reviewed(services, view, form, result))
        else:
            await ack(response_action="errors", errors=_errors(view, result))

    return on_submit


def _errors(view: dict[str, Any], result: outcome.ReflectionOutcome) -> dict[str, str]:
    """The outcome's problems under the modal's inputs."""
    errors = {THEME_BLOCK: result.theme_problem} if result.theme_problem else {}
    if result.problem:
        errors[_text_block_id(view)] = result.problem
    return errors


def _text_block_id(view: dict[str, Any]) -> str:
    """The text input's current block id (it changes each time a redaction rewrites the text)."""
    ids = privacy_view.text_blocks(view, TEXT_BLOCK)
    return ids[0] if ids else TEXT_BLOCK


def _reviewed(
    services: Services, view: dict[str, Any], form: Form, result: outcome.ReflectionOutcome
) -> dict[str, Any]:
    """The modal again, with the person's text and choices and what the guard found."""
    metadata = _metadata(view)
    editing = view.get("callback_id") == EDIT_VIEW
    theme = services.catalogue.get(metadata.get("theme") or form.theme_id or "")
    if theme is not None and not editing:
        metadata = {**metadata, "theme": theme.id}  # the picker is not shown again: keep the choice
    again = reflection_view(
        services,
        callback_id=str(view.get("callback_id") or NEW_VIEW),
        metadata=metadata,
        theme=theme,
        reflection=_AsTyped(result.text, form.confidence, form.shared) if editing else None,
        text=result.text,
    )
    if not editing:
        again = _with_choices(again, form)
    return privacy_view.reviewed_view(again, {TEXT_BLOCK: result.text}, _in_modal(result), problem=result.problem or "")


def _in_modal(result: outcome.ReflectionOutcome) -> outcome.Findings | None:
    """The guard's findings, by the modal's text block (the tick box names it)."""
    return result.found.renamed({"text": TEXT_BLOCK}) if result.found is not None else None


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
        chosen = [o for o in element.get("options") or [] if o.get("value") == str(form.confidence)]
        if block.get("block_id") == CONFIDENCE_BLOCK and chosen:
            element["initial_option"] = chosen[0]
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
                texts[base] = privacy_view.value_of(view, base, str(element.get("action_id") or ""))
        redaction = outcome.redact(texts)
        updated = privacy_view.reviewed_view(
            view, dict(redaction.texts), redaction.found, problem=redaction.problem or "", rename=True
        )
        try:
            await text_client(client).views_update(view_id=view.get("id"), hash=view.get("hash"), view=updated)
        except SlackApiError as exc:
            log.warning("views.update failed for a redaction: %s", error_code(exc))

    return on_redact


def _on_edit_submission(services: Services):
    async def on_submit(ack, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient) -> None:
        metadata, form = _metadata(view), read_form(view)
        inputs = {
            "text": form.text,
            "confidence": form.confidence,
            "shared": "true" if form.shared else "false",
            "not_people": privacy_view.not_people_answer(view, TEXT_BLOCK),
        }
        saving = answers.button_incoming(services, body, router.EDIT_SAVE, str(metadata.get("id") or ""), inputs)
        try:
            answer = await asyncio.wait_for(inbound.answer(services, saving), SAVE_TIMEOUT)
        except TimeoutError as exc:
            late = outcome.unavailable(form.text, exc, f"reflection {metadata.get('id')}", "a reflection edit")
            await ack(response_action="errors", errors={_text_block_id(view): late.problem})
            return
        edited = answer.reflection_form.outcome if answer.reflection_form else None
        if edited is not None and edited.guarded:  # the modal stays open with the guard's findings
            await ack(response_action="update", view=_reviewed(services, view, form, edited))
            return
        if edited is not None or not answer.replies:  # not saved: the modal stays open with the reason
            problem = (edited.problem if edited else None) or answer.text or NOT_SAVED
            await ack(response_action="errors", errors={_text_block_id(view): problem})
            return
        await ack()
        await _show(services, client, body, answer, metadata.get("origin"), metadata.get("response_url"))

    return on_submit


def _origin(body: dict[str, Any]) -> tuple[str, str | None]:
    """Where a list button was pressed: the Home tab, or a message with a response_url."""
    in_a_view = (body.get("container") or {}).get("type") == "view"
    if in_a_view or (body.get("view") or {}).get("type") == "home":
        return "home", None
    return "list", body.get("response_url")


def _on_list_button(services: Services, action_id: str):
    """Edit, Delete (Slack's dialog has asked already) and Delete all my reflections."""
    routed_as = router.CONFIRMED.get(action_id, action_id)

    async def on_button(ack, action: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        origin, response_url = _origin(body)
        pressed = answers.button_incoming(services, body, routed_as, str(action.get("value") or ""))
        answer = await inbound.answer(services, pressed)
        if answer.reflection_form is not None:
            trigger = body.get("trigger_id", "")
            await _open_edit_modal(services, client, trigger, answer.reflection_form, origin, response_url)
            return
        await _show(services, client, body, answer, origin, response_url)

    return on_button


async def _open_edit_modal(
    services: Services,
    client: AsyncWebClient,
    trigger_id: str,
    form: router.ReflectionForm,
    origin: str,
    response_url: str | None,
) -> None:
    metadata = {"id": form.reflection_id, "origin": origin, "response_url": response_url}
    view = reflection_view(
        services,
        callback_id=EDIT_VIEW,
        metadata=metadata,
        theme=services.catalogue.get(form.theme_id),
        reflection=form,
    )
    try:
        await text_client(client).views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("views.open failed for the edit modal: %s", error_code(exc))


async def _show(
    services: Services,
    client: AsyncWebClient,
    body: dict[str, Any],
    answer: router.Answer,
    origin: str | None,
    response_url: str | None,
) -> None:
    """The answer where the person was looking: the Home tab again, or the list's message."""
    if origin == "home":
        await publish_home(services, client, _team(body), _user(body))
        return
    await answers.respond(response_url, answer)


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
    async def on_thread_reply(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context) -> None:
        text = event.get("text") or ""
        if context.bot_user_id and f"<@{context.bot_user_id}" in text:
            return  # a question to the bot in the thread: app_mention answers it
        channel = event.get("channel") or ""
        reply = outcome.ThreadReply(
            platform=PLATFORM,
            workspace_id=body.get("team_id") or "",
            user_id=event["user"],
            channel_id=channel,
            thread_id=event.get("thread_ts"),
            message_id=event.get("ts", ""),
            text=text,
        )
        result = await outcome.thread_reply(services.store, await services.person_keys(), services.clock, reply)
        if result is None:
            return
        if result.kind != outcome.SAVED:
            await _tell_in_thread(client, event, result.notice, _reopen_button(result.reopen))
            return
        try:
            await client.reactions_add(channel=channel, timestamp=str(event.get("ts") or ""), name="white_check_mark")
        except SlackApiError as exc:
            if error_code(exc) != "already_reacted":
                log.warning("reactions.add failed in %s: %s", channel, error_code(exc))

    return on_thread_reply


def _reopen_button(reopen: outcome.Reopen | None) -> dict[str, Any] | None:
    """A button that opens the reply in the Reflect modal, refused details replaced (None when
    the guard was not the reason, or the reply is too long for a button)."""
    if reopen is None:
        return None
    value = json.dumps(
        {"t": reopen.theme_id, "c": reopen.channel_id, "w": reopen.week, "x": reopen.text}, separators=(",", ":")
    )
    if len(value) > 2000:  # Slack's limit for a button value
        return None
    return button(outcome.REOPEN, REPLY_IN_FORM, value)


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


def form_opener(services: Services) -> answers.FormOpener:
    """`/learn reflect [theme]`, answered by bot.router with a new reflection form: the Reflect
    modal on that form's theme (or its picker), opened with the command's trigger."""

    async def open_form(
        client: AsyncWebClient, trigger_id: str, form: router.ReflectionForm, asked: router.Incoming
    ) -> bool:
        return await open_reflect_modal(
            services,
            client,
            trigger_id,
            theme=services.catalogue.get(form.theme_id) if form.theme_id else None,
            channel_id=asked.conversation_id,
            week=form.week,
            source="command",
        )

    return open_form


ROUTES: dict[str, Any] = {}  # reflect, my reflections, forget me, reflections, report: bot.router


# -- App Home ----------------------------------------------------------------------------


async def home_blocks(services: Services, team: str, user: str) -> list[dict[str, Any]]:
    """The person's own latest reflections for the Home tab, as the router lists them."""
    if services.store is None or not user:
        return []
    listed = await router.my_reflections(services, answers.incoming(services, team, user, ""))
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        {"type": "actions", "elements": [button(reflection_form().open_form, REFLECT, "")]},
    ]
    if listed.text:
        blocks.append(section(escape(listed.text)))
    for reply in listed.replies:
        blocks += reply_blocks(reply)
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
    digest = await reports.weekly_digest(
        services.store,
        services.catalogue,
        services.clock,
        workspace_id,
        members=answers.channel_members(client),
        keys=await services.person_keys(),
    )
    await post_reply(client, channel, digest)
    return True


async def purge_expired(services: Services) -> int:
    """The daily retention purge (for the scheduler)."""
    return await service.purge_expired(
        service.need_store(services.store), services.clock, services.settings.retention_days
    )


__all__ = [
    "ROUTES",
    "register",
    "post_weekly_digest",
    "purge_expired",
    "home_blocks",
    "publish_home",
]
