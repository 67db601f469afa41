"""Team meetings: the discussion pack, choosing a theme for a meeting, and the scenario quiz.

Platform-neutral: every function returns data or a Reply; adapters post them. Randomness
arrives as a seed or a `random.Random`, time as a `now`, so every decision is testable.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot import notices
from bot.content import Catalogue, Theme
from bot.replies import Action, Reply, Section

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.reflections.outcome import Findings
    from bot.store import Store

TEN_MINUTE_SHAPE = (
    "Minutes 0-2: one person reads the scenario aloud.",
    "Minutes 2-3: everyone thinks quietly about what strikes them.",
    "Minutes 3-7: talk through two or three of the questions.",
    "Minutes 7-10: fill in the three columns together and agree who does what next.",
)
# The three-column frame: (heading, what goes in it). Headings are the words teams know.
THREE_COLUMNS = (
    (
        "What's working well",
        "what is helping the children in this scenario, and in our own practice",
    ),
    ("What are we worried about", "the risks, gaps and assumptions the scenario makes us notice"),
    ("What needs to happen next", "the actions we agree, each with a name and a date"),
)
# The columns' field names (TeamActions), in frame order.
COLUMNS = ("working_well", "worried_about", "next_steps")
QUIZ_LETTERS = "ABC"
# Per column of a team's recorded actions: three full columns and their headings stay within
# the 1,500 characters a reflection may hold (bot/reflections/service.py).
MAX_ACTIONS_CHARS = 450
HISTORY_YEARS = 2  # how far back /learn meeting looks for a channel's discussions
TEAM_ACTIONS_SOURCE = "team-actions"
NOT_SAVED = notices.database_down(
    "your team's actions were not saved", "Here they are to keep: please record them again later."
)
RECORD_ACTIONS_NOTE = (
    "Your agreed actions are saved as a team reflection and posted under the discussion. Keep "
    "them to practice learning: no names or details that could identify a child or family."
)

_NONCE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_FICTIONAL_LABEL = re.compile(r"^\s*fictional(?: scenario)?\s*:\s*", re.IGNORECASE)


# -- the meeting pack -------------------------------------------------------------------------


def meeting_pack(theme: Theme, *, for_channel: bool = True, can_share: bool = False, intro: str | None = None) -> Reply:
    """A ten-minute discussion starter: scenario, questions, shape and the three-column frame.

    A pack posted `for_channel` carries "Record our actions". A private copy carries theme
    buttons, and "Post in this channel" when the adapter `can_share` (it handles that button).
    """
    columns = tuple(f"{heading}: {hint}" for heading, hint in THREE_COLUMNS)
    if for_channel:
        actions: tuple[Action, ...] = (Action("record_actions", "Record our actions", theme.id),)
    else:
        actions = (Action("discuss_share", "Post in this channel", theme.id),) if can_share else ()
        actions += (
            Action("questions", "Reflective questions", theme.id),
            Action("related", "Related themes", theme.id),
        )
    return Reply(
        kind="meeting-pack",
        title=f"Discussion starter: {theme.title}",
        intro=intro,
        sections=(
            Section("Scenario", text=theme.scenario),
            Section("Discuss", bullets=theme.discussion),
            Section("A ten-minute shape", bullets=TEN_MINUTE_SHAPE),
            Section("Agree together in three columns", bullets=columns),
            Section("Key points", bullets=theme.key_points),
        ),
        actions=actions,
        theme_id=theme.id,
    )


@dataclass(frozen=True)
class TeamActions:
    """What a team agreed after a discussion, in the three columns (the last one required)."""

    working_well: str
    worried_about: str
    next_steps: str

    def columns(self) -> tuple[tuple[str, str], ...]:
        """(heading, text) for each filled column, in frame order."""
        texts = (self.working_well, self.worried_about, self.next_steps)
        return tuple((h, t) for (h, _), t in zip(THREE_COLUMNS, texts, strict=True) if t)

    def as_text(self) -> str:
        """The stored form: one paragraph per column, headed."""
        return "\n\n".join(f"{heading}:\n{text}" for heading, text in self.columns())


def team_actions(working_well: str | None, worried_about: str | None, next_steps: str | None) -> TeamActions:
    """The column texts as they will be stored (cleaned like any reflection; None becomes empty)."""
    # Imported here: the reflections service imports bot.services, which imports this module.
    from bot.reflections.service import clean_text

    return TeamActions(*(clean_text(value) for value in (working_well, worried_about, next_steps)))


def check_team_actions(actions: TeamActions, not_people: dict[str, str] | None = None) -> dict[str, str]:
    """What the team must fix, by column name: no agreed action, too long, or a column the
    reflection rules would refuse or question (emoji only, or details that could identify a
    family). `not_people` holds, by column, the team's "these aren't people" answer."""
    from bot.reflections.service import text_problem  # imported here: see team_actions

    problems: dict[str, str] = {}
    if not actions.next_steps:
        problems["next_steps"] = "Write at least one action the team agreed."
    for name in ("working_well", "worried_about", "next_steps"):
        text = getattr(actions, name)
        if len(text) > MAX_ACTIONS_CHARS:
            problems[name] = f"Please keep this under {MAX_ACTIONS_CHARS} characters."
        elif text and (problem := text_problem(text, (not_people or {}).get(name, ""))):
            problems[name] = problem
    return problems


