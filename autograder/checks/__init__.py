"""Public checks, one module per assignment; hidden checks live in :mod:`autograder.checks.hidden`."""
