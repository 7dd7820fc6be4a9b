"""Consolidate: merge per-source facts across sources into one Briefing."""

from __future__ import annotations

from briefgen.extract import SourceFacts
from briefgen.structure import Briefing, Source


def consolidate(title: str, description: str | None, model: str, sources: list[Source],
                facts: list[SourceFacts]) -> Briefing:
    return Briefing(title=title, description=description, model=model, sources=sources)
