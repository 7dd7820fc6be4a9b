"""`briefgen build`: load → clean → parse → extract → consolidate → render → write, timed stage by stage.

Unchanged articles come from the parse cache; a build whose inputs and briefgen itself are unchanged, with the
output intact, does nothing at all."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from briefgen import __version__
from briefgen.clean import clean_articles
from briefgen.config import CONFIG_FILE, BriefingConfig, default_model, load_config, slugify
from briefgen.errors import BriefgenError
from briefgen.load import find_article_files, load_articles
from briefgen.parse import analyse, model_helper, model_id
from briefgen.structure import Briefing
from briefgen.write import Staging, check_output, exclusive, write_failed

log = logging.getLogger("briefgen")
PACKAGE = Path(__file__).resolve().parent.parent


@dataclass
class BuildResult:
    briefing: Briefing | None  # None when the site was already up to date
    config: BriefingConfig
    warnings: list[str]
    parsed: int  # articles parsed now (not from the cache)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    up_to_date: bool = False


def default_source_dir() -> Path:
    """`seeds/` in the working folder, else the seed briefing shipped inside the package."""
    local = Path("seeds")
    if local.is_dir():
        return local
    packaged = Path(str(resources.files("briefgen").joinpath("seeds")))
    return packaged if packaged.is_dir() else local


def cache_folder(source_dir: Path, use_cache: bool) -> Path | None:
    """Where this briefing's cache lives: `$BRIEFGEN_CACHE_DIR`, else a folder of the user's cache directory named
    after the briefing folder's path. Never inside the briefing folder: the cache holds compiled templates and
    pickled objects, which run code when loaded, and a briefing folder may come from anyone."""
    if not use_cache:
        return None
    env = os.environ.get("BRIEFGEN_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    folder = source_dir.resolve()
    key = hashlib.sha256(os.fsencode(folder)).hexdigest()[:16]
    return Path(user_cache_dir("briefgen", appauthor=False)) / f"{slugify(folder.name)[:40] or 'briefing'}-{key}"


def progress_bar(quiet: bool):
    """A tqdm bar factory for the parse stage, only on a terminal and never with -q."""
    if quiet or not sys.stderr.isatty():
        return None

    def make(total: int):
        from tqdm import tqdm

        return tqdm(total=total, desc="Parsing", unit="article", leave=False, file=sys.stderr)

    return make


@contextmanager
def _timed(timings: dict[str, float], stage: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """briefgen's own code, data, templates and assets: a new briefgen means a new build."""
    digest = hashlib.sha256(__version__.encode())
    roots = [PACKAGE, PACKAGE.parent / "templates", PACKAGE.parent / "static"]
    for root in roots:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(path.as_posix().encode())
                    digest.update(path.read_bytes())
    try:
        from importlib.metadata import version

        digest.update(version("pagefind-bin").encode())
    except Exception:  # pagefind missing is reported when the index is written
        pass
    return digest.hexdigest()


def input_fingerprint(source_dir: Path, output: Path, model: str) -> str:
    digest = hashlib.sha256(package_fingerprint().encode())
    digest.update(f"{model_id(model)}|{output.resolve()}".encode())
    files, _ = find_article_files(source_dir, exclude=[output])
    templates = source_dir / "templates"
    extra = [source_dir / CONFIG_FILE] + (sorted(p for p in templates.rglob("*") if p.is_file()) if templates.is_dir() else [])
    for path in files + extra:
        if path.is_file():
            digest.update(path.as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _record_path(cache: Path, output: Path) -> Path:
    return cache / "builds" / (hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:24] + ".json")


def _site_digest(output: Path) -> str | None:
    """briefing.json and the name, size and modification time of every file: a site someone changed is built
    again (a build links the files it did not change from the last site, so their times stay as they were)."""
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


