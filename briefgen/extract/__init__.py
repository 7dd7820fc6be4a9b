"""Extract: per-source facts from one parsed Doc (quotes, people, summary, scope, claims, timeline). No I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from briefgen.structure import Source


@dataclass
class SourceFacts:
    """What one source says, before consolidation across sources."""

    source: str


def extract_source(doc: Doc, source: Source) -> SourceFacts:
    return SourceFacts(source=source.id)
