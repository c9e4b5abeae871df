"""HTML written in Python: the pieces a city page repeats dozens of times (charts, data
tables, answer tables, practice links) and narrative Markdown converted inline.

Each function escapes every value it writes and returns ``markupsafe.Markup``, so the
autoescaping templates put it in as it is. They are functions rather than template
macros because a city page calls them about a hundred times, and a call here is several
times faster than a macro call.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

from . import i18n
from .charts import NARROW_SCREEN
from .i18n import _
from .paths import city_page
from .text import href, html_text, md_text, one_line, points, sanitize_html

if TYPE_CHECKING:
    from .model import Definition
    from .views import Chart, PracticeView


def chart_figure(chart: Chart, page: str, directory_urls: bool = True, first: bool = False) -> Markup:
    """A chart as an HTML page shows it: a ``<figure>`` with the static render when there
    is one, the element the interactive chart is drawn into (its instance as JSON in
    ``data-spec``), and the caption. ``page`` is the source path of the page it is on (for
    the image's relative address); ``first`` marks a chart in the page's first screen
    (its image is fetched at once, not when scrolled near).

    The static render is what a visitor sees first, with or without JavaScript, and in
    print; screens up to ``charts.NARROW_SCREEN`` pixels wide get its narrow version, so
    that its text is not scaled down to a third on a phone. The page's script draws the
    interactive chart in its place when the visitor reaches for it (``charts.js``). Each
    image's ``data-icc-size`` names its drawing: the pipeline replaces it with the
    drawing's ``width`` and ``height`` once drawn (:func:`drawing.fill_sizes`), so the
    image's box has its final size before it loads.

    Written here rather than as a template macro: a city page holds about twenty charts,
    and this is several times faster than a macro call (every value is escaped here). The
    instance's JSON is put in single quotes, where only ``&`` and ``'`` need escaping: its
    many double quotes stay as they are (a fifth of a city page otherwise).
    """
    esc = html.escape

    def address(svg: str) -> str:
        return esc(href(page, svg, directory_urls=directory_urls))

    def size(svg: str) -> str:
        return f'data-icc-size="{esc(svg.rsplit("/", 1)[-1].removesuffix(".svg"))}"'

    if chart.svg:
        loading = 'fetchpriority="high"' if first else 'loading="lazy"'
        narrow = (
            f'<source media="(max-width: {NARROW_SCREEN}px)" srcset="{address(chart.svg_narrow)}" '
            f"{size(chart.svg_narrow)}>"
            if chart.svg_narrow
            else ""
        )
        image = (
            f'<picture>{narrow}<img class="icc-chart__static" src="{address(chart.svg)}" '
            f'alt="{esc(chart.alt)}" {size(chart.svg)} {loading} decoding="async"></picture>\n'
        )
        label = ""
    else:
        image, label = "", f' data-label="{esc(chart.alt)}"'
    spec = chart.json.replace("&", "&amp;").replace("'", "&#39;")
    return Markup(
        f'<figure class="icc-chart" id="chart-{esc(chart.id)}"{label}>\n{image}'
        f"<div class=\"icc-chart__view\" data-spec='{spec}'></div>\n"
        f"<figcaption>{esc(chart.caption)}</figcaption>\n</figure>"
    )


def band_filters(definition: Definition, what: str) -> Markup:
    """The band filters of a listing (HTML): a list box per band kind (population,
    foreign-born residents), each with "All" and the definition's bands, and a line that
    says how many rows are shown. They filter the page's table (rows carrying
    ``data-population`` and ``data-foreign-born``) and its charts (their parameters
    ``population`` and ``foreignBorn``); ``what`` names the rows (``"cities"``).

    Shown only with JavaScript (``icc-js-only``): without it there is nothing to filter with.
    The browser does not restore their choice when a visitor comes back (``autocomplete="off"``):
    it would show a band that neither the table nor the chart shows.
    """
    esc = html.escape
    # Translators: the choice of a band filter that keeps every band (population, foreign-born residents)
    everything = esc(_("All"))
    parts = []
    for name, bands in (("population", definition.bands.population), ("foreignBorn", definition.bands.foreign_born)):
        options = "".join(f'<option value="{esc(b.key)}">{esc(b.label)}</option>' for b in bands.bands)
        parts.append(
            f'<label>{esc(bands.title)} <select data-icc-filter="{name}" autocomplete="off">'
            f'<option value="all">{everything}</option>{options}</select></label>'
        )
    # Translators: before the band filters of a listing (list boxes of population and foreign-born bands)
    lead = esc(_("Compare with peers:"))
    return Markup(
        f'<div class="icc-band-filters icc-js-only" data-what="{esc(what)}">'
        f"<p><strong>{lead}</strong> {' '.join(parts)}</p>"
        '<p class="icc-band-filters__status" aria-live="polite"></p></div>'
    )


def practice_link(practice: PracticeView, page: str, directory_urls: bool = True) -> Markup:
    """A practice as a city page lists it (HTML): a link to its page, a link to its city's
    page, and the country: ``<a …>Title</a>, <a …>City</a> (Country)``. ``page`` is the
    source path of the page it is on. (Written here, not in the template: a city page lists
    dozens, and one call is several times faster than the template's dozen outputs.)"""
    esc = html.escape
    return Markup(
        f'<a href="{esc(href(page, practice.page, directory_urls=directory_urls))}">'
        f"{html_text(practice.practice.title)}</a>, "
        f'<a href="{esc(href(page, city_page(practice.city_id), directory_urls=directory_urls))}">'
        f"{esc(practice.city_name)}</a> ({esc(practice.country)})"
    )


def answers_table(area: Any, answers: dict[str, str]) -> Markup:
    """The questionnaire answers of one area as an HTML table: question, answer, points.

    Written as HTML rather than a Markdown table: a page may hold 86 of these rows, and
    Markdown tables are the slowest thing MkDocs renders. The rows a question can give are
    made once per question (:func:`_question_rows`), not once per city.
    """
    cells = []
    for question in area.questions:
        rows = _question_rows(question)
        answer = answers.get(question.id)
        cells.append(rows[1] if answer is None else rows[2].get(answer.strip().casefold(), rows[1]))
    esc = html.escape
    # Translators: headings of the table of a city's answers to the questionnaire
    question, answer, points_heading = esc(_("Question")), esc(_("Answer")), esc(_("Points"))
    return Markup(
        f'<table class="icc-answers"><thead><tr><th>{question}</th><th>{answer}</th><th>{points_heading}</th></tr>'
        f"</thead><tbody>{''.join(cells)}</tbody></table>"
    )


def data_table(figure: Any, city_name: str) -> Markup:
    """A figure's comparison rows (``Figure.rows``) as the HTML table under its chart:
    group, points, the number of other cities in the mean and, when any group ranks the
    city, its rank. Written here rather than in the template: a city page holds about
    twenty of these tables, and this is several times faster (every value is escaped)."""
    esc = markupsafe_escape
    ranked = any(r.rank for r in figure.rows)
    computed = figure.score.origin not in (None, "published")
    label = esc(figure.label)
    points_heading, count_heading = esc(_("Points")), esc(_("Other cities in the mean"))
    # Translators: a table heading: the rank of the city (%(city)s) in each group of cities
    rank_heading = esc(_("Rank of %(city)s", city=city_name))
    head = (
        f"<thead><tr><th>{label}</th><th>{points_heading}</th><th>{count_heading}</th>"
        + (f"<th>{rank_heading}</th>" if ranked else "")
        + "</tr></thead>"
    )
    rows = []
    for r in figure.rows:
        # Translators: the city's rank in a group of cities, "4 of 14"
        told = _("%(rank)s of %(of)s", rank=r.rank.rank, of=r.rank.of) if r.rank else ""
        rank = f"<td>{esc(told)}</td>" if ranked else ""
        value = points(r.value, "—")
        if computed and r.kind == "city":
            # Translators: a city's points that the site computed from the answers (the report gives none)
            value = _("%(points)s (computed)", points=value)
        rows.append(
            f"<tr><td>{esc(r.label)}</td><td>{esc(value)}</td>"
            f"<td>{'' if r.count is None else r.count}</td>{rank}</tr>\n"
        )
    return Markup(f"<table>\n{head}\n<tbody>\n{''.join(rows)}</tbody>\n</table>")


_ROWS: dict[tuple[int, str], tuple[Any, str, dict[str, str]]] = {}


def _question_rows(question: Any) -> tuple[Any, str, dict[str, str]]:
    """``(question, row when not answered, {option key casefolded: row})`` for a question,
    computed once per language (the answer matches an option as ``Question.option`` matches it)."""
    key = (id(question), i18n.current())
    cached = _ROWS.get(key)
    if cached is None or cached[0] is not question:
        esc = html.escape
        text = esc(question.text)
        # Translators: in the table of a city's answers: a question the city did not answer
        unanswered_text = esc(_("not answered"))
        # Translators: in the table of a city's answers: the points of an optional question not answered
        counted = "0" if question.mandatory else esc(_("not counted"))
        unanswered = f"<tr><td>{text}</td><td>{unanswered_text}</td><td>{counted}</td></tr>"
        by_key = {}
        for o in question.options:
            # Translators: the points an answer gives, out of the question's most, "3 of 4"
            given = esc(_("%(points)s of %(most)s", points=o.points, most=question.max_points))
            by_key[o.key.casefold()] = f"<tr><td>{text}</td><td>{esc(o.label)}</td><td>{given}</td></tr>"
        cached = _ROWS[key] = (question, unanswered, by_key)
    return cached


#: A link to a relative address (no scheme, not an anchor): a page of this site, which would not be rewritten.
_SITE_LINK = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#)([^"]*)"')


_MARKDOWN: Any = None
#: Text that converts to a plain paragraph: no character Markdown gives a meaning to, one line.
_PLAIN = re.compile(r"[^\\`*_\[\]!<>#|~=+\-:{}()\n^]*")


def markdown_html(text: str) -> str:
    """Narrative Markdown (already escaped by ``md_text``) as HTML, by Python-Markdown, with
    what the conversion makes reduced to the site's safe subset (:func:`text.sanitize_html`).

    Plain one-line text (most narrative) is wrapped in a paragraph without running the
    converter, which gives the same HTML. Raises ``ValueError`` if the text links to a page
    of this site (such links are not rewritten; validation reports them first, at their line).
    """
    global _MARKDOWN
    text = text.strip()
    if _PLAIN.fullmatch(text):
        return f"<p>{text}</p>" if text else ""
    if _MARKDOWN is None:
        import markdown

        _MARKDOWN = markdown.Markdown(extensions=["sane_lists"])
    converted = sanitize_html(_MARKDOWN.reset().convert(text))
    found = _SITE_LINK.search(converted)
    if found:
        raise ValueError(f"narrative text links to a page of this site ({found.group(1)}); link to full addresses only")
    return converted


def inline_markdown(text: str | None) -> Markup:
    """Data text that may use Markdown, as inline HTML (for a list item or table cell of an HTML template).

    Raises ``ValueError`` if it links to a page of this site (such links are not rewritten).
    """
    converted = markdown_html(one_line(md_text(text)))  # (no-break spaces kept)
    return Markup(converted.removeprefix("<p>").removesuffix("</p>"))


def history_table(city: Any, definition: Definition) -> Markup:
    """The data table of a city's chart across editions (``CityView.history``, earliest
    first): a row per figure with a value in any of them, a column per edition (the
    questionnaire version in its heading), and the change of the last edition from the one
    before it (``progress`` module rules)."""
    from .progress import version_label
    from .views import change_cell, figure_label  # (views imports this module)

    esc = markupsafe_escape
    history = city.history
    last = history[-1]
    versions = [
        # Translators: the questionnaire version an edition answered, in a column heading ("questionnaire 2019")
        _("questionnaire %(version)s", version=version_label(e.edition))
        if e.edition.questionnaire
        else _("version not recorded")
        for e in history
    ]
    head = "".join(f"<th>{e.year} <small>({esc(v)})</small></th>" for e, v in zip(history, versions, strict=True))
    rows = []
    for key in definition.figure_order:
        values = [e.scores.value(key) for e in history]
        if all(v is None for v in values):
            continue
        told = change_cell(city.figures[key].change if key in city.figures else None)
        cells = "".join(f"<td>{esc(points(v, '—'))}</td>" for v in values)
        rows.append(f"<tr><td>{esc(figure_label(definition, key))}</td>{cells}<td>{esc(told)}</td></tr>\n")
    # Translators: a table heading: the figures (aggregate index, intercultural lens, areas)
    figure = esc(_("Figure"))
    # Translators: a table heading: the change of each figure from one edition to the next
    change = esc(_("Change, %(first)s to %(last)s", first=history[-2].year, last=last.year))
    return Markup(
        f"<table>\n<thead><tr><th>{figure}</th>{head}<th>{change}</th></tr></thead>\n"
        f"<tbody>\n{''.join(rows)}</tbody>\n</table>"
    )
