"""Find the student's file in what they handed in, and stage the module the sandbox will import.

Students rename files (``hw1_initializers.py``, ``initializers (1).py``), LMSs mangle them
(``doe_jane_12345_67890_initializers-1.py``) and notebooks replace scripts. A file is matched in tiers,
from the exact name down to the assignment's name as a word of the file name; the first tier that
holds candidates decides (a ``.py`` beats a notebook of the same tier). A file named otherwise
(``hw1.py``, ``Untitled.ipynb``) is matched by what it defines. Every door (check, grade, grade-all,
Gradescope, the pytest plugin) asks this module, so a file is graded as the same assignment
everywhere. When nothing matches, one message names the files that were found and the name that was
expected; when two files could be the one, a note names both and which was graded.

The matched file is read once, here, in the trusted parent, without following symbolic links
(``O_NOFOLLOW``, regular files only), and staged as a private ``.py`` that the sandbox copies: a notebook
is converted (:mod:`autograder.notebook`), a ``.py`` is copied byte for byte.
"""

from __future__ import annotations

import ast
import atexit
import functools
import hashlib
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import ASSIGNMENTS, SOLUTIONS_DIR, STUDENT_DIR, Assignment
from autograder.files import SubmissionFileError, parse_source, read_regular
from autograder.notebook import NotebookError, convert
from autograder.origin import Origin

SUFFIXES = (".py", ".ipynb")
_IGNORED_DIRS = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", ".git"}
_COPY_SUFFIX = re.compile(r"(\s*\(\d+\)|-\d+|[\s_-]copy)$")
#: Python files and notebooks read for their definitions when none is named after the assignment.
MAX_CANDIDATES = 50
_STAGE_DIR: Path | None = None
_STAGE_LOCK = threading.Lock()


@dataclass
class Located:
    """Where an assignment's file is: the student's ``origin``, the staged ``path`` the sandbox copies,
    notes for the report (renamed match, notebook conversion) or the ``problem`` that left it ungraded."""

    origin: Path | None = None
    path: Path | None = None
    notes: list[str] = field(default_factory=list)
    problem: str | None = None
    #: The student's file as feedback names it (tracebacks, lines, notebook cells), once staged.
    source: Origin | None = None


def walk(submission: Path) -> tuple[list[Path], list[Path]]:
    """Every file below ``submission`` (links not followed) and the symbolic links met on the way."""
    files, links = [], []
    for folder, dirs, names in os.walk(submission, followlinks=False):
        here = Path(folder)
        for name in list(dirs):
            if (here / name).is_symlink():
                links.append(here / name)
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED_DIRS and not d.startswith(".")
                         and not (here / d).is_symlink())
        for name in sorted(names):
            if (here / name).is_symlink():
                links.append(here / name)
            elif not name.startswith("."):  # ._initializers.py: macOS metadata, not the student's file
                files.append(here / name)
    return files, links


def _normalized(stem: str) -> str:
    """Lower case, without the suffixes that copies and re-uploads add (`` (1)``, ``-1``, `` copy``)."""
    stem = stem.lower().strip()
    while _COPY_SUFFIX.search(stem):
        stem = _COPY_SUFFIX.sub("", stem).strip()
    return stem


