"""Training a network on Fashion-MNIST: the grader of ``fashion.py``."""

from autograder.course import Assignment

ASSIGNMENT = Assignment("a3_train", "fashion.py", "Training a network on Fashion-MNIST", needs_data=True, trains=True)
