"""Text helpers: escaping of data text, addresses between pages."""

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from generator.text import href, md_text, ordinal, page_url, rel, relative


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "101st",
        "111th",
    ]


def test_data_text_cannot_restructure_or_script_a_page():
    assert md_text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert md_text("# Heading") == "&#35; Heading"
    assert md_text("line\n!!! note") == "line\n&#33;!! note"
    assert md_text("a {: onclick=x }") == "a &#123;: onclick=x &#125;"
    assert md_text("![pixel](http://example.org/p.png)") == "&#33;[pixel](http://example.org/p.png)"
    assert md_text("**bold** and [a link](https://example.org/)") == "**bold** and [a link](https://example.org/)"


def test_markdown_links_name_source_files():
    assert rel("cities/ansan.md", "practices/bradford/schools.md", "x") == "../practices/bradford/schools.md#x"
    assert rel("index.md", "results.md") == "results.md"


def test_raw_html_links_name_output_addresses():
    assert page_url("cities/ansan.md") == "cities/ansan/"
    assert page_url("practices/index.md") == "practices/"
    assert page_url("cities/ansan.md", directory_urls=False) == "cities/ansan.html"
    assert href("cities/ansan.md", "practices/bradford/schools.md") == "../../practices/bradford/schools/"
    assert (
        href("cities/ansan.md", "practices/bradford/schools.md", directory_urls=False)
        == "../practices/bradford/schools.html"
    )
    assert href("cities/ansan.md", "assets/charts/svg/a.svg") == "../../assets/charts/svg/a.svg"
    assert href("cities/ansan.md", "index.md") == "../../"
    assert href("results.md", "cities/ansan.md", "education") == "../cities/ansan/#education"


PARTS = st.lists(st.sampled_from(["a", "b", "cities", "index.md", "x.md"]), max_size=4)


def test_raw_html_links_between_top_folders_and_within_one():
    assert href("cities/ansan.md", "cities/oslo.md") == "../oslo/"
    assert href("cities/ansan.md", "cities/oslo.md", directory_urls=False) == "oslo.html"
    assert href("areas/education.md", "areas/index.md", "x") == "../#x"
    assert href("practices/index.md", "practices/oslo/a.md") == "oslo/a/"
    assert href("index.md", "methodology.md", "learn-rules") == "methodology/#learn-rules"
    assert href("a/b.md", "a") == ".."  # (the top folder itself)


@given(PARTS.filter(bool), PARTS.filter(bool), st.booleans())
def test_href_agrees_with_the_standard_library(to, start, directory_urls):
    from_page, to_page = "/".join(start), "/".join(to)
    here, target = page_url(from_page, directory_urls), page_url(to_page, directory_urls)
    folder = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    expected = posixpath.relpath(target or ".", folder.rstrip("/") or ".")
    if (target == "" or target.endswith("/")) and not expected.endswith("/"):
        expected += "/"
    assert href(from_page, to_page, directory_urls=directory_urls) == expected


@given(PARTS.filter(bool), PARTS)
def test_relative_agrees_with_the_standard_library(to, start):
    assert relative("/".join(to), "/".join(start)) == posixpath.relpath("/".join(to), "/".join(start) or ".")


def test_md_plain_keeps_a_name_plain_in_markdown():
    import markdown

    from generator.text import md_plain

    html = markdown.markdown("[" + md_plain("Ansan](https://evil.example/) [x **b**") + "](cities/ansan.md)")
    # (a browser shows the link's text as "Ansan](https://evil.example/) [x **b**")
    assert html == '<p><a href="cities/ansan.md">Ansan&#93;(https://evil.example/) &#91;x **b**</a></p>'
    # a list item whose link text ends in "]:" is not read as a reference definition and dropped
    item = markdown.markdown("- [" + md_plain("a]: b") + "](c.md)")
    assert item == '<ul>\n<li><a href="c.md">a&#93;: b</a></li>\n</ul>'


def test_code_spans_show_exactly_what_the_file_says():
    import markdown

    html = markdown.markdown(md_text("`AT&T`, `3 < 4` and `{a}`, then <b> & {x}"))
    # (the browser shows AT&T, 3 < 4 and {a}: each escaped once, by Markdown, inside its code span)
    assert html == (
        "<p><code>AT&amp;T</code>, <code>3 &lt; 4</code> and <code>{a}</code>, then &lt;b&gt; &amp; &#123;x&#125;</p>"
    )
    # an unclosed backtick is text, and text outside code spans is escaped as before
    assert md_text("a ` b <i>") == "a ` b &lt;i&gt;"


def test_a_plain_name_never_opens_code_or_markup():
    from generator.text import md_plain

    assert md_plain("`<b>` & *x*") == "\\`&lt;b&gt;\\` &amp; \\*x\\*"


def test_a_table_cell_is_on_one_line_and_keeps_its_no_break_spaces():
    from generator.text import md_cell

    # (French writes "De 100 000 à 200 000" with narrow no-break spaces, "15 %" with a no-break space)
    assert md_cell("De 100\u202f000 à\n  200\u202f000 | 15\u00a0%") == "De 100\u202f000 à 200\u202f000 \\| 15\u00a0%"


def test_inline_markdown_keeps_no_break_spaces():
    import html

    from generator.snippets import inline_markdown

    # (Python-Markdown writes a no-break space as &nbsp;)
    assert html.unescape(inline_markdown("la «\u00a0diplomatie urbaine\u00a0»,\n  *un outil*")) == (
        "la «\u00a0diplomatie urbaine\u00a0», <em>un outil</em>"
    )
