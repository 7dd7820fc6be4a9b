"""The pipeline, top to bottom: load → clean → parse → extract → consolidate → render (→ write, by the caller).

Each stage is a module of its own, a function from the previous stage's data (`briefgen.structure`) to its own;
only load reads files. Per-article work (clean, parse, extract) and per-page work (render) go through a runner's
`map`: `Plain` does it here, in order; a build hands in `briefgen.runtime.Runner`, which shares it out over
worker processes and caches it. Either way the site is the same, byte for byte."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from briefgen.check import PageRefs, check_links
from briefgen.clean import clean_article, source_ids
from briefgen.config import BriefingConfig
from briefgen.consolidate import consolidate
from briefgen.extract import SourceFacts, extract_source
from briefgen.load import load_articles
from briefgen.parse import model_id, parse
from briefgen.render import Page, Renderer, overrides, plan_pages, render_pages, site_files
from briefgen.search import INDEX_DIR
from briefgen.structure import Article, Briefing, Source


class Plain:
    """The runner of the plain pipeline: every task here, in order, nothing kept."""

    def map(self, task: Callable[[object, list], list], items: Sequence, *, shared: object = None, **_) -> list:
        return task(shared, list(items))


@dataclass
class Result:
    briefing: Briefing
    files: dict[str, bytes]  # site path -> bytes, the search index aside (written with the site)
    refs: dict[str, PageRefs]  # what the link check and the search index read of each page
    warnings: list[str]
    timings: dict[str, float] = field(default_factory=dict)


# What each kind of work depends on of briefgen's code (paths in the package, templates/ and static/): the
# cache keeps it while only other code changes (new consolidation code does not parse every article again).
ANALYSIS_CODE = (
    "__init__.py",
    "structure.py",
    "config.py",
    "clean.py",
    "parse.py",
    "rules.py",
    "extract",
    "data",
    "pipeline.py",
)
PAGE_CODE = (
    "__init__.py",
    "structure.py",
    "render.py",
    "check.py",
    "search.py",
    "export.py",
    "templates",
    "pipeline.py",
)
ARTICLES_AT_A_TIME = 4  # articles a worker cleans, parses and analyses in one go
MIN_ARTICLES_PER_PROCESS = 4  # below this, starting worker processes costs more than it saves
PAGES_AT_A_TIME = 16
MIN_PAGES_PER_PROCESS = 40


def analyse(model: str, items: list[tuple[Article, str]]) -> list[tuple[Source, SourceFacts]]:
    """Clean, parse and extract a few articles (each with its source id)."""
    sources = [clean_article(article, ident) for article, ident in items]
    docs = parse(model, [s.text for s in sources])
    return [(source, extract_source(doc, source)) for source, doc in zip(sources, docs)]


def analyse_briefing(
    source_dir: Path,
    config: BriefingConfig,
    model: str,
    *,
    exclude: Sequence[Path] = (),
    runner=None,
    timings: dict[str, float] | None = None,
) -> tuple[Briefing, list[str]]:
    """Load, clean, parse, extract and consolidate the briefing in `source_dir`: the briefing and the warnings."""
    runner = runner or Plain()
    timings = {} if timings is None else timings
    with timed(timings, "load"):
        loaded = load_articles(source_dir, config, exclude=list(exclude))
        articles = loaded.articles
    with timed(timings, "clean, parse, extract"):
        ident = model_id(model)
        analysed = runner.map(
            analyse,
            list(zip(articles, source_ids(articles))),
            shared=model,
            key=lambda item: (ident, item),
            code=ANALYSIS_CODE,
            chunk=ARTICLES_AT_A_TIME,
            minimum=MIN_ARTICLES_PER_PROCESS,
            describe=lambda item: item[0].path,
            name="Parsing",
        )
        sources = [source for source, _ in analysed]
        facts = [found for _, found in analysed]
    with timed(timings, "consolidate"):
        briefing = consolidate(config.title or source_dir.resolve().name, config.description, ident, sources, facts)
    return briefing, list(loaded.warnings)


def run(
    source_dir: Path,
    config: BriefingConfig,
    model: str,
    *,
    exclude: Sequence[Path] = (),
    runner=None,
    timings: dict[str, float] | None = None,
) -> Result:
    """Build the briefing in `source_dir` into files in memory."""
    runner = runner or Plain()
    timings = {} if timings is None else timings
    briefing, warnings = analyse_briefing(source_dir, config, model, exclude=exclude, runner=runner, timings=timings)
    with timed(timings, "render"):
        user_templates = source_dir / "templates"
        renderer = Renderer.make(briefing, user_templates, "" if config.use_directory_urls else "index.html")
        pages = plan_pages(renderer.view, config.language, config.base_url)
        cached = not overrides(user_templates)  # a briefing's own templates may read anything: never kept
        rendered = runner.map(
            render_pages,
            pages,
            shared=renderer,
            key=(lambda page: page_key(page, cached)),
            code=PAGE_CODE,
            chunk=PAGES_AT_A_TIME,
            minimum=MIN_PAGES_PER_PROCESS,
            describe=lambda page: page.path,
        )
        files, refs = site_files(renderer, pages, rendered, config.base_url)
        warnings += check_links(files, generated={INDEX_DIR}, refs=refs)
    return Result(briefing, files, refs, warnings, timings)


def page_key(page: Page, cached: bool) -> Page | None:
    """A page's view model is all its template reads, so it is the page's key; overview pages read the whole
    briefing and are rendered every time."""
    return page if cached and page.view is not None else None


@contextmanager
def timed(timings: dict[str, float], stage: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start
