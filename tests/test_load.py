"""Strict YAML loading: values keep the type their author wrote, and every value keeps its line."""

from pathlib import Path

import pytest

from generator.load import Mark, YamlError, load_inputs, load_yaml, parse_yaml

ROOT = Path(__file__).resolve().parent.parent


def parse(text):
    return parse_yaml(text, Path("cities/test.yaml"))


def error_of(text) -> YamlError:
    """The error reading ``text`` raises."""
    with pytest.raises(YamlError) as info:
        parse(text)
    return info.value


def test_norway_stays_a_country_code():
    # YAML 1.1 reads Norway's code NO as the boolean false
    assert parse("country: NO\n").value == {"country": "NO"}
    assert load_yaml(ROOT / "cities/oslo.yaml").value["country"] == "NO"


def test_answer_words_stay_as_written():
    # yes / No / off / [Yes, No, Partly] are not booleans
    doc = parse("a: yes\nb: No\nc: off\nd: [Yes, No, Partly]\ne: y\n")
    assert doc.value == {"a": "yes", "b": "No", "c": "off", "d": ["Yes", "No", "Partly"], "e": "y"}


def test_only_lowercase_true_false_are_booleans():
    assert parse("a: true\nb: false\nc: True\n").value == {"a": True, "b": False, "c": "True"}


def test_leading_zero_codes_stay_text():
    # 0301 is not octal 193; 08001 is not a number
    assert parse("m: 0301\np: 08001\n").value == {"m": "0301", "p": "08001"}


def test_dates_stay_iso_text():
    # an unquoted date is not turned into a date object
    assert parse("published: 2020-08-27\n").value == {"published": "2020-08-27"}


def test_numbers():
    assert parse("a: 12\nb: 11.9\nc: -3\nd: 1e3\n").value == {"a": 12, "b": 11.9, "c": -3, "d": 1000.0}


def test_empty_and_null():
    assert parse("a:\nb: ~\nc: null\n").value == {"a": None, "b": None, "c": None}


def test_every_value_keeps_its_line_and_column():
    doc = parse("name: X\neditions:\n  - year: 2020\n    scores:\n      commitment: 58\n")
    assert doc.mark(("editions", 0, "scores", "commitment")) == Mark(5, 19)
    assert doc.mark(("name",)).line == 1
    # a location without a value of its own points at its nearest parent
    assert doc.mark(("editions", 0, "scores", "language")).line == 5


def test_duplicate_key_is_an_error_with_its_line():
    error = error_of("name: A\ncountry: FR\nname: B\n")
    assert (error.line, error.column) == (3, 1)
    assert "'name' appears twice" in error.message


def test_malformed_yaml_names_file_and_line():
    error = error_of("name: A\neditions:\n  - year: 2020\n   source: x\n")
    assert error.line == 4
    assert str(error).startswith("cities/test.yaml:4:")


def test_non_utf8_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes("name: Z\u00fcrich\n".encode("latin-1"))
    with pytest.raises(YamlError, match="not valid UTF-8"):
        load_yaml(bad)


def test_text_is_unicode_normal_form_c():
    decomposed = "Zu\u0308rich"  # u + combining diaeresis, as some systems write it
    assert parse(f"name: {decomposed}\n").value == {"name": "Z\u00fcrich"}


def test_positions_are_read_only_when_asked_for():
    # a valid file never needs them; they are found again from the text when a finding does
    doc = parse("name: Oslo\nscores:\n  commitment: 80\n  extra: 1\n")
    assert "_positions" not in doc.__dict__
    assert doc.key_mark(("scores", "extra")) == Mark(4, 3)
    assert doc.mark(("scores", "commitment")) == Mark(3, 15)
    assert doc.mark(("scores", "nothing", 3)) == Mark(3, 3)  # the nearest enclosing value
    assert "_positions" in doc.__dict__


# Each plain scalar with the type the module's rules give it (YAML 1.2 core, lower-case
# booleans and null only, decimal integers without leading zeros).
RESOLVED = {
    "": None,
    "~": None,
    "null": None,
    "Null": "Null",
    "NULL": "NULL",
    "nil": "nil",
    "true": True,
    "false": False,
    "True": "True",
    "on": "on",
    "0": 0,
    "-0": 0,
    "+7": 7,
    "12": 12,
    "0301": "0301",
    "1_000": "1_000",
    "0x1F": "0x1F",
    "0o17": "0o17",
    "1.5": 1.5,
    ".5": 0.5,
    "-.5": -0.5,
    "1.": 1.0,
    "1e3": 1000.0,
    "2.5E-1": 0.25,
    ".": ".",
    "+": "+",
    "1.2.3": "1.2.3",
    ".inf": ".inf",
    ".nan": ".nan",
    "1e": "1e",
    "2020-08-27": "2020-08-27",
    "12:30": "12:30",
    "-- x": "-- x",
}


@pytest.mark.parametrize("written", list(RESOLVED))
def test_plain_scalars_resolve_by_the_strict_rules(written):
    value = parse(f"a: {written}\n" if written else "a:\n").value["a"]
    assert value == RESOLVED[written] and type(value) is type(RESOLVED[written])
    # quoted, every one of them stays text
    assert parse(f"a: '{written}'\n").value["a"] == written


