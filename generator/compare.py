"""Comparison: each city's latest edition against the other cities, overall and by band.

Rules:

* **Sample** = the latest edition of every *other* city that has a value for the figure;
  the city itself is left out of the mean it is compared with, as in the reports, which
  compare a city with the other cities of the index. Optional areas are thereby compared
  only among cities that have a score for them. Each compared figure carries the years of
  the editions behind it and the questionnaire versions they answered, so a page can say
  when a sample mixes versions.
* **An edition's own year**: an edition is also compared as of its year, with every
  city's latest edition of that year or before. That comparison is what the edition's
  own page shows; a later edition of any city never changes it.
* **Bands**: a city's population band follows from its number of inhabitants or, when no
  number is published, is the band a source places it in. Its foreign-born band follows
  from its share of foreign-born residents or, when no share is published, is the band a
  source places it in. A share of non-nationals or of residents with an immigrant
  background is a different measure and gives no band. Lower band limits are included,
  upper limits are not.
* **Mean** = arithmetic mean of the other cities' values, stated with the number of
  cities behind it.
* **Rank** = 1 + the number of cities in the group (the city included) whose figure, as
  printed in whole points, is strictly higher, so cities whose printed figures are equal
  share a rank (1, 2, 2, 4). Ranks are taken on the printed figure, computed figures
  included, so that a rank never contradicts the numbers beside it. A rank is given only
  in a group of at least three cities with a value; in a smaller group it says nothing.
* **Order of ties**: where cities share a rank, lists, charts and data order them by
  name (letters compared without case and accents), then by ISO 3166 country code, then
  by region. Two cities equal on all three are refused by validation.
* **Percentile** = the share of the other cities with a value whose printed figure is
  strictly lower than the city's, in percent of those other cities (0 to 100). Given,
  like a rank, in a group of at least three cities.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .model import City, Definition
from .score import EditionScores, publish

#: The smallest group in which a rank is given (see the module rules).
MIN_RANKED = 3


@dataclass(frozen=True, slots=True)
class CityBands:
    """The bands a city falls in (band keys of the definition, or ``None`` if unknown).

    ``*_basis`` says what the band follows from: ``"value"`` (the number of inhabitants or
    the foreign-born share) or ``"declared"`` (a source names the band).
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
    share = city.foreign_born
    if share is not None:
        if share.percent is not None:
            foreign, fbasis = definition.bands.foreign_born.band_for(share.percent).key, "value"
        else:
            foreign, fbasis = share.band, "declared"
    return CityBands(population, basis, foreign, fbasis)


def tie_key(city: City) -> tuple[str, str, str]:
    """The order of cities that share a rank (module rules): name without case and
    accents, ISO 3166 country code, region. It never depends on file names."""
    return (_fold(city.name), city.country, _fold(city.region or ""))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


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
class Scope:
    """What a figure's whole sample is made of: the years of the editions compared
    (earliest, latest; ``None`` when no city has a value) and the questionnaire versions
    they answered, in order (``None`` stands for editions whose version is not recorded)."""

    years: tuple[int, int] | None
    versions: tuple[str | None, ...]

    @property
    def mixed(self) -> bool:
        """Whether the sample holds editions of more than one questionnaire version (an
        unrecorded version counts as another)."""
        return len(self.versions) > 1


