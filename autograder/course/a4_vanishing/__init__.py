"""Vanishing gradients, activations and initializers compared: the grader of ``vanishing.py``."""

from autograder.course import Assignment

ASSIGNMENT = Assignment("a4_vanishing", "vanishing.py", "Vanishing gradients, activations and initializers compared",
                        needs_data=True, trains=True, plots=True)
