"""What the dashboard shows, as tables of strings: gathered from the store once per request
(`gather`), then built by pure functions (`overview`, `themes`, ...) that the HTML and the CSV
downloads both render, so a download always holds exactly what the page shows.

Privacy by construction: the facts read here carry pseudonymous person keys, never a user id,
and no reflection text except text its writer shared without their name. Any cell that counts
people, or is worked out from fewer than 5 people, shows "fewer than 5" (`MIN_PEOPLE`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bot.clock import Clock
from bot.content import Catalogue
from bot.meetings import TEAM_ACTIONS_SOURCE
from bot.schedule.calendar import next_occurrences
from bot.schedule.rotation import preview
from bot.schedule.service import job_id, slot_of

if TYPE_CHECKING:
    from bot.store import Store

MIN_PEOPLE = 5
FEWER = "fewer than 5"
DEFAULT_WEEKS = 12
MAX_DAYS = 3 * 366
MAX_TEXTS_PER_THEME = 20
LOWEST_THEMES = 5
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PLATFORM_NAMES = {"slack": "Slack", "teams": "Teams"}
_WEEKLY_QUIZ = re.compile(r"^w(\d{1,18})$")  # a weekly prompt's quiz nonce: w<delivery id>

Channel = tuple[str, str]  # (workspace id, channel id)


class FilterError(ValueError):
    """A filter the person typed cannot be used; the message says what to change."""


@dataclass(frozen=True)
class Filters:
    """The period (whole days, UTC, both ends included) and optionally one channel."""

    start: date
    end: date
    channel: Channel | None = None

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time(), UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(), UTC)

    def query(self) -> dict[str, str]:
        """The filters as URL query parameters."""
        values = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.channel:
            values["channel"] = channel_key(self.channel)
        return values


def channel_key(channel: Channel) -> str:
    return f"{channel[0]}/{channel[1]}"


def parse_filters(query: Mapping[str, str], today: date) -> Filters:
    """Filters from the page's query string; the last `DEFAULT_WEEKS` weeks by default."""
    end = _date(query.get("to"), "To", today)
    start = _date(query.get("from"), "From", end - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1))
    if start > end:
        raise FilterError("The From date must be on or before the To date.")
    if (end - start).days > MAX_DAYS:
        raise FilterError("Please choose a period of three years or less.")
    channel = None
    given = (query.get("channel") or "").strip()
    if given:
        workspace, _, channel_id = given.partition("/")
        if not workspace or not channel_id or len(given) > 600:
            raise FilterError("That channel is not one scrbot knows. Choose one from the list.")
        channel = (workspace, channel_id)
    return Filters(start, end, channel)


def _date(value: str | None, label: str, default: date) -> date:
    value = (value or "").strip()
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"The {label} date must be a date like 2026-09-01.") from None


# -- what the store holds ----------------------------------------------------------------


@dataclass
class DashboardData:
    """Everything one page needs, read in a handful of queries (see `gather`)."""

    filters: Filters
    scope: str | None
    now: datetime
    facts: list[Any] = field(default_factory=list)
    deliveries: list[Any] = field(default_factory=list)
    subscriptions: list[Any] = field(default_factory=list)
    quiz_answers: list[Any] = field(default_factory=list)
    action_texts: list[Any] = field(default_factory=list)
    posted: dict[str, dict[Channel, list[str]]] = field(default_factory=dict)
    quiz_channels: dict[int, Channel] = field(default_factory=dict)  # delivery id -> its channel
    _by_column: dict[str, tuple[Any, ...]] | None = field(default=None, repr=False)

    def column(self, name: str) -> tuple[Any, ...]:
        """One column of the reflection facts, transposed once (rows are slow to read one by one)."""
        if self._by_column is None:
            self._by_column = (
                dict(zip(self.facts[0]._fields, zip(*self.facts, strict=True), strict=True)) if self.facts else {}
            )
        return self._by_column.get(name, ())

    def platform_of(self) -> dict[Channel, str]:
        found: dict[Channel, str] = {}
        for row in (*self.deliveries, *self.subscriptions):
            found[(row.workspace_id, row.channel_id)] = row.platform
        return found


