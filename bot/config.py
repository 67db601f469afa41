"""Settings: read once at start-up from the environment and an optional YAML file, validated
into one typed object. Nothing else in scrbot reads environment variables."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
SLACK_API_DEFAULT = "https://slack.com/api/"

DEFAULT_URGENT_CONTACTS = {
    "front_door_name": "your local children's services front door (MASH)",
    "front_door_phone": "the number in your agency's safeguarding procedures",
    "out_of_hours_phone": "your local emergency duty team",
}
CONFIG_KEYS = {
    "urgent_contacts",
    "admins",
    "content_dir",
    "slash_command",
    "prompt_grace_hours",
    "retention_days",
    "leads_channel",
    "teams_leads_digest",
    "prompt_lease_seconds",
    "reconcile_seconds",
}


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it and shows a good value."""


@dataclass(frozen=True)
class Settings:
    content_dir: Path = DEFAULT_CONTENT_DIR
    urgent_contacts: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_URGENT_CONTACTS))
    admins: tuple[str, ...] = ()
    database_url: str | None = None
    port: int = 3000
    host: str = "0.0.0.0"  # SCRBOT_HOST: 127.0.0.1 keeps a local run (tests, the playground) off the network
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    slash_command: str = "/learn"
    prompt_grace_hours: float = 6.0
    retention_days: int = 365
    leads_channel: str | None = None
    teams_leads_digest: bool = False  # the weekly digest to each configured admin's 1:1 chat in Teams
    person_key_secret: str | None = None
    shutdown_grace_seconds: float = 20.0
    prompt_lease_seconds: float = 300.0  # a claim older than this from a silent replica is taken over
    reconcile_seconds: float = 300.0  # how often missed, failed-to-confirm or orphaned prompts are checked
    slack_enabled: bool = True
    teams_enabled: bool = False
    teams_app_id: str | None = None
    teams_app_password: str | None = None
    teams_tenant_id: str | None = None
    teams_allow_unauthenticated: bool = False  # Bot Framework Emulator on localhost only
    public_url: str | None = None  # where browsers reach this server, for dashboard links
    log_level: int = logging.INFO  # SCRBOT_LOG_LEVEL; request bodies are never logged at any level

    def __repr__(self) -> str:  # secrets must never reach a log line through a repr
        slack = "on" if self.slack_bot_token else "off"
        teams = "on" if self.teams_enabled else "off"
        return f"Settings(content_dir={str(self.content_dir)!r}, port={self.port}, slack={slack}, teams={teams})"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from `env` (default: the process environment) and `SCRBOT_CONFIG`."""
    env = os.environ if env is None else env
    file_settings = _read_config_file(env.get("SCRBOT_CONFIG"))
    contacts = dict(DEFAULT_URGENT_CONTACTS)
    given = file_settings.get("urgent_contacts") or {}
    if not isinstance(given, dict) or not set(given) <= set(DEFAULT_URGENT_CONTACTS):
        raise ConfigError(
            "urgent_contacts in SCRBOT_CONFIG must be a mapping with any of: "
            + ", ".join(DEFAULT_URGENT_CONTACTS)
            + ' (e.g. front_door_phone: "01484 456848")'
        )
    contacts.update({k: str(v) for k, v in given.items()})
    admins = file_settings.get("admins") or []
    if not isinstance(admins, list) or not all(isinstance(a, str) for a in admins):
        raise ConfigError('admins in SCRBOT_CONFIG must be a list of user ids, e.g. ["U012ABCDEF"]')
    content_dir = env.get("SCRBOT_CONTENT_DIR") or file_settings.get("content_dir")
    teams = _teams_settings(env)
    slash = file_settings.get("slash_command", "/learn")
    if not isinstance(slash, str) or not re.fullmatch(r"/[a-z0-9_-]{1,31}", slash):
        raise ConfigError('slash_command in SCRBOT_CONFIG must look like "/learn"')
    return Settings(
        content_dir=Path(content_dir).expanduser() if content_dir else DEFAULT_CONTENT_DIR,
        urgent_contacts=contacts,
        admins=tuple(admins),
        database_url=_database_url(env.get("SCRBOT_DATABASE_URL")),
        port=_port(env.get("SCRBOT_PORT")),
        host=(env.get("SCRBOT_HOST") or "").strip() or "0.0.0.0",
        slack_bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-"),
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        slack_app_token=_token(env, "SLACK_APP_TOKEN", "xapp-"),
        slack_api_url=_api_url(env.get("SCRBOT_SLACK_API_URL")),
        slash_command=slash,
        prompt_grace_hours=_number(file_settings, "prompt_grace_hours", 6.0, 0, 24 * 6),
        prompt_lease_seconds=_number(file_settings, "prompt_lease_seconds", 300.0, 1, 3600),
        reconcile_seconds=_number(file_settings, "reconcile_seconds", 300.0, 1, 3600),
        retention_days=int(_number(file_settings, "retention_days", 365, 1, 3650)),
        leads_channel=file_settings.get("leads_channel"),
        teams_leads_digest=_yes_or_no(file_settings, "teams_leads_digest"),
        person_key_secret=env.get("SCRBOT_SECRET") or None,
        public_url=_public_url(env.get("SCRBOT_PUBLIC_URL")),
        # Slack stays on (and asks for its tokens) unless this is a Teams-only deployment.
        log_level=_log_level(env.get("SCRBOT_LOG_LEVEL")),
        slack_enabled=_switch(
            env, "SCRBOT_SLACK_ENABLED", bool(env.get("SLACK_BOT_TOKEN")) or not teams["teams_enabled"]
        ),
        **teams,
    )


def _yes_or_no(file_settings: dict[str, Any], key: str) -> bool:
    value = file_settings.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{key} in SCRBOT_CONFIG must be true or false (got {value!r})")
    return value


def _read_config_file(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"SCRBOT_CONFIG={path}: cannot read the file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"SCRBOT_CONFIG={path}:{line} is not valid YAML") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"SCRBOT_CONFIG={path} must be a YAML mapping of settings")
    unknown = set(data) - CONFIG_KEYS
    if unknown:
        raise ConfigError(
            f"SCRBOT_CONFIG={path}: unknown setting(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(CONFIG_KEYS))}"
        )
    return data


LOG_LEVELS = {"DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARNING": logging.WARNING, "ERROR": logging.ERROR}


def _log_level(value: str | None) -> int:
    if not value or not value.strip():
        return logging.INFO
    level = LOG_LEVELS.get(value.strip().upper())
    if level is None:
        raise ConfigError(f"SCRBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {value!r})")
    return level


def _port(value: str | None) -> int:
    if not value:
        return 3000
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f"SCRBOT_PORT must be a port number between 1 and 65535, e.g. 3000 (got {value!r})")
    return int(value)


def _token(env: Mapping[str, str], name: str, prefix: str) -> str | None:
    value = env.get(name)
    if not value:
        return None
    if not value.startswith(prefix):
        # Never echo the value: it may be a real secret pasted into the wrong variable.
        raise ConfigError(f"{name} must be a Slack token starting with '{prefix}' (the value given does not)")
    return value


def _api_url(value: str | None) -> str:
    if not value:
        return SLACK_API_DEFAULT
    if not re.match(r"https?://[^/\s]+", value):
        raise ConfigError(f"SCRBOT_SLACK_API_URL must be an http(s) URL such as {SLACK_API_DEFAULT} (got {value!r})")
    return value if value.endswith("/") else value + "/"


_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def _public_url(value: str | None) -> str | None:
    """The dashboard's base address: https, or http only on this machine (browsers keep
    Secure cookies over http for localhost alone). Scheme, host and port only: the dashboard's
    pages live at /dashboard on that address."""
    if not value:
        return None
    match = re.fullmatch(r"(https?)://([^/\s?#:]+|\[[0-9a-fA-F:]+\])(:\d{1,5})?/?", value.strip())
    example = "e.g. https://scrbot.example.org"
    if not match:
        raise ConfigError(
            f"SCRBOT_PUBLIC_URL must be the address browsers use for scrbot, scheme and host only, "
            f"{example} (got {value!r})"
        )
    scheme, host = match.group(1), match.group(2).lower()
    if scheme == "http" and host not in _LOCAL_HOSTS:
        raise ConfigError(
            f"SCRBOT_PUBLIC_URL must start with https:// ({example}): the dashboard's sign-in cookie "
            f"is only sent over HTTPS. http:// is allowed for localhost only (got {value!r})"
        )
    return value.strip().rstrip("/")


def _database_url(value: str | None) -> str | None:
    if not value:
        return None
    if not re.match(r"(sqlite\+aiosqlite|postgresql\+asyncpg|postgresql|postgres)://", value):
        raise ConfigError(
            "SCRBOT_DATABASE_URL must be sqlite+aiosqlite:///path/to/scrbot.db or "
            "postgresql+asyncpg://user@host:5432/dbname"
        )
    if value.startswith(("postgresql://", "postgres://")):
        value = "postgresql+asyncpg://" + value.split("://", 1)[1]
    return value


_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ON, _OFF = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = (env.get(name) or "").strip().lower()
    if not value:
        return default
    if value in _ON or value in _OFF:
        return value in _ON
    raise ConfigError(f"{name} must be 1 (on) or 0 (off), got {env.get(name)!r}")


def _teams_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The Microsoft Teams settings, checked together: credentials, or Emulator-only anonymity."""
    app_id = (env.get("SCRBOT_TEAMS_APP_ID") or "").strip() or None
    password = env.get("SCRBOT_TEAMS_APP_PASSWORD") or None
    tenant = (env.get("SCRBOT_TEAMS_TENANT_ID") or "").strip() or None
    anonymous = _switch(env, "SCRBOT_TEAMS_ALLOW_UNAUTHENTICATED", False)
    enabled = _switch(env, "SCRBOT_TEAMS_ENABLED", bool(app_id) or anonymous)
    if app_id and not _GUID.fullmatch(app_id):
        raise ConfigError(
            "SCRBOT_TEAMS_APP_ID must be the Microsoft App ID of your Azure Bot, a GUID like "
            "12345678-1234-1234-1234-123456789abc (the value given is not)"
        )
    if enabled and anonymous and (app_id or password):
        raise ConfigError(
            "SCRBOT_TEAMS_ALLOW_UNAUTHENTICATED=1 is only for the Bot Framework Emulator without "
            "credentials: unset it, or unset SCRBOT_TEAMS_APP_ID and SCRBOT_TEAMS_APP_PASSWORD"
        )
    if enabled and not anonymous:
        if not app_id:
            raise ConfigError(
                "SCRBOT_TEAMS_APP_ID is not set: it is the Microsoft App ID of your Azure Bot "
                "(a GUID). Only for local testing with the Bot Framework Emulator, "
                "set SCRBOT_TEAMS_ALLOW_UNAUTHENTICATED=1 instead"
            )
        if not password:
            raise ConfigError(
                "SCRBOT_TEAMS_APP_PASSWORD is not set: it is a client secret of the bot's app "
                "registration (Certificates & secrets in the Azure portal)"
            )
        if not tenant or not (_GUID.fullmatch(tenant) or tenant == "botframework.com"):
            raise ConfigError(
                "SCRBOT_TEAMS_TENANT_ID must be the Directory (tenant) ID of the bot's app "
                "registration, a GUID (or botframework.com for an older multi-tenant bot)"
            )
    return {
        "teams_enabled": enabled,
        "teams_app_id": app_id,
        "teams_app_password": password,
        "teams_tenant_id": tenant,
        "teams_allow_unauthenticated": anonymous,
    }


def _number(data: Mapping[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = data.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{key} in SCRBOT_CONFIG must be a number from {low:g} to {high:g} (got {value!r})")
    return float(value)
