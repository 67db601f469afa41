"""Capture rules for reflections: who wrote one (pseudonymously), whether its text can be kept,
how a submission is recognised when it arrives twice, and how long reflections are kept.

Platform-neutral: adapters turn a modal, a command or a thread reply into a `Submission` and
show the `Outcome`. Reflection text is never logged here, and nothing here logs an exception's
message (a database error's message can carry the statement's parameters, i.e. the text).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from bot.observability import REFLECTIONS_SAVED, STORE_ERRORS
from bot.schedule.calendar import DEFAULT_TIMEZONE, week_key
from bot.store import Delivery, Reflection, async_url, default_database_url
from bot.store.engine import is_sqlite_memory

if TYPE_CHECKING:
    from bot.reflections.privacy import Review
    from bot.store import Store

log = logging.getLogger("scrbot.reflections")

MAX_CHARS = 1500
CONFIDENCE_LEVELS = (1, 2, 3, 4, 5)
SECRET_FILE_NAME = "scrbot.secret"

# Direction overrides, embeddings and isolates: invisible, they can make text display in a
# different order from how it is stored ("Trojan Source"). Right-to-left letters are kept.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Control characters other than newline and tab (PostgreSQL refuses NUL in text outright).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_SHORTCODE = re.compile(r":[a-z0-9_+\-']+:", re.IGNORECASE)

EMPTY = "Please write your reflection before saving: a sentence or two is enough."
EMOJI_ONLY = "Please add a few words: emoji on their own can't be read back as learning later."
GONE = "This reflection no longer exists: it may have been deleted."


class StoreUnavailable(Exception):
    """The store failed while saving, changing or reading reflections; the person can try again.

    Carries only the kind of failure: a database error's own message can include the
    statement's parameters, which would put reflection text into a log line.
    """


@contextmanager
def store_errors() -> Iterator[None]:
    """Turn a database failure into StoreUnavailable, keeping only the kind of failure."""
    try:
        yield
    except (SQLAlchemyError, OSError) as exc:
        STORE_ERRORS.inc()
        raise StoreUnavailable(type(exc).__name__) from None


# -- text --------------------------------------------------------------------------------


def clean_text(text: str | None) -> str:
    """The text as it will be stored: trimmed, without invisible direction overrides or
    control characters; right-to-left scripts and emoji are kept as written."""
    text = unicodedata.normalize("NFC", text or "")
    text = _CONTROL.sub("", _BIDI_CONTROLS.sub("", text.replace("\r\n", "\n")))
    return text.strip()


def text_problem(text: str, not_people: str = "") -> str | None:
    """What stops `text` (already cleaned) being kept, in the writer's words; None if it is fine.

    `not_people` is the writer's answer to the guard's questions ("these aren't people"), as
    `privacy.question_key` made it; details the guard is certain about are refused regardless.
    """
    if not text:
        return EMPTY
    if len(text) > MAX_CHARS:
        over = len(text) - MAX_CHARS
        return (
            f"Please shorten your reflection to {MAX_CHARS:,} characters or fewer "
            f"(it is {len(text):,}, so {over:,} over)."
        )
    if not has_words(text):
        return EMOJI_ONLY
    return privacy_problem(text, privacy_review(text, not_people))


def privacy_review(text: str, not_people: str = "") -> Review:
    """The privacy guard's refusals and questions for `text` (already cleaned)."""
    from bot.reflections import privacy  # imported here: the word lists load on first use

    return privacy.review(text, not_people)


def privacy_problem(text: str, review: Review) -> str | None:
    """The line to show for a review: what to remove, or which words to check; None if clean."""
    from bot.reflections import privacy

    if review.refused:
        return privacy.describe(list(review.refused), text)
    if review.questions:
        words = [f"“{privacy.shown(text, f)}”" for f in review.questions[:3]]
        more = len(review.questions) - len(words)
        listed = privacy.listed(words + ([f"{more} more"] if more else []))
        one = len(review.questions) == 1
        line = (
            f"{listed} may identify someone (a name or a school?). "
            f"Remove {'it' if one else 'them'}, or confirm {'it is not a person' if one else 'they are not people'}."
        )
        if len(line) > privacy.MAX_ERROR_CHARS:
            line = "Some words may identify someone: remove them, or confirm they are not people."
        return line
    return None


