"""The command line: parses options and calls the command modules; user errors are one line, never a traceback."""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

import click

from briefgen import __version__
from briefgen.errors import BriefgenError

log = logging.getLogger("briefgen")


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if record.levelno >= logging.WARNING:
            return f"{record.levelname}: {record.getMessage()}"
        return record.getMessage()


def _setup_logging(verbose: int, quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger("briefgen")
    root.handlers[:] = [handler]
    root.propagate = False
    root.setLevel(
        logging.ERROR if quiet else logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    )


class Terminated(KeyboardInterrupt):
    """SIGTERM, unwound like Ctrl-C so temporary folders are cleaned up."""


def _terminate(signum, frame):
    raise Terminated


def run(action):
    """Run a command: BriefgenError (or an operating-system error nothing else caught) → one line and exit 1;
    Ctrl-C → exit 130 and SIGTERM → 143 (128 + the signal, as shells report them), the last good site kept."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return action()
    except BriefgenError as exc:
        for line in str(exc).splitlines():
            click.echo(f"Error: {line}", err=True)
        sys.exit(1)
    except OSError as exc:
        where = f"{os.fsdecode(exc.filename)}: " if exc.filename is not None else ""
        click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt as exc:
        click.echo("Interrupted; the previous site was left as it was.", err=True)
        sys.exit(128 + (signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT))


source_argument = click.argument("source_dir", required=False, type=click.Path(path_type=Path, file_okay=True))
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write the site into (default: site/ beside briefing.yml, or here).",
)
demo_option = click.option("--demo", is_flag=True, help="Use the embedded demo briefing.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Work everything out again, ignoring the cache (with --jobs 1: the plain pipeline).",
)
jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for cleaning, parsing and rendering (default: all cores).",
)
config_file_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The briefing's config file, instead of briefing.yml (its folder is the briefing).",
)
site_url_option = click.option(
    "--site-url", default=None, help="Public URL of the site (stands for base_url in briefing.yml)."
)
quiet_option = click.option("-q", "--quiet", is_flag=True, help="Only print errors.")
verbose_option = click.option("-v", "--verbose", count=True, help="Say more (-vv for debug output).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def cli() -> None:
    """Turn a folder of news articles about one event into a static briefing site."""


@cli.command()
@source_argument
@output_option
@strict_option
@no_cache_option
@jobs_option
@site_url_option
@config_file_option
@demo_option
@quiet_option
@verbose_option
def build(source_dir, output, strict, no_cache, jobs, site_url, config_file, demo, quiet, verbose) -> None:
    """Build SOURCE_DIR (default: this folder, or the nearest above it holding briefing.yml) into the output."""
    from briefgen.commands import build as command

    _setup_logging(verbose, quiet)
    source_dir, output = run(lambda: command.find_source_dir(source_dir, output, demo, config_file))
    result = run(
        lambda: command.build(
            source_dir,
            output,
            strict=strict,
            use_cache=not no_cache,
            jobs=jobs,
            progress=command.progress_bar(quiet),
            site_url=site_url,
            config_file=config_file,
        )
    )
    counts = result.counts
    if result.up_to_date:
        log.info("Nothing changed since the last build of %s", output)
    else:
        log.info("Parsed %d of %d articles (the rest from the cache)", result.parsed, counts.get("sources", 0))
    if verbose:
        log.info("Timings: %s", ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()))
    if not quiet:
        verb = "Up to date:" if result.up_to_date else "Built"
        click.echo(
            f"{verb} {counts.get('sources', 0)} sources, {counts.get('quotes', 0)} quotes, "
            f"{counts.get('people', 0)} people in {output}/"
            + (f" with {len(result.warnings)} warning(s)" if result.warnings else ""),
            err=True,
        )


@cli.command()
@source_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to build into (default: a temporary folder, removed on exit).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "-a", "--dev-addr", default=None, metavar="HOST:PORT", help="Address and port at once, as MkDocs takes them."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
@click.option("--no-livereload", is_flag=True, help="Serve the one build: no watching, no rebuilds, no reloads.")
@strict_option
@config_file_option
@demo_option
@quiet_option
@verbose_option
def serve(
    source_dir, output, host, port, dev_addr, open_browser, no_livereload, strict, config_file, demo, quiet, verbose
) -> None:
    """Preview SOURCE_DIR (default: as for build) with live reload: rebuilds on every save."""
    from briefgen.commands import build as building
    from briefgen.commands import serve as command

    _setup_logging(max(verbose, 1) if not quiet else 0, quiet)
    source_dir, _ = run(lambda: building.find_source_dir(source_dir, None, demo, config_file))
    if dev_addr is not None:
        host, port = run(lambda: command.dev_addr(dev_addr))
    run(
        lambda: command.serve(
            source_dir, output, host, port, open_browser, strict, config_file, livereload=not no_livereload
        )
    )


@cli.command("gh-deploy")
@source_argument
@output_option
@click.option("-r", "--remote", default="origin", show_default=True, help="Git remote to push to.")
@click.option("-b", "--branch", default="gh-pages", show_default=True, help="Branch to publish the site on.")
@click.option(
    "-m", "--message", default=None, help="Commit message (default: 'Deployed <sha> with briefgen <version>')."
)
@click.option("--cname", default=None, help="Custom domain to write to CNAME (or 'cname:' in briefing.yml).")
@click.option("--force", is_flag=True, help="Force the push (overwrites the branch's history).")
@strict_option
@click.option("--dry-run", is_flag=True, help="Build, and say what would be pushed where; push nothing.")
@site_url_option
@config_file_option
@demo_option
@quiet_option
@verbose_option
def gh_deploy(
    source_dir,
    output,
    remote,
    branch,
    message,
    cname,
    force,
    strict,
    dry_run,
    site_url,
    config_file,
    demo,
    quiet,
    verbose,
) -> None:
    """Build SOURCE_DIR (default: as for build) and publish it to a GitHub Pages branch."""
    from briefgen.commands import build as building
    from briefgen.commands import gh_deploy as command

    _setup_logging(max(verbose, 1) if not quiet else 0, quiet)
    source_dir, output = run(lambda: building.find_source_dir(source_dir, output, demo, config_file))
    run(
        lambda: command.gh_deploy(
            source_dir,
            output,
            remote,
            branch,
            message,
            cname,
            force,
            strict,
            site_url=site_url,
            dry_run=dry_run,
            config_file=config_file,
        )
    )


@cli.command()
@source_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("export"),
    show_default=True,
    help="Folder to write the files into.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "md", "json"]),
    default="csv",
    show_default=True,
    help="csv: quotes, claims, timeline and divergences tables; md: one Markdown brief; json: briefing.json.",
)
@no_cache_option
@jobs_option
@strict_option
@config_file_option
@demo_option
@quiet_option
@verbose_option
def export(source_dir, output, fmt, no_cache, jobs, strict, config_file, demo, quiet, verbose) -> None:
    """Export the briefing of SOURCE_DIR (default: as for build) as tables, a Markdown brief or JSON, no site."""
    from briefgen.commands import build as building
    from briefgen.commands import export as command

    _setup_logging(verbose, quiet)
    source_dir, _ = run(lambda: building.find_source_dir(source_dir, None, demo, config_file))
    written = run(
        lambda: command.export(
            source_dir, output, fmt, use_cache=not no_cache, jobs=jobs, config_file=config_file, strict=strict
        )
    )
    if not quiet:
        for path in written:
            click.echo(f"  {path}", err=True)
        click.echo(f"Exported {len(written)} file(s) to {output}/", err=True)


@cli.command()
@source_argument
@strict_option
@config_file_option
@demo_option
@quiet_option
def check(source_dir, strict, config_file, demo, quiet) -> None:
    """Check SOURCE_DIR's config and articles as a build would: print every warning, write nothing."""
    from briefgen.commands import build as building
    from briefgen.commands import check as command

    _setup_logging(0, quiet)
    source_dir, _ = run(lambda: building.find_source_dir(source_dir, None, demo, config_file))
    checked = run(lambda: command.check(source_dir, config_file))
    for message in checked.warnings:
        log.warning(message)
    if not quiet:
        click.echo(
            f"Checked {checked.articles} article(s) in {source_dir}: {len(checked.warnings)} warning(s)", err=True
        )
    if strict and checked.warnings:
        click.echo(f"Error: {len(checked.warnings)} warning(s) in strict mode", err=True)
        sys.exit(1)


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@click.option(
    "--to",
    "folder",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="The briefing folder to save the articles in.",
)
def add(urls, folder) -> None:
    """Fetch the articles at URLS into a briefing folder, each saved as its HTML page."""
    from briefgen.commands import add as command

    _setup_logging(0, False)
    added = run(lambda: command.add(folder, list(urls)))
    for item in added:
        if item.path is not None:
            click.echo(f"  {item.path}  <- {item.url}", err=True)
        else:
            click.echo(f"Error: {item.problem}", err=True)
    saved = sum(item.path is not None for item in added)
    click.echo(f"Added {saved} of {len(added)} article(s) to {folder}/", err=True)
    if saved < len(added):
        sys.exit(1)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
def new(folder) -> None:
    """Create a briefing folder with example articles and a GitHub Pages workflow."""
    from briefgen.commands import new as command

    _setup_logging(0, False)
    written = run(lambda: command.new(folder))
    for rel in written:
        click.echo(f"  {folder}/{rel}", err=True)
    click.echo(f"Created {folder}. Build it with: briefgen build {folder}", err=True)


# Read by the numeric libraries when they load (OpenBLAS with numpy and scipy; MKL or OpenMP builds); a value set
# in the environment is kept.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def one_blas_thread() -> None:
    """One thread per process for numpy's and scipy's linear algebra, set before they are imported. briefgen runs a
    process per core already (the worker pool), and a BLAS starting a thread per core in each had them wait on each
    other: matrix products ran 2-3 times slower beside a worker."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")


def main() -> None:
    one_blas_thread()
    try:
        cli(prog_name="briefgen")
    finally:
        before_exit()


def before_exit() -> None:
    """The process ends next. Its last garbage collection goes over every object still alive (a build's
    briefing, facts and pages: millions of them, a tenth of a second at 300 articles) and frees nothing that
    ending the process does not: they are frozen out of it (`gc.freeze`). Files and pools are closed by then, and
    what must run at exit runs from `atexit`, which does not depend on the collector."""
    import gc

    gc.freeze()
