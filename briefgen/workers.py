"""Worker processes: forked, so they share what the parent already loaded (the spaCy model, the briefing)."""

from __future__ import annotations

import multiprocessing
import signal
from contextlib import contextmanager
from typing import Callable, Iterator


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def can_fork(jobs: int, items: int, minimum_per_process: int) -> bool:
    """Worth forking: more than one job, enough items for each, and a platform that forks."""
    return jobs > 1 and items >= minimum_per_process * jobs and fork_available()


def _worker_signals() -> None:
    # The parent handles Ctrl-C and SIGTERM (and then stops the pool): a worker dies quietly on SIGTERM
    # instead of running the parent's handler, and leaves Ctrl-C to the parent.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def fork_pool(jobs: int):
    return multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_signals)


# Set in the parent before forking a `helper`; the helper process inherits it.
_STATE: object = None


def _call(task: Callable, args: tuple) -> object:
    return task(_STATE, *args)


@contextmanager
def helper(enabled: bool, state: object) -> Iterator[Callable[..., Callable[[], object]]]:
    """A forked process that holds `state` (inherited, never pickled) and runs tasks on it while the caller goes
    on. Yields `run(task, *args)`: `task(state, *args)` is queued there (tasks run in turn; `task` is a module-level
    function, `args` and its result are pickled) and a function that waits for its result is returned. When not
    enabled, the task runs in this process when its result is asked for."""
    global _STATE
    if not (enabled and fork_available()):
        yield lambda task, *args: (lambda: task(state, *args))
        return
    _STATE = state
    try:
        with fork_pool(1) as pool:
            _STATE = None  # the helper has its own
            yield lambda task, *args: pool.apply_async(_call, (task, args)).get
    finally:
        _STATE = None
