"""Build the Teams app package (a zip of manifest.json and the two icons) for your bot.

    python deploy/teams/package.py --app-id 12345678-1234-1234-1234-123456789abc
    python deploy/teams/package.py --app-id ... --developer "Anytown Safeguarding Partnership" \\
        --website https://www.example.org/scrbot --out scrbot-teams.zip

The app id is your Azure Bot's Microsoft App ID (SCRBOT_TEAMS_APP_ID); it becomes both the Teams
app id and the bot id in the manifest.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
DEVELOPER_NAME_LIMIT = 32  # the manifest schema's maxLength: Teams refuses a longer name on upload


def manifest_for(
    app_id: str, developer: str | None = None, website: str | None = None
) -> dict[str, Any]:
    """The manifest in this folder with your app id (and, if given, your organisation) filled in."""
    if not GUID.fullmatch(app_id):
        raise ValueError(f"--app-id must be the bot's Microsoft App ID, a GUID (got {app_id!r})")
    manifest = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    manifest["id"] = app_id
    for bot in (*manifest["bots"], *manifest.get("composeExtensions", ())):
        bot["botId"] = app_id
    if developer:
        if len(developer) > DEVELOPER_NAME_LIMIT:
            raise ValueError(
                f"--developer must be at most {DEVELOPER_NAME_LIMIT} characters (Teams refuses longer): "
                f"{developer!r} has {len(developer)}"
            )
        manifest["developer"]["name"] = developer
    if website:
        if not website.startswith("https://"):
            raise ValueError("--website must start with https:// (Teams refuses other links)")
        base = website.rstrip("/")
        manifest["developer"].update(
            websiteUrl=base, privacyUrl=f"{base}/privacy", termsOfUseUrl=f"{base}/terms"
        )
    return manifest


def build(out: Path, manifest: dict[str, Any]) -> Path:
    """Write the zip Teams accepts: the three files at the top level, nothing else."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for icon in (manifest["icons"]["color"], manifest["icons"]["outline"]):
            package.write(HERE / icon, icon)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--app-id", required=True, help="the Azure Bot's Microsoft App ID")
    parser.add_argument(
        "--developer", help="your organisation's name, shown in the Teams app store"
    )
    parser.add_argument(
        "--website", help="https:// address of a page about scrbot (privacy and terms beneath it)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("scrbot-teams.zip"), help="where to write the zip"
    )
    args = parser.parse_args(argv)
    try:
        manifest = manifest_for(args.app_id, args.developer, args.website)
    except ValueError as exc:
        print(f"package.py: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {build(args.out, manifest)}: upload it in Teams (see deploy/teams/README.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
