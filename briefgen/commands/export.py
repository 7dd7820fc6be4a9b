"""`briefgen export`: the briefing as spreadsheet tables (CSV), a Markdown brief or briefing.json, without a site."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from briefgen.commands.build import analyse
from briefgen.errors import BriefgenError
from briefgen.export import export_files


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
    written = []
    try:
        output.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            target = output / name
            if target.is_symlink() or (target.exists() and not target.is_file()):
                raise BriefgenError(f"{target}: not a plain file; refusing to write over it")
            handle, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=output)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            written.append(target)
    except OSError as exc:
        reason = "the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else exc.strerror or str(exc)
        raise BriefgenError(f"{exc.filename or output}: could not write ({reason})") from None
    return written
