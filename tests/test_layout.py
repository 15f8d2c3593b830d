"""The house stays as the README describes it: every module is in the module map and every entry of the
map exists; modules import in one direction (no cycles); the sandbox's public surface is what it says."""

from __future__ import annotations

import ast
import re
import sys

import autograder.sandbox
from autograder.course import PACKAGE_DIR, PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text()
MAP = README[README.index("Module map"):]
MAPPED = re.findall(r"^\| `(autograder/[^`]+)` \|", MAP, flags=re.M)


def _package_entries() -> set[str]:
    """Top-level modules (``autograder/x.py``) and sub-packages (``autograder/x/``) of the package."""
    modules = {f"autograder/{p.name}" for p in PACKAGE_DIR.glob("*.py") if p.stem not in ("__init__", "__main__")}
    packages = {f"autograder/{p.name}/" for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").is_file()}
    return modules | packages


def test_module_map_names_every_module_and_nothing_else():
    assert MAPPED, "README.md has no module map"
    assert set(MAPPED) == _package_entries(), (sorted(_package_entries() - set(MAPPED)),
                                               sorted(set(MAPPED) - _package_entries()))


def test_module_map_names_every_module_of_the_sandbox():
    row = next(line for line in MAP.splitlines() if line.startswith("| `autograder/sandbox/`"))
    modules = {p.stem for p in (PACKAGE_DIR / "sandbox").glob("*.py") if p.stem != "__init__"}
    assert modules == set(re.findall(r"`([a-z_]+)`", row)), row


def _module_name(path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path, name: str) -> set[str]:
    """The autograder modules ``name`` imports when it is imported (module level, not inside functions)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found |= {f"{base}.{a.name}" for a in node.names} | {base}
    return found


def test_no_import_cycles():
    modules = {_module_name(p): p for p in PACKAGE_DIR.rglob("*.py") if "template" not in p.parts}
    graph = {name: {m for m in _top_level_imports(path, name) if m in modules and m != name}
             for name, path in modules.items()}
    # a package's __init__ importing its own submodules is how a package exports; a cycle through it is not
    for name in graph:
        graph[name] = {m for m in graph[name] if not (m == name.rpartition(".")[0] and modules[m].name == "__init__.py")}
    sys.setrecursionlimit(10_000)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_sandbox_public_surface():
    assert autograder.sandbox.__all__ and all(hasattr(autograder.sandbox, n) for n in autograder.sandbox.__all__)
