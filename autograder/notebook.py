"""Turn a Jupyter notebook into the module a student meant: its imports, definitions and constants.

A notebook trains its model, plots and prints at top level; imported as a module, all of that would
run at grading, inside every check's time limit. So the grader keeps only what defines the API:
imports, ``def``/``class`` statements and simple constant assignments, and says once which cells and
lines it skipped. The conversion runs in the trusted parent and only *parses* the notebook with
:mod:`ast`; nothing of it is executed here. A ``.py`` file is never filtered: it is graded as written.
"""

from __future__ import annotations

import ast
import builtins
import json
import re
from dataclasses import dataclass, field

from autograder.files import MAX_SOURCE_CHARS, parse_source

#: IPython syntax that is not Python: line magics (``%matplotlib inline``), cell magics (``%%time``),
#: shell escapes (``!pip install ...``) and help (``torch.nn?``).
_MAGIC_LINE = re.compile(r"^\s*(%|!)")
_HELP_LINE = re.compile(r"^\s*[\w.]+\s*\?\??\s*$")


class NotebookError(ValueError):
    """The file is not a notebook the grader can read (not JSON, or no cells)."""


@dataclass(frozen=True)
class Segment:
    """Kept lines of one cell: module lines ``first`` .. ``first + count - 1`` are the cell's lines from
    ``line`` on (``exact``: line for line; else one statement rewritten, all at ``line``)."""

    first: int
    count: int
    cell: int
    line: int
    exact: bool


@dataclass
class Converted:
    """The module made from a notebook, and what was left out of it (for the student's feedback)."""

    source: str
    skipped: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    #: Names that only skipped statements set (name -> "cell 4, line 3"): a NameError of one is explained.
    unset: dict[str, str] = field(default_factory=dict)

    def where(self, line: int) -> str:
        """Where the module's ``line`` is in the notebook: ``cell 4, line 3`` (or the module line)."""
        for segment in self.segments:
            if segment.first <= line < segment.first + segment.count:
                offset = line - segment.first if segment.exact else 0
                return f"cell {segment.cell}, line {segment.line + offset}"
        return f"line {line}"

    def note(self, filename: str) -> str:
        """One note for the whole report: which cells and lines did not become part of the module."""
        if not self.skipped:
            return f"{filename} is a notebook: its code cells were graded as a module."
        listed = "; ".join(self.skipped[:12]) + ("; ..." if len(self.skipped) > 12 else "")
        return (f"{filename} is a notebook: its code cells were graded as a module, keeping only imports, "
                "function and class definitions and constant assignments (top-level work such as training, "
                f"plotting or printing does not run when grading). Skipped: {listed}.")


def cells(text: str) -> list[str]:
    """The source of every code cell, in document order (nbformat 4, and 3's worksheets)."""
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"it is not a valid notebook (JSON error: {exc})") from None
    if type(notebook) is not dict:
        raise NotebookError("it is not a valid notebook (no cells)")
    raw = notebook.get("cells")
    if raw is None:  # nbformat 3
        raw = [c for sheet in notebook.get("worksheets") or [] for c in sheet.get("cells") or []]
    sources = []
    for cell in raw if type(raw) is list else []:
        if type(cell) is dict and cell.get("cell_type") == "code":
            source = cell.get("source", cell.get("input", ""))
            sources.append("".join(source) if type(source) is list else str(source))
    size = sum(map(len, sources))
    if size > MAX_SOURCE_CHARS:
        raise NotebookError(f"its code cells hold {size:,} characters; the grader reads notebooks of at most "
                            f"{MAX_SOURCE_CHARS:,} characters of code")
    return sources


def _strip_ipython(source: str) -> tuple[str, int]:
    """Replace IPython-only lines by ``pass`` at the same indentation (line numbers are kept)."""
    lines, removed = [], 0
    for line in source.split("\n"):
        if _MAGIC_LINE.match(line) or _HELP_LINE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(f"{indent}pass")
            removed += 1
        else:
            lines.append(line)
    return "\n".join(lines), removed


