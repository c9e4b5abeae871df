"""Writes the files a pipe brings, in a process of its own (``pipeline.TreeWriter.writing_process``).

Run as ``python -m generator.filewriter FOLDER PARENT_PID`` with the pipe on standard input.
A fresh, small process rather than a fork of the pipeline: a forked copy would share the
pipeline's memory, and every page the pipeline changed afterwards would be copied for it.
It imports nothing but the standard library.

The pipe carries messages: a header of two little-endian unsigned 32-bit integers (the
lengths of the path and of the bytes), the path (UTF-8, relative to FOLDER) and the bytes.
A file's messages come one after the other; the first one creates (or empties) the file,
the next ones append to it. It exits with 0 when the pipe ends, or prints the error on
standard error and exits with 1.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path
from typing import Callable

HEADER = struct.Struct("<II")


def write_from(pipe, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """Write every file the binary stream ``pipe`` brings into ``folder`` (module notes).
    Raises ``EOFError`` if the stream ends inside a message, ``OSError`` if a file cannot
    be written."""
    current, handle = None, None
    made: set[Path] = set()
    try:
        while head := pipe.read(HEADER.size):
            if len(head) != HEADER.size:
                raise EOFError("the pipe ended inside a header")
            key_length, length = HEADER.unpack(head)
            rel = pipe.read(key_length).decode("utf-8")
            data = pipe.read(length)
            if len(data) != length:
                raise EOFError("the pipe ended inside a file")
            if rel != current:
                if handle is not None:
                    handle.close()
                path = folder / rel
                if path.parent not in made:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    made.add(path.parent)
                handle, current = open(path, "wb"), rel
            handle.write(data)
    finally:
        if handle is not None:
            handle.close()


def parent_death_signal() -> Callable[[int], None]:
    """A function ``end_with_parent(parent)`` for a process started by the process
    ``parent`` (its id): the kernel ends the calling process when its parent ends, and if
    the parent has ended already (before the call: the kernel would not know to), the
    process ends at once (Linux; elsewhere it does nothing). Looked up before a fork, so
    that the forked process need import nothing. A build stopped from outside leaves no
    process of its own at work."""
    import signal

    try:
        import ctypes

        prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return lambda parent: None

    def end_with_parent(parent: int) -> None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:
            os._exit(1)

    return end_with_parent


def main() -> int:
    import signal

    folder, parent = Path(sys.argv[1]), int(sys.argv[2])
    # Ctrl-C reaches the whole build: the pipeline stops and this process ends with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent_death_signal()(parent)
    try:
        write_from(sys.stdin.buffer, folder)
    except (OSError, EOFError) as error:
        print(f"icc: writing the generated files failed: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
