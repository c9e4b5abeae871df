"""Records of the ICC Index: the index definition, cities, editions and practices.

These are the *declared schema* of every input file. ``validate`` checks each
YAML document against them (strict types, no unknown fields) and the rest of
the pipeline only ever sees these validated, immutable records.

Units used throughout:

* scores are points on a 0–100 scale (an area, the lens composite, the aggregate);
* population is a count of inhabitants;
* shares of residents (foreign-born, non-national) are percent, 0–100;
* dates are ISO 8601 strings (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), kept as
  written: a date is never turned into another type.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import re
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    field_validator,
    model_serializer,
    model_validator,
)

from .i18n import DEFAULT as DEFAULT_LANGUAGE
from .i18n import Shown

#: Keys of the two composites published next to the area scores.
LENS = "lens"
AGGREGATE = "aggregate"

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""An identifier inside the index definition (area, question, option): lower case, digits, ``_``."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
"""An ASCII identifier used in page addresses: lower case letters, digits and single hyphens."""

Text = Annotated[str, StringConstraints(min_length=1)]
"""Non-empty text. Narrative text may use Markdown; raw HTML in it is shown as text."""

Points = Annotated[int, Field(ge=0, le=100)]
"""A published score: whole points on the 0–100 scale."""

Percent = Annotated[float, Field(ge=0, le=100)]
"""A share of residents in percent (0–100)."""

Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$")]
"""An absolute http(s) address."""

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_iso_date(value: str) -> str:
    """Return ``value`` unchanged if it is an ISO 8601 date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).

    Raises:
        ValueError: the text is not such a date, or names a day that does not exist.
    """
    match = _DATE.match(value)
    if not match:
        raise ValueError(f"expected an ISO 8601 date such as 2020-08-27, 2020-08 or 2020, found '{value}'")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None  # (the pattern always captures the year)
    try:
        _dt.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"{value} is not a real date ({exc})") from None
    return value


IsoDate = Annotated[str, StringConstraints(min_length=4)]


class Record(BaseModel):
    """Base of every input record: strict types, unknown fields rejected, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Translatable(Record):
    """A record with text a page shows, which may also be given in French: ``fr`` maps the
    name of a text field (:attr:`TEXT_FIELDS`) to its French, written by hand in the same
    file (``fr: {overview: "…"}``). A page in French shows it; where it is missing the
    English is shown, marked as English (:meth:`localised`), and ``icc validate`` warns."""

    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ()
    #: Names that may be given in French (a city's: ``fr: {name: Genève}``); without it the
    #: name is shown as it is, in every language (a proper name is not marked English, and
    #: ``icc validate`` does not ask for one).
    NAME_FIELDS: ClassVar[tuple[str, ...]] = ()
    #: Mappings of text by key (an edition's ``sample_labels``), whose French is a mapping
    #: of some of the same keys (``fr: {sample_labels: {lens: "ville modèle"}}``).
    TEXT_MAPPINGS: ClassVar[tuple[str, ...]] = ()
    #: Lists of English labels with no French version (a practice's themes, as the
    #: Council of Europe's list of practices names them): marked English on other pages.
    ENGLISH_LISTS: ClassVar[tuple[str, ...]] = ()
    fr: dict[str, Text | dict[str, Text]] = {}

    @model_serializer(mode="wrap")
    def _without_empty_fr(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """(A record without French is written out without an ``fr`` field, as before.)"""
        data: dict[str, object] = handler(self)
        if not self.fr:
            data.pop("fr", None)
        return data

    @model_validator(mode="after")
    def _fr_names_text_fields(self) -> Translatable:
        fields = self.TEXT_FIELDS + self.NAME_FIELDS + self.TEXT_MAPPINGS
        unknown = sorted(set(self.fr) - set(fields))
        if unknown:
            raise ValueError(
                f"fr: {', '.join(unknown)} is not a text field of this record; "
                f"the French may be given for {', '.join(fields)}"
            )
        for name, value in self.fr.items():
            if (name in self.TEXT_MAPPINGS) != isinstance(value, dict):
                expected = "a mapping of the same keys as the English" if name in self.TEXT_MAPPINGS else "a text"
                raise ValueError(f"fr: {name} must be {expected}")
            if isinstance(value, dict) and (extra := sorted(set(value) - set(getattr(self, name)))):
                raise ValueError(f"fr: {name}: {', '.join(extra)} has no English in {name}")
        return self

    def localised(self, language: str) -> Translatable:
        """A copy for pages in ``language``: each text field, and those of the records inside
        it, becomes an ``i18n.Shown`` string that knows its language: the record's French
        where it gives it, else the English, marked English (pages then mark it with
        ``lang="en"``). The default language gives the record itself."""
        if language == DEFAULT_LANGUAGE:
            return self
        update: dict[str, object] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            french = self.fr.get(name) if language == "fr" else None
            if name in self.TEXT_FIELDS and isinstance(value, str):
                given = french if isinstance(french, str) else None
                update[name] = Shown(given, language) if given else Shown(value, DEFAULT_LANGUAGE)
            elif name in self.NAME_FIELDS and isinstance(french, str):
                update[name] = Shown(french, language)
            elif name in self.TEXT_MAPPINGS and isinstance(value, dict):
                by_key = french if isinstance(french, dict) else {}
                update[name] = {
                    k: Shown(by_key[k], language) if k in by_key else Shown(v, DEFAULT_LANGUAGE)
                    for k, v in value.items()
                }
            elif isinstance(value, Translatable):
                update[name] = value.localised(language)
            elif name in self.ENGLISH_LISTS and isinstance(value, list):
                update[name] = [Shown(v, DEFAULT_LANGUAGE) for v in value]
            elif isinstance(value, list) and value and isinstance(value[0], Translatable):
                update[name] = [v.localised(language) for v in value]
            elif isinstance(value, dict) and value and isinstance(next(iter(value.values())), Translatable):
                update[name] = {k: v.localised(language) for k, v in value.items()}
        copy = self.model_copy(update=update)
        for name in [n for n in copy.__dict__ if n not in type(self).model_fields]:
            del copy.__dict__[name]  # (values cached from the English record's fields)
        return copy

    def untranslated(self, language: str = "fr") -> list[tuple[str | int, ...]]:
        """Where a text field has English but no ``language`` version, here and in the
        records inside: paths such as ``("editions", 0, "areas", "commitment", "does")``."""
        out: list[tuple[str | int, ...]] = []
        given = self.fr if language == "fr" else {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name in self.TEXT_FIELDS and value and name not in given:
                out.append((name,))
            elif name in self.TEXT_MAPPINGS and isinstance(value, dict):
                french = given.get(name)
                out += [(name, k) for k in value if not (isinstance(french, dict) and k in french)]
            elif isinstance(value, Translatable):
                out += [(name, *p) for p in value.untranslated(language)]
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, Translatable):
                        out += [(name, i, *p) for p in v.untranslated(language)]
            elif isinstance(value, dict):
                for k, v in value.items():
                    if isinstance(v, Translatable):
                        out += [(name, k, *p) for p in v.untranslated(language)]
        return out


# --------------------------------------------------------------------------- definition


class Option(Translatable):
    """One answer option of a question and the points it earns (whole points, >= 0)."""

    TEXT_FIELDS = ("label",)

    key: Key
    label: Text
    points: Annotated[int, Field(ge=0)]


class Question(Translatable):
    """A questionnaire question: its wording, whether it is mandatory, its answer options.

    The points available for the question are those of its best option.
    """

    TEXT_FIELDS = ("text",)

    id: Key
    text: Text
    mandatory: bool
    options: Annotated[list[Option], Field(min_length=2)]

    @functools.cached_property
    def max_points(self) -> int:
        """Points of the best answer option."""
        return max(o.points for o in self.options)

    def option(self, answer: str) -> Option | None:
        """The option an answer names, or ``None``.

        The answer is the option's key, matched regardless of case and surrounding
        spaces, so ``Yes``, ``YES`` and ``yes`` all name the option ``yes``.
        """
        return self.options_by_key.get(answer.strip().casefold())

    @functools.cached_property
    def options_by_key(self) -> dict[str, Option]:
        """The options by key, case-folded (the first, if two keys differ only in case)."""
        out: dict[str, Option] = {}
        for o in self.options:
            out.setdefault(o.key.casefold(), o)
        return out

    @model_validator(mode="after")
    def _options_unique(self) -> Question:
        keys = [o.key for o in self.options]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"option keys must be unique within a question; repeated: {', '.join(dupes)}")
        if self.max_points == 0:
            raise ValueError("at least one option must earn points")
        return self


