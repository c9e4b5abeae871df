"""Learning from each other: which areas a city should work on, and whose practice to look at.

Rules:

* **A learning need** is an area of the city's latest edition whose score is
    - below the mean of the other cities of its population band or of its foreign-born
      band, where that band holds at least two other cities with a score; or
    - below the city sample given in its own report; or
    - at least 10 points below the city's own aggregate (its weak spots, whatever the
      others do).
* **Recommended practices** for a learning need, at most three, in this order:
    1. the practices the city's own report points to for that area (marked as such);
    2. practices filed under the area from other cities that score at least 5 points
       higher on it: first cities of the same population or foreign-born band (peers),
       then the others; within each, the higher score first, then the practice's id;
    3. while places remain, practices filed under the area from cities with no score on
       it on this site (said so in the reason), by the practice's id.
  A practice is recommended once per area, and never the city's own; a city that scores
  the same or lower on the area is never the source of a recommendation.
* Each recommendation carries the other city's score on the area and the reason for the
  match in one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from .compare import CityBands, Comparison, Entry
from .i18n import N_
from .model import AGGREGATE, City, Definition
from .progress import Reason

#: How far below its own aggregate an area must be to count as a weak spot (points).
WEAK_SPOT_MARGIN = 10

#: How many practices are recommended per area.
MAX_PRACTICES = 3

#: The fewest other cities a band must hold for its mean to count as the peers' level.
MIN_PEERS = 2

#: How much higher (points) another city must score on an area for its practice to be recommended.
MIN_GAP = 5


@dataclass(frozen=True, slots=True)
class Need:
    """An area the city should work on, and why (one or more of ``band``, ``report``, ``weak spot``)."""

    area: str
    value: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A recommended practice for one learning need.

    ``score`` is the practice city's score on the area (points 0–100; ``None`` if it has
    none); ``named_in_report`` marks the practices the city's own report points to;
    ``reason`` says why it was chosen, in one line (a ``progress.Reason``: English, and
    ``reason.shown()`` in the language of the page).
    """

    practice: str
    city: str
    score: float | None
    named_in_report: bool
    peer: bool
    reason: str


def needs(definition: Definition, city: City, entry: Entry, comparisons: dict[str, Comparison]) -> list[Need]:
    """The learning needs of a city's latest edition, in the order of the index's areas."""
    edition = city.editions[entry.scores.index]
    aggregate = entry.scores.value(AGGREGATE)
    out = []
    for area in definition.area_keys:
        value = entry.scores.value(area)
        if value is None:
            continue
        reasons = []
        c = comparisons.get(area)
        if c is not None and any(
            band is not None and band.count >= MIN_PEERS and band.mean is not None and value < band.mean
            for band in (c.population_band, c.foreign_born_band)
        ):
            reasons.append("band")
        reported = edition.sample.get(area)
        if reported is not None and value < reported:
            reasons.append("report")
        if aggregate is not None and value <= aggregate - WEAK_SPOT_MARGIN:
            reasons.append("weak spot")
        if reasons:
            out.append(Need(area, value, tuple(reasons)))
    return out


def _is_peer(mine: CityBands, theirs: CityBands) -> bool:
    return (mine.population is not None and mine.population == theirs.population) or (
        mine.foreign_born is not None and mine.foreign_born == theirs.foreign_born
    )


class PracticeIndex:
    """The practices filed under each area, ready for :func:`suggest`.

    For every area: the practices of cities with a score on it, best score first (and
    the same per population band and per foreign-born band), and those of cities with no
    score on it. Built once, so that each recommendation looks at a few practices only
    rather than at every practice of the network.
    """

    def __init__(self, cities: dict[str, City], entries: dict[str, Entry]):
        self.entries = entries
        self.ranked: dict[str, list[tuple[float, str, str]]] = {}
        self.by_band: dict[tuple[str, str, str], list[tuple[float, str, str]]] = {}
        self.unscored: dict[str, list[tuple[str, str]]] = {}
        for cid, city in cities.items():
            entry = entries.get(cid)
            for p in city.practices:
                pid = f"{cid}/{p.key}"
                for area in p.areas:
                    score = entry.scores.value(area) if entry else None
                    if entry is None or score is None:
                        self.unscored.setdefault(area, []).append((pid, cid))
                        continue
                    item = (-score, pid, cid)
                    self.ranked.setdefault(area, []).append(item)
                    for kind, band in (("p", entry.bands.population), ("f", entry.bands.foreign_born)):
                        if band is not None:
                            self.by_band.setdefault((area, kind, band), []).append(item)
        for table in (self.ranked, self.by_band, self.unscored):
            for items in table.values():
                items.sort()

    def best(
        self,
        items: list[tuple[float, str, str]],
        limit: float,
        skip: set[str],
        city: str,
        count: int,
        keep=lambda other: True,
    ) -> list[tuple[float, str, str]]:
        """Up to ``count`` items scoring at least ``limit``, best first, that ``keep`` accepts."""
        out: list[tuple[float, str, str]] = []
        for item in items:
            if -item[0] < limit or len(out) == count:
                break
            if item[2] != city and item[1] not in skip and keep(item[2]):
                out.append(item)
        return out


