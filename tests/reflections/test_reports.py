"""Report figures against a hand-counted set of reflections, on SQLite and PostgreSQL, and the
text / CSV / HTML / PNG renderings and the `scrbot report` command."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime

import pytest

from bot.cli import main
from bot.reflections import reports
from bot.reflections.reports import ChannelFigures, Figures, WeekFigures, gather_report
from bot.store import open_store
from tests.reflections.conftest import KEYS

START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 12, 1, tzinfo=UTC)

# (workspace, user, channel, theme, confidence, week, created) - counted by hand below.
FIXTURE = [
    ("T1", "U1", "C1", "neglect", 4, "2026-W45", datetime(2026, 11, 2, 10, tzinfo=UTC)),
    ("T1", "U1", "C1", "neglect", 2, "2026-W45", datetime(2026, 11, 3, 10, tzinfo=UTC)),
    (
        "T1",
        "U2",
        "C1",
        "disguised-compliance",
        5,
        "2026-W46",
        datetime(2026, 11, 10, 10, tzinfo=UTC),
    ),
    ("T1", "U4", "C2", "neglect", None, "2026-W46", datetime(2026, 11, 11, 10, tzinfo=UTC)),
    ("T1", "U6", "C2", "neglect", 3, "2026-W47", datetime(2026, 11, 18, 10, tzinfo=UTC)),
    ("T1", "U1", None, "toxic-trio", 1, "2026-W48", datetime(2026, 11, 23, 10, tzinfo=UTC)),
    # Outside the period, and another workspace: left out of the T1 report.
    ("T1", "U3", "C1", "neglect", 5, "2026-W43", datetime(2026, 10, 20, 10, tzinfo=UTC)),
    ("T2", "U1", "C1", "neglect", 5, "2026-W45", datetime(2026, 11, 5, 10, tzinfo=UTC)),
]
MEMBERS = {("T1", "C1"): ["U1", "U2", "U3"], ("T1", "C2"): ["U4", "U5"], ("T2", "C1"): ["U1"]}
TEXT = "Private words that never belong in a report"


async def seed(store) -> None:
    for n, (workspace, user, channel, theme, confidence, week, created) in enumerate(FIXTURE):
        await store.add_reflection(
            idempotency_key=f"k{n}",
            theme_id=theme,
            workspace_id=workspace,
            person_key=KEYS(workspace, user),
            text=TEXT,
            source="modal",
            now=created,
            channel_id=channel,
            week=week,
            confidence=confidence,
            shared=n % 2 == 0,
        )


async def members(workspace: str, channel: str):
    return MEMBERS.get((workspace, channel))


@pytest.fixture
async def report(services):
    await seed(services.store)
    return await gather_report(
        services.store, services.catalogue, START, END, workspace_id="T1", members=members, keys=KEYS, rows=True
    )


async def test_figures_only_reports_match_and_refuse_a_csv(services, report):
    light = await gather_report(
        services.store, services.catalogue, START, END, workspace_id="T1", members=members, keys=KEYS
    )
    assert (light.total, light.themes, light.channels, light.weeks) == (
        report.total,
        report.themes,
        report.channels,
        report.weeks,
    )
    assert light.facts == ()
    with pytest.raises(ValueError, match="rows=True"):
        reports.as_csv(light)


async def test_a_reflection_without_a_week_counts_in_the_week_it_was_written(services):
    await services.store.add_reflection(
        idempotency_key="undated",
        theme_id="neglect",
        workspace_id="T1",
        person_key=KEYS("T1", "U1"),
        text=TEXT,
        source="team-actions",
        now=datetime(2026, 11, 12, 10, tzinfo=UTC),
    )
    for rows in (False, True):
        found = await gather_report(services.store, services.catalogue, START, END, rows=rows)
        assert WeekFigures("2026-W46", 1, 1) in found.weeks


async def test_totals_match_the_hand_count(report):
    # 6 reflections in T1 in November; people U1, U2, U4, U6; confidence (4+2+5+3+1)/5.
    assert report.total == Figures(reflections=6, people=4, average_confidence=3.0)


async def test_per_theme_figures_match_the_hand_count(report):
    rows = [(t.theme_id, t.figures) for t in report.themes]
    assert rows == [
        ("neglect", Figures(4, 3, 3.0)),  # U1 twice, U4, U6; confidence (4+2+3)/3
        ("disguised-compliance", Figures(1, 1, 5.0)),
        ("toxic-trio", Figures(1, 1, 1.0)),
    ]


async def test_per_channel_figures_and_participation_match_the_hand_count(report):
    assert list(report.channels) == [
        # C1: U1 twice and U2 of members U1, U2, U3 -> 2 of 3 took part.
        ChannelFigures("T1", "C1", Figures(3, 2, 3.67), members=3, participants=2),
        # C2: U4 (member) and U6 (no longer a member) of members U4, U5 -> 1 of 2.
        ChannelFigures("T1", "C2", Figures(2, 2, 3.0), members=2, participants=1),
        ChannelFigures("T1", None, Figures(1, 1, 1.0)),  # written in a DM
    ]
    assert report.channels[0].participation == pytest.approx(2 / 3)
    assert report.channels[2].participation is None


async def test_weeks_cover_the_period_including_empty_ones(report):
    assert list(report.weeks) == [
        WeekFigures("2026-W44", 0, 0),
        WeekFigures("2026-W45", 2, 1),
        WeekFigures("2026-W46", 2, 2),
        WeekFigures("2026-W47", 1, 1),
        WeekFigures("2026-W48", 1, 1),
        WeekFigures("2026-W49", 0, 0),
    ]


async def test_without_a_workspace_every_workspace_counts(services):
    await seed(services.store)
    everything = await gather_report(services.store, services.catalogue, START, END)
    assert everything.total.reflections == 7
    assert {(c.workspace_id, c.channel_id) for c in everything.channels} == {
        ("T1", "C1"),
        ("T1", "C2"),
        ("T1", None),
        ("T2", "C1"),
    }
    assert all(c.members is None for c in everything.channels)  # no membership lookup given


async def test_csv_has_one_row_per_reflection_with_keys_never_user_ids_or_text(report):
    exported = reports.as_csv(report)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == 6 and tuple(rows[0]) == reports.CSV_COLUMNS
    assert rows[0]["person_key"] == KEYS("T1", "U1") and rows[2]["person_key"] == KEYS("T1", "U2")
    assert rows[3]["confidence"] == "" and rows[5]["channel_id"] == ""
    for user in ("U1", "U2", "U4", "U6"):
        assert user not in exported
    assert TEXT not in exported and "text" not in rows[0]


async def test_text_report_shows_the_tables(report):
    text = reports.as_text(report)
    assert text.startswith("Reflections report: 2026-11-01 to 2026-11-30\n")
    assert "6 reflection(s) from 4 people, average confidence 3.0 out of 5" in text
    assert "2/3 (67%)" in text and "1/2 (50%)" in text and "(no channel)" in text
    assert TEXT not in text


async def test_html_report_is_escaped_and_embeds_the_chart(services):
    await services.store.add_reflection(
        idempotency_key="x",
        theme_id="<script>alert(1)</script>",
        workspace_id="T1",
        person_key=KEYS("T1", "U1"),
        text=TEXT,
        source="modal",
        now=datetime(2026, 11, 4, tzinfo=UTC),
        channel_id="C<b>",
        week="2026-W45",
    )
    page = reports.as_html(await gather_report(services.store, services.catalogue, START, END))
    assert "<script>" not in page and "&lt;script&gt;" in page and "C&lt;b&gt;" in page
    assert 'src="data:image/png;base64,iVBOR' in page and TEXT not in page


async def test_png_chart_is_a_png(report):
    png = reports.as_png(report)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


async def test_reports_hold_no_text_at_all(services):
    await seed(services.store)
    facts = await services.store.reflection_facts(START, END)
    assert not hasattr(facts[0], "text")


async def test_digest_and_chat_reply_name_no_one(report):
    reply = reports.digest_reply(report)
    plain = reply.plain_text()
    assert "Weekly reflections digest" in plain and "Neglect: 4 from 3" in plain
    assert TEXT not in plain and "U1" not in plain


# -- scrbot report -----------------------------------------------------------------------


@pytest.fixture
def seeded_sqlite(tmp_path, monkeypatch):
    url = f"sqlite+aiosqlite:///{tmp_path / 'scrbot.db'}"

    async def prepare() -> None:
        store = open_store(url)
        await store.migrate()
        await seed(store)
        await store.close()

    asyncio.run(prepare())
    monkeypatch.setenv("SCRBOT_DATABASE_URL", url)
    monkeypatch.setenv("SCRBOT_SECRET", "test-person-key-secret")
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SCRBOT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_cli_report_writes_csv_text_html_and_png(seeded_sqlite, capsys):
    out = seeded_sqlite / "report.csv"
    assert (
        main(
            [
                "report",
                "--since",
                "2026-11-01",
                "--until",
                "2026-11-30",
                "--workspace",
                "T1",
                "--format",
                "csv",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 6 and {r["person_key"] for r in rows} == {KEYS("T1", u) for u in ("U1", "U2", "U4", "U6")}
    assert main(["report", "--since", "2026-11-01", "--until", "2026-11-30", "--workspace", "T1"]) == 0
    assert "6 reflection(s) from 4 people" in capsys.readouterr().out
    for fmt, magic in (("html", b"<!doctype html>"), ("png", b"\x89PNG")):
        path = seeded_sqlite / f"report.{fmt}"
        assert main(["report", "--since", "2026-11-01", "--format", fmt, "--out", str(path)]) == 0
        assert path.read_bytes().startswith(magic)


def test_cli_report_refuses_a_bad_date(seeded_sqlite, capsys):
    with pytest.raises(SystemExit):
        main(["report", "--since", "last tuesday"])
    assert "is not a date like 2026-01-31" in capsys.readouterr().err
    assert main(["report", "--since", "2026-11-30", "--until", "2026-11-01"]) == 1


@pytest.fixture
def fake_slack_in_background():
    """The fake Slack Web API on its own event loop, for a CLI command that runs its own."""
    import threading

    from tests.fakes.slack_api import FakeSlack

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = asyncio.run_coroutine_threadsafe(FakeSlack().start(), loop).result(10)
    yield fake
    asyncio.run_coroutine_threadsafe(fake.close(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


def test_cli_report_counts_participation_against_slack_channel_members(
    seeded_sqlite, fake_slack_in_background, monkeypatch, capsys
):
    fake = fake_slack_in_background
    fake.channel_members.update({"C1": ["U1", "U2", "U3", fake.bot_user], "C2": ["U4", "U5"]})
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SCRBOT_SLACK_API_URL", fake.api_url)
    since = ["report", "--since", "2026-11-01", "--until", "2026-11-30", "--workspace", "T1"]
    assert main(since) == 0
    with_members = capsys.readouterr().out
    assert "2/3 (67%)" in with_members and "1/2 (50%)" in with_members  # the bot is not a member
    assert {c.params.get("channel") for c in fake.calls if c.method == "conversations.members"} == {"C1", "C2"}
    assert main([*since, "--no-members"]) == 0
    assert "2/3" not in capsys.readouterr().out
