"""A reflection sent from the Adaptive Card form (Action.Execute; Action.Submit on cards posted
before): the form's values become a core Draft, and bot.reflections.outcome decides what is kept
and what to say; this module renders that outcome as a message and, when not saved, the form
again holding the person's text (a bare "not saved" would lose it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity

from bot.reflections import outcome, where
from bot.reflections.service import confidence_from
from bot.schedule.prompts import parse_action_value
from bot.services import Services
from bot.teams.activities import PLATFORM, channel_key, place_of, sender_id
from bot.teams.cards import privacy_notice, reflection_form

SOURCE = "teams"


@dataclass(frozen=True)
class FormAnswer:
    """What to send back for a form: a line of text and, when it was not saved but can be sent
    again, the form holding the person's text."""

    text: str
    card: dict[str, Any] | None = None


async def answer_form(services: Services, activity: Activity, form: dict[str, Any]) -> FormAnswer:
    """Save the reflection in `form`; if it was not saved, hand the form back holding the text,
    with why above it (what the guard found, or a database that is not answering)."""
    result = await outcome.save(
        services.store, await services.person_keys(), services.clock, services.catalogue, draft(activity, form)
    )
    if result.saved or result.theme_problem or not result.text:
        return FormAnswer(result.message())
    return FormAnswer(result.message(), form_again(form, result.text, result))


def draft(activity: Activity, form: dict[str, Any]) -> outcome.Draft:
    """The form's values, in the core's words."""
    theme_id, form_channel, form_week = parse_action_value(_value(form))
    _, workspace_id, conversation = channel_key(activity)
    return outcome.Draft(
        platform=PLATFORM,
        workspace_id=workspace_id,
        user_id=sender_id(activity),
        theme_id=theme_id or None,
        text=str(form.get("text") or ""),
        source=SOURCE,
        confidence=confidence_from(form.get("confidence")),
        shared=_shared(form),
        channel_id=where.counted_channel(place_of(activity), conversation, form_channel),
        week=form_week,
        not_people=str(form.get("not_people") or ""),
    )


def redact_form(form: dict[str, Any]) -> FormAnswer:
    """ "Replace them for me": the form again with the guard's neutral wording in the text."""
    redaction = outcome.redact({"text": str(form.get("text") or "")})
    text = redaction.texts["text"]
    if redaction.found is not None:
        notice = privacy_notice(redaction.found, redaction.problem or "")
        return FormAnswer(outcome.REPLACED, _filled(form, text, notice=notice))
    return FormAnswer(outcome.REPLACED, _filled(form, text, intro=outcome.REPLACED))


def form_again(form: dict[str, Any], text: str, result: outcome.ReflectionOutcome) -> dict[str, Any]:
    """The reflection form filled in as sent, with why it was not saved above it."""
    if result.guarded and result.found is not None:
        return _filled(form, text, notice=privacy_notice(result.found, result.problem or ""))
    return _filled(form, text, intro=f"{outcome.NOT_SAVED_YET} {result.problem}")


def _value(form: dict[str, Any]) -> str:
    """The form's "theme|channel|week", with the theme picked on the form where it had a picker."""
    theme_id, channel, week = parse_action_value(str(form.get("value") or ""))
    picked = str(form.get("theme") or "")
    return f"{theme_id or picked}|{channel or ''}|{week or ''}"


def _filled(form: dict[str, Any], text: str, **why: Any) -> dict[str, Any]:
    return reflection_form(
        _value(form),
        text=text,
        confidence=confidence_from(form.get("confidence")),
        shared=_shared(form),
        **why,
    )


def _shared(form: dict[str, Any]) -> bool:
    return str(form.get("shared")).lower() == "true"
