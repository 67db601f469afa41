"""Random mutations of a real theme file: the catalogue either still loads or raises
ContentError naming the file; never another exception."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import ContentError, load_catalogue
from tests.fuzz.budget import fuzz_settings
from tests.fuzz.text import any_char

THEME_FILES = sorted(p.name for p in (DEFAULT_CONTENT_DIR / "themes").glob("*.yaml"))
YAML_BITS = [
    ":",
    ": ",
    "- ",
    "-",
    "  ",
    "\t",
    "#",
    "'",
    '"',
    "|",
    ">-",
    "&a",
    "*a",
    "!!binary",
    "!!python/object:os.system",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "~",
    "null",
    "true",
    "1e9",
    "0x1F",
    "2026-11-23",
    "<<: *a",
    "!!set {a}",
    "\\",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
    "id",
    "seed",
    "section",
    "quiz",
    "related",
]

line_edit = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000)),
    st.tuples(st.just("swap"), st.integers(0, 10_000)),
    st.tuples(st.just("indent"), st.integers(0, 10_000), st.sampled_from(["", " ", "  ", "    ", "\t", "-"])),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.text(any_char, max_size=20)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.sampled_from(YAML_BITS)),
    st.tuples(st.just("replace value"), st.integers(0, 10_000), st.sampled_from(YAML_BITS + ["", "[]", "{}", "[1]"])),
    st.tuples(st.just("truncate"), st.integers(0, 10_000)),
)


def mutate(text: str, edits: list[tuple]) -> str:
    lines = text.split("\n")
    for kind, where, *rest in edits:
        if not lines:
            lines = [""]
        i = where % len(lines)
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = (i + 1) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent":
            lines[i] = rest[0] + lines[i].lstrip()
        elif kind == "insert":
            column = where % (len(lines[i]) + 1)
            lines[i] = lines[i][:column] + rest[0] + lines[i][column:]
        elif kind == "replace value":
            key, sep, _ = lines[i].partition(":")
            lines[i] = f"{key}{sep} {rest[0]}" if sep else rest[0]
        elif kind == "truncate":
            joined = "\n".join(lines)
            return joined[: where % (len(joined) + 1)]
    return "\n".join(lines)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, folder)
    return folder


@fuzz_settings(share=0.5)
@given(name=st.sampled_from(THEME_FILES), edits=st.lists(line_edit, min_size=1, max_size=4), raw=st.booleans())
def test_a_mutated_theme_file_loads_or_is_named_in_a_content_error(content, name, edits, raw):
    path = content / "themes" / name
    original = (DEFAULT_CONTENT_DIR / "themes" / name).read_text(encoding="utf-8")
    mutated = mutate(original, edits)
    try:
        if raw:  # also bytes that are not UTF-8 at all
            path.write_bytes(mutated.encode("utf-8", errors="surrogatepass").replace(b"\x00", b"\xff"))
        else:
            path.write_text(mutated, encoding="utf-8", errors="surrogatepass")
        try:
            catalogue = load_catalogue(content)
        except ContentError as error:
            assert error.problems and name in str(error), str(error)
            event(f"ContentError: {error.problems[0].message.split(':')[0][:40]}")
        else:
            event("still loads")
            assert len(catalogue) == len(THEME_FILES)
    finally:
        path.write_text(original, encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,  # deep nesting
        "a: &a [*a]\nid: x",  # a self-referencing alias
        "a: &a ['x', 'x']\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",  # a small "billion laughs"
        "? [1, 2]\n: unhashable key\n",
        "!!python/object/apply:os.system ['echo pwned']\n",
        "\ufeffid: neglect\n",
        "",
    ],
    ids=["deep-nesting", "recursive-alias", "alias-expansion", "list-key", "python-tag", "bom", "empty"],
)
def test_hostile_yaml_in_a_theme_file_is_a_content_error(content, text):
    path = content / "themes" / "neglect.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_catalogue(content)
    assert "neglect.yaml" in str(error.value)
