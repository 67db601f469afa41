"""The dashboard's pages and downloads: real numbers from seeded data, and privacy by
construction (counts only, no user ids, no person keys, no unshared text, small counts hidden)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.dashboard import charts, figures, pages
from bot.store import Reflection
from tests.dashboard.seed import AGREED, SLACK_WORKSPACE, TEAMS_TENANT

PAGES = {
    "/dashboard": "Overview",
    "/dashboard/themes": "Themes",
    "/dashboard/actions": "Team-meeting actions",
    "/dashboard/quiz": "Quiz results",
    "/dashboard/schedules": "Schedules",
}
TABLES = {
    "overview": ("weeks", "platforms", "channels", "dead-channels"),
    "themes": ("lowest-confidence", "themes"),
    "actions": ("actions", "actions-text"),
    "quiz": ("quiz",),
    "schedules": ("schedules",),
}
SINCE = {"from": "2026-08-01", "to": "2026-11-23"}


async def _everything(dashboard, session_id: str, **params: str) -> dict[str, str]:
    """Every page and every CSV, as text, keyed by path."""
    found = {}
    for path in PAGES:
        response = await dashboard.get(path, session_id, **params)
        assert response.status == 200, path
        found[path] = await response.text()
    for slug, tables in TABLES.items():
        for table in tables:
            response = await dashboard.get(f"/dashboard/{slug}.csv", session_id, table=table, **params)
            assert response.status == 200, (slug, table)
            assert response.content_type == "text/csv"
            assert "attachment" in response.headers["Content-Disposition"]
            found[f"{slug}.csv?{table}"] = await response.text()
    return found


async def test_every_page_shows_its_heading_tables_and_downloads(dashboard):
    session_id = await dashboard.signed_in()
    for path, heading in PAGES.items():
        text = await (await dashboard.get(path, session_id, **SINCE)).text()
        assert f"<h1>{heading}</h1>" in text
        assert "<tbody>" in text and "download>Download" in text
        assert 'aria-current="page"' in text


async def test_the_overview_counts_people_prompts_and_dead_channels(dashboard, store):
    session_id = await dashboard.signed_in()
    text = await (await dashboard.get("/dashboard", session_id, **SINCE)).text()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in text
    dead = dashboard.seeded.dead_channel[2]
    section = text.split('id="t-dead-channels"', 1)[1]
    assert dead in section
    rows = list(
        csv.reader(
            io.StringIO(
                (
                    await (
                        await dashboard.get("/dashboard/overview.csv", session_id, table="platforms", **SINCE)
                    ).text()
                ).lstrip("\ufeff")
            )
        )
    )
    assert rows[0] == [
        "Platform",
        "Channels with a prompt",
        "Reflections",
        "People",
        "Prompts posted",
        "Prompts missed",
    ]
    assert {row[0] for row in rows[1:]} == {"Slack", "Teams"}
    async with store.engine.connect() as connection:
        people = set(
            (
                await connection.execute(
                    select(Reflection.person_key).where(
                        Reflection.created_at >= datetime(2026, 8, 1, tzinfo=UTC),
                        Reflection.created_at < datetime(2026, 11, 24, tzinfo=UTC),
                    )
                )
            ).scalars()
        )
    assert f"<dt>People taking part</dt><dd>{len(people)}</dd>" in text


async def test_nothing_identifies_a_person(dashboard, store):
    session_id = await dashboard.signed_in()
    everything = await _everything(dashboard, session_id, **SINCE)
    async with store.engine.connect() as connection:
        keys = set((await connection.execute(select(Reflection.person_key))).scalars())
    for where, text in everything.items():
        assert "U0ADMIN" not in text, where  # who set up the schedules: a Slack user id
        assert not re.search(r"\bU[0-9A-Z]{6,}\b", text), where
        assert "A seeded reflection on practice." not in text, where  # private reflection text
        for key in keys:
            assert key not in text, where


async def test_small_groups_show_fewer_than_5(dashboard):
    session_id = await dashboard.signed_in()
    small = dashboard.seeded.small_channel[2]
    overview = await (await dashboard.get("/dashboard", session_id, **SINCE)).text()
    row = next(r for r in overview.split("<tr>") if f'<th scope="row">{small}' in r or f"/{small}</th>" in r)
    assert row.count("fewer than 5") == 2  # reflections and people
    filtered = await (
        await dashboard.get("/dashboard/themes", session_id, channel=f"{SLACK_WORKSPACE}/{small}", **SINCE)
    ).text()
    numbers = re.findall(r'<td class="n">(\d+)</td>', filtered.split('id="t-themes"', 1)[1])
    assert numbers == []  # every figure about that channel's 3 people is hidden
    assert "fewer than 5" in filtered


async def test_team_actions_are_shown_without_names_and_private_text_never(dashboard):
    session_id = await dashboard.signed_in()
    text = await (await dashboard.get("/dashboard/actions", session_id, **SINCE)).text()
    assert "What teams agreed" in text
    assert any(line.split(":\n", 1)[1].split("\n")[0] in text for line in AGREED)


async def test_a_workspace_admin_sees_only_their_workspace(dashboard):
    session_id = await dashboard.signed_in(link=await dashboard.link(scope=SLACK_WORKSPACE))
    everything = await _everything(dashboard, session_id, **SINCE)
    for where, text in everything.items():
        assert TEAMS_TENANT not in text and "thread.tacv2" not in text, where
    assert "Workspace T0SEED" in everything["/dashboard"]
    other = await dashboard.get("/dashboard", session_id, channel=f"{TEAMS_TENANT}/19:team0003@thread.tacv2")
    assert "thread.tacv2</th>" not in await other.text()


async def test_filters_by_channel_and_dates(dashboard):
    session_id = await dashboard.signed_in()
    channel = dashboard.seeded.channels[0]
    text = await (await dashboard.get("/dashboard", session_id, channel=f"{channel[1]}/{channel[2]}", **SINCE)).text()
    section = text.split('id="t-channels"', 1)[1].split("</table>", 1)[0]
    assert section.count("<tr>") == 2  # the header and the one channel
    assert "selected" in text.split(f'value="{channel[1]}/{channel[2]}"', 1)[1][:10]
    narrow = await (await dashboard.get("/dashboard", session_id, **{"from": "2026-11-16", "to": "2026-11-22"})).text()
    weeks = narrow.split('id="t-weeks"', 1)[1].split("</table>", 1)[0]
    assert "2026-W47" in weeks and "2026-W45" not in weeks


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "yesterday"}, "The From date must be a date like 2026-09-01."),
        ({"from": "2026-11-20", "to": "2026-11-01"}, "The From date must be on or before the To date."),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "three years or less"),
        ({"channel": "nonsense"}, "not one scrbot knows"),
    ],
)
async def test_a_bad_filter_gets_a_clear_message(dashboard, query, message):
    session_id = await dashboard.signed_in()
    response = await dashboard.get("/dashboard", session_id, **query)
    assert response.status == 400
    assert 'role="alert"' in (text := await response.text()) and message in text
    csv_response = await dashboard.get("/dashboard/overview.csv", session_id, table="weeks", **query)
    assert csv_response.status == 400 and message in await csv_response.text()


async def test_an_unknown_table_or_page_is_not_found(dashboard):
    session_id = await dashboard.signed_in()
    assert (await dashboard.get("/dashboard/themes.csv", session_id, table="nope")).status == 404
    assert (await dashboard.get("/dashboard/secrets.csv", session_id, table="themes")).status == 404


async def test_the_schedules_page_lists_day_time_zone_and_next_four_themes(dashboard):
    session_id = await dashboard.signed_in()
    rows = list(
        csv.reader(
            io.StringIO(
                (await (await dashboard.get("/dashboard/schedules.csv", session_id, table="schedules")).text()).lstrip(
                    "\ufeff"
                )
            )
        )
    )
    assert rows[0] == ["Channel", "Platform", "Day", "Time", "Time zone", "Status", "Next four prompts"]
    assert len(rows) == 1 + len(dashboard.seeded.channels)
    first = rows[1]
    assert first[2] == "Monday" and first[3] == "09:00" and first[4] == "Europe/Dublin"
    assert len(first[6].split("\n")) == 4
    assert any(row[5].startswith("Paused until") for row in rows[1:])
    assert any(row[5].startswith("Not posting") for row in rows[1:])


# -- pure parts -------------------------------------------------------------------------


def test_people_counts_under_five_are_hidden_but_zero_is_shown():
    assert [figures.people(n) for n in (0, 1, 4, 5, 120)] == ["0", "fewer than 5", "fewer than 5", "5", "120"]
    assert figures.guarded(3, "2.5") == "fewer than 5" and figures.guarded(7, "2.5") == "2.5"


def test_the_default_period_is_the_last_twelve_weeks():
    chosen = figures.parse_filters({}, date(2026, 11, 23))
    assert chosen.end == date(2026, 11, 23) and (chosen.end - chosen.start).days == 83
    assert chosen.channel is None


def test_csv_defuses_spreadsheet_formulas():
    table = figures.Table("t", "T", ("A", "B"), (("=HYPERLINK(1)", "+1"), ("plain", "-")))
    rows = list(csv.reader(io.StringIO(pages.as_csv(table))))
    assert rows == [["A", "B"], ["'=HYPERLINK(1)", "'+1"], ["plain", "'-"]]


def test_charts_are_labelled_images_with_escaped_text():
    chart = figures.Chart(
        "c",
        'Confidence <by> "theme"',
        "A description",
        (figures.Bar('Family "hidden" men <b>', 2.5, "2.5"),),
        horizontal=True,
        maximum=5,
    )
    drawing = charts.svg(chart)
    assert 'role="img"' in drawing and 'aria-labelledby="c-title c-desc"' in drawing
    assert "<b>" not in drawing and "&lt;b&gt;" in drawing
    assert "style=" not in drawing  # the Content Security Policy forbids inline styles
    weekly = charts.svg(
        figures.Chart("w", "W", "D", (figures.Bar("2026-W01", None, "fewer than 5"), figures.Bar("2026-W02", 12, "12")))
    )
    assert "fewer than 5 people that week" in weekly and weekly.count("<rect") == 1


def test_the_dashboard_imports_no_platform_sdk():
    import subprocess
    import sys

    code = (
        "import sys, bot.dashboard.web, bot.dashboard.figures, bot.dashboard.pages, bot.dashboard.signin\n"
        "sdks = ('microsoft_agents', 'botbuilder', 'slack_bolt', 'slack_sdk')\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in sdks]\n"
        "print(loaded)\nsys.exit(1 if loaded else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