#: Functions of these modules that compute a value from their arguments and change nothing, so a
#: constant built from them is kept: ``RELU_GAIN = math.sqrt(2.0)``, ``TWO_PI = np.pi * 2``,
#: ``device = torch.device("cuda" if torch.cuda.is_available() else "cpu")``. Any function of ``math``;
#: of numpy and torch, the ones named here (a random draw or a file read is work, not a constant).
PURE_CALLS = {
    "numpy": {"sqrt", "log", "log2", "log10", "exp", "sin", "cos", "tan", "tanh", "abs", "array", "asarray",
              "float32", "float64", "int32", "int64", "linspace", "arange", "zeros", "ones", "full", "prod",
              "maximum", "minimum", "clip", "deg2rad", "radians"},
    "torch": {"device", "cuda.is_available", "cuda.device_count", "backends.mps.is_available", "tensor",
              "sqrt", "log", "exp", "zeros", "ones", "full", "arange", "linspace", "float32", "float64",
              "get_default_dtype"},
}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


class Scope:
    """The names a notebook's kept statements have defined so far, and the modules its imports name
    (``np`` -> ``numpy``): a constant may only use these, or it would raise NameError at import."""

    def __init__(self) -> None:
        self.names: set[str] = set(dir(builtins))
        self.modules: dict[str, str] = {}

    def add(self, node: ast.stmt) -> None:
        """Record what a kept statement defines."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                self.names.add(local)
                self.modules[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                self.names.add(alias.asname or alias.name)
                if node.module and alias.name != "*":
                    self.modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Try):
            for inner in node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]:
                self.add(inner)
        else:
            self.names |= assigned_names(node)

    def pure(self, func: ast.AST) -> bool:
        """Whether ``func`` names a function of :data:`PURE_CALLS` through this scope's imports."""
        head, _, rest = _dotted(func).partition(".")
        module = self.modules.get(head, "")
        full = f"{module}.{rest}" if rest else module
        if full.startswith("math."):
            return True
        top, _, name = full.partition(".")
        return name in PURE_CALLS.get(top, ())

    def constant(self, node: ast.AST) -> bool:
        """A value that is cheap and certain to compute: literals, names already defined, attributes and
        containers of them, arithmetic, conditionals and calls of :data:`PURE_CALLS` over them."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return node.id in self.names
        if isinstance(node, ast.Lambda):
            return True
        if isinstance(node, ast.Call):
            return (self.pure(node.func) and all(self.constant(a) for a in node.args)
                    and all(self.constant(k.value) for k in node.keywords))
        if isinstance(node, ast.Attribute):
            return self.constant(node.value)
        if isinstance(node, ast.IfExp):
            return all(map(self.constant, (node.test, node.body, node.orelse)))
        if isinstance(node, ast.Compare):
            return self.constant(node.left) and all(map(self.constant, node.comparators))
        if isinstance(node, ast.BoolOp):
            return all(map(self.constant, node.values))
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return all(map(self.constant, node.elts))
        if isinstance(node, ast.Dict):
            return all(k is None or self.constant(k) for k in node.keys) and all(map(self.constant, node.values))
        if isinstance(node, ast.UnaryOp):
            return self.constant(node.operand)
        if isinstance(node, ast.BinOp):
            return self.constant(node.left) and self.constant(node.right)
        return False


def assigned_names(node: ast.stmt) -> set[str]:
    """The top-level names a statement binds (``a, b = ...``, ``def f``, ``class C``, ``x += 1``)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets = (node.targets if isinstance(node, ast.Assign) else
               [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For)) else [])
    names: set[str] = set()
    for target in targets:
        names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def _main_guard(node: ast.AST) -> bool:
    """``if __name__ == "__main__":`` -- never true for an imported module, so dropped silently."""
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__")


