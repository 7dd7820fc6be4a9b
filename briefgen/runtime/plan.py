"""The incremental plan: whether a build has anything to do. A build records, in the cache, a digest of its inputs
(the articles, briefing.yml, the briefing's templates, the model, briefgen itself) and of the site it wrote; the
next build whose inputs and site are both unchanged does nothing. What an edit makes stale beyond that is found
article by article and page by page, by the keys of the cache (`runner.Runner.map`)."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from briefgen.runtime.cache import code_version, fingerprint

log = logging.getLogger(__name__)


def inputs_digest(files: list[Path], output: Path, given: str) -> str:
    """briefgen's code, what the build is given besides its files (the model, --site-url), the output folder and
    every input file's name and bytes."""
    parts: list[object] = [code_version(), given, str(output.resolve())]
    for path in files:
        if path.is_file():
            parts += [path.as_posix(), path.read_bytes()]
    return fingerprint(*parts)


def site_digest(output: Path) -> str | None:
    """briefing.json and the name, size and modification time of every file: a site someone changed is built
    again."""

    def walk(folder: str, prefix: str):
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    yield from walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found = entry.stat()
                    yield f"{prefix}{entry.name}", found.st_size, found.st_mtime_ns

    try:
        digest = hashlib.sha256((output / "briefing.json").read_bytes())
        for name, size, mtime in sorted(walk(str(output), "")):
            digest.update(f"{name}:{size}:{mtime}".encode())
        return digest.hexdigest()
    except OSError:
        return None


class Record:
    """What the last build of `output` recorded: its inputs' digest, its site's digest, its warnings and counts."""

    def __init__(self, cache: Path, output: Path):
        self.output = output
        self.path = cache / "builds" / (hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:24] + ".json")
        try:
            self.data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def up_to_date(self, inputs: str) -> bool:
        return (
            bool(self.data) and self.data.get("inputs") == inputs and self.data.get("site") == site_digest(self.output)
        )

    def write(self, inputs: str, warnings: list[str], counts: dict[str, int]) -> None:
        record = {"inputs": inputs, "site": site_digest(self.output), "warnings": warnings, "counts": counts}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError as exc:
            log.debug("could not record the build in %s: %s", self.path, exc)


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused for a build (and so in the workers it forks), then resumed as it
    was. A build makes millions of objects that live to its end (facts, clusters, pages), and the collector goes
    over them, and over everything else the process holds, again and again: under `serve`, whose process keeps
    the model, a quarter of a rebuild's time. It finds almost nothing: a build leaves a few hundred objects in
    reference cycles, freed once it is resumed."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
