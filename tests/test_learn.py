"""The "learn from" rules on a hand-made network whose right answers are worked out here."""

import pytest
from conftest import FIXTURES

from generator.compare import compare_network, entries
from generator.learn import advise
from generator.load import load_inputs
from generator.score import score_network
from generator.validate import validate


@pytest.fixture(scope="module")
def advice():
    checked = validate(load_inputs(FIXTURES / "network" / "definition.yaml", FIXTURES / "learning" / "cities"))
    assert checked.network is not None, [p.format() for p in checked.problems]
    n = checked.network
    scores = score_network(n.definition, n.cities)
    return advise(
        n.definition, n.cities, entries(n.definition, n.cities, scores), compare_network(n.definition, n.cities, scores)
    )


def test_needs_of_home(advice):
    found = {need.area: need.reasons for need, _ in advice["home"].needs}
    # a = 40: its population band (Near One 90, Near Two 60: mean 75) does better, and 40 <= 70 - 10
    # b = 72: its population band does better (Near One 95, Near Two 50: mean 72.5), and it is
    #   below the city sample of 80 in its report
    # o = 30: 40 points below its aggregate of 70
    # l1 = 75, l2 = 65: neither below a report sample nor 10 below the aggregate; no band data
    assert found == {"a": ("band", "weak spot"), "b": ("band", "report"), "o": ("weak spot",)}


def test_practices_for_home(advice):
    got = {
        need.area: [(s.practice, s.named_in_report, s.peer) for s in suggestions]
        for need, suggestions in advice["home"].needs
    }
    assert got == {
        # named in Home's report first; then peers better on a, the better first (Near One 90, Near Two 60);
        # Far (100, not a peer) would come fourth and is cut; Home's own practice never appears
        "a": [("away/named-practice", True, False), ("near1/p-a", False, True), ("near2/p-a", False, True)],
        # Near Two scores 50 on b, below Home's 72: not recommended
        "b": [("near1/p-b", False, True)],
        # Far (90, not a peer), then a practice from a city with no score on o (Away), as places remain
        "o": [("far/p-o", False, False), ("away/o-practice", False, False)],
    }


def test_reasons_are_one_line(advice):
    a = dict((need.area, s) for need, s in advice["home"].needs)["a"]
    assert a[0].reason == "Named in Home's report for this area"
    assert a[1].reason == "Near One scores 90 on this area, 50 points more; a city of the same band"
    assert a[1].score == 90


def test_a_practice_from_a_city_without_a_score_says_so(advice):
    o = dict((need.area, s) for need, s in advice["home"].needs)["o"]
    assert o[1].score is None
    assert o[1].reason == "A practice filed under this area; Away has no score on it on this site"


def test_a_city_at_the_top_needs_nothing(advice):
    # Far has no aggregate and no report sample, and no band holds two other cities
    assert advice["far"].needs == []
