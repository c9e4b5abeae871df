"""Output: the generated folder, and the site folder a build replaces.

:func:`write_folder` writes the generated files into their folder (``content/generated/``),
only where they changed: MkDocs reads them there like hand-written pages, a rebuild
stays cheap, and unchanged files keep their times, as an editor or file watcher expects.

:func:`set_site_aside`, :func:`restore_site` and :func:`drop_previous_site` are the one
mechanism that keeps a failed build from changing the site: the previous site is moved
aside (one rename) before MkDocs writes, and dropped or put back when the build is over.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Written:
    """What :func:`write_folder` did: every file of the folder now (paths relative to it,
    in the order they were given) and how many of them it wrote (new or changed)."""

    files: list[str]
    written: int


def write_folder(folder: Path, files: Iterable[tuple[str, str | bytes]]) -> Written:
    """Write each ``(path, contents)`` (text is written as UTF-8) into ``folder``, creating
    folders as needed, unless the file there holds the same bytes already; then remove
    every other file in ``folder`` (files a run no longer makes) and the folders left empty.

    Raises ``ValueError`` if a path leaves ``folder`` or comes twice, and ``OSError`` if a
    file cannot be written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    made: list[str] = []
    seen: set[str] = set()
    written = 0
    for path, contents in files:
        if path in seen or path.startswith(("/", "../")) or "/../" in path:
            raise ValueError(f"a generated file's path is repeated or leaves the folder: {path}")
        seen.add(path)
        made.append(path)
        data = contents.encode("utf-8") if isinstance(contents, str) else contents
        target = folder / path
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    for parent, _dirs, names in os.walk(folder, topdown=False):
        for name in names:
            file = Path(parent, name)
            if file.relative_to(folder).as_posix() not in seen:
                file.unlink()
        if parent != str(folder) and not os.listdir(parent):
            os.rmdir(parent)
    return Written(made, written)


def previous_site(site: Path) -> Path:
    """Where the site a build replaces is kept until the build has succeeded: a hidden
    folder beside the site folder (``site/`` → ``.site.previous/``)."""
    return site.with_name(f".{site.name}.previous")


def set_site_aside(site: Path) -> None:
    """Before a build writes the site folder: move the current site to
    :func:`previous_site` (one rename; an empty folder stands for a site that was not
    there). If a previous site is there already, the build that left it never ended (it
    was killed): that site is put back first."""
    previous = previous_site(site)
    if previous.exists():
        restore_site(site)
    if site.exists():
        os.replace(site, previous)
    else:
        previous.mkdir(parents=True)


def restore_site(site: Path) -> None:
    """After a failed build: remove what it wrote and put the previous site back (if
    there was one)."""
    previous = previous_site(site)
    if previous.exists():
        if site.exists():
            shutil.rmtree(site)
        os.replace(previous, site)


def drop_previous_site(site: Path) -> None:
    """After a build succeeded: remove the previous site."""
    shutil.rmtree(previous_site(site), ignore_errors=True)
