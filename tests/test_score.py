"""Scoring rules, checked against values worked out by hand and against Ansan's published figures."""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.load import load_yaml
from generator.model import City, Definition
from generator.score import area_points, publish, score_edition, weighted_mean

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "value, expected",
    [(85.5, 86), (84.5, 85), (85.49, 85), (85.8333, 86), (0.0, 0), (100.0, 100), (72.5, 73), (80.8333, 81)],
)
def test_publish_rounds_halves_up(value, expected):
    assert publish(value) == expected


@given(
    st.floats(min_value=-1000, max_value=1000, allow_nan=False)
    | st.integers(-2000, 2000).map(lambda n: n / 2)  # exact halves
    | st.integers(-2000, 2000).map(lambda n: n / 2 + st_nudge(n))
)  # just beside a half
def test_publish_fast_path_agrees_with_decimal_half_up(value):
    exact = int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert publish(value) == exact


def st_nudge(n: int) -> float:
    """A tiny offset, different for each n, that moves a half just below or above it."""
    return ((-1) ** n) * 1e-12 * (1 + n % 7)


def test_lens_of_ansan_reproduces_the_published_86():
    # Ansan 2020 report: education 95, neighbourhoods 88, public services 94, business 100,
    # cultural and social life 75, public space 63 -> published lens 86.
    mean = weighted_mean({"e": 95, "n": 88, "p": 94, "b": 100, "c": 75, "s": 63}, dict.fromkeys("enpbcs", 1.0))
    assert mean == pytest.approx(515 / 6)
    assert publish(mean) == 86


def test_ansan_edition_against_the_real_definition():
    definition = Definition.model_validate(load_yaml(ROOT / "generator/definitions/2019.yaml").value)
    ansan = City.model_validate(load_yaml(ROOT / "cities/ansan.yaml").value)
    result = score_edition(definition, "ansan", 0, ansan.editions[0])
    lens = result.scores["lens"]
    assert lens.published == 86 and lens.computed == pytest.approx(85.8333, abs=1e-3) and lens.agrees
    # anti-discrimination is not published, so the aggregate cannot be recomputed: shown as published
    assert result.scores["anti_discrimination"].value is None
    assert result.scores["aggregate"].computed is None
    assert result.scores["aggregate"].shown == 80 and result.scores["aggregate"].origin == "published"
    assert result.disagreements == []


def test_unanswered_optional_question_counts_neither_way(network):
    area = network.definition.area("a")
    # a_one partly (1 of 2) + a_two yes (4 of 4); a_three (not mandatory) unanswered
    points = area_points(area, {"a_one": "partly", "a_two": "yes"})
    assert (points.earned, points.available, points.answered, points.skipped) == (5, 6, 2, 1)
    assert points.score == pytest.approx(500 / 6)
    # answered "no", the same question lowers the score: 5 of 8
    assert area_points(area, {"a_one": "partly", "a_two": "yes", "a_three": "no"}).score == pytest.approx(62.5)


def test_area_without_answers_is_not_scored(network):
    assert area_points(network.definition.area("o"), {}).score is None


def test_alpha_scored_from_answers(scores):
    alpha = scores["alpha"][0]
    assert alpha.value("a") == pytest.approx(83.3333, abs=1e-3)
    assert alpha.value("b") == pytest.approx(80)
    assert alpha.value("l1") == pytest.approx(60)
    assert alpha.value("l2") == pytest.approx(100)
    assert alpha.value("lens") == pytest.approx(80)
    # (1 x 83.33 + 2 x 80 + 1 x 80) / 4; the optional area o (50) is left out
    assert alpha.value("aggregate") == pytest.approx(80.8333, abs=1e-3)
    assert alpha.scores["aggregate"].shown == 81
    assert alpha.value("o") == pytest.approx(50)
    assert alpha.scores["aggregate"].origin == "components"


def test_optional_area_enters_the_aggregate_when_the_definition_says_so(network):
    definition = network.definition.model_copy(update={"include_optional_in_aggregate": True})
    alpha = score_edition(definition, "alpha", 0, network.cities["alpha"].editions[0])
    # (83.33 + 160 + 80 + 50) / 5
    assert alpha.value("aggregate") == pytest.approx(74.6667, abs=1e-3)


def test_published_figures_win_and_disagreements_are_reported(scores):
    gamma = scores["gamma"][0]
    # a: published 90, answers give (0 + 4 + 0) / 8 = 50
    assert gamma.scores["a"].shown == 90 and gamma.scores["a"].computed == pytest.approx(50)
    # lens not published: computed from l1 100 and l2 0
    assert gamma.scores["lens"].origin == "components" and gamma.value("lens") == pytest.approx(50)
    # aggregate recomputed from the figures shown: (90 + 2 x 100 + 50) / 4 = 85, published 80
    assert gamma.scores["aggregate"].computed == pytest.approx(85)
    found = {(d.key, d.published, round(d.computed, 2)) for d in gamma.disagreements}
    assert found == {("a", 90, 50.0), ("aggregate", 80, 85.0)}


def test_missing_component_leaves_the_composite_uncomputed(scores):
    beta = scores["beta"][0]
    assert beta.scores["lens"].computed is None and beta.value("lens") == 90
    assert beta.scores["aggregate"].computed is None and beta.value("aggregate") == 70
    assert beta.value("b") is None


def test_answer_words_in_any_case_name_their_option(network):
    # YAML 1.1 would have turned these words into booleans; here they stay words and name options
    area = network.definition.area("a")
    assert area_points(area, {"a_one": "Yes", "a_two": "PARTLY", "a_three": " no "}).earned == 2 + 2 + 0
