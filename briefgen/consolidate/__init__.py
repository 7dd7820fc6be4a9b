"""Consolidate: merge per-source facts across sources into one Briefing."""

from __future__ import annotations

from briefgen.consolidate.people import merge_people, unify_anonymous
from briefgen.consolidate.quotes import cluster_quotes
from briefgen.extract import SourceFacts
from briefgen.structure import Briefing, Source


def consolidate(title: str, description: str | None, model: str, sources: list[Source],
                facts: list[SourceFacts]) -> Briefing:
    quotes = [q for f in facts for q in f.quotes]
    people, speaker_ids = merge_people(facts)
    for quote in quotes:
        quote.speaker = speaker_ids.get(quote.id)
    cluster_quotes(quotes)
    people = unify_anonymous(quotes, people)
    return Briefing(title=title, description=description, model=model, sources=sources, quotes=quotes, people=people)
