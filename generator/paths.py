"""Where each generated page lives: its source path relative to the docs root.

The path is the page's identity: ``cities/ansan.md`` is built at ``cities/ansan/``, and
every link between generated pages is made from these paths (``text.href``, ``text.rel``).
"""


def city_page(city_id: str) -> str:
    """Source path of a city's page (``cities/<id>.md``); the id is the city file's name."""
    return f"cities/{city_id}.md"


def practice_page(practice_id: str) -> str:
    """Source path of a practice's page (``practices/<city id>/<key>.md``)."""
    return f"practices/{practice_id}.md"


def area_page(key: str) -> str:
    """Source path of a figure's page (``areas/<key>.md``: the aggregate, the lens or an area)."""
    return f"areas/{key}.md"


def edition_page(city_id: str, year: int) -> str:
    """Source path of one edition's own page (``cities/<id>/<year>.md``, built at
    ``cities/<id>/<year>/``): it keeps that year's figures and comparisons for good."""
    return f"cities/{city_id}/{year}.md"
