"""Sandboxed, deterministic autograder for the "Training deep neural networks" assignments.

Student code only ever runs in a disposable child process (:mod:`autograder.sandbox`); the
trusted parent decides every score (:mod:`autograder.grading`).
"""

__version__ = "0.1.0"
