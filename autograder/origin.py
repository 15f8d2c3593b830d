"""The student's own file behind a staged module, so that feedback speaks of it.

The sandbox imports every submission as the assignment's module (``initializers.py``): a renamed file
(``hw1.py``) or a notebook arrives under that name, and its tracebacks would name a file the student
does not have. An :class:`Origin` rewrites them: ``hw1.py, line 12`` for a script, ``cell 4, line 3``
for a notebook, and a NameError of a name that only a skipped notebook line sets names that line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from autograder.notebook import Converted

_NAME_ERROR = re.compile(r"NameError: name '(?P<name>\w+)' is not defined")


@dataclass(frozen=True)
class Origin:
    """``name``: the file as submitted; ``module_file``: the staged module's name in tracebacks;
    ``notebook``: the conversion, when the file is a notebook."""

    name: str
    module_file: str
    notebook: Converted | None = None

    @classmethod
    def of(cls, source: "Origin | str") -> "Origin":
        """An Origin as given, or the plain file name of a module graded under its own name."""
        return source if isinstance(source, Origin) else cls(source, source)

    def where(self, line: int) -> str:
        """``line 12``, or ``cell 4, line 3`` in a notebook."""
        return self.notebook.where(line) if self.notebook is not None else f"line {line}"

    def rewrite(self, text: str) -> str:
        """``text`` (a traceback or an error message) with the staged module's name and line numbers
        replaced by the student's file and lines (cells of a notebook)."""
        staged = re.escape(self.module_file)
        text = re.sub(rf'File "{staged}", line (\d+)',
                      lambda m: f'File "{self.name}", {self.where(int(m[1]))}', text)
        return re.sub(rf"\({staged}, line (\d+)\)", lambda m: f"({self.name}, {self.where(int(m[1]))})", text)

    def skipped_line_hint(self, message: str) -> str | None:
        """When ``message`` is a NameError of a name that only a skipped notebook line sets: which line,
        and why it did not run."""
        match = _NAME_ERROR.search(message)
        if self.notebook is None or match is None or match["name"] not in self.notebook.unset:
            return None
        name = match["name"]
        return (f"{name} is set in {self.notebook.unset[name]} of {self.name}, a line the grader skipped: when a "
                "notebook is graded only imports, definitions and constants built from literals, other constants "
                f"and math/numpy/torch functions run. Set {name} from such values, or inside the function that "
                "uses it.")
