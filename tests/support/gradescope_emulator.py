"""The Gradescope emulator, for the tests that import it from here: it lives in the package
(``autograder.gradescope.emulator``), where ``autograder gradescope --try`` uses it."""

from autograder.gradescope.emulator import EmulatedRun, run_gradescope

__all__ = ["EmulatedRun", "run_gradescope"]
