"""A reflection sent from the Adaptive Card form (Action.Execute; Action.Submit on cards posted
before): the same capture rules, privacy guard and store as every other platform, through
bot.reflections.service."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity

from bot.reflections.service import (
    StoreUnavailable,
    Submission,
    capture,
    clean_text,
    confidence_from,
    privacy_problem,
    privacy_review,
    submission_key,
)
from bot.schedule.prompts import parse_action_value
from bot.services import Services
from bot.store.repository import check_week
from bot.teams.activities import PERSONAL, PLATFORM, channel_key, conversation_kind, sender_id
from bot.teams.cards import PrivacyNotice, reflection_form

log = logging.getLogger("scrbot.teams.reflections")

SOURCE = "teams"
NOT_SAVED = "Your reflection was not saved: {problem}"
STORE_DOWN = "Our database is not answering. Please press Save again in a minute."


@dataclass(frozen=True)
class FormAnswer:
    """What to send back for a form: a line of text and, when the guard stopped the text, the
    form again holding the person's text (a bare "not saved" would lose it)."""

    text: str
    card: dict[str, Any] | None = None


async def answer_form(services: Services, activity: Activity, form: dict[str, Any]) -> FormAnswer:
    """Save the reflection in `form`; if it was not saved, hand the form back holding the text,
    with why above it (what the guard found, or a database that is not answering)."""
    message, problem = await save_from_form(services, activity, form)
    text = clean_text(str(form.get("text") or ""))
    if problem is None or not text:
        return FormAnswer(message)
    review = privacy_review(text, str(form.get("not_people") or ""))
    if not review.ok:
        return FormAnswer(message, form_with_notice(form, text, review))
    return FormAnswer(message, _form_again(form, text, f"Not saved yet. {problem}"))


def redact_form(form: dict[str, Any]) -> FormAnswer:
    """ "Replace them for me": the form again with the guard's neutral wording in the text."""
    from bot.reflections import privacy

    text = clean_text(str(form.get("text") or ""))
    review = privacy_review(text)
    redacted = privacy.redact(text, (*review.refused, *review.questions))
    left = privacy_review(redacted)
    done = "I replaced them. Check the text, then press Save reflection."
    card = form_with_notice(form, redacted, left) if not left.ok else _form_again(form, redacted, done)
    return FormAnswer(done, card)


def form_with_notice(form: dict[str, Any], text: str, review: Any) -> dict[str, Any]:
    """The reflection form filled in as sent, with what the guard found listed above it."""
    from bot.reflections import privacy

    asking = not review.refused  # the "not a person" toggle shows only then
    unsure = "remove it, or tick below if it isn't a person" if asking else "remove it if it is a person"
    lines = tuple(
        f"“{privacy.shown(text, f)}”: {'remove it' if f.certain else unsure} (or write {f.replacement()})"
        for f in sorted((*review.refused, *review.questions), key=lambda f: f.start)
    )
    key = privacy.question_key(text, review.questions) if review.questions and not review.refused else ""
    notice = PrivacyNotice(privacy_problem(text, review) or "", lines, key)
    return reflection_form(
        str(form.get("value") or ""),
        text=text,
        confidence=confidence_from(form.get("confidence")),
        shared=str(form.get("shared")).lower() == "true",
        notice=notice,
    )


def _form_again(form: dict[str, Any], text: str, intro: str) -> dict[str, Any]:
    return reflection_form(
        str(form.get("value") or ""),
        text=text,
        confidence=confidence_from(form.get("confidence")),
        shared=str(form.get("shared")).lower() == "true",
        intro=intro,
    )


async def save_from_form(services: Services, activity: Activity, form: dict[str, Any]) -> tuple[str, str | None]:
    """Save the reflection in `form`: what to tell the person (a thank-you, or what to fix), and
    the problem to show on the form when it was not saved but can be sent again."""
    theme_id, form_channel, form_week = parse_action_value(str(form.get("value") or ""))
    theme = services.catalogue.get(theme_id)
    if theme is None:
        return "That theme is no longer in the catalogue, so the reflection was not saved.", None
    _, workspace_id, conversation = channel_key(activity)
    user_id = sender_id(activity)
    text = str(form.get("text") or "")
    week = _week_or_none(form_week)
    submission = Submission(
        platform=PLATFORM,
        workspace_id=workspace_id,
        user_id=user_id,
        theme_id=theme.id,
        text=text,
        idempotency_key=submission_key(PLATFORM, workspace_id, user_id, theme.id, week or "", text),
        source=SOURCE,
        confidence=confidence_from(form.get("confidence")),
        shared=str(form.get("shared")).lower() == "true",
        # A form in a channel belongs to that channel; in a 1:1 chat, to the prompt's channel.
        channel_id=conversation if conversation_kind(activity) != PERSONAL else (form_channel or None),
        week=week,
        not_people=str(form.get("not_people") or ""),
    )
    try:
        outcome = await capture(services, submission)
    except StoreUnavailable:
        # Said plainly, on the form that still holds their text, so they can send it again.
        return f"Sorry, your reflection was not saved: {STORE_DOWN}", STORE_DOWN
    if outcome.problem:
        return NOT_SAVED.format(problem=outcome.problem), outcome.problem
    if not outcome.created:
        return f"You have already saved this reflection on {theme.title}.", None
    shared = " It will be included, without your name, in the team's learning summary." if submission.shared else ""
    return f"Thank you: your reflection on {theme.title} is saved.{shared}", None


def _week_or_none(week: str | None) -> str | None:
    if not week:
        return None
    try:
        return check_week(week)
    except ValueError:
        log.info("ignored a malformed week in a reflection form")
        return None
