"""Text strategies: any Unicode (lone surrogates and control characters included, as JSON can
carry them), mixed with the words that steer scrbot down its deeper paths."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import load_catalogue

_CATALOGUE = load_catalogue(DEFAULT_CONTENT_DIR)

# Every code point, surrogates (Cs) included: a JSON body may carry "\ud800".
any_char = st.characters(exclude_categories=())
any_text = st.text(any_char, max_size=300)

COMMANDS = [
    "help",
    "themes",
    "more",
    "questions",
    "what to do",
    "sources",
    "related",
    "prompt",
    "quiz",
    "quiz me",
    "discuss",
    "discuss random",
    "a",
    "b",
    "c",
    "show ",
    "random",
    "schedule",
    "schedule weekly monday 09:30 Europe/London",
    "schedule pause until 2027-01-05",
    "schedule off",
    "schedule resume",
    "schedule exclude ",
    "schedule thread replies on",
    "reflect",
    "report",
    "meeting",
    "forget me",
    "my reflections",
]
HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<#C123|general>",
    "<https://evil.example|click me>",
    "*bold* _it_ ~strike~ `code` ```block```",
    "&amp; &lt; &gt;",
    "'; DROP TABLE reflections; --",
    "Robert'); DELETE FROM subscriptions;--",
    "%s %d {0} {theme}",
    "\x00",
    "\u202e",
    "\ufeff",
    "\ud800",
    "😀" * 30,
    "a" * 5000,
    "\n" * 50,
    "   ",
]
WORDS = sorted(
    {t.id for t in _CATALOGUE}
    | {t.title for t in _CATALOGUE}
    | {a for t in _CATALOGUE for a in t.aliases[:3]}
    | {s for t in _CATALOGUE for s in t.signals[:2]}
    | {"child is in danger now", "he hit the baby", "what is", "?"}
)

piece = st.one_of(any_text, st.sampled_from(COMMANDS), st.sampled_from(HOSTILE), st.sampled_from(WORDS))
message = st.lists(piece, max_size=5).map(" ".join) | any_text
