"""One child per check: the calls of a check share it, checks never do, and every call is judged alone."""

from __future__ import annotations

import contextlib
import os
import textwrap
import time
from types import SimpleNamespace

import pytest
import torch

from autograder.authoring.corpus import write_submission
from autograder.course import get_assignment
from autograder.sandbox import SandboxPool, SubmissionError, probes as common
from autograder.sandbox.server import _children_by_walk, children_of
from autograder.submission import FirstCalls, Submission
from tests.conftest import requires_root

A1 = get_assignment("a1_init")

COUNTING = '''
import os
import socket
import time
import torch

CALLS = []
LISTENERS = []

def calls_so_far():
    CALLS.append(os.getpid())
    return len(CALLS)

def draw():
    return torch.rand(3)

def spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return len(CALLS)

def die():
    os._exit(0)

def listen_and_linger(name):
    """Hostile: listen on an abstract Unix socket, then keep this child alive past the end of its check."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind("\\0" + name)
    listener.listen(1)
    LISTENERS.append(listener)
    return never_end_the_check()

def reach(name):
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect("\\0" + name)
        return "reached"
    except OSError as exc:
        return type(exc).__name__

def never_end_the_check():
    """Hostile: the child's loop reads the next call through this module; make it wait forever."""
    import autograder.sandbox.wire
    autograder.sandbox.wire.read_frame = lambda fd: time.sleep(10**6)
    return "patched"
'''


@pytest.fixture
def student(tmp_path):
    return write_submission(tmp_path, "a1_init", textwrap.dedent(COUNTING)) / A1.filename


@contextlib.contextmanager
def _check(grader, student, name="test/session", timeout_s=10.0, first_calls=None):
    """What a check holds: the student's file on a leased fork server (its child ends with the lease)."""
    with grader.pool.lease() as server:
        yield server, Submission(A1, student, server, name, timeout_s, first_calls=first_calls)


def test_the_calls_of_one_check_share_a_child_and_the_next_check_gets_a_fresh_one(grader, student):
    with _check(grader, student) as (server, sub):
        forked = server.children
        assert [sub.call("calls_so_far") for _ in range(3)] == [1, 2, 3]
        assert server.children == forked + 1
    with _check(grader, student) as (_, sub):
        assert sub.call("calls_so_far") == 1, "a check saw what the previous check's child left"


def test_every_call_starts_from_its_own_seed(grader, student):
    with _check(grader, student) as (_, sub):
        first, again, other = (sub.run(common.call, "draw", sandbox_seed=seed) for seed in (5, 5, 6))
    assert torch.equal(first, again) and not torch.equal(first, other)
    alone = Submission(A1, student, grader.pool, "test/alone", 10.0).run(common.call, "draw", sandbox_seed=5)
    assert torch.equal(first, alone), "a call in a shared child drew other numbers than a child of its own"


def test_each_call_has_its_own_cpu_limit(grader, student):
    """Three calls of 0.6 s CPU each under a 1 s limit: the child's total (1.8 s) is not what is judged."""
    with _check(grader, student, timeout_s=1.0) as (_, sub):
        assert [sub.call("spin", 0.6) for _ in range(3)] == [0, 0, 0]
        with pytest.raises(SubmissionError) as failure:
            sub.call("spin", 3.0)
        assert failure.value.kind == "timeout" and "its 1 s of CPU time" in failure.value.message
        assert sub.call("calls_so_far") == 1, "the call after a timeout must run in a fresh child"


def test_a_child_that_dies_is_replaced_for_the_next_call(grader, student):
    with _check(grader, student) as (_, sub):
        assert sub.call("calls_so_far") == 1
        with pytest.raises(SubmissionError) as failure:
            sub.call("die")
        assert failure.value.kind == "exited"
        assert sub.call("calls_so_far") == 1


def test_a_child_that_ignores_the_end_of_its_check_is_killed(grader, student):
    with _check(grader, student) as (server, sub):
        assert sub.call("never_end_the_check") == "patched"
        pid = server._session.pid
    # the next check starts at once (as root, in a child of the server's other uid) ...
    assert Submission(A1, student, server, "test/after", 10.0).call("calls_so_far") == 1
    server.end_session()
    # ... and the one that ignored its end is killed about a second after it
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