class Area(Translatable):
    """A scored policy area (an indicator or a sub-indicator of the intercultural lens).

    ``group`` says where the area's score goes: ``core`` areas and the lens composite make
    up the aggregate; ``lens`` areas make up the lens composite; ``optional`` areas
    (participation and interaction since 2019) are scored and compared on their own.
    ``weight`` is the area's weight inside its parent (the aggregate for ``core``, the lens
    composite for ``lens``; for ``optional`` it is used only when the definition includes
    optional areas in the aggregate).
    """

    TEXT_FIELDS = ("title", "short_title", "description", "examines")

    key: Key
    title: Text
    short_title: Text | None = None
    group: Literal["core", "lens", "optional"]
    weight: Annotated[float, Field(gt=0)]
    description: Text
    examines: Text
    questions: Annotated[list[Question], Field(min_length=1)]

    @property
    def label(self) -> str:
        """The title to use where space is short (charts, tables)."""
        return self.short_title or self.title


class Composite(Translatable):
    """A composite score published beside the areas (the lens or the aggregate)."""

    TEXT_FIELDS = ("title", "description")

    key: Key
    title: Text
    description: Text
    weight: Annotated[float, Field(gt=0)] | None = None


class Band(Translatable):
    """A comparison band: ``minimum <= value < maximum`` (either bound may be open)."""

    TEXT_FIELDS = ("label",)

    key: Slug
    label: Text
    minimum: float | None = None
    maximum: float | None = None

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the band (lower bound inclusive, upper bound exclusive)."""
        return (self.minimum is None or value >= self.minimum) and (self.maximum is None or value < self.maximum)


class BandSet(Translatable):
    """The bands of one comparison criterion, in ascending order, without gaps or overlaps."""

    TEXT_FIELDS = ("title",)

    title: Text
    unit: Literal["inhabitants", "percent"]
    bands: Annotated[list[Band], Field(min_length=2)]

    @model_validator(mode="after")
    def _contiguous(self) -> BandSet:
        bands = self.bands
        if bands[0].minimum is not None or bands[-1].maximum is not None:
            raise ValueError("the first band must have no minimum and the last no maximum")
        for low, high in itertools.pairwise(bands):
            if low.maximum is None or high.minimum != low.maximum:
                raise ValueError(f"band {high.key} must start where {low.key} ends")
        return self

    def band_for(self, value: float) -> Band:
        """The band holding ``value``."""
        return next(b for b in self.bands if b.contains(value))


class Bands(Translatable):
    """The two comparison criteria of the 2019 revision (the report, Methodology)."""

    TEXT_FIELDS = ()

    population: BandSet
    foreign_born: BandSet


class Definition(Translatable):
    """The index definition of one edition of the questionnaire (``definitions/<edition>.yaml``).

    Source of the structure: the Methodology section of the ICC Index Analysis reports
    (2019 revision: 86 questions, 73 mandatory; 12 indicators, the intercultural lens
    grouping six; the population and foreign-born bands); the question wording is a
    reconstruction (``questionnaire_note``).
    """

    TEXT_FIELDS = ("title", "questionnaire_note")

    edition: Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
    title: Text
    questionnaire_note: Text
    lens: Composite
    aggregate: Composite
    include_optional_in_aggregate: bool
    bands: Bands
    areas: Annotated[list[Area], Field(min_length=1)]

    @property
    def area_keys(self) -> list[str]:
        """Area keys in report order."""
        return [a.key for a in self.areas]

    def area(self, key: str) -> Area:
        """The area with this key (``KeyError`` if none)."""
        return self.areas_by_key[key]

    @functools.cached_property
    def areas_by_key(self) -> dict[str, Area]:
        """The areas by key (keys are unique: see the checks below)."""
        return {a.key: a for a in self.areas}

    @property
    def questions(self) -> list[Question]:
        """Every question, in questionnaire order."""
        return [q for a in self.areas for q in a.questions]

    @property
    def figure_order(self) -> list[str]:
        """Figure keys in the reports' order: aggregate, then the areas with the lens before its six."""
        keys = [AGGREGATE]
        for area in self.areas:
            if area.group == "lens" and LENS not in keys:
                keys.append(LENS)
            keys.append(area.key)
        return keys

    @property
    def score_keys(self) -> list[str]:
        """Every key a published score may use: the areas, the lens and the aggregate."""
        return [AGGREGATE, LENS, *self.area_keys]

    def title_of(self, key: str) -> str:
        """Display title of an area or composite key."""
        if key == LENS:
            return self.lens.title
        if key == AGGREGATE:
            return self.aggregate.title
        return self.area(key).title

    def label_of(self, key: str) -> str:
        """Short display title of an area or composite key."""
        if key in (LENS, AGGREGATE):
            return self.title_of(key)
        return self.area(key).label

    @model_validator(mode="after")
    def _consistent(self) -> Definition:
        keys = self.area_keys
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"area keys must be unique; repeated: {', '.join(dupes)}")
        if LENS in keys or AGGREGATE in keys:
            raise ValueError(f"'{LENS}' and '{AGGREGATE}' are reserved for the composites")
        ids = [q.id for q in self.questions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"question ids must be unique; repeated: {', '.join(dupes)}")
        if not any(a.group == "lens" for a in self.areas):
            raise ValueError("at least one area must belong to the lens group")
        if self.lens.weight is None:
            raise ValueError("lens.weight (the lens composite's weight in the aggregate) is required")
        return self


