"""The Dockerfile, .dockerignore, compose file and .env.example follow the deployment rules.

Docker cannot run here, so these read the files; the health check command itself is run.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from aiohttp.test_utils import TestServer

from bot.config import Settings
from bot.server import create_app
from bot.services import Services
from tests.deploy.conftest import DEPLOY, ROOT, env_example, free_port


def final(stages):
    return stages[-1]


def test_image_is_built_in_stages_from_slim_python(dockerfile):
    assert len(dockerfile) >= 2, "a builder stage and a runtime stage"
    for stage in dockerfile:
        assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", stage.base), stage.base
    builder = dockerfile[0].name
    assert any(f"--from={builder}" in args for args in final(dockerfile).all("COPY"))


def test_runtime_stage_copies_the_venv_and_installs_nothing_itself(dockerfile):
    runtime = final(dockerfile)
    assert any("/opt/venv" in args for args in runtime.all("COPY"))
    assert not any("pip install" in args for args in runtime.all("RUN"))


def test_image_runs_as_a_non_root_user(dockerfile):
    users = final(dockerfile).all("USER")
    assert users, "the runtime stage must switch user"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_only_runtime_dependencies_are_installed(dockerfile):
    text = " ".join(args for stage in dockerfile for args in stage.all("RUN"))
    assert re.search(r"pip install (\S+ )*\.(\s|$)", text), "installs the package itself, not editable"
    for dev in ("[dev]", "pytest", "ruff", "mypy", "hypothesis", " -e "):
        assert dev not in text


def test_healthcheck_asks_healthz_with_python(dockerfile):
    (check,) = final(dockerfile).all("HEALTHCHECK")
    assert "/healthz" in check and "python" in check
    assert "curl" not in check and "wget" not in check  # neither exists in the slim image


def test_content_is_baked_in_and_can_be_replaced(dockerfile):
    runtime = final(dockerfile)
    assert any(re.fullmatch(r"(--\S+ )*content /app/content/?", args) for args in runtime.all("COPY"))
    env = " ".join(runtime.all("ENV"))
    assert "SCRBOT_CONTENT_DIR=/app/content" in env  # a mount over /app/content, or another dir
    assert not any("content" in args for args in runtime.all("VOLUME")), "no anonymous volume"


def test_image_listens_on_3000_and_serves(dockerfile):
    runtime = final(dockerfile)
    assert "3000" in runtime.all("EXPOSE")
    (cmd,) = runtime.all("CMD")
    assert json.loads(cmd) == ["scrbot", "serve"], "exec form, so scrbot gets SIGTERM itself"


def test_everything_the_image_copies_exists_and_is_not_ignored(dockerfile):
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for stage in dockerfile:
        for args in stage.all("COPY"):
            if "--from=" in args:
                continue
            sources = [s for s in args.split() if not s.startswith("--")][:-1]
            for source in sources:
                if "*" in source:
                    continue
                assert (ROOT / source).exists(), source
                assert source not in ignored, source
    for private in (".env", ".venv", ".git", "tests"):
        assert private in ignored


async def run_shell(command: str, env: dict[str, str]) -> int:
    process = await asyncio.create_subprocess_exec(
        "sh", "-c", command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return await asyncio.wait_for(process.wait(), 30)


async def test_the_healthcheck_command_passes_on_a_live_server_and_fails_without_one(
    dockerfile, catalogue, conversation
):
    (check,) = final(dockerfile).all("HEALTHCHECK")
    command = check.split(" CMD ", 1)[1]
    services = Services(Settings(), catalogue, conversation)
    server = TestServer(create_app(services, slack=False, manage_store=False, prompts=False), host="127.0.0.1")
    await server.start_server()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    try:
        alive = await run_shell(command, {**env, "SCRBOT_PORT": str(server.port)})
    finally:
        await server.close()
    dead = await run_shell(command, {**env, "SCRBOT_PORT": str(free_port())})
    assert alive == 0
    assert dead != 0


def test_compose_runs_postgres_15_on_a_named_volume_with_a_healthcheck(compose):
    postgres = compose["services"]["postgres"]
    assert postgres["image"] == "postgres:15"
    volume_names = set(compose.get("volumes") or {})
    mounted = [v.split(":")[0] for v in postgres["volumes"]]
    assert any(name in volume_names for name in mounted), "data on a named volume"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_compose_starts_scrbot_once_postgres_is_healthy(compose):
    scrbot = compose["services"]["scrbot"]
    assert scrbot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert scrbot["env_file"] in (".env", [".env"])
    assert (DEPLOY / scrbot["build"]["context"] / scrbot["build"].get("dockerfile", "Dockerfile")).exists()
    assert "postgres:5432" in scrbot["environment"]["SCRBOT_DATABASE_URL"]
    assert any(str(p).endswith(":3000") for p in scrbot["ports"])


def config_environment_variables() -> set[str]:
    """Every environment variable name that bot/config.py reads."""
    source = (ROOT / "bot" / "config.py").read_text()
    patterns = (
        r"""env\.get\(\s*["']([A-Z][A-Z0-9_]+)["']""",
        r"""env\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\]""",
        r"""\(\s*env\s*,\s*["']([A-Z][A-Z0-9_]+)["']""",
    )
    return {name for pattern in patterns for name in re.findall(pattern, source)}


def test_env_example_lists_every_setting_scrbot_reads_with_a_comment():
    names = config_environment_variables()
    assert {"SLACK_BOT_TOKEN", "SCRBOT_DATABASE_URL", "SCRBOT_SECRET"} <= names  # the grep works
    listed = env_example()
    assert names <= set(listed), f"missing from .env.example: {sorted(names - set(listed))}"
    lines = (DEPLOY / ".env.example").read_text().splitlines()
    for name in names:
        index = next(i for i, line in enumerate(lines) if re.match(rf"^#?\s*{name}=", line))
        assert lines[index - 1].startswith("#"), f"{name} needs a comment above it"


def test_readme_explains_every_setting_scrbot_reads():
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in config_environment_variables() if f"`{name}`" not in readme)
    assert not missing, f"missing from the README's settings: {missing}"


def test_env_example_holds_no_real_secret():
    for name, value in env_example().items():
        assert not re.search(r"xox[a-z]-\d|xapp-\d", value), name
        if any(word in name for word in ("TOKEN", "SECRET", "PASSWORD")) and value:
            assert "REPLACE" in value, f"{name} must be a placeholder"