def tier(path: Path, assignment: Assignment) -> int | None:
    """How closely a file name matches the assignment's file (0: exactly), None when it does not."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        return None
    target, stem = assignment.module_name, path.stem
    if path.name == assignment.filename:
        return 0
    if stem == target:
        return 1  # initializers.ipynb, initializers.PY
    if stem.lower() == target:
        return 2
    normalized = _normalized(stem)
    if normalized == target:
        return 3
    if re.search(rf"(^|[^a-z0-9]){re.escape(target)}([^a-z0-9]|$)", normalized):
        return 4  # hw1_initializers, doe_jane_12345_67890_initializers, initializers_final
    return None


def _pick(candidates: list[Path], submission: Path, assignment: Assignment) -> list[Path]:
    """Narrow one tier's candidates: scripts before notebooks, then the top level or the assignment's folder."""
    scripts = [p for p in candidates if p.suffix.lower() == ".py"]
    candidates = scripts or candidates
    if len(candidates) > 1:
        near = [p for p in candidates if p.parent in (submission, submission / assignment.name)]
        candidates = near or candidates
    return candidates


def _listing(files: list[Path], submission: Path, limit: int = 12) -> str:
    names = [p.relative_to(submission).as_posix() for p in files]
    if not names:
        return "no files"
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def find(submission: Path, assignment: Assignment, sole: bool = False) -> Located:
    """The student's file for ``assignment`` in ``submission`` (a folder or a file), or why there is none.

    By name first (the tiers of :func:`tier`); else, in a folder, the one Python file or notebook whose
    definitions show this assignment (``hw1.py`` defining ``xavier_normal_``). ``sole``: this is the
    only assignment being graded, so a single file, or a folder holding one Python file or notebook, is
    graded as it whatever it is called. Two candidates of one tier: the one whose definitions cover
    more of the assignment is graded, and a note names both.
    """
    submission = Path(submission)
    if submission.is_file() or submission.is_symlink():
        if submission.suffix.lower() in SUFFIXES and (
                sole or tier(submission, assignment) is not None or shows(submission) == assignment.name):
            return Located(origin=submission)
        return Located(problem=f"{submission.name} is not {assignment.filename} (or a notebook of that name); "
                               f"name the assignment to grade it anyway (--assignment {assignment.name}).")
    files, links = walk(submission)
    for level in range(5):
        candidates = _pick([p for p in files if tier(p, assignment) == level], submission, assignment)
        if candidates:
            return _chosen(candidates, submission, assignment)
    sources = [p for p in files if p.suffix.lower() in SUFFIXES][:MAX_CANDIDATES]
    shown = [p for p in sources if shows(p) == assignment.name]
    if shown or (sole and len(sources) == 1):
        return _chosen(_pick(shown or sources, submission, assignment), submission, assignment)
    linked = [p for p in links if tier(p, assignment) is not None or p.is_dir()]
    if linked:
        return Located(problem=f"{assignment.filename} was not found: symbolic links are not followed "
                               f"({_listing(linked, submission)}); submit the files themselves.")
    return Located(problem=f"{assignment.filename} was not found in the submission (files found: "
                           f"{_listing(files, submission)}). Expected a file named {assignment.filename} or "
                           f"{assignment.module_name}.ipynb (a renamed copy such as hw_{assignment.filename}, or "
                           "the only Python file of the submission, is accepted).")


def _chosen(candidates: list[Path], submission: Path, assignment: Assignment) -> Located:
    """The candidate to grade; when there are several, the one defining most of the assignment's
    functions (then the shortest path, then by name), and a note naming them all."""
    api = api_names(assignment)
    ranked = sorted(candidates, key=lambda p: (-len(_defined_names(p) & api), len(p.parts), p.as_posix()))
    located = Located(origin=ranked[0])
    if len(ranked) > 1:
        graded = ranked[0].relative_to(submission).as_posix()
        located.notes.append(f"Several files could be {assignment.filename} ({_listing(ranked, submission)}); "
                             f"{graded} was graded. Submit only one to choose.")
    return located


def _stage_dir() -> Path:
    global _STAGE_DIR
    if _STAGE_DIR is None or not _STAGE_DIR.is_dir():
        _STAGE_DIR = Path(tempfile.mkdtemp(prefix="autograder-staged-"))
        atexit.register(shutil.rmtree, _STAGE_DIR, True)
    return _STAGE_DIR


def stage(origin: Path, assignment: Assignment) -> Located:
    """Read the student's file (no links followed) and write the module the sandbox copies."""
    located = Located(origin=origin)
    converted = None
    try:
        content = read_regular(origin)
        if origin.suffix.lower() == ".ipynb":
            converted = convert(content.decode("utf-8", errors="replace"))
            content = converted.source.encode()
            located.notes.append(converted.note(origin.name))
    except (SubmissionFileError, NotebookError) as exc:
        located.problem = f"{origin.name} was not graded: {exc}."
        return located
    digest = hashlib.sha256(assignment.name.encode() + b"\0" + content).hexdigest()[:24]
    with _STAGE_LOCK:  # checks run in threads: the same file is staged by several at once
        folder = _stage_dir() / digest
        target = folder / f"{assignment.module_name}.py"
        if not target.is_file():
            folder.mkdir(exist_ok=True)
            tmp = folder / f".{os.getpid()}.tmp"
            tmp.write_bytes(content)
            tmp.replace(target)
    located.path = target
    located.source = Origin(origin.name, assignment.filename, converted)
    if origin.name != assignment.filename and origin.suffix.lower() == ".py":
        located.notes.append(f"{origin.name} was graded as {assignment.filename}.")
    return located


