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
     "bad-format", 2, "country", "two-letter ISO 3166-1 country code", "e.g. country: NO"),
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
     "yaml-syntax", 3, "", "'name' appears twice", "indentation"),
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
