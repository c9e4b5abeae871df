"""Validation: every problem is reported at once, with file, line, field, message and hint."""

import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

from generator.load import load_inputs
from generator.validate import validate


def run(folder):
    return validate(load_inputs(folder / "definition.yaml", folder / "cities"))


def test_the_hand_made_network_is_valid(network_dir):
    checked = run(network_dir)
    assert checked.problems == [] and checked.network is not None


def test_the_real_data_is_valid():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    checked = validate(load_inputs(root / "generator/definitions/2019.yaml", root / "cities"))
    assert [p.format() for p in checked.errors] == []


BROKEN = FIXTURES / "broken"


def icc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=ROOT, capture_output=True, text=True)


def test_icc_validate_prints_the_expected_record_for_every_broken_file():
    """One broken file per rule in tests/fixtures/broken/cities; expected.txt holds the exact report."""
    result = icc(
        "--cities", "tests/fixtures/broken/cities", "--definition", "tests/fixtures/network/definition.yaml", "validate"
    )
    assert result.returncode == 1
    assert result.stdout == (BROKEN / "expected.txt").read_text(encoding="utf-8")
    # every file of the folder is named in the report
    named = {line.split(":")[0].rsplit("/", 1)[-1] for line in result.stdout.splitlines() if "error [" in line}
    assert named == {p.name for p in (BROKEN / "cities").iterdir()}


