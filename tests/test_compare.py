"""Comparison rules on the hand-made network; every expected value is worked out in the comments."""

import pytest

from generator.compare import Rank, city_bands, compare_network
from generator.load import load_inputs
from generator.score import score_network
from generator.validate import validate


@pytest.fixture(scope="module")
def network(network_dir):
    checked = validate(load_inputs(network_dir / "definition.yaml", network_dir / "cities"))
    assert checked.network is not None
    return checked.network


@pytest.fixture(scope="module")
def comparisons(network):
    return compare_network(network.definition, network.cities, score_network(network.definition, network.cities))


def test_bands(network):
    d = network.definition
    alpha, beta = city_bands(d, network.cities["alpha"]), city_bands(d, network.cities["beta"])
    assert (alpha.population, alpha.foreign_born) == ("under-100k", "under-10")
    assert (beta.population, beta.foreign_born) == ("100k-200k", "10-15")
    # declared population band; foreign-born band from the non-national share of 30 %
    delta = city_bands(d, network.cities["delta"])
    assert (delta.population, delta.population_basis) == ("under-100k", "declared")
    assert (delta.foreign_born, delta.foreign_born_basis) == ("over-20", "non-nationals")


def test_latest_edition_is_compared(comparisons):
    # delta's 2021 aggregate (80) counts, not its 2015 one (40)
    assert comparisons["delta"]["aggregate"].value == 80


def test_sample_means_leave_the_city_out(comparisons):
    alpha = comparisons["alpha"]["aggregate"]
    # others: beta 70, gamma 80, delta 80
    assert alpha.sample.count == 3 and alpha.sample.mean == pytest.approx(230 / 3)
    beta = comparisons["beta"]["a"]
    # others with a value for area a: alpha 83.33 (answers), gamma 90 (published)
    assert beta.sample.count == 2 and beta.sample.mean == pytest.approx((250 / 3 + 90) / 2)


def test_band_means_and_ranks(comparisons):
    alpha = comparisons["alpha"]["aggregate"]
    # under-100k: alpha 80.83, gamma 80, delta 80
    assert alpha.population_band.count == 2 and alpha.population_band.mean == pytest.approx(80)
    assert alpha.population_rank == Rank(1, 3)
    # no other city under 10 % foreign-born
    assert alpha.foreign_born_band.count == 0 and alpha.foreign_born_band.mean is None
    assert alpha.foreign_born_rank is None  # a group of one city: no rank
    gamma = comparisons["gamma"]["aggregate"]
    assert gamma.population_band.mean == pytest.approx((80 + 485 / 6) / 2)
    beta = comparisons["beta"]["aggregate"]
    # 10-15 %: beta 70 and gamma 80
    assert beta.foreign_born_band.count == 1 and beta.foreign_born_band.mean == 80
    assert beta.foreign_born_rank is None  # two cities: too few for a rank


def test_whole_sample_ranks_share_ties(comparisons):
    # aggregates: alpha 80.83, gamma 80, delta 80, beta 70
    assert comparisons["alpha"]["aggregate"].rank == Rank(1, 4)
    assert comparisons["gamma"]["aggregate"].rank == Rank(2, 4)
    assert comparisons["delta"]["aggregate"].rank == Rank(2, 4)
    assert comparisons["beta"]["aggregate"].rank == Rank(4, 4)


def test_optional_area_compared_only_among_cities_with_a_score(comparisons):
    # o: alpha 50, beta 70; gamma and delta did not answer
    gamma = comparisons["gamma"]["o"]
    assert gamma.value is None and gamma.rank is None
    assert gamma.sample.count == 2 and gamma.sample.mean == 60
    alpha = comparisons["alpha"]["o"]
    assert alpha.sample.count == 1 and alpha.sample.mean == 70 and alpha.rank is None


def test_percentile_counts_the_other_cities_strictly_below(comparisons):
    # aggregates: alpha 80.83, gamma 80, delta 80, beta 70
    assert comparisons["alpha"]["aggregate"].percentile == 100  # 3 of 3 others below
    assert comparisons["gamma"]["aggregate"].percentile == pytest.approx(100 / 3)  # only beta below; delta ties
    assert comparisons["beta"]["aggregate"].percentile == 0
    assert comparisons["alpha"]["o"].percentile is None  # two cities: none given
