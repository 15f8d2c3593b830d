"""``autograder new NAME``: a new assignment from the template, grading end to end at once.

It writes the three places an assignment lives, and nothing else: its grader package
``autograder/course/NAME/``, its reference solution and handout ``solutions/NAME/``, and its test corpus
``tests/corpus/NAME/``; then the student stub ``assignments/NAME/`` is generated from the solution, as
``autograder stubs`` does. The template's example (a ``relu`` with two checks, a hidden repeat, a probe,
two mutants and a variant) is meant to be replaced, keeping its shape.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from autograder.course import COURSE_DIR, PROJECT_ROOT
from autograder.authoring.corpus import CORPUS_DIR
from autograder.stubs import write_stubs

TEMPLATE_DIR = Path(__file__).resolve().parent / "template"
NAME_PATTERN = re.compile(r"a\d+_[a-z][a-z0-9_]*")


class ScaffoldError(ValueError):
    """The name or a target path does not allow a new assignment."""


def default_filename(name: str) -> str:
    """``a6_dropout`` -> ``dropout.py``: the student file is named after the topic."""
    return name.split("_", 1)[1] + ".py"


def planned_files(name: str, filename: str, root: Path = PROJECT_ROOT) -> dict[Path, Path]:
    """Each file to write (under ``root``) -> the template it comes from."""
    course = root / COURSE_DIR.relative_to(PROJECT_ROOT) / name
    corpus = root / CORPUS_DIR.relative_to(PROJECT_ROOT) / name
    solution = root / "solutions" / name
    plan: dict[Path, Path] = {}
    for template in sorted(TEMPLATE_DIR.rglob("*.tmpl")):
        part, *rest = template.relative_to(TEMPLATE_DIR).parts
        target_name = "/".join(rest).removesuffix(".tmpl")
        if part == "course":
            plan[course / target_name] = template
        elif part == "corpus":
            plan[corpus / target_name] = template
        else:
            plan[solution / (filename if target_name == "student.py" else target_name)] = template
    return plan


def new_assignment(name: str, title: str, filename: str | None = None, root: Path = PROJECT_ROOT) -> list[Path]:
    """Write the assignment ``name`` from the template under ``root``; returns the files written."""
    if not NAME_PATTERN.fullmatch(name):
        raise ScaffoldError(f"{name!r} is not an assignment name: use aN_topic (lower case), e.g. a6_dropout")
    filename = filename or default_filename(name)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*\.py", filename):
        raise ScaffoldError(f"{filename!r} is not a student file name: a module name ending in .py")
    plan = planned_files(name, filename, root)
    taken = sorted({p.parent for p in plan if p.parent.name == name and p.parent.exists()})
    if taken:
        raise ScaffoldError(f"{name} exists already: {', '.join(str(p) for p in taken)}")
    values = {"name": name, "filename": filename, "module": filename.removesuffix(".py"), "title": title}
    written = []
    for target, template in plan.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Template(template.read_text()).substitute(values))
        written.append(target)
    return written + write_stubs(root / "solutions", root / "assignments", [name])
