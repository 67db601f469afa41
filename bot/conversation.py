"""What the bot says: turns a person's message (and what they asked last) into a Reply.

Every platform uses this; none decides what to say on its own.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot import meetings
from bot.content import Theme
from bot.engine import Engine, Match
from bot.replies import Action, Reply, Section, UrgentNotice

MAX_MESSAGE_CHARS = 4000
FILES_NOTE = "I read text only, so I haven't opened the file you sent: this answer is to your words."
BOT_CAN = (
    "explain a learning theme from Serious Case Reviews (try “what is disguised compliance?”)",
    "help you think through a situation (“the family say all the right things but nothing changes”)",
    "list every theme I know (say “themes”)",
    "give reflective questions for your team (say “questions” after an answer)",
    "start a team discussion (say “discuss neglect” or “discuss random”)",
    "quiz you on a practice scenario (say “quiz”, then answer A, B or C)",
)
FOLLOW_UPS = {
    "more": "more",
    "tell me more": "more",
    "go on": "more",
    "questions": "questions",
    "reflective questions": "questions",
    "what to do": "practice",
    "what should i do": "practice",
    "practice": "practice",
    "sources": "sources",
    "source": "sources",
    "related": "related",
    "related themes": "related",
    "prompt": "prompt",
}


@dataclass
class ConversationState:
    """What one person was last talking about, for follow-ups such as "more"."""

    last_theme: str | None = None
    quiz: meetings.QuizCard | None = None  # the quiz waiting for an answer ("a", "b" or "c")
    rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)


class Conversation:
    """Maps messages to replies with one engine and the organisation's urgent contacts."""

    def __init__(self, engine: Engine, urgent_contacts: Mapping[str, str]):
        self.engine = engine
        self.catalogue = engine.catalogue
        heading, body = self.catalogue.urgent.render(dict(urgent_contacts))
        self.urgent_notice = UrgentNotice(heading, body)
        self.safety_footer = self.catalogue.urgent.render_footer(dict(urgent_contacts))

    def reply(self, message: str, state: ConversationState | None = None, *, with_files: bool = False) -> Reply:
        """The reply to `message`, ending with the one-line safety net (999 and the front door);
        `with_files` when it came with files or screenshots, which scrbot does not open (the reply
        says so)."""
        reply = self.with_footer(self._route(message, state))
        if not with_files:
            return reply
        intro = f"{FILES_NOTE}\n\n{reply.intro}" if reply.intro else FILES_NOTE
        return replace(reply, intro=intro)

    def with_footer(self, reply: Reply) -> Reply:
        """The reply with the safety footer that ends every answer, on every platform."""
        return reply if reply.footer == self.safety_footer else replace(reply, footer=self.safety_footer)

    def _route(self, message: str, state: ConversationState | None) -> Reply:
        state = state if state is not None else ConversationState()
        text = _clean(message)
        command = text.lower().strip(" ?!.")
        if not command:
            return self.help(intro="Ask me about a safeguarding learning theme, or say “themes”.")
        if command in ("help", "hi", "hello", "hey", "start", "?"):
            return self.help()
        if command in ("themes", "list", "list themes", "topics", "all themes", "what themes"):
            return self.themes()
        meeting = self.meeting_intent(text, command, state)
        if meeting is not None:
            return meeting
        if command.startswith("show "):
            theme = self.catalogue.get(command[5:].strip())
            if theme is not None:
                state.last_theme = theme.id
                return self.answer(theme)
        part = FOLLOW_UPS.get(command)
        if part and state.last_theme and state.last_theme in self.catalogue.themes:
            return self.theme_part(self.catalogue.themes[state.last_theme], part)
        match = self.engine.answer(text)
        long_note = (
            "Your message was long, so I read the first part of it." if len(message) > MAX_MESSAGE_CHARS else None
        )
        if match.theme is None:
            return self.unknown(match, note=long_note)
        state.last_theme = match.theme.id
        return self.answer(match.theme, urgent=match.urgent, related=match.suggestions, note=long_note)

    def answer(
        self, theme: Theme, urgent: bool = False, related: tuple[Theme, ...] = (), note: str | None = None
    ) -> Reply:
        """The full answer for one theme."""
        related = related or tuple(self.catalogue.themes[r] for r in theme.related if r in self.catalogue.themes)
        sections: tuple[Section, ...] = (
            Section("What it looks like", bullets=theme.looks_like),
            Section("What to do", bullets=theme.practice),
            Section("Reflective questions", bullets=theme.questions),
            Section("Sources", bullets=tuple(s.cite() for s in theme.sources)),
        )
        if related:
            sections += (Section("Related themes", text=", ".join(t.title for t in related)),)
        return Reply(
            kind="answer",
            title=theme.title,
            intro=f"{note}\n\n{theme.summary}" if note else theme.summary,
            sections=sections,
            actions=self._theme_actions(theme),
            urgent=self.urgent_notice if urgent else None,
            theme_id=theme.id,
            footer=self.safety_footer,
        )

    def theme_part(self, theme: Theme, part: str) -> Reply:
        """One part of a theme, for a follow-up or a button."""
        sections: tuple[Section, ...]
        if part == "questions":
            sections = (Section("Reflective questions", bullets=theme.questions),)
        elif part == "practice":
            sections = (Section("What to do", bullets=theme.practice),)
        elif part == "sources":
            sections = (Section("Sources", bullets=tuple(s.cite() for s in theme.sources)),)
        elif part == "related":
            related = [self.catalogue.themes[r] for r in theme.related if r in self.catalogue.themes]
            return Reply(
                kind="related",
                title=f"Themes related to {theme.title}",
                choices=tuple((t.id, t.title) for t in related),
                actions=tuple(Action("show_theme", t.title, t.id) for t in related),
                theme_id=theme.id,
                footer=self.safety_footer,
            )
        elif part == "prompt":
            sections = (
                Section("This week's prompt", text=theme.prompt),
                Section("Key points", bullets=theme.key_points),
            )
        else:  # "more"
            sections = (
                Section("Key points", bullets=theme.key_points),
                Section("Something to reflect on", text=theme.prompt),
                Section("A practice scenario", text=theme.scenario),
            )
        return Reply(
            kind=f"theme-{part}",
            title=theme.title,
            sections=sections,
            actions=self._theme_actions(theme),
            theme_id=theme.id,
            footer=self.safety_footer,
        )

    def theme_button(self, theme_id: str, part: str, state: ConversationState | None = None) -> Reply:
        """What a theme button shows ("answer", "discuss", "questions", "related", ...); a theme
        that has left the catalogue since the button was drawn gets a plain explanation."""
        theme = self.catalogue.get(theme_id)
        if theme is None:
            return Reply(
                kind="unknown-theme",
                intro="That theme is no longer in the catalogue. Ask for “themes” to see what there is.",
            )
        if state is not None:
            state.last_theme = theme.id
        if part == "answer":
            return self.answer(theme)
        if part == "discuss":
            return self.with_footer(self.discussion(theme))
        return self.theme_part(theme, part)

    def discussion(self, theme: Theme) -> Reply:
        """A discussion starter for a team meeting, shown to the person who asked."""
        return meetings.meeting_pack(theme, for_channel=False)

    def meeting_intent(self, text: str, command: str, state: ConversationState) -> Reply | None:
        """ "discuss <theme|random>", "quiz [theme]" and the answer to a waiting quiz; else None."""
        pending, state.quiz = state.quiz, None
        if pending is not None and (option := pending.by_answer(command)) is not None:
            return meetings.quiz_feedback(pending, option.theme_id)
        verb, _, rest = command.partition(" ")
        if verb not in ("discuss", "discussion", "quiz"):
            return None
        if rest and rest != "me":
            found = meetings.find_theme(self.engine, text.split(" ", 1)[1], state.rng)
            if found.theme is None or found.urgent:
                return None  # the ordinary answer path says "not sure" or puts urgent help first
            theme = found.theme
        elif verb == "quiz":
            theme = state.rng.choice(list(self.catalogue))
        elif state.last_theme in self.catalogue.themes:
            theme = self.catalogue.themes[state.last_theme]
        else:
            return self.help(intro="Which theme shall we discuss? Say “discuss neglect” or “discuss random”.")
        state.last_theme = theme.id
        if verb == "quiz":
            state.quiz = meetings.build_quiz(theme, self.catalogue, meetings.new_nonce(state.rng))
            return meetings.quiz_reply(state.quiz)
        return self.discussion(theme)

    def unknown(self, match: Match, note: str | None = None) -> Reply:
        """An honest "I don't know that one", with near themes or what the bot can do."""
        if match.suggestions:
            intro = "I'm not sure which theme you mean. Did you mean one of these?"
        else:
            intro = "I don't know that one. I can only help with safeguarding learning from case reviews."
        if note:
            intro = f"{note} {intro}"
        return Reply(
            kind="unknown",
            intro=intro,
            choices=tuple((t.id, t.title) for t in match.suggestions),
            actions=tuple(Action("show_theme", t.title, t.id) for t in match.suggestions),
            sections=(Section("What I can do", bullets=BOT_CAN),),
            urgent=self.urgent_notice if match.urgent else None,
            footer=self.safety_footer,
        )

    def themes(self) -> Reply:
        return Reply(
            kind="themes",
            title=f"The {len(self.catalogue)} learning themes I know",
            choices=tuple((t.id, t.title) for t in self.catalogue),
        )

    def help(self, intro: str | None = None) -> Reply:
        return Reply(
            kind="help",
            title="scrbot: learning from Serious Case Reviews",
            intro=intro
            or "I share the learning from child Serious Case Reviews. I am a learning tool, not a referral route.",
            sections=(Section("What I can do", bullets=BOT_CAN),),
        )

    @staticmethod
    def _theme_actions(theme: Theme) -> tuple[Action, ...]:
        return (
            Action("questions", "Reflective questions", theme.id),
            Action("discuss", "Discussion starter", theme.id),
            Action("related", "Related themes", theme.id),
            Action("reflect", "Reflect", theme.id),
        )


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")


def _clean(message: object) -> str:
    """Plain text from whatever arrived: bytes, None, control characters, huge pastes."""
    if message is None:
        return ""
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    text = _CONTROL.sub(" ", str(message))
    return " ".join(text[:MAX_MESSAGE_CHARS].split())
