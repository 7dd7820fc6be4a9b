"""`briefgen build`: load → clean → parse → extract → consolidate → render → write, timed stage by stage."""

from __future__ import annotations

import logging
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from briefgen.clean import clean_articles
from briefgen.config import BriefingConfig, default_model, load_config
from briefgen.consolidate import consolidate
from briefgen.errors import BriefgenError
from briefgen.extract import extract_source
from briefgen.load import load_articles
from briefgen.parse import DocCache, load_model, model_id, parse_texts
from briefgen.check import check_links
from briefgen.render import render_site
from briefgen.search import INDEX_DIR, index_site
from briefgen.structure import Briefing
from briefgen.write import check_output, exclusive, publish

log = logging.getLogger("briefgen")
CACHE_DIR_NAME = ".briefgen-cache"
STAGES = ("load", "clean", "parse", "extract", "consolidate", "render", "write")


@dataclass
class BuildResult:
    briefing: Briefing
    config: BriefingConfig
    warnings: list[str]
    parsed: int  # articles parsed now (not from the cache)
    timings: dict[str, float] = field(default_factory=dict)


def default_source_dir() -> Path:
    """`seeds/` in the working folder, else the seed briefing shipped inside the package."""
    local = Path("seeds")
    if local.is_dir():
        return local
    packaged = Path(str(resources.files("briefgen").joinpath("seeds")))
    return packaged if packaged.is_dir() else local


def cache_folder(source_dir: Path, use_cache: bool) -> Path | None:
    if not use_cache:
        return None
    env = os.environ.get("BRIEFGEN_CACHE_DIR")
    return Path(env) if env else source_dir / CACHE_DIR_NAME


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


def build(
    source_dir: Path,
    output: Path,
    *,
    strict: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
    progress=None,
) -> BuildResult:
    """Build the briefing in `source_dir` into `output`; raises BriefgenError, leaving the last good site as it was."""
    with exclusive(output):
        return _build(source_dir, output, strict=strict, use_cache=use_cache, jobs=jobs, progress=progress)


def _build(source_dir: Path, output: Path, *, strict: bool, use_cache: bool, jobs: int | None,
           progress) -> BuildResult:
    timings: dict[str, float] = {}
    warnings: list[str] = []

    def warn(messages: list[str]) -> None:
        for message in messages:
            log.warning(message)
        warnings.extend(messages)

    with _timed(timings, "load"):
        if not source_dir.is_dir():
            raise BriefgenError(f"{source_dir}: briefing folder not found" if not source_dir.exists()
                                else f"{source_dir}: not a folder; give the folder that holds the articles")
        check_output(output, source_dir)
        config, config_warnings = load_config(source_dir)
        warn(config_warnings)
        loaded = load_articles(source_dir, config, exclude=[output])
        warn(loaded.warnings)
    with _timed(timings, "clean"):
        sources = clean_articles(loaded.articles)
    with _timed(timings, "parse"):
        nlp = load_model(config.model or default_model())
        workers = jobs or config.jobs or os.cpu_count() or 1
        bar = progress(len(sources)) if progress else None
        try:
            docs, parsed = parse_texts(
                [s.text for s in sources], nlp, DocCache(cache_folder(source_dir, use_cache)), workers,
                bar.update if bar else None,
            )
        finally:
            if bar:
                bar.close()
    with _timed(timings, "extract"):
        facts = [extract_source(doc, source) for doc, source in zip(docs, sources)]
    with _timed(timings, "consolidate"):
        title = config.title or source_dir.resolve().name
        briefing = consolidate(title, config.description, model_id(nlp), sources, facts)
    with _timed(timings, "render"):
        files = render_site(briefing, config.language, source_dir / "templates", config.base_url)
        warn(check_links(files, generated={INDEX_DIR}))
    if strict and warnings:
        raise BriefgenError(f"Aborted with {len(warnings)} warning(s) in strict mode!")
    with _timed(timings, "write"):
        publish(files, output, finish=index_site)
    return BuildResult(briefing, config, warnings, parsed, timings)
