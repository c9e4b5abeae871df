"""Rendering: HTML blocks set aside while Python-Markdown converts a page and put back
after, the generated folder written only where it changed, and autoescaping templates."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import markdown
import pytest

from generator.output import write_folder
from generator.templates import BLOCK_END, BLOCK_START, environment, put_back, set_aside

PAGE = f"""# Title

Some *prose*.

{BLOCK_START}
<table><tr><td>1 &lt; 2</td></tr></table>
{BLOCK_END}

## Next {{#next}}

{BLOCK_START}
<figure class="icc-chart"><figcaption>A chart</figcaption></figure>
{BLOCK_END}
"""


def test_blocks_are_set_aside_and_put_back_in_order():
    text, blocks = set_aside(PAGE)
    assert blocks == [
        "<table><tr><td>1 &lt; 2</td></tr></table>",
        '<figure class="icc-chart"><figcaption>A chart</figcaption></figure>',
    ]
    assert BLOCK_START not in text and "<table>" not in text
    html = markdown.markdown(text, extensions=["attr_list"])
    assert html.count("data-icc-block") == 2  # (Python-Markdown passes the placeholders through)
    back = put_back(html, blocks)
    assert "data-icc-block" not in back
    assert back.index("<em>prose</em>") < back.index("1 &lt; 2") < back.index('id="next"') < back.index("A chart")
    assert back.count('<section class="icc-block" data-search-exclude>') == 2


def test_a_lost_placeholder_is_an_error():
    text, blocks = set_aside(PAGE)
    with pytest.raises(ValueError, match="2 HTML blocks were set aside, but 1 placeholders came back"):
        put_back(text.replace('<div data-icc-block="1"></div>', ""), blocks)


def test_templates_escape_values_once_and_markdown_filters_escape_for_markdown(tmp_path):
    (tmp_path / "t.md.j2").write_text(
        "# {{ name | md_plain }}\n\n{{ text | md_text }}\n\n{% call block() %}<td>{{ name }}</td>{% endcall %}\n",
        encoding="utf-8",
    )
    out = environment(tmp_path).get_template("t.md.j2").render(name="AT&T <b>*x*</b>", text="3 < 4 & {a}")
    assert "# AT&amp;T &lt;b&gt;\\*x\\*&lt;/b&gt;" in out  # (escaped once, for HTML and for Markdown)
    assert "3 &lt; 4 &amp; &#123;a&#125;" in out
    assert f"{BLOCK_START}\n<td>AT&amp;T &lt;b&gt;*x*&lt;/b&gt;</td>\n{BLOCK_END}" in out


def test_an_undefined_name_in_a_template_is_an_error(tmp_path):
    (tmp_path / "t.md.j2").write_text("{{ missing }}\n", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        environment(tmp_path).get_template("t.md.j2").render()


def test_the_folder_is_written_only_where_it_changed(tmp_path):
    folder = tmp_path / "generated"
    first = write_folder(folder, [("a.md", "one"), ("b/c.md", "two"), ("d.json", b"{}")])
    assert (first.files, first.written) == (["a.md", "b/c.md", "d.json"], 3)
    os.utime(folder / "a.md", (1, 1))
    again = write_folder(folder, [("a.md", "one"), ("b/c.md", "TWO"), ("d.json", b"{}")])
    assert again.written == 1 and (folder / "b/c.md").read_text() == "TWO"
    assert (folder / "a.md").stat().st_mtime == 1  # (unchanged: not written again)
    last = write_folder(folder, [("a.md", "one")])  # files no longer made go, and so do empty folders
    assert last.written == 0 and sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == ["a.md"]


@pytest.mark.parametrize("path", ["../outside.md", "/etc/x", "a/../../b"])
def test_a_path_leaving_the_folder_is_an_error(tmp_path, path):
    with pytest.raises(ValueError, match="leaves the folder"):
        write_folder(tmp_path / "generated", [(path, "x")])
    assert not Path(tmp_path / "outside.md").exists()


def test_templates_compiled_by_another_environment_are_not_reused(tmp_path):
    from generator.templates import bytecode_cache

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.j2").write_text("{{ x }}", encoding="utf-8")
    loader = jinja2.FileSystemLoader(str(tmp_path / "t"))
    cache = tmp_path / "cache"

    def render(made_by: str, **options) -> str:
        env = jinja2.Environment(loader=loader, bytecode_cache=bytecode_cache(cache, made_by), **options)
        return env.get_template("page.j2").render(x="a")

    assert render("plain") == "a"
    # Jinja2 alone keys compiled templates by their source: an environment that now has a
    # finalize function would run the code compiled without it (the hazard)...
    assert render("plain", finalize=lambda v: f"[{v}]") == "a"
    # ...so what made the environment keys the cache too
    assert render("with finalize", finalize=lambda v: f"[{v}]") == "[a]"
    assert render("plain") == "a"