# --------------------------------------------------------------------------- cities


class Source(Translatable):
    """A publication that figures are taken from. Its title, publisher and note may be
    given in French too (a report published in both languages); where they are not,
    French pages show them in English, marked as English."""

    TEXT_FIELDS = ("title", "publisher", "note")

    title: Text
    publisher: Text | None = None
    date: IsoDate | None = None
    url: Url | None = None
    note: Text | None = None

    _date = field_validator("date")(lambda cls, v: v if v is None else check_iso_date(v))


class Population(Translatable):
    """Inhabitants, or only the band a source places the city in when no count is published."""

    TEXT_FIELDS = ("note",)

    value: Annotated[int, Field(gt=0)] | None = None
    band: Slug | None = None
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    approximate: bool = False
    source: Slug | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _value_or_band(self) -> Population:
        if self.value is None and self.band is None:
            raise ValueError("give the number of inhabitants (value) or the band a source places the city in")
        return self


class Share(Translatable):
    """A share of residents (foreign-born or non-national) in percent, or only its band."""

    TEXT_FIELDS = ("note",)

    percent: Percent | None = None
    count: Annotated[int, Field(ge=0)] | None = None
    band: Slug | None = None
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    source: Slug | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _percent_or_band(self) -> Share:
        if self.percent is None and self.band is None:
            raise ValueError("give the share in percent or the band a source places the city in")
        return self


