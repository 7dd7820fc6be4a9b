"""`briefgen build`: the pipeline (`briefgen.pipeline`) run by the runtime (`briefgen.runtime`), then written.

Unchanged articles and pages come from the cache; a build whose inputs and briefgen itself are unchanged, with
the output intact, does nothing at all."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from briefgen import pipeline
from briefgen.config import CONFIG_FILE, BriefingConfig, default_model, load_config
from briefgen.config import site_url as check_site_url
from briefgen.errors import BriefgenError
from briefgen.load import find_article_files
from briefgen.parse import model_id
from briefgen.runtime import Record, Runner, cache_folder, collector_paused, inputs_digest
from briefgen.search import index_site, plan_shards
from briefgen.structure import Briefing
from briefgen.write import Staging, check_output, exclusive, write_failed

log = logging.getLogger("briefgen")


@dataclass
class BuildResult:
    briefing: Briefing | None  # None when the site was already up to date
    config: BriefingConfig
    warnings: list[str]
    parsed: int  # articles parsed now (not from the cache)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    up_to_date: bool = False


def demo_source_dir() -> Path:
    """The embedded demo briefing: inside the installed package (wheel), else beside it (source checkout)."""
    package = Path(str(resources.files("briefgen")))
    for candidate in (package / "seeds", package.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise BriefgenError("the demo briefing (seeds/) is missing from the installation")


def find_source_dir(
    source_dir: Path | None, output: Path | None, demo: bool = False, config_file: Path | None = None
) -> tuple[Path, Path]:
    """The briefing folder and the output folder a command works on. Given a folder, that one; with `demo`, the
    embedded demo; else the current folder or the nearest folder above it holding `briefing.yml`, as MkDocs
    finds `mkdocs.yml`. Without `-o`, `site/` beside that `briefing.yml` (for a given folder or the demo:
    `site/` here)."""
    if config_file is not None:  # -f: the briefing is the folder that holds the config file
        if demo:
            raise BriefgenError(f"{config_file}: --demo builds the embedded demo briefing; give no config file with it")
        folder = config_file.parent
        if source_dir is not None and source_dir.resolve() != folder.resolve():
            raise BriefgenError(f"{config_file}: a briefing's config file lives in its folder, {source_dir}")
        return source_dir or folder, output or (source_dir or folder) / "site"
    if demo:
        if source_dir is not None:
            raise BriefgenError(f"{source_dir}: --demo builds the embedded demo briefing; give no folder with it")
        return demo_source_dir(), output or Path("site")
    if source_dir is not None:
        return source_dir, output or Path("site")
    here = Path.cwd()
    found = next((folder for folder in (here, *here.parents) if (folder / CONFIG_FILE).is_file()), here)
    relative = Path(os.path.relpath(found, here))
    return relative, output or relative / "site"


def progress_bar(quiet: bool):
    """A tqdm bar for the work a build shares out (parsing), only on a terminal and never with -q."""
    if quiet or not sys.stderr.isatty():
        return None

    def make(name: str, total: int):
        if name != "Parsing":
            return None
        from tqdm import tqdm

        bar = tqdm(total=total, desc=name, unit="article", leave=False, file=sys.stderr)

        def update(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return update

    return make


def input_files(source_dir: Path, output: Path, config_file: Path | None = None) -> list[Path]:
    """Every file a build reads: the articles, briefing.yml (or the config file given) and the templates."""
    files, _ = find_article_files(source_dir, exclude=[output])
    templates = source_dir / "templates"
    extra = [config_file or source_dir / CONFIG_FILE] + (
        sorted(p for p in templates.rglob("*") if p.is_file()) if templates.is_dir() else []
    )
    return files + extra


def check_source_dir(source_dir: Path) -> None:
    if not source_dir.is_dir():
        raise BriefgenError(
            f"{source_dir}: briefing folder not found"
            if not source_dir.exists()
            else f"{source_dir}: not a folder; give the folder that holds the articles"
        )


def analyse(
    source_dir: Path, *, use_cache: bool = True, jobs: int | None = None, config_file: Path | None = None
) -> tuple[Briefing, list[str]]:
    """The briefing of `source_dir` and the warnings, worked out as a build does (from its cache, over worker
    processes), with nothing written but the cache."""
    check_source_dir(source_dir)
    config, warnings = load_config(source_dir, config_file)
    model = config.model or default_model()
    runner = Runner(jobs or config.jobs, cache_folder(source_dir) if use_cache else None)
    with collector_paused():
        briefing, found = pipeline.analyse_briefing(source_dir, config, model, runner=runner)
    for message in warnings + found:
        log.warning(message)
    return briefing, warnings + found


def build(
    source_dir: Path,
    output: Path,
    *,
    strict: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
    progress=None,
    site_url: str | None = None,
    config_file: Path | None = None,
) -> BuildResult:
    """Build the briefing in `source_dir` into `output`; raises BriefgenError, leaving the last good site as it was.
    `site_url` stands for `base_url` in briefing.yml."""
    check_source_dir(source_dir)
    site_url = check_site_url(site_url) if site_url is not None else None
    with exclusive(output), collector_paused():
        try:
            return _build(
                source_dir,
                output,
                strict=strict,
                use_cache=use_cache,
                jobs=jobs,
                progress=progress,
                site_url=site_url,
                config_file=config_file,
            )
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


def _build(
    source_dir: Path,
    output: Path,
    *,
    strict: bool,
    use_cache: bool,
    jobs: int | None,
    progress,
    site_url: str | None,
    config_file: Path | None,
) -> BuildResult:
    timings: dict[str, float] = {}
    warnings: list[str] = []

    def warn(messages: list[str]) -> None:
        for message in messages:
            log.warning(message)
        warnings.extend(messages)

    with pipeline.timed(timings, "load"):
        check_output(output, source_dir)
        config, config_warnings = load_config(source_dir, config_file)
        if site_url is not None:
            config = replace(config, base_url=site_url)
        model = config.model or default_model()
        cache = cache_folder(source_dir) if use_cache else None
        record = Record(cache, output) if cache else None
        given = f"{model_id(model)} {config.base_url or ''}"  # what the build is told besides its files
        inputs = inputs_digest(input_files(source_dir, output, config_file), output, given) if record else ""
        if record and record.up_to_date(inputs):
            warn(record.data.get("warnings", []))
            if strict and warnings:
                raise BriefgenError(f"Aborted with {len(warnings)} warning(s) in strict mode!")
            return BuildResult(None, config, warnings, 0, timings, record.data.get("counts", {}), up_to_date=True)
        warn(config_warnings)
    runner = Runner(jobs or config.jobs, cache, progress)
    result = pipeline.run(source_dir, config, model, exclude=[output], runner=runner, timings=timings)
    warn(result.warnings)
    if strict and warnings:
        raise BriefgenError(f"Aborted with {len(warnings)} warning(s) in strict mode!")
    with pipeline.timed(timings, "write"), Staging(output) as staging:
        digests = {page: found.searchable for page, found in result.refs.items()}
        staging.publish(result.files, lambda folder: index_site(folder, plan_shards(result.files), runner, digests))
    briefing = result.briefing
    counts = {"sources": len(briefing.sources), "quotes": len(briefing.quotes), "people": len(briefing.people)}
    if record:
        runner.finish()
        record.write(inputs, warnings, counts)
    return BuildResult(briefing, config, warnings, runner.worked.get("Parsing", 0), timings, counts)
