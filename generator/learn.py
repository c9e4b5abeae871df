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
from .model import AGGREGATE, City, Definition

#: How far below its own aggregate an area must be to count as a weak spot (points).
WEAK_SPOT_MARGIN = 10

#: How many practices are recommended per area.
MAX_PRACTICES = 3

#: The fewest other cities a band must hold for its mean to count as the peers' level.
MIN_PEERS = 2

#: How much higher (points) another city must score on an area for its practice to be recommended.
MIN_GAP = 5


@dataclass(frozen=True)
class Need:
    """An area the city should work on, and why (one or more of ``band``, ``report``, ``weak spot``)."""

    area: str
    value: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """A recommended practice for one learning need.

    ``score`` is the practice city's score on the area (points 0–100; ``None`` if it has
    none); ``named_in_report`` marks the practices the city's own report points to;
    ``reason`` says why it was chosen, in one line.
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
        mine.foreign_born is not None and mine.foreign_born == theirs.foreign_born)


def suggest(
    city_id: str,
    need: Need,
    named: list[str],
    practices_by_area: dict[str, list[tuple[str, str]]],
    entries: dict[str, Entry],
    names: dict[str, str],
) -> list[Suggestion]:
    """Up to :data:`MAX_PRACTICES` practices for one need (module rules).

    ``named``: the practice ids the city's report points to for this area;
    ``practices_by_area``: area key → ``(practice id, city id)`` of every practice filed
    under it; ``entries``: every city's latest scores and bands, by city id;
    ``names``: city names by id.
    """
    me = entries[city_id]
    out: list[Suggestion] = []
    seen: set[str] = set()
    city_name = names[city_id]
    for pid in named:
        other = pid.split("/", 1)[0]
        score = entries[other].scores.value(need.area) if other in entries else None
        out.append(Suggestion(pid, other, score, True, False, f"Named in {city_name}'s report for this area"))
        seen.add(pid)
    scored, unscored = [], []
    for pid, other in practices_by_area.get(need.area, []):
        if other == city_id or pid in seen:
            continue
        score = entries[other].scores.value(need.area) if other in entries else None
        if score is None:
            unscored.append((pid, other))
        elif score >= need.value + MIN_GAP:
            peer = _is_peer(me.bands, entries[other].bands)
            scored.append((not peer, -score, pid, other, score, peer))
    for _, _, pid, other, score, peer in sorted(scored):
        gap = score - need.value
        why = f"{names[other]} scores {score:.0f} on this area, {gap:.0f} points more"
        why += "; a city of the same band" if peer else ""
        out.append(Suggestion(pid, other, score, False, peer, why))
    for pid, other in sorted(unscored):
        out.append(Suggestion(pid, other, None, False, False,
                              f"A practice filed under this area; {names[other]} has no score on it on this site"))
    return out[:MAX_PRACTICES]


@dataclass(frozen=True)
class Advice:
    """A city's learning needs, each with its recommended practices."""

    needs: list[tuple[Need, list[Suggestion]]]


def advise(definition: Definition, cities: dict[str, City], entries: list[Entry],
           comparisons: dict[str, dict[str, Comparison]]) -> dict[str, Advice]:
    """For every city with an edition: its learning needs and the practices recommended for each."""
    by_id = {e.city: e for e in entries}
    names = {cid: c.name for cid, c in cities.items()}
    practices_by_area: dict[str, list[tuple[str, str]]] = {}
    for cid, c in cities.items():
        for p in c.practices:
            for area in p.areas:
                practices_by_area.setdefault(area, []).append((f"{cid}/{p.key}", cid))
    out = {}
    for cid, entry in by_id.items():
        city = cities[cid]
        latest = city.editions[entry.scores.index]
        result = []
        for need in needs(definition, city, entry, comparisons[cid]):
            narrative = latest.areas.get(need.area)
            named = list(narrative.learn_from) if narrative else []
            result.append((need, suggest(cid, need, named, practices_by_area, by_id, names)))
        out[cid] = Advice(result)
    return out
