"""The worker pool: one implementation of "do this work over these items in several processes".

Workers are forked, so they share what this process holds when the work starts (the loaded model, the briefing,
the compiled templates) without pickling it; only each chunk of items and its results cross between processes.
A distributed engine would stand in here: `map` is the whole interface the rest of briefgen sees."""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Sequence

from briefgen.errors import BriefgenError

_SHARED: object = None  # what the work reads besides its items: set before the workers fork, inherited by them
_STARTED: Any = None  # one flag per chunk, in memory the workers share: 1 begun, 2 done (what a dead worker was doing)


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _worker_start() -> None:
    # The parent handles Ctrl-C and SIGTERM (and then stops the pool): a worker dies quietly on SIGTERM instead
    # of running the parent's handler, and leaves Ctrl-C to the parent.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(task: Callable, index: int, chunk: list) -> list:
    _STARTED[index] = 1
    found = task(_SHARED, chunk)
    _STARTED[index] = 2
    return found


def chunked(items: list, size: int, jobs: int) -> list[list]:
    """`items` in chunks of `size`, but the last few one at a time, so no worker sits idle at the end while
    another finishes a long chunk."""
    tail = min(len(items), 2 * size * jobs)
    head = items[: len(items) - tail]
    return [head[k : k + size] for k in range(0, len(head), size)] + [[item] for item in items[len(head) :]]


def map_work(
    task: Callable[[object, list], list],
    items: Sequence,
    *,
    shared: object = None,
    jobs: int = 1,
    chunk: int = 1,
    minimum: int = 1,
    describe: Callable[[object], str] = str,
    done: Callable[[list[int], list], None] | None = None,
    waits: bool = False,
) -> list:
    """`task(shared, chunk)` over `items` in chunks, its results in the order of `items` (a task returns one
    result per item of its chunk). In `jobs` forked workers when there are at least `minimum` items for each,
    else here. A worker that dies (killed, out of memory) stops the build with an error naming what it was
    working on. `done(positions, results)` is called with each chunk's results as they come. `waits`: the task
    mostly waits for programs it runs (the search indexer), so every item runs at once, in threads of this
    process."""
    items = list(items)
    if waits and jobs > 1 and len(items) > 1:
        with ThreadPoolExecutor(len(items)) as threads:
            futures = [threads.submit(task, shared, [item]) for item in items]
            waited: list = []
            for k, future in enumerate(futures):
                found = future.result()
                if done:
                    done([k], found)
                waited += found
        return waited
    if not (jobs > 1 and len(items) >= minimum * jobs and fork_available()):
        out: list = []
        for k in range(0, len(items), chunk):
            found = task(shared, items[k : k + chunk])
            if done:
                done(list(range(k, k + len(found))), found)
            out += found
        return out
    global _SHARED, _STARTED
    chunks = chunked(list(range(len(items))), chunk, jobs)
    results: list = [None] * len(items)
    _SHARED, _STARTED = shared, multiprocessing.RawArray("b", len(chunks))
    try:
        with ProcessPoolExecutor(
            jobs, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start
        ) as pool:
            pending = {pool.submit(_run, task, k, [items[i] for i in part]): part for k, part in enumerate(chunks)}
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    part = pending.pop(future)
                    try:
                        found = future.result()
                    except BrokenProcessPool:
                        names = ", ".join(
                            describe(items[i]) for k, part in enumerate(chunks) if _STARTED[k] == 1 for i in part
                        ) or ", ".join(describe(items[i]) for i in part)
                        raise BriefgenError(
                            f"{names}: a worker process died while working on it (out of memory, "
                            f"or killed); the last good site was kept"
                        ) from None
                    for i, result in zip(part, found):
                        results[i] = result
                    if done:
                        done(part, found)
    finally:
        _SHARED = _STARTED = None
    return results
