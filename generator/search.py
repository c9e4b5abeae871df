"""One search index per language, from the one MkDocs' search plugin writes.

With mkdocs-static-i18n, the search plugin writes a single index holding the pages of
every language (``search/search_index.json``), set to stem words in all of them. A visitor
reading French would then find English pages too, and words would be stemmed by the
wrong language's rules. :func:`split_by_language` rewrites it after the build as one
index per language, where the theme's search looks for it: the default language's at
``search/search_index.json`` (its pages only, its stemmer only) and each other language's
under its folder (``fr/search/search_index.json``, with the French stemmer), its
addresses relative to that folder. The theme's template (``site_templates/theme/main.html``)
points a French page's search at its folder; the site map is copied there too, as the
theme's instant navigation reads it from the same place.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from . import i18n

INDEX = "search/search_index.json"


def split_by_language(site: Path, languages: tuple[str, ...]) -> None:
    """Rewrite ``site``'s search index as one index per language (``languages``, the
    default first); nothing happens without an index (search is off)."""
    index = site / INDEX
    if not index.is_file():
        return
    combined = json.loads(index.read_text(encoding="utf-8"))
    others = [i18n.site_prefix(language) for language in languages[1:]]
    for language in languages:
        prefix = i18n.site_prefix(language)
        if prefix:
            docs = [
                {**doc, "location": doc["location"][len(prefix) :]}
                for doc in combined["docs"]
                if doc["location"].startswith(prefix)
            ]
        else:
            docs = [doc for doc in combined["docs"] if not any(doc["location"].startswith(p) for p in others)]
        config = {**combined["config"], "lang": [language]}
        _write(site / prefix / INDEX, json.dumps({"config": config, "docs": docs}, ensure_ascii=False))
        if prefix:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                if (site / name).is_file():
                    shutil.copyfile(site / name, site / prefix / name)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
