"""`scrbot doctor` names what is wrong, in plain words, one line per check."""

from __future__ import annotations

import shutil

import pytest

from bot.cli import main as scrbot
from bot.config import DEFAULT_CONTENT_DIR
from bot.doctor import Finding, run_checks
from tests.deploy.conftest import free_port
from tests.fakes.slack_api import FakeSlack

TOKEN = "xoxb-1111-2222-doctortoken"


@pytest.fixture
async def fake_slack():
    fake = await FakeSlack().start()
    yield fake
    await fake.close()


@pytest.fixture
def env(fake_slack, tmp_path) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": "doctor-signing-secret",
        "SCRBOT_SLACK_API_URL": fake_slack.api_url,
        "SCRBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/scrbot.db",
    }


def by_check(findings: list[Finding]) -> dict[str, Finding]:
    return {finding.check: finding for finding in findings}


def lines(findings: list[Finding]) -> str:
    return "\n".join(finding.line() for finding in findings)


async def test_a_healthy_setup_is_all_ok(env, fake_slack):
    findings = await run_checks(env)
    assert [f.check for f in findings] == ["configuration", "content", "store", "slack"]
    assert all(f.ok for f in findings), lines(findings)
    assert all(line.startswith("OK ") for line in lines(findings).splitlines())
    assert "team T1" in by_check(findings)["slack"].detail
    assert fake_slack.of("auth.test")


async def test_a_revoked_token_says_so_and_how_to_fix_it(env, fake_slack):
    fake_slack.revoked = True
    slack = by_check(await run_checks(env))["slack"]
    assert not slack.ok
    assert slack.line().startswith("PROBLEM")
    assert "revoked" in slack.detail and "reinstall" in slack.fix


async def test_an_unknown_token_says_invalid_auth(env, fake_slack):
    fake_slack.fail("auth.test", "invalid_auth")
    slack = by_check(await run_checks(env))["slack"]
    assert not slack.ok
    assert "does not recognise SLACK_BOT_TOKEN" in slack.detail
    assert "OAuth & Permissions" in slack.fix


async def test_slack_out_of_reach_is_a_network_problem(env):
    env["SCRBOT_SLACK_API_URL"] = f"http://127.0.0.1:{free_port()}/api/"
    slack = by_check(await run_checks(env))["slack"]
    assert not slack.ok
    assert "cannot reach Slack" in slack.detail and "network" in slack.fix


async def test_a_missing_token_is_named(env):
    del env["SLACK_BOT_TOKEN"]
    slack = by_check(await run_checks(env))["slack"]
    assert not slack.ok and "SLACK_BOT_TOKEN is not set" in slack.detail


async def test_an_unreachable_store_is_explained_without_its_password(env):
    env["SCRBOT_DATABASE_URL"] = f"postgresql://scrbot:s3cretpass@127.0.0.1:{free_port()}/scrbot"
    findings = await run_checks(env)
    store = by_check(findings)["store"]
    assert not store.ok
    assert "connection refused" in store.detail and "SCRBOT_DATABASE_URL" in store.fix
    assert "s3cretpass" not in lines(findings)


async def test_an_unopenable_sqlite_file_is_a_store_problem(env, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    env["SCRBOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{blocker}/scrbot.db"
    store = by_check(await run_checks(env))["store"]
    assert not store.ok and "cannot open the database" in store.detail


async def test_a_store_migrated_by_a_newer_scrbot_is_a_problem(env, tmp_path):
    import sqlite3

    from bot.store import open_store

    store = open_store(env["SCRBOT_DATABASE_URL"])
    await store.migrate()
    await store.close()
    with sqlite3.connect(tmp_path / "scrbot.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    store_finding = by_check(await run_checks(env))["store"]
    assert not store_finding.ok and "newer than this scrbot" in store_finding.detail


async def test_an_up_to_date_store_is_ok(env):
    from bot.store import open_store

    store = open_store(env["SCRBOT_DATABASE_URL"])
    await store.migrate()
    await store.close()
    assert by_check(await run_checks(env))["store"].detail.endswith("schema up to date")


async def test_broken_content_names_the_file(env, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    (content / "themes" / "neglect.yaml").write_text("id: neglect\ntitle: [unclosed\n")
    env["SCRBOT_CONTENT_DIR"] = str(content)
    found = by_check(await run_checks(env))["content"]
    assert not found.ok
    assert "neglect.yaml" in found.detail and "scrbot content check" in found.fix


async def test_a_missing_content_folder_points_at_scrbot_content_dir(env, tmp_path):
    env["SCRBOT_CONTENT_DIR"] = str(tmp_path / "nowhere")
    found = by_check(await run_checks(env))["content"]
    assert not found.ok and "SCRBOT_CONTENT_DIR" in found.fix


async def test_the_token_never_appears_in_the_report(env, fake_slack):
    fake_slack.fail("auth.test", "invalid_auth")
    assert TOKEN not in lines(await run_checks(env))


def test_broken_configuration_stops_the_command_with_exit_1(monkeypatch, capsys):
    monkeypatch.setenv("SCRBOT_PORT", "eighty")
    assert scrbot(["doctor"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("PROBLEM configuration SCRBOT_PORT must be a port number")
    assert "were not checked" in out


def test_the_command_prints_one_line_per_check(monkeypatch, capsys, tmp_path):
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SCRBOT_CONFIG",
        "SCRBOT_PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCRBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/scrbot.db")
    monkeypatch.setenv("SCRBOT_CONTENT_DIR", str(DEFAULT_CONTENT_DIR))
    assert scrbot(["doctor"]) == 1  # no Slack token
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in out] == [
        ["OK", "configuration"],
        ["OK", "content"],
        ["OK", "store"],
        ["PROBLEM", "slack"],
    ]
