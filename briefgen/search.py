"""Search: index the written site with Pagefind (the `pagefind-bin` package's binary; nothing is downloaded)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from briefgen.errors import BriefgenError

INDEX_DIR = "pagefind/"


def index_site(folder: Path) -> None:
    try:
        from pagefind_bin import get_executable

        binary = str(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise BriefgenError(f"search index: the pagefind binary is missing ({exc}); reinstall briefgen") from None
    result = subprocess.run(
        [binary, "--site", str(folder), "--output-subdir", "pagefind", "--silent"],
        capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["unknown error"]
        raise BriefgenError(f"search index: pagefind failed: {detail[0]}")