class Fact(Translatable):
    """A key figure of the city overview, as a label and a value written out in words."""

    TEXT_FIELDS = ("label", "value")

    label: Text
    value: Text
    source: Slug | None = None


class AreaNarrative(Translatable):
    """What an edition's report says of one area, in our own words."""

    TEXT_FIELDS = ("does", "suggests")

    does: Text | None = None
    suggests: Text | None = None
    learn_from: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+/[a-z0-9-]+$")]] = []


class PublishedRank(Translatable):
    """A rank as a source published it (e.g. 4th of 26 cities over 500,000 inhabitants)."""

    TEXT_FIELDS = ("group",)

    group: Text
    rank: Annotated[int, Field(ge=1)]
    of: Annotated[int, Field(ge=1)] | None = None
    source: Slug | None = None

    @model_validator(mode="after")
    def _rank_within(self) -> PublishedRank:
        if self.of is not None and self.rank > self.of:
            raise ValueError(f"rank {self.rank} cannot exceed the group size {self.of}")
        return self


class Recommendation(Translatable):
    """A priority recommendation of an edition's report for one area."""

    TEXT_FIELDS = ("text",)

    area: Key
    text: Text


class Edition(Translatable):
    """One index analysis of a city.

    ``questionnaire`` is the questionnaire version the edition answered, as its source
    states it; ``questionnaire_inferred`` marks a version this site inferred (for example
    from the year) rather than read in the source. ``scores`` holds figures as published
    (points 0–100); a key left out means *not published*. ``answers`` holds
    questionnaire answers (question id → option key, in any case) when they are public.
    ``sample`` holds the "city sample" values the report printed next to the city's
    figures; ``sample_labels`` names, by figure, a value the report labels otherwise
    (Ansan's 2020 report calls its lens comparison value the "model city").
    ``sample_size`` is the number of cities in the index database when the report was
    written.
    """

    TEXT_FIELDS = ("note",)
    TEXT_MAPPINGS = ("sample_labels",)

    year: Annotated[int, Field(ge=2008, le=2100)]
    published: IsoDate | None = None
    questionnaire: Annotated[str, StringConstraints(pattern=r"^\d{4}$")] | None = None
    questionnaire_inferred: bool = False
    source: Slug
    sample_size: Annotated[int, Field(ge=1)] | None = None
    scores: dict[str, Points] = {}
    sample: dict[str, Points] = {}
    sample_labels: dict[str, Text] = {}
    answers: dict[str, Text] = {}
    published_ranks: list[PublishedRank] = []
    areas: dict[str, AreaNarrative] = {}
    recommendations: list[Recommendation] = []
    note: Text | None = None

    _published = field_validator("published")(lambda cls, v: v if v is None else check_iso_date(v))


