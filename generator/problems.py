"""Problems: the findings of validation as records, and schema errors turned into them.

A :class:`Problem` names the file, line, city and field of a finding, with a message and
a hint a maintainer can act on; :func:`schema_problems` makes them from pydantic's
errors, in the words of the city file (its field names, its values, its lines).
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from typing import Any

import pycountry
from pydantic import BaseModel, ValidationError

from .load import Document, Path_
from .text import excerpt

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding of validation.

    ``code`` is a stable identifier of the rule (e.g. ``unknown-field``); ``field`` is the
    dotted location inside the file (``editions[0].scores.commitment``); ``line`` and
    ``column`` are 1-based, or ``None`` when the problem concerns a whole file.
    """

    code: str
    severity: str
    file: str
    line: int | None
    column: int | None
    city: str | None
    field: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """The problem as one readable block: ``file:line:col: severity [code] field: message`` + hint."""
        where = (
            _shown_path(self.file) + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.column else "")
        )
        head = f"{where}: {self.severity} [{self.code}]"
        if self.field:
            head += f" {self.field}:"
        text = f"{head} {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready mapping."""
        return {
            k: getattr(self, k)
            for k in ("code", "severity", "file", "line", "column", "city", "field", "message", "hint")
        }


def dotted(location: Path_) -> str:
    """``('editions', 0, 'scores')`` → ``editions[0].scores``."""
    out = ""
    for part in location:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# --------------------------------------------------------------------------- schema errors

_PATTERN_HELP = {
    r"^[A-Z]{2}$": ("a two-letter ISO 3166-1 country code in capitals", "e.g. country: NO for Norway"),
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": ("a short identifier of lower-case letters, digits and hyphens", "e.g. over-500k"),
    r"^[a-z][a-z0-9_]*$": ("an identifier of lower-case letters, digits and underscores", "e.g. public_space"),
    r"^https?://[^\s<>\"']+$": ("a web address starting with http:// or https://", "write the full address"),
    r"^\d{4}$": ("a four-digit year in quotes", 'e.g. "2019"'),
    r"^[a-z0-9-]+/[a-z0-9-]+$": (
        "a practice id written <city id>/<practice key>",
        "e.g. bradford/schools-linking-network",
    ),
}

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "a mapping of 'field: value' lines",
    "list_type": "a list",
    "model_type": "a mapping of 'field: value' lines",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) < 60 else "a piece of text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation admits (Annotated, Optional and unions unwrapped)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg) if t is not type(None)]
    return [annotation]


def _model_at(root: type[BaseModel], location: Path_) -> type[BaseModel] | None:
    """The record class that describes the mapping at ``location`` (None if not a record)."""
    current: list[Any] = [root]
    for part in location:
        nxt: list[Any] = []
        for t in current:
            if isinstance(t, type) and issubclass(t, BaseModel):
                if isinstance(part, str) and part in t.model_fields:
                    nxt += _unwrap(t.model_fields[part].annotation)
            elif typing.get_origin(t) is list and isinstance(part, int):
                nxt += _unwrap(typing.get_args(t)[0])
            elif typing.get_origin(t) is dict:
                nxt += _unwrap(typing.get_args(t)[1])
        current = nxt
    for t in current:
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


#: Parts of a pydantic error location that name the type a value was checked against, not a field.
_TYPE_TAGS = ("str", "int", "float", "bool", "list", "dict", "none")


