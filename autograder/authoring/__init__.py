"""Authoring assignments: ``autograder new`` (a new assignment from the template) and ``autograder validate``
(the reference, the stub and the test corpus graded, in one table)."""