@requires_root
def test_a_check_cannot_reach_the_sockets_of_the_check_before(grader, student):
    """Issue 25, point 2: the child of an ended check may live on for a moment while the next check's child
    runs; every child has its own network namespace, so not even an abstract Unix socket joins them."""
    with _check(grader, student) as (server, sub):
        assert sub.call("listen_and_linger", "ag-linger") == "patched"
    assert Submission(A1, student, server, "test/after", 10.0).call("reach", "ag-linger") == "ConnectionRefusedError"
    server.end_session()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_checks_that_make_the_same_first_call_share_its_outcome(grader, student):
    shared = FirstCalls()
    with _check(grader, student, first_calls=shared) as (_, sub):
        first = sub.run(common.call, "draw", sandbox_seed=5)
    forked = grader.pool.children
    with _check(grader, student, first_calls=shared) as (_, sub):
        assert torch.equal(sub.run(common.call, "draw", sandbox_seed=5), first)
    assert grader.pool.children == forked, "a shared first call forked a child"
    with _check(grader, student, first_calls=shared) as (_, sub):
        assert not torch.equal(sub.run(common.call, "draw", sandbox_seed=6), first), "another seed was shared"


def test_a_check_that_goes_on_after_a_shared_first_call_replays_it_in_its_child(grader, student):
    """Without the replay the second call would see a module that never ran the first (1, not 2)."""
    shared = FirstCalls()
    with _check(grader, student, first_calls=shared) as (_, sub):
        assert sub.run(common.call, "calls_so_far", sandbox_seed=1) == 1
    with _check(grader, student, first_calls=shared) as (_, sub):
        assert sub.run(common.call, "calls_so_far", sandbox_seed=1) == 1
        forked = grader.pool.children
        assert sub.run(common.call, "calls_so_far", sandbox_seed=1) == 2
        assert grader.pool.children == forked + 1


def test_a_shared_failure_is_the_same_failure_and_a_timeout_is_shared_only_under_the_same_limit(grader, student):
    shared = FirstCalls()
    failures = []
    for _ in range(2):
        with _check(grader, student, timeout_s=0.5, first_calls=shared) as (_, sub):
            with pytest.raises(SubmissionError) as failure:
                sub.run(common.call, "spin", 2.0, sandbox_seed=1)
            failures.append(failure.value)
    assert [f.kind for f in failures] == ["timeout", "timeout"] and failures[0].message == failures[1].message
    with _check(grader, student, timeout_s=10.0, first_calls=shared) as (_, sub):
        assert sub.run(common.call, "spin", 2.0, sandbox_seed=1) == 0, "a timeout under 0.5 s was shared with 10 s"


@requires_root  # the spare is told from the check's child by its uid (root until it gets its request)
def test_a_spare_child_killed_while_it_waits_is_replaced_not_charged(grader, student):
    """A spare (forked ahead, waiting for its check, no student code run yet) killed from outside, as
    the OOM killer or an operator might: the next check gets a fresh child, not the spare's death."""
    servers = grader.pool._servers
    for _ in servers:  # every server has served a check: each has a spare waiting
        with _check(grader, student) as (_, sub):
            assert sub.call("calls_so_far") == 1
    deadline = time.monotonic() + 10
    spares = []
    while len(spares) < len(servers) and time.monotonic() < deadline:
        spares = [pid for server in servers for pid in children_of(server.process.pid)
                  if _alive(pid) and os.stat(f"/proc/{pid}").st_uid == 0]
        time.sleep(0.05)
    assert len(spares) == len(servers), "no spare child waited"
    for pid in spares:
        os.kill(pid, 9)
    for _ in servers:
        with _check(grader, student) as (_, sub):
            assert sub.call("calls_so_far") == 1


def test_a_fork_server_lost_between_checks_is_restarted_not_charged(student):
    """Issue 25, point 4: a server that died between checks (killed, out of memory: the next request meets
    a broken pipe) is restarted and asked again; the check runs as if nothing happened."""
    with SandboxPool(1, assignments=["a1_init"]) as pool:
        with _check(SimpleNamespace(pool=pool), student) as (_, sub):
            assert sub.call("calls_so_far") == 1
        server = pool._servers[0]
        server.process.kill()
        server.process.wait()
        with _check(SimpleNamespace(pool=pool), student) as (_, sub):
            assert sub.call("calls_so_far") == 1
        assert server.process.poll() is None, "the server was not restarted"


def test_children_of_finds_running_children_and_zombies():
    """The sweep's list of a server's children (from the kernel's per-thread list) is the /proc walk's."""
    running, ended = os.fork(), None
    if running == 0:
        time.sleep(30)
        os._exit(0)
    try:
        ended = os.fork()
        if ended == 0:
            os._exit(0)
        time.sleep(0.2)  # ``ended`` is a zombie now: it still needs reaping, so it is listed
        listed = children_of(os.getpid())
        assert sorted(listed) == sorted(_children_by_walk(os.getpid())) and {running, ended} <= set(listed)
    finally:
        os.kill(running, 9)
        for pid in (running, ended):
            if pid:
                os.waitpid(pid, 0)
