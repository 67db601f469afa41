"""Reports for the Safeguarding Partnership: per theme and per channel, how many reflections,
how many people, participation against channel membership and average confidence, with a
chart over time. Also the leads' weekly digest and a team's anonymous "what we said".

`build_report` is a pure function of the stored facts; `gather_report` does the I/O. Reports
never hold reflection text or user ids: people appear only as pseudonymous person keys.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import html
import io
from collections import Counter
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bot.clock import Clock
from bot.content import Catalogue
from bot.reflections.service import PersonKeys, store_errors
from bot.replies import Reply, Section
from bot.schedule.calendar import week_monday
from bot.store import Reflection

if TYPE_CHECKING:
    from bot.store import Store

# (workspace id, channel id) -> the channel's member user ids, or None when unknown.
Members = Callable[[str, str], Awaitable[Collection[str] | None]]
MEMBER_LOOKUPS_AT_ONCE = 8
INCLUDE_NOW = timedelta(microseconds=1)  # report periods end just after "now", inclusive
DIGEST_PERIOD = timedelta(days=7)  # the leads' weekly digest: the seven days up to now
CSV_COLUMNS = (
    "week",
    "created_at",
    "workspace_id",
    "channel_id",
    "theme_id",
    "person_key",
    "confidence",
    "shared",
    "source",
)
NO_CHANNEL = "(no channel)"
MAX_SUMMARY_ITEMS = 20
MAX_SUMMARY_CHARS = 500


@dataclass(frozen=True)
class Figures:
    """How many reflections, from how many people, and their average confidence (1-5)."""

    reflections: int = 0
    people: int = 0
    average_confidence: float | None = None


@dataclass(frozen=True)
class ThemeFigures:
    theme_id: str
    title: str
    figures: Figures


@dataclass(frozen=True)
class ChannelFigures:
    workspace_id: str
    channel_id: str | None
    figures: Figures
    members: int | None = None  # None when membership could not be looked up
    participants: int | None = None  # current members who reflected in the period

    @property
    def participation(self) -> float | None:
        """Share of the channel's members who reflected (0-1), or None when unknown."""
        if self.members is None or self.participants is None or self.members == 0:
            return None
        return self.participants / self.members


@dataclass(frozen=True)
class WeekFigures:
    week: str
    reflections: int
    people: int


@dataclass(frozen=True)
class Report:
    start: datetime
    end: datetime
    workspace_id: str | None
    total: Figures
    themes: tuple[ThemeFigures, ...]
    channels: tuple[ChannelFigures, ...]
    weeks: tuple[WeekFigures, ...]
    facts: tuple[Any, ...] = field(default=(), repr=False)  # rows for the CSV export
    rows_kept: bool = True  # False when gathered for figures only (no CSV)


@dataclass
class _Tally:
    """One group's counts: reflections, distinct people, and confidence sum and count."""

    reflections: int = 0
    people: int = 0
    confidence_sum: int = 0
    confidence_count: int = 0
    who: set[str] = field(default_factory=set)  # the people themselves, where needed

    def figures(self) -> Figures:
        average = round(self.confidence_sum / self.confidence_count, 2) if self.confidence_count else None
        return Figures(self.reflections, self.people, average)


def _tally(
    keys: Sequence[Any],
    people: Sequence[str],
    confidences: Sequence[int | None] | None = None,
    *,
    keep_people: bool = False,
) -> dict[Any, _Tally]:
    """Group the columns by `keys`. Counters over zipped columns run in C, several times faster
    than adding row by row: this is most of a year-long report's time."""
    tallies = {key: _Tally(reflections=count) for key, count in Counter(keys).items()}
    pairs = set(zip(keys, people, strict=True))
    for key, count in Counter(key for key, _ in pairs).items():
        tallies[key].people = count
    if keep_people:
        for key, person in pairs:
            tallies[key].who.add(person)
    if confidences is not None:
        for (key, confidence), count in Counter(zip(keys, confidences, strict=True)).items():
            if confidence is not None:
                tallies[key].confidence_sum += confidence * count
                tallies[key].confidence_count += count
    return tallies


