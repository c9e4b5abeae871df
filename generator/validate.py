"""Check every input against the declared schema and the cross-references between files.

``validate(inputs)`` never stops at the first problem: it returns every problem found,
each a :class:`Problem` record naming the file, line, city and field, with a message and
a hint a maintainer can act on. The pipeline publishes nothing while any problem has
severity ``error``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from pydantic import ValidationError

from .i18n import DEFAULT as DEFAULT_LANGUAGE
from .load import Document, Inputs, Path_
from .model import City, Definition
from .problems import ERROR, WARNING, Problem, dotted, schema_problems
from .text import excerpt


@dataclass(frozen=True)
class Network:
    """The validated inputs: the index definition and every city record, by city id.

    ``documents`` keeps each city's file (its text, not its parsed values: the records
    hold those) so that later steps can point a finding at a line (``Network.locate``).
    """

    definition: Definition
    cities: dict[str, City]
    documents: dict[str, Document] = field(repr=False)
    definition_document: Document = field(repr=False)

    def localised(self, language: str) -> Network:
        """The network as pages in ``language`` show it: its definition and cities with their
        text in that language where the files give it (``model.Translatable.localised``)."""
        if language == DEFAULT_LANGUAGE:
            return self
        definition = self.definition.localised(language)
        assert isinstance(definition, Definition)
        cities = {cid: city.localised(language) for cid, city in self.cities.items()}
        return dataclasses.replace(self, definition=definition, cities=cities)  # type: ignore[arg-type]

    def locate(self, city_id: str, location: Path_) -> tuple[str, int | None, int | None]:
        """File, line and column of ``location`` in a city's file (nearest enclosing value)."""
        doc = self.documents[city_id]
        mark = doc.mark(location)
        return str(doc.file), (mark.line if mark else None), (mark.column if mark else None)


@dataclass(frozen=True)
class Validation:
    """What ``validate`` returns: the network when there is no error, and every problem."""

    network: Network | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity ``error``."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity ``warning``."""
        return [p for p in self.problems if p.severity == WARNING]


# --------------------------------------------------------------------------- cross-references


class _Report:
    """Collects problems for one city file."""

    def __init__(self, doc: Document, city: str):
        self.doc, self.city = doc, city
        self.problems: list[Problem] = []

    def add(
        self, code: str, location: Path_, message: str, hint: str = "", severity: str = ERROR, at_key: bool = False
    ) -> None:
        mark = self.doc.key_mark(location) if at_key else self.doc.mark(location)
        self.problems.append(
            Problem(
                code,
                severity,
                str(self.doc.file),
                mark.line if mark else None,
                mark.column if mark else None,
                self.city,
                dotted(location),
                message,
                hint,
            )
        )


#: A Markdown link (or image) to a relative address: no scheme, not an anchor on the page.
_SITE_LINK = re.compile(r"\]\(\s*<?(?![a-zA-Z][a-zA-Z0-9+.-]*:|#)([^)\s>]+)")


def _texts(value: Any, here: Path_) -> list[tuple[Path_, str]]:
    """Every text value of a parsed file with its location."""
    if isinstance(value, str):
        return [(here, value)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, (*here, k))]
    if isinstance(value, list):
        return [t for i, v in enumerate(value) for t in _texts(v, (*here, i))]
    return []