CHECK_BELOW = "Please check what is listed below."
ACTIONS_REPLACED = "I replaced them. Check each column, then press Save and post."


def guard_findings(
    actions: TeamActions, not_people: Mapping[str, str], problems: Mapping[str, str]
) -> tuple[Findings, str] | None:
    """When the privacy guard is behind every problem `check_team_actions` found: what it found in
    each column and the line to show above it, so the form can offer the redaction and the tick
    box. None when another rule is (no agreed action, too long, emoji only): plain errors then."""
    from bot.reflections import outcome, service  # imported here: see team_actions

    texts = {name: getattr(actions, name) for name in COLUMNS}
    reviews = {
        name: service.privacy_review(texts[name], not_people.get(name, "")) for name in problems if texts.get(name)
    }
    if set(reviews) != set(problems) or any(
        review.ok or problems[name] != service.privacy_problem(texts[name], review) for name, review in reviews.items()
    ):
        return None
    problem = next(iter(problems.values())) if len(problems) == 1 else CHECK_BELOW
    return outcome.findings(texts, reviews), problem


def stored_answer(actions: TeamActions) -> str:
    """The "not people" answer for the stored text, once every column passed `check_team_actions`
    (the columns' own answers were checked there; the stored text joins them under headings)."""
    from bot.reflections import privacy
    from bot.reflections.service import privacy_review

    text = actions.as_text()
    return privacy.question_key(text, privacy_review(text).questions)


def team_actions_reply(theme: Theme, actions: TeamActions, saved: bool = True) -> Reply:
    """The agreed actions, for posting back under the discussion (or, unsaved, to keep)."""
    return Reply(
        kind="team-actions",
        title=f"Our agreed actions: {theme.title}",
        intro=None if saved else NOT_SAVED,
        sections=tuple(Section(heading, text=text) for heading, text in actions.columns()),
        theme_id=theme.id,
    )


# -- choosing a theme for a meeting -----------------------------------------------------------


@dataclass(frozen=True)
class PastDiscussion:
    """A time a theme came up in a channel: a weekly prompt or a team discussion."""

    theme_id: str
    when: datetime
    how: str  # "a weekly prompt" or "a team discussion"


@dataclass(frozen=True)
class MeetingChoice:
    theme: Theme
    reason: str
    last: PastDiscussion | None = None


