"""Zip files this project hands out: the Gradescope autograder and the student kit."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterable

from autograder.course import PACKAGE_DIR, PROJECT_ROOT

#: Reference outcomes recorded for the visible checks: written into the student kit (which has no
#: solutions), left out of the Gradescope zip (which has them), replayed by the grader where present.
RECORDED_REFERENCE = PACKAGE_DIR / "reference_outcomes.bin"
SKIPPED_PARTS = {"__pycache__", ".pytest_cache"}


def package_files(exclude: Iterable[Path] = ()) -> list[Path]:
    """Every file of the ``autograder`` package, minus caches and the ``exclude`` paths (files or folders)."""
    excluded = [Path(p).resolve() for p in exclude]
    return sorted(
        p for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and not SKIPPED_PARTS & set(p.parts) and p.suffix != ".pyc"
        and not any(p.resolve() == e or e in p.resolve().parents for e in excluded)
    )


def write_zip(out: Path, entries: dict[str, Path | str], executable: Iterable[str] = ()) -> list[str]:
    """Write ``entries`` (name in the zip -> file or text) with fixed timestamps; returns the names."""
    executable = set(executable)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            content = entries[name]
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name in executable else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = content.read_bytes() if isinstance(content, Path) else content.encode()
            archive.writestr(info, data)
    return sorted(entries)


def relative_entries(files: Iterable[Path], root: Path = PROJECT_ROOT) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in files}
