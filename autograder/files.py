"""Read what a student submitted, in the trusted parent, without following links."""

from __future__ import annotations

import ast
import os
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path

MAX_FILE_BYTES = 64 * 2**20
#: The most entries a student's zip may hold: a class's homework is a few files; 100,000 empty ones took
#: 17 s to unpack.
MAX_ZIP_ENTRIES = 1_000
MAX_UNZIPPED_BYTES = 200 * 2**20


class SubmissionFileError(ValueError):
    """A submitted file the grader refuses to read (a symbolic link, not a regular file, too big)."""


class BadArchive(ValueError):
    """A submitted zip that cannot be unpacked: the submission's fault, said in one line."""


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


def unzip_submission(archive: Path, target: Path) -> Path:
    """Extract a student's zip into ``target``: no path traversal, links, zip bombs or surprises.

    Raises :class:`BadArchive` (one sentence naming the zip and what is wrong with it) for a corrupt,
    truncated, empty, encrypted, path-traversing or oversized archive; symbolic links are skipped.
    """
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            _admit(archive.name, members, target)
            for member in members:
                if (member.external_attr >> 16) & 0o170000 != 0o120000:  # a symbolic link: skipped
                    zipped.extract(member, target)
    except BadArchive:
        raise
    except RuntimeError as exc:  # zipfile's word for an encrypted entry
        raise BadArchive(f"{archive.name} cannot be unpacked: it is encrypted ({exc}); upload it without a "
                         "password") from None
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, zlib.error, ValueError) as exc:
        raise BadArchive(f"{archive.name} is not a zip that can be unpacked ({type(exc).__name__}: {exc}); "
                         "make it again, or upload the files themselves") from None
    return target


def _admit(name: str, members: list[zipfile.ZipInfo], target: Path) -> None:
    """Refuse, before anything is written, an archive that is empty, too large or reaches outside."""
    if not any(not m.is_dir() for m in members):
        raise BadArchive(f"{name} is empty (it holds no files)")
    if len(members) > MAX_ZIP_ENTRIES:
        raise BadArchive(f"{name} holds {len(members):,} entries; a submission may hold at most {MAX_ZIP_ENTRIES:,}")
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise BadArchive(f"{name} unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MB")
    root = target.resolve()
    for member in members:
        destination = (target / member.filename).resolve()
        if root not in destination.parents and destination != root:
            raise BadArchive(f"{name} holds a path outside the archive: {member.filename}")


class Unpacked:
    """A ``.zip`` submission unpacked into a private folder (safely: no traversal, links or bombs);
    one that cannot be unpacked raises :class:`BadArchive`, the submission's fault."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._scratch: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Path:
        if self.path.suffix.lower() != ".zip" or not self.path.is_file():
            return self.path
        self._scratch = tempfile.TemporaryDirectory(prefix="autograder-zip-")
        try:
            return unzip_submission(self.path, Path(self._scratch.name))
        except BaseException:
            self._scratch.cleanup()
            raise

    def __exit__(self, *exc: object) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()