def has_words(text: str) -> bool:
    """True if `text` has a letter or digit in any script, once emoji shortcodes are set aside."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in _SHORTCODE.sub("", text))


def confidence_from(value: object) -> int | None:
    """A confidence level 1-5 from a form value, or None when absent or out of range."""
    try:
        level = int(str(value))
    except ValueError:
        return None
    return level if level in CONFIDENCE_LEVELS else None


# -- who wrote it ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonKeys:
    """Turns (workspace, user) into the pseudonymous key stored with a reflection.

    A keyed hash (HMAC-SHA256) with the server secret: the same person always gets the same
    key, and without the secret a key cannot be traced back to a user id.
    """

    secret: str

    def __call__(self, workspace_id: str, user_id: str) -> str:
        message = f"{workspace_id}\x1f{user_id}".encode()
        return hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:  # the secret must never reach a log line through a repr
        return "PersonKeys(secret=…)"


# A generated secret never changes once written, so each file is read once per process.
_secrets: dict[Path, str] = {}
_secrets_lock = threading.Lock()


async def person_keys(secret: str | None, database_url: str | None) -> PersonKeys:
    """The person-key maker: the configured `secret` (SCRBOT_SECRET), or else a generated
    secret kept in a file beside the database at `database_url` (or in the data folder)."""
    if secret:
        return PersonKeys(secret)
    path = secret_file(database_url)
    generated = _secrets.get(path)
    if generated is None:
        generated = await asyncio.to_thread(_load_secret, path, database_url)
    return PersonKeys(generated)


def _load_secret(path: Path, database_url: str | None) -> str:
    with _secrets_lock:
        if path not in _secrets:
            secret, created = read_or_create_secret(path)
            if created:
                _log_generated_secret(path, database_url)
            _secrets[path] = secret
        return _secrets[path]


def secret_file(database_url: str | None) -> Path:
    """Where a generated secret is kept: beside a SQLite database file, else the data folder."""
    url = async_url(database_url or default_database_url())
    if url.get_backend_name() == "sqlite" and not is_sqlite_memory(url) and not url.query.get("uri"):
        return Path(url.database or "").expanduser().resolve().parent / SECRET_FILE_NAME
    import platformdirs

    return Path(platformdirs.user_data_dir("scrbot")) / SECRET_FILE_NAME


def read_or_create_secret(path: Path) -> tuple[str, bool]:
    """(secret, created): read the secret in `path`, or create it (owner-only) if missing.

    Two processes starting together agree: only one creates the file, the other reads it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path), False
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        secret = secrets.token_hex(32)
        handle.write(secret + "\n")
    return secret, True


def _read_secret(path: Path) -> str:
    for _ in range(50):  # the creator may still be writing it
        secret = path.read_text(encoding="ascii").strip()
        if secret:
            return secret
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty: delete it or set SCRBOT_SECRET")


def _log_generated_secret(path: Path, database_url: str | None) -> None:
    url = async_url(database_url or default_database_url())
    shared = url.get_backend_name() != "sqlite"
    log.warning(
        "SCRBOT_SECRET is not set, so scrbot generated the secret for pseudonymous person keys "
        "and keeps it in %s. Back it up with the database: without it, existing reflections "
        "can no longer be matched to the people who wrote them.%s",
        path,
        " Every replica sharing this database must use the same secret: set SCRBOT_SECRET." if shared else "",
    )


# -- recognising a repeat ----------------------------------------------------------------


