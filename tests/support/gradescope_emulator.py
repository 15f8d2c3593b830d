"""The Gradescope emulator, for the tests that import it from here: it lives in the package
(``autograder.gradescope.emulator``), where ``autograder gradescope --try`` uses it."""

from autograder.gradescope.emulator import METADATA, EmulatedRun, run_gradescope

__all__ = ["METADATA", "EmulatedRun", "run_gradescope"]
