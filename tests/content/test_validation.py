"""A broken content folder is refused with the file, the field and the line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import DEFAULT_CONTENT_DIR
from bot.content import ContentError, load_catalogue


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, target)
    return target


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_catalogue(folder)
    return [str(p) for p in caught.value.problems]


def test_bad_yaml_names_the_file_and_line(folder):
    path = folder / "themes" / "neglect.yaml"
    lines = path.read_text().splitlines()
    lines.insert(3, "oops: value: another")
    path.write_text("\n".join(lines))
    (problem,) = problems_of(folder)
    assert "neglect.yaml:" in problem and "invalid YAML" in problem
    line = int(problem.split("neglect.yaml:")[1].split(":")[0].split(" ")[0])
    assert 4 <= line <= 6


def test_unknown_field_is_named_with_its_line(folder):
    path = folder / "themes" / "neglect.yaml"
    path.write_text(path.read_text() + "\nsumary: typo\n")
    (problem,) = problems_of(folder)
    assert "neglect.yaml:" in problem and "[sumary]" in problem and "unknown field" in problem


def test_missing_and_empty_fields_are_named(folder):
    path = folder / "themes" / "neglect.yaml"
    text = path.read_text()
    import yaml

    data = yaml.safe_load(text)
    del data["prompt"]
    data["summary"] = "   "
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = problems_of(folder)
    assert any("[prompt]" in p and "missing required field" in p for p in problems)
    assert any("[summary]" in p and "non-empty" in p for p in problems)


def test_alias_shared_by_two_themes_is_refused(folder):
    import yaml

    path = folder / "themes" / "neglect.yaml"
    data = yaml.safe_load(path.read_text())
    data["aliases"].append("False compliance")
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = problems_of(folder)
    assert any("False compliance" in p and "disguised-compliance" in p for p in problems)


def test_duplicate_id_is_refused(folder):
    import yaml

    data = yaml.safe_load((folder / "themes" / "neglect.yaml").read_text())
    data["id"] = "neglect"
    (folder / "themes" / "neglect-copy.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    problems = problems_of(folder)
    assert any("neglect-copy.yaml" in p and "[id]" in p for p in problems)


def test_missing_folder_is_a_clear_error(tmp_path):
    assert any("not found" in p for p in problems_of(tmp_path / "nowhere"))


def test_unreadable_file_is_a_clear_error(folder):
    (folder / "themes" / "neglect.yaml").write_bytes(b"\xff\xfe\x00binary")
    assert any("neglect.yaml" in p and "cannot read" in p for p in problems_of(folder))


def test_urgent_text_must_keep_999_and_known_placeholders(folder):
    (folder / "urgent.yaml").write_text(
        "heading: Call someone\nbody: Ring {front_door_phone} or {mash}\nfooter: Call 999 in an emergency\n"
    )
    problems = problems_of(folder)
    assert any("urgent.yaml" in p and "mash" in p for p in problems)


def test_urgent_footer_must_name_999(folder):
    (folder / "urgent.yaml").write_text("heading: Call 999\nbody: Ring {front_door_phone}\nfooter: Ring us\n")
    assert any("urgent.yaml" in p and "footer" in p and "999" in p for p in problems_of(folder))


def test_urgent_signposting_without_a_footer_is_refused(folder):
    (folder / "urgent.yaml").write_text("heading: Call 999\nbody: Ring {front_door_phone}\n")
    assert any("urgent.yaml" in p and "footer" in p for p in problems_of(folder))


def test_an_organisation_can_add_a_local_theme(folder, monkeypatch, capsys):
    import yaml

    data = yaml.safe_load((folder / "themes" / "neglect.yaml").read_text())
    data.update(id="local-front-door", title="Our local front door", aliases=["our MASH process"])
    data["signals"] = ["how do I contact our front door team"]
    (folder / "themes" / "local-front-door.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setenv("SCRBOT_CONTENT_DIR", str(folder))
    assert main(["themes", "--json"]) == 0
    assert "local-front-door" in capsys.readouterr().out


def test_content_check_exits_non_zero_and_lists_problems(folder, capsys):
    (folder / "themes" / "neglect.yaml").write_text("id: neglect\n")
    assert main(["content", "check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "neglect.yaml" in err and "missing required field" in err


def test_content_check_passes_on_the_shipped_content(capsys):
    assert main(["content", "check"]) == 0
    assert "OK, " in capsys.readouterr().out