def test_every_city_file_is_read_and_every_broken_one_reported_in_file_order(tmp_path):
    cities = tmp_path / "cities"
    cities.mkdir()
    for i in range(9):
        (cities / f"city-{i}.yaml").write_text(
            f"name: City {i}\ncountry: NO\npopulation:\n  value: {1000 + i}\n", encoding="utf-8"
        )
    (cities / "city-3.yaml").write_text("name: Three\nname: Again\n", encoding="utf-8")  # duplicate key, line 2
    (cities / "city-6.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    loaded = load_inputs(ROOT / "generator/definitions/2019.yaml", cities)
    assert list(loaded.cities) == [f"city-{i}" for i in range(9) if i not in (3, 6)]
    assert loaded.cities["city-4"].value == {"name": "City 4", "country": "NO", "population": {"value": 1004}}
    assert loaded.cities["city-4"].mark(("population", "value")) == Mark(4, 10)
    assert [(e.file.name, e.line, e.code) for e in loaded.errors] == [
        ("city-3.yaml", 2, "duplicate-key"),
        ("city-6.yaml", 2, "yaml-syntax"),
    ]


@pytest.mark.parametrize(
    "text, line, column",
    [
        ("name: &x [*x]\n", 1, 7),  # refers to itself: would never end
        ("a: &a [1, 2]\nb: [*a, *a, *a]\n", 1, 4),  # repeats a list (nested, a few lines can make gigabytes)
        ("x: &s hello\ny: *s\n", 1, 4),
    ],
)
def test_anchors_and_aliases_are_an_error_at_the_anchored_value(text, line, column):
    error = error_of(text)
    assert (error.line, error.column, error.code) == (line, column, "unsupported-yaml")


def test_a_control_character_is_reported_at_its_line():
    error = error_of("name: Bilbao\noverview: one\x0btwo\n")  # (a soft line break pasted from a word processor)
    assert (error.line, error.column) == (2, 14)
    assert "U+000B" in error.message


def test_a_quote_never_closed_names_the_line_it_opens_on():
    error = error_of('name: Bilbao\noverview: "never closed\nmore: 1\nlast: 2\n')
    assert error.line == 5  # where the file ends, still inside the quote
    assert "starts on line 2" in error.message


def test_every_file_in_the_city_folder_is_a_city_or_reported(tmp_path):
    """Shadowed files, links out of the project, dangling links and stray files are errors
    naming the file; a hint never suggests a name that is taken."""
    from generator.validate import validate

    project = tmp_path / "project"
    cities = project / "cities"
    cities.mkdir(parents=True)
    oslo = (ROOT / "cities" / "oslo.yaml").read_text(encoding="utf-8")
    for name in ("oslo.yaml", "oslo.yml", "bergen.yaml", "OSLO.yaml", "zurich.yaml", "Zürich.yaml"):
        (cities / name).write_text(oslo, encoding="utf-8")
    (cities / "bergen.YAML").write_text("name: [broken\n", encoding="utf-8")
    (cities / "README.md").write_text("notes\n", encoding="utf-8")
    (tmp_path / "elsewhere.yaml").write_text(oslo, encoding="utf-8")
    (cities / "outside.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (cities / "dangling.yaml").symlink_to(cities / "no-such-file.yaml")
    (project / "shared").mkdir()
    (project / "shared" / "inside.yaml").write_text(oslo, encoding="utf-8")
    (cities / "inside.yaml").symlink_to(project / "shared" / "inside.yaml")
    (cities / ".gitkeep").write_text("", encoding="utf-8")

    inputs = load_inputs(ROOT / "generator/definitions/2019.yaml", cities)
    assert sorted(inputs.city_files) == ["OSLO", "Zürich", "bergen", "inside", "oslo", "zurich"]
    assert inputs.city_files["bergen"].name == "bergen.YAML"  # (the first by name; the other is reported)
    problems = validate(inputs).problems
    by_file: dict[str, list[tuple[str, str, str]]] = {}
    for p in problems:
        if p.code not in ("published-differs",) and p.field == "":
            by_file.setdefault(Path(p.file).name, []).append((p.code, p.message, p.hint))
    assert [c for c, _, _ in by_file["bergen.yaml"]] == ["same-city-id"]
    assert (
        by_file["bergen.yaml"][0][1]
        == "bergen.YAML and bergen.yaml would both be the city 'bergen'; bergen.yaml is not read"
    )
    assert [c for c, _, _ in by_file["oslo.yml"]] == ["same-city-id"]
    assert [c for c, _, _ in by_file["outside.yaml"]] == ["link-outside"]
    assert [c for c, _, _ in by_file["dangling.yaml"]] == ["broken-link"]
    assert [c for c, _, _ in by_file["README.md"]] == ["not-a-city-file"]
    assert ".gitkeep" not in by_file and "inside.yaml" not in by_file  # (hidden; a link inside the project)
    # every visible file is read as a city or named in a problem
    named = {f.name for f in inputs.city_files.values()} | set(by_file)
    assert named == {p.name for p in cities.iterdir() if not p.name.startswith(".")}
    # the rename hints of badly named files never suggest a taken name
    hints = {name: hint for name, found in by_file.items() for code, _, hint in found if code == "bad-file-name"}
    assert hints["OSLO.yaml"] == "oslo.yaml is taken: merge the two files, or give this one another name"
    assert hints["Zürich.yaml"] == "zurich.yaml is taken: merge the two files, or give this one another name"
    assert "bergen.yaml is taken" in hints["bergen.YAML"]
