"""The Teams app package: manifest limits Teams enforces on upload, the icons, and the zip."""

from __future__ import annotations

import importlib.util
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path
from types import ModuleType

import pytest

TEAMS = Path(__file__).resolve().parents[2] / "deploy" / "teams"
APP_ID = "12345678-1234-1234-1234-123456789abc"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"teams_{name}", TEAMS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """(width, height, RGBA pixels) of an 8-bit RGBA PNG written with filter 0 on every row."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, bytes] = {}
    position = 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks[kind] = chunks.get(kind, b"") + body
        position += 12 + length
    header, idat = chunks[b"IHDR"], chunks[b"IDAT"]
    width, height, depth, colour_type = struct.unpack(">IIBB", header[:10])
    assert (depth, colour_type) == (8, 6)
    raw, stride, pixels = zlib.decompress(idat), 1 + 4 * width, []
    for row in range(height):
        assert raw[row * stride] == 0
        line = raw[row * stride + 1 : (row + 1) * stride]
        pixels += [tuple(line[i : i + 4]) for i in range(0, len(line), 4)]
    return width, height, pixels


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((TEAMS / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_describes_a_bot_for_chats_teams_and_group_chats(manifest):
    (bot,) = manifest["bots"]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert bot["botId"] == manifest["id"]
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", manifest["accentColor"])
    assert all(url.startswith("https://") for key, url in manifest["developer"].items() if key.endswith("Url"))


def test_manifest_text_fits_the_limits_teams_enforces(manifest):
    assert len(manifest["developer"]["name"]) <= 32  # the schema's maxLength; Teams refuses the upload
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["name"]["full"]) <= 100
    assert len(manifest["description"]["short"]) <= 80 and len(manifest["description"]["full"]) <= 4000
    for command_list in manifest["bots"][0]["commandLists"]:
        assert len(command_list["commands"]) <= 10
        for command in command_list["commands"]:
            assert len(command["title"]) <= 32 and len(command["description"]) <= 128, command


def test_the_manifest_offers_the_schedule_command_the_bot_understands(manifest):
    from bot.router import command_of

    team_commands = next(c for c in manifest["bots"][0]["commandLists"] if "team" in c["scopes"])["commands"]
    assert any((command_of(c["title"]) or ("",))[0] == "schedule" for c in team_commands)


def test_colour_icon_is_192_square_and_opaque():
    width, height, pixels = read_png((TEAMS / "color.png").read_bytes())
    assert (width, height) == (192, 192)
    assert all(alpha == 255 for *_, alpha in pixels)


def test_outline_icon_is_32_square_white_on_transparent():
    width, height, pixels = read_png((TEAMS / "outline.png").read_bytes())
    assert (width, height) == (32, 32)
    assert all(pixel[:3] == (255, 255, 255) for pixel in pixels if pixel[3])
    assert {pixel[3] for pixel in pixels} >= {0, 255}


def test_the_committed_icons_are_what_the_script_draws(tmp_path):
    load("make_icons").write_icons(tmp_path)
    for name in ("color.png", "outline.png"):
        assert (tmp_path / name).read_bytes() == (TEAMS / name).read_bytes(), name


def test_the_package_has_your_app_id_and_exactly_three_files(tmp_path):
    package = load("package")
    out = package.build(
        tmp_path / "scrbot.zip",
        package.manifest_for(APP_ID, "Anytown SCP", "https://example.org/x/"),
    )
    with zipfile.ZipFile(out) as built:
        assert sorted(built.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(built.read("manifest.json"))
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert manifest["developer"]["name"] == "Anytown SCP"
    assert manifest["developer"]["privacyUrl"] == "https://example.org/x/privacy"


def test_the_package_refuses_an_app_id_that_is_not_a_guid():
    with pytest.raises(ValueError, match="GUID"):
        load("package").manifest_for("my-bot")


def test_the_manifest_is_on_a_current_schema_version(manifest):
    # 1.30 (August 2026) is the newest generally available version in Microsoft's manifest change log.
    assert manifest["manifestVersion"] == "1.30"
    assert manifest["$schema"] == "https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json"


def test_the_package_refuses_a_developer_name_teams_would_refuse():
    with pytest.raises(ValueError, match="at most 32"):
        load("package").manifest_for(APP_ID, "Anytown and District Safeguarding Children Partnership")


def test_one_command_builds_the_package(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "scrbot-teams.zip"
    done = subprocess.run(
        [sys.executable, str(TEAMS / "package.py"), "--app-id", APP_ID, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as built:
        manifest = json.loads(built.read("manifest.json"))
    assert manifest["id"] == APP_ID and manifest["manifestVersion"] == "1.30"
    assert len(manifest["developer"]["name"]) <= 32


def test_the_message_extension_searches_themes_with_one_text_box(manifest):
    (extension,) = manifest["composeExtensions"]
    assert extension["botId"] == manifest["bots"][0]["botId"]
    (command,) = extension["commands"]
    assert command["type"] == "query" and command["initialRun"] is True
    assert len(command["title"]) <= 32 and len(command["description"]) <= 128
    assert [p["name"] for p in command["parameters"]] == ["query"]


def test_every_listed_command_is_one_the_bot_understands(manifest):
    from bot.router import command_of

    for command_list in manifest["bots"][0]["commandLists"]:
        for command in command_list["commands"]:
            title = command["title"]
            assert command_of(title) or title.split()[0] in ("themes", "help", "discuss", "what"), title


def test_the_package_puts_your_app_id_in_the_message_extension_too(tmp_path):
    package = load("package")
    manifest = package.manifest_for(APP_ID)
    assert manifest["composeExtensions"][0]["botId"] == APP_ID