def build_report(
    facts: Sequence[Any],
    start: datetime,
    end: datetime,
    titles: Mapping[str, str],
    *,
    workspace_id: str | None = None,
    members: Mapping[tuple[str, str], Collection[str] | None] | None = None,
    person_key: Callable[[str, str], str] | None = None,
    keep_rows: bool = True,
) -> Report:
    """The report's figures from reflection facts (rows without text, see Store.reflection_facts).

    Participation counts the channel's current members whose person key (made with
    `person_key`) appears among the channel's reflections in the period. `keep_rows` keeps the
    facts on the report for the CSV export (they need created_at on every row).
    """
    people = [f.person_key for f in facts]
    confidences = [f.confidence for f in facts]
    rated = [c for c in confidences if c is not None]
    total = _Tally(len(facts), len(set(people)), sum(rated), len(rated))
    themes = _tally([f.theme_id for f in facts], people, confidences)
    channel_keys = [(f.workspace_id, f.channel_id) for f in facts]
    channels = _tally(channel_keys, people, confidences, keep_people=True)
    week_keys = [f.week or _week_of(f.created_at) for f in facts]
    weeks = {week: _Tally() for week in weeks_between(start, end)}
    weeks.update(_tally(week_keys, people))
    theme_rows = sorted(
        (ThemeFigures(tid, titles.get(tid, tid), tally.figures()) for tid, tally in themes.items()),
        key=lambda row: (-row.figures.reflections, row.title.lower()),
    )
    channel_rows = sorted(
        (_channel_figures(key, tally, members or {}, person_key) for key, tally in channels.items()),
        key=lambda row: (-row.figures.reflections, row.workspace_id, row.channel_id or ""),
    )
    week_rows = [WeekFigures(week, tally.reflections, tally.people) for week, tally in sorted(weeks.items())]
    return Report(
        start,
        end,
        workspace_id,
        total.figures(),
        tuple(theme_rows),
        tuple(channel_rows),
        tuple(week_rows),
        tuple(facts) if keep_rows else (),
        rows_kept=keep_rows,
    )


def _channel_figures(
    key: tuple[str, str | None],
    tally: _Tally,
    members: Mapping[tuple[str, str], Collection[str] | None],
    person_key: Callable[[str, str], str] | None,
) -> ChannelFigures:
    workspace_id, channel_id = key
    people = members.get((workspace_id, channel_id)) if channel_id else None
    if people is None or person_key is None:
        return ChannelFigures(workspace_id, channel_id, tally.figures())
    member_keys = {person_key(workspace_id, user) for user in people}
    return ChannelFigures(workspace_id, channel_id, tally.figures(), len(member_keys), len(member_keys & tally.who))


def weeks_between(start: datetime, end: datetime) -> list[str]:
    """Every ISO week touched by [start, end), in order (UTC dates)."""
    first = start.astimezone(UTC).date()
    last = (end - timedelta(microseconds=1)).astimezone(UTC).date()
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(_week_key(monday))
        monday += timedelta(days=7)
    return weeks


def _week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _week_of(moment: datetime) -> str:
    return _week_key(moment.astimezone(UTC).date())


async def gather_report(
    store: Store | None,
    catalogue: Catalogue,
    start: datetime,
    end: datetime,
    *,
    workspace_id: str | None = None,
    members: Members | None = None,
    keys: PersonKeys | None = None,
    rows: bool = False,
) -> Report:
    """Fetch the period's facts (and channel memberships through `members`, matched to the
    writers by `keys`); build the report with the catalogue's theme titles. `rows` keeps every
    reflection's row on the report, which the CSV export needs."""
    if store is None:
        raise RuntimeError("reports need a store: start scrbot with a database")
    if members is not None and keys is None:
        raise ValueError("channel membership is matched through person keys: pass keys with members")
    with store_errors():
        facts = await store.reflection_facts(start, end, workspace_id, all_times=rows)
    membership: dict[tuple[str, str], Collection[str] | None] = {}
    if members is not None:
        channels = sorted({(f.workspace_id, f.channel_id) for f in facts if f.channel_id})
        membership = await _lookup_members(channels, members)
    titles = {theme.id: theme.title for theme in catalogue}
    return build_report(
        facts,
        start,
        end,
        titles,
        workspace_id=workspace_id,
        members=membership,
        person_key=keys if members is not None else None,
        keep_rows=rows,
    )


async def _lookup_members(
    channels: Iterable[tuple[str, str]], members: Members
) -> dict[tuple[str, str], Collection[str] | None]:
    gate = asyncio.Semaphore(MEMBER_LOOKUPS_AT_ONCE)

    async def one(key: tuple[str, str]) -> tuple[tuple[str, str], Collection[str] | None]:
        async with gate:
            return key, await members(*key)

    return dict(await asyncio.gather(*(one(key) for key in channels)))


FORMATS = ("text", "csv", "html", "png")


def render(report: Report, fmt: str) -> bytes:
    """The report in one of FORMATS, as bytes ready to write to a file."""
    if fmt == "text":
        return as_text(report).encode()
    if fmt == "csv":
        return as_csv(report).encode()
    if fmt == "html":
        return as_html(report).encode()
    if fmt == "png":
        return as_png(report)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


