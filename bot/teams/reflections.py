"""A reflection sent from the Adaptive Card form (Action.Submit): the same capture rules, privacy
guard and store as every other platform, through bot.reflections.service."""

from __future__ import annotations

import logging
from typing import Any

from microsoft_agents.activity import Activity

from bot.reflections.service import StoreUnavailable, Submission, capture, confidence_from, submission_key
from bot.schedule.prompts import parse_action_value
from bot.services import Services
from bot.store.repository import check_week
from bot.teams.activities import PERSONAL, PLATFORM, channel_key, conversation_kind, sender_id

log = logging.getLogger("scrbot.teams.reflections")

SOURCE = "teams"
NOT_SAVED = "Your reflection was not saved: {problem}"


async def save_from_form(services: Services, activity: Activity, form: dict[str, Any]) -> str:
    """Save the reflection in `form`; what to tell the person (a thank-you, or what to fix)."""
    theme_id, form_channel, form_week = parse_action_value(str(form.get("value") or ""))
    theme = services.catalogue.get(theme_id)
    if theme is None:
        return "That theme is no longer in the catalogue, so the reflection was not saved."
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
    )
    try:
        outcome = await capture(services, submission)
    except StoreUnavailable:
        # The card still holds the text in Teams: say plainly it was not saved, so they resend it.
        return (
            "Sorry, your reflection was not saved: our database is not answering. Please press Save again in a minute."
        )
    if outcome.problem:
        return NOT_SAVED.format(problem=outcome.problem)
    if not outcome.created:
        return f"You have already saved this reflection on {theme.title}."
    shared = " It will be included, without your name, in the team's learning summary." if submission.shared else ""
    return f"Thank you: your reflection on {theme.title} is saved.{shared}"


def _week_or_none(week: str | None) -> str | None:
    if not week:
        return None
    try:
        return check_week(week)
    except ValueError:
        log.info("ignored a malformed week in a reflection form")
        return None
