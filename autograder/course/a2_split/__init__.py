"""Train/validation/test split and shuffling: the grader of ``split.py``."""

from autograder.course import Assignment

ASSIGNMENT = Assignment("a2_split", "split.py", "Train/validation/test split and shuffling")