PAGES_NEEDING = {
    "overview": {"facts", "deliveries", "subscriptions"},
    "themes": {"facts"},
    "actions": {"action_texts"},  # team actions are always shared: their rows are the figures too
    "quiz": {"quiz_answers", "deliveries"},
    "schedules": {"subscriptions", "posted"},
}


async def gather(store: Store | None, clock: Clock, page: str, filters: Filters, scope: str | None) -> DashboardData:
    """Read what `page` needs for these filters; `scope` limits it to one workspace."""
    if store is None:
        raise RuntimeError("the dashboard needs a store")
    needs = PAGES_NEEDING[page] | {"subscriptions"}  # the channel picker lists subscribed channels
    data = DashboardData(filters, scope, clock.now())
    since, until = filters.since, filters.until
    if "facts" in needs:
        data.facts = _in(await store.reflection_facts(since, until, scope, all_times=False), filters, scope)
    if "deliveries" in needs:
        weeks = _weeks(filters)
        data.deliveries = _in(await store.delivery_facts(weeks), filters, scope)
        if page == "quiz":
            data.quiz_channels = {d.id: (d.workspace_id, d.channel_id) for d in data.deliveries}
    data.subscriptions = [s for s in await store.list_subscriptions(active_only=False) if _scoped(s, scope)]
    if "quiz_answers" in needs:
        data.quiz_answers = list(await store.quiz_answer_facts(since, until))
    if "action_texts" in needs:
        data.action_texts = _in(await store.shared_texts(since, until, TEAM_ACTIONS_SOURCE, scope), filters, scope)
    if "posted" in needs:
        for platform in {s.platform for s in data.subscriptions}:
            data.posted[platform] = await store.posted_themes(platform)
    return data


def _weeks(filters: Filters) -> list[str]:
    # A channel's week is in its own time zone: a day's margin either side catches every zone.
    day, last, weeks = filters.start - timedelta(days=1), filters.end + timedelta(days=1), set()
    while day <= last:
        year, week, _ = day.isocalendar()
        weeks.add(f"{year:04d}-W{week:02d}")
        day += timedelta(days=1)
    return sorted(weeks)


def _scoped(row: Any, scope: str | None) -> bool:
    return scope is None or row.workspace_id == scope


def _in(rows: Iterable[Any], filters: Filters, scope: str | None) -> list[Any]:
    wanted = filters.channel
    return [
        row for row in rows if _scoped(row, scope) and (wanted is None or (row.workspace_id, row.channel_id) == wanted)
    ]


# -- the page model ----------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One table on a page, and one CSV download."""

    id: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()  # columns aligned right
    note: str = ""
    empty: str = "Nothing to show for this period and channel."


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: fewer than 5 people, so not drawn
    shown: str  # the value as the table shows it


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    horizontal: bool = False
    maximum: float | None = None  # the axis' end (e.g. 5 for confidence); default the largest bar
    unit: str = ""


@dataclass(frozen=True)
class TextGroup:
    heading: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    intro: str
    summary: tuple[tuple[str, str], ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    texts: tuple[TextGroup, ...] = ()
    texts_heading: str = ""
    texts_intro: str = ""

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)


def people(count: int) -> str:
    """A count of people as the dashboard shows it."""
    return FEWER if 0 < count < MIN_PEOPLE else str(count)


def guarded(count_of_people: int, value: str) -> str:
    """A figure worked out from `count_of_people` people: hidden when they are fewer than 5."""
    return FEWER if 0 < count_of_people < MIN_PEOPLE else value


