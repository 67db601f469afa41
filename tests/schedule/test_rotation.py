from itertools import pairwise

import pytest

from bot.schedule.rotation import choose_theme, covered_in_current_cycle, preview, theme_order

THEMES = [
    "disguised-compliance",
    "over-optimism",
    "voice-of-the-child",
    "seen-child-not-safe",
    "working-with-teenagers",
    "think-the-unthinkable",
    "professional-curiosity",
    "never-make-assumptions",
    "assessment-is-a-process",
    "start-again-syndrome",
    "fixed-thinking",
    "interaction-not-attachment",
    "neglect",
    "consensus-not-safe",
    "involvement-not-engagement",
    "domestic-abuse",
    "toxic-trio",
    "information-sharing",
    "record-keeping",
    "professional-challenge",
    "drift-and-delay",
    "family-networks",
    "multi-agency-working",
    "communication",
    "hostile-and-evasive-parents",
    "supervision-and-support",
    "everyones-responsibility",
    "was-not-brought",
    "bruising-non-mobile-babies",
    "child-sexual-exploitation",
    "thresholds-and-dynamic-risk",
    "young-carers",
    "reflective-practice",
    "learning-from-reviews",
]
CHANNEL = "C0123456789"


def cycles(posts: list[str], size: int) -> list[list[str]]:
    return [posts[start : start + size] for start in range(0, len(posts), size)]


def test_there_are_34_themes():
    assert len(set(THEMES)) == 34


def test_no_theme_repeats_until_every_theme_has_been_posted_for_three_cycles():
    posts = preview(THEMES, [], seed=CHANNEL, count=34 * 3)
    for cycle in cycles(posts, 34):
        assert sorted(cycle) == sorted(THEMES)


def test_the_same_theme_is_never_posted_two_weeks_running():
    posts = preview(THEMES, [], seed=CHANNEL, count=34 * 3 + 5)
    assert all(this != that for this, that in pairwise(posts))


def test_a_new_cycle_does_not_start_with_the_theme_that_ended_the_last_one():
    order = theme_order(THEMES, seed=CHANNEL)
    # A history whose cycle ended with the theme the channel's order starts with.
    history = order[1:] + order[:1]
    assert covered_in_current_cycle(history, THEMES) == set()
    assert choose_theme(THEMES, history, seed=CHANNEL) == order[1]
    next_cycle = preview(THEMES, history, seed=CHANNEL, count=34)
    assert sorted(next_cycle) == sorted(THEMES)
    assert next_cycle[0] != history[-1]


def test_the_boundary_rule_holds_with_a_curated_order_too():
    assert choose_theme(["a", "b", "c"], ["b", "c", "a"], curated_order=["a", "b", "c"]) == "b"
    assert preview(["a", "b", "c"], ["b", "c", "a"], curated_order=["a", "b", "c"], count=3) == [
        "b",
        "a",
        "c",
    ]


def test_mid_cycle_the_next_theme_is_one_not_yet_posted_this_cycle():
    history = preview(THEMES, [], seed=CHANNEL, count=34 + 10)
    chosen = choose_theme(THEMES, history, seed=CHANNEL)
    assert chosen not in history[34:]


def test_excluded_themes_are_never_posted_and_cycles_are_shorter():
    excluded = {"domestic-abuse", "neglect", "toxic-trio"}
    posts = preview(THEMES, [], excluded, seed=CHANNEL, count=31 * 3)
    assert not excluded & set(posts)
    for cycle in cycles(posts, 31):
        assert sorted(cycle) == sorted(set(THEMES) - excluded)


def test_a_theme_excluded_mid_cycle_stops_counting_towards_the_cycle():
    history = ["a", "b"]
    # "b" was posted before it was excluded: the cycle over {a, c} still needs "c".
    assert choose_theme(["a", "b", "c"], history, excluded={"b"}, curated_order=["a", "b", "c"]) == "c"


def test_posts_of_themes_that_no_longer_exist_are_ignored():
    assert covered_in_current_cycle(["retired-theme", "a"], ["a", "b"]) == {"a"}
    assert choose_theme(["a", "b"], ["a", "retired-theme"], curated_order=["a", "b"]) == "b"


def test_a_theme_added_mid_cycle_is_posted_in_the_current_cycle():
    history = ["a", "b"]
    assert choose_theme(["a", "b", "c", "new"], history, curated_order=["a", "b", "c"]) == "c"
    assert preview(["a", "b", "c", "new"], history, curated_order=["a", "b", "c"], count=2) == [
        "c",
        "new",
    ]


def test_a_curated_order_is_followed_skipping_unknown_and_excluded_ids():
    curated = [
        "neglect",
        "no-such-theme",
        "domestic-abuse",
        "neglect",
        "toxic-trio",
        "young-carers",
    ]
    posts = preview(THEMES, [], {"toxic-trio"}, curated_order=curated, count=33)
    assert posts[:3] == ["neglect", "domestic-abuse", "young-carers"]
    # Themes the curated order leaves out follow it, by id.
    rest = sorted(set(THEMES) - {"neglect", "domestic-abuse", "young-carers", "toxic-trio"})
    assert posts[3:] == rest


def test_every_cycle_follows_the_curated_order_again():
    posts = preview(["a", "b", "c"], [], curated_order=["c", "a", "b"], count=9)
    assert posts == ["c", "a", "b"] * 3


def test_the_shuffled_order_is_the_same_after_a_restart():
    first = preview(THEMES, [], seed=CHANNEL, count=40)
    again = preview(THEMES, [], seed=CHANNEL, count=40)
    assert first == again
    assert choose_theme(THEMES, first[:17], seed=CHANNEL) == first[17]


def test_the_order_does_not_depend_on_the_order_themes_were_loaded_in():
    assert theme_order(THEMES, seed=CHANNEL) == theme_order(list(reversed(THEMES)), seed=CHANNEL)


def test_different_channels_get_different_orders():
    orders = {tuple(theme_order(THEMES, seed=f"C{number:04d}")) for number in range(20)}
    assert len(orders) == 20
    assert theme_order(THEMES, seed="C0001") != sorted(THEMES)


def test_adding_a_theme_keeps_the_other_themes_in_the_same_relative_order():
    before = theme_order(THEMES, seed=CHANNEL)
    after = theme_order([*THEMES, "a-new-theme"], seed=CHANNEL)
    assert [theme for theme in after if theme != "a-new-theme"] == before


def test_with_a_single_eligible_theme_it_is_posted_every_week():
    excluded = set(THEMES) - {"neglect"}
    assert preview(THEMES, ["neglect"], excluded, seed=CHANNEL, count=3) == ["neglect"] * 3


def test_with_nothing_eligible_the_message_says_why():
    with pytest.raises(ValueError, match="All 34 themes are excluded for this channel"):
        choose_theme(THEMES, [], excluded=THEMES)
    with pytest.raises(ValueError, match="No themes are loaded"):
        choose_theme([], [])


def test_preview_does_not_change_the_history_it_is_given():
    history = ["a"]
    assert preview(["a", "b", "c"], history, curated_order=["a", "b", "c"], count=2) == ["b", "c"]
    assert history == ["a"]
    assert preview(["a", "b"], history, count=0) == []
    with pytest.raises(ValueError, match="count"):
        preview(["a", "b"], history, count=-1)
