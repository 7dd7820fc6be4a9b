"""`briefgen export`: the briefing as spreadsheet tables (CSV), a Markdown brief or briefing.json, without a site."""

from __future__ import annotations

from pathlib import Path

from briefgen.commands.build import analyse
from briefgen.errors import BriefgenError
from briefgen.export import export_files
from briefgen.write import write_whole


def export(
    source_dir: Path,
    output: Path,
    fmt: str,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
    config_file: Path | None = None,
    strict: bool = False,
) -> list[Path]:
    """Write the `fmt` files of the briefing in `source_dir` into the folder `output` (made if missing); each file
    is written whole or not at all. Returns the files written."""
    if output.exists() and not output.is_dir():
        raise BriefgenError(f"{output}: not a folder; give a folder to export into")
    briefing, warnings = analyse(source_dir, use_cache=use_cache, jobs=jobs, config_file=config_file)
    if strict and warnings:
        raise BriefgenError(f"Aborted with {len(warnings)} warning(s) in strict mode!")
    files = export_files(briefing, fmt)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefgenError(f"{output}: could not make the folder ({exc.strerror or exc})") from None
    for name, data in files.items():
        write_whole(output / name, data)
    return [output / name for name in files]