def _average(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _one_place(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _share(part: int, whole: int) -> str:
    return "-" if not whole else f"{part / whole:.0%}"


class Names:
    """Display names: theme titles, and channels with their workspace when several are shown."""

    def __init__(self, catalogue: Catalogue, channels: Iterable[Channel]):
        self._catalogue = catalogue
        self._many_workspaces = len({workspace for workspace, _ in channels}) > 1

    def theme(self, theme_id: str) -> str:
        theme = self._catalogue.get(theme_id)
        return theme.title if theme is not None else theme_id

    def channel(self, channel: Channel | tuple[str, str | None]) -> str:
        workspace, channel_id = channel
        name = channel_id or "(no channel: direct messages)"
        return f"{workspace}/{name}" if self._many_workspaces else name


def names_for(data: DashboardData, catalogue: Catalogue) -> Names:
    channels = {(s.workspace_id, s.channel_id) for s in data.subscriptions}
    channels |= set(zip(data.column("workspace_id"), (c or "" for c in data.column("channel_id")), strict=False))
    return Names(catalogue, channels)


def channel_choices(data: DashboardData, names: Names) -> list[tuple[str, str]]:
    """(key, label) for the channel picker: every subscribed channel in scope."""
    platforms = data.platform_of()
    channels = sorted({(s.workspace_id, s.channel_id) for s in data.subscriptions})
    if data.filters.channel and data.filters.channel not in channels:
        channels.append(data.filters.channel)
    return [
        (channel_key(c), f"{names.channel(c)} ({PLATFORM_NAMES.get(platforms.get(c, ''), 'unknown')})")
        for c in channels
    ]


# -- overview ----------------------------------------------------------------------------


def _week_of_time(moment: datetime) -> str:
    year, week, _ = moment.astimezone(UTC).date().isocalendar()
    return f"{year:04d}-W{week:02d}"


@dataclass(frozen=True)
class _Columns:
    """The facts as columns, read once: a year holds tens of thousands of rows, and counting
    over zipped lists runs in C (as bot/reflections/reports.py does)."""

    weeks: list[str]
    people: list[str]
    channels: list[Channel]
    platforms: list[str]


def _columns(data: DashboardData, platforms: Mapping[Channel, str]) -> _Columns:
    channels = list(zip(data.column("workspace_id"), [c or "" for c in data.column("channel_id")], strict=True))
    from_teams = [source == "teams" for source in data.column("source")]
    # A reflection's platform is its channel's, or else where it came from (a DM has no channel).
    resolved = {
        key: platforms.get(key[0]) or ("teams" if key[1] else "slack")
        for key in set(zip(channels, from_teams, strict=True))
    }
    weeks = [
        week or _week_of_time(created)
        for week, created in zip(data.column("week"), data.column("created_at"), strict=True)
    ]
    return _Columns(
        weeks=weeks,
        people=list(data.column("person_key")),
        channels=channels,
        platforms=[resolved[key] for key in zip(channels, from_teams, strict=True)],
    )


def _grouped(keys: Sequence[Any], who: Sequence[str]) -> tuple[Counter[Any], Counter[Any]]:
    """Reflections per key, and different people per key."""
    return Counter(keys), Counter(key for key, _ in set(zip(keys, who, strict=True)))


def overview(data: DashboardData, catalogue: Catalogue) -> Page:
    names = names_for(data, catalogue)
    platforms = data.platform_of()
    columns = _columns(data, platforms)
    weeks_in_period = [w for w in _weeks(data.filters) if _week_touches(w, data.filters)]
    by_week_count, by_week_people = _grouped(columns.weeks, columns.people)
    _, by_week_platform = _grouped(list(zip(columns.weeks, columns.platforms, strict=True)), columns.people)
    prompts: dict[str, Counter[str]] = defaultdict(Counter)
    for delivery in data.deliveries:
        prompts[delivery.week][delivery.status] += 1
    weeks = sorted(set(weeks_in_period) | set(by_week_count) | set(prompts))
    week_rows = []
    bars = []
    for week in weeks:
        who = by_week_people[week]
        week_rows.append(
            (
                week,
                guarded(who, str(by_week_count[week])),
                people(who),
                people(by_week_platform[(week, "slack")]),
                people(by_week_platform[(week, "teams")]),
                str(prompts[week]["posted"]),
                str(prompts[week]["missed"]),
                str(prompts[week]["failed"]),
            )
        )
        bars.append(Bar(week, None if 0 < who < MIN_PEOPLE else who, people(who)))

    channel_rows, dead_rows = _channels(data, names, platforms, columns)
    platform_rows = _platforms(data, columns)
    everyone = set(columns.people)
    status = Counter(d.status for d in data.deliveries)
    paused = [s for s in data.subscriptions if s.is_paused_on(data.now.date())]
    return Page(
        "overview",
        "Overview",
        "Who takes part, week by week, and whether the weekly prompts reach people.",
        summary=(
            ("Reflections", guarded(len(everyone), str(len(data.facts)))),
            ("People taking part", people(len(everyone))),
            ("Channels with a weekly prompt", str(len(data.subscriptions))),
            ("Prompts posted", str(status["posted"])),
            ("Prompts missed", str(status["missed"])),
            ("Prompts that failed", str(status["failed"])),
            ("Channels paused now", str(len(paused))),
            ("Channels where prompts reach no one", str(len(dead_rows))),
        ),
        charts=(
            Chart(
                "people-per-week",
                "People taking part per week",
                "Bar chart: how many different people wrote a reflection each week. Weeks with "
                "fewer than 5 people are marked, not drawn. The same figures are in the table "
                "Participation per week.",
                tuple(bars),
            ),
        ),
        tables=(
            Table(
                "weeks",
                "Participation per week",
                (
                    "Week",
                    "Reflections",
                    "People",
                    "People in Slack",
                    "People in Teams",
                    "Prompts posted",
                    "Prompts missed",
                    "Prompts failed",
                ),
                tuple(week_rows),
                frozenset({1, 2, 3, 4, 5, 6, 7}),
            ),
            Table(
                "platforms",
                "By platform",
                ("Platform", "Channels with a prompt", "Reflections", "People", "Prompts posted", "Prompts missed"),
                tuple(platform_rows),
                frozenset({1, 2, 3, 4, 5}),
            ),
            Table(
                "channels",
                "By channel",
                ("Channel", "Platform", "Reflections", "People", "Prompts posted", "Prompts missed", "Paused"),
                tuple(channel_rows),
                frozenset({2, 3, 4, 5}),
            ),
            Table(
                "dead-channels",
                "Channels where prompts reach no one",
                ("Channel", "Platform", "Prompts posted", "Reflections"),
                tuple(dead_rows),
                frozenset({2, 3}),
                note="Channels that were sent at least one weekly prompt in this period and wrote no reflection.",
                empty="None: every channel sent a prompt in this period wrote at least one reflection.",
            ),
        ),
    )


def _week_touches(week: str, filters: Filters) -> bool:
    from bot.schedule.calendar import week_monday

    monday = week_monday(week)
    return monday <= filters.end and monday + timedelta(days=6) >= filters.start


def _channels(
    data: DashboardData, names: Names, platforms: Mapping[Channel, str], columns: _Columns
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    count, who = _grouped(columns.channels, columns.people)
    status: dict[Channel, Counter[str]] = defaultdict(Counter)
    for delivery in data.deliveries:
        status[(delivery.workspace_id, delivery.channel_id)][delivery.status] += 1
    paused = {
        (s.workspace_id, s.channel_id): s.paused_until for s in data.subscriptions if s.is_paused_on(data.now.date())
    }
    subscribed = {(s.workspace_id, s.channel_id) for s in data.subscriptions}
    channels = sorted(set(count) | set(status) | (subscribed if data.filters.channel is None else set(status)))
    rows: list[tuple[str, ...]] = []
    dead: list[tuple[str, ...]] = []
    for channel in sorted(channels, key=lambda c: (-count[c], c)):
        platform = PLATFORM_NAMES.get(platforms.get(channel, ""), "Slack" if channel[1] else "-")
        until = paused.get(channel)
        reached = who[channel]
        rows.append(
            (
                names.channel((channel[0], channel[1] or None)),
                platform,
                guarded(reached, str(count[channel])),
                people(reached),
                str(status[channel]["posted"]),
                str(status[channel]["missed"]),
                f"until {until.isoformat()}" if until else "no",
            )
        )
        if status[channel]["posted"] and not count[channel]:
            dead.append((names.channel(channel), platform, str(status[channel]["posted"]), "0"))
    return rows, dead


def _platforms(data: DashboardData, columns: _Columns) -> list[tuple[str, ...]]:
    count, who = _grouped(columns.platforms, columns.people)
    status: dict[str, Counter[str]] = defaultdict(Counter)
    for delivery in data.deliveries:
        status[delivery.platform][delivery.status] += 1
    channels = Counter(s.platform for s in data.subscriptions)
    rows: list[tuple[str, ...]] = []
    for platform in sorted(set(count) | set(status) | set(channels)):
        reached = who[platform]
        rows.append(
            (
                PLATFORM_NAMES.get(platform, platform),
                str(channels[platform]),
                guarded(reached, str(count[platform])),
                people(reached),
                str(status[platform]["posted"]),
                str(status[platform]["missed"]),
            )
        )
    return rows


# -- themes ------------------------------------------------------------------------------


@dataclass
class _ThemeTally:
    reflections: int = 0
    people: set[str] = field(default_factory=set)
    raters: set[str] = field(default_factory=set)
    ratings: list[int] = field(default_factory=list)


def themes(data: DashboardData, catalogue: Catalogue) -> Page:
    names = names_for(data, catalogue)
    tallies: dict[str, _ThemeTally] = defaultdict(_ThemeTally)
    columns = ("theme_id", "person_key", "confidence", "source")
    for theme_id, person, confidence, source in zip(*(data.column(c) for c in columns), strict=True):
        if source == TEAM_ACTIONS_SOURCE:  # a team's record, not one person's confidence
            continue
        tally = tallies[theme_id]
        tally.reflections += 1
        tally.people.add(person)
        if confidence is not None:
            tally.raters.add(person)
            tally.ratings.append(confidence)
    rows = []
    ranked = []
    for theme_id, tally in sorted(tallies.items(), key=lambda item: (-item[1].reflections, names.theme(item[0]))):
        average = _average(tally.ratings)
        unsure = sum(1 for r in tally.ratings if r <= 2)
        raters = len(tally.raters)
        rows.append(
            (
                names.theme(theme_id),
                guarded(len(tally.people), str(tally.reflections)),
                people(len(tally.people)),
                guarded(raters, _one_place(average)),
                guarded(raters, _share(unsure, len(tally.ratings))),
            )
        )
        if average is not None and raters >= MIN_PEOPLE:
            ranked.append((average, names.theme(theme_id), raters, _share(unsure, len(tally.ratings))))
    ranked.sort()
    lowest = tuple(
        (title, _one_place(avg), str(raters), unsure) for avg, title, raters, unsure in ranked[:LOWEST_THEMES]
    )
    bars = tuple(Bar(title, avg, _one_place(avg)) for avg, title, _, _ in ranked)
    return Page(
        "themes",
        "Themes",
        "Which themes practitioners reflect on, and how confident they feel (1 = not confident, "
        "5 = very confident), so training can go where confidence is lowest.",
        charts=(
            Chart(
                "confidence",
                "Average confidence by theme, lowest first",
                "Horizontal bar chart of the average confidence (1 to 5) in each theme rated by at "
                "least 5 people, lowest first. The same figures are in the table Reflections per theme.",
                bars,
                horizontal=True,
                maximum=5,
            ),
        ),
        tables=(
            Table(
                "lowest-confidence",
                "Where confidence is lowest",
                ("Theme", "Average confidence", "People who rated", "Unsure (rated 1 or 2)"),
                lowest,
                frozenset({1, 2, 3}),
                note=f"The {LOWEST_THEMES} themes with the lowest average confidence, among themes rated by at "
                "least 5 people.",
                empty="No theme was rated by 5 or more people in this period.",
            ),
            Table(
                "themes",
                "Reflections per theme",
                ("Theme", "Reflections", "People", "Average confidence", "Unsure (rated 1 or 2)"),
                tuple(rows),
                frozenset({1, 2, 3, 4}),
                note="Team-meeting actions are counted on their own page, not here.",
            ),
        ),
    )


# -- team-meeting actions ----------------------------------------------------------------


def actions(data: DashboardData, catalogue: Catalogue) -> Page:
    names = names_for(data, catalogue)
    records: Counter[str] = Counter()
    channels: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for row in data.action_texts:
        records[row.theme_id] += 1
        channels[row.theme_id].add((row.workspace_id, row.channel_id))
    rows = tuple(
        (names.theme(theme_id), str(count), str(len(channels[theme_id])))
        for theme_id, count in sorted(records.items(), key=lambda item: (-item[1], names.theme(item[0])))
    )
    texts: dict[str, list[str]] = defaultdict(list)
    for row in data.action_texts:
        if len(texts[row.theme_id]) < MAX_TEXTS_PER_THEME:
            texts[row.theme_id].append(row.text)
    groups = tuple(
        TextGroup(names.theme(theme_id), tuple(found))
        for theme_id, found in sorted(texts.items(), key=lambda item: names.theme(item[0]))
    )
    text_rows = tuple((group.heading, text) for group in groups for text in group.texts)
    return Page(
        "actions",
        "Team-meeting actions",
        "What teams agreed to do after discussing a theme together. These are team records, "
        "shared with the team by whoever wrote them down, and shown here without names or channels.",
        summary=(("Action records", str(sum(records.values()))), ("Themes discussed", str(len(records)))),
        tables=(
            Table(
                "actions",
                "Team-meeting actions by theme",
                ("Theme", "Action records", "Channels"),
                rows,
                frozenset({1, 2}),
            ),
            Table(
                "actions-text",
                "What teams agreed, by theme",
                ("Theme", "What the team agreed"),
                text_rows,
                note=f"The newest {MAX_TEXTS_PER_THEME} records per theme, without names, channels or dates.",
            ),
        ),
        texts=groups,
        texts_heading="What teams agreed",
        texts_intro=f"The newest {MAX_TEXTS_PER_THEME} records per theme, without names, channels or dates.",
    )


# -- quiz --------------------------------------------------------------------------------


def quiz(data: DashboardData, catalogue: Catalogue) -> Page:
    names = names_for(data, catalogue)
    wanted = data.filters.channel
    answered: dict[str, set[str]] = defaultdict(set)
    correct: dict[str, set[str]] = defaultdict(set)
    quizzes: dict[str, set[str]] = defaultdict(set)
    everyone: set[str] = set()
    for stored_id, person_key, is_correct in data.quiz_answers:
        # Answers are counted under "<platform>:<workspace>:<channel>:<theme id>.<nonce>"; the
        # channel may hold colons and dots of its own, a theme id and a nonce never do.
        quiz_id = stored_id.rpartition(":")[2]
        theme_id, _, nonce = quiz_id.rpartition(".")
        weekly = _WEEKLY_QUIZ.match(nonce)
        channel = data.quiz_channels.get(int(weekly.group(1))) if weekly else None
        # A quiz from /learn quiz belongs to no channel: only an all-workspaces view shows it.
        if channel is None and (data.scope is not None or wanted is not None):
            continue
        key = f"{theme_id}\x1f{person_key}"
        answered[theme_id].add(key)
        everyone.add(person_key)
        quizzes[theme_id].add(stored_id)
        if is_correct:
            correct[theme_id].add(key)
    rows = []
    bars = []
    for theme_id in sorted(answered, key=lambda t: (-len(answered[t]), names.theme(t))):
        total, right = len(answered[theme_id]), len(correct[theme_id])
        share = _share(right, total)
        rows.append(
            (
                names.theme(theme_id),
                str(len(quizzes[theme_id])),
                people(total),
                guarded(total, people(right)),
                guarded(right, guarded(total, share)),
            )
        )
        if total >= MIN_PEOPLE and not 0 < right < MIN_PEOPLE:  # a bar's length would tell
            bars.append(Bar(names.theme(theme_id), round(100 * right / total), guarded(right, share)))
    return Page(
        "quiz",
        "Quiz results",
        "Scenario quizzes: how many people answered and how many chose the right theme. Counts only; "
        "no one's answer is shown.",
        summary=(
            ("Quiz answers", guarded(len(everyone), str(sum(len(a) for a in answered.values())))),
            ("People who answered", people(len(everyone))),
        ),
        charts=(
            Chart(
                "quiz-correct",
                "Share answering correctly, by theme",
                "Horizontal bar chart of the percentage of people who chose the right theme, for "
                "each theme answered by at least 5 people. The same figures are in the table Quiz results by theme.",
                tuple(bars),
                horizontal=True,
                maximum=100,
                unit="%",
            ),
        ),
        tables=(
            Table(
                "quiz",
                "Quiz results by theme",
                ("Theme", "Quizzes posted", "People who answered", "Answered correctly", "Share correct"),
                tuple(rows),
                frozenset({1, 2, 3, 4}),
            ),
        ),
    )


# -- schedules ---------------------------------------------------------------------------


def schedules(data: DashboardData, catalogue: Catalogue) -> Page:
    names = names_for(data, catalogue)
    wanted = data.filters.channel
    rows = []
    for sub in sorted(data.subscriptions, key=lambda s: (s.platform, s.workspace_id, s.channel_id)):
        channel = (sub.workspace_id, sub.channel_id)
        if wanted is not None and channel != wanted:
            continue
        rows.append(
            (
                names.channel(channel),
                PLATFORM_NAMES.get(sub.platform, sub.platform),
                WEEKDAYS[sub.weekday],
                f"{sub.hour:02d}:{sub.minute:02d}",
                sub.timezone,
                _status(sub, data.now.date()),
                "\n".join(_upcoming(sub, data, catalogue, names)),
            )
        )
    return Page(
        "schedules",
        "Schedules",
        "Each channel's weekly prompt: its day, time and time zone, and the next four themes. "
        "The dates filter does not apply here; the channel filter does.",
        summary=(("Channels with a weekly prompt", str(len(rows))),),
        tables=(
            Table(
                "schedules",
                "Weekly prompt schedules",
                ("Channel", "Platform", "Day", "Time", "Time zone", "Status", "Next four prompts"),
                tuple(rows),
                empty="No channel has a weekly prompt yet.",
            ),
        ),
    )


def _status(sub: Any, today: date) -> str:
    if sub.is_paused_on(today):
        return f"Paused until {sub.paused_until.isoformat()}"
    if sub.last_error:
        return f"Not posting: {sub.last_error[:80]}"
    return "Active"


def _upcoming(sub: Any, data: DashboardData, catalogue: Catalogue, names: Names) -> list[str]:
    history = data.posted.get(sub.platform, {}).get((sub.workspace_id, sub.channel_id), [])
    try:
        times = next_occurrences(slot_of(sub), data.now, 4)
        upcoming = preview(
            catalogue.ids(),
            history,
            excluded=sub.excluded_themes or (),
            curated_order=catalogue.rotation or None,
            seed=job_id(sub.platform, sub.workspace_id, sub.channel_id),
            count=len(times),
        )
    except ValueError as exc:  # every theme excluded: the message says how to fix it
        return [str(exc)]
    return [
        f"{when.strftime('%a %d %b %Y')}: {names.theme(theme)}" for when, theme in zip(times, upcoming, strict=True)
    ]


BUILDERS = {"overview": overview, "themes": themes, "actions": actions, "quiz": quiz, "schedules": schedules}
