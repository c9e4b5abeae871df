"""Comparison: each city's latest edition against the other cities, overall and by band.

Rules:

* **Sample** = the latest edition of every *other* city that has a value for the figure;
  the city itself is left out of the mean it is compared with, as in the reports, which
  compare a city with the other cities of the index. Optional areas are thereby compared
  only among cities that have a score for them.
* **Bands**: a city's population band follows from its number of inhabitants or, when no
  number is published, is the band a source places it in. Its foreign-born band follows
  from its share of foreign-born residents and, where none is published, from its share
  of non-nationals (the reports' band charts are labelled "non-nationals/foreign-born").
  Lower band limits are included, upper limits are not.
* **Mean** = arithmetic mean of the other cities' values, stated with the number of
  cities behind it.
* **Rank** = 1 + the number of cities in the group (the city included) with a strictly
  higher value, so equal values share a rank. A rank is given only in a group of at
  least three cities with a value; in a smaller group it says nothing.
* **Percentile** = the share of the other cities with a value whose value is strictly
  lower than the city's, in percent of those other cities (0 to 100). Given, like a rank,
  in a group of at least three cities.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .model import City, Definition
from .score import EditionScores

#: The smallest group in which a rank is given (see the module rules).
MIN_RANKED = 3


@dataclass(frozen=True, slots=True)
class CityBands:
    """The bands a city falls in (band keys of the definition, or ``None`` if unknown).

    ``*_basis`` says what the band follows from: ``"value"``, ``"declared"`` (a source
    names the band), ``"non-nationals"`` (foreign-born band from the non-national share).
    """

    population: str | None
    population_basis: str | None
    foreign_born: str | None
    foreign_born_basis: str | None


def city_bands(definition: Definition, city: City) -> CityBands:
    """The population band and foreign-born band of a city (module rules)."""
    population = basis = None
    if city.population is not None:
        if city.population.value is not None:
            population, basis = definition.bands.population.band_for(city.population.value).key, "value"
        else:
            population, basis = city.population.band, "declared"
    foreign = fbasis = None
    fb_set = definition.bands.foreign_born
    for share, kind in ((city.foreign_born, "foreign-born"), (city.non_nationals, "non-nationals")):
        if share is None:
            continue
        if share.percent is not None:
            foreign = fb_set.band_for(share.percent).key
            fbasis = "value" if kind == "foreign-born" else "non-nationals"
        else:
            foreign = share.band
            fbasis = "declared" if kind == "foreign-born" else "non-nationals"
        break
    return CityBands(population, basis, foreign, fbasis)


@dataclass(frozen=True, slots=True)
class GroupStat:
    """A group of other cities: their mean (points, unrounded; ``None`` if empty) and count."""

    mean: float | None
    count: int


@dataclass(frozen=True, slots=True)
class Rank:
    """The city's rank in a group that includes it: ``rank`` of ``of`` cities."""

    rank: int
    of: int


@dataclass(frozen=True, slots=True)
class Comparison:
    """One figure of one city compared with the others.

    ``value`` is the city's figure (points, unrounded; ``None`` when it has none, and then
    there is no rank). ``sample``, ``population_band`` and ``foreign_born_band`` are the
    means of the *other* cities; the ranks include the city.
    """

    key: str
    value: float | None
    sample: GroupStat
    population_band: GroupStat | None
    foreign_born_band: GroupStat | None
    rank: Rank | None
    population_rank: Rank | None
    foreign_born_rank: Rank | None
    percentile: float | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """A city in the comparison: its latest edition's scores and its bands."""

    city: str
    scores: EditionScores
    bands: CityBands


def latest(editions: list[EditionScores]) -> EditionScores | None:
    """The edition with the latest year (``None`` for a city without editions)."""
    return max(editions, key=lambda e: e.year, default=None)


