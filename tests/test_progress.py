"""Progress rules on the hand-made network; every expected value is worked out in the comments
(and in ``fixtures/network/cities/epsilon.yaml``)."""

import pytest

from generator.progress import network_changes, network_years


@pytest.fixture(scope="module")
def changes(network, scores):
    return network_changes(network.definition, network.cities, scores)


def test_change_between_editions_of_the_same_questionnaire(changes):
    # epsilon 2022 (index 2) against 2018, both the 2016 questionnaire
    c = changes["epsilon"][2]
    # aggregate: printed 66 (66.25) against printed 63 (62.5): +3, not the unrounded +3.75
    assert (c["aggregate"].previous, c["aggregate"].current, c["aggregate"].delta) == (63, 66, 3)
    assert c["aggregate"].previous_year == 2018 and c["aggregate"].direction == "up"
    assert {k: c[k].delta for k in ("a", "b", "lens", "l1", "l2")} == {"a": 5, "b": 0, "lens": 10, "l1": 10, "l2": 10}
    assert c["b"].direction == "unchanged"
    # o: neither edition has it
    assert c["o"].delta is None and c["o"].reason == "not published in 2018"


def test_no_plain_difference_across_questionnaire_versions(changes):
    # epsilon 2018 (2016 questionnaire) against 2016 (2011 questionnaire)
    c = changes["epsilon"][1]
    assert c["aggregate"].previous == 55 and c["aggregate"].current == 63
    assert c["aggregate"].delta is None and c["aggregate"].direction is None
    assert c["aggregate"].reason == (
        "the 2016 edition answered the 2011 questionnaire and the 2018 edition the 2016 questionnaire"
    )
    # the first edition has no change
    assert 0 not in changes["epsilon"]


def test_no_plain_difference_when_a_version_is_not_recorded(changes):
    # delta: 2015 (40) and 2021 (80), neither records its questionnaire
    c = changes["delta"][1]["aggregate"]
    assert (c.previous, c.current, c.delta) == (40, 80, None)
    assert c.reason == "the questionnaire versions of the 2015 and 2021 editions are not recorded"
    # cities with one edition have no changes
    assert changes["alpha"] == {} and changes["beta"] == {}


def test_the_network_by_year(network, scores):
    rows = {r.year: r for r in network_years(network.definition, network.cities, scores)}
    assert sorted(rows) == [2015, 2016, 2018, 2019, 2020, 2021, 2022]
    # editions made each year, their versions and mean aggregate
    assert (rows[2021].editions, rows[2021].versions) == (2, (("2019", 1), ("not recorded", 1)))  # gamma, delta
    assert rows[2021].mean == 80 and rows[2021].with_aggregate == 2
    assert rows[2018].mean == 62.5 and rows[2016].versions == (("2011", 1),)
    # the sample as of each year: every city's latest edition of that year or before
    assert (rows[2015].sample, rows[2015].sample_mean) == (1, 40)  # delta 2015
    assert (rows[2016].sample, rows[2016].sample_mean) == (2, 47.5)  # delta 40, epsilon 55
    assert (rows[2018].sample, rows[2018].sample_mean) == (2, 51.25)  # delta 40, epsilon 62.5
    assert rows[2019].sample_mean == pytest.approx((40 + 62.5 + 70) / 3)  # + beta 70
    # 2021: alpha 80.83, beta 70, delta 80 (its 2021 edition), epsilon 62.5, gamma 80
    assert rows[2021].sample == 5 and rows[2021].sample_mean == pytest.approx((485 / 6 + 70 + 80 + 62.5 + 80) / 5)
    assert rows[2022].sample_mean == pytest.approx((485 / 6 + 70 + 80 + 66.25 + 80) / 5)
    assert rows[2022].sample_versions == (("2016", 1), ("2019", 2), ("not recorded", 2))
