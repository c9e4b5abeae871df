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

from .charts import NARROW_SCREEN
from .paths import city_page
from .text import href, md_text, points, sanitize_html

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
    parts = []
    for name, bands in (("population", definition.bands.population), ("foreignBorn", definition.bands.foreign_born)):
        options = "".join(f'<option value="{esc(b.key)}">{esc(b.label)}</option>' for b in bands.bands)
        parts.append(
            f'<label>{esc(bands.title)} <select data-icc-filter="{name}" autocomplete="off">'
            f'<option value="all">All</option>{options}</select></label>'
        )
    return Markup(
        f'<div class="icc-band-filters icc-js-only" data-what="{esc(what)}">'
        f"<p><strong>Compare with peers:</strong> {' '.join(parts)}</p>"
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
        f"{esc(practice.practice.title)}</a>, "
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
    return Markup(
        '<table class="icc-answers"><thead><tr><th>Question</th><th>Answer</th><th>Points</th></tr></thead>'
        f"<tbody>{''.join(cells)}</tbody></table>"
    )


def data_table(figure: Any, city_name: str) -> Markup:
    """A figure's comparison rows (``Figure.rows``) as the HTML table under its chart:
    group, points, the number of other cities in the mean and, when any group ranks the
    city, its rank. Written here rather than in the template: a city page holds about
    twenty of these tables, and this is several times faster (every value is escaped)."""
    esc = markupsafe_escape
    ranked = any(r.rank for r in figure.rows)
    computed = " (computed)" if figure.score.origin not in (None, "published") else ""
    label = esc(figure.label)
    head = (
        f"<thead><tr><th>{label}</th><th>Points</th><th>Other cities in the mean</th>"
        + (f"<th>Rank of {esc(city_name)}</th>" if ranked else "")
        + "</tr></thead>"
    )
    rows = []
    for r in figure.rows:
        rank = (f"<td>{r.rank.rank} of {r.rank.of}</td>" if r.rank else "<td></td>") if ranked else ""
        rows.append(
            f"<tr><td>{esc(r.label)}</td><td>{esc(points(r.value, '—'))}{computed if r.kind == 'city' else ''}</td>"
            f"<td>{'' if r.count is None else r.count}</td>{rank}</tr>\n"
        )
    return Markup(f"<table>\n{head}\n<tbody>\n{''.join(rows)}</tbody>\n</table>")


_ROWS: dict[int, tuple[Any, str, dict[str, str]]] = {}


def _question_rows(question: Any) -> tuple[Any, str, dict[str, str]]:
    """``(question, row when not answered, {option key casefolded: row})`` for a question,
    computed once (the answer matches an option as ``Question.option`` matches it)."""
    cached = _ROWS.get(id(question))
    if cached is None or cached[0] is not question:
        text = html.escape(question.text)
        unanswered = (
            f"<tr><td>{text}</td><td>not answered</td><td>{'0' if question.mandatory else 'not counted'}</td></tr>"
        )
        by_key = {
            o.key.casefold(): f"<tr><td>{text}</td><td>{html.escape(o.label)}</td>"
            f"<td>{o.points} of {question.max_points}</td></tr>"
            for o in question.options
        }
        cached = _ROWS[id(question)] = (question, unanswered, by_key)
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
    converted = markdown_html(" ".join(md_text(text).split()))
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
        f"questionnaire {version_label(e.edition)}" if e.edition.questionnaire else "version not recorded"
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
    return Markup(
        f"<table>\n<thead><tr><th>Figure</th>{head}<th>Change, {history[-2].year} to {last.year}</th></tr></thead>\n"
        f"<tbody>\n{''.join(rows)}</tbody>\n</table>"
    )
