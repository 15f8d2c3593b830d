"""The Gradescope autograder: the zip builder, its setup.sh and run_autograder, and the runner."""
