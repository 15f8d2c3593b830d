"""What every assignment's probes share: finding and calling the student's functions.

A probe is a trusted function that runs inside the sandboxed child, next to the student's module (each
assignment's ``probes.py``). It receives the imported student module first, then plain-data arguments
from the check, and returns plain data: observations, never verdicts. The parent judges them.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Callable


class MissingFunction(Exception):
    """The student's module lacks a name the grader asked for."""


class DoesNotFit(Exception):
    """The student's object does not have what a probe needs to do its work (a network without the
    layers the grader's weights go into): a finding about the student's code, said as such, not as an
    exception the student's code raised."""


def student_function(module: ModuleType, name: str) -> Callable:
    """The student's ``name``; raises :class:`MissingFunction` with a clear message when absent."""
    function = getattr(module, name, None)
    if function is None or not callable(function):
        raise MissingFunction(f"{module.__name__}.py does not define {name}()")
    return function


def call(module: ModuleType, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the student's function and return what it returned."""
    return student_function(module, name)(*args, **kwargs)


def nothing(module: ModuleType | None) -> None:
    """Import the module (if any) and return: the cheapest round trip through the sandbox."""
    return None


def raises(module: ModuleType, name: str, *args: Any, **kwargs: Any) -> str | None:
    """The name of the exception the student's ``name(*args, **kwargs)`` raises, or None.

    NotImplementedError propagates, so a stub reads as "not implemented yet".
    """
    function = student_function(module, name)
    try:
        function(*args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 -- the exception's type is the observation
        return type(exc).__name__
    return None


def leaf_modules(model: Any, example: Any) -> list[tuple[str, Any]]:
    """The model's leaf modules in the order its forward pass applies them to ``example``, with a name
    each: a module applied twice (one activation module shared by every layer) is listed twice, and
    layers count in the order the computation uses them, not the order they were defined in.

    Where the forward pass cannot run on ``example``, the registration order, repeats kept.
    """
    import torch

    registered = [(name, m) for name, m in model.named_modules(remove_duplicate=False)
                  if next(m.children(), None) is None]
    names: dict[int, str] = {}
    for name, m in registered:
        names.setdefault(id(m), name)
    applied: list[Any] = []
    unique = {id(m): m for _, m in registered}
    hooks = [m.register_forward_hook(lambda m, args, output: applied.append(m)) for m in unique.values()]
    first = next(model.parameters(), None)
    try:
        with torch.no_grad():
            model(example if first is None else example.to(first.dtype))
    except Exception:  # noqa: BLE001 -- a model that cannot run here is read as registered
        applied = []
    finally:
        for hook in hooks:
            hook.remove()
    return [(names[id(m)], m) for m in applied] if applied else registered
