"""What became of a reflection a person sent, in platform-neutral words: saved, refused (with
what the guard found), asked about (with the digest its tick box answers), a problem to fix, or
not saved on our side. The Slack modal and the Teams card render the same `ReflectionOutcome`;
the rules behind it and its wording live here once.

Also here: "Replace them for me" (`redact`), and replies to the weekly prompt's thread, which a
channel may keep as reflections (`thread_reply`).

Reflection text is never logged here, nor an exception's message (see service.StoreUnavailable).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from bot import notices
from bot.reflections import service
from bot.reflections.form import reflection_form, thanks
from bot.reflections.service import StoreUnavailable, Submission
from bot.store.repository import check_week

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.content import Catalogue, Theme
    from bot.engine import Engine
    from bot.reflections.privacy import Review
    from bot.reflections.service import PersonKeys
    from bot.store import Reflection, Store

log = logging.getLogger("scrbot.reflections.outcome")

# The kinds of outcome.
CLEAN = "clean"  # checked only, and nothing stops it being kept
SAVED = "saved"  # kept now, or earlier by a repeat of the same submission
REFUSED = "refused"  # the guard is certain something identifies someone: remove it
ASKED = "asked"  # the guard asks about words that may be names: remove them, or tick the box
INVALID = "invalid"  # empty, too long, emoji only, no theme, or no longer theirs
UNAVAILABLE = "unavailable"  # our side: the store failed or was too slow; the text is kept

NOT_SAVED_YET = "Not saved yet."
NOT_PEOPLE_LABEL = "None of these is a child, family member or their school"
SAVE_AS_WRITTEN = "Or save as written"
REPLACE = "Replace them for me"
REPLACED = "I replaced them. Check the text, then press Save reflection."
CHECK_THE_REST = "Please check the rest."
THEME_GONE = "That theme is no longer in the catalogue, so the reflection was not saved."
NOT_SAVED = "Your reflection was not saved: {problem}"
REPLY_REFUSED = "Your reply was not saved as a reflection. {problem} You may also want to edit or delete your reply."
REPLY_UNAVAILABLE = notices.database_down("your reply was not saved as a reflection", "It is still in the thread.")
REOPEN = "Open it in the Reflect form"

_EXPLAIN = {
    "name": "looks like a name",
    "school_or_gp_with_child": "names a school or GP surgery beside a child's details",
    "social_handle": "looks like a social media account",
    "address": "looks like a street",
}


# -- what the guard found -------------------------------------------------------------------


@dataclass(frozen=True)
class Detail:
    """One thing the guard found, said for the person (never for a log): the words as written,
    what they look like, what to do, and the neutral words a redaction would put there."""

    field: str  # which text of the form it is in
    words: str
    what: str
    advice: str
    replacement: str

    def line(self, quote: Callable[[str], str] = str) -> str:
        """“Harley” looks like a name: remove it, ... (or use [child]); `quote` escapes the words."""
        return f"“{quote(self.words)}” {self.what}: {self.advice} (or use {self.replacement})"


@dataclass(frozen=True)
class Findings:
    """What the guard found in a form's texts. `asking` when nothing is refused, so the person may
    answer "none of these is a person" instead; `not_people_keys` then holds, by text, the digest
    of the questioned words that the answer must carry (the words themselves stay out of forms)."""

    details: tuple[Detail, ...]
    asking: bool
    not_people_keys: Mapping[str, str] = field(default_factory=dict)

    def renamed(self, names: Mapping[str, str]) -> Findings:
        """The same findings with the texts' fields renamed (to a platform's input ids)."""
        details = tuple(replace(d, field=names.get(d.field, d.field)) for d in self.details)
        keys = {names.get(name, name): key for name, key in self.not_people_keys.items()}
        return Findings(details, self.asking, keys)


def findings(texts: Mapping[str, str], reviews: Mapping[str, Review]) -> Findings:
    """The guard's reviews of several texts (by field), as details and the tick box's digests."""
    from bot.reflections import privacy

    asking = not any(r.refused for r in reviews.values())
    unsure = "remove it, or tick below if it isn't a person" if asking else "remove it if it is a person"
    details = tuple(
        Detail(
            name,
            privacy.shown(texts.get(name, ""), f),
            _EXPLAIN.get(f.kind, f"is a {privacy.noun(f.kind)}"),
            "remove it" if f.certain else unsure,
            f.replacement(),
        )
        for name, review in reviews.items()
        for f in sorted((*review.refused, *review.questions), key=lambda f: f.start)
    )
    keys = {
        name: privacy.question_key(texts.get(name, ""), review.questions)
        for name, review in reviews.items()
        if asking and review.questions
    }
    return Findings(details, asking, keys)


# -- the outcome -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReflectionOutcome:
    """What became of one reflection: `kind` says which, `problem` what to fix (in the person's
    words), `found` what the guard found when it refused or asked, `text` the text as checked."""

    kind: str
    text: str = ""
    problem: str | None = None
    theme_problem: str | None = None
    found: Findings | None = None
    reflection: Reflection | None = None
    created: bool = False
    theme_title: str = ""
    shared: bool = False

    @property
    def saved(self) -> bool:
        return self.kind == SAVED

    @property
    def guarded(self) -> bool:
        """The guard is why it was not kept: the form comes back with the findings."""
        return self.kind in (REFUSED, ASKED)

    def thanks(self, command: str = "", home_tab: bool = False) -> tuple[str, ...]:
        """What the person is told once it is kept, line by line (see bot.reflections.form.thanks)."""
        return thanks(self.theme_title, self.shared, command, home_tab, already=not self.created)

    @property
    def not_people_key(self) -> str:
        """The value of the one text's "none of these is a person" tick box, when asking."""
        keys = self.found.not_people_keys if self.found is not None else {}
        return next(iter(keys.values()), "")

    def message(self) -> str:
        """One line for a platform that answers a form with a message beside it."""
        if self.kind == SAVED:
            return " ".join(self.thanks())
        if self.kind == UNAVAILABLE or self.theme_problem == THEME_GONE:
            return self.theme_problem or self.problem or ""
        return NOT_SAVED.format(problem=self.problem or self.theme_problem)