class Practice(Translatable):
    """A good practice of the city whose file lists it; its id is ``<city id>/<key>``."""

    TEXT_FIELDS = ("title", "period", "summary", "source_title")
    ENGLISH_LISTS = ("themes",)

    key: Slug
    title: Text
    period: Text | None = None
    themes: list[Text] = []
    areas: Annotated[list[Key], Field(min_length=1)]
    summary: Text
    source: Url | None = None
    source_title: Text | None = None
    status: Literal["page", "listing", "title", "report", "inferred"]


class City(Translatable):
    """A city of the network (``cities/<id>.yaml``); its id is the file name.

    Three shares of residents are kept apart, each as its source gives it:
    ``foreign_born`` (born abroad; the only one that places a city in a foreign-born
    band), ``non_nationals`` (without the country's nationality) and
    ``immigrant_background`` (immigrants and the children of immigrants, a wider group).
    """

    TEXT_FIELDS = ("overview",)
    NAME_FIELDS = ("name",)

    name: Text
    native_name: Text | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    region: Text | None = None
    population: Population | None = None
    foreign_born: Share | None = None
    non_nationals: Share | None = None
    immigrant_background: Share | None = None
    overview: Text | None = None
    facts: list[Fact] = []
    sources: dict[Slug, Source] = {}
    editions: list[Edition] = []
    practices: list[Practice] = []

    @property
    def other_name(self) -> str | None:
        """The native name, shown beside the name, unless the page's name is that already
        (a French page names Genève so, and needs no "Genève" beside it)."""
        return self.native_name if self.native_name and self.native_name != self.name else None
