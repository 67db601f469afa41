"""Reply -> Block Kit. Only rendering lives here; what to say is decided in the core."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot import router
from bot.reflections.form import reflection_form
from bot.replies import Action, Reply
from bot.router import CONFIRMS

if TYPE_CHECKING:
    from bot.services import Services

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 2900  # Slack's limit is 3000; leave room for the escaping of & < >
MAX_FALLBACK_CHARS = 3000
MAX_BUTTON_LABEL = 75

Block = dict[str, Any]


def escape(text: str) -> str:
    """Make user or content text inert in mrkdwn: no live <!channel>, <@U…> or links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def header(text: str) -> Block:
    # plain_text is not parsed for mentions, but never let a title look like markup either.
    safe = text.replace("<", "‹").replace(">", "›")[:150]
    return {"type": "header", "text": {"type": "plain_text", "text": safe, "emoji": True}}


def button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label[:MAX_BUTTON_LABEL], "emoji": True},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    return element


def action_button(action: Action) -> Block:
    """A reply's button; one that deletes for good is red and asks first, in Slack's own dialog."""
    confirm = CONFIRMS.get(action.id)
    if confirm is None:
        return button(action.label, action.id, action.value)
    element = button(action.label, action.id, action.value, style="danger")
    element["confirm"] = {
        "title": _plain(confirm.title),
        "text": _plain(confirm.text),
        "confirm": _plain(confirm.yes),
        "deny": _plain(confirm.no),
        "style": "danger",
    }
    return element


def _plain(text: str) -> Block:
    return {"type": "plain_text", "text": text, "emoji": True}


def chunks(lines: list[str], limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Join lines into pieces no longer than `limit`, splitting a too-long line by words."""
    pieces: list[str] = []
    current = ""
    for line in lines:
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            pieces, current = _flush(pieces, current)
            pieces.append(line[:cut])
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces, current = _flush(pieces, current)
            current = line
        else:
            current = candidate
    pieces, _ = _flush(pieces, current)
    return pieces


def _flush(pieces: list[str], current: str) -> tuple[list[str], str]:
    if current:
        pieces.append(current)
    return pieces, ""


def urgent_blocks(reply: Reply) -> list[Block]:
    if not reply.urgent:
        return []
    return [
        section(f":rotating_light: *{escape(reply.urgent.heading)}*\n{escape(reply.urgent.body)}"),
        {"type": "divider"},
    ]


def reply_blocks(reply: Reply, include_urgent: bool = True) -> list[Block]:
    """Every block of a reply, in reading order (may exceed one message; see `messages`)."""
    blocks: list[Block] = urgent_blocks(reply) if include_urgent else []
    if reply.title:
        blocks.append(header(reply.title))
    if reply.intro:
        blocks += [section(piece) for piece in chunks(escape(reply.intro).split("\n"))]
    for part in reply.sections:
        lines = [f"*{escape(part.heading)}*"] if part.heading else []
        if part.text:
            lines.append(escape(part.text))
        lines += [f"• {escape(b)}" for b in part.bullets]
        blocks += [section(piece) for piece in chunks(lines)]
        if part.actions:
            blocks.append({"type": "actions", "elements": [action_button(a) for a in part.actions[:5]]})
    if reply.choices:
        lines = [f"• *{escape(title)}*  `{escape(tid)}`" for tid, title in reply.choices]
        blocks += [section(piece) for piece in chunks(lines)]
    if reply.actions:
        elements = [action_button(a) for a in reply.actions]
        for start in range(0, len(elements), 5):
            blocks.append({"type": "actions", "elements": elements[start : start + 5]})
    if reply.footer:
        blocks.append(footer(reply.footer))
    return blocks


def footer(text: str) -> Block:
    """The one-line safety net under an answer, small and quiet but always there."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": f":telephone_receiver: {escape(text)}"}]}


def fallback_text(reply: Reply, include_urgent: bool = True) -> str:
    """Plain text for notifications and screen readers (Slack shows it where blocks cannot be)."""
    shown = replace(reply, footer=None) if include_urgent else replace(reply, urgent=None, footer=None)
    text = escape(shown.plain_text())
    if not reply.footer:
        return text[:MAX_FALLBACK_CHARS]
    line = "\n\n" + escape(reply.footer)  # the safety line survives any cut
    return text[: MAX_FALLBACK_CHARS - len(line)] + line


def messages(reply: Reply, include_urgent: bool = True) -> list[dict[str, Any]]:
    """One or more message payloads ({text, blocks}) each within Slack's 50-block limit."""
    blocks = reply_blocks(reply, include_urgent)
    text = fallback_text(reply, include_urgent)
    if len(blocks) <= MAX_BLOCKS:
        return [{"text": text, "blocks": blocks}]
    out = []
    for start in range(0, len(blocks), MAX_BLOCKS):
        part = blocks[start : start + MAX_BLOCKS]
        out.append({"text": text if start == 0 else f"{escape(reply.title or 'scrbot')} (continued)", "blocks": part})
    return out


MAX_HOME_BLOCKS = 100


def reflection_form_message(form: router.ReflectionForm) -> dict[str, Any]:
    """A new reflection form as Slack shows it in a conversation: a button that opens the modal
    (a modal needs a click's trigger), on the form's theme if it has one, and the form's note."""
    wording = reflection_form()
    blocks: list[Block] = [section(f"*{escape(form.theme_title)}*")] if form.theme_title else []
    blocks.append(section(escape(wording.note)))
    blocks.append({"type": "actions", "elements": [button(wording.open_form, router.REFLECT, form.value)]})
    text = f"{wording.open_form}: {form.theme_title}" if form.theme_title else wording.open_form
    return {"text": text, "blocks": blocks}


def home_view(
    services: Services,
    theme_id: str | None = None,
    mine: list[dict[str, Any]] | None = None,
    schedules: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The Home tab view, with one theme opened when `theme_id` is given, the channels the person
    scheduled (`schedules`) and their own reflections (`mine`) under the theme picker."""
    catalogue = services.catalogue
    options = [{"text": {"type": "plain_text", "text": t.title[:75]}, "value": t.id} for t in list(catalogue)[:100]]
    # What scrbot is and the safety line: the core's words, with the configured urgent contacts.
    blocks: list[dict[str, Any]] = [
        *reply_blocks(router.home(services, services.settings.slash_command)),
        {"type": "divider"},
        {
            "type": "section",
            "block_id": "browse",
            "text": {"type": "mrkdwn", "text": f"*Browse the {len(catalogue)} themes*"},
            "accessory": {
                "type": "static_select",
                "action_id": "home_pick_theme",
                "placeholder": {"type": "plain_text", "text": "Choose a theme"},
                "options": options,
            },
        },
    ]
    blocks += schedules or []
    blocks += mine or []
    theme = catalogue.get(theme_id) if theme_id else None
    if theme is not None:
        blocks.append({"type": "divider"})
        blocks += reply_blocks(services.conversation.answer(theme))[: MAX_HOME_BLOCKS - len(blocks) - 1]
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}
