"""Seeded, realistic dashboard data: subscribed Slack and Teams channels, a weekly ledger of
prompts (mostly posted, some missed or failed), reflections from each channel's people with
confidence that varies by theme, team-meeting actions and weekly quiz answers. Used by the
dashboard tests, the browser suite, the screenshots and bench/dashboard.py.

Written with bulk INSERTs (one statement per table) so a year of 200 channels takes seconds.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from bot.content import Catalogue
from bot.meetings import TEAM_ACTIONS_SOURCE
from bot.store import Delivery, QuizAnswer, Reflection, Store, Subscription

SLACK_WORKSPACE = "T0SEED"
TEAMS_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
AGREED = (
    "What's working well:\nWe share chronologies before core groups.\n\n"
    "What needs to happen next:\nEach of us checks who else lives in the household at the next visit.",
    "What are we worried about:\nPlans that stay the same for months.\n\n"
    "What needs to happen next:\nReview every plan that has not changed in six weeks at supervision.",
    "What needs to happen next:\nInvite the school nurse to the next team meeting about neglect.",
    "What's working well:\nChallenging each other kindly.\n\n"
    "What needs to happen next:\nUse the escalation policy when a partner agency does not reply in 5 days.",
)


@dataclass(frozen=True)
class Seeded:
    channels: list[tuple[str, str, str]]  # (platform, workspace, channel)
    small_channel: tuple[str, str, str]  # fewer than 5 people take part here
    dead_channel: tuple[str, str, str]  # prompts posted, nobody reflects
    reflections: int
    deliveries: int
    quiz_answers: int


def _key(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


async def seed(
    store: Store,
    catalogue: Catalogue,
    now: datetime,
    *,
    channels: int = 12,
    weeks: int = 16,
    team_size: tuple[int, int] = (8, 30),
    rng_seed: int = 16,
) -> Seeded:
    """Fill an empty, migrated store with `weeks` weeks (ending this week) for `channels` channels."""
    rng = random.Random(rng_seed)
    themes = catalogue.ids()
    # Some themes leave people unsure: their confidence is drawn lower.
    difficulty = {theme: rng.choice((1.8, 2.4, 3.2, 3.6, 4.1)) for theme in themes}
    this_monday = now.date() - timedelta(days=now.weekday())
    mondays = [this_monday - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]
    subs, deliveries, reflections, answers = [], [], [], []
    chosen: list[tuple[str, str, str]] = []
    delivery_id = 0
    for n in range(channels):
        teams = n % 4 == 3
        platform = "teams" if teams else "slack"
        workspace = TEAMS_TENANT if teams else SLACK_WORKSPACE
        channel = f"19:team{n:04d}@thread.tacv2" if teams else f"C{n:08d}"
        chosen.append((platform, workspace, channel))
        small, dead = n == 1, n == 2
        size = 3 if small else rng.randint(*team_size)
        rate = 0.0 if dead else rng.uniform(0.15, 0.6)
        paused = this_monday + timedelta(weeks=3) if n == 5 else None
        subs.append(
            dict(
                platform=platform,
                workspace_id=workspace,
                channel_id=channel,
                weekday=n % 5,
                hour=9 + n % 3,
                minute=30 if n % 2 else 0,
                timezone="Europe/London" if n % 6 else "Europe/Dublin",
                skip_bank_holidays=n % 3 == 0,
                paused_until=paused,
                excluded_themes=[],
                thread_replies_as_reflections=False,
                quiz_prompts=n % 2 == 0,
                conversation_ref=None,
                created_by="U0ADMIN",
                created_at=now - timedelta(weeks=weeks + 1),
                updated_at=now - timedelta(weeks=weeks + 1),
                last_error="channel_not_found" if n == 7 else None,
                last_error_at=now - timedelta(days=2) if n == 7 else None,
            )
        )
        for w, monday in enumerate(mondays):
            week = _week(monday)
            theme = themes[(n + w) % len(themes)]
            status = rng.choices(("posted", "missed", "failed"), (0.9, 0.07, 0.03))[0]
            if monday == this_monday and monday + timedelta(days=n % 5) > now.date():
                continue  # not due yet this week
            delivery_id += 1
            when = datetime(monday.year, monday.month, monday.day, 9, tzinfo=UTC) + timedelta(days=n % 5)
            deliveries.append(
                dict(
                    id=delivery_id,
                    platform=platform,
                    workspace_id=workspace,
                    channel_id=channel,
                    week=week,
                    theme_id=theme,
                    status=status,
                    claimed_by="seed",
                    claimed_at=when,
                    message_ts=f"{when.timestamp():.6f}" if status == "posted" else None,
                    error="channel_not_found" if status == "failed" else None,
                    completed_at=when,
                )
            )
            if status != "posted":
                continue
            for person in range(size):
                if rng.random() >= (0.9 if small else rate):
                    continue
                at = when + timedelta(hours=rng.randint(1, 72))
                if at >= now:
                    continue
                person_key = _key(workspace, channel, person)
                confidence = max(1, min(5, round(rng.gauss(difficulty[theme], 0.9))))
                reflections.append(
                    dict(
                        idempotency_key=f"seed:{delivery_id}:{person}",
                        theme_id=theme,
                        workspace_id=workspace,
                        channel_id=channel,
                        week=week,
                        person_key=person_key,
                        created_at=at,
                        updated_at=at,
                        text="A seeded reflection on practice.",
                        confidence=confidence if rng.random() < 0.85 else None,
                        shared=rng.random() < 0.3,
                        source="teams" if teams else "modal",
                    )
                )
                if n % 2 == 0 and rng.random() < 0.8:
                    answers.append(
                        dict(
                            quiz_id=f"{theme}.w{delivery_id}",
                            person_key=person_key,
                            choice=theme if rng.random() < difficulty[theme] / 5 else "other",
                            correct=False,
                            answered_at=at,
                        )
                    )
            if not dead and not teams and rng.random() < 0.25:
                at = when + timedelta(days=1)
                if at < now:
                    reflections.append(
                        dict(
                            idempotency_key=f"seed:actions:{delivery_id}",
                            theme_id=theme,
                            workspace_id=workspace,
                            channel_id=channel,
                            week=week,
                            person_key=_key(workspace, channel, "lead"),
                            created_at=at,
                            updated_at=at,
                            text=rng.choice(AGREED),
                            confidence=None,
                            shared=True,
                            source=TEAM_ACTIONS_SOURCE,
                        )
                    )
    for answer in answers:
        answer["correct"] = answer["choice"] != "other"
    async with store.engine.begin() as connection:
        await connection.execute(insert(Subscription), subs)
        if deliveries:
            await connection.execute(insert(Delivery), deliveries)
        for start in range(0, len(reflections), 5000):
            await connection.execute(insert(Reflection), reflections[start : start + 5000])
        for start in range(0, len(answers), 5000):
            await connection.execute(insert(QuizAnswer), answers[start : start + 5000])
    if store.dialect == "postgresql":  # explicit ids leave the sequence behind
        async with store.engine.begin() as connection:
            from sqlalchemy import text

            await connection.execute(text("SELECT setval('deliveries_id_seq', (SELECT max(id) FROM deliveries))"))
    return Seeded(chosen, chosen[1], chosen[2], len(reflections), len(deliveries), len(answers))