def choose_meeting_theme(
    catalogue: Catalogue,
    history: Iterable[PastDiscussion],
    seed: str,
    excluded: Collection[str] = (),
) -> MeetingChoice:
    """A theme the channel has not discussed, or the one it discussed longest ago, and why.

    Ties (several themes never discussed) are broken by a shuffle seeded with `seed`.
    """
    eligible = [t for t in catalogue if t.id not in set(excluded)] or list(catalogue)
    random.Random(seed).shuffle(eligible)
    latest: dict[str, PastDiscussion] = {}
    for past in history:
        if past.theme_id in catalogue.themes and (
            past.theme_id not in latest or past.when > latest[past.theme_id].when
        ):
            latest[past.theme_id] = past
    fresh = [t for t in eligible if t.id not in latest]
    if fresh and not latest:
        theme = fresh[0]
        return MeetingChoice(
            theme,
            f"This channel has no weekly prompts or recorded discussions yet, so I picked "
            f"{theme.title} from the {len(eligible)} themes.",
        )
    if fresh:
        theme = fresh[0]
        others = len(fresh) - 1
        still = {0: "It is the only theme left that has", 1: "One other theme has"}.get(
            others, f"{others} other themes have"
        )
        return MeetingChoice(
            theme,
            f"{theme.title} has not come up in this channel: no weekly prompt and no recorded "
            f"discussion. {still} not come up yet.",
        )
    theme = min(eligible, key=lambda t: latest[t.id].when)
    last = latest[theme.id]
    return MeetingChoice(
        theme,
        f"Every theme has come up in this channel. {theme.title} came up longest ago, as "
        f"{last.how} on {_day(last.when)}.",
        last,
    )


def meeting_reply(choice: MeetingChoice) -> Reply:
    """The pack for a chosen meeting theme, introduced with the reason it was chosen."""
    return meeting_pack(choice.theme, intro=f"Why this theme: {choice.reason}")


async def channel_history(
    store: Store, platform: str, workspace_id: str, channel_id: str, now: datetime
) -> list[PastDiscussion]:
    """The channel's posted weekly prompts and recorded team discussions of the last two years."""
    history = [
        PastDiscussion(d.theme_id, d.completed_at or d.claimed_at, "a weekly prompt")
        for d in await store.delivery_history(platform, workspace_id, channel_id)
        if d.status == "posted"
    ]
    start = now - timedelta(days=365 * HISTORY_YEARS)
    reflections = await store.reflections_between(start, now + timedelta(seconds=1), workspace_id)
    history += [
        PastDiscussion(r.theme_id, r.created_at, "a team discussion")
        for r in reflections
        if r.source == TEAM_ACTIONS_SOURCE and r.channel_id == channel_id
    ]
    return history


async def excluded_themes(store: Store, platform: str, workspace_id: str, channel_id: str) -> tuple[str, ...]:
    """Themes the channel's subscription leaves out (none without a subscription)."""
    subscription = await store.get_subscription(platform, workspace_id, channel_id)
    return tuple(subscription.excluded_themes or ()) if subscription else ()