def build(
    source_dir: Path,
    output: Path,
    *,
    strict: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
    progress=None,
    resident: bool = False,
) -> BuildResult:
    """Build the briefing in `source_dir` into `output`; raises BriefgenError, leaving the last good site as it was.
    `resident`: this process builds again and again (`serve`), so the model is loaded in it and kept, never in a
    helper process that ends with the build."""
    if not source_dir.is_dir():
        raise BriefgenError(f"{source_dir}: briefing folder not found" if not source_dir.exists()
                            else f"{source_dir}: not a folder; give the folder that holds the articles")
    with exclusive(output), collector_paused():
        try:
            return _build(source_dir, output, strict=strict, use_cache=use_cache, jobs=jobs, progress=progress,
                          resident=resident)
        except OSError as exc:  # a read-only folder, a full disk, a file gone while read: one line, no traceback
            raise _os_error(exc, source_dir, output) from None


def _os_error(exc: OSError, source_dir: Path, output: Path) -> BriefgenError:
    """An operating-system failure as one line naming the file: reading the briefing, or writing anything else."""
    if exc.filename is None:
        return write_failed(output, exc)
    name = os.fsdecode(exc.filename)
    path, out = Path(name).resolve(), output.resolve()
    writing = path.is_relative_to(out) or path == out.parent or any(p.startswith(".briefgen-") for p in path.parts)
    if not writing and path.is_relative_to(source_dir.resolve()):
        return BriefgenError(f"{name}: cannot be read ({exc.strerror or exc})")
    return write_failed(name, exc)


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused for a build (and so in the workers it forks), then resumed as it
    was. A build makes millions of objects that live to its end (facts, clusters, pages), and the collector goes
    over them, and over everything else the process holds, again and again: under `serve`, whose process keeps
    the model, a quarter of a rebuild's time (300 articles: 3.2-3.6 s with it, 2.4-2.6 s without). It finds
    almost nothing: a build leaves a few hundred objects in reference cycles, freed once it is resumed."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(source_dir: Path, output: Path, *, strict: bool, use_cache: bool, jobs: int | None,
           progress, resident: bool) -> BuildResult:
    timings: dict[str, float] = {}
    warnings: list[str] = []

    def warn(messages: list[str]) -> None:
        for message in messages:
            log.warning(message)
        warnings.extend(messages)

    with _timed(timings, "load"):
        check_output(output, source_dir)
        config, config_warnings = load_config(source_dir)
        model = config.model or default_model()
        cache = cache_folder(source_dir, use_cache)
        fingerprint = input_fingerprint(source_dir, output, model) if cache else None
        record = _read_record(cache, output) if cache else None
        if record and record.get("fingerprint") == fingerprint and record.get("site") == _site_digest(output):
            warn(record.get("warnings", []))
            if strict and warnings:
                raise BriefgenError(f"Aborted with {len(warnings)} warning(s) in strict mode!")
            return BuildResult(None, config, warnings, 0, timings, record.get("counts", {}), up_to_date=True)
        warn(config_warnings)
    workers = jobs or config.jobs or os.cpu_count() or 1
    # Built before and changed since: most likely an article or two was edited, and spaCy's import and the model
    # are the longest part of parsing them. A helper starts on them now, while the articles are read and cleaned.
    with model_helper(model, workers, record is not None and not resident) as ahead, \
            Staging(output, record.get("files") if record else None) as staging:
        with _timed(timings, "load"):
            loaded = load_articles(source_dir, config, exclude=[output])
            warn(loaded.warnings)
        with _timed(timings, "clean"):
            sources = clean_articles(loaded.articles,
                                     _cleaned(loaded.articles, cache, workers, model, timings, ahead))
        with _timed(timings, "parse"):
            from briefgen.extract import extract_source

            bar = progress(len(sources)) if progress else None
            try:
                facts, parsed, extract_seconds = analyse(sources, model, cache, extract_source, workers,
                                                         bar.update if bar else None, aside=not resident,
                                                         meanwhile=lambda: _prepare_later_stages(staging),
                                                         ahead=ahead)
            finally:
                if bar:
                    bar.close()
        timings["extract (cpu, in parse)"] = extract_seconds
        with _timed(timings, "consolidate"):
            from briefgen.consolidate import consolidate

            title = config.title or source_dir.resolve().name
            briefing = consolidate(title, config.description, model_id(model), sources, facts, workers)
        with _timed(timings, "render"):
            from briefgen.check import check_links
            from briefgen.render import render_site
            from briefgen.search import INDEX_DIR

            refs: dict = {}
            files = render_site(briefing, config.language, source_dir / "templates", config.base_url, workers,
                                refs, cache, on_page=staging.put)
            warn(check_links(files, generated={INDEX_DIR}, refs=refs))
        if strict and warnings:
            raise BriefgenError(f"Aborted with {len(warnings)} warning(s) in strict mode!")
        with _timed(timings, "write"):
            from briefgen.search import index_site, plan_shards

            plan = plan_shards(files)
            digests = {page: found.searchable for page, found in refs.items()}
            written = staging.publish(files, lambda folder: index_site(folder, plan, cache, workers, digests))
        counts = {"sources": len(sources), "quotes": len(briefing.quotes), "people": len(briefing.people)}
        if cache:
            _write_record(cache, output, {"fingerprint": fingerprint, "site": _site_digest(output),
                                          "warnings": warnings, "counts": counts, "files": written})
        return BuildResult(briefing, config, warnings, parsed, timings, counts)


