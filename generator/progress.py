"""Progress: each city's change from one edition to the next, and the network year by year.

Rules:

* **Previous edition** = the city's edition with the latest year before this one.
* **Same questionnaire**: two editions are compared directly only when both record the
  questionnaire version they answered and it is the same one. Across versions, or when a
  version is not recorded, the questions and their points may differ, so no plain
  difference is given: the page says why and shows both figures as they are.
* **Change** = the figure as printed (whole points) minus the previous edition's figure
  as printed, so that the change always agrees with the two numbers beside it (63 → 66 is
  +3 even when the unrounded figures differ by 3.75). A change is given only when both
  editions have a value for the figure. Its direction is *up*, *down* or *unchanged*.
* **The network by year**: for every year with an edition, the editions made that year
  (with their questionnaire versions) and the mean aggregate of those editions; and the
  sample as of that year: every city's latest edition of that year or before, its size
  and its mean aggregate.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any

from .compare import count_versions, entries
from .i18n import N_, _
from .model import AGGREGATE, City, Definition, Edition
from .score import EditionScores, publish


class Reason(str):
    """A reason given in words when the network is analysed, before any page is written.

    It is the English sentence (what the open data files give), and :meth:`shown` writes it
    in the language of the page being written: ``message`` (marked with ``N_``) with its
    ``%(name)s`` placeholders filled from ``values``.
    """

    message: str
    values: dict[str, Any]

    def __new__(cls, message: str, **values: Any) -> Reason:
        reason = super().__new__(cls, message % values)
        reason.message = message
        reason.values = values
        return reason

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        """(Copied and pickled with its message and values.)"""
        return functools.partial(Reason, self.message, **self.values), ()

    def shown(self, **values: Any) -> str:
        """The reason in the current language; ``values`` replace some of its own (a city's
        name as the page's language gives it)."""
        return _(self.message, **{**self.values, **values})


def reason_text(text: str, **values: Any) -> str:
    """A reason as a page writes it: a :class:`Reason` in the current language (``values``
    replacing some of its own: :meth:`Reason.shown`), any other text as it is."""
    return text.shown(**values) if isinstance(text, Reason) else text


@dataclass(frozen=True, slots=True)
class Change:
    """One figure of an edition against the city's previous edition.

    ``previous`` and ``current`` are the figures as printed (whole points 0–100; ``None``
    when the edition has none); ``delta`` is ``current - previous`` in points, ``None``
    when not comparable (``reason`` then says why, in words).
    """

    key: str
    previous_year: int
    previous: int | None
    current: int | None
    delta: int | None
    reason: str | None = None

    @property
    def direction(self) -> str | None:
        """``"up"``, ``"down"``, ``"unchanged"``, or ``None`` when there is no difference to give."""
        if self.delta is None:
            return None
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "unchanged"


def versions_differ(previous: Edition, current: Edition) -> str | None:
    """Why two editions cannot be compared directly (module rules), or ``None`` when they can."""
    if previous.questionnaire is None and current.questionnaire is None:
        return Reason(
            N_("the questionnaire versions of the %(first)s and %(second)s editions are not recorded"),
            first=previous.year,
            second=current.year,
        )
    if previous.questionnaire is None or current.questionnaire is None:
        missing = previous if previous.questionnaire is None else current
        return Reason(N_("the questionnaire version of the %(year)s edition is not recorded"), year=missing.year)
    if previous.questionnaire != current.questionnaire:
        return Reason(
            N_(
                "the %(previous_year)s edition answered the %(previous)s questionnaire and the "
                "%(year)s edition the %(current)s questionnaire"
            ),
            previous_year=previous.year,
            previous=previous.questionnaire,
            year=current.year,
            current=current.questionnaire,
        )
    return None


def city_changes(definition: Definition, city: City, scores: list[EditionScores]) -> dict[int, dict[str, Change]]:
    """Every edition's change from the previous one, by edition index (the position in the
    city file) and figure key; the city's first edition has none.

    ``scores`` are the city's editions as scored, in file order.
    """
    ordered = sorted(scores, key=lambda e: e.year)
    out: dict[int, dict[str, Change]] = {}
    for before, now in itertools.pairwise(ordered):
        reason = versions_differ(city.editions[before.index], city.editions[now.index])
        figures = {}
        for key in definition.figure_order:
            old, new = before.value(key), now.value(key)
            shown_old = None if old is None else publish(old)
            shown_new = None if new is None else publish(new)
            delta = None
            why = reason
            if why is None:
                if shown_old is None or shown_new is None:
                    why = Reason(N_("not published in %(year)s"), year=before.year if shown_old is None else now.year)
                else:
                    delta = shown_new - shown_old
            figures[key] = Change(key, before.year, shown_old, shown_new, delta, why)
        out[now.index] = figures
    return out


def network_changes(
    definition: Definition, cities: dict[str, City], scores: dict[str, list[EditionScores]]
) -> dict[str, dict[int, dict[str, Change]]]:
    """:func:`city_changes` of every city, by city id."""
    return {cid: city_changes(definition, city, scores[cid]) for cid, city in cities.items()}


@dataclass(frozen=True, slots=True)
class YearRow:
    """The network in one year (module rules).

    ``editions`` counts the editions made that year, ``versions`` their questionnaire
    versions (:func:`version_label`) with counts, ``mean`` and ``with_aggregate`` the mean
    aggregate (points, unrounded) of those with one; ``sample`` counts every city's latest
    edition of that year or before, ``sample_mean`` and ``sample_with_aggregate`` their
    mean aggregate.
    """

    year: int
    editions: int
    versions: tuple[tuple[str | None, int], ...]
    mean: float | None
    with_aggregate: int
    sample: int
    sample_mean: float | None
    sample_with_aggregate: int
    sample_versions: tuple[tuple[str | None, int], ...]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def version_label(edition: Edition) -> str:
    """The questionnaire version of an edition as pages write it: ``2019``, ``2019
    (inferred)`` when this site inferred it, or ``not recorded``."""
    if edition.questionnaire is None:
        # Translators: a questionnaire version, in a table of editions
        return _("not recorded")
    if edition.questionnaire_inferred:
        # Translators: a questionnaire version (e.g. "2019") this site inferred from the report
        return _("%(version)s (inferred)", version=edition.questionnaire)
    return edition.questionnaire


def network_years(
    definition: Definition, cities: dict[str, City], scores: dict[str, list[EditionScores]]
) -> list[YearRow]:
    """One row per year with at least one edition, in year order (module rules)."""
    made: dict[int, list[tuple[Edition, EditionScores]]] = {}
    for cid, city in cities.items():
        for es in scores[cid]:
            made.setdefault(es.year, []).append((city.editions[es.index], es))
    rows = []
    for year in sorted(made):
        those = made[year]
        values = [v for _, es in those if (v := es.value(AGGREGATE)) is not None]
        sample = entries(definition, cities, scores, as_of=year)
        sample_values = [v for e in sample if (v := e.scores.value(AGGREGATE)) is not None]
        rows.append(
            YearRow(
                year,
                len(those),
                count_versions(version_label(e) for e, _ in those),
                _mean(values),
                len(values),
                len(sample),
                _mean(sample_values),
                len(sample_values),
                count_versions(version_label(cities[e.city].editions[e.scores.index]) for e in sample),
            )
        )
    return rows