def _doc_location(value: Any, loc: tuple[Any, ...]) -> Path_:
    """Keep the parts of a pydantic error location that lead through the document itself."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(value, dict) and isinstance(part, str) and part in value:
            out.append(part)
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            out.append(part)
            value = value[part]
        elif (
            isinstance(value, dict)
            and isinstance(part, str)
            and part not in value
            and part != "[key]"
            and not part.startswith(("function-", "constrained-"))
            and part not in _TYPE_TAGS
        ):
            # a missing or unknown field: name it, it has no value of its own
            out.append(part)
            value = None
    return tuple(out)


def schema_problems(error: ValidationError, doc: Document, root: type[BaseModel], city: str | None) -> list[Problem]:
    """Turn a pydantic validation error into readable problems pointing into ``doc``."""
    problems: list[Problem] = []
    seen: set[tuple[Path_, str]] = set()
    for err in error.errors():
        kind = err["type"]
        loc = _doc_location(doc.value, tuple(err["loc"]))
        if (loc, kind) in seen:
            continue
        seen.add((loc, kind))
        name = str(loc[-1]) if loc else ""
        parent = loc[:-1]
        mark = doc.key_mark(loc) if kind == "extra_forbidden" else doc.mark(loc if kind != "missing" else parent)
        value = err.get("input")
        ctx = err.get("ctx") or {}
        hint = ""
        code = "invalid-value"
        if kind == "missing":
            code = "missing-field"
            message = f"the required field '{name}' is missing"
            hint = f"add a line '{name}: ...' here"
        elif kind == "extra_forbidden":
            code = "unknown-field"
            model = _model_at(root, parent)
            allowed = sorted(model.model_fields) if model else []
            message = f"unknown field '{excerpt(str(name))}'"
            close = difflib.get_close_matches(name, allowed, n=1)
            if close:
                hint = f"did you mean '{close[0]}'? "
            if allowed:
                hint += "allowed here: " + ", ".join(allowed)
        elif kind in _TYPE_NAMES:
            code = "wrong-type"
            message = f"expected {_TYPE_NAMES[kind]}, found {_describe(value)}"
            if kind == "string_type" and len(loc) >= 2 and loc[-2] == "answers":
                hint = "write the key of one of the question's answer options (see the index definition), e.g. yes"
            elif kind == "string_type" and isinstance(value, (bool, int, float)):
                hint = "put the value in quotes to keep it as text"
            elif kind in ("int_type", "float_type") and isinstance(value, str):
                hint = "write the number without quotes, units or thousands separators"
            elif kind == "bool_type":
                hint = "write true or false (lower case)"
            elif kind == "int_type" and isinstance(value, float):
                hint = "write a whole number, without decimals"
                if value.is_integer():
                    hint += f" ({int(value)})"
        elif kind == "string_pattern_mismatch":
            code = "bad-format"
            what, example = _PATTERN_HELP.get(ctx.get("pattern", ""), ("text in the expected format", ""))
            message = f"expected {what}, found {_describe(value)}"
            hint = example
            if name == "country" and isinstance(value, str):
                hint = _country_hint(value) or hint
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            code = "out-of-range"
            bound = next(iter(ctx.values()), None)
            words = {
                "greater_than_equal": "at least",
                "greater_than": "more than",
                "less_than_equal": "at most",
                "less_than": "less than",
            }[kind]
            message = f"must be {words} {bound}, found {_describe(value)}"
            if name in ("scores", "sample") or (len(loc) >= 2 and loc[-2] in ("scores", "sample")):
                hint = "scores are points on the 0–100 scale"
        elif kind == "literal_error":
            code = "not-allowed"
            message = f"expected one of {ctx.get('expected')}, found {_describe(value)}"
        elif kind in ("too_short", "too_long", "string_too_short"):
            code = "wrong-length"
            if kind in ("too_short", "string_too_short") and isinstance(value, str):
                message = "must not be empty"
            elif kind == "too_short":
                message = f"needs at least {ctx.get('min_length')} item(s)"
            else:
                message = f"may have at most {ctx.get('max_length')} item(s)"
        elif kind == "value_error":
            code = "invalid-value"
            message = excerpt(str(ctx.get("error", err["msg"])), 200)  # (it may quote a whole value)
            if "ISO 8601 date" in message or "not a real date" in message:
                code, hint = "bad-date", "write dates as YYYY-MM-DD, YYYY-MM or YYYY, in quotes"
        else:
            message = err["msg"]
        problems.append(
            Problem(
                code=code,
                severity=ERROR,
                file=str(doc.file),
                line=mark.line if mark else None,
                column=mark.column if mark else None,
                city=city,
                field=dotted(loc),
                message=message,
                hint=hint,
            )
        )
    return problems


def _country_hint(text: str) -> str:
    """``Norway`` → "use the code NO (Norway)"; empty when the text names no country."""
    try:
        country = pycountry.countries.lookup(text.strip())
    except LookupError:
        return ""
    return f"use the code {country.alpha_2} ({country.name})"


def _shown_path(file: str) -> str:
    """``file`` relative to the current folder when it lies inside it (shorter, and what an editor opens)."""
    import os

    try:
        relative = os.path.relpath(file)
    except ValueError:  # pragma: no cover - another drive on Windows
        return file
    return file if relative.startswith("..") else relative
