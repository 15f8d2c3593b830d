"""Read what a student submitted, in the trusted parent, without following links."""

from __future__ import annotations

import ast
import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 64 * 2**20


class SubmissionFileError(ValueError):
    """A submitted file the grader refuses to read (a symbolic link, not a regular file, too big)."""


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A submitted file's bytes, read without following a symbolic link.

    A submission that links to the reference solution or to a root-only file gets an error, not the
    linked file's content; so does a hard link (``st_nlink`` > 1), a FIFO (opened without blocking)
    or anything but a regular file of at most ``limit`` bytes.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if Path(path).is_symlink():
            raise SubmissionFileError(f"{Path(path).name} is a symbolic link; submit the file itself") from None
        raise SubmissionFileError(f"{Path(path).name} cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise SubmissionFileError(f"{Path(path).name} is not a regular file; submit the file itself")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SubmissionFileError(f"{Path(path).name} is larger than {limit / 2**20:g} MB")
    return data


#: The most source text the parent parses (a file or a notebook's code cells): far above any assignment
#: (the references are under 20,000 characters); a tree of more costs the parent hundreds of megabytes.
MAX_SOURCE_CHARS = 400_000


def parse_source(text: str) -> ast.Module | None:
    """A student's source as a syntax tree, read in the parent (never run), or None where it cannot be:
    a syntax error, more than MAX_SOURCE_CHARS, or nesting too deep for the parser."""
    if len(text) > MAX_SOURCE_CHARS:
        return None
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
