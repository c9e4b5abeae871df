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


def _end_with(parent: int) -> None:
    """Have the kernel end this process when ``parent`` ends (Linux; elsewhere it ends when
    its pipe does): a build stopped on an error removes its new files, and nothing must
    write them again after that."""
    import signal

    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return
    if os.getppid() != parent:  # it ended before the signal was asked for
        sys.exit(1)


def main() -> int:
    folder, parent = Path(sys.argv[1]), int(sys.argv[2])
    _end_with(parent)
    try:
        write_from(sys.stdin.buffer, folder)
    except (OSError, EOFError) as error:
        print(f"icc: writing the generated files failed: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
