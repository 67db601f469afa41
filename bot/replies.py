"""The platform-neutral reply model. Adapters (console, Slack, Teams) only render these."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Action:
    """A button: `id` says what it does, `value` is what it acts on (usually a theme id)."""

    id: str
    label: str
    value: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    text: str = ""
    bullets: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()  # buttons that act on this section only (Edit, Delete)


@dataclass(frozen=True)
class UrgentNotice:
    heading: str
    body: str


@dataclass(frozen=True)
class Reply:
    """One message to show a person."""

    kind: str
    title: str | None = None
    intro: str | None = None
    sections: tuple[Section, ...] = ()
    actions: tuple[Action, ...] = ()
    urgent: UrgentNotice | None = None
    theme_id: str | None = None
    choices: tuple[tuple[str, str], ...] = field(default=())  # (theme id, title) to pick from
    footer: str | None = None  # the one-line safety net (999 and the front door) that ends an answer

    def plain_text(self) -> str:
        """The whole reply as plain text: notifications, screen readers and the console."""
        parts: list[str] = []
        if self.urgent:
            parts += [self.urgent.heading, self.urgent.body]
        if self.title:
            parts.append(self.title)
        if self.intro:
            parts.append(self.intro)
        for section in self.sections:
            lines = [section.heading] if section.heading else []
            if section.text:
                lines.append(section.text)
            lines += [f"- {b}" for b in section.bullets]
            parts.append("\n".join(lines))
        if self.choices:
            parts.append("\n".join(f"- {title} ({tid})" for tid, title in self.choices))
        if self.footer:
            parts.append(self.footer)
        return "\n\n".join(parts)

    def summary_text(self, limit: int = 300) -> str:
        """A short fallback line for notifications."""
        first = self.urgent.heading if self.urgent else (self.title or self.intro or "")
        if self.urgent and self.title:
            first = f"{first} {self.title}"
        return first[:limit]
