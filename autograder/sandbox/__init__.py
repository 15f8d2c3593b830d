"""The sandbox: student code runs only in disposable, isolated children; only plain data comes back.

Outside (the trusted parent): :mod:`~autograder.sandbox.pool` (the fork servers of one grading run and
the parent's handle on each), :mod:`~autograder.sandbox.calls` (a call's request, limits and outcome).
Inside (the fork server and its children): :mod:`~autograder.sandbox.server`,
:mod:`~autograder.sandbox.jail` (the child's allow-list view of the machine),
:mod:`~autograder.sandbox.hugepages`, :mod:`~autograder.sandbox.warmup`, and
:mod:`~autograder.sandbox.probes` (what every assignment's probes share). Both sides speak
:mod:`~autograder.sandbox.wire`, the grader's own encoding of plain data.
"""

from autograder.sandbox.calls import Limits, Outcome, Request, SubmissionError, probe_name
from autograder.sandbox.pool import SANDBOX_UIDS, SandboxPool, ServerHandle, is_root, preparation

__all__ = ["Limits", "Outcome", "Request", "SubmissionError", "probe_name",
           "SANDBOX_UIDS", "SandboxPool", "ServerHandle", "is_root", "preparation"]
