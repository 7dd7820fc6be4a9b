"""Worker processes: forked, so they share what the parent already loaded (the spaCy model, the briefing)."""

from __future__ import annotations

import multiprocessing
import signal


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
