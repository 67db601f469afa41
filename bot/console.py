"""The console adapter: renders replies as terminal text and runs `scrbot chat`.

It is also the test fixture for conversations: push a message, read the reply, no network.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterable
from typing import TextIO

from bot import router
from bot.conversation import Conversation, ConversationState
from bot.replies import Reply

WIDTH = 88
GOODBYES = {"quit", "exit", "bye", "goodbye", "q"}


def render(reply: Reply) -> str:
    """A reply as wrapped terminal text, urgent signposting first."""
    out: list[str] = []
    if reply.urgent:
        bar = "!" * min(WIDTH, len(reply.urgent.heading) + 4)
        lines = reply.urgent.body.splitlines()
        body = [_wrap(line, subsequent="  " if line.startswith("• ") else "") for line in lines]
        out += [bar, f"! {reply.urgent.heading}", bar, *body, ""]
    if reply.title:
        out += [reply.title, "=" * len(reply.title)]
    if reply.intro:
        out += [_wrap(p) for p in reply.intro.split("\n\n")]
    for section in reply.sections:
        out += ["", section.heading]
        if section.text:
            out.append(_wrap(section.text, indent="  "))
        out += [_wrap(b, indent="  - ", subsequent="    ") for b in section.bullets]
    if reply.choices:
        out.append("")
        out += [f"  {title}  ({tid})" for tid, title in reply.choices]
    if reply.kind == "quiz":  # the console has no buttons: the answers are typed
        out += ["", *(f"  {a.label}" for a in reply.actions), "", "(Answer A, B or C.)"]
    if reply.kind in ("answer", "theme-more", "theme-questions", "theme-practice", "theme-sources"):
        out += ["", "(Say “more”, “questions”, “what to do”, “sources” or “related”, or ask another question.)"]
    if reply.footer:
        out += ["", _wrap(reply.footer)]
    return "\n".join(out).rstrip() + "\n"


def _wrap(text: str, indent: str = "", subsequent: str | None = None) -> str:
    return textwrap.fill(
        text, WIDTH, initial_indent=indent, subsequent_indent=subsequent if subsequent is not None else indent
    )


def chat(conversation: Conversation, lines: Iterable[str], out: TextIO, interactive: bool) -> None:
    """Run a conversation over lines of input until they end or the person says goodbye."""
    state = ConversationState()
    if interactive:
        out.write(render(conversation.help()) + "\nType a question, or “quit” to leave.\n\n> ")
        out.flush()
    for line in lines:
        if line.strip().lower() in GOODBYES:
            break
        out.write(answer(conversation, line, state))
        out.write("\n> " if interactive else "\n")
        out.flush()
    if interactive:
        out.write("\nGoodbye.\n")


def answer(conversation: Conversation, line: str, state: ConversationState | None = None) -> str:
    """The console's answer to one line: the router's word for what cannot be done here (saving a
    reflection needs a signed-in person), else the conversation's reply."""
    notice = router.console_notice(line)
    return _wrap(notice) + "\n" if notice is not None else render(conversation.reply(line, state))


def run_chat(conversation: Conversation) -> None:
    interactive = sys.stdin.isatty()
    if interactive:
        try:
            import readline  # noqa: F401  (line editing and history when a person types)
        except ImportError:
            pass
    try:
        chat(conversation, sys.stdin, sys.stdout, interactive)
    except KeyboardInterrupt:
        sys.stdout.write("\nGoodbye.\n")
