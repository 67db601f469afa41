"""The shape of a theme: typed, immutable records built from validated YAML."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """One seed briefing a theme draws on, with the heading the fact comes from."""

    seed: str
    name: str
    year: int | None
    section: str

    def cite(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.name}{year}, '{self.section}'"


@dataclass(frozen=True)
class QuizDistractor:
    theme: str
    explanation: str


@dataclass(frozen=True)
class Quiz:
    scenario: str
    explanation: str
    distractors: tuple[QuizDistractor, ...]


@dataclass(frozen=True)
class Theme:
    """One learning theme from the Serious Case Review briefings."""

    id: str
    title: str
    aliases: tuple[str, ...]
    signals: tuple[str, ...]
    summary: str
    looks_like: tuple[str, ...]
    practice: tuple[str, ...]
    questions: tuple[str, ...]
    prompt: str
    key_points: tuple[str, ...]
    related: tuple[str, ...]
    scenario: str
    discussion: tuple[str, ...]
    quiz: Quiz
    sources: tuple[Source, ...]
    path: str = ""


@dataclass(frozen=True)
class UrgentText:
    """The urgent-safeguarding signposting, with `{placeholders}` filled from config."""

    heading: str
    body: str
    footer: str = ""
    path: str = ""

    def render(self, contacts: dict[str, str]) -> tuple[str, str]:
        """Heading and body with the organisation's contacts filled in."""
        return self.heading.format_map(contacts), self.body.format_map(contacts)

    def render_footer(self, contacts: dict[str, str]) -> str:
        """The one-line safety net that ends every answer, with the contacts filled in."""
        return self.footer.format_map(contacts)
