"""The reflection form's wording, once for every platform: what it asks, its choices, the theme
picker, what it says when something is missing, and the thanks once it is saved. A Slack modal
and a Teams card render the same `ReflectionFormWording`; neither words the form itself."""

from __future__ import annotations

from dataclasses import dataclass

from bot.reflections.service import CONFIDENCE_LEVELS, MAX_CHARS


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class ReflectionFormWording:
    """Everything the reflection form says. `save` is for a form with a title above it (a
    modal); `save_untitled` names what it saves, for a form with none (a card in a chat)."""

    title: str
    note: str  # what to leave out: shown with the form, every time
    theme_label: str
    theme_hint: str
    theme_missing: str
    text_label: str
    text_hint: str
    text_missing: str
    max_chars: int
    confidence_label: str
    confidence_choices: tuple[Choice, ...]
    share_heading: str
    share_label: str
    save: str
    save_untitled: str
    open_form: str  # the button that opens the form where it cannot be shown in the chat (a modal)
    cancel: str
    done: str  # closes the form once it is saved
    not_saved: str  # our failure; the person's text is still in the form


# A new reflection is shared with the team (without a name) unless the person unticks it, on
# every platform: Slack's modal has always started ticked.
SHARED_BY_DEFAULT = True

CONFIDENCE_WORDS = {
    1: "not at all confident",
    2: "a little confident",
    3: "fairly confident",
    4: "confident",
    5: "very confident",
}


def reflection_form(editing: bool = False) -> ReflectionFormWording:
    """The wording of the reflection form: a new reflection, or an edit of one."""
    return ReflectionFormWording(
        title="Edit reflection" if editing else "Reflect",
        note=(
            "Reflections are practice learning, not case records. Please leave out names, dates of "
            "birth, addresses and anything else that could identify a child or family."
        ),
        theme_label="Which theme are you reflecting on?",
        theme_hint="Choose a theme",
        theme_missing="Please choose the theme you are reflecting on.",
        text_label="What will you do differently, or what did this make you think about?",
        text_hint="A sentence or two is enough.",
        text_missing="Write a sentence or two first.",
        max_chars=MAX_CHARS,
        confidence_label="How confident are you that you would spot this in your own work?",
        confidence_choices=tuple(
            Choice(str(level), f"{level} - {CONFIDENCE_WORDS[level]}") for level in CONFIDENCE_LEVELS
        ),
        share_heading="Sharing",
        share_label="Share with my team without my name",
        save="Save",
        save_untitled="Save reflection",
        open_form="Write a reflection",
        cancel="Cancel",
        done="Done",
        not_saved=(
            "Sorry, your reflection was not saved: our database is not answering. Your text is "
            "still here, so please press Save again in a moment."
        ),
    )


def thanks(
    theme: str, shared: bool, command: str = "", home_tab: bool = False, already: bool = False
) -> tuple[str, ...]:
    """What a person is told once their reflection on `theme` is kept, on every platform (never
    the text itself): that it is saved and how to edit or delete it. `command` starts a command
    where the person is ("/learn " in Slack); `home_tab` when the platform lists reflections
    there; `already` when this reflection had been saved before (a second press of Save)."""
    where = f"in my Home tab or with “{command}my reflections”" if home_tab else f"with “{command}my reflections”"
    first = (ALREADY_SAVED if already else SAVED_ON).format(theme=theme)
    lines = [first, f"You can read, edit or delete it {where}."]
    if shared and not already:
        lines.append(f"It may appear, without your name, when your team asks “{command}reflections”.")
    return tuple(lines)


ALREADY_SAVED = "You have already saved this reflection on {theme}."
SAVED_ON = "Thank you: your reflection on {theme} is saved."
