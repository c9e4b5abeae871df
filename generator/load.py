"""Read YAML input files into plain values, keeping the line and column of every value.

Only this module reads YAML. It resolves scalars by a strict rule set (close to the YAML
1.2 core schema) so that a value never silently changes type:

* ``true`` / ``false`` (lower case only) are booleans; ``yes``, ``No``, ``off`` … stay text;
* ``null``, ``~`` and an empty value are null;
* integers are written in decimal without leading zeros (``0301`` stays the text "0301");
* decimal numbers such as ``11.9`` are floats;
* everything else, dates included (``2020-08-27``), is text, exactly as written, in
  Unicode normal form C (a name typed as ``u`` + combining diaeresis is the same
  ``ü`` as one typed directly; the two look the same and must compare equal).

Duplicate keys in a mapping are an error, never a silent overwrite. Errors are raised as
:class:`YamlError` carrying the file, line and column.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import yaml

try:  # libyaml is several times faster; the pure-Python parser gives the same nodes.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
"""A location inside a document: the keys and list indexes leading to a value."""


class Mark(NamedTuple):
    """A position in a file: 1-based line and column. (A named tuple: a file of a hundred
    values makes a hundred of these, and a network of ten thousand files a million.)"""

    line: int
    column: int


@dataclass(frozen=True)
class Document:
    """One YAML file read into plain Python values.

    ``value`` is made of dicts, lists, str, int, float, bool and None only; ``text`` is
    the source it was read from. The positions of values and keys (:meth:`mark`,
    :meth:`key_mark`) are found when first asked for, by reading ``text`` again: a valid
    file never needs them, and in a large network they would take more memory than the
    values themselves.
    """

    file: Path
    value: Any
    text: str = field(repr=False, default="")

    @functools.cached_property
    def _positions(self) -> tuple[dict[Path_, Mark], dict[Path_, Mark]]:
        """(position of every value, position of the key of every mapping entry), by location."""
        marks: dict[Path_, Mark] = {(): Mark(1, 1)}
        keys: dict[Path_, Mark] = {}
        node = _compose(self.text, self.file)
        if node is not None:
            _build(node, (), marks, self.file, keys)
        return marks, keys

    def located(self) -> Document:
        """The same file without its values: what :meth:`mark` and :meth:`key_mark` need."""
        return Document(self.file, None, self.text)

    def mark(self, location: Path_) -> Mark | None:
        """The position of ``location``, or of its nearest enclosing value that has one."""
        marks = self._positions[0]
        location = tuple(location)
        while True:
            if location in marks:
                return marks[location]
            if not location:
                return None
            location = location[:-1]

    def key_mark(self, location: Path_) -> Mark | None:
        """The position of the key of the entry at ``location`` (else as :meth:`mark`)."""
        return self._positions[1].get(tuple(location)) or self.mark(location)


class YamlError(Exception):
    """A file that cannot be read as YAML: file, line, column, message, and a code and hint.

    ``code`` is one of ``yaml-syntax``, ``duplicate-key``, ``tab-indent``, ``not-utf8``,
    ``unreadable``, ``unsupported-yaml``.
    """

    HINTS: ClassVar[dict[str, str]] = {
        "yaml-syntax": "check the indentation, quotes and colons on this line and the one before",
        "duplicate-key": "keep one of the two entries",
        "tab-indent": "indent with spaces, not tabs",
        "not-utf8": "save the file as UTF-8 text (any editor can do this)",
        "unreadable": "check that the file exists and can be read",
        "unsupported-yaml": "write the fields out in full",
        "same-city-id": "keep one of the two files: remove the other or give it another name",
        "link-outside": "copy the file into the project instead of linking to it",
        "broken-link": "remove the link, or point it at a city file of the project",
        "not-a-city-file": "move it out of the city folder: only <city id>.yaml files belong there",
    }

    def __init__(self, file: Path, line: int | None, column: int | None, message: str, code: str = "yaml-syntax"):
        self.file, self.line, self.column, self.message, self.code = file, line, column, message, code
        self._args = (file, line, column, message, code)
        self.hint = self.HINTS.get(code, "")
        where = f"{file}:{line}:{column}" if line else str(file)
        super().__init__(f"{where}: {message}")


_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null"}
_BOOL = {"true": True, "false": False}


_STR, _NULL_TAG, _BOOL_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_NUMERIC_START = frozenset("-+.0123456789")


class _StrictLoader(_BaseLoader):
    """A loader whose implicit resolution only tags booleans, nulls, ints and floats (YAML 1.2 core)."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node without an explicit one. (PyYAML's own resolver, table-driven
        and general, took a third of the time of reading a file.)"""
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR  # quoted text
            if value in _BOOL:
                return _BOOL_TAG
            if value in _NULL:
                return _NULL_TAG
            if value[0] in _NUMERIC_START:
                if _INT.match(value):
                    return _INT_TAG
                if _FLOAT.match(value):
                    return _FLOAT_TAG
            return _STR
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


def _scalar(node: yaml.ScalarNode) -> Any:
    text = node.value
    tag = node.tag
    if tag == "tag:yaml.org,2002:str":
        return unicodedata.normalize("NFC", text)
    if tag == "tag:yaml.org,2002:null" and text in _NULL:
        return None
    if tag == "tag:yaml.org,2002:bool" and text in _BOOL:
        return _BOOL[text]
    if tag == "tag:yaml.org,2002:int" and _INT.match(text):
        return int(text)
    if tag == "tag:yaml.org,2002:float" and _FLOAT.match(text):
        return float(text)
    # Any other explicit tag (!!binary, !!timestamp, a custom one) is kept as the written text.
    return unicodedata.normalize("NFC", text)


def _build(node: yaml.Node, here: Path_, marks: dict[Path_, Mark], file: Path, keys: dict[Path_, Mark]) -> Any:
    marks[here] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*here, i), marks, file, keys) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                m = key_node.start_mark
                raise YamlError(
                    file,
                    m.line + 1,
                    m.column + 1,
                    "a key must be plain text, not a list or mapping",
                    "unsupported-yaml",
                )
            if key_node.tag == "tag:yaml.org,2002:merge":
                m = key_node.start_mark
                raise YamlError(file, m.line + 1, m.column + 1, "merge keys (<<) are not supported", "unsupported-yaml")
            key = _scalar(key_node)
            if key is None or isinstance(key, (bool, float)):
                key = key_node.value  # keys are always text as written
            if isinstance(key, int):
                key = key_node.value
            if key in out:
                m = key_node.start_mark
                first = keys[(*here, key)]
                raise YamlError(
                    file,
                    m.line + 1,
                    m.column + 1,
                    f"the key '{key}' appears twice in the same mapping (first on line {first.line})",
                    "duplicate-key",
                )
            keys[(*here, key)] = Mark(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _build(value_node, (*here, key), marks, file, keys)
        return out
    raise YamlError(
        file, node.start_mark.line + 1, node.start_mark.column + 1, "unsupported YAML node"
    )  # pragma: no cover


def _value(node: yaml.Node, file: Path, seen: set[int] | None = None) -> Any:
    """The plain value of a node (what :func:`_build` makes, without recording positions).

    Raises ``YamlError`` for anchors and aliases (``&name``, ``*name``): a node met twice
    is one; it could repeat a value without end, or refer to itself.
    """
    if seen is None:
        seen = set()
    if id(node) in seen:
        m = node.start_mark
        raise YamlError(
            file,
            m.line + 1,
            m.column + 1,
            "the value that starts here is used again by an alias (*name): anchors and aliases are not supported",
            "unsupported-yaml",
        )
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_value(item, file, seen) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        first: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                _build(node, (), {}, file, {})  # raises the error, with its position
            key = _scalar(key_node)
            if key is None or isinstance(key, (bool, float, int)):
                key = key_node.value  # keys are always text as written
            if key in out:
                m = key_node.start_mark
                raise YamlError(
                    file,
                    m.line + 1,
                    m.column + 1,
                    f"the key '{key}' appears twice in the same mapping "
                    f"(first on line {first[key].start_mark.line + 1})",
                    "duplicate-key",
                )
            first[key] = key_node
            out[key] = _value(value_node, file, seen)
        return out
    raise YamlError(
        file, node.start_mark.line + 1, node.start_mark.column + 1, "unsupported YAML node"
    )  # pragma: no cover


def _compose(text: str, file: Path) -> yaml.Node | None:
    """The node tree of one YAML document. Raises ``YamlError`` for malformed YAML."""
    try:
        loader = _StrictLoader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        if (
            exc.context
            and exc.context_mark is not None
            and exc.problem_mark is not None
            and exc.context_mark.line != exc.problem_mark.line
        ):
            # e.g. a quote never closed: the end of the file is where it shows, not where it is
            problem += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        code = "yaml-syntax"
        if mark is not None:
            lines = text.splitlines()
            line_text = lines[mark.line] if mark.line < len(lines) else ""
            if "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
                code, problem = "tab-indent", "this line is indented with a tab character"
        if mark is None:
            raise YamlError(file, None, None, problem, code) from None
        raise YamlError(file, mark.line + 1, mark.column + 1, problem, code) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        before = text[: exc.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlError(
            file, line, column, f"the character {what} is not allowed in YAML text ({exc.reason})"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(file, None, None, str(exc)) from None


def parse_yaml(text: str, file: Path) -> Document:
    """Parse YAML text by the strict rules of this module.

    Args:
        text: the YAML source (one document).
        file: the path to name in errors and marks.

    Raises:
        YamlError: the text is not well-formed YAML, holds several documents, uses
            anchors/aliases across keys in an unsupported way, or repeats a key.
    """
    node = _compose(text, file)
    return Document(file, None if node is None else _value(node, file), text)


def load_yaml(file: Path) -> Document:
    """Read and parse one YAML file (UTF-8) by the strict rules of this module.

    Raises:
        YamlError: unreadable bytes (not UTF-8) or malformed YAML, with file, line and column.
        OSError: the file cannot be read.
    """
    file = Path(file)
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(file, line, None, "the file is not valid UTF-8 text", "not-utf8") from None
    return parse_yaml(text, file)


@dataclass(frozen=True)
class Inputs:
    """Everything the pipeline reads: the index definition and every city file, parsed.

    ``cities`` is ordered by city id (the file name without ``.yaml``). ``errors`` holds
    the files that could not be parsed at all; they are reported by ``validate``.
    """

    definition: Document | None
    cities: dict[str, Document]
    errors: list[YamlError]
    city_files: dict[str, Path]


def _load_city_files(files: list[Path]) -> list[Document | YamlError]:
    """Each file read (:func:`load_yaml`), or the error that stopped it."""
    out: list[Document | YamlError] = []
    for file in files:
        try:
            out.append(load_yaml(file))
        except YamlError as exc:
            out.append(exc)
    return out


def find_city_files(cities_dir: Path) -> tuple[dict[str, Path], list[YamlError]]:
    """The city files of a folder by city id (the file name without ``.yaml``), in id
    order, and a finding (a :class:`YamlError`) for every other visible entry, so that
    every file there is either a city or reported:

    - a file ending in ``.yaml`` or ``.yml`` in any case is a city file (``validate``
      reports a name other than ``<id>.yaml``); two that give the same id are both
      reported (``same-city-id``), and only the first, by name, is read;
    - a symbolic link is followed only to a file inside the project (the folder holding
      the city folder): one leading elsewhere (``link-outside``) or to nothing
      (``broken-link``) is reported and not read;
    - any other file is reported (``not-a-city-file``). Folders and hidden entries
      (``.gitkeep``) are left alone.

    Raises:
        FileNotFoundError: ``cities_dir`` does not exist.
    """
    folder = Path(cities_dir)
    project = folder.resolve().parent
    found: dict[str, Path] = {}
    problems: list[YamlError] = []
    for file in sorted(folder.iterdir()):
        if file.name.startswith(".") or (file.is_dir() and not file.is_symlink()):
            continue
        if file.is_symlink():
            target = file.resolve()
            if not target.exists():
                problems.append(
                    YamlError(file, None, None, "a link to nothing: the file it names does not exist", "broken-link")
                )
                continue
            if not target.is_relative_to(project):
                problems.append(
                    YamlError(file, None, None, f"a link to a file outside the project ({target})", "link-outside")
                )
                continue
            if target.is_dir():
                continue
        if file.suffix.lower() not in (".yaml", ".yml"):
            problems.append(YamlError(file, None, None, "not a city file", "not-a-city-file"))
        elif file.stem in found:
            problems.append(
                YamlError(
                    file,
                    None,
                    None,
                    f"{found[file.stem].name} and {file.name} would both be the "
                    f"city '{file.stem}'; {file.name} is not read",
                    "same-city-id",
                )
            )
        else:
            found[file.stem] = file
    return found, problems


def load_inputs(definition_file: Path, cities_dir: Path) -> Inputs:
    """Parse the index definition and every ``*.yaml`` file in ``cities_dir``.

    Files that fail to parse are collected in ``Inputs.errors`` instead of stopping the
    load, so that one run reports every broken file. Files ending in ``.yml`` are reported
    too (as errors, by ``validate``) rather than silently skipped.

    Raises:
        FileNotFoundError: ``cities_dir`` does not exist.
    """
    cities_dir = Path(cities_dir)
    if not cities_dir.is_dir():
        raise FileNotFoundError(f"city folder not found: {cities_dir}")
    errors: list[YamlError] = []
    definition: Document | None = None
    try:
        definition = load_yaml(Path(definition_file))
    except YamlError as exc:
        errors.append(exc)
    except OSError as exc:
        errors.append(
            YamlError(
                Path(definition_file), None, None, f"cannot read the index definition: {exc.strerror}", "unreadable"
            )
        )
    cities: dict[str, Document] = {}
    city_files, refused = find_city_files(cities_dir)
    errors += refused
    files = list(city_files.values())
    results = _load_city_files(files)
    for city_id, item in zip(city_files, results, strict=True):
        if isinstance(item, YamlError):
            errors.append(item)
        else:
            cities[city_id] = item
    return Inputs(definition, cities, errors, city_files)
