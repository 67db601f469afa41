"""Load a content folder and check it, naming the file, field and line of every problem."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content.schema import Quiz, QuizDistractor, Source, Theme, UrgentText

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# field name -> (kind, minimum items, maximum items); kind "text" is one non-empty string.
THEME_FIELDS: dict[str, tuple[str, int, int]] = {
    "id": ("text", 1, 1),
    "title": ("text", 1, 1),
    "aliases": ("list", 1, 30),
    "signals": ("list", 1, 200),
    "summary": ("text", 1, 1),
    "looks_like": ("list", 1, 12),
    "practice": ("list", 1, 12),
    "questions": ("list", 1, 10),
    "prompt": ("text", 1, 1),
    "key_points": ("list", 2, 3),
    "related": ("list", 1, 8),
    "scenario": ("text", 1, 1),
    "discussion": ("list", 3, 4),
    "quiz": ("quiz", 1, 1),
    "sources": ("sources", 1, 20),
}
URGENT_FIELDS = {"heading", "body", "footer"}
URGENT_PLACEHOLDERS = {"front_door_name", "front_door_phone", "out_of_hours_phone"}


@dataclass(frozen=True)
class Problem:
    path: str
    field: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]"
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when a content folder has problems; `problems` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Catalogue:
    """Every theme of a content folder, in a stable order, plus the urgent signposting."""

    themes: dict[str, Theme]
    urgent: UrgentText
    rotation: tuple[str, ...] = ()
    folder: str = ""
    _alias_index: dict[str, str] = field(default_factory=dict, repr=False)

    def get(self, theme_id: str) -> Theme | None:
        return self.themes.get(theme_id)

    def __iter__(self):
        return iter(self.themes.values())

    def __len__(self) -> int:
        return len(self.themes)

    def ids(self) -> list[str]:
        return list(self.themes)


def load_catalogue(folder: str | Path) -> Catalogue:
    """Load and validate a content folder; raise ContentError listing every problem."""
    root = Path(folder)
    if not root.is_dir():
        raise ContentError([Problem(str(root), None, None, "content folder not found")])
    problems: list[Problem] = []
    sources = _load_sources(root / "sources.yaml", problems)
    theme_dir = root / "themes"
    files = sorted(theme_dir.glob("*.yaml")) if theme_dir.is_dir() else []
    if not files:
        problems.append(Problem(str(theme_dir), None, None, "no theme files (*.yaml) found"))
    themes: dict[str, Theme] = {}
    broken: set[str] = set()
    for path in files:
        theme = _load_theme(path, sources, problems)
        if theme is None:
            broken.add(path.stem)
            continue
        if theme.id in themes:
            first = themes[theme.id].path
            problems.append(Problem(str(path), "id", None, f"duplicate id '{theme.id}' (also in {first})"))
            continue
        themes[theme.id] = theme
    _check_cross_references(themes, broken, problems)
    urgent = _load_urgent(root / "urgent.yaml", problems)
    rotation = _load_rotation(root / "rotation.yaml", themes, problems)
    if problems:
        raise ContentError(problems)
    assert urgent is not None
    return Catalogue(themes=themes, urgent=urgent, rotation=rotation, folder=str(root))


def _read_yaml(path: Path, problems: list[Problem]) -> tuple[Any, dict[str, int]] | None:
    """Parse one YAML file; return the data and the line of each top-level key."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), None, None, f"cannot read file: {exc}"))
        return None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(str(path), None, line, f"invalid YAML: {reason}"))
        return None
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 1
    return data, lines


