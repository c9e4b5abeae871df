"""Scoring: questionnaire answers → area scores → lens composite → aggregate.

Rules (points are on the 0–100 scale):

* **Area score** = points earned ÷ points available × 100, over the area's questions.
  A question's available points are those of its best answer option.
* **Unanswered non-mandatory question**: left out of both the points earned and the
  points available, so it neither raises nor lowers the score. An area none of whose
  questions is answered has no score (it is *not scored*, never 0). Every mandatory
  question must be answered: an edition that leaves one out is rejected by validation.
* **Intercultural lens** = weighted mean of its six sub-indicators (all weights are 1
  in the 2019 definition, so a plain mean). This reproduces Ansan's published lens of 86
  from its sub-indicators 95, 88, 94, 100, 75 and 63 (mean 85.83), as given in the
  city's 2020 ICC Index Analysis.
* **Aggregate** = weighted mean of the core indicators, the lens counting as one
  indicator, with the weights of the index definition. Optional areas count only when
  the definition includes them, and then only for editions that answered them. A
  composite with a component missing is not computed.
* **Rounding**: figures are published in whole points, halves rounded up (85.5 → 86,
  85.49 → 85). This is the only rounding rule of the site; computed values stay
  unrounded until they are printed.
* **Which figure is shown**: a figure published in a report is shown as published.
  Where none is published, the figure computed from the answers or from the published
  components is shown. Where both exist and the computed figure, once rounded, differs
  from the published one, the page says so next to the figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from .model import AGGREGATE, LENS, Area, City, Definition, Edition

Origin = Literal["published", "answers", "components"]


def publish(value: float) -> int:
    """Round a score for publication: whole points, halves rounded up (``85.5`` → ``86``).

    This is the only rounding rule of the site. Python's ``round`` is not used because it
    rounds halves to the even neighbour (``round(84.5) == 84``). A value whose fraction is
    not within 1e-9 of a half rounds to the nearest whole number by ``floor(value + 0.5)``
    (the same result, much faster); values at or near a half are rounded exactly, in
    decimal, from their shortest representation.
    """
    fraction = value - math.floor(value)
    if abs(fraction - 0.5) > 1e-9:
        return math.floor(value + 0.5)
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class AreaPoints:
    """Points of one area from one edition's answers.

    ``earned`` and ``available`` are questionnaire points; ``answered`` and
    ``skipped`` count questions (``skipped`` = non-mandatory questions left unanswered).
    """

    earned: int
    available: int
    answered: int
    skipped: int

    @property
    def score(self) -> float | None:
        """earned ÷ available × 100 (points 0–100), or ``None`` when nothing was answered."""
        if self.available == 0:
            return None
        return self.earned / self.available * 100


def area_points(area: Area, answers: dict[str, str]) -> AreaPoints:
    """Points earned and available in ``area`` for ``answers`` (question id → option key).

    Unanswered non-mandatory questions count neither way (see the module rules). An
    answer naming an option the question does not have raises ``KeyError`` (``validate``
    reports it first).
    """
    earned = available = answered = skipped = 0
    for question in area.questions:
        key = answers.get(question.id)
        if key is None:
            skipped += 1
            continue
        option = question.option(key)
        if option is None:
            raise KeyError(f"{question.id}: no option '{key}'")
        earned += option.points
        available += question.max_points
        answered += 1
    return AreaPoints(earned, available, answered, skipped)


def weighted_mean(values: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """Σ wᵢ·xᵢ ÷ Σ wᵢ over the keys of ``weights``; ``None`` if any of them has no value."""
    if not weights:
        return None
    terms: list[float] = []
    for k, w in weights.items():
        x = values.get(k)
        if x is None:
            return None
        terms.append(x * w)
    total = sum(weights.values())
    return sum(terms) / total


def lens_weights(definition: Definition) -> dict[str, float]:
    """Weights of the lens sub-indicators inside the lens composite, by area key."""
    return {a.key: a.weight for a in definition.areas if a.group == "lens"}


def aggregate_weights(definition: Definition, answered: AbstractSet[str] = frozenset()) -> dict[str, float]:
    """Weights of the aggregate's components, by key (the lens composite under ``"lens"``).

    Core areas and the lens always count; optional areas count only when the definition
    includes them (``include_optional_in_aggregate``) and the edition has a score for them
    (``answered``).
    """
    weights: dict[str, float] = {}
    for area in definition.areas:
        if area.group == "core":
            weights[area.key] = area.weight
        elif area.group == "optional" and definition.include_optional_in_aggregate and area.key in answered:
            weights[area.key] = area.weight
    weights[LENS] = float(definition.lens.weight or 1)
    return weights


@dataclass(frozen=True, slots=True)
class Score:
    """One figure of an edition: the value shown and where it comes from.

    ``value`` is in points 0–100, unrounded when computed (``None``: not published and
    not computable). ``origin`` says where ``value`` comes from; ``computed`` is our own
    figure (from answers or components) when it could be computed, shown beside a
    published one as a check. ``points`` holds the questionnaire points behind an area
    score computed from answers.
    """

    key: str
    value: float | None
    origin: Origin | None
    published: int | None = None
    computed: float | None = None
    points: AreaPoints | None = None

    @property
    def shown(self) -> int | None:
        """The figure as the site prints it (whole points), or ``None`` (not published)."""
        return None if self.value is None else publish(self.value)

    @property
    def agrees(self) -> bool | None:
        """Whether the published and the computed figure agree once rounded (``None``: nothing to compare)."""
        if self.published is None or self.computed is None:
            return None
        return publish(self.computed) == self.published


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A published figure that our computation does not reproduce (both in points 0–100)."""

    key: str
    published: int
    computed: float


