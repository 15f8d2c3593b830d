"""Other ways to run the same checks: Otter-Grader test files and a pytest plugin."""
