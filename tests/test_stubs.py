"""The generator of student files: solution blocks become TODOs, and assignments/ is never stale."""

from __future__ import annotations

import textwrap

import pytest

from autograder.stubs import StubError, stale_files, strip_solutions


def test_block_becomes_todo_and_raise_at_its_indentation():
    source = textwrap.dedent('''
        def f(x):
            """Doc."""
            # BEGIN SOLUTION double x
            return 2 * x
            # END SOLUTION
    ''')
    stub = strip_solutions(source)
    assert "return 2 * x" not in stub
    assert "    # TODO: double x\n    raise NotImplementedError('double x')\n" in stub
    namespace: dict = {}
    exec(compile(stub, "stub", "exec"), namespace)
    with pytest.raises(NotImplementedError, match="double x"):
        namespace["f"](1)


@pytest.mark.parametrize("source, problem", [
    ("# BEGIN SOLUTION\nx = 1\n", "never closed"),
    ("x = 1\n# END SOLUTION\n", "without BEGIN"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n", "inside the block"),
])
def test_unbalanced_markers_are_refused(source, problem):
    with pytest.raises(StubError, match=problem):
        strip_solutions(source)


def test_assignments_are_up_to_date_with_solutions():
    assert stale_files() == []


def test_no_solution_code_reaches_students():
    from autograder.course import STUDENT_DIR
    for path in STUDENT_DIR.rglob("*.py"):
        assert "BEGIN SOLUTION" not in path.read_text(), path
