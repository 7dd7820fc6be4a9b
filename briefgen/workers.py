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


# What a pool's workers were forked with (see `fork_pool`); only set in the parent while it forks.
_STATE: object = None


@contextmanager
def fork_pool(jobs: int, state: object = None) -> Iterator:
    """A pool of `jobs` forked workers that inherit `state` (never pickled: the loaded model, the briefing),
    read in a worker with `inherited()`."""
    global _STATE
    _STATE = state
    try:
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_signals)
    finally:
        _STATE = None  # the workers have their own copies
    with pool:
        yield pool


def inherited() -> object:
    """In a worker of `fork_pool`: the state it was forked with."""
    return _STATE


def call_inherited(task: Callable, args: tuple = ()) -> object:
    """In a worker of `fork_pool`: `task(the state it was forked with, *args)` (`task` a module-level function)."""
    return task(inherited(), *args)


def shared_count():
    """A count, starting at 0, that processes forked after it share: see `chunks_taken`."""
    return multiprocessing.Value("i", 0)


def chunks_taken(count, total: int, size: int) -> Iterator[range]:
    """Ranges of `size` of `total` items, each taken by the first process to ask for it (`count`: a
    `shared_count` made before they were forked): processes that start or go at different times share the
    work as they come."""
    while True:
        with count.get_lock():
            k = count.value
            count.value += 1
        if k * size >= total:
            return
        yield range(k * size, min(total, (k + 1) * size))


class Helper:
    """A forked process that runs tasks in turn while the caller goes on (see `helper`); it can be started ahead of
    need (its first task preparing for the next) and stopped when no more is needed of it."""

    def __init__(self, state: object = None):
        self._context = fork_pool(1, state)
        self._pool = self._context.__enter__()

    @property
    def running(self) -> bool:
        return self._pool is not None

    def run(self, task: Callable, *args) -> Callable[[], object]:
        """Queue `task(state, *args)` (a module-level function; `args` and its result are pickled); returns a
        function that waits for the result."""
        return self._pool.apply_async(call_inherited, (task, args)).get

    def stop(self) -> None:
        """End the process, whatever it is doing (idempotent)."""
        if self._pool is not None:
            self._pool = None
            self._context.__exit__(None, None, None)


@contextmanager
def helper(enabled: bool, state: object) -> Iterator[Callable[..., Callable[[], object]]]:
    """A forked process that holds `state` (inherited, never pickled) and runs tasks on it while the caller goes
    on. Yields `run(task, *args)`: `task(state, *args)` is queued there (tasks run in turn; `task` is a module-level
    function, `args` and its result are pickled) and a function that waits for its result is returned. When not
    enabled, the task runs in this process when its result is asked for."""
    if not (enabled and fork_available()):
        yield lambda task, *args: (lambda: task(state, *args))
        return
    forked = Helper(state)
    try:
        yield forked.run
    finally:
        forked.stop()
