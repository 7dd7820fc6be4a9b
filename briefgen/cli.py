"""The command line: parses options and calls the command modules; user errors are one line, never a traceback."""

from __future__ import annotations

import logging
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
    root.setLevel(logging.ERROR if quiet else logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)


def _terminate(signum, frame):  # SIGTERM unwinds like Ctrl-C, so temporary folders are cleaned up
    raise KeyboardInterrupt


def run(action):
    """Run a command: BriefgenError → one line and exit 1; Ctrl-C/SIGTERM → exit 130, last good site kept."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return action()
    except BriefgenError as exc:
        for line in str(exc).splitlines():
            click.echo(f"Error: {line}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted; the previous site was left as it was.", err=True)
        sys.exit(130)


source_argument = click.argument("source_dir", required=False, type=click.Path(path_type=Path, file_okay=True))
output_option = click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("site"),
                             show_default=True, help="Folder to write the site into.")
quiet_option = click.option("-q", "--quiet", is_flag=True, help="Only print errors.")
verbose_option = click.option("-v", "--verbose", count=True, help="Say more (-vv for debug output).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def cli() -> None:
    """Turn a folder of news articles about one event into a static briefing site."""


@cli.command()
@source_argument
@output_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-cache", is_flag=True, help="Parse every article again, ignoring the parse cache.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes for parsing (default: all cores).")
@quiet_option
@verbose_option
def build(source_dir, output, strict, no_cache, jobs, quiet, verbose) -> None:
    """Build SOURCE_DIR (default: seeds) into the output folder."""
    from briefgen.commands import build as command

    _setup_logging(verbose, quiet)
    source_dir = source_dir or command.default_source_dir()
    result = run(lambda: command.build(source_dir, output, strict=strict, use_cache=not no_cache, jobs=jobs,
                                       progress=command.progress_bar(quiet)))
    b = result.briefing
    log.info("Parsed %d of %d articles (the rest from the cache)", result.parsed, len(b.sources))
    if not quiet:
        click.echo(f"Built {len(b.sources)} sources, {len(b.quotes)} quotes, {len(b.people)} people into {output}/"
                   + (f" with {len(result.warnings)} warning(s)" if result.warnings else ""), err=True)


def main() -> None:
    cli(prog_name="briefgen")