def keeps(node: ast.stmt, scope: Scope) -> bool:
    """Whether a top-level statement defines the API (kept) or does work (skipped)."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Pass)):
        return True
    if isinstance(node, ast.Assign):
        return all(isinstance(t, ast.Name) for t in node.targets) and scope.constant(node.value)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and (node.value is None or scope.constant(node.value))
    if isinstance(node, ast.Expr):  # a docstring or a bare constant
        return isinstance(node.value, ast.Constant)
    if isinstance(node, ast.Try):  # try: import x / except ImportError: ...
        body = node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
        return all(keeps(s, scope) for s in body)
    return False


def _parse(raw: str) -> tuple[str, ast.Module] | str:
    """The cell's source and tree; IPython-only lines are removed only when the cell needs it (so a
    docstring line that starts with ``%`` is left alone). A string says why it does not parse."""
    try:
        return raw, ast.parse(raw)
    except SyntaxError:
        source, _ = _strip_ipython(raw)
    except (RecursionError, MemoryError):
        return "nested too deeply for the grader to read"
    try:
        return source, ast.parse(source)
    except SyntaxError as exc:
        return f"{exc.msg}, line {exc.lineno}"
    except (RecursionError, MemoryError):
        return "nested too deeply for the grader to read"


def _shared_lines(body: list[ast.stmt]) -> set[int]:
    """Lines that hold more than one statement (``import a; train()``): those are unparsed one by one."""
    seen: dict[int, int] = {}
    for node in body:
        for line in range(_first_line(node), (node.end_lineno or node.lineno) + 1):
            seen[line] = seen.get(line, 0) + 1
    return {line for line, count in seen.items() if count > 1}


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno] + [d.lineno for d in decorators])


def _preview(lines: list[str]) -> str:
    text = next((line.strip() for line in lines if line.strip()), "")
    return text if len(text) <= 40 else text[:37] + "..."


def convert(text: str) -> Converted:
    """The module made from a notebook's code cells (see the module docstring for what is kept)."""
    parts, skipped, segments, unset = [], [], [], {}
    scope, line = Scope(), 1   # the module's line where the next part starts
    for number, raw in enumerate(cells(text), start=1):
        if raw.lstrip().startswith("%%"):
            skipped.append(f"cell {number} (a {raw.split()[0]} cell magic)")
            continue
        parsed = _parse(raw)
        if isinstance(parsed, str):
            skipped.append(f"cell {number} (does not parse: {parsed})")
            continue
        source, tree = parsed
        lines = source.split("\n")
        shared = _shared_lines(tree.body)
        kept, at = [], line + 1   # below the part's "# --- cell N ---" header
        for node in tree.body:
            start, end = _first_line(node), node.end_lineno or node.lineno
            where = f"line {start}" if start == end else f"lines {start}-{end}"
            if _kept(node, scope):
                scope.add(node)
                own = not shared & set(range(start, end + 1))
                chunk = "\n".join(lines[start - 1:end]) if own else ast.unparse(node)
                segments.append(Segment(at, chunk.count("\n") + 1, number, start, own))
                at += chunk.count("\n") + 1
                kept.append(chunk)
            elif not _main_guard(node):
                skipped.append(f"cell {number} {where} (`{_preview(lines[start - 1:end])}`)")
                unset.update({name: f"cell {number}, {where}" for name in assigned_names(node) - scope.names})
        if kept:
            parts.append(f"# --- cell {number} ---\n" + "\n".join(kept))
            line = at + 1   # "\n\n" between parts: one blank line
    module = "\n\n".join(parts) + "\n"
    if parse_source(module) is None:  # each kept statement parsed alone; together they still must
        raise NotebookError("its kept cells do not form a module the grader can read")
    return Converted(module, skipped, segments, unset)


def _kept(node: ast.stmt, scope: Scope) -> bool:
    """:func:`keeps`, for a statement nested too deeply to judge: skipped."""
    try:
        return keeps(node, scope)
    except RecursionError:
        return False