def check(text: str, not_people: str = "") -> ReflectionOutcome:
    """What the capture rules and the guard say about `text`: CLEAN, INVALID, REFUSED or ASKED.
    `not_people` is the person's tick-box answer (a digest, see privacy.question_key)."""
    cleaned = service.clean_text(text)
    if not cleaned or len(cleaned) > service.MAX_CHARS or not service.has_words(cleaned):
        return ReflectionOutcome(INVALID, cleaned, service.text_problem(cleaned))
    review = service.privacy_review(cleaned, not_people)
    if review.ok:
        return ReflectionOutcome(CLEAN, cleaned)
    kind = REFUSED if review.refused else ASKED
    found = findings({"text": cleaned}, {"text": review})
    return ReflectionOutcome(kind, cleaned, service.privacy_problem(cleaned, review), found=found)


def unavailable(text: str, why: BaseException, context: str, what: str = "a reflection") -> ReflectionOutcome:
    """Not saved on our side: logged with `context` (a view or reflection id, never text) and the
    kind of failure only, and said in the form's words."""
    kind = "timed out" if isinstance(why, TimeoutError) else f"store unavailable ({why})"
    log.error("%s was not saved (%s): %s", what, context, kind)
    return ReflectionOutcome(UNAVAILABLE, service.clean_text(text), reflection_form().not_saved)


@dataclass(frozen=True)
class Draft:
    """A new reflection as a person sent it from a form, in platform-neutral words."""

    platform: str
    workspace_id: str
    user_id: str
    theme_id: str | None
    text: str
    source: str
    confidence: int | None = None
    shared: bool = True
    channel_id: str | None = None  # only a team's channel; never a 1:1 chat
    week: str | None = None  # the prompt's week, if the form came from one
    not_people: str = ""
    repeat_key: str = ""  # the platform's id for this one submission (a modal's view id key)