# -- renderers ---------------------------------------------------------------------------


def _period(report: Report) -> str:
    last_day = (report.end - timedelta(microseconds=1)).date()
    return f"{report.start.date().isoformat()} to {last_day.isoformat()}"


def _confidence(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "-"


def _participation(row: ChannelFigures) -> str:
    share = row.participation
    if share is None:
        return "-"
    return f"{row.participants}/{row.members} ({share:.0%})"


def _channel_name(row: ChannelFigures, show_workspace: bool) -> str:
    name = row.channel_id or NO_CHANNEL
    return f"{row.workspace_id}/{name}" if show_workspace else name


def _total_line(report: Report) -> str:
    total = report.total
    people = "person" if total.people == 1 else "people"
    line = f"{total.reflections} reflection(s) from {total.people} {people}"
    if total.average_confidence is not None:
        line += f", average confidence {_confidence(total.average_confidence)} out of 5"
    return line


def _tables(report: Report, show_ws: bool) -> list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]:
    """The report's three tables (by theme, channel and week), for every output format."""
    return [
        (
            "By theme",
            ("Theme", "Reflections", "People", "Avg confidence"),
            [
                (r.title, r.figures.reflections, r.figures.people, _confidence(r.figures.average_confidence))
                for r in report.themes
            ],
        ),
        (
            "By channel",
            ("Channel", "Reflections", "People", "Participation", "Avg confidence"),
            [
                (
                    _channel_name(r, show_ws),
                    r.figures.reflections,
                    r.figures.people,
                    _participation(r),
                    _confidence(r.figures.average_confidence),
                )
                for r in report.channels
            ],
        ),
        ("By week", ("Week", "Reflections", "People"), [(r.week, r.reflections, r.people) for r in report.weeks]),
    ]


def as_text(report: Report) -> str:
    """A plain-text report with aligned tables."""
    show_ws = report.workspace_id is None and len({c.workspace_id for c in report.channels}) > 1
    lines = [f"Reflections report: {_period(report)}", _total_line(report), ""]
    for title, headers, rows in _tables(report, show_ws):
        lines += _table(title, headers, rows)
    return "\n".join(lines).rstrip() + "\n"


def _table(title: str, heads: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    if not rows:
        return [title, "  (none)", ""]
    cells = [[str(c) for c in heads]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(heads))]
    out = [title]
    for row in cells:
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        out.append("  " + "  ".join([first, *rest]))
    return out + [""]


def as_csv(report: Report) -> str:
    """One row per reflection: pseudonymous person key, never a user id, and no text."""
    if not report.rows_kept:
        raise ValueError("gather the report with rows=True to export it as CSV")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for fact in report.facts:
        writer.writerow(
            [
                _cell(fact.week or _week_of(fact.created_at)),
                fact.created_at.astimezone(UTC).isoformat(timespec="seconds"),
                _cell(fact.workspace_id),
                _cell(fact.channel_id or ""),
                _cell(fact.theme_id),
                fact.person_key,
                "" if fact.confidence is None else fact.confidence,
                "yes" if fact.shared else "no",
                _cell(fact.source),
            ]
        )
    return buffer.getvalue()


