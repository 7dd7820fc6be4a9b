"""The runner a build hands the pipeline: the pipeline's work, shared out over worker processes (`pool`) and kept
in the cache (`cache`), so that an unchanged article is never parsed twice nor an unchanged page rendered twice."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

from briefgen.runtime.cache import Store, code_version, fingerprint
from briefgen.runtime.pool import map_work


class Runner:
    """`map` as the pipeline calls it (see `briefgen.pipeline.Plain`), with `jobs` processes and a cache folder
    (None: nothing is kept)."""

    def __init__(
        self,
        jobs: int | None = None,
        cache: Path | None = None,
        progress: Callable[[str, int], Callable[[int], None] | None] | None = None,
    ):
        self.jobs = jobs or os.cpu_count() or 1
        self.store = Store(cache / "work" if cache else None)
        self.progress = progress
        self.worked: dict[str, int] = {}  # name -> items worked on (not from the cache)

    def map(
        self,
        task: Callable[[object, list], list],
        items: Sequence,
        *,
        shared: object = None,
        key: Callable[[object], object] | None = None,
        code: tuple[str, ...] | None = None,
        chunk: int = 1,
        minimum: int = 1,
        describe: Callable[[object], str] = str,
        name: str = "",
        waits: bool = False,
    ) -> list:
        """`task(shared, chunk)` over `items`; with `key`, an item whose key (with the task and briefgen's code,
        or the `code` the task depends on: see `cache.code_version`) was seen before is not worked on again (a key
        of None: never kept)."""
        items = list(items)
        keys: list[str | None] = [None] * len(items)
        found: list = [None] * len(items)
        if key is not None and self.store.folder is not None:
            for k, item in enumerate(items):
                part = key(item)
                if part is not None:
                    keys[k] = digest = fingerprint(code_version(code), task.__module__, task.__qualname__, part)
                    found[k] = self.store.get(digest)
        todo = [k for k, value in enumerate(found) if value is None]
        if name:
            self.worked[name] = self.worked.get(name, 0) + len(todo)
        shown = self.progress(name, len(todo)) if self.progress and todo else None

        def done(positions: list[int], results: list) -> None:  # kept as it comes: an interrupted build keeps it
            for position, value in zip(positions, results):
                k = todo[position]
                found[k] = value
                if (digest := keys[k]) is not None:
                    self.store.put(digest, value)
            if shown:
                shown(len(positions))

        map_work(
            task,
            [items[k] for k in todo],
            shared=shared,
            jobs=self.jobs,
            chunk=chunk,
            minimum=minimum,
            describe=describe,
            done=done,
            waits=waits,
        )
        return found

    def finish(self) -> None:
        """After a good build: drop what it did not use."""
        self.store.prune()
