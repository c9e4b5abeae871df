"""Synthetic networks of cities, for benchmarks and tests: never real data.

``synthesize(definition, n, seed)`` returns ``n`` city files (file name → YAML text) that
pass validation: plausible populations and shares (so every band is used), one to four
editions each across questionnaire versions (:data:`VERSIONS`: editions from 2019 answer
the definition's questionnaire, every mandatory question and some of the optional ones;
earlier ones give published scores for the aggregate and a few areas, as the older
reports did), narrative for a few areas of the latest edition, one or two practices per
city, and recommendations that point to other synthetic cities' practices filed under
the same area. Every file says plainly that it is synthetic (the name, the overview and
the source), so it can never pass for a real city. The same
``seed`` always gives the same files.
"""

from __future__ import annotations

import random

import yaml

from .model import Definition

COUNTRIES = [
    "AT",
    "BE",
    "CA",
    "CH",
    "CY",
    "DE",
    "DK",
    "ES",
    "FI",
    "FR",
    "GB",
    "GR",
    "IE",
    "IT",
    "JP",
    "KR",
    "MA",
    "MX",
    "NL",
    "NO",
    "PL",
    "PT",
    "RS",
    "SE",
    "TN",
    "TR",
    "UA",
    "US",
]

THEMES = [
    "education",
    "welcoming and social integration",
    "anti-rumours",
    "business and employment",
    "culture, leisure and heritage",
    "political and public participation",
    "housing and urban planning",
]

WORDS = [
    "council",
    "residents",
    "newcomers",
    "schools",
    "libraries",
    "festival",
    "neighbourhood",
    "mediation",
    "language",
    "media",
    "partners",
    "network",
    "strategy",
    "survey",
    "training",
    "budget",
    "youth",
]


#: The questionnaire versions before the definition's, by the first year they were used
#: (the method notes: about 2011–2015 and 2016–2018; the definition's from 2019).
VERSIONS = ((2011, "2011"), (2016, "2016"))


def version_of(year: int, current: str) -> str:
    """The questionnaire version a synthetic edition of ``year`` answered: ``current``, the
    definition's, from 2019, else the earlier one of its time (:data:`VERSIONS`)."""
    if year >= 2019:
        return current
    return [v for first, v in VERSIONS if year >= first][-1]


def _sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def synthesize(definition: Definition, n: int, seed: int = 1) -> dict[str, str]:
    """``n`` valid synthetic city files, ``{file name: YAML text}`` (module notes)."""
    rng = random.Random(seed)
    ids = [f"synthetic-{i:05d}" for i in range(1, n + 1)]
    practice_counts = {cid: rng.randint(1, 2) for cid in ids}
    # the index areas each practice serves, drawn first so recommendations can match them
    practice_areas = {
        (cid, k): rng.sample(definition.area_keys, k=rng.randint(1, 2))
        for cid in ids
        for k in range(1, practice_counts[cid] + 1)
    }
    filed: dict[str, list[str]] = {key: [] for key in definition.area_keys}
    for (cid, k), keys in practice_areas.items():
        for key in keys:
            filed[key].append(f"{cid}/practice-{k}")
    files = {}
    for index, cid in enumerate(ids, start=1):
        population = int(rng.lognormvariate(11.8, 1.0)) + 1000
        years = sorted(rng.sample(range(2011, 2026), k=rng.choice((1, 1, 2, 2, 3, 4))))
        editions = []
        for year in years:
            version = version_of(year, definition.edition)
            edition: dict[str, object] = {"year": year, "questionnaire": version, "source": "synthetic"}
            if version == definition.edition:
                answers = {}
                for area in definition.areas:
                    answer_area = area.group != "optional" or rng.random() < 0.3
                    for question in area.questions:
                        if question.mandatory or (answer_area and rng.random() < 0.8):
                            answers[question.id] = rng.choice(question.options).key
                edition["answers"] = answers
            else:
                published = rng.sample([a.key for a in definition.areas if a.group == "core"], k=3)
                edition["scores"] = {"aggregate": rng.randint(30, 90), **{k: rng.randint(20, 100) for k in published}}
            editions.append(edition)
        narrated = rng.sample(definition.area_keys, k=3)
        areas = {}
        for key in narrated:
            # practices of other cities filed under this area (as a report would point to)
            candidates = [p for p in rng.sample(filed[key], k=min(3, len(filed[key]))) if not p.startswith(cid + "/")]
            areas[key] = {
                "does": _sentence(rng),
                "suggests": _sentence(rng, 10),
                "learn_from": candidates[:2],
            }
        city = {
            "name": f"Synthetic city {index:05d}",
            "country": rng.choice(COUNTRIES),
            "population": {"value": population, "year": 2022, "source": "synthetic"},
            "foreign_born": {"percent": round(rng.uniform(1, 35), 1), "year": 2022, "source": "synthetic"},
            "overview": (
                "A synthetic city generated for benchmarks and tests. "
                "It is not a real city and its figures mean nothing."
            ),
            "sources": {"synthetic": {"title": "Synthetic data (not a real city)"}},
            "editions": [*editions[:-1], {**editions[-1], "areas": areas}],
            "practices": [
                {
                    "key": f"practice-{k}",
                    "title": f"Synthetic practice {k} of city {index:05d}",
                    "themes": rng.sample(THEMES, k=2),
                    "areas": practice_areas[(cid, k)],
                    "summary": _sentence(rng, 20),
                    "status": "inferred",
                }
                for k in range(1, practice_counts[cid] + 1)
            ],
        }
        files[f"{cid}.yaml"] = "# Synthetic city for benchmarks and tests: not real data.\n" + yaml.safe_dump(
            city, sort_keys=False, allow_unicode=True, width=100
        )
    return files
