"""Xavier and Kaiming initialization: the grader of ``initializers.py``."""

from autograder.course import Assignment

ASSIGNMENT = Assignment("a1_init", "initializers.py", "Xavier and Kaiming initialization")
