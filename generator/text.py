"""Small text helpers shared by the page templates: escaping, numbers, ordinals, links.

Data text is placed into Markdown, so it is escaped here: HTML special characters become
entities (a tag written in a city file shows as text and never runs), and text bound for
a table cell is kept on one line with its pipes escaped.
"""

from __future__ import annotations

import html
import posixpath
import re

import pycountry
from markupsafe import Markup

from . import i18n
from .score import publish


def md_text(text: str | None) -> str:
    """Narrative text from data, safe in Markdown: HTML is shown as text, Markdown still works.

    Besides ``&``, ``<`` and ``>``, the braces of attribute lists (``{: onclick=...}``)
    and the ``![`` of images (which would load from another host) are escaped, and a line
    cannot start a heading, admonition, quote or code block, so data text can format and
    link but not add attributes, restructure the page or load anything. Links to schemes
    other than http(s) and mailto are removed later by :func:`sanitize_html`.
    """
    if text is None:
        return ""
    foreign = i18n.foreign(text)
    if foreign is not None:  # (data text shown in another language than the page's)
        inner = md_text(str(text))
        if "\n\n" in inner:
            return f'<div lang="{foreign}" markdown="1">\n\n{inner}\n\n</div>'
        return f'<span lang="{foreign}">{inner}</span>'
    # code spans stay as written: Markdown shows their text as it is (escaping it again
    # would show "&amp;" for "&")
    parts = _CODE_SPAN.split(text.strip())
    for i in range(0, len(parts), 3):
        parts[i] = _escaped(parts[i])
    out = "".join(p for i, p in enumerate(parts) if i % 3 != 2)  # (the third part is the opening run alone)
    return _no_block_start(out)