def is_markdown(location: Path_) -> bool:
    """Whether the text at ``location`` of a city file is Markdown: the overview, an
    edition's note, what an area narrative says the city does and what it suggests, a
    recommendation's text and a practice's summary (the templates show these with
    ``md_text``). Every other text is plain and shown exactly as written (``md_plain``)."""
    last = location[-1] if location else None
    return (
        location == ("overview",)
        or (len(location) == 3 and location[0] == "editions" and last == "note")
        or (len(location) == 5 and location[2] == "areas" and last in ("does", "suggests"))
        or (len(location) == 5 and location[2] == "recommendations" and last == "text")
        or (len(location) == 3 and location[0] == "practices" and last == "summary")
    )


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def _check_city(
    city_id: str,
    city: City,
    doc: Document,
    definition: Definition,
    practice_ids: set[str],
    unchecked: AbstractSet[str] = frozenset(),
    practice_areas: dict[str, list[str]] | None = None,
) -> list[Problem]:
    r = _Report(doc, city_id)
    practice_areas = practice_areas or {}
    if pycountry.countries.get(alpha_2=city.country) is None:
        r.add(
            "unknown-country",
            ("country",),
            f"'{city.country}' is not an ISO 3166-1 alpha-2 country code",
            "see the ISO 3166-1 list, e.g. NO (Norway), KR (Republic of Korea), GB (United Kingdom)",
        )
    this_year = _dt.date.today().year

    def check_source(key: str | None, location: Path_) -> None:
        if key is not None and key not in city.sources:
            hint = _suggest(key, list(city.sources)) or (
                "add it under 'sources:' in this file" if city.sources else "add a 'sources:' mapping to this file"
            )
            r.add("unknown-source", location, f"the source '{key}' is not defined in this file's 'sources'", hint)

    bands = definition.bands
    for name, band_set in (
        ("population", bands.population),
        ("foreign_born", bands.foreign_born),
        ("non_nationals", bands.foreign_born),
        ("immigrant_background", bands.foreign_born),
    ):
        item = getattr(city, name)
        if item is None:
            continue
        check_source(item.source, (name, "source"))
        keys = [b.key for b in band_set.bands]
        if item.band is not None and item.band not in keys:
            r.add(
                "unknown-band",
                (name, "band"),
                f"'{item.band}' is not a band of the index definition",
                "expected one of: " + ", ".join(keys),
            )
        value = getattr(item, "value", None) if name == "population" else item.percent
        if item.band in keys and value is not None and band_set.band_for(value).key != item.band:
            r.add(
                "band-mismatch",
                (name, "band"),
                f"the band '{item.band}' does not hold the value {value:g}; "
                f"that value lies in '{band_set.band_for(value).key}'",
                "correct the value or the band, or remove the band and let it follow from the value",
            )
    for i, fact in enumerate(city.facts):
        check_source(fact.source, ("facts", i, "source"))

    score_keys = definition.score_keys
    years: dict[int, int] = {}
    for e, edition in enumerate(city.editions):
        here: Path_ = ("editions", e)
        if edition.year > this_year:
            r.add(
                "future-edition",
                (*here, "year"),
                f"the edition year {edition.year} is in the future",
                "the year of an edition is the year of its analysis",
            )
        if edition.year in years:
            r.add(
                "duplicate-edition",
                (*here, "year"),
                f"two editions have the year {edition.year}",
                f"the other one is editions[{years[edition.year]}]; merge them or correct the year",
            )
        years[edition.year] = e
        if edition.questionnaire is not None and int(edition.questionnaire) > edition.year:
            r.add(
                "later-questionnaire",
                (*here, "questionnaire"),
                f"the {edition.questionnaire} questionnaire came after the edition's year {edition.year}",
                "give the version the edition answered (the year of its questionnaire), or leave it out if unknown",
            )
        if edition.questionnaire_inferred and edition.questionnaire is None:
            r.add(
                "inferred-without-version",
                (*here, "questionnaire_inferred"),
                "questionnaire_inferred is set, but no questionnaire version is given",
                "add 'questionnaire: \"<year>\"' (the version you inferred), or remove questionnaire_inferred",
            )
        check_source(edition.source, (*here, "source"))
        for part in ("scores", "sample", "sample_labels"):
            for key in getattr(edition, part):
                if key not in score_keys:
                    r.add(
                        "unknown-area",
                        (*here, part, key),
                        f"'{key}' is not an area or composite of the index",
                        _suggest(key, score_keys) or "expected one of: " + ", ".join(score_keys),
                        at_key=True,
                    )
        for key in edition.sample_labels:
            if key in score_keys and key not in edition.sample:
                r.add(
                    "label-without-value",
                    (*here, "sample_labels", key),
                    f"a label is given for the sample value of '{key}', but the edition has no sample value for it",
                    f"add sample.{key} or remove sample_labels.{key}",
                    at_key=True,
                )
        for key in edition.areas:
            if key not in definition.area_keys:
                r.add(
                    "unknown-area",
                    (*here, "areas", key),
                    f"'{key}' is not an area of the index",
                    _suggest(key, definition.area_keys) or "expected one of: " + ", ".join(definition.area_keys),
                    at_key=True,
                )
        if edition.published is not None and int(edition.published[:4]) < edition.year:
            r.add(
                "early-publication",
                (*here, "published"),
                f"published in {edition.published[:4]}, before the edition's year {edition.year}",
                "the year of an edition is the year of its analysis; check both",
                severity=WARNING,
            )
        for key, narrative in edition.areas.items():
            for j, ref in enumerate(narrative.learn_from):
                if ref in narrative.learn_from[:j]:
                    r.add(
                        "duplicate-practice",
                        (*here, "areas", key, "learn_from", j),
                        f"'{ref}' is listed twice",
                        "list each practice once",
                    )
                elif ref.split("/")[0] == city_id:
                    r.add(
                        "own-practice",
                        (*here, "areas", key, "learn_from", j),
                        f"'{ref}' is a practice of this city itself",
                        "learn_from names practices of other cities; the city's own are listed under 'practices'",
                    )
                elif ref.split("/")[0] in unchecked:
                    continue
                elif ref in practice_areas and key not in practice_areas[ref]:
                    r.add(
                        "practice-elsewhere",
                        (*here, "areas", key, "learn_from", j),
                        f"'{ref}' is filed under {', '.join(practice_areas[ref])}, not under {key}",
                        "add the area to the practice's areas, or recommend it under its own area",
                        severity=WARNING,
                    )
                elif ref not in practice_ids:
                    r.add(
                        "unknown-practice",
                        (*here, "areas", key, "learn_from", j),
                        f"no practice has the id '{ref}'",
                        _suggest(ref, sorted(practice_ids))
                        or "a practice id is <city file name>/<practice key>, "
                        "and the practice must be listed in that city's file",
                    )
        for j, rec in enumerate(edition.recommendations):
            if rec.area not in definition.area_keys:
                r.add(
                    "unknown-area",
                    (*here, "recommendations", j, "area"),
                    f"'{rec.area}' is not an area of the index",
                    _suggest(rec.area, definition.area_keys),
                )
        for j, rank in enumerate(edition.published_ranks):
            check_source(rank.source, (*here, "published_ranks", j, "source"))
        if edition.answers:
            if edition.questionnaire is not None and edition.questionnaire != definition.edition:
                r.add(
                    "wrong-questionnaire",
                    (*here, "questionnaire"),
                    f"answers are to the {edition.questionnaire} questionnaire, "
                    f"but the index definition is the {definition.edition} edition",
                    "answers can only be scored against the definition they were given for",
                )
            questions = {q.id: q for q in definition.questions}
            for qid, option in edition.answers.items():
                question = questions.get(qid)
                if question is None:
                    r.add(
                        "unknown-question",
                        (*here, "answers", qid),
                        f"'{qid}' is not a question of the {definition.edition} questionnaire",
                        _suggest(qid, list(questions)),
                        at_key=True,
                    )
                elif question.option(option) is None:
                    keys = [o.key for o in question.options]
                    r.add(
                        "unknown-option",
                        (*here, "answers", qid),
                        f"'{option}' is not an answer option of '{qid}'",
                        "expected one of: " + ", ".join(keys),
                    )
            missing = [q.id for q in definition.questions if q.mandatory and q.id not in edition.answers]
            if missing:
                shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
                r.add(
                    "unanswered-mandatory",
                    (*here, "answers"),
                    f"{len(missing)} mandatory question(s) have no answer: {shown}",
                    "an edition that gives answers must answer every mandatory question; "
                    "leave 'answers' out if they are not public",
                )
    # a text can hold "](" only if the file's text does, or writes it with an escape: most
    # files need no walk through their texts
    walk = not doc.text or "](" in doc.text or "\\" in doc.text
    for location, text in _texts(doc.value, ()) if walk else ():
        found = _SITE_LINK.search(text) if is_markdown(location) else None
        if found:
            r.add(
                "site-link",
                location,
                f"the text links to '{excerpt(found.group(1))}', an address on this site; "
                "such links are not rewritten and would break",
                "link to a full address (https://...), or name the city or practice in words: "
                "its page is linked for you",
            )
    keys = [p.key for p in city.practices]
    for i, practice in enumerate(city.practices):
        if keys.count(practice.key) > 1 and keys.index(practice.key) != i:
            r.add(
                "duplicate-practice",
                ("practices", i, "key"),
                f"another practice of this city already has the key '{practice.key}'",
            )
        for j, area in enumerate(practice.areas):
            if area not in definition.area_keys:
                r.add(
                    "unknown-area",
                    ("practices", i, "areas", j),
                    f"'{area}' is not an area of the index",
                    _suggest(area, definition.area_keys) or "expected one of: " + ", ".join(definition.area_keys),
                )
    return r.problems


