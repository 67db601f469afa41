"""Which theme a channel's weekly prompt is about next.

The rules, in the order they apply:

1. Eligible themes are the known theme ids minus the channel's exclusions.
2. A cycle is a run of weeks that covers every eligible theme. Reading the channel's history from
   the oldest post, a cycle ends the week its last uncovered theme is posted and the next week
   starts a new one. No theme repeats within a cycle. Posts of themes that are no longer eligible
   count towards nothing.
3. Never the same theme two weeks running, across a cycle boundary too.
4. Among the themes still allowed, take the first in the channel's order: the curated order if
   there is one (unknown and excluded ids skipped, themes it leaves out after it, by id);
   otherwise a shuffle seeded by the channel's seed, the same after every restart.

The one exception: with a single eligible theme, that theme is posted every week.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence


def choose_theme(
    all_theme_ids: Sequence[str],
    history: Sequence[str],
    excluded: Collection[str] = (),
    curated_order: Sequence[str] | None = None,
    seed: str = "",
) -> str:
    """The theme to post next, given the channel's history (theme ids, oldest first)."""
    order = theme_order(all_theme_ids, excluded, curated_order, seed)
    if len(order) == 1:
        return order[0]
    covered = covered_in_current_cycle(history, set(order))
    previous = history[-1] if history else None
    for theme in order:
        if theme not in covered and theme != previous:
            return theme
    # Unreachable with two or more eligible themes: the previous theme is either covered in the
    # current cycle or closed the last one, so an uncovered, different theme always remains.
    raise AssertionError("no theme left to choose")  # pragma: no cover


def preview(
    all_theme_ids: Sequence[str],
    history: Sequence[str],
    excluded: Collection[str] = (),
    curated_order: Sequence[str] | None = None,
    seed: str = "",
    count: int = 4,
) -> list[str]:
    """The next `count` themes, as `choose_theme` would pick them week after week."""
    if count < 0:
        raise ValueError(f"count must be 0 or more, got {count}")
    upcoming: list[str] = []
    future_history = list(history)
    for _ in range(count):
        theme = choose_theme(all_theme_ids, future_history, excluded, curated_order, seed)
        upcoming.append(theme)
        future_history.append(theme)
    return upcoming


def theme_order(
    all_theme_ids: Sequence[str],
    excluded: Collection[str] = (),
    curated_order: Sequence[str] | None = None,
    seed: str = "",
) -> list[str]:
    """The eligible themes in the order a cycle visits them; ValueError if none is eligible."""
    excluded_ids = set(excluded)
    eligible = sorted({theme for theme in all_theme_ids if theme not in excluded_ids})
    if not eligible:
        if not all_theme_ids:
            raise ValueError("No themes are loaded, so there is no theme to post.")
        raise ValueError(
            f"All {len(set(all_theme_ids))} themes are excluded for this channel, "
            "so there is no theme to post. "
            "Include one again, e.g. /learn schedule include disguised-compliance"
        )
    if curated_order is None:
        return sorted(eligible, key=lambda theme: _shuffle_key(seed, theme))
    eligible_ids = set(eligible)
    curated = [theme for theme in dict.fromkeys(curated_order) if theme in eligible_ids]
    curated_ids = set(curated)
    return curated + [theme for theme in eligible if theme not in curated_ids]


def covered_in_current_cycle(history: Sequence[str], eligible: Collection[str]) -> set[str]:
    """The eligible themes already posted in the cycle that is under way."""
    eligible_ids = set(eligible)
    covered: set[str] = set()
    for theme in history:
        if theme in eligible_ids:
            covered.add(theme)
            if covered == eligible_ids:
                covered = set()
    return covered


def _shuffle_key(seed: str, theme: str) -> str:
    # A hash per theme rather than random.shuffle: the same on every Python version and process,
    # and adding or removing a theme leaves the relative order of the others unchanged.
    return hashlib.sha256(f"{seed}\x00{theme}".encode()).hexdigest()
