"""`briefgen check`: read the briefing's config and articles as a build would, print every warning, write nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.commands.build import check_source_dir
from briefgen.config import load_config
from briefgen.load import load_articles


@dataclass
class Checked:
    articles: int
    warnings: list[str]


def check(source_dir: Path, config_file: Path | None = None) -> Checked:
    """Validate `briefing.yml` (or the config file given) and read every article (raises BriefgenError on what a
    build would stop at)."""
    check_source_dir(source_dir)
    config, warnings = load_config(source_dir, config_file)
    loaded = load_articles(source_dir, config)
    return Checked(len(loaded.articles), warnings + list(loaded.warnings))