def view_key(platform: str, workspace_id: str, view_id: str) -> str:
    """Idempotency key for a modal: a Slack retry, a double click or a re-submit of the same
    modal (after a failed save) all carry the same view id."""
    return f"{platform}:{workspace_id}:view:{view_id}"


def message_key(platform: str, workspace_id: str, channel_id: str, message_ts: str) -> str:
    """Idempotency key for a thread reply saved as a reflection."""
    return f"{platform}:{workspace_id}:message:{channel_id}:{message_ts}"


def submission_key(platform: str, workspace_id: str, user_id: str, *parts: str) -> str:
    """Idempotency key when there is no view id: a hash of who submitted what."""
    digest = hashlib.sha256("\x1f".join((workspace_id, user_id, *parts)).encode()).hexdigest()
    return f"{platform}:{workspace_id}:submission:{digest[:40]}"


# -- capture -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """A reflection as a person sent it, before any rule has been applied."""

    platform: str
    workspace_id: str
    user_id: str
    theme_id: str
    text: str
    idempotency_key: str
    source: str
    confidence: int | None = None
    shared: bool = True
    channel_id: str | None = None
    week: str | None = None
    not_people: str = ""  # the writer's "these aren't people" answer (privacy.question_key)


@dataclass(frozen=True)
class Outcome:
    """What became of a submission: saved (maybe earlier, by a repeat) or a problem to fix."""

    reflection: Reflection | None = None
    created: bool = False
    problem: str | None = None
    privacy: Review | None = None  # the guard's findings when it refused or questioned the text

    @property
    def saved(self) -> bool:
        return self.reflection is not None


def _problem_and_review(text: str, not_people: str) -> tuple[str | None, Review | None]:
    """The capture rules' problem with `text`, and the guard's review when the guard is why."""
    problem = text_problem(text, not_people)
    if problem is None or not text or len(text) > MAX_CHARS or not has_words(text):
        return problem, None
    return problem, privacy_review(text, not_people)


async def capture(store: Store, keys: PersonKeys, clock: Clock, submission: Submission) -> Outcome:
    """Apply the rules and save the reflection once. Store errors propagate to the adapter,
    which tells the person it was not saved."""
    text = clean_text(submission.text)
    problem, review = _problem_and_review(text, submission.not_people)
    if problem:
        return Outcome(problem=problem, privacy=review)
    now = clock.now()
    with store_errors():
        reflection, created = await store.add_reflection(
            idempotency_key=submission.idempotency_key,
            theme_id=submission.theme_id,
            workspace_id=submission.workspace_id,
            person_key=keys(submission.workspace_id, submission.user_id),
            text=text,
            source=submission.source,
            now=now,
            channel_id=submission.channel_id,
            week=submission.week or week_key(now, DEFAULT_TIMEZONE),
            confidence=submission.confidence,
            shared=submission.shared,
        )
    if created:
        REFLECTIONS_SAVED.inc()
    log.info(
        "reflection %s %s (theme %s, source %s, %d characters)",
        reflection.id,
        "saved" if created else "already saved",
        reflection.theme_id,
        reflection.source,
        len(text),
    )
    return Outcome(reflection, created)


async def edit(
    store: Store,
    keys: PersonKeys,
    clock: Clock,
    workspace_id: str,
    user_id: str,
    reflection_id: int,
    *,
    text: str,
    confidence: int | None,
    shared: bool,
    not_people: str = "",
) -> Outcome:
    """Change one of the person's own reflections; a problem if the text breaks a rule or the
    reflection is no longer theirs to change."""
    text = clean_text(text)
    problem, review = _problem_and_review(text, not_people)
    if problem:
        return Outcome(problem=problem, privacy=review)
    with store_errors():
        changed = await store.update_reflection(
            reflection_id,
            keys(workspace_id, user_id),
            text=text,
            confidence=confidence,
            shared=shared,
            now=clock.now(),
        )
        if not changed:
            return Outcome(problem=GONE)
        reflection = await store.get_reflection(reflection_id)
    log.info("reflection %s edited (%d characters)", reflection_id, len(text))
    return Outcome(reflection, created=False)