def _day(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


# -- finding the theme a person named ---------------------------------------------------------


@dataclass(frozen=True)
class ThemeLookup:
    theme: Theme | None
    urgent: bool = False


def find_theme(engine: Engine, text: str, rng: random.Random) -> ThemeLookup:
    """The theme named by id, "random", or described in words (urgent wording is flagged)."""
    wanted = text.strip().lower()
    catalogue = engine.catalogue
    if wanted in ("random", "any", "surprise me"):
        return ThemeLookup(rng.choice(list(catalogue)))
    theme = catalogue.get(wanted) or catalogue.get(wanted.replace(" ", "-"))
    if theme is not None:
        return ThemeLookup(theme)
    match = engine.answer(text)
    return ThemeLookup(match.theme, match.urgent)


# -- the quiz ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizOption:
    theme_id: str
    title: str
    explanation: str
    correct: bool


@dataclass(frozen=True)
class QuizCard:
    """One posted quiz: the theme's scenario and three options in a seeded order."""

    quiz_id: str  # "<theme id>.<nonce>": enough to rebuild the same card on any replica
    theme: Theme
    options: tuple[QuizOption, ...]

    def option(self, theme_id: str) -> QuizOption | None:
        return next((o for o in self.options if o.theme_id == theme_id), None)

    def letter(self, theme_id: str) -> str:
        return next(QUIZ_LETTERS[i] for i, o in enumerate(self.options) if o.theme_id == theme_id)

    def by_answer(self, answer: str) -> QuizOption | None:
        """The option a typed answer means: "a", "2", "B)", a title or a theme id."""
        text = answer.strip().lower().rstrip(").:")
        for i, option in enumerate(self.options):
            if text in (QUIZ_LETTERS[i].lower(), str(i + 1), option.title.lower(), option.theme_id):
                return option
        return None


def build_quiz(theme: Theme, catalogue: Catalogue, nonce: str) -> QuizCard:
    """The quiz for `theme`, its options shuffled by a seed made of the theme and `nonce`."""
    if not _NONCE.fullmatch(nonce):
        raise ValueError(f"a quiz nonce is letters, digits, '-' or '_', not {nonce!r}")
    options = [QuizOption(theme.id, theme.title, theme.quiz.explanation, True)]
    for distractor in theme.quiz.distractors:
        other = catalogue.get(distractor.theme)
        title = other.title if other else distractor.theme
        options.append(QuizOption(distractor.theme, title, distractor.explanation, False))
    random.Random(f"{theme.id}:{nonce}").shuffle(options)
    return QuizCard(f"{theme.id}.{nonce}", theme, tuple(options))


def quiz_from_id(catalogue: Catalogue, quiz_id: str) -> QuizCard | None:
    """Rebuild a posted quiz from its id; None if the id is malformed or the theme has gone."""
    theme_id, _, nonce = quiz_id.rpartition(".")
    theme = catalogue.get(theme_id)
    if theme is None or not _NONCE.fullmatch(nonce):
        return None
    return build_quiz(theme, catalogue, nonce)


def new_nonce(rng: random.Random) -> str:
    """A short id that tells one posting of a quiz from another."""
    return f"{rng.getrandbits(40):010x}"


def quiz_reply(card: QuizCard, tally: Mapping[str, int] | None = None) -> Reply:
    """The quiz as posted: the scenario, three answer buttons, and the tally once people answer.

    Rebuilt from the quiz id alone, so an adapter can redraw it with a new tally on any replica.
    """
    sections = [
        Section("A fictional scenario", text=_FICTIONAL_LABEL.sub("", card.theme.quiz.scenario)),
        Section(
            "Which learning theme fits best?",
            text="Choose one. Your answer and its explanation are shown only to you.",
        ),
    ]
    if tally:
        sections.append(Section("Answers so far", text=tally_text(card, tally)))
    return Reply(
        kind="quiz",
        title="Quiz: which theme fits best?",
        sections=tuple(sections),
        actions=tuple(
            Action("quiz_answer", f"{QUIZ_LETTERS[i]}: {o.title}", f"{card.quiz_id}|{o.theme_id}")
            for i, o in enumerate(card.options)
        ),
        theme_id=card.theme.id,
    )


def weekly_quiz(theme: Theme, catalogue: Catalogue, nonce: str) -> Reply:
    """A quiz to post as a weekly prompt. The scheduler passes a nonce unique to the posting
    (e.g. the delivery id); answers then arrive through the same "quiz_answer" buttons."""
    return quiz_reply(build_quiz(theme, catalogue, nonce))


def tally_text(card: QuizCard, tally: Mapping[str, int]) -> str:
    """The tally as one line, e.g. "3 answers: A 1 · B 2 · C 0" (counts only, never who
    answered or which is right)."""
    total = sum(tally.get(o.theme_id, 0) for o in card.options)
    counts = " · ".join(f"{QUIZ_LETTERS[i]} {tally.get(o.theme_id, 0)}" for i, o in enumerate(card.options))
    return f"{total} answer{'s' if total != 1 else ''}: {counts}"


def quiz_feedback(card: QuizCard, choice: str, already_answered: bool = False) -> Reply | None:
    """Private feedback on one answer: right or not, why, and the way to the theme.

    None if `choice` is not one of the card's options.
    """
    chosen = card.option(choice)
    if chosen is None:
        return None
    right = next(o for o in card.options if o.correct)
    title = f"Yes: {right.title} fits best" if chosen.correct else f"Not quite: the best fit is {right.title}"
    ordered = [right] + ([chosen] if not chosen.correct else [])
    ordered += [o for o in card.options if o not in ordered]
    sections = tuple(
        Section(f"Why {o.title} fits" if o.correct else f"Why not {o.title}", text=o.explanation) for o in ordered
    )
    intro = (
        "You have already answered this quiz, so your first answer is the one counted." if already_answered else None
    )
    return Reply(
        kind="quiz-feedback",
        title=title,
        intro=intro,
        sections=sections,
        actions=(Action("show_theme", f"Read about {right.title}", right.theme_id),),
        theme_id=right.theme_id,
    )
