"""briefgen from Python: `briefgen.analyse(folder)` returns the briefing, `briefgen.build(folder, output)` writes
the site. Both raise `briefgen.errors.BriefgenError` (one line naming the file and the problem) on bad input.

    import briefgen
    b = briefgen.analyse("my-briefing")
    for quote in b.quotes:
        print(quote.text, quote.speaker)
"""

from __future__ import annotations

from pathlib import Path

from briefgen.structure import Briefing


def analyse(folder: str | Path, *, use_cache: bool = True, jobs: int | None = None) -> Briefing:
    """The briefing of the articles in `folder` (`briefgen.structure.Briefing`: sources, quotes, people, scope,
    timeline, claims, divergences), without writing a site. Unchanged articles come from the build cache."""
    from briefgen.commands.build import analyse as run

    briefing, _ = run(Path(folder), use_cache=use_cache, jobs=jobs)
    return briefing


def build(
    folder: str | Path,
    output: str | Path | None = None,
    *,
    strict: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
):
    """Build the site of `folder` into `output` (default: `site/` inside it), as `briefgen build` does; returns
    the build's result (`briefing`, `warnings`, `counts`, `timings`)."""
    from briefgen.commands.build import build as run

    folder = Path(folder)
    return run(
        folder, Path(output) if output is not None else folder / "site", strict=strict, use_cache=use_cache, jobs=jobs
    )
