"""Timeline: dated events from every source, merged when sources date the same event the same way, in order."""

from __future__ import annotations

from briefgen.consolidate.claims import Vectors
from briefgen.extract import SourceFacts
from briefgen.extract.facts import Dated
from briefgen.structure import Source, Span, TimelineEntry

SAME_EVENT = 0.3


def date_key(d: Dated, published: str | None) -> str:
    iso = d.date.iso(published)
    if iso:
        return iso
    if d.date.month is not None:
        return f"{d.date.year or ''}-{d.date.month:02d}-{d.date.day or 0:02d}"
    return f"weekday-{d.date.weekday}"


def build_timeline(sources: list[Source], facts: list[SourceFacts], vectors: Vectors) -> list[TimelineEntry]:
    published = {s.id: s.published for s in sources}
    order = {s.id: i for i, s in enumerate(sources)}
    texts = {s.id: s.text for s in sources}
    items = [(f.source, d) for f in facts for d in f.dated]
    if not items:
        return []
    matrix = vectors([d.terms for _, d in items])
    entries: list[tuple[tuple, list[int]]] = []
    by_key: dict[str, list[list[int]]] = {}
    for i, (source, d) in enumerate(items):
        if d.date.weekday is not None and d.date.iso(published[source]) is None:
            continue  # "on Thursday" with no publication date: cannot be placed
        key = date_key(d, published[source])
        groups = by_key.setdefault(key, [])
        for group in groups:
            if source not in {items[j][0] for j in group} and float((matrix[i] @ matrix[group].T).max()) >= SAME_EVENT:
                group.append(i)
                break
        else:
            groups.append([i])
    out = []
    for key, groups in by_key.items():
        for group in groups:
            group.sort(key=lambda j: (order[items[j][0]], items[j][1].start))
            source, d = items[group[0]]
            out.append((d.date.sort_key(published[source]), order[source], d.start, TimelineEntry(
                text=texts[source][d.start:d.end],
                evidence=[Span(items[j][0], items[j][1].start, items[j][1].end) for j in group],
                date=d.date.text,
                iso=d.date.iso(published[source]),
            )))
    out.sort(key=lambda x: x[:3])
    return [entry for *_, entry in out]