async def mine(store: Store, keys: PersonKeys, workspace_id: str, user_id: str, limit: int = 50) -> list[Reflection]:
    """The person's own reflections, newest first."""
    with store_errors():
        return await store.list_reflections_for_person(keys(workspace_id, user_id), limit=limit)


async def own_reflection(
    store: Store, keys: PersonKeys, workspace_id: str, user_id: str, reflection_id: int
) -> Reflection | None:
    """One reflection, only if this person wrote it."""
    with store_errors():
        reflection = await store.get_reflection(reflection_id)
    key = keys(workspace_id, user_id)
    if reflection is None or not hmac.compare_digest(reflection.person_key, key):
        return None
    return reflection


async def delete(store: Store, keys: PersonKeys, workspace_id: str, user_id: str, reflection_id: int) -> bool:
    """Delete one of the person's own reflections; False if it was not theirs or is gone."""
    with store_errors():
        deleted = await store.delete_reflection(reflection_id, keys(workspace_id, user_id))
    if deleted:
        log.info("reflection %s deleted by its writer", reflection_id)
    return deleted


async def forget(store: Store, keys: PersonKeys, workspace_id: str, user_id: str) -> int:
    """Forget me: delete every reflection and quiz answer of this person; returns how many
    reflections went."""
    key = keys(workspace_id, user_id)
    with store_errors():
        count = await store.delete_reflections_for_person(key)
        await store.delete_quiz_answers_for_person(key)
        await store.delete_conversations_for_person(key)  # their 1:1 chat's reference
    log.info("forget-me: deleted %d reflection(s) for one person", count)
    return count


def retention_cutoff(now: datetime, retention_days: int) -> datetime:
    """Reflections created before this moment are past the retention period."""
    return now - timedelta(days=retention_days)


async def purge_expired(store: Store, clock: Clock, retention_days: int) -> int:
    """Delete reflections older than `retention_days` (the scheduler calls this daily)."""
    count = await store.purge_reflections(retention_cutoff(clock.now(), retention_days))
    log.info("retention: purged %d reflection(s) older than %d days", count, retention_days)
    return count


async def channel_timezone(store: Store, platform: str, workspace_id: str, channel_id: str) -> str | None:
    """The time zone of the channel's weekly prompts, or None when it has none."""
    with store_errors():
        subscription = await store.get_subscription(platform, workspace_id, channel_id)
    return subscription.timezone if subscription else None


async def prompt_theme(store: Store, platform: str, workspace_id: str, channel_id: str, week: str) -> str | None:
    """The theme of the channel's prompt for `week`, or None if it had none."""
    with store_errors():
        delivery = await store.get_delivery(platform, workspace_id, channel_id, week)
    return delivery.theme_id if delivery else None


async def prompt_replied_to(
    store: Store, platform: str, workspace_id: str, channel_id: str, thread_ts: str | None
) -> Delivery | None:
    """The channel's latest posted prompt when `thread_ts` is its thread and the channel saves
    thread replies as reflections; otherwise None."""
    with store_errors():
        subscription = await store.get_subscription(platform, workspace_id, channel_id)
        if subscription is None or not subscription.thread_replies_as_reflections:
            return None
        history = await store.delivery_history(platform, workspace_id, channel_id)
    posted = [d for d in history if d.status == "posted" and d.message_ts]
    if not posted or not thread_ts or posted[-1].message_ts != thread_ts:
        return None
    return posted[-1]


def current_week(clock: Clock, timezone: str | None = None) -> str:
    """This week's ISO key ("2026-W48") in the channel's zone, or UK time by default."""
    return week_key(clock.now(), timezone or DEFAULT_TIMEZONE)


def need_store(store: Store | None) -> Store:
    """`store`, for the reflections that need one (callers say "no database" first)."""
    if store is None:
        raise RuntimeError("reflections need a store: start scrbot with a database")
    return store