def _cell(value: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def as_png(report: Report) -> bytes:
    """A chart over time: reflections and people per week (matplotlib, Agg, no display)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    weeks = [row.week for row in report.weeks]
    figure = Figure(figsize=(9, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(weeks))
    axes.bar(positions, [row.reflections for row in report.weeks], color="#4a7ab5", label="Reflections")
    axes.plot(
        positions,
        [row.people for row in report.weeks],
        color="#d9822b",
        marker="o",
        markersize=3,
        label="People",
    )
    step = max(1, len(weeks) // 12)
    axes.set_xticks(list(positions)[::step], weeks[::step], rotation=45, ha="right", fontsize=8)
    axes.set_ylabel("Per week")
    axes.set_title(f"Reflections per week, {_period(report)}")
    axes.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # MaxNLocator
    axes.legend(loc="upper left", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def as_html(report: Report, chart: bytes | None = None) -> str:
    """A self-contained HTML page: the tables and the chart (embedded), everything escaped."""
    chart = as_png(report) if chart is None else chart
    show_ws = report.workspace_id is None and len({c.workspace_id for c in report.channels}) > 1
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Reflections report {e(_period(report))}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse;margin-bottom:2em}"
        "th,td{border:1px solid #ccc;padding:.3em .6em}td.n{text-align:right}</style>",
        "</head><body>",
        f"<h1>Reflections report: {e(_period(report))}</h1>",
        f"<p>{e(_total_line(report))}</p>",
        f'<img alt="Reflections and people per week" src="data:image/png;base64,{base64.b64encode(chart).decode()}">',
    ]
    for title, headers, rows in _tables(report, show_ws):
        parts += _html_table(title, headers, rows)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_table(title: str, heads: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    e = html.escape
    out = [
        f"<h2>{e(title)}</h2>",
        "<table>",
        "<tr>" + "".join(f"<th>{e(h)}</th>" for h in heads) + "</tr>",
    ]
    for row in rows:
        cells = [f"<td>{e(str(row[0]))}</td>"] + [f'<td class="n">{e(str(c))}</td>' for c in row[1:]]
        out.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        out.append(f'<tr><td colspan="{len(heads)}">(none)</td></tr>')
    return out + ["</table>"]


def report_reply(report: Report, title: str = "Reflections report") -> Reply:
    """The report as a chat reply (figures only; the chart travels separately)."""
    themes = tuple(
        f"{row.title}: {row.figures.reflections} from {row.figures.people}, "
        f"confidence {_confidence(row.figures.average_confidence)}"
        for row in report.themes
    )
    channels = tuple(
        f"{row.channel_id or NO_CHANNEL}: {row.figures.reflections} from {row.figures.people}, "
        f"participation {_participation(row)}, "
        f"confidence {_confidence(row.figures.average_confidence)}"
        for row in report.channels
    )
    weeks = tuple(f"{row.week}: {row.reflections} from {row.people}" for row in report.weeks)
    return Reply(
        kind="report",
        title=f"{title}: {_period(report)}",
        intro=_total_line(report),
        sections=(
            Section("By theme", text="" if themes else "No reflections yet.", bullets=themes),
            Section("By channel", bullets=channels),
            Section("By week", bullets=weeks),
        ),
    )


async def weekly_digest(
    store: Store | None,
    catalogue: Catalogue,
    clock: Clock,
    workspace_id: str,
    *,
    members: Members | None = None,
    keys: PersonKeys | None = None,
) -> Reply:
    """The leads' weekly digest of one workspace, on every platform: the seven days up to now."""
    end = clock.now() + INCLUDE_NOW
    report = await gather_report(
        store, catalogue, end - DIGEST_PERIOD, end, workspace_id=workspace_id, members=members, keys=keys
    )
    return digest_reply(report)


def digest_reply(report: Report, top: int = 10) -> Reply:
    """The leads' weekly digest: totals, the most reflected-on themes and channel participation."""
    full = report_reply(report, title="Weekly reflections digest")
    themes, channels = full.sections[0], full.sections[1]
    return Reply(
        kind="digest",
        title=full.title,
        intro=full.intro,
        sections=(
            Section(themes.heading, text=themes.text, bullets=themes.bullets[:top]),
            Section(channels.heading, bullets=channels.bullets[:top]),
        ),
    )


def team_summary(reflections: Sequence[Reflection], catalogue: Catalogue, week: str) -> Reply:
    """What the team said this week: shared reflections only, without names or person keys."""
    shared = [r for r in reflections if r.shared][:MAX_SUMMARY_ITEMS]
    if not shared:
        return Reply(
            kind="team-summary",
            intro="No one has shared a reflection from this channel this week yet. "
            "Reflections shared with the team (without names) appear here.",
        )
    by_theme: dict[str, list[str]] = {}
    for reflection in shared:
        text = " ".join(reflection.text.split())
        if len(text) > MAX_SUMMARY_CHARS:
            text = text[: MAX_SUMMARY_CHARS - 1].rstrip() + "…"
        by_theme.setdefault(reflection.theme_id, []).append(text)
    sections = tuple(
        Section(_theme_title(catalogue, theme_id), bullets=tuple(texts)) for theme_id, texts in by_theme.items()
    )
    count = len(shared)
    return Reply(
        kind="team-summary",
        title="What we said this week",
        intro=f"{count} reflection{'s' if count != 1 else ''} shared with the team in {week}, without names.",
        sections=sections,
    )


async def shared_this_week(
    store: Store, clock: Clock, workspace_id: str, channel_id: str, week: str
) -> list[Reflection]:
    """Reflections shared with the team in this channel for ISO week `week`, oldest first."""
    # A day's margin either side of the week covers any channel time zone.
    start = datetime.combine(week_monday(week) - timedelta(days=1), time(), UTC)
    end = max(clock.now(), start + timedelta(days=9)) + timedelta(seconds=1)
    with store_errors():
        reflections = await store.reflections_between(start, end, workspace_id)
    return [r for r in reflections if r.channel_id == channel_id and r.week == week and r.shared]


def _theme_title(catalogue: Catalogue, theme_id: str) -> str:
    theme = catalogue.get(theme_id)
    return theme.title if theme is not None else theme_id