def validate(inputs: Inputs) -> Validation:
    """Validate the parsed inputs: schema of every file, then every cross-reference.

    Returns a :class:`Validation`; its ``network`` is ``None`` when any error was found.
    """
    problems: list[Problem] = [
        Problem(e.code, ERROR, str(e.file), e.line, e.column, _city_of(e.file, inputs), "", e.message, e.hint)
        for e in inputs.errors
    ]
    definition: Definition | None = None
    if inputs.definition is not None:
        try:
            definition = Definition.model_validate(inputs.definition.value)
        except ValidationError as exc:
            problems += schema_problems(exc, inputs.definition, Definition, None)
    taken = {file.name for file in inputs.city_files.values()} | {e.file.name for e in inputs.errors}
    for city_id, file in inputs.city_files.items():
        name = f"{slugify(city_id)}.yaml"
        if not slugify(city_id):
            suggestion = "rename it to the city's name in lower-case ASCII letters, such as zurich.yaml"
        elif name in taken:  # (a hint never names a file that is there already)
            suggestion = f"{name} is taken: merge the two files, or give this one another name"
        else:
            suggestion = f"rename it to {name}"
        if file.suffix != ".yaml":
            message = "city files must end in .yaml (lower case)"
        elif not _is_slug(city_id):
            message = (
                "the file name is the city's id in page addresses: lower-case ASCII letters, digits and hyphens only"
            )
        else:
            continue
        problems.append(Problem("bad-file-name", ERROR, str(file), None, None, city_id, "", message, suggestion))
    cities: dict[str, City] = {}
    for city_id, doc in inputs.cities.items():
        if doc.value is None:
            problems.append(
                Problem(
                    "empty-file",
                    ERROR,
                    str(doc.file),
                    None,
                    None,
                    city_id,
                    "",
                    "the file is empty",
                    "a city file needs at least 'name: ...' and 'country: ...'",
                )
            )
            continue
        if not isinstance(doc.value, dict):
            problems.append(
                Problem(
                    "wrong-type",
                    ERROR,
                    str(doc.file),
                    1,
                    1,
                    city_id,
                    "",
                    "a city file must be a mapping of 'field: value' lines",
                    "start with 'name: ...' and 'country: ...'",
                )
            )
            continue
        try:
            cities[city_id] = City.model_validate(doc.value)
        except ValidationError as exc:
            problems += schema_problems(exc, doc, City, city_id)
    if definition is not None:
        practice_areas = {f"{cid}/{p.key}": list(p.areas) for cid, c in cities.items() for p in c.practices}
        practice_ids = set(practice_areas)
        # references into a file that has errors of its own are not checked: its errors are
        # reported already, and guessing at its practices would send the reader elsewhere
        unchecked = set(inputs.city_files) - set(cities)
        for city_id, city in cities.items():
            problems += _check_city(
                city_id, city, inputs.cities[city_id], definition, practice_ids, unchecked, practice_areas
            )
    problems += _same_city_twice(cities, inputs)
    problems.sort(key=lambda p: (p.file, p.line or 0, p.column or 0))
    network = None
    if definition is not None and not any(p.severity == ERROR for p in problems):
        assert inputs.definition is not None  # (the definition was read from it)
        documents = {cid: doc.located() for cid, doc in inputs.cities.items()}
        network = Network(definition, cities, documents, inputs.definition)
    return Validation(network, problems)


def _same_city_twice(cities: dict[str, City], inputs: Inputs) -> list[Problem]:
    """An error on every city file whose name, country and region are those of a file before
    it (in file-name order): the same city twice, say a copied file. Lists and charts order
    tied cities by these three (``compare.tie_key``), so they must tell cities apart."""
    from .compare import tie_key

    first: dict[tuple[str, str, str], str] = {}
    problems = []
    for city_id in sorted(cities):
        key = tie_key(cities[city_id])
        if key not in first:
            first[key] = city_id
            continue
        r = _Report(inputs.cities[city_id], city_id)
        r.add(
            "same-city",
            ("name",),
            f"'{cities[city_id].name}' ({cities[city_id].country}) is already the city of "
            f"{inputs.city_files[first[key]].name}: the same name, country and region",
            "remove the copy, or tell the two cities apart with 'region'",
        )
        problems += r.problems
    return problems


def slugify(text: str) -> str:
    """An ASCII id for a file name: ``New York`` → ``new-york``, ``Zürich`` → ``zurich``."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def _is_slug(text: str) -> bool:
    return re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text) is not None


def _city_of(file: Path, inputs: Inputs) -> str | None:
    for city_id, f in inputs.city_files.items():
        if f == file:
            return city_id
    return None
