"""Extract: per-source facts from one parsed Doc (quotes, people, summary, scope, claims, timeline). No I/O."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from briefgen.extract.dates import find_dates
from briefgen.extract.doctext import doc_ents, doc_text, forget, know_text
from briefgen.extract.facts import (
    Dated,
    Figure,
    Phase,
    Qualified,
    Shown,
    Verdict,
    find_dated,
    find_figures,
    find_phases,
    find_qualified,
    find_shown,
    find_verdicts,
)
from briefgen.extract.people import Mention, fold_name, person_mentions
from briefgen.extract.quotes import scan_quotes
from briefgen.extract.sentences import Sentence, find_sentences
from briefgen.extract.speakers import Speaker, attribute_speakers
from briefgen.structure import Quote, Source

if TYPE_CHECKING:  # spaCy is imported where documents are parsed, not wherever facts are read
    from spacy.tokens import Doc


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
    phases: list[Phase] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    shown: list[Shown] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    qualified: list[Qualified] = field(default_factory=list)
    shingles: list[int] = field(default_factory=list)  # the prose outside quotes, as hashed runs of words
    full_dates: list[str] = field(default_factory=list)  # every full date (day, month, year) the text names, ISO


TERM_MAX_WORDS = 6  # an unattributed fragment this short in quotation marks is a term, not a quote
TITLE_MAX_WORDS = 15  # ... and one in Title Case up to this long (a song's or a report's title)
WIRE_SHINGLE = 8  # words: a run this long shared by two reports is copy, not coincidence


def prose_shingles(text: str, quotes: list[Quote], size: int = WIRE_SHINGLE) -> list[int]:
    """Sorted, distinct 64-bit hashes of every run of `size` words outside quotes (lower case, punctuation
    dropped): shared quotes are the same statement, not the same copy. Stable across processes and runs."""
    pieces, at = [], 0
    for q in sorted(quotes, key=lambda q: q.start):
        if q.start >= at:
            pieces += [text[at : q.start], " " * (q.end - q.start)]
            at = q.end
    text = "".join(pieces) + text[at:]
    words = re.findall(r"[a-z0-9]+", text.lower())
    runs = {" ".join(words[k : k + size]) for k in range(len(words) - size + 1)}
    return sorted(int.from_bytes(hashlib.blake2b(run.encode(), digest_size=8).digest(), "little") for run in runs)


def is_term(text: str) -> bool:
    """A few words, or a line in Title Case ("And Then We Sail Away"): a name, title or slogan, not speech."""
    words = text.split()
    if len(words) <= TERM_MAX_WORDS:
        return True
    long = [w for w in words if len(w) >= 3]
    return len(words) <= TITLE_MAX_WORDS and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def find_quotes(doc: Doc, source_id: str, spans=None) -> tuple[list[Quote], list[Speaker | None], list[Mention]]:
    spans = scan_quotes(doc_text(doc)) if spans is None else spans
    mentions = person_mentions(doc)
    found, partials = attribute_speakers(doc, spans, mentions)
    quotes, speakers = [], []
    for n, (span, speaker, partial) in enumerate(zip(spans, found, partials), start=1):
        if partial and speaker is None and is_term(doc_text(doc)[span.start : span.end]):
            continue  # words in marks that nobody says: a term, a title, a slogan, a scare quote
        speakers.append(speaker)
        quotes.append(
            Quote(
                id=f"{source_id}-q{n}",
                source=source_id,
                start=span.start,
                end=span.end,
                text=doc_text(doc)[span.start : span.end],
                partial=partial,
                speaker_text=speaker.text if speaker else None,
                speaker_start=speaker.start if speaker else None,
                speaker_end=speaker.end if speaker else None,
            )
        )
    return quotes, speakers, mentions


def entity_labels(doc: Doc, mentions: list[Mention]) -> Counter:
    """(folded text, label) -> count of the Doc's entities; a name found to be a person's (`person_mentions`: a
    name the recogniser labelled an organisation but the sentence calls a president) counts as PERSON."""
    people = {(m.start, m.end) for m in mentions}
    return Counter(
        (fold_name(e.text), "PERSON" if (e.start_char, e.end_char) in people else e.label_) for e in doc_ents(doc)
    )


def extract_source(doc: Doc, source: Source) -> SourceFacts:
    """Everything one source says, from its parsed text alone."""
    try:
        know_text(doc, source.text)
        spans = scan_quotes(doc_text(doc))
        quotes, speakers, mentions = find_quotes(doc, source.id, spans)
        sentences = find_sentences(doc, source.id, spans)
        return SourceFacts(
            source=source.id,
            quotes=quotes,
            speakers=speakers,
            mentions=mentions,
            entity_labels=entity_labels(doc, mentions),
            sentences=sentences,
            dated=find_dated(doc, sentences),
            phases=find_phases(doc, sentences),
            verdicts=find_verdicts(doc, sentences),
            shown=find_shown(doc, sentences),
            figures=find_figures(doc, sentences),
            qualified=find_qualified(doc, sentences),
            shingles=prose_shingles(source.text, quotes),
            full_dates=sorted({iso for d in find_dates(source.text) if d.year and d.day and (iso := d.iso(None))}),
        )
    finally:
        forget(doc)