def test_icc_validate_json_gives_records():
    result = icc(
        "--cities",
        "tests/fixtures/broken/cities",
        "--definition",
        "tests/fixtures/network/definition.yaml",
        "validate",
        "--json",
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == len(report["problems"]) == len(list((BROKEN / "cities").iterdir()))
    record = next(p for p in report["problems"] if p["code"] == "out-of-range")
    assert record == {
        "code": "out-of-range",
        "severity": "error",
        "file": str(ROOT / "tests/fixtures/broken/cities/score-out-of-range.yaml"),
        "line": 7,
        "column": 17,
        "city": "score-out-of-range",
        "field": "editions[0].scores.a",
        "message": "must be at most 100, found the number 158",
        "hint": "scores are points on the 0–100 scale",
    }


def test_icc_validate_passes_on_the_real_data():
    result = icc("validate", "--json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    # the only warnings: city text not yet written in French (one per city file, naming the
    # fields); the definition has its French and the French catalog is complete
    assert report["errors"] == 0
    assert {p["code"] for p in report["problems"]} <= {"fr-missing"}
    assert not [p for p in report["problems"] if p["city"] is None]
    assert len({p["file"] for p in report["problems"]}) == len(report["problems"])


def test_all_problems_are_reported_in_one_run(copy_network):
    (copy_network / "cities" / "omega.yaml").write_text("name: Omega\ncountry: France\nfoo: 1\n", encoding="utf-8")
    (copy_network / "cities" / "psi.yaml").write_text("name: Psi\ncountry: [FR]\n", encoding="utf-8")
    (copy_network / "cities" / "Bad Name.yaml").write_text("name: X\ncountry: FR\n", encoding="utf-8")
    checked = run(copy_network)
    codes = sorted((p.file.rsplit("/", 1)[-1], p.code) for p in checked.errors)
    assert codes == [
        ("Bad Name.yaml", "bad-file-name"),
        ("omega.yaml", "bad-format"),
        ("omega.yaml", "unknown-field"),
        ("psi.yaml", "wrong-type"),
    ]


def test_problem_format_names_file_line_field_and_hint(copy_network):
    (copy_network / "cities" / "omega.yaml").write_text(
        "name: Omega\ncountry: FR\npopulaton: {value: 5}\n", encoding="utf-8"
    )
    text = run(copy_network).errors[0].format()
    assert text.startswith("omega.yaml:3:1: error [unknown-field] populaton:") or (
        "/omega.yaml:3:1: error [unknown-field] populaton:" in text
    )
    assert "\n    hint: did you mean 'population'?" in text


def test_an_upper_case_extension_is_reported(copy_network):
    (copy_network / "cities" / "omega.YAML").write_text("name: Omega\ncountry: FR\n", encoding="utf-8")
    problem = next(p for p in run(copy_network).errors if p.code == "bad-file-name")
    assert problem.message == "city files must end in .yaml (lower case)"
    assert problem.hint == "rename it to omega.yaml"


def test_a_file_name_with_spaces_gets_a_suggested_name(copy_network):
    (copy_network / "cities" / "New Zürich.yaml").write_text("name: X\ncountry: FR\n", encoding="utf-8")
    problem = next(p for p in run(copy_network).errors if p.code == "bad-file-name")
    assert problem.hint == "rename it to new-zurich.yaml"


def test_an_error_in_one_file_does_not_cause_false_errors_in_another(copy_network):
    # omega recommends a practice of psi; psi has an error of its own
    (copy_network / "cities" / "omega.yaml").write_text(
        "name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n"
        "    areas:\n      a: {learn_from: [psi/p]}\n",
        encoding="utf-8",
    )
    (copy_network / "cities" / "psi.yaml").write_text(
        "name: Psi\ncountry: Spain\npractices:\n  - {key: p, title: P, areas: [a], summary: S, status: page}\n",
        encoding="utf-8",
    )
    problems = run(copy_network).errors
    assert [(p.file.rsplit("/", 1)[-1], p.code) for p in problems] == [("psi.yaml", "bad-format")]


def test_problems_are_sorted_by_file_and_line(copy_network):
    (copy_network / "cities" / "omega.yaml").write_text(
        "name: Omega\nfoo: 1\ncountry: France\nbar: 2\n", encoding="utf-8"
    )
    lines = [p.line for p in run(copy_network).errors]
    assert lines == sorted(lines) and len(lines) == 3


def test_warnings_for_dubious_but_possible_data(copy_network):
    (copy_network / "cities" / "omega.yaml").write_text(
        "name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n"
        "    published: '2019-05'\n    areas:\n      b: {learn_from: [psi/p]}\n",
        encoding="utf-8",
    )
    (copy_network / "cities" / "psi.yaml").write_text(
        "name: Psi\ncountry: FR\npractices:\n  - {key: p, title: P, areas: [a], summary: S, status: page}\n",
        encoding="utf-8",
    )
    checked = run(copy_network)
    assert checked.errors == [] and checked.network is not None
    found = {(p.code, p.line, p.message) for p in checked.warnings}
    assert found == {
        ("early-publication", 7, "published in 2019, before the edition's year 2020"),
        ("practice-elsewhere", 9, "'psi/p' is filed under a, not under b"),
    }


def test_a_link_to_a_page_of_the_site_in_text_is_an_error_at_its_line(copy_network):
    omega = copy_network / "cities" / "omega.yaml"
    omega.write_text(
        "name: Omega\ncountry: FR\n"
        "overview: Read [the Oslo page](../cities/oslo.md) and [the report](https://example.org/r.pdf).\n"
        "facts:\n  - {label: Note, value: 'see [below](#sources) or [mail](mailto:a@b.org)'}\n"
        "  - {label: Plain, value: '[a](../b.md)'}\n",
        encoding="utf-8",
    )
    problems = [p for p in run(copy_network).errors if p.code == "site-link"]
    # the anchor, the full address and mailto are fine; a fact is plain text, shown as written
    assert len(problems) == 1
    p = problems[0]
    assert (p.file.endswith("omega.yaml"), p.line, p.field) == (True, 3, "overview")
    assert "../cities/oslo.md" in p.message and "https://" in p.hint


def test_a_link_written_with_an_escape_is_found_too(copy_network):
    # (files without "](" in their text are not walked: an escape is the other way to write one)
    omega = copy_network / "cities" / "omega.yaml"
    omega.write_text(
        'name: Omega\ncountry: FR\noverview: "Read [the Oslo page]\\u0028../cities/oslo.md)."\n', encoding="utf-8"
    )
    problems = [p for p in run(copy_network).errors if p.code == "site-link"]
    assert [(p.line, p.field) for p in problems] == [(3, "overview")]
    assert "../cities/oslo.md" in problems[0].message


@pytest.mark.parametrize("count", ["-2", "0", "many"])
def test_icc_synth_refuses_a_count_below_one(count, tmp_path):
    result = icc("synth", "--cities", count, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert f"expected a whole number of at least 1, found '{count}'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_error_about_a_huge_value_quotes_a_short_marked_excerpt(tmp_path):
    """A 5 MB overview made of "[a](" repeated: one error, in a line of a few hundred characters."""
    cities = tmp_path / "cities"
    cities.mkdir()
    text = (ROOT / "cities" / "oslo.yaml").read_text(encoding="utf-8")
    (cities / "oslo.yaml").write_text(
        text.replace("name: Oslo\n", 'name: Oslo\noverview: "' + "[a](" * 1_300_000 + '"\n', 1), encoding="utf-8"
    )
    result = icc("--cities", str(cities), "validate")
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert "/oslo.yaml:2:11: error [site-link] overview: the text links to '[a]([a](" in first
    assert "… (5,199,996 characters in all)', an address on this site" in first and len(first) < 300
    assert len(result.stdout) < 1000


def test_the_same_city_twice_is_an_error_naming_the_first_file(copy_network):
    # a copied file: same name, country and region as alpha.yaml (lists order ties by these three)
    (copy_network / "cities" / "alpha-copy.yaml").write_text(
        "name: Alpha\ncountry: FR\nsources:\n  test: {title: Test source}\n", encoding="utf-8"
    )
    problems = [p for p in run(copy_network).errors if p.code == "same-city"]
    assert len(problems) == 1
    p = problems[0]  # on the later file (in file-name order), naming the first
    assert (p.file.rsplit("/", 1)[-1], p.line, p.field) == ("alpha-copy.yaml", 1, "name")
    assert p.message == "'Alpha' (FR) is already the city of alpha.yaml: the same name, country and region"
    # a region tells two cities of the same name apart
    (copy_network / "cities" / "alpha-copy.yaml").write_text(
        "name: Alpha\ncountry: FR\nregion: Elsewhere\n", encoding="utf-8"
    )
    assert not [p for p in run(copy_network).errors if p.code == "same-city"]


def test_questionnaire_versions_are_checked_where_they_are_written(copy_network):
    (copy_network / "cities" / "omega.yaml").write_text(
        "name: Omega\ncountry: FR\nsources:\n  test: {title: Test source}\neditions:\n"
        "  - year: 2017\n    questionnaire: '2030'\n    source: test\n"
        "  - year: 2018\n    questionnaire_inferred: true\n    source: test\n",
        encoding="utf-8",
    )
    problems = {p.code: p for p in run(copy_network).errors if p.file.endswith("omega.yaml")}
    later = problems["later-questionnaire"]
    assert (later.line, later.field) == (7, "editions[0].questionnaire")
    assert later.message == "the 2030 questionnaire came after the edition's year 2017"
    inferred = problems["inferred-without-version"]
    assert (inferred.line, inferred.field) == (10, "editions[1].questionnaire_inferred")


def test_an_immigrant_background_band_is_checked_like_the_others(copy_network):
    (copy_network / "cities" / "omega.yaml").write_text(
        "name: Omega\ncountry: FR\nimmigrant_background: {band: bogus}\n", encoding="utf-8"
    )
    (problem,) = [p for p in run(copy_network).errors if p.code == "unknown-band"]
    assert (problem.line, problem.field) == (3, "immigrant_background.band")


def test_a_synthetic_network_validates(tmp_path):
    """``icc synth`` (the benchmark's cities) gives valid files: no edition answers a
    questionnaire published after its year (the first version is 2011's, so editions start
    in 2011)."""
    out = tmp_path / "cities"
    assert icc("synth", "--cities", "300", "--out", str(out)).returncode == 0
    result = icc("--cities", str(out), "validate")
    assert result.returncode == 0, result.stdout[:2000]
    assert "300 city files are valid" in result.stdout
