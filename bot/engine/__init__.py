"""The answering engine: a question in, a structured match out. No I/O, no platform code."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content import Catalogue, Theme
from bot.engine.matcher import ANSWER_THRESHOLD, SUGGEST_THRESHOLD, Matcher
from bot.engine.urgent import is_urgent

__all__ = ["Engine", "Match"]

MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Match:
    """What the engine concluded about one question."""

    theme: Theme | None
    score: float
    urgent: bool
    suggestions: tuple[Theme, ...]

    def as_json(self) -> dict:
        return {
            "theme": self.theme.id if self.theme else None,
            "title": self.theme.title if self.theme else None,
            "score": self.score,
            "urgent": self.urgent,
            "suggestions": [t.id for t in self.suggestions],
        }


class Engine:
    """Answers questions against one catalogue; build once, call `answer` many times."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.matcher = Matcher(catalogue)

    def answer(self, question: str) -> Match:
        text = question if isinstance(question, str) else str(question)
        urgent = is_urgent(text)
        ranked = self.matcher.rank(text)
        best = ranked[0] if ranked else None
        if best is not None and best.score >= ANSWER_THRESHOLD:
            related = [self.catalogue.themes[r] for r in best.theme.related if r in self.catalogue.themes]
            return Match(best.theme, best.score, urgent, tuple(related[:MAX_SUGGESTIONS]))
        near = tuple(r.theme for r in ranked[:MAX_SUGGESTIONS] if r.score >= SUGGEST_THRESHOLD)
        return Match(None, best.score if best else 0.0, urgent, near)
