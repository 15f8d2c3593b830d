"""Turn a Jupyter notebook into the module a student meant: its imports, definitions and constants.

A notebook trains its model, plots and prints at top level; imported as a module, all of that would
run at grading, inside every check's time limit. So the grader keeps only what defines the API:
imports, ``def``/``class`` statements and simple constant assignments, and says once which cells and
lines it skipped. The conversion runs in the trusted parent and only *parses* the notebook with
:mod:`ast`; nothing of it is executed here. A ``.py`` file is never filtered: it is graded as written.
"""

from __future__ import annotations

import ast
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


@dataclass
class Converted:
    """The module made from a notebook, and what was left out of it (for the student's feedback)."""

    source: str
    skipped: list[str] = field(default_factory=list)

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


#: Calls that notebooks use to choose a device, cheap and side-effect free: ``device = torch.device(
#: "cuda" if torch.cuda.is_available() else "cpu")`` is kept (functions use it as a default argument).
SAFE_CALLS = {"torch.device", "torch.cuda.is_available", "torch.backends.mps.is_available", "torch.cuda.device_count"}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _constant(node: ast.AST) -> bool:
    """A value that costs nothing to compute: literals, names, attributes and containers of them,
    conditionals over them and the device-choosing calls of :data:`SAFE_CALLS`."""
    if isinstance(node, (ast.Constant, ast.Name, ast.Lambda)):
        return True
    if isinstance(node, ast.Call):
        return (_dotted(node.func) in SAFE_CALLS and all(_constant(a) for a in node.args)
                and all(_constant(k.value) for k in node.keywords))
    if isinstance(node, ast.IfExp):
        return _constant(node.test) and _constant(node.body) and _constant(node.orelse)
    if isinstance(node, ast.Compare):
        return _constant(node.left) and all(_constant(c) for c in node.comparators)
    if isinstance(node, ast.BoolOp):
        return all(_constant(v) for v in node.values)
    if isinstance(node, ast.Attribute):
        return _constant(node.value)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_constant(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is None or _constant(k) for k in node.keys) and all(_constant(v) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        return _constant(node.operand)
    if isinstance(node, ast.BinOp):
        return _constant(node.left) and _constant(node.right)
    return False


def _main_guard(node: ast.AST) -> bool:
    """``if __name__ == "__main__":`` -- never true for an imported module, so dropped silently."""
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__")


def keeps(node: ast.stmt) -> bool:
    """Whether a top-level statement defines the API (kept) or does work (skipped)."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Pass)):
        return True
    if isinstance(node, ast.Assign):
        return all(isinstance(t, ast.Name) for t in node.targets) and _constant(node.value)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and (node.value is None or _constant(node.value))
    if isinstance(node, ast.Expr):  # a docstring or a bare constant
        return isinstance(node.value, ast.Constant)
    if isinstance(node, ast.Try):  # try: import x / except ImportError: ...
        body = node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
        return all(keeps(s) for s in body)
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
    parts, skipped = [], []
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
        kept = []
        for node in tree.body:
            start, end = _first_line(node), node.end_lineno or node.lineno
            if _kept(node):
                own = not shared & set(range(start, end + 1))
                kept.append("\n".join(lines[start - 1:end]) if own else ast.unparse(node))
            elif not _main_guard(node):
                where = f"line {start}" if start == end else f"lines {start}-{end}"
                skipped.append(f"cell {number} {where} (`{_preview(lines[start - 1:end])}`)")
        if kept:
            parts.append(f"# --- cell {number} ---\n" + "\n".join(kept))
    module = "\n\n".join(parts) + "\n"
    if parse_source(module) is None:  # each kept statement parsed alone; together they still must
        raise NotebookError("its kept cells do not form a module the grader can read")
    return Converted(module, skipped)


def _kept(node: ast.stmt) -> bool:
    """:func:`keeps`, for a statement nested too deeply to judge: skipped."""
    try:
        return keeps(node)
    except RecursionError:
        return False