def _prepare_later_stages(staging: Staging) -> None:
    """Done while a helper parses an edited article (see `analyse`): what consolidation, rendering and writing
    import (numpy, scipy, Jinja, lxml), the names lexicon people are merged with (over half a second in all), and
    the new site's folder, with the files of the last build linked into it (`Staging.prepare`)."""
    import briefgen.check  # noqa: F401
    import briefgen.consolidate  # noqa: F401
    import briefgen.render  # noqa: F401
    import briefgen.search  # noqa: F401
    from briefgen.extract.people import lexicon

    lexicon()
    staging.prepare()


CLEAN_CHUNK = 4
MIN_TO_CLEAN_PER_PROCESS = 8


def _clean_inherited() -> list[tuple[int, object]]:
    from briefgen.workers import inherited

    return _clean_chunks(inherited())


def _clean_chunks(state: tuple) -> list[tuple[int, object]]:
    """Clean chunks of the articles (state: the articles, a `shared_count` of the chunks taken) until none is
    left."""
    from briefgen.clean import clean
    from briefgen.workers import chunks_taken

    items, taken = state
    return [(i, clean(*items[i])) for chunk in chunks_taken(taken, len(items), CLEAN_CHUNK) for i in chunk]


def _cleaned(articles, cache: Path | None, workers: int, model: str, timings: dict[str, float], ahead=None):
    """Cleaning results, from the cache for articles seen before (keyed by their text and briefgen's code).
    Many new articles are cleaned by forked helpers, one core fewer than `workers`, while this process imports
    spaCy and loads the model (an article that needs cleaning needs parsing too; a helper loading it `ahead` for
    an edit or two is stopped); then it helps with the rest."""
    from briefgen.parse import PickleCache, code_fingerprint, load_model
    from briefgen.workers import can_fork, fork_pool, shared_count

    store = PickleCache(cache / "clean" if cache else None, ".clean")
    keys = [hashlib.sha256(f"{code_fingerprint()}\n{a.title}\n{a.body}".encode()).hexdigest() for a in articles]
    results = [store.get(key) for key in keys]  # damaged: None, cleaned again
    todo = [i for i, r in enumerate(results) if r is None]
    items = [(articles[i].title, articles[i].body) for i in todo]
    if can_fork(workers, len(todo), MIN_TO_CLEAN_PER_PROCESS):
        if ahead:
            ahead.stop()
        state = (items, shared_count())
        with fork_pool(workers - 1, state) as pool:
            pending = [pool.apply_async(_clean_inherited) for _ in range(workers - 1)]
            started = time.perf_counter()
            load_model(model)  # meanwhile: the parse stage finds it loaded
            timings["model load (while cleaning)"] = time.perf_counter() - started
            done = _clean_chunks(state) + [item for p in pending for item in p.get()]
        fresh = [result for _, result in sorted(done, key=lambda item: item[0])]
    else:
        from briefgen.clean import clean

        fresh = [clean(*item) for item in items]
    for i, result in zip(todo, fresh):
        results[i] = result
        store.put(keys[i], result)
    return results


def _read_record(cache: Path, output: Path) -> dict | None:
    try:
        return json.loads(_record_path(cache, output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_record(cache: Path, output: Path, record: dict) -> None:
    import tempfile

    path = _record_path(cache, output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, sort_keys=True)
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("could not record the build in %s: %s", path, exc)