def locate(submission: Path, assignment: Assignment, sole: bool = False) -> Located:
    """Find and stage the assignment's file; ``Located.problem`` says why nothing can be graded."""
    found = find(submission, assignment, sole)
    if found.origin is None:
        return found
    staged = stage(found.origin, assignment)
    staged.notes[:0] = found.notes
    return staged


def present(submission: Path, assignments: dict[str, Assignment]) -> list[str]:
    """The assignments whose file ``submission`` (a file or a folder) holds, in course order."""
    submission = Path(submission)
    if submission.is_file():
        return infer_assignments(submission, assignments) or []
    return [name for name, a in assignments.items() if find(submission, a).origin is not None]


def infer_assignments(path: Path, assignments: dict[str, Assignment]) -> list[str] | None:
    """Which assignment a single PATH is about: a folder's name, a file's (near-miss) name, or else the
    functions and classes a file defines (``Untitled.ipynb`` defining ``xavier_normal_`` is a1_init).

    None: grade every assignment (a folder that is not named after one, a file that fits none).
    """
    path = Path(path)
    for assignment in assignments.values():
        if path.name in (assignment.filename, assignment.name):
            return [assignment.name]
    if not path.is_file() or path.suffix.lower() not in SUFFIXES:
        return None
    ranked = sorted((t, a.name) for a in assignments.values() if (t := tier(path, a)) is not None)
    if ranked and (len(ranked) == 1 or ranked[0][0] < ranked[1][0]):
        return [ranked[0][1]]
    shown = shows(path, assignments)
    return [shown] if shown else None


def shows(path: Path, assignments: dict[str, Assignment] | None = None) -> str | None:
    """The assignment whose functions and classes a file defines most of (None: none, or a tie)."""
    defined = _defined_names(path)
    overlap = sorted(((len(defined & api_names(a)), a.name) for a in (assignments or ASSIGNMENTS).values()),
                     reverse=True)
    if overlap and overlap[0][0] > 0 and (len(overlap) == 1 or overlap[0][0] > overlap[1][0]):
        return overlap[0][1]
    return None


@functools.lru_cache(maxsize=256)
def _parsed_names(path: Path, size: int, mtime_ns: int) -> frozenset[str]:
    """Top-level names of one version of a file (cached: several assignments ask about the same file)."""
    try:
        text = read_regular(path).decode("utf-8", errors="replace")
        tree = parse_source(convert(text).source if path.suffix.lower() == ".ipynb" else text)
    except (SubmissionFileError, NotebookError):
        return frozenset()
    if tree is None:
        return frozenset()
    return frozenset(n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))


def _defined_names(path: Path) -> set[str]:
    """Top-level function and class names of a student file or notebook (parsed, never run)."""
    try:
        status = os.lstat(path)
    except OSError:
        return set()
    return set(_parsed_names(path, status.st_size, status.st_mtime_ns))


@functools.lru_cache(maxsize=None)
def api_names(assignment: Assignment) -> frozenset[str]:
    """The names an assignment's stub (or reference) defines: its API."""
    for folder in (STUDENT_DIR, SOLUTIONS_DIR):
        source = folder / assignment.name / assignment.filename
        if source.is_file():
            return frozenset(_defined_names(source))
    return frozenset()


def find_student_file(submission: Path, assignment: Assignment, sole: bool = False) -> Path | None:
    """The module to grade for ``assignment`` in ``submission``, staged for the sandbox, or None.

    Accepts the file itself, ``SUB/<filename>``, ``SUB/<assignment>/<filename>``, a single match anywhere
    below SUB, near-miss names and notebooks (see :func:`locate`, which also says why a file was not
    found). The path returned is a private staged copy: a notebook arrives converted.
    """
    return locate(Path(submission), assignment, sole).path
