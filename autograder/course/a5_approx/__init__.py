"""Universal approximation, by hand and by training: the grader of ``approx.py``."""

from autograder.course import Assignment

ASSIGNMENT = Assignment("a5_approx", "approx.py", "Universal approximation, by hand and by training", trains=True)
