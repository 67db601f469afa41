"""Printable one-page discussion starters for a meeting room screen or paper (`scrbot starter`).

Markdown for pasting into notes or wikis; self-contained HTML (inline CSS, no fonts, images or
scripts from anywhere) that prints on one A4 page.
"""

from __future__ import annotations

from html import escape

from bot.content import Theme
from bot.meetings import TEN_MINUTE_SHAPE, THREE_COLUMNS

FORMATS = ("md", "html")
FOOTER = (
    "The scenario is invented for discussion. scrbot is a learning tool, not a referral route: "
    "if you are worried about a child, follow your safeguarding procedures."
)


def handout(theme: Theme, fmt: str) -> str:
    """The handout for `theme` in `fmt` ("md" or "html")."""
    if fmt == "md":
        return handout_markdown(theme)
    if fmt == "html":
        return handout_html(theme)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def source_names(theme: Theme) -> list[str]:
    """Each briefing the theme draws on, once, in the order first cited."""
    names: list[str] = []
    for source in theme.sources:
        name = f"{source.name} ({source.year})" if source.year else source.name
        if name not in names:
            names.append(name)
    return names


def handout_markdown(theme: Theme) -> str:
    lines = [
        f"# Team discussion: {theme.title}",
        "",
        theme.summary,
        "",
        "## Scenario",
        "",
        theme.scenario,
        "",
        "## Discuss",
        "",
        *(f"{i}. {q}" for i, q in enumerate(theme.discussion, 1)),
        "",
        "## A ten-minute shape",
        "",
        *(f"- {step}" for step in TEN_MINUTE_SHAPE),
        "",
        "## Agree together",
        "",
        "| " + " | ".join(h for h, _ in THREE_COLUMNS) + " |",
        "|" + "---|" * len(THREE_COLUMNS),
        "| " + " | ".join(f"*{hint}*" for _, hint in THREE_COLUMNS) + " |",
        "| " + " | ".join(" " for _ in THREE_COLUMNS) + " |",
        "",
        "## Key points",
        "",
        *(f"- {point}" for point in theme.key_points),
        "",
        "---",
        "",
        f"From: {'; '.join(source_names(theme))}.",
        "",
        FOOTER,
        "",
    ]
    return "\n".join(lines)


_CSS = """
@page { size: A4; margin: 12mm 14mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; font-size: 11pt; line-height: 1.4;
       color: #111; background: #fff; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 18pt; margin: 0 0 .3rem; }
h2 { font-size: 12pt; margin: .9rem 0 .3rem; text-transform: uppercase; letter-spacing: .03em; }
p, ol, ul { margin: .2rem 0; }
.summary { color: #333; }
.scenario { border-left: 4px solid #555; padding: .3rem .7rem; background: #f3f3f3; }
.columns { display: grid; grid-template-columns: repeat(3, 1fr); gap: .5rem; }
.column { border: 1px solid #333; padding: .4rem .5rem; min-height: 9rem; }
.column h3 { font-size: 11pt; margin: 0 0 .2rem; }
.column p { font-size: 9.5pt; color: #444; }
footer { margin-top: .9rem; border-top: 1px solid #999; padding-top: .3rem;
         font-size: 8.5pt; color: #444; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 10.5pt; }
  .scenario { background: none; }
  .column { min-height: 40mm; }
  section, .columns { break-inside: avoid; }
}
"""


def handout_html(theme: Theme) -> str:
    """A standalone HTML page: every text escaped, styles inline, nothing fetched."""

    def items(values: tuple[str, ...] | list[str]) -> str:
        return "".join(f"<li>{escape(v)}</li>" for v in values)

    columns = "".join(
        f'<div class="column"><h3>{escape(heading)}</h3><p>{escape(hint)}</p></div>' for heading, hint in THREE_COLUMNS
    )
    title = escape(theme.title)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Team discussion: {title}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>Team discussion: {title}</h1>
<p class="summary">{escape(theme.summary)}</p>
</header>
<section><h2>Scenario</h2><p class="scenario">{escape(theme.scenario)}</p></section>
<section><h2>Discuss</h2><ol>{items(theme.discussion)}</ol></section>
<section><h2>A ten-minute shape</h2><ul>{items(TEN_MINUTE_SHAPE)}</ul></section>
<section><h2>Agree together</h2><div class="columns">{columns}</div></section>
<section><h2>Key points</h2><ul>{items(theme.key_points)}</ul></section>
<footer><p>From: {escape("; ".join(source_names(theme)))}.</p><p>{escape(FOOTER)}</p></footer>
</body>
</html>
"""
