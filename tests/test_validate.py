"""Validation: every problem is reported at once, with file, line, field, message and hint."""

import pytest

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


BROKEN = [
    # (file text, code, line, field, words in the message, words in the hint)
    ("name: Omega\ncountry: FR\npopulaton: {value: 5}\n",
     "unknown-field", 3, "populaton", "unknown field 'populaton'", "did you mean 'population'?"),
    ("name: Omega\ncountry: France\n",
     "bad-format", 2, "country", "two-letter ISO 3166-1 country code", "use the code FR (France)"),
    ("name: Omega\ncountry: XX\n",
     "unknown-country", 2, "country", "'XX' is not an ISO 3166-1 alpha-2 country code", "ISO 3166-1"),
    ("name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n    scores: {a: '58'}\n",
     "wrong-type", 7, "editions[0].scores.a", "expected a whole number, found the text '58'", "without quotes"),
    ("name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n    scores: {a: 158}\n",
     "out-of-range", 7, "editions[0].scores.a", "must be at most 100", "0–100"),
    ("name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n    scores:\n      comitment: 58\n",
     "unknown-area", 8, "editions[0].scores.comitment", "'comitment' is not an area", "expected one of"),
    ("name: Omega\ncountry: FR\neditions:\n  - year: 2020\n    source: report\n",
     "unknown-source", 5, "editions[0].source", "the source 'report' is not defined", "sources"),
    ("name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n    areas:\n      a: {learn_from: [alpha/nothing]}\n",
     "unknown-practice", 8, "editions[0].areas.a.learn_from[0]", "no practice has the id 'alpha/nothing'", "<city file name>/<practice key>"),
    ("name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n    answers: {a_one: yes}\n",
     "unanswered-mandatory", 7, "editions[0].answers", "4 mandatory question(s) have no answer: a_two, b_one, l1_one, l2_one", "every mandatory question"),
    ("name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n    answers: {a_one: maybe, a_two: yes, b_one: yes, l1_one: yes, l2_one: yes}\n",
     "unknown-option", 7, "editions[0].answers.a_one", "'maybe' is not an answer option of 'a_one'", "yes, partly, no"),
    ("name: Omega\ncountry: FR\npopulation: {value: 250000, band: under-100k}\n",
     "band-mismatch", 3, "population.band", "does not hold the value 250000", "correct the value or the band"),
    ("name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n    published: 2020-02-30\n",
     "invalid-value", 7, "editions[0].published", "not a real date", ""),
    ("name: Omega\ncountry: FR\nname: Again\n",
     "duplicate-key", 3, "", "'name' appears twice in the same mapping (first on line 1)", "keep one"),
    ("name: Omega\ncountry: FR\neditions:\n\t- year: 2020\n",
     "tab-indent", 4, "", "indented with a tab", "spaces, not tabs"),
    ("",
     "empty-file", None, "", "the file is empty", "name: ..."),
    ("name: ''\ncountry: FR\n",
     "wrong-length", 1, "name", "must not be empty", ""),
    ("name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n    scores: {a: 85.0}\n",
     "wrong-type", 7, "editions[0].scores.a", "expected a whole number, found the number 85.0", "without decimals (85)"),
    ("name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2090\n    source: s\n",
     "future-edition", 5, "editions[0].year", "the edition year 2090 is in the future", ""),
    ("name: Omega\ncountry: FR\nsources: {s: {title: T}}\neditions:\n  - year: 2020\n    source: s\n    areas:\n      a: {learn_from: [omega/p, omega/p]}\npractices:\n  - {key: p, title: P, areas: [a], summary: S, status: page}\n",
     "duplicate-practice", 8, "editions[0].areas.a.learn_from[1]", "'omega/p' is listed twice", ""),
]


@pytest.mark.parametrize("text, code, line, field, message, hint", BROKEN, ids=[b[1] for b in BROKEN])
def test_broken_city_gives_an_actionable_problem(copy_network, text, code, line, field, message, hint):
    (copy_network / "cities" / "omega.yaml").write_text(text, encoding="utf-8")
    checked = run(copy_network)
    assert checked.network is None
    found = [p for p in checked.problems if p.code == code]
    assert found, [p.format() for p in checked.problems]
    problem = found[0]
    assert problem.file.endswith("omega.yaml")
    assert problem.line == line
    assert problem.field == field
    assert message in problem.message
    assert hint in problem.hint


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
    (copy_network / "cities" / "omega.yaml").write_text("name: Omega\ncountry: FR\npopulaton: {value: 5}\n", encoding="utf-8")
    text = run(copy_network).errors[0].format()
    assert text.startswith("omega.yaml:3:1: error [unknown-field] populaton:") or ("/omega.yaml:3:1: error [unknown-field] populaton:" in text)
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
        "    areas:\n      a: {learn_from: [psi/p]}\n", encoding="utf-8")
    (copy_network / "cities" / "psi.yaml").write_text(
        "name: Psi\ncountry: Spain\npractices:\n  - {key: p, title: P, areas: [a], summary: S, status: page}\n",
        encoding="utf-8")
    problems = run(copy_network).errors
    assert [(p.file.rsplit("/", 1)[-1], p.code) for p in problems] == [("psi.yaml", "bad-format")]


def test_problems_are_sorted_by_file_and_line(copy_network):
    (copy_network / "cities" / "omega.yaml").write_text("name: Omega\nfoo: 1\ncountry: France\nbar: 2\n", encoding="utf-8")
    lines = [p.line for p in run(copy_network).errors]
    assert lines == sorted(lines) and len(lines) == 3
