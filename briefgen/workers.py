"""Worker processes: forked, so they share what the parent already loaded (the spaCy model, the briefing)."""

from __future__ import annotations

import multiprocessing
import signal
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")


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


# Set in the parent before forking the helper of `alongside`; the helper inherits it.
_TASK: Callable[[], object] | None = None


def _run_task(_) -> object:
    return _TASK()


@contextmanager
def alongside(task: Callable[[], T], enabled: bool) -> Iterator[Callable[[], T]]:
    """Run `task` in a forked process while the caller goes on (its result comes back pickled), or, when not
    enabled, in this process when its result is asked for. Yields the function that returns the result."""
    global _TASK
    if not (enabled and fork_available()):
        yield task
        return
    _TASK = task
    try:
        with fork_pool(1) as pool:
            _TASK = None  # the helper has its own copy
            pending = pool.apply_async(_run_task, (None,))
            yield pending.get
    finally:
        _TASK = None