def _load_sources(path: Path, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    if not path.exists():
        problems.append(Problem(str(path), None, None, "missing sources.yaml (the seed briefings)"))
        return {}
    parsed = _read_yaml(path, problems)
    if parsed is None:
        return {}
    data, lines = parsed
    if not isinstance(data, dict):
        problems.append(Problem(str(path), None, None, "expected a mapping of seed id to source"))
        return {}
    good: dict[str, dict[str, Any]] = {}
    for seed, entry in data.items():
        seed = str(seed)
        if not isinstance(entry, dict) or not _nonempty(entry.get("name")):
            problems.append(Problem(str(path), seed, lines.get(seed), "each source needs a 'name'"))
            continue
        year = entry.get("year")
        if year is not None and not isinstance(year, int):
            problems.append(Problem(str(path), seed, lines.get(seed), "'year' must be a number or null"))
            continue
        good[seed] = entry
    return good


def _nonempty(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _load_theme(path: Path, sources: dict[str, dict[str, Any]], problems: list[Problem]) -> Theme | None:
    parsed = _read_yaml(path, problems)
    if parsed is None:
        return None
    data, lines = parsed
    where = str(path)
    if not isinstance(data, dict):
        problems.append(Problem(where, None, None, "a theme file must be a mapping of fields"))
        return None
    before = len(problems)
    for key in data:
        if key not in THEME_FIELDS:
            known = ", ".join(THEME_FIELDS)
            problems.append(Problem(where, str(key), lines.get(str(key)), f"unknown field (known fields: {known})"))
    for name, (kind, low, high) in THEME_FIELDS.items():
        if name not in data:
            problems.append(Problem(where, name, None, "missing required field"))
            continue
        _check_field(where, name, kind, low, high, data[name], lines.get(name), problems)
    if len(problems) > before:
        return None
    if data["id"] != path.stem:
        problems.append(
            Problem(where, "id", lines.get("id"), f"id '{data['id']}' must match the file name '{path.stem}'")
        )
        return None
    if not ID_PATTERN.match(data["id"]):
        problems.append(Problem(where, "id", lines.get("id"), "ids are lower-case words joined by hyphens"))
        return None
    cited: list[Source] = []
    for entry in data["sources"]:
        seed = str(entry["seed"])
        if seed not in sources:
            problems.append(
                Problem(where, "sources", lines.get("sources"), f"unknown seed '{seed}' (not in sources.yaml)")
            )
            continue
        cited.append(Source(seed, sources[seed]["name"], sources[seed].get("year"), entry["section"].strip()))
    if len(problems) > before:
        return None
    quiz = data["quiz"]
    return Theme(
        id=data["id"],
        title=data["title"].strip(),
        aliases=_strings(data["aliases"]),
        signals=_strings(data["signals"]),
        summary=data["summary"].strip(),
        looks_like=_strings(data["looks_like"]),
        practice=_strings(data["practice"]),
        questions=_strings(data["questions"]),
        prompt=data["prompt"].strip(),
        key_points=_strings(data["key_points"]),
        related=_strings(data["related"]),
        scenario=data["scenario"].strip(),
        discussion=_strings(data["discussion"]),
        quiz=Quiz(
            scenario=quiz["scenario"].strip(),
            explanation=quiz["explanation"].strip(),
            distractors=tuple(QuizDistractor(str(d["theme"]), d["explanation"].strip()) for d in quiz["distractors"]),
        ),
        sources=tuple(cited),
        path=where,
    )


def _strings(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for v in values)


def _check_field(
    where: str, name: str, kind: str, low: int, high: int, value: Any, line: int | None, problems: list[Problem]
) -> None:
    def fail(message: str) -> None:
        problems.append(Problem(where, name, line, message))

    if kind == "text":
        if not _nonempty(value):
            fail("must be non-empty text")
    elif kind == "list":
        if not isinstance(value, list):
            fail("must be a list of text items")
        elif not low <= len(value) <= high:
            fail(f"must have {low} to {high} items (has {len(value)})")
        elif not all(_nonempty(v) for v in value):
            fail("every item must be non-empty text")
    elif kind == "quiz":
        _check_quiz(value, fail)
    elif kind == "sources":
        if not isinstance(value, list) or not value:
            fail("must be a list of {seed, section}")
        elif not all(isinstance(v, dict) and set(v) == {"seed", "section"} and _nonempty(v["section"]) for v in value):
            fail("each source must be exactly {seed: '000', section: 'heading in that briefing'}")


def _check_quiz(value: Any, fail) -> None:
    if not isinstance(value, dict) or set(value) != {"scenario", "explanation", "distractors"}:
        fail("must be a mapping with exactly scenario, explanation and distractors")
        return
    if not (_nonempty(value["scenario"]) and _nonempty(value["explanation"])):
        fail("scenario and explanation must be non-empty text")
    distractors = value["distractors"]
    if not isinstance(distractors, list) or len(distractors) != 2:
        fail("distractors must be a list of exactly two {theme, explanation}")
        return
    for d in distractors:
        if not isinstance(d, dict) or set(d) != {"theme", "explanation"} or not _nonempty(d["explanation"]):
            fail("each distractor must be exactly {theme: <id>, explanation: <text>}")


def _check_cross_references(themes: dict[str, Theme], broken: set[str], problems: list[Problem]) -> None:
    """Aliases unique across themes; related and quiz ids name other themes. A reference to a
    theme whose own file is broken is not reported again: that file's problem says it all."""
    owner: dict[str, str] = {}
    for theme in themes.values():
        for name in (theme.title, *theme.aliases):
            key = normalise_name(name)
            other = owner.get(key)
            if other is not None and other != theme.id:
                problems.append(Problem(theme.path, "aliases", None, f"alias '{name}' is also used by theme '{other}'"))
            owner[key] = theme.id
        for ref in theme.related:
            if (ref not in themes and ref not in broken) or ref == theme.id:
                problems.append(Problem(theme.path, "related", None, f"'{ref}' is not another theme id"))
        for d in theme.quiz.distractors:
            if (d.theme not in themes and d.theme not in broken) or d.theme == theme.id:
                problems.append(Problem(theme.path, "quiz", None, f"distractor '{d.theme}' is not another theme id"))


def normalise_name(name: str) -> str:
    """Case- and punctuation-insensitive form of a title or alias, for uniqueness checks."""
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())


def _load_urgent(path: Path, problems: list[Problem]) -> UrgentText | None:
    if not path.exists():
        problems.append(Problem(str(path), None, None, "missing urgent.yaml (urgent safeguarding signposting)"))
        return None
    parsed = _read_yaml(path, problems)
    if parsed is None:
        return None
    data, lines = parsed
    if not isinstance(data, dict) or set(data) != URGENT_FIELDS:
        problems.append(Problem(str(path), None, None, "must have exactly the fields heading, body and footer"))
        return None
    for name in URGENT_FIELDS:
        if not _nonempty(data[name]):
            problems.append(Problem(str(path), name, lines.get(name), "must be non-empty text"))
            return None
        used = {f for _, f, _, _ in string.Formatter().parse(data[name]) if f}
        unknown = used - URGENT_PLACEHOLDERS
        if unknown:
            allowed = ", ".join(sorted(URGENT_PLACEHOLDERS))
            problems.append(
                Problem(str(path), name, lines.get(name), f"unknown placeholder {sorted(unknown)}; allowed: {allowed}")
            )
            return None
    for name, text in (("body", data["heading"] + data["body"]), ("footer", data["footer"])):
        if "999" not in text:
            problems.append(Problem(str(path), name, lines.get(name), "must tell people to call 999 in an emergency"))
            return None
    return UrgentText(
        heading=data["heading"].strip(), body=data["body"].strip(), footer=data["footer"].strip(), path=str(path)
    )


def _load_rotation(path: Path, themes: dict[str, Theme], problems: list[Problem]) -> tuple[str, ...]:
    if not path.exists():
        return ()
    parsed = _read_yaml(path, problems)
    if parsed is None:
        return ()
    data, lines = parsed
    order = data.get("order") if isinstance(data, dict) else None
    if not isinstance(order, list) or not all(isinstance(i, str) for i in order):
        problems.append(Problem(str(path), "order", lines.get("order"), "must be a list of theme ids"))
        return ()
    unknown = [i for i in order if i not in themes]
    if unknown:
        problems.append(Problem(str(path), "order", lines.get("order"), f"unknown theme ids: {', '.join(unknown)}"))
    return tuple(order)