@dataclass(frozen=True, slots=True)
class EditionScores:
    """Every figure of one edition of one city: the areas, the lens and the aggregate."""

    city: str
    year: int
    index: int
    scores: dict[str, Score]
    disagreements: list[Disagreement] = field(default_factory=list)

    def value(self, key: str) -> float | None:
        """The value shown for ``key`` (points 0–100, unrounded), or ``None``."""
        score = self.scores.get(key)
        return None if score is None else score.value


def _pick(
    key: str, published: int | None, computed: float | None, origin: Origin, points: AreaPoints | None = None
) -> Score:
    if published is not None:
        return Score(key, float(published), "published", published, computed, points)
    if computed is not None:
        return Score(key, computed, origin, None, computed, points)
    return Score(key, None, None, None, None, points)


def score_edition(definition: Definition, city_id: str, index: int, edition: Edition) -> EditionScores:
    """All figures of one edition, following the module rules.

    Area values come from the published score, else from the answers; the lens and the
    aggregate are computed from the values of their components (published or computed)
    and compared with any published composite.
    """
    scores: dict[str, Score] = {}
    for area in definition.areas:
        points = area_points(area, edition.answers) if edition.answers else None
        computed = points.score if points else None
        scores[area.key] = _pick(area.key, edition.scores.get(area.key), computed, "answers", points)
    values = {k: s.value for k, s in scores.items()}
    lens = weighted_mean(values, lens_weights(definition))
    scores[LENS] = _pick(LENS, edition.scores.get(LENS), lens, "components")
    values[LENS] = scores[LENS].value
    answered = {k for k, v in values.items() if v is not None}
    aggregate = weighted_mean(values, aggregate_weights(definition, answered))
    scores[AGGREGATE] = _pick(AGGREGATE, edition.scores.get(AGGREGATE), aggregate, "components")
    disagreements = [
        Disagreement(s.key, s.published, s.computed)
        for s in scores.values()
        if s.published is not None and s.computed is not None and s.agrees is False
    ]
    return EditionScores(city_id, edition.year, index, scores, disagreements)


def score_city(definition: Definition, city_id: str, city: City) -> list[EditionScores]:
    """Scores of every edition of a city, in the order of its file."""
    return [score_edition(definition, city_id, i, e) for i, e in enumerate(city.editions)]


def score_network(definition: Definition, cities: dict[str, City]) -> dict[str, list[EditionScores]]:
    """Scores of every edition of every city, by city id."""
    return {city_id: score_city(definition, city_id, city) for city_id, city in cities.items()}
