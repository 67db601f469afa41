"""scrbot's Teams endpoint tested in a real Microsoft client: `scrbot serve` behind Microsoft 365
Agents Playground (its Teams-like web client and mock connector, with the real Adaptive Card
renderer), driven in Debian's chromium by tests/playground/teams.mjs (playwright-core) as a person
would: typing, @mentioning, pressing card buttons, filling the reflection form, searching the
message extension from the compose box. 1:1 chat, group chat and a team channel, where an admin
schedules weekly prompts and one is posted (`scrbot prompt send --platform teams`, run by
post_prompt.py) and answered with Reflect. Everything listens on 127.0.0.1 only (loopback.cjs pins
the playground, which has no host option).

The browser run happens once per module; each test below checks one feature's rows of it.
Screenshots of every step go to $SCRBOT_SCREENS when it is set. The fake Bot Connector tests in
tests/teams/ stay: they cover what the playground cannot (retries, tokens, refused updates).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.deploy.conftest import free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PLAYGROUND = HERE / "node_modules" / ".bin" / "agentsplayground"
# The playground's own user (Alex Wilber): its Entra object id, which scrbot's Teams adapter
# reads as the person's id.
PLAYGROUND_USER = "00000000-0000-0000-0000-0000000000020"
RUN_TIMEOUT = 480  # the whole browser run takes two to four minutes on a busy machine


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (.ci/run installs it)"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)"
    for package in ("playwright-core", "@microsoft/m365agentsplayground"):
        if not (HERE / "node_modules" / package).exists():
            return f"{package} is not installed (cd tests/playground && npm ci; .ci/run does it)"
    return None


MISSING = _missing()
REQUIRED = bool(os.environ.get("SCRBOT_REQUIRE_BROWSER"))  # .ci/run: fail rather than skip
pytestmark = pytest.mark.skipif(MISSING is not None and not REQUIRED, reason=MISSING or "")


async def _start(argv: list[str], *, cwd: Path, env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *argv, cwd=cwd, env=env, stdout=log.open("wb"), stderr=asyncio.subprocess.STDOUT
    )


async def _wait_for_line(log: Path, pattern: str, process: asyncio.subprocess.Process, what: str) -> re.Match[str]:
    for _ in range(300):
        found = re.search(pattern, log.read_text(errors="replace"))  # noqa: ASYNC240 (a small local log)
        if found:
            return found
        if process.returncode is not None:
            break
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} did not start:\n{log.read_text(errors='replace')[-3000:]}")  # noqa: ASYNC240


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()


@pytest.fixture(scope="module")
def playground_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    """`scrbot serve` on a fresh SQLite store, the playground in front of it, and one browser
    run through every row; the checks it made, by feature."""
    if MISSING:
        pytest.fail(f"SCRBOT_REQUIRE_BROWSER is set but {MISSING}")
    run = asyncio.run(_browser_run(tmp_path_factory.mktemp("playground")))
    if _unexpected_failures(run):
        # One fresh run more: on a loaded 2-core machine a card refreshed in place has been seen to
        # arrive after the wait. A real fault fails both runs; the first run's failures are printed.
        print("playground: first run failed, running once more:", _unexpected_failures(run))
        run = asyncio.run(_browser_run(tmp_path_factory.mktemp("playground-again")))
    return run


def _unexpected_failures(run: dict[str, list]) -> list[str]:
    """Failed checks."""
    return [
        f"{feature}/{name}"
        for feature, rows in run.items()
        if not feature.startswith("_")
        for name, ok, *_ in rows
        if not ok
    ]


async def _browser_run(work: Path) -> dict[str, list]:
    port, pg_port = free_port(), free_port()
    server_log, playground_log = work / "scrbot.log", work / "playground.log"
    config = work / "scrbot.yaml"
    config.write_text(f'admins: ["{PLAYGROUND_USER}"]\n')  # so "report" answers
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRBOT_", "SLACK_"))}
    scrbot_env = {
        "SCRBOT_DATABASE_URL": f"sqlite+aiosqlite:///{work / 'scrbot.db'}",
        "SCRBOT_TEAMS_ALLOW_UNAUTHENTICATED": "1",
        "SCRBOT_SLACK_ENABLED": "0",
        "SCRBOT_CONFIG": str(config),
    }
    server = await _start(
        [sys.executable, "-m", "bot", "serve"],
        cwd=ROOT,
        env={**base_env, **scrbot_env, "SCRBOT_HOST": "127.0.0.1", "SCRBOT_PORT": str(port)},
        log=server_log,
    )
    playground = None
    try:
        await _wait_for_line(server_log, rf"listening on 127\.0\.0\.1:{port}", server, "scrbot serve")
        playground = await _start(
            [
                str(PLAYGROUND),
                "-e",
                f"http://127.0.0.1:{port}/api/messages",
                "-c",
                "msteams",
                "-p",
                str(pg_port),
                "--disable-telemetry",
            ],
            cwd=work,  # it writes its log to ./devTools/
            env={
                **base_env,
                "TEAMSAPPTESTER_BROWSER": "none",  # else it crashes looking for a browser to open
                "NODE_OPTIONS": f"--require {HERE / 'loopback.cjs'}",
            },
            log=playground_log,
        )
        # It falls back to another port if ours was taken in the meantime: read the one it says.
        listening = await _wait_for_line(playground_log, r"Listening on (\d+)", playground, "the playground")
        run = {
            "url": f"http://127.0.0.1:{listening.group(1)}",
            "screens": os.environ.get("SCRBOT_SCREENS", ""),
            # `scrbot prompt send --platform teams` on the server's database, for the weekly prompt rows
            "postPrompt": {
                "argv": [sys.executable, "-m", "tests.playground.post_prompt"],
                "cwd": str(ROOT),
                "env": scrbot_env,
            },
        }
        browser = await asyncio.create_subprocess_exec(
            "node",
            str(HERE / "teams.mjs"),
            cwd=HERE,
            env={**base_env, "PLAYGROUND_TEST": json.dumps(run), "CHROMIUM": CHROMIUM},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(browser.communicate(), timeout=RUN_TIMEOUT)
    finally:
        if playground is not None:
            await _stop(playground)
        await _stop(server)
    lines = out.decode().strip().splitlines()
    assert lines, f"no output from the browser run: {err.decode()[-2000:]}"
    by_feature: dict[str, list] = {"_server_log": [server_log.read_text(errors="replace")]}
    for feature, name, ok, detail in json.loads(lines[-1])["checks"]:
        by_feature.setdefault(feature, []).append((name, ok, detail))
    return by_feature


def _assert_rows(run: dict[str, list], feature: str, expected: set[str] | None = None) -> None:
    rows = run.get(feature, [])
    failed = [f"{name}: {detail}" for name, ok, detail in rows if not ok]
    assert rows, f"the browser run made no '{feature}' checks (it stopped early?): {run.get('client')}"
    assert not failed, "\n".join(failed)
    if expected is not None:
        covered = {name.split(":", 1)[0] for name, _, _ in rows}
        assert expected <= covered, f"{feature} was not checked in {sorted(expected - covered)}"


EVERYWHERE = {"personal", "group", "channel"}


def test_the_browser_run_finishes_without_script_errors(playground_run):
    _assert_rows(playground_run, "client")


def test_installing_the_app_sends_a_welcome_with_a_theme_picker_that_works(playground_run):
    _assert_rows(playground_run, "welcome", {"personal"})


def test_a_theme_question_gets_an_answer_card_in_chat_group_and_channel(playground_run):
    _assert_rows(playground_run, "answer", EVERYWHERE)


def test_group_and_channel_messages_without_the_mention_get_no_answer(playground_run):
    _assert_rows(playground_run, "mention", {"group", "channel"})


def test_an_urgent_message_gets_urgent_signposting_first_everywhere(playground_run):
    _assert_rows(playground_run, "urgent", EVERYWHERE)


def test_every_answer_ends_with_the_999_and_front_door_line(playground_run):
    _assert_rows(playground_run, "footer", EVERYWHERE)


def test_card_buttons_reflective_questions_discussion_starter_and_related_themes(playground_run):
    _assert_rows(playground_run, "buttons", EVERYWHERE)
    names = " ".join(name for name, _, _ in playground_run["buttons"])
    assert all(b in names for b in ("Reflective questions", "Discussion starter", "Related themes")), names


def test_the_quiz_is_shown_and_answered_by_typing_its_letter(playground_run):
    rows = [row for row in playground_run.get("quiz", []) if "pressing" not in row[0]]
    _assert_rows({"quiz": rows}, "quiz", {"personal"})


def test_pressing_a_quiz_answer_button_gets_the_explanation(playground_run):
    rows = [row for row in playground_run.get("quiz", []) if "pressing" in row[0]]
    _assert_rows({"quiz": rows}, "quiz", {"personal"})


def test_answering_a_quiz_shows_the_tally_on_the_same_card(playground_run):
    _assert_rows(playground_run, "tally", {"personal"})


def test_a_reflection_is_saved_through_the_card(playground_run):
    _assert_rows(playground_run, "reflection", {"personal"})


def test_typing_reflect_gets_the_form_with_a_theme_picker_and_saves(playground_run):
    _assert_rows(playground_run, "reflect", {"personal"})


def test_the_privacy_guard_refuses_or_asks_and_keeps_the_text_in_the_card(playground_run):
    _assert_rows(playground_run, "guard", {"personal"})


def test_my_reflections_lists_edits_in_place_and_deletes_after_asking(playground_run):
    _assert_rows(playground_run, "my-reflections", {"personal"})


def test_the_admin_report_and_its_chart(playground_run):
    _assert_rows(playground_run, "report", {"personal"})


def test_forget_me_warns_then_deletes_everything(playground_run):
    _assert_rows(playground_run, "forget-me", {"personal"})


def test_discuss_in_a_channel_records_the_teams_actions(playground_run):
    _assert_rows(playground_run, "discuss", {"channel"})


def test_recorded_actions_with_a_street_address_are_replaced_for_the_team_then_saved(playground_run):
    _assert_rows(playground_run, "actions-guard", {"channel"})


def test_meeting_in_a_channel_gets_a_theme(playground_run):
    _assert_rows(playground_run, "meeting", {"channel"})


def test_team_summary_in_a_channel(playground_run):
    _assert_rows(playground_run, "team-summary", {"channel"})


def test_the_weekly_prompt_is_posted_in_the_channel_and_reflect_saves_a_reflection(playground_run):
    _assert_rows(playground_run, "weekly-prompt", {"channel"})


def test_the_message_extension_card_is_found_from_the_compose_box_and_its_buttons_answer_in_place(playground_run):
    _assert_rows(playground_run, "search", {"group"})


def test_the_server_listened_on_loopback_and_logged_no_traceback(playground_run):
    (log,) = playground_run["_server_log"]
    assert re.search(r"listening on 127\.0\.0\.1:\d+", log)
    assert "Traceback" not in log, log[-3000:]