def _escaped(text: str) -> str:
    """``&``, ``<``, ``>``, braces and ``![`` escaped (see :func:`md_text`)."""
    return html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;").replace("![", "&#33;[")


def _no_block_start(text: str) -> str:
    """A line may not open a heading, an admonition, a quote or a code fence of the page's own."""
    return _BLOCK_START.sub(lambda m: m.group(1) + f"&#{ord(m.group(2)[0])};" + m.group(2)[1:], text)


#: A code span: a run of backticks, text, and a run of as many (split keeps the span whole,
#: and its opening run apart).
_CODE_SPAN = re.compile(r"((`+)(?!`).+?(?<!`)\2(?!`))", re.S)

_BLOCK_START = re.compile(r"(^|\n)[ \t]*(#|=|!!!|\?\?\?|```|~~~|-{3,}\s*$)", re.M)


def md_plain(text: str | None) -> str:
    """Data text that must stay plain in Markdown (a name, a title): :func:`md_text`, and
    the characters of emphasis, code and links escaped too, so a name reads the same on
    every page and cannot make a link of its own. It is kept on one line (runs of white
    space become one space, as a browser shows them), so it cannot end a heading or a list
    item early."""
    if text is None:
        return ""
    foreign = i18n.foreign(text)
    if foreign is not None:
        return f'<span lang="{foreign}">{md_plain(str(text))}</span>'
    marked = re.sub(r"([\\`*_()#])", r"\\\1", one_line(text))
    # (brackets as entities, not backslash escapes: Python-Markdown reads a line such as
    # "- [a\]: b](c)" as a reference definition, escape or not, and drops it)
    return _no_block_start(_escaped(marked).replace("[", "&#91;").replace("]", "&#93;"))


def one_line(text: str) -> str:
    """``text`` on one line: each run of white space becomes one space, as a browser shows
    it, except no-break spaces (French typography puts them before ``:`` and ``%``), which
    a browser keeps."""
    return _RUN.sub(" ", text).strip(" ")


_RUN = re.compile(r"[^\S\u00a0\u202f]+")


def md_cell(text: str | None) -> str:
    """Data text for a Markdown table cell: escaped, on one line (no-break spaces kept, as
    :func:`one_line` keeps them), pipes escaped."""
    foreign = i18n.foreign(text)
    cell = one_line(md_text(str(text) if foreign else text)).replace("|", "\\|")
    return f'<span lang="{foreign}">{cell}</span>' if foreign else cell


def html_text(text: str | None) -> Markup:
    """Data text for HTML written in Python (a name, a title): escaped, and marked with its
    language when that is not the page's (``<span lang="en">…</span>`` on a French page),
    as the templates print it. ``None`` gives an empty string."""
    if text is None:
        return Markup("")
    foreign = i18n.foreign(text)
    escaped = Markup.escape(str(text))
    return Markup(f'<span lang="{foreign}">{escaped}</span>') if foreign else escaped


def meta_text(text: str | None) -> str:
    """Data text for a page's title or description in its front matter (one line, HTML-escaped).

    The theme prints the title and description of a page into ``<title>``, the header bar
    and a ``<meta>`` attribute without escaping, so the text is HTML-escaped here (quotes
    included).
    """
    return html.escape(one_line(text or ""), quote=True)


def yaml_str(text: str | None) -> str:
    """Data text as a double-quoted YAML scalar for page front matter (:func:`meta_text`;
    JSON string syntax is valid YAML)."""
    import json

    return json.dumps(meta_text(text), ensure_ascii=False)


def points(value: float | None, missing: str | None = None) -> str:
    """A score as printed: whole points by :func:`score.publish`, or ``missing`` ("not
    published" in the current language)."""
    if value is None:
        return missing if missing is not None else i18n._("not published")
    return str(publish(value))


def thousands(value: int | float | None) -> str:
    """``1620000`` → ``1,620,000`` (``1 620 000`` in French: :func:`i18n.number`); ``None`` → empty."""
    return "" if value is None else i18n.number(value)


def percent(value: float | None) -> str:
    """``11.9`` → ``11.9 %`` (``11,9 %`` in French: :func:`i18n.percent`); ``None`` → empty."""
    return "" if value is None else i18n.percent(value)


def ordinal(n: int) -> str:
    """``1`` → ``1st``, ``12`` → ``12th``, ``23`` → ``23rd`` (``1er``, ``12e`` in French: :func:`i18n.ordinal`)."""
    return i18n.ordinal(n)


def country_name(code: str) -> str:
    """Short name of an ISO 3166-1 alpha-2 code in the current language (``KR`` → ``South
    Korea``, ``Corée du Sud``: pycountry in English, Babel's CLDR names in other languages)."""
    language = i18n.current()
    if language != i18n.DEFAULT:
        from babel import Locale

        name = Locale.parse(language).territories.get(code)
        if name:
            return str(name)
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def rel(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """Relative link from one generated Markdown file to another (both relative to the docs root).

    MkDocs checks and rewrites links to ``.md`` sources, so generated links always name
    the source file (``../practices/bradford/schools-linking-network.md``), never an output URL.
    """
    target = relative(to_page, posixpath.dirname(from_page))
    return target + (f"#{anchor}" if anchor else "")


def relative(path: str, start: str) -> str:
    """``posixpath.relpath`` for paths relative to the same root, without touching the file system.

    (The standard function makes both paths absolute with the working folder first, which
    costs a system call per link; a site has hundreds of thousands of links.)
    """
    to_parts = [p for p in path.split("/") if p and p != "."]
    from_parts = [p for p in start.split("/") if p and p != "."]
    common = 0
    while common < min(len(to_parts), len(from_parts)) and to_parts[common] == from_parts[common]:
        common += 1
    parts = [".."] * (len(from_parts) - common) + to_parts[common:]
    return "/".join(parts) or "."


def page_url(path: str, directory_urls: bool = True) -> str:
    """The address MkDocs gives a docs file, relative to the site root, in the current
    language.

    ``cities/ansan.md`` → ``cities/ansan/`` (or ``cities/ansan.html`` without directory
    addresses; ``fr/cities/ansan/`` in French, as mkdocs-static-i18n publishes it);
    ``index.md`` files give their folder; other files keep their path (they are the same
    file in every language).
    """
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return i18n.site_prefix() + stem[: -len("index")]
    return i18n.site_prefix() + (f"{stem}/" if directory_urls else f"{stem}.html")


def href(from_page: str, to: str, anchor: str | None = None, directory_urls: bool = True) -> str:
    """A relative address for raw HTML, from the page built from ``from_page`` to ``to``.

    Raw HTML is not rewritten by MkDocs, so the address must already be the output one
    (unlike :func:`rel`, for Markdown links). It is relative, so the site works under any
    sub-path.
    """
    here = page_url(from_page, directory_urls)
    folder = here[: here.rfind("/") + 1]  # the folder the page is served from ("" at the root)
    target = page_url(to, directory_urls)
    depth = folder.count("/")
    top = folder[: folder.find("/") + 1]
    if depth and not target.startswith(top) and target != top[:-1]:
        # (most links: from a page in one top folder to another's, as from a city page to
        # an area page; computed here without splitting both paths)
        link = "../" * depth + target
    else:
        link = relative(target or ".", folder.rstrip("/"))
        if (target == "" or target.endswith("/")) and not link.endswith("/"):
            link += "/"
    return link + (f"#{anchor}" if anchor else "")


def long_date(iso: str | None) -> str:
    """``2020-08-27`` → ``27 August 2020``; ``2020-08`` → ``August 2020``; ``2020`` stays
    (in the current language: :func:`i18n.long_date`)."""
    return i18n.long_date(iso)


def folded(*names: str | None) -> list[str]:
    """ASCII forms of names that have diacritics (``Genève`` → ``Geneve``), for search only.

    The site search matches words as written, so a visitor typing "Geneve" would not
    find "Genève"; the folded forms are added to the page as hidden search terms.
    """
    import unicodedata

    out = []
    for name in names:
        if not name:
            continue
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().strip()
        if plain and plain != name and plain not in out and len(plain) >= len(name) // 2:
            out.append(plain)
    return out


def anchor(name: str) -> str:
    """An explicit heading id in attr_list syntax (``{#commitment}``): stable, never derived from the title."""
    return "{#" + name + "}"


_CYRILLIC_LANG = {"UA": "uk", "RS": "sr", "RU": "ru", "BG": "bg", "MK": "mk", "BY": "be", "ME": "sr", "BA": "sr"}


def lang_of(text: str | None, country: str) -> str | None:
    """BCP 47 language of a native name, told by its script (and country for Cyrillic); ``None`` if unsure.

    Screen readers use it to pronounce the name in its own language.
    """
    if not text:
        return None
    if re.search(r"[\uac00-\ud7a3\u1100-\u11ff]", text):
        return "ko"
    if re.search(r"[\u0370-\u03ff]", text):
        return "el"
    if re.search(r"[\u0600-\u06ff]", text):
        return "ar"
    if re.search(r"[\u0590-\u05ff]", text):
        return "he"
    if re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    if re.search(r"[\u0400-\u04ff]", text):
        return _CYRILLIC_LANG.get(country)
    return None


def lang_attr(text: str | None, country: str) -> str:
    """`` lang="ko"`` (with its leading space) for a native name, or an empty string."""
    lang = lang_of(text, country)
    return f' lang="{lang}"' if lang else ""


# Tags and attributes the generated pages legitimately contain (Python-Markdown with the
# site's extensions, Material's admonitions and the chart figures). Anything else that
# data text might smuggle in is removed; links may only use these schemes.
_TAGS = {
    "a",
    "abbr",
    "img",
    "blockquote",
    "br",
    "code",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {
    "*": {"class", "id", "lang", "title", "role", "aria-label", "aria-hidden", "aria-describedby"},
    "a": {"href"},
    "img": {"src", "alt", "loading"},
    "figure": {"data-label"},
    "div": {"data-spec", "data-filter", "data-icc-block", "data-search-exclude"},
    "td": {"style"},
    "th": {"style"},
    "details": {"open"},
    "span": {"hidden"},
    "abbr": {"title"},
    **{f"h{n}": {"data-search-exclude"} for n in range(1, 7)},  # sections left out of search
}
_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(fragment: str) -> str:
    """Reduce the HTML of a generated page to the safe subset the site uses (nh3 / ammonia).

    Removes scripts, event-handler attributes, frames and embeds, and links to any scheme
    but http, https and mailto. Images are kept (the static charts); data text cannot
    produce one, as :func:`md_text` escapes image syntax. Applied to every generated page before MkDocs' search
    indexes it, so the search index carries the same safe text.
    """
    import nh3

    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags={"script", "style", "template", "iframe", "object", "embed", "svg", "math"},
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )


def excerpt(text: str, limit: int = 60) -> str:
    """Data text as a message quotes it: whole up to ``limit`` characters, else its first
    ones and a marked cut (``…, 5,200,000 characters in all``), so no message repeats a
    huge value."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters in all)"