async def save(
    store: Store | None,
    keys: PersonKeys,
    clock: Clock,
    catalogue: Catalogue,
    draft: Draft,
    *,
    within: float | None = None,
    context: str = "",
) -> ReflectionOutcome:
    """Check and keep a new reflection once, on a theme of `catalogue`; `within` seconds at most
    (the platform's deadline). `context` names the submission in a log line if it is not saved
    (a view id; never text)."""
    theme = catalogue.get(draft.theme_id) if draft.theme_id else None
    checked = check(draft.text, draft.not_people)
    if theme is None:
        theme_problem = THEME_GONE if draft.theme_id else reflection_form().theme_missing
        return ReflectionOutcome(INVALID, checked.text, checked.problem, theme_problem=theme_problem)
    if checked.kind != CLEAN:
        return checked
    week = _week_or_none(draft.week)
    key = draft.repeat_key or service.submission_key(
        draft.platform, draft.workspace_id, draft.user_id, theme.id, week or "", checked.text
    )
    submission = Submission(
        platform=draft.platform,
        workspace_id=draft.workspace_id,
        user_id=draft.user_id,
        theme_id=theme.id,
        text=checked.text,
        idempotency_key=key,
        source=draft.source,
        confidence=draft.confidence,
        shared=draft.shared,
        channel_id=draft.channel_id,
        week=week,
        not_people=draft.not_people,
    )
    try:
        kept = await asyncio.wait_for(service.capture(service.need_store(store), keys, clock, submission), within)
    except (StoreUnavailable, TimeoutError) as exc:
        return unavailable(draft.text, exc, context or f"{draft.platform} {draft.source}")
    if kept.problem:  # the rules checked above refused it after all
        return check(checked.text, draft.not_people)
    return ReflectionOutcome(
        SAVED,
        checked.text,
        reflection=kept.reflection,
        created=kept.created,
        theme_title=theme.title,
        shared=draft.shared,
    )


async def save_edit(
    store: Store | None,
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
) -> ReflectionOutcome:
    """Check and keep the changes to one of the person's own reflections. Store errors propagate
    (the router says the reflections can't be reached)."""
    checked = check(text, not_people)
    if checked.kind != CLEAN:
        return checked
    kept = await service.edit(
        service.need_store(store),
        keys,
        clock,
        workspace_id,
        user_id,
        reflection_id,
        text=checked.text,
        confidence=confidence,
        shared=shared,
        not_people=not_people,
    )
    if kept.problem:
        return ReflectionOutcome(INVALID, checked.text, kept.problem)
    return ReflectionOutcome(SAVED, checked.text, reflection=kept.reflection, shared=shared)


def _week_or_none(week: str | None) -> str | None:
    """The form's week if it is a well-formed ISO week ("2026-W48"); else None (this week)."""
    if not week:
        return None
    try:
        return check_week(week)
    except ValueError:
        log.info("ignored a malformed week in a reflection form")
        return None


# -- starting a reflection ------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """What a new reflection form starts with: the theme (None: the person picks one) and the
    week it counts for, in the channel's prompt time zone."""

    theme: Theme | None
    week: str


async def start(
    store: Store | None,
    clock: Clock,
    catalogue: Catalogue,
    engine: Engine,
    platform: str,
    workspace_id: str,
    channel_id: str | None,
    words: str = "",
) -> Start:
    """`reflect [theme]`: the theme the words name or, with no words in a team's channel, this
    week's prompt there. `channel_id` is None outside a team's channel (a 1:1 chat)."""
    theme = find_theme(catalogue, engine, words)
    timezone = None
    if store is not None and channel_id:
        try:
            timezone = await service.channel_timezone(store, platform, workspace_id, channel_id)
        except StoreUnavailable as exc:  # UK time will do; a save reports store trouble itself
            log.warning("could not read the subscription of %s: %s", channel_id, exc)
    week = service.current_week(clock, timezone)
    if theme is None and not words.strip() and store is not None and channel_id:
        try:
            theme_id = await service.prompt_theme(store, platform, workspace_id, channel_id, week)
        except StoreUnavailable as exc:  # nothing preselected; the person picks a theme
            log.warning("could not read this week's prompt in %s: %s", channel_id, exc)
            theme_id = None
        theme = catalogue.get(theme_id) if theme_id else None
    return Start(theme, week)


