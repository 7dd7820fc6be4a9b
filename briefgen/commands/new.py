"""`briefgen new DIR`: scaffold a briefing folder that builds out of the box and publishes from GitHub Actions."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from briefgen.errors import BriefgenError

# Package data cannot ship dot-files reliably: they are stored without the dot and written with it.
RENAMES = {"github": ".github", "gitignore": ".gitignore"}


def scaffold_files() -> dict[str, bytes]:
    root = resources.files("briefgen").joinpath("data/scaffold")
    files: dict[str, bytes] = {}

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            name = RENAMES.get(child.name, child.name) if not prefix else child.name
            if child.is_dir():
                walk(child, f"{prefix}{name}/")
            elif child.name != "__pycache__":
                files[f"{prefix}{name}"] = child.read_bytes()

    walk(root, "")
    return files


def new(folder: Path) -> list[str]:
    """Write the scaffold into `folder` (new or empty); returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BriefgenError(f"{folder}: already exists and is not empty; choose a new folder")
    written = []
    for rel, data in scaffold_files().items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(rel)
    return written
