"""Comparison rules on the hand-made network; every expected value is worked out in the comments."""

import pytest

from generator.compare import Rank, city_bands, compare_editions, compare_network, tie_key


@pytest.fixture(scope="module")
def comparisons(network, scores):
    return compare_network(network.definition, network.cities, scores)


def test_bands(network):
    d = network.definition
    alpha, beta = city_bands(d, network.cities["alpha"]), city_bands(d, network.cities["beta"])
    assert (alpha.population, alpha.foreign_born) == ("under-100k", "under-10")
    assert (beta.population, beta.foreign_born) == ("100k-200k", "10-15")
    # declared population band; a non-national share of 30 % is not a foreign-born share: no band
    delta = city_bands(d, network.cities["delta"])
    assert (delta.population, delta.population_basis) == ("under-100k", "declared")
    assert (delta.foreign_born, delta.foreign_born_basis) == (None, None)


def test_latest_edition_is_compared(comparisons):
    # delta's 2021 aggregate (80) counts, not its 2015 one (40)
    assert comparisons["delta"]["aggregate"].value == 80


def test_sample_means_leave_the_city_out(comparisons):
    alpha = comparisons["alpha"]["aggregate"]
    # others: beta 70, gamma 80, delta 80, epsilon 66.25 (its 2022 edition)
    assert alpha.sample.count == 4 and alpha.sample.mean == pytest.approx(296.25 / 4)
    beta = comparisons["beta"]["a"]
    # others with a value for area a: alpha 83.33 (answers), gamma 90 (published), epsilon 75
    assert beta.sample.count == 3 and beta.sample.mean == pytest.approx((250 / 3 + 90 + 75) / 3)


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
    # aggregates printed: alpha 81 (80.83), gamma 80, delta 80, beta 70, epsilon 66 (66.25)
    assert comparisons["alpha"]["aggregate"].rank == Rank(1, 5)
    assert comparisons["gamma"]["aggregate"].rank == Rank(2, 5)
    assert comparisons["delta"]["aggregate"].rank == Rank(2, 5)
    assert comparisons["beta"]["aggregate"].rank == Rank(4, 5)
    assert comparisons["epsilon"]["aggregate"].rank == Rank(5, 5)


def test_ranks_are_taken_on_the_printed_figure(comparisons):
    # area a: gamma 90, alpha 83.33 (printed 83), epsilon 75, beta 50; lens: beta 90, alpha 80,
    # epsilon 70, gamma 50. A computed 80.4 and a published 80 would share a rank: both print 80.
    from generator.compare import _Group

    group = _Group({"x": 80.4, "y": 80.0, "z": 79.5})
    assert group.rank(80.4) == group.rank(80.0) == Rank(1, 3)  # 79.5 prints 80 too (halves up)
    assert group.rank(79.5) == Rank(1, 3)
    assert comparisons["alpha"]["a"].rank == Rank(2, 4)


def test_the_tie_key_is_name_country_and_region():
    from generator.model import City

    a = City(name="Évora", country="PT")
    b = City(name="EVORA", country="ES", region="Alentejo")
    # accents and case aside, the names are equal: the country decides, before the region
    assert tie_key(a) == ("evora", "PT", "") and tie_key(b) == ("evora", "ES", "alentejo")
    assert tie_key(b) < tie_key(a)


def test_an_edition_is_compared_as_of_its_own_year(network, scores):
    by_edition = compare_editions(network.definition, network.cities, scores)
    # epsilon 2018: the sample of 2018 is delta's 2015 edition (aggregate 40) and epsilon 2018 (62.5)
    aggregate = by_edition[("epsilon", 2018)]["aggregate"]
    assert aggregate.value == pytest.approx(62.5) and aggregate.as_of == 2018
    assert aggregate.sample.count == 1 and aggregate.sample.mean == 40
    assert aggregate.rank is None  # two cities: too few to rank
    assert aggregate.scope.years == (2015, 2018) and aggregate.scope.versions == ("2016", None)
    assert aggregate.scope.mixed
    # epsilon 2016: delta 2015 (40) and epsilon 2016 (55)
    assert by_edition[("epsilon", 2016)]["aggregate"].sample.mean == 40
    # delta 2015 is compared with no one: no other edition is that old
    assert by_edition[("delta", 2015)]["aggregate"].sample.count == 0
    # the latest editions as of their year: gamma 2021 sees alpha 2020, beta 2019, delta 2021, epsilon 2018
    gamma = by_edition[("gamma", 2021)]["aggregate"]
    assert gamma.sample.count == 4 and gamma.sample.mean == pytest.approx((485 / 6 + 70 + 80 + 62.5) / 4)
    # and every edition of every city has its comparison
    assert len(by_edition) == sum(len(c.editions) for c in network.cities.values())


def test_optional_area_compared_only_among_cities_with_a_score(comparisons):
    # o: alpha 50, beta 70; gamma and delta did not answer
    gamma = comparisons["gamma"]["o"]
    assert gamma.value is None and gamma.rank is None
    assert gamma.sample.count == 2 and gamma.sample.mean == 60
    alpha = comparisons["alpha"]["o"]
    assert alpha.sample.count == 1 and alpha.sample.mean == 70 and alpha.rank is None


def test_percentile_counts_the_other_cities_strictly_below(comparisons):
    # aggregates printed: alpha 81, gamma 80, delta 80, beta 70, epsilon 66
    assert comparisons["alpha"]["aggregate"].percentile == 100  # 4 of 4 others below
    assert comparisons["gamma"]["aggregate"].percentile == 50  # beta and epsilon below; delta ties
    assert comparisons["beta"]["aggregate"].percentile == 25
    assert comparisons["epsilon"]["aggregate"].percentile == 0
    assert comparisons["alpha"]["o"].percentile is None  # two cities: none given


def test_tied_cities_keep_their_order_when_a_file_is_renamed(copy_network, tmp_path):
    # gamma and delta tie on the aggregate (both print 80). Renamed so that its file sorts
    # first, Gamma still comes after Delta: in the ranked rows every list, chart and data
    # file takes (listings.shared_data), and with the same rank.
    from conftest import ROOT

    from generator.charts import data_path
    from generator.listings import shared_data
    from generator.pipeline import Settings, analyse

    def aggregate_rows(cities):
        found = analyse(
            Settings(
                definition=copy_network / "definition.yaml",
                cities=cities,
                templates=ROOT / "site_templates",
                output=tmp_path / "out",
                cache=tmp_path / "cache",
            )
        )
        rows = shared_data(found.network, found.scores, found.comparisons)[data_path("aggregate")]
        return [(r["n"], r["r"], r["o"]) for r in rows]

    before = aggregate_rows(copy_network / "cities")
    (copy_network / "cities" / "gamma.yaml").rename(copy_network / "cities" / "a-gamma.yaml")
    after = aggregate_rows(copy_network / "cities")
    assert before == after == [("Alpha", 1, 0), ("Delta", 2, 1), ("Gamma", 2, 2), ("Beta", 4, 3), ("Epsilon", 5, 4)]