def find_theme(catalogue: Catalogue, engine: Engine, words: str) -> Theme | None:
    """The theme named by id, title or a question-like phrase (as `engine` matches questions);
    None if nothing fits."""
    words = words.strip()
    if not words:
        return None
    theme = catalogue.get(words.lower()) or catalogue.get("-".join(words.lower().split()))
    if theme is not None:
        return theme
    for candidate in catalogue:
        if candidate.title.lower() == words.lower():
            return candidate
    return engine.answer(words).theme


# -- "Replace them for me" -------------------------------------------------------------------


@dataclass(frozen=True)
class Redaction:
    """A form's texts with what the guard found replaced, and anything it still finds."""

    texts: Mapping[str, str]
    found: Findings | None
    problem: str | None

    @property
    def done(self) -> bool:
        return self.found is None


def redact(texts: Mapping[str, str]) -> Redaction:
    """Each text (by field) with the guard's neutral words in place ("[child]", "[postcode]")."""
    from bot.reflections import privacy

    redacted = {}
    for name, text in texts.items():
        cleaned = service.clean_text(text)
        review = service.privacy_review(cleaned)
        redacted[name] = privacy.redact(cleaned, (*review.refused, *review.questions))
    reviews = {name: service.privacy_review(text) for name, text in redacted.items() if text}
    leftovers = {name: review for name, review in reviews.items() if not review.ok}
    if not leftovers:
        return Redaction(redacted, None, None)
    return Redaction(redacted, findings(redacted, leftovers), CHECK_THE_REST)


# -- replies in the weekly prompt's thread ---------------------------------------------------


@dataclass(frozen=True)
class ThreadReply:
    """A person's reply in a channel thread, which may be a reflection on the weekly prompt."""

    platform: str
    workspace_id: str
    user_id: str
    channel_id: str
    thread_id: str | None  # the message the thread hangs from
    message_id: str
    text: str


@dataclass(frozen=True)
class Reopen:
    """The reply again, for the reflection form: the refused details already replaced."""

    theme_id: str
    channel_id: str
    week: str | None
    text: str


@dataclass(frozen=True)
class ThreadOutcome:
    """What became of a reply kept as a reflection: `notice` to tell the writer privately when it
    was not kept, and `reopen` when the guard was why (the form can take it from there)."""

    kind: str
    notice: str = ""
    reopen: Reopen | None = None


async def thread_reply(store: Store | None, keys: PersonKeys, clock: Clock, reply: ThreadReply) -> ThreadOutcome | None:
    """Keep a reply to this week's prompt as a reflection on the prompt's theme and week, when
    the channel asked for that; None when the reply is not a reflection (another thread, a
    channel that did not opt in, only emoji) or the prompt could not be looked up (logged)."""
    if store is None:
        return None
    try:
        prompt = await service.prompt_replied_to(
            store, reply.platform, reply.workspace_id, reply.channel_id, reply.thread_id
        )
    except StoreUnavailable as exc:
        log.error("could not check a thread reply in %s: %s", reply.channel_id, exc)
        return None
    cleaned = service.clean_text(reply.text)
    if prompt is None or not service.has_words(cleaned):
        return None
    submission = Submission(
        platform=reply.platform,
        workspace_id=reply.workspace_id,
        user_id=reply.user_id,
        theme_id=prompt.theme_id,
        text=reply.text,
        idempotency_key=service.message_key(reply.platform, reply.workspace_id, reply.channel_id, reply.message_id),
        source="thread",
        shared=True,
        channel_id=reply.channel_id,
        week=prompt.week,
    )
    try:
        kept = await service.capture(store, keys, clock, submission)
    except StoreUnavailable as exc:
        log.error("a thread reply in %s was not saved as a reflection: %s", reply.channel_id, exc)
        return ThreadOutcome(UNAVAILABLE, REPLY_UNAVAILABLE)
    if not kept.problem:
        return ThreadOutcome(SAVED)
    review = kept.privacy
    if review is None or review.ok:
        return ThreadOutcome(INVALID, REPLY_REFUSED.format(problem=kept.problem))
    from bot.reflections import privacy

    kept_text = privacy.redact(cleaned, review.refused)  # refused details go no further
    reopen = Reopen(prompt.theme_id, reply.channel_id, prompt.week, kept_text)
    return ThreadOutcome(REFUSED if review.refused else ASKED, REPLY_REFUSED.format(problem=kept.problem), reopen)