def entries(definition: Definition, cities: dict[str, City], scores: dict[str, list[EditionScores]]) -> list[Entry]:
    """One entry per city that has at least one edition, in city-id order."""
    out = []
    for city_id, city in cities.items():
        last = latest(scores[city_id])
        if last is not None:
            out.append(Entry(city_id, last, city_bands(definition, city)))
    return out


class _Group:
    """The values of one figure in one group of cities, ready for means and ranks.

    Sums and a sorted copy are prepared once, so that every city's "mean of the others"
    and rank cost O(log n) instead of a pass over the group; both depend on the city's own
    value only, and are made once per distinct value (scores repeat: most are published as
    whole points).
    """

    def __init__(self, values: dict[str, float]):
        self.values = values
        self.total = sum(values.values())
        self.ascending = sorted(values.values())
        self._others: dict[float | None, GroupStat] = {}
        self._ranks: dict[float, Rank] = {}

    def others(self, city: str) -> GroupStat:
        """Mean and count of the group without ``city``."""
        own = self.values.get(city)
        stat = self._others.get(own)
        if stat is None:
            count = len(self.values) - (own is not None)
            stat = GroupStat((self.total - (own or 0.0)) / count, count) if count else GroupStat(None, 0)
            self._others[own] = stat
        return stat

    def rank(self, value: float) -> Rank | None:
        """Standard competition rank of ``value`` in the group (which holds it); ``None`` below
        :data:`MIN_RANKED` cities."""
        if len(self.ascending) < MIN_RANKED:
            return None
        rank = self._ranks.get(value)
        if rank is None:
            higher = len(self.ascending) - bisect_right(self.ascending, value)
            rank = self._ranks[value] = Rank(1 + higher, len(self.ascending))
        return rank

    def percentile(self, value: float) -> float | None:
        """Percent of the *other* cities of the group (which holds ``value``) with a strictly lower value."""
        if len(self.ascending) < MIN_RANKED:
            return None
        return 100 * bisect_left(self.ascending, value) / (len(self.ascending) - 1)


def compare_network(
    definition: Definition, cities: dict[str, City], scores: dict[str, list[EditionScores]]
) -> dict[str, dict[str, Comparison]]:
    """For every city with an edition: its latest edition compared on every figure, by key.

    Returns ``{city id: {figure key: Comparison}}``; figure keys are the aggregate, the
    lens and every area of the definition. Runs in O(cities × figures × log cities).
    """
    everyone = entries(definition, cities, scores)
    out: dict[str, dict[str, Comparison]] = {e.city: {} for e in everyone}
    empty = _Group({})
    for key in definition.score_keys:  # (a figure at a time: its groups are looked up once)
        values = [e.scores.value(key) for e in everyone]
        by_city = {e.city: v for e, v in zip(everyone, values, strict=True) if v is not None}
        whole = _Group(by_city)
        bands: dict[str, dict[str | None, _Group]] = {}
        for kind in ("population", "foreign_born"):
            members: dict[str | None, dict[str, float]] = {}
            for e in everyone:
                band = getattr(e.bands, kind)
                if band is not None and e.city in by_city:
                    members.setdefault(band, {})[e.city] = by_city[e.city]
            bands[kind] = {band: _Group(group) for band, group in members.items()}
        by_population, by_foreign_born = bands["population"], bands["foreign_born"]
        for e, value in zip(everyone, values, strict=True):
            pop, fb = e.bands.population, e.bands.foreign_born
            pop_group = by_population.get(pop, empty)
            fb_group = by_foreign_born.get(fb, empty)
            out[e.city][key] = Comparison(
                key=key,
                value=value,
                sample=whole.others(e.city),
                population_band=None if pop is None else pop_group.others(e.city),
                foreign_born_band=None if fb is None else fb_group.others(e.city),
                rank=None if value is None else whole.rank(value),
                population_rank=None if value is None or pop is None else pop_group.rank(value),
                foreign_born_rank=None if value is None or fb is None else fb_group.rank(value),
                percentile=None if value is None else whole.percentile(value),
            )
    return out