def suggest(
    city_id: str, need: Need, named: list[str], index: PracticeIndex, names: dict[str, str]
) -> list[Suggestion]:
    """Up to :data:`MAX_PRACTICES` practices for one need (module rules).

    ``named``: the practice ids the city's report points to for this area; ``index``: the
    practices of the network by area; ``names``: city names by id.
    """
    entries = index.entries
    me = entries[city_id]
    out: list[Suggestion] = []
    seen: set[str] = set()
    for pid in named:
        other = pid.split("/", 1)[0]
        score = entries[other].scores.value(need.area) if other in entries else None
        why = Reason(N_("Named in %(city)s's report for this area"), city=names[city_id])
        out.append(Suggestion(pid, other, score, True, False, why))
        seen.add(pid)
    room = MAX_PRACTICES - len(out)
    limit = need.value + MIN_GAP
    peers: list[tuple[float, str, str]] = []
    for kind, band in (("p", me.bands.population), ("f", me.bands.foreign_born)):
        if band is not None and room > 0:
            peers += index.best(index.by_band.get((need.area, kind, band), []), limit, seen, city_id, room)
    peers = sorted(set(peers))[: max(room, 0)]
    taken = seen | {pid for _, pid, _ in peers}
    others = index.best(
        index.ranked.get(need.area, []),
        limit,
        taken,
        city_id,
        max(room - len(peers), 0),
        keep=lambda other: not _is_peer(me.bands, entries[other].bands),
    )
    for neg, pid, other in peers + others:
        score, peer = -neg, (neg, pid, other) in peers
        values = {"city": names[other], "score": f"{score:.0f}", "gap": f"{score - need.value:.0f}"}
        if peer:
            why = Reason(
                N_("%(city)s scores %(score)s on this area, %(gap)s points more; a city of the same band"), **values
            )
        else:
            why = Reason(N_("%(city)s scores %(score)s on this area, %(gap)s points more"), **values)
        out.append(Suggestion(pid, other, score, False, peer, why))
    for pid, other in index.unscored.get(need.area, []):
        if len(out) >= MAX_PRACTICES:
            break
        if other != city_id and pid not in seen:
            out.append(
                Suggestion(
                    pid,
                    other,
                    None,
                    False,
                    False,
                    Reason(
                        N_("A practice filed under this area; %(city)s has no score on it on this site"),
                        city=names[other],
                    ),
                )
            )
    return out[:MAX_PRACTICES]


@dataclass(frozen=True, slots=True)
class Advice:
    """A city's learning needs, each with its recommended practices."""

    needs: list[tuple[Need, list[Suggestion]]]


def advise(
    definition: Definition, cities: dict[str, City], entries: list[Entry], comparisons: dict[str, dict[str, Comparison]]
) -> dict[str, Advice]:
    """For every city with an edition: its learning needs and the practices recommended for each."""
    by_id = {e.city: e for e in entries}
    names = {cid: c.name for cid, c in cities.items()}
    index = PracticeIndex(cities, by_id)
    out = {}
    for cid, entry in by_id.items():
        city = cities[cid]
        latest = city.editions[entry.scores.index]
        result = []
        for need in needs(definition, city, entry, comparisons[cid]):
            narrative = latest.areas.get(need.area)
            named = list(narrative.learn_from) if narrative else []
            result.append((need, suggest(cid, need, named, index, names)))
        out[cid] = Advice(result)
    return out
