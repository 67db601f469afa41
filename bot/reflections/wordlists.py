"""The word lists the privacy guard reads: people's names and ordinary English words.

- First names and surnames: the `names` package (MIT), which ships the US Census Bureau's 1990
  lists (5,163 first names, 88,799 surnames), plus our own list of first names common in the UK
  today that it lacks (data/first_names_extra.txt).
- English words: the lower-case entries of SCOWL's word list (Kevin Atkinson; permissive licence,
  taken from Debian's `wamerican`), plus British spellings (data/english_words.txt.gz). A word
  written in lower case in a dictionary is an ordinary word, so "grace" or "mason" needs more than
  its spelling to be read as a name, while "kai" or "callum" does not.

Each list is read once, on first use, and kept (about 25 MB of Python sets, 0.2 s to load).
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"


def _census(file_name: str) -> frozenset[str]:
    text = resources.files("names").joinpath(file_name).read_text(encoding="ascii")
    return frozenset(line.split(" ", 1)[0].lower() for line in text.splitlines() if line.strip())


@cache
def first_names() -> frozenset[str]:
    """Lower-case first names of many origins."""
    extra = (_DATA / "first_names_extra.txt").read_text(encoding="utf-8")
    own = {word for line in extra.splitlines() if not line.startswith("#") for word in line.split()}
    return _census("dist.male.first") | _census("dist.female.first") | frozenset(own)


@cache
def surnames() -> frozenset[str]:
    """Lower-case surnames (US census 1990: English, Irish, Hispanic, German, Italian, ... origins)."""
    return _census("dist.all.last")


@cache
def english_words() -> frozenset[str]:
    """Ordinary lower-case English words (American and British spellings)."""
    with gzip.open(_DATA / "english_words.txt.gz", "rt", encoding="utf-8") as handle:
        return frozenset(handle.read().split())
