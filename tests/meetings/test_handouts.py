"""`scrbot starter THEME --format md|html`: a printable one-page handout of the theme."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from bot.cli import main
from bot.config import DEFAULT_CONTENT_DIR
from bot.content import load_catalogue
from bot.handouts import handout, handout_html, handout_markdown

THEME_IDS = load_catalogue(DEFAULT_CONTENT_DIR).ids()
COLUMNS = ("What's working well", "What are we worried about", "What needs to happen next")


class _Text(HTMLParser):
    """The visible text of a page (the parse also shows it is well formed enough to read)."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.text).split())


@pytest.mark.parametrize("theme_id", THEME_IDS)
def test_handouts_carry_the_themes_content(catalogue, theme_id):
    theme = catalogue.themes[theme_id]
    markdown = handout_markdown(theme)
    page = visible_text(handout_html(theme))
    for text in (markdown, page):
        assert theme.title in text and theme.scenario in text
        assert all(question in text for question in theme.discussion)
        assert all(point in text for point in theme.key_points)
        assert all(column in text for column in COLUMNS)
        assert "Minutes 0-2" in text and theme.sources[0].name in text


def test_html_is_self_contained_and_prints(catalogue):
    page = handout_html(catalogue.themes["neglect"])
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "@media print" in page and "@page" in page
    assert not re.search(r"https?://|<link|<script|<img|src=|@import|url\(", page)


def test_html_escapes_content(catalogue):
    theme = replace(
        catalogue.themes["neglect"],
        title="Tom & <Jerry>",
        scenario='Fictional scenario: <script>alert("x")</script>',
        discussion=("Is 1 < 2?",) + catalogue.themes["neglect"].discussion[1:],
    )
    page = handout_html(theme)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Tom &amp; &lt;Jerry&gt;" in page and "Is 1 &lt; 2?" in page
    assert 'Fictional scenario: <script>alert("x")</script>' in visible_text(page)


def test_handout_refuses_an_unknown_format(catalogue):
    with pytest.raises(ValueError):
        handout(catalogue.themes["neglect"], "pdf")


def test_cli_writes_the_handout(tmp_path, capsys, catalogue):
    out = tmp_path / "starter.html"
    assert main(["starter", "toxic-trio", "--format", "html", "--out", str(out)]) == 0
    assert catalogue.themes["toxic-trio"].title in out.read_text(encoding="utf-8")
    assert "wrote" in capsys.readouterr().out
    assert main(["starter", "toxic-trio"]) == 0  # markdown to stdout by default
    assert capsys.readouterr().out.startswith("# Team discussion: ")


def test_cli_names_an_unknown_theme(capsys):
    assert main(["starter", "no-such-theme", "--format", "md"]) == 1
    assert "no theme with id 'no-such-theme'" in capsys.readouterr().err


def test_cli_reports_a_file_it_cannot_write(tmp_path, capsys):
    assert main(["starter", "neglect", "--out", str(tmp_path / "missing" / "x.md")]) == 1
    assert "cannot write" in capsys.readouterr().err
