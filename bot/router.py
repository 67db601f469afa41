"""The intent router: what scrbot says to one incoming message, button press or form, on any
platform. Adapters translate their payloads into an `Incoming` and render the `Answer`.

Everything a person can ask for lives here once: my reflections (list, edit, delete), forget me,
the team summary, the admin report with its chart, discuss with "Record our actions", meeting,
and the conversation (help, themes, ask, show, follow-ups, quiz). The wording, the admin rule and
the failure notices are decided here, not in an adapter.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from bot import meetings
from bot.conversation import ConversationState
from bot.dashboard import signin
from bot.notices import STORE_UNREACHABLE
from bot.reflections import outcome, reports, where
from bot.reflections import service as reflections
from bot.reflections.form import SHARED_BY_DEFAULT
from bot.reflections.outcome import ReflectionOutcome
from bot.reflections.service import StoreUnavailable
from bot.replies import Action, Reply, Section
from bot.schedule import commands as schedule_commands
from bot.schedule.calendar import DEFAULT_TIMEZONE
from bot.services import Services
from bot.store import Reflection

log = logging.getLogger("scrbot.router")

PERSONAL, GROUP, CHANNEL = where.PERSONAL, where.GROUP, where.CHANNEL

LIST_LIMIT = 10
DEFAULT_REPORT_WEEKS = 4
MAX_REPORT_WEEKS = 104

REPORTS_ONLY_FOR = "Sorry, reports are only for {who}. If you need the figures, please ask your safeguarding lead."
# Who may see reports, as the platform has it: its own admins too where it has a rule (Slack's
# workspace admins), else only the configured scrbot admins (Teams).
NOT_ADMIN = REPORTS_ONLY_FOR.format(who=signin.PLATFORM_AND_SCRBOT_ADMINS)
NOT_SCRBOT_ADMIN = REPORTS_ONLY_FOR.format(who=signin.SCRBOT_ADMINS)
NO_STORE = "Reflections are switched off here: scrbot was started without a database."
ONLY_IN_CHAT = "Your reflections are private: send me “{words}” in a 1:1 chat with scrbot instead."
REPORT_ONLY_IN_CHAT = "Reports are for admins only: send me “report” in a 1:1 chat with scrbot instead."
TEAM_PLACE_ONLY = "Ask for the team's reflections in the team's channel or group chat."
MEETING_PLACE_ONLY = "Ask for a meeting theme in the team's channel or group chat."
FORGET_WARNING = (
    "This deletes every reflection you have written and your quiz answers, in every channel. It cannot be undone."
)
DELETE_QUESTION, DELETE_FOR_GOOD = "Delete this reflection?", "It will be deleted for good."
DELETE_WARNING = f"{DELETE_QUESTION} {DELETE_FOR_GOOD}"
GONE = "That reflection no longer exists: it may have been deleted already."
TEAM_ACTIONS_FORM = "team_actions"
WHICH_THEME = (
    "Say which theme to discuss, for example {neglect} or {random}. {themes} lists them all, "
    "and {meeting} picks one this channel has not discussed."
)
UNKNOWN_THEME = "I couldn't tell which theme “{words}” means. {themes} lists them all, or try “random”."
QUIZ_GONE = "This quiz is no longer available. Say {quiz} for a new one."
NO_SUCH_THEME = "I couldn't find a theme called “{words}”. Say {themes} to see the list, or {reflect} to pick one."
CONSOLE = "console"  # `scrbot chat` and `scrbot ask`: nobody is signed in there
REFLECT_ELSEWHERE = (
    "Reflections are saved in Slack or Teams, where scrbot knows who is writing: say “reflect” to "
    "scrbot there. This console has no signed-in person, so it cannot save one."
)
THREAD_REPLIES_IN_SLACK = (
    "“thread replies on” and “thread replies off” are a Slack setting: they let a Slack channel save "
    "replies to its weekly prompt's thread as reflections. In Teams scrbot always answers in place: "
    "press Reflect on the weekly prompt, or say “reflect”, to write one."
)

# Buttons that show part of a theme: action id -> the part to show (Conversation.theme_button).
THEME_BUTTONS = {
    "show_theme": "answer",
    "discuss": "discuss",
    "questions": "questions",
    "practice": "practice",
    "sources": "sources",
    "related": "related",
    "more": "more",
    "prompt": "prompt",
}

REFLECT = "reflect"  # opens a new reflection form (value "theme|channel|week", each part optional)
# Buttons on the reflection list, the confirmations and the team actions form.
EDIT = "reflection_edit"
EDIT_SAVE = "reflection_edit_save"
DELETE = "reflection_delete"
DELETE_CONFIRMED = "reflection_delete_confirmed"
KEEP = "reflection_keep"
FORGET = "reflection_forget_me"
RECORD_ACTIONS = "record_actions"
SHARE = "discuss_share"  # "Post in this channel" under a discussion starter shown privately
QUIZ_ANSWER = "quiz_answer"
SAVE_ACTIONS = "team_actions_save"
REDACT_ACTIONS = "team_actions_redact"  # "Replace them for me" on a team actions form the guard stopped
NOT_PEOPLE = "_not_people"  # a form input's suffix: the guard's "none of these is a person" answer

# Text commands (first words, lower case) -> intent.
COMMANDS = {
    ("my", "reflections"): "my_reflections",
    ("forget", "me"): "forget_me",
    ("reflections",): "team_summary",
    ("team", "summary"): "team_summary",
    ("team", "reflections"): "team_summary",
    ("report",): "report",
    ("meeting",): "meeting",
    ("discuss",): "discuss",
    ("discussion",): "discuss",
    ("quiz",): "quiz",
    ("schedule",): "schedule",
    ("thread", "replies"): "thread_replies",
    ("dashboard",): "dashboard",
    ("reflect",): "reflect",
    ("write", "a", "reflection"): "reflect",
    ("i", "want", "to", "reflect"): "reflect",
    ("i'd", "like", "to", "reflect"): "reflect",
}


@dataclass(frozen=True)
class Incoming:
    """One message, button press or form from a person, in platform-neutral words."""

    platform: str
    workspace_id: str
    user_id: str
    conversation_id: str  # the channel or chat, without any thread
    place: str = PERSONAL  # PERSONAL (1:1), GROUP (group chat) or CHANNEL
    text: str = ""
    action: str | None = None  # the id of a pressed button
    value: str = ""  # what the button acts on
    inputs: Mapping[str, Any] = field(default_factory=dict)  # a form's values
    is_admin: bool = False  # the platform's own admin rule (configured admins are added here)
    memory_key: str = ""
    private_reply: bool = False  # the answer is shown to this person only, even in a channel
    command: str = ""  # what starts a command here, for examples in messages ("/learn " in Slack)
    members: reports.Members | None = None  # the platform's channel membership, for the report
    with_files: bool = False  # the message came with files or screenshots (which are not opened)
    # What only the platform knows, asked only by the commands that need it: the channel, for
    # schedule commands; its own admin rule (Slack's workspace admins), for the dashboard.
    channel: schedule_commands.Channel | None = None
    platform_admin: Callable[[], Awaitable[bool]] | None = None

    @property
    def in_team_place(self) -> bool:
        return self.place != PERSONAL

    @property
    def answered_privately(self) -> bool:
        """Only this person sees the answer: a 1:1 chat, or a private reply (Slack's ephemeral)."""
        return self.place == PERSONAL or self.private_reply

    @property
    def seen_by_the_team(self) -> bool:
        return self.in_team_place and not self.private_reply


@dataclass(frozen=True)
class ReflectionForm:
    """The reflection form: a new reflection (no `reflection_id`; with no theme it carries the
    theme picker's `themes`), or an edit filled in; `problem` when the last save was refused."""

    reflection_id: int | None
    theme_id: str
    text: str
    confidence: int | None
    shared: bool
    outcome: ReflectionOutcome | None = None  # why the last save was not kept, if it was not
    theme_title: str = ""
    themes: tuple[tuple[str, str], ...] = ()  # (id, title) to pick from, for a new form without a theme
    channel_id: str | None = None  # the channel a new reflection counts for, if any
    week: str | None = None  # the week it counts for, in that channel's prompt time zone

    @property
    def problem(self) -> str | None:
        return self.outcome.problem if self.outcome is not None else None

    @property
    def editing(self) -> bool:
        return self.reflection_id is not None

    @property
    def value(self) -> str:
        """What a Reflect button or a form's Save carries: "theme|channel|week" (parts may be empty)."""
        return f"{self.theme_id}|{self.channel_id or ''}|{self.week or ''}"


@dataclass(frozen=True)
class Toggle:
    """A tick box on a form: sends `value` under `id` when ticked, and "" when not."""

    id: str
    label: str
    value: str


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    hint: str = ""
    value: str = ""
    required: bool = False
    max_chars: int = 0
    problem: str | None = None
    found: tuple[outcome.Detail, ...] = ()  # what the privacy guard found in this text
    not_people: Toggle | None = None  # "none of these is a person", when the guard only asked


@dataclass(frozen=True)
class Form:
    """A platform-neutral form: a title, a note, text fields and a submit button; `notice` above
    the fields says why it was not saved, and `more` holds further buttons ("Replace them for me")."""

    id: str
    title: str
    intro: str
    fields: tuple[FormField, ...]
    submit: Action
    notice: str | None = None
    more: tuple[Action, ...] = ()
    problem: str = ""  # what `notice` says after "Not saved yet.", for a platform that shows it on its own


@dataclass(frozen=True)
class Chart:
    png: bytes
    filename: str
    title: str
    alt_text: str
    caption: str = ""  # a line beside the chart, where the platform sends it as a file


@dataclass(frozen=True)
class Answer:
    """What to send back: replies, a plain line, a form, a chart. `in_place` asks the adapter to
    replace the card or message the button was on, where the platform can; `for_everyone` says
    the replies are for everyone in the place, where a platform could show them privately."""

    replies: tuple[Reply, ...] = ()
    text: str | None = None
    form: Form | None = None
    reflection_form: ReflectionForm | None = None
    chart: Chart | None = None
    in_place: bool = False
    for_everyone: bool = False
    redraw: Reply | None = None  # the pressed message as everyone should now see it (a quiz's tally)


@dataclass(frozen=True)
class Confirm:
    """The question a platform with confirmation dialogs asks before a button acts (Slack)."""

    title: str
    text: str
    yes: str
    no: str


# Buttons that delete for good. A platform that asks in a dialog first (Slack's confirm) sends
# the press on as CONFIRMED says; elsewhere the router asks in a message of its own.
CONFIRMS = {
    DELETE: Confirm(DELETE_QUESTION, DELETE_FOR_GOOD, "Delete", "Keep it"),
    FORGET: Confirm(
        "Delete everything?", "All your reflections and quiz answers will be deleted for good.", "Delete all", "Cancel"
    ),
}
CONFIRMED = {DELETE: DELETE_CONFIRMED}


def say(text: str, *, in_place: bool = False) -> Answer:
    return Answer(text=text, in_place=in_place)


_REPORT_PERIOD = re.compile(r"(\d+( weeks?)?)?")


def parse_weeks(args: str) -> int | None:
    """The number of weeks in `report [weeks]` (default 4), or None if it is not 1-104."""
    words = args.lower().replace("weeks", "").replace("week", "").split()
    if not words:
        return DEFAULT_REPORT_WEEKS
    if len(words) == 1 and words[0].isdigit() and 1 <= int(words[0]) <= MAX_REPORT_WEEKS:
        return int(words[0])
    return None


def examples(incoming: Incoming, words: str) -> str:
    """How to type `words` as a command where the person is: “/learn report 12” or “report 12”."""
    return f"“{incoming.command}{words}”"


def may_see_reports(services: Services, incoming: Incoming) -> bool:
    """Configured scrbot admins, and whoever the platform itself says is an admin (`is_admin`,
    which the adapter sets for a report where the platform has a rule, see `platform_admin`)."""
    return incoming.is_admin or services.is_admin(incoming.user_id)


def command_of(text: str) -> tuple[str, str] | None:
    """(intent, the rest of the text) when `text` starts with one of the COMMANDS."""
    words = text.strip().strip("?!.").split()
    lowered = tuple(w.lower() for w in words)
    for key in sorted(COMMANDS, key=len, reverse=True):
        if lowered[: len(key)] == key:
            return COMMANDS[key], " ".join(words[len(key) :])
    return None


async def route(services: Services, incoming: Incoming, state: ConversationState) -> Answer:
    """The answer to one incoming message, button or form; `state` is the person's conversation
    memory, looked up once by bot.inbound."""
    if incoming.action:
        return await _button(services, incoming, state)
    found = command_of(incoming.text)
    if found is not None:
        intent, rest = found
        if intent != "report" or _is_report(services, rest):
            return await INTENTS[intent](services, incoming, state, rest)
    reply = services.conversation.reply(incoming.text, state, with_files=incoming.with_files)
    if incoming.seen_by_the_team and reply.kind == "meeting-pack":
        reply = _pack_for_team(services, reply)
    return Answer(replies=(reply,))


def _is_report(services: Services, rest: str) -> bool:
    """ "report", "report 12 [weeks]" or a mistyped period ("report lots") asks for the admin
    report; "report abuse" or "report a concern about a child" is a question for the
    conversation (and its urgent signposting)."""
    if _REPORT_PERIOD.fullmatch(rest.lower()):
        return True
    if len(rest.split()) != 1:
        return False
    match = services.conversation.engine.answer(f"report {rest}")
    return match.theme is None and not match.urgent


def _pack_for_team(services: Services, reply: Reply) -> Reply:
    """In a channel or group chat everyone sees the pack, so it carries "Record our actions"."""
    theme = services.catalogue.get(reply.theme_id or "")
    if theme is None:
        return reply
    return services.conversation.with_footer(meetings.meeting_pack(theme, for_channel=True))


def welcome(services: Services) -> Reply:
    """The first message in a 1:1 chat: what scrbot is, and a theme picker to start with."""
    hello = services.conversation.help(
        intro="Hello, I'm scrbot. I share the learning from child Serious Case Reviews: ask me a "
        "question, or pick a theme to start. I am a learning tool, not a referral route."
    )
    return replace(hello, choices=tuple((t.id, t.title) for t in services.catalogue))


def home(services: Services, command: str) -> Reply:
    """The top of scrbot's home page where a platform has one (Slack's Home tab): what scrbot is,
    how to ask (`command` starts a command there), and the safety line every answer ends with."""
    return Reply(
        kind="home",
        title="scrbot: learning from Serious Case Reviews",
        intro="Keeps the learning from child Serious Case Reviews in everyday practice.\n"
        f"Ask me in a direct message, mention me in a channel, or type `{command} <question>`. "
        "I am a learning tool, not a referral route.",
        footer=services.conversation.safety_footer,
    )


# -- text intents -------------------------------------------------------------------------------


async def my_reflections(
    services: Services,
    incoming: Incoming,
    _state: ConversationState | None = None,
    _rest: str = "",
    *,
    note: str | None = None,
) -> Answer:
    """The person's latest reflections with Edit and Delete (only in a 1:1 chat)."""
    if not incoming.answered_privately:
        return say(ONLY_IN_CHAT.format(words="my reflections"))
    if services.store is None:
        return say(NO_STORE)
    try:
        found = await reflections.mine(
            services.store, await services.person_keys(), incoming.workspace_id, incoming.user_id, limit=LIST_LIMIT + 1
        )
    except StoreUnavailable:
        return say(STORE_UNREACHABLE)
    if not found:
        intro = (
            "You have no saved reflections. Press Reflect on an answer or a weekly prompt, "
            f"or say {examples(incoming, 'reflect')}, to write one."
        )
        return Answer(replies=(Reply(kind="my-reflections", intro=f"{note} {intro}" if note else intro),))
    shown = found[:LIST_LIMIT]
    more = " (your 10 most recent)" if len(found) > LIST_LIMIT else ""
    intro = f"Only you can see this list{more}. Say {examples(incoming, 'forget me')} to delete all of them."
    return Answer(
        replies=(
            Reply(
                kind="my-reflections",
                title="Your reflections",
                intro=f"{note}\n\n{intro}" if note else intro,
                sections=tuple(_reflection_section(services, r) for r in shown),
            ),
        )
    )


def _reflection_section(services: Services, reflection: Any) -> Section:
    theme = services.catalogue.get(reflection.theme_id)
    details = [theme.title if theme else reflection.theme_id, reflection.created_at.strftime("%d %b %Y")]
    if reflection.confidence:
        details.append(f"confidence {reflection.confidence}/5")
    details.append("shared with your team without your name" if reflection.shared else "private to you")
    return Section(
        " · ".join(details),
        text=reflection.text,
        actions=(Action(EDIT, "Edit", str(reflection.id)), Action(DELETE, "Delete", str(reflection.id))),
    )


async def forget_me(services: Services, incoming: Incoming, _state: ConversationState, _rest: str = "") -> Answer:
    """Ask before deleting everything of this person (the button acts on whoever presses it)."""
    return Answer(
        replies=(
            Reply(
                kind="forget-me",
                intro=FORGET_WARNING,
                actions=(Action(FORGET, "Delete all my reflections", "all"),),
            ),
        )
    )


async def team_summary(services: Services, incoming: Incoming, _state: ConversationState, _rest: str = "") -> Answer:
    """This week's reflections shared with the team here, without names."""
    if services.store is None:
        return say(NO_STORE)
    if not incoming.in_team_place:
        return say(TEAM_PLACE_ONLY)
    try:
        week = await channel_week(services, incoming)
        shared = await reports.shared_this_week(
            services.store, services.clock, incoming.workspace_id, incoming.conversation_id, week
        )
    except StoreUnavailable:
        return say(STORE_UNREACHABLE)
    # Shown to everyone when there is something to show; an empty week is the asker's to see.
    summary = services.conversation.with_footer(reports.team_summary(shared, services.catalogue, week))
    return Answer(replies=(summary,), for_everyone=bool(shared))


async def channel_week(services: Services, incoming: Incoming) -> str:
    """This week in the channel's prompt time zone (UK time when it has none)."""
    timezone = None
    if services.store is not None and incoming.in_team_place:
        timezone = await reflections.channel_timezone(
            services.store, incoming.platform, incoming.workspace_id, incoming.conversation_id
        )
    return reflections.current_week(services.clock, timezone)


async def report(services: Services, incoming: Incoming, _state: ConversationState, rest: str = "") -> Answer:
    """The reflections report for admins, and its chart."""
    if not incoming.answered_privately:
        return say(REPORT_ONLY_IN_CHAT)
    if not may_see_reports(services, incoming):
        return say(NOT_ADMIN if incoming.platform_admin is not None else NOT_SCRBOT_ADMIN)
    if services.store is None:
        return say(NO_STORE)
    weeks = parse_weeks(rest)
    if weeks is None:
        return say(
            f"Say how many weeks to cover, from 1 to {MAX_REPORT_WEEKS}: for example {examples(incoming, 'report 12')}."
        )
    end = services.clock.now() + reports.INCLUDE_NOW
    start = end - timedelta(weeks=weeks)
    try:
        figures = await reports.gather_report(
            services.store,
            services.catalogue,
            start,
            end,
            workspace_id=incoming.workspace_id,
            members=incoming.members,
            keys=await services.person_keys() if incoming.members is not None else None,
        )
    except StoreUnavailable:
        return say(STORE_UNREACHABLE)
    png = await asyncio.to_thread(reports.as_png, figures)
    chart = Chart(
        png=png,
        filename=f"reflections-{figures.start.date().isoformat()}-{figures.end.date().isoformat()}.png",
        title="Reflections per week",
        alt_text="Bar chart of reflections per week, with a line for how many people reflected",
        caption="The reflections chart you asked for.",
    )
    return Answer(replies=(reports.report_reply(figures),), chart=chart)


async def meeting(services: Services, incoming: Incoming, _state: ConversationState, _rest: str = "") -> Answer:
    """A theme this channel has not discussed recently, and why."""
    if not incoming.in_team_place:
        return say(MEETING_PLACE_ONLY)
    now = services.clock.now()
    key = (incoming.platform, incoming.workspace_id, incoming.conversation_id)
    history: list[meetings.PastDiscussion] = []
    excluded: tuple[str, ...] = ()
    if services.store is not None:
        history = await meetings.channel_history(services.store, *key, now)
        excluded = await meetings.excluded_themes(services.store, *key)
    seed = f"{incoming.workspace_id}:{incoming.conversation_id}:{now.date().isoformat()}"
    choice = meetings.choose_meeting_theme(services.catalogue, history, seed, excluded)
    return Answer(replies=(services.conversation.with_footer(meetings.meeting_reply(choice)),), for_everyone=True)


async def discuss(services: Services, incoming: Incoming, state: ConversationState, rest: str = "") -> Answer:
    """ "discuss <theme|random>": the discussion starter, for the whole team in a team place."""
    return _meeting_text(services, incoming, state, "discuss", rest)


async def quiz(services: Services, incoming: Incoming, state: ConversationState, rest: str = "") -> Answer:
    """ "quiz [theme]": a scenario with three answers, for the whole team in a team place."""
    return _meeting_text(services, incoming, state, "quiz", rest)


def _meeting_text(services: Services, incoming: Incoming, state: ConversationState, verb: str, rest: str) -> Answer:
    state.quiz = None  # a waiting quiz is answered by a letter, not by a new command
    catalogue = services.catalogue
    words = rest.strip()
    if words and words.lower() != "me":
        found = meetings.find_theme(services.conversation.engine, words, state.rng)
        if found.urgent:  # someone describing a child at risk: urgent help, to them only, first
            return Answer(replies=(services.conversation.reply(incoming.text, state),))
        if found.theme is None:
            return say(UNKNOWN_THEME.format(words=words[:100], themes=examples(incoming, "themes")))
        theme = found.theme
    elif verb == "quiz":
        theme = state.rng.choice(list(catalogue))
    elif state.last_theme in catalogue.themes:
        theme = catalogue.themes[state.last_theme]
    else:
        return say(
            WHICH_THEME.format(
                neglect=examples(incoming, "discuss neglect"),
                random=examples(incoming, "discuss random"),
                themes=examples(incoming, "themes"),
                meeting=examples(incoming, "meeting"),
            )
        )
    state.last_theme = theme.id
    if verb == "quiz":
        state.quiz = meetings.build_quiz(theme, catalogue, meetings.new_nonce(state.rng))
        reply = meetings.quiz_reply(state.quiz)
    else:
        reply = meetings.meeting_pack(theme, for_channel=incoming.in_team_place)
    return Answer(replies=(services.conversation.with_footer(reply),), for_everyone=incoming.in_team_place)


async def reflect(services: Services, incoming: Incoming, state: ConversationState, rest: str = "") -> Answer:
    """ "reflect [theme]", "I want to reflect on <theme>", "write a reflection": a new reflection
    form on that theme or, with none named, this week's prompt here or a theme picker."""
    if incoming.platform == CONSOLE:
        return say(REFLECT_ELSEWHERE)
    if services.store is None:
        return say(NO_STORE)
    words = _theme_words(rest)
    if words and services.conversation.engine.answer(words).urgent:
        # Someone describing a child at risk: urgent help, to them, before any form.
        return Answer(replies=(services.conversation.reply(incoming.text, state),))
    channel = where.counted_channel(incoming.place, incoming.conversation_id)
    begun = await outcome.start(
        services.store,
        services.clock,
        services.catalogue,
        services.conversation.engine,
        incoming.platform,
        incoming.workspace_id,
        channel,
        words,
    )
    theme = begun.theme
    if words and theme is None:
        return say(
            NO_SUCH_THEME.format(
                words=words[:100], themes=examples(incoming, "themes"), reflect=examples(incoming, "reflect")
            )
        )
    form = ReflectionForm(
        None,
        theme.id if theme is not None else "",
        "",
        None,
        SHARED_BY_DEFAULT,
        theme_title=theme.title if theme is not None else "",
        themes=() if theme is not None else tuple((t.id, t.title) for t in services.catalogue),
        channel_id=channel,
        week=begun.week,
    )
    return Answer(reflection_form=form)


def _theme_words(rest: str) -> str:
    """The theme in "reflect on neglect", "write a reflection about drift": the words after."""
    words = rest.strip().strip("?!.").split()
    if words and words[0].lower() in ("on", "about"):
        words = words[1:]
    return " ".join(words)


async def thread_replies(services: Services, incoming: Incoming, state: ConversationState, rest: str = "") -> Answer:
    """ "thread replies on|off": whether replies to a channel's weekly prompt thread are saved as
    reflections, where the platform has threads under the prompt (Slack); elsewhere, say so."""
    if incoming.channel is None or not incoming.channel.thread_replies:
        return say(THREAD_REPLIES_IN_SLACK)
    return await schedule(services, incoming, state, f"thread replies {rest}".strip())


def console_notice(text: str) -> str | None:
    """What the console (`scrbot chat`, `scrbot ask`) says to an intent that needs a signed-in
    person or a Slack channel; None for everything the conversation answers there."""
    found = command_of(text)
    if found is None:
        return None
    return {"reflect": REFLECT_ELSEWHERE, "thread_replies": THREAD_REPLIES_IN_SLACK}.get(found[0])


async def schedule(services: Services, incoming: Incoming, _state: ConversationState, rest: str = "") -> Answer:
    """ "schedule <weekly …|show|pause …|off|…>": a channel's weekly prompts, on every platform."""
    channel = incoming.channel or schedule_commands.Channel(
        who="Someone", command=f"{incoming.command}schedule", default_zone=_default_zone
    )
    result = await schedule_commands.answer(
        services.schedules() if services.store is not None else None,
        services.settings.admins,
        (incoming.platform, incoming.workspace_id, incoming.conversation_id),
        incoming.user_id,
        channel,
        rest,
        in_a_team_place=incoming.in_team_place,
    )
    return Answer(replies=(result.reply,), for_everyone=result.public)


async def _default_zone() -> str:
    return DEFAULT_TIMEZONE


DASHBOARD_ONLY_IN_CHAT = "Dashboard links are private: send me “dashboard” in a 1:1 chat with scrbot instead."


async def dashboard(services: Services, incoming: Incoming, _state: ConversationState, _rest: str = "") -> Answer:
    """ "dashboard": a one-time sign-in link for an admin, shown to them only."""
    if not incoming.answered_privately:
        return say(DASHBOARD_ONLY_IN_CHAT)
    said = await signin.answer(
        services.store,
        services.clock,
        incoming.platform,
        incoming.workspace_id,
        incoming.user_id,
        public_url=services.settings.public_url,
        admins=services.settings.admins,
        platform_admin=incoming.platform_admin,
    )
    return say(said)


Intent = Callable[[Services, Incoming, ConversationState, str], Awaitable[Answer]]

INTENTS: dict[str, Intent] = {
    "my_reflections": my_reflections,
    "forget_me": forget_me,
    "team_summary": team_summary,
    "report": report,
    "meeting": meeting,
    "discuss": discuss,
    "quiz": quiz,
    "schedule": schedule,
    "thread_replies": thread_replies,
    "dashboard": dashboard,
    "reflect": reflect,
}


# -- buttons and forms ----------------------------------------------------------------------------


async def _button(services: Services, incoming: Incoming, state: ConversationState) -> Answer:
    action = incoming.action or ""
    handler = BUTTONS.get(action)
    if handler is not None:
        if services.store is None and action != RECORD_ACTIONS:
            return say(NO_STORE)
        try:
            return await handler(services, incoming)
        except StoreUnavailable:
            return say(STORE_UNREACHABLE)
    if action == QUIZ_ANSWER:
        return await _quiz_answer(services, incoming)
    if action == SHARE:
        return _share(services, incoming)
    part = THEME_BUTTONS.get(action)
    if part is None:
        log.info("ignored an unknown button %r", action[:40])
        return Answer()
    reply = services.conversation.theme_button(incoming.value, part, state)
    if reply.kind == "meeting-pack" and incoming.in_team_place:
        if incoming.private_reply:  # shown to the presser only: they may post it for the team
            theme = services.catalogue.themes[reply.theme_id or ""]
            reply = services.conversation.with_footer(meetings.meeting_pack(theme, for_channel=False, can_share=True))
        else:
            reply = _pack_for_team(services, reply)
    return Answer(replies=(reply,))


def _share(services: Services, incoming: Incoming) -> Answer:
    """ "Post in this channel": the discussion starter for the team, with "Record our actions"."""
    theme = services.catalogue.get(incoming.value)
    if theme is None or not incoming.in_team_place:
        return say(f"Say {examples(incoming, 'discuss <theme>')} in a team channel.")
    pack = services.conversation.with_footer(meetings.meeting_pack(theme, for_channel=True))
    return Answer(replies=(pack,), for_everyone=True)


def quiz_key(incoming: Incoming, quiz_id: str) -> str:
    """Where a quiz's answers are counted: one quiz, posted in one conversation."""
    return f"{incoming.platform}:{incoming.workspace_id}:{incoming.conversation_id or '-'}:{quiz_id}"


async def _quiz_answer(services: Services, incoming: Incoming) -> Answer:
    """A quiz answer button: feedback on that answer, rebuilt from the quiz id on any replica;
    each person's first answer counts, and the quiz is redrawn with the tally (counts only)."""
    quiz_id, _, choice = str(incoming.value or "").partition("|")
    card = meetings.quiz_from_id(services.catalogue, quiz_id)
    option = card.option(choice) if card is not None else None
    if card is None or option is None:
        return say(QUIZ_GONE.format(quiz=examples(incoming, "quiz")))
    first, redraw = True, None
    store = services.store
    if store is not None:
        try:
            with reflections.store_errors():
                key = (await services.person_keys())(incoming.workspace_id, incoming.user_id)
                counted = quiz_key(incoming, card.quiz_id)
                first = await store.record_quiz_answer(counted, key, choice, option.correct, services.clock.now())
                if first:
                    redraw = meetings.quiz_reply(card, await store.quiz_tally(counted))
        except StoreUnavailable:
            log.warning("a quiz answer was not counted: the store is unavailable")
    feedback = meetings.quiz_feedback(card, choice, already_answered=not first)
    assert feedback is not None  # the option was found above
    return Answer(replies=(services.conversation.with_footer(feedback),), redraw=redraw)


async def quiz_redraw(services: Services, incoming: Incoming) -> Reply | None:
    """The quiz named by a quiz answer button, with its tally as it stands now (None without one)."""
    card = meetings.quiz_from_id(services.catalogue, str(incoming.value or "").partition("|")[0])
    if card is None or services.store is None:
        return None
    with reflections.store_errors():
        tally = await services.store.quiz_tally(quiz_key(incoming, card.quiz_id))
    return meetings.quiz_reply(card, tally)


def _reflection_id(incoming: Incoming) -> int | None:
    value = str(incoming.value or "")
    return int(value) if value.isdigit() and len(value) < 19 else None


async def _own_reflection(services: Services, incoming: Incoming) -> Reflection | None:
    """The presser's own reflection named by the button's value, or None if it is not theirs or gone."""
    reflection_id = _reflection_id(incoming)
    if reflection_id is None:
        return None
    return await reflections.own_reflection(
        reflections.need_store(services.store),
        await services.person_keys(),
        incoming.workspace_id,
        incoming.user_id,
        reflection_id,
    )


async def _edit(services: Services, incoming: Incoming) -> Answer:
    found = await _own_reflection(services, incoming)
    if found is None:
        return say(GONE)
    return Answer(
        reflection_form=ReflectionForm(found.id, found.theme_id, found.text, found.confidence, found.shared),
        in_place=True,
    )


async def _edit_save(services: Services, incoming: Incoming) -> Answer:
    found = await _own_reflection(services, incoming)
    if found is None:
        return say(GONE)
    inputs = incoming.inputs
    confidence = reflections.confidence_from(inputs.get("confidence"))
    shared = str(inputs.get("shared")).lower() == "true"
    result = await outcome.save_edit(
        services.store,
        await services.person_keys(),
        services.clock,
        incoming.workspace_id,
        incoming.user_id,
        found.id,
        text=str(inputs.get("text") or ""),
        confidence=confidence,
        shared=shared,
        not_people=str(inputs.get("not_people") or ""),
    )
    if not result.saved:
        form = ReflectionForm(found.id, found.theme_id, result.text, confidence, shared, result)
        return Answer(text=f"Your changes were not saved: {result.problem}", reflection_form=form, in_place=True)
    return replace(await my_reflections(services, incoming, note="Your reflection is updated."), in_place=True)


async def _delete(services: Services, incoming: Incoming) -> Answer:
    reflection_id = _reflection_id(incoming)
    if reflection_id is None:
        return say(GONE)
    confirm = Reply(
        kind="delete-reflection",
        intro=DELETE_WARNING,
        actions=(Action(DELETE_CONFIRMED, "Delete", str(reflection_id)), Action(KEEP, "Keep it", "")),
    )
    return Answer(replies=(confirm,), in_place=True)


async def _delete_confirmed(services: Services, incoming: Incoming) -> Answer:
    reflection_id = _reflection_id(incoming)
    deleted = reflection_id is not None and await reflections.delete(
        reflections.need_store(services.store),
        await services.person_keys(),
        incoming.workspace_id,
        incoming.user_id,
        reflection_id,
    )
    note = "Deleted." if deleted else GONE
    return replace(await my_reflections(services, incoming, note=note), in_place=True)


async def _keep(services: Services, incoming: Incoming) -> Answer:
    return replace(await my_reflections(services, incoming, note="Nothing was deleted."), in_place=True)


async def _forget(services: Services, incoming: Incoming) -> Answer:
    store, keys = reflections.need_store(services.store), await services.person_keys()
    count = await reflections.forget(store, keys, incoming.workspace_id, incoming.user_id)
    return say(
        f"Done: I deleted all your reflections ({count}) and your quiz answers. scrbot keeps nothing else about you.",
        in_place=True,
    )


def team_actions_form(
    theme_id: str,
    title: str,
    texts: Mapping[str, str] | None = None,
    problems: Mapping[str, str] | None = None,
    *,
    review: tuple[outcome.Findings, str] | None = None,
    intro: str | None = None,
) -> Form:
    """The "Record our actions" form: one box per column of the frame, the last required. Given a
    `review` (the guard's findings and the line above them, see meetings.guard_findings), each
    box shows what was found in it, with "Replace them for me" and, when the guard only asked, a
    "not a person" tick box per column carrying the digest of its questioned words."""
    texts, problems = texts or {}, problems or {}
    found, problem = review if review is not None else (None, "")
    keys = found.not_people_keys if found is not None and found.asking else {}
    fields = tuple(
        FormField(
            id=name,
            label=heading,
            hint=hint[0].upper() + hint[1:],
            value=texts.get(name, ""),
            required=name == "next_steps",
            max_chars=meetings.MAX_ACTIONS_CHARS,
            problem=problems.get(name),
            found=tuple(d for d in found.details if d.field == name) if found is not None else (),
            not_people=(
                Toggle(f"{name}{NOT_PEOPLE}", f"{outcome.NOT_PEOPLE_LABEL}: save as written", keys[name])
                if name in keys
                else None
            ),
        )
        for name, (heading, hint) in zip(meetings.COLUMNS, meetings.THREE_COLUMNS, strict=True)
    )
    return Form(
        id=TEAM_ACTIONS_FORM,
        title=f"Record our actions: {title}",
        intro=intro or meetings.RECORD_ACTIONS_NOTE,
        fields=fields,
        submit=Action(SAVE_ACTIONS, "Save and post", theme_id),
        notice=f"{outcome.NOT_SAVED_YET} {problem}" if found is not None else None,
        more=(Action(REDACT_ACTIONS, outcome.REPLACE, theme_id),) if found is not None else (),
        problem=problem if found is not None else "",
    )


async def _record_actions(services: Services, incoming: Incoming) -> Answer:
    theme = services.catalogue.get(incoming.value)
    if theme is None:
        return say("That theme is no longer in the catalogue. Ask for “themes” to see what there is.")
    if services.store is None:
        return say(NO_STORE)
    return Answer(form=team_actions_form(theme.id, theme.title))


async def _save_actions(services: Services, incoming: Incoming) -> Answer:
    theme = services.catalogue.get(incoming.value)
    if theme is None:
        return say("That theme is no longer in the catalogue, so the actions were not saved.")
    texts = {name: str(incoming.inputs.get(name) or "") for name in meetings.COLUMNS}
    # The team's "none of these is a person" answer, by column, where the guard asked.
    not_people = {name: str(incoming.inputs.get(f"{name}{NOT_PEOPLE}") or "") for name in meetings.COLUMNS}
    actions = meetings.team_actions(*(texts[name] for name in meetings.COLUMNS))
    problems = meetings.check_team_actions(actions, not_people)
    if problems:
        # The guard behind every problem: what it found, by column; else the plain problems.
        review = meetings.guard_findings(actions, not_people, problems)
        form = (
            team_actions_form(theme.id, theme.title, texts, review=review)
            if review is not None
            else team_actions_form(theme.id, theme.title, texts, problems)
        )
        return Answer(text="Not saved yet: please check what is marked on the form.", form=form, in_place=True)
    text = actions.as_text()
    submission = reflections.Submission(
        platform=incoming.platform,
        workspace_id=incoming.workspace_id,
        user_id=incoming.user_id,
        theme_id=theme.id,
        text=text,
        idempotency_key=reflections.submission_key(
            incoming.platform, incoming.workspace_id, incoming.user_id, theme.id, meetings.TEAM_ACTIONS_SOURCE, text
        ),
        source=meetings.TEAM_ACTIONS_SOURCE,
        shared=True,
        channel_id=where.counted_channel(incoming.place, incoming.conversation_id),
        not_people=meetings.stored_answer(actions) if any(not_people.values()) else "",
    )
    try:
        kept = await reflections.capture(
            reflections.need_store(services.store), await services.person_keys(), services.clock, submission
        )
    except StoreUnavailable:
        # Hand the team's words back to the presser rather than lose them.
        unsaved = meetings.team_actions_reply(theme, actions, saved=False)
        return Answer(replies=(services.conversation.with_footer(unsaved),))
    if kept.problem:
        form = team_actions_form(theme.id, theme.title, texts, {"next_steps": kept.problem})
        return Answer(text=f"Not saved yet: {kept.problem}", form=form, in_place=True)
    if not kept.created:
        return say("These actions are already saved.")
    saved = meetings.team_actions_reply(theme, actions)
    return Answer(replies=(services.conversation.with_footer(saved),), in_place=True, for_everyone=True)


async def _redact_actions(services: Services, incoming: Incoming) -> Answer:
    """ "Replace them for me": the form again with the guard's neutral words in every column
    ("[child]", "[address]"), and anything it still finds; nothing is saved until Save and post."""
    theme = services.catalogue.get(incoming.value)
    if theme is None:
        return say("That theme is no longer in the catalogue, so the actions were not saved.")
    redaction = outcome.redact({name: str(incoming.inputs.get(name) or "") for name in meetings.COLUMNS})
    texts = dict(redaction.texts)
    if redaction.found is not None:
        review = (redaction.found, redaction.problem or outcome.CHECK_THE_REST)
        return Answer(form=team_actions_form(theme.id, theme.title, texts, review=review), in_place=True)
    form = team_actions_form(theme.id, theme.title, texts, intro=meetings.ACTIONS_REPLACED)
    return Answer(form=form, in_place=True)


BUTTONS = {
    EDIT: _edit,
    EDIT_SAVE: _edit_save,
    DELETE: _delete,
    DELETE_CONFIRMED: _delete_confirmed,
    KEEP: _keep,
    FORGET: _forget,
    RECORD_ACTIONS: _record_actions,
    SAVE_ACTIONS: _save_actions,
    REDACT_ACTIONS: _redact_actions,
}


# -- finding a theme from a compose box (Teams message extension, and any other search) -------

MAX_FOUND = 10


@dataclass(frozen=True)
class Found:
    """What a search box found: themes, and whether the words describe a child at risk now."""

    themes: tuple[Any, ...]
    urgent: bool = False


def find_themes(services: Services, query: str, limit: int = MAX_FOUND) -> Found:
    """Themes for a search box: all of them for an empty query, else titles that contain the
    words first, then what the engine matches for a question."""
    words = " ".join(str(query or "").lower().split())[:200]
    themes = list(services.catalogue)
    if not words:
        return Found(tuple(themes[:limit]))
    found = [t for t in themes if words in t.title.lower() or words in t.id]
    match = services.conversation.engine.answer(words)
    for theme in ((match.theme,) if match.theme else ()) + tuple(match.suggestions):
        if theme not in found:
            found.append(theme)
    return Found(tuple(found[:limit]), urgent=match.urgent)


def theme_card_reply(services: Services, theme: Any, urgent: bool = False, *, buttons: bool = False) -> Reply:
    """A theme's answer to drop into a chat or meeting, with the safety footer, and the urgent
    signposting first when the words searched for describe a child at risk. No buttons unless
    the platform answers a press from whoever makes it, without scrbot in the chat (`buttons`);
    even then no Reflect: a reflection is written in a 1:1 chat or from a weekly prompt."""
    answer = services.conversation.answer(theme, urgent=urgent)
    kept = tuple(a for a in answer.actions if a.id != "reflect") if buttons else ()
    return replace(answer, actions=kept)
