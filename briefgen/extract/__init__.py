"""Extract: per-source facts from one parsed Doc (quotes, people, summary, scope, claims, timeline). No I/O."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from briefgen.extract.facts import Dated, Figure, Qualified, find_dated, find_figures, find_qualified
from briefgen.extract.people import Mention, fold_name, person_mentions
from briefgen.extract.quotes import scan_quotes
from briefgen.extract.sentences import Sentence, find_sentences
from briefgen.extract.speakers import Speaker, attribute_speakers
from briefgen.structure import Quote, Source


@dataclass
class SourceFacts:
    """What one source says, before consolidation across sources."""

    source: str
    quotes: list[Quote] = field(default_factory=list)
    speakers: list[Speaker | None] = field(default_factory=list)  # aligned with quotes
    mentions: list[Mention] = field(default_factory=list)
    entity_labels: Counter = field(default_factory=Counter)  # (folded text, label) -> count
    sentences: list[Sentence] = field(default_factory=list)
    dated: list[Dated] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    qualified: list[Qualified] = field(default_factory=list)


def find_quotes(doc: Doc, source_id: str, spans=None) -> tuple[list[Quote], list[Speaker | None], list[Mention]]:
    spans = scan_quotes(doc.text) if spans is None else spans
    mentions = person_mentions(doc)
    speakers, partials = attribute_speakers(doc, spans, mentions)
    quotes = []
    for n, (span, speaker, partial) in enumerate(zip(spans, speakers, partials), start=1):
        quotes.append(Quote(
            id=f"{source_id}-q{n}",
            source=source_id,
            start=span.start,
            end=span.end,
            text=doc.text[span.start:span.end],
            partial=partial,
            speaker_text=speaker.text if speaker else None,
            speaker_start=speaker.start if speaker else None,
            speaker_end=speaker.end if speaker else None,
        ))
    return quotes, speakers, mentions


def extract_source(doc: Doc, source: Source) -> SourceFacts:
    """Everything one source says, from its parsed text alone."""
    spans = scan_quotes(doc.text)
    quotes, speakers, mentions = find_quotes(doc, source.id, spans)
    sentences = find_sentences(doc, source.id, spans)
    return SourceFacts(
        source=source.id, quotes=quotes, speakers=speakers, mentions=mentions,
        entity_labels=Counter((fold_name(e.text), e.label_) for e in doc.ents),
        sentences=sentences, dated=find_dated(doc, sentences), figures=find_figures(doc, sentences),
        qualified=find_qualified(doc, sentences),
    )