@dataclass(frozen=True, slots=True)
class Comparison:
    """One figure of one city compared with the others.

    ``value`` is the city's figure (points, unrounded; ``None`` when it has none, and then
    there is no rank). ``sample``, ``population_band`` and ``foreign_born_band`` are the
    means of the *other* cities; the ranks include the city. ``scope`` describes the
    whole sample of the figure; ``as_of`` is the year the comparison is made in (``None``:
    every city's latest edition).
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
    scope: Scope = Scope(None, ())
    as_of: int | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """A city in the comparison: the edition compared (its latest, or its latest of a
    given year or before), its scores and its bands."""

    city: str
    scores: EditionScores
    bands: CityBands
    questionnaire: str | None = None


def count_versions(versions: Iterable[str | None]) -> tuple[tuple[str | None, int], ...]:
    """How many editions answered each questionnaire version, versions in order (``None``,
    not recorded, last): ``(("2016", 1), ("2019", 2), (None, 2))``."""
    return tuple(sorted(Counter(versions).items(), key=lambda vc: (vc[0] is None, vc[0] or "")))


def latest(editions: list[EditionScores], as_of: int | None = None) -> EditionScores | None:
    """The edition with the latest year (of ``as_of`` or before, if given); ``None`` when there is none."""
    return max((e for e in editions if as_of is None or e.year <= as_of), key=lambda e: e.year, default=None)


def entries(
    definition: Definition, cities: dict[str, City], scores: dict[str, list[EditionScores]], as_of: int | None = None
) -> list[Entry]:
    """One entry per city that has an edition (of ``as_of`` or before, if given), in city-id order."""
    out = []
    for city_id, city in cities.items():
        last = latest(scores[city_id], as_of)
        if last is not None:
            version = city.editions[last.index].questionnaire
            out.append(Entry(city_id, last, city_bands(definition, city), version))
    return out


class _Group:
    """The values of one figure in one group of cities, ready for means and ranks.

    Means use the unrounded values; ranks and percentiles the printed whole points (module
    rules). Sums and a sorted copy are prepared once, so that every city's "mean of the
    others" and rank cost O(log n) instead of a pass over the group; both depend on the
    city's own value only, and are made once per distinct value.
    """

    def __init__(self, values: dict[str, float]):
        self.values = values
        self.total = sum(values.values())
        self.ascending = sorted(publish(v) for v in values.values())
        self._others: dict[float | None, GroupStat] = {}
        self._ranks: dict[int, Rank] = {}

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
        """Standard competition rank of ``value`` (printed in whole points) in the group
        (which holds it); ``None`` below :data:`MIN_RANKED` cities."""
        if len(self.ascending) < MIN_RANKED:
            return None
        shown = publish(value)
        rank = self._ranks.get(shown)
        if rank is None:
            higher = len(self.ascending) - bisect_right(self.ascending, shown)
            rank = self._ranks[shown] = Rank(1 + higher, len(self.ascending))
        return rank

    def percentile(self, value: float) -> float | None:
        """Percent of the *other* cities of the group (which holds ``value``) whose printed
        figure is strictly lower."""
        if len(self.ascending) < MIN_RANKED:
            return None
        return 100 * bisect_left(self.ascending, publish(value)) / (len(self.ascending) - 1)


def compare_network(
    definition: Definition,
    cities: dict[str, City],
    scores: dict[str, list[EditionScores]],
    as_of: int | None = None,
) -> dict[str, dict[str, Comparison]]:
    """For every city with an edition: its latest edition (of ``as_of`` or before, if given)
    compared on every figure with the other cities' latest editions of the same time, by key.

    Returns ``{city id: {figure key: Comparison}}``; figure keys are the aggregate, the
    lens and every area of the definition. Runs in O(cities × figures × log cities).
    """
    everyone = entries(definition, cities, scores, as_of)
    out: dict[str, dict[str, Comparison]] = {e.city: {} for e in everyone}
    empty = _Group({})
    for key in definition.score_keys:  # (a figure at a time: its groups are looked up once)
        values = [e.scores.value(key) for e in everyone]
        by_city = {e.city: v for e, v in zip(everyone, values, strict=True) if v is not None}
        whole = _Group(by_city)
        with_value = [e for e, v in zip(everyone, values, strict=True) if v is not None]
        scope = Scope(
            (min(e.scores.year for e in with_value), max(e.scores.year for e in with_value)) if with_value else None,
            tuple(v for v, _ in count_versions(e.questionnaire for e in with_value)),
        )
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
                scope=scope,
                as_of=as_of,
            )
    return out


def compare_editions(
    definition: Definition, cities: dict[str, City], scores: dict[str, list[EditionScores]]
) -> dict[tuple[str, int], dict[str, Comparison]]:
    """Every edition compared as of its own year (module rules), by ``(city id, year)``.

    One comparison of the network is made per distinct edition year, so this costs
    O(years × cities × figures × log cities).
    """
    years = sorted({e.year for editions in scores.values() for e in editions})
    out: dict[tuple[str, int], dict[str, Comparison]] = {}
    for year in years:
        compared = compare_network(definition, cities, scores, as_of=year)
        for city_id, figures in compared.items():
            edition = latest(scores[city_id], year)
            if edition is not None and edition.year == year:
                out[(city_id, year)] = figures
    return out
