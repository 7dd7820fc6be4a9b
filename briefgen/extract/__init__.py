"""Extract: per-source facts from one parsed Doc (quotes, people, summary, scope, claims, timeline). No I/O."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from briefgen.extract.people import Mention, person_mentions
from briefgen.extract.quotes import scan_quotes
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


def find_quotes(doc: Doc, source_id: str) -> tuple[list[Quote], list[Speaker | None], list[Mention]]:
    spans = scan_quotes(doc.text)
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
    from briefgen.extract.people import fold_name

    quotes, speakers, mentions = find_quotes(doc, source.id)
    labels = Counter((fold_name(e.text), e.label_) for e in doc.ents)
    return SourceFacts(source=source.id, quotes=quotes, speakers=speakers, mentions=mentions, entity_labels=labels)
