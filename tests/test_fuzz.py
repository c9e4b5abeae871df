"""Thousands of random and mutated city files: each ends in a valid record or in problem records, never a traceback."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import Inputs, YamlError, load_yaml, parse_yaml
from generator.problems import Problem
from generator.validate import validate

DEFINITION = load_yaml(ROOT / "generator" / "definitions" / "2019.yaml")
REAL = sorted((ROOT / "cities").glob("*.yaml"))
REAL_TEXTS = [p.read_text(encoding="utf-8") for p in REAL]
FILE = Path("cities/fuzz.yaml")


def check(text: str):
    """Parse and validate one city file on its own; only records may come out."""
    errors: list[YamlError] = []
    cities = {}
    try:
        cities["fuzz"] = parse_yaml(text, FILE)
    except YamlError as exc:
        errors.append(exc)
    result = validate(Inputs(DEFINITION, cities, errors, {"fuzz": FILE}))
    assert all(isinstance(p, Problem) for p in result.problems)
    assert (result.network is None) == any(p.severity == "error" for p in result.problems)
    for problem in result.problems:
        assert problem.message and problem.code
        if problem.file == str(FILE) and problem.line is not None:
            # YAML counts \r, NEL (\x85) and the Unicode line separators as line breaks too
            assert 1 <= problem.line <= len(text.splitlines()) + 2
    return result


MUTATIONS = st.sampled_from(["delete", "insert", "duplicate", "swap", "indent", "dedent", "retype"])
NOISE = st.text(
    alphabet=st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \t\n0123456789aZ\u00fc\uc548\u0416<")), min_size=1, max_size=8
)


@st.composite
def mutated(draw) -> str:
    """A real city file with a few random edits: characters, lines, indentation, scalar types."""
    lines = draw(st.sampled_from(REAL_TEXTS)).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(MUTATIONS)
        if kind == "delete":
            del lines[i]
        elif kind == "insert":
            line = lines[i]
            j = draw(st.integers(0, len(line)))
            lines[i] = line[:j] + draw(NOISE) + line[j:]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            k = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[k] = lines[k], lines[i]
        elif kind == "indent":
            lines[i] = "  " + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i][2:]
        elif kind == "retype" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            odd = ["yes", "NO", "0301", "2020-13-45", "1e9", "-1", "~", "[]", "{}", "true", ".inf"]
            lines[i] = f"{key}: {draw(st.sampled_from(odd))}"
    return "\n".join(lines) + "\n"


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=True), st.text(max_size=12)
)
KEYS = st.sampled_from(
    [
        "name",
        "country",
        "population",
        "value",
        "band",
        "editions",
        "year",
        "source",
        "scores",
        "sample",
        "answers",
        "areas",
        "learn_from",
        "practices",
        "key",
        "areas",
        "status",
        "sources",
        "title",
        "foreign_born",
        "percent",
        "aggregate",
        "commitment",
        "lens",
        "x",
    ]
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=5)),
    max_leaves=25,
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_real_files(text):
    check(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, TREES, max_size=8))
def test_random_structures(tree):
    check(yaml.safe_dump(tree, allow_unicode=True))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_random_text(text):
    check(text)


def test_the_harness_accepts_a_valid_file_and_rejects_a_broken_one():
    good = (ROOT / "cities" / "oslo.yaml").read_text(encoding="utf-8")
    assert check(good).problems == [] and check(good).network is not None
    bad = check(good.replace("aggregate: 85", "aggregate: 850"))
    assert bad.network is None and [p.code for p in bad.problems] == ["out-of-range"]
