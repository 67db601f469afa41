"""Post this week's prompt to the playground's scheduled Teams channel now, as an admin would:
`scrbot prompt send --platform teams --workspace <tenant> --channel <conversation> --now`.

teams.mjs runs this (`python -m tests.playground.post_prompt`, from the repository) once it has
scheduled prompts in the channel; the channel's ids (the playground's own) are read from the
subscription the schedule command saved. Settings come from the environment the test gives the
server (the same database).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

from bot.config import load_settings
from bot.store import open_store


async def scheduled_teams_channel() -> tuple[str, str]:
    store = open_store(load_settings().database_url)
    try:
        subscriptions = [s for s in await store.list_subscriptions() if s.platform == "teams"]
    finally:
        await store.close()
    if len(subscriptions) != 1:
        raise SystemExit(f"expected one scheduled Teams channel, found {len(subscriptions)}")
    return subscriptions[0].workspace_id, subscriptions[0].channel_id


def main() -> int:
    workspace, channel = asyncio.run(scheduled_teams_channel())
    command = ["prompt", "send", "--platform", "teams", "--workspace", workspace, "--channel", channel, "--now"]
    return subprocess.run([sys.executable, "-m", "bot", *command], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
