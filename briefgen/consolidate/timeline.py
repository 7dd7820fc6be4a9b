"""Timeline: dated events from every source, merged when sources date the same event the same way, in order."""

from __future__ import annotations

from briefgen.consolidate.claims import Vectors
from briefgen.extract import SourceFacts
from briefgen.extract.dates import DateMention
from briefgen.extract.facts import Dated
from briefgen.extract.sentences import lead
from briefgen.structure import Source, Span, TimelineEntry

SAME_EVENT = 0.3
SAME_TEXT = 0.9  # one source saying the same thing of the same date twice


def date_key(d: Dated, published: str | None) -> str:
    iso = d.date.iso(published)
    if iso:
        return iso
    if d.date.month is not None:
        return f"{d.date.year or ''}-{d.date.month:02d}-{d.date.day or 0:02d}"
    return f"weekday-{d.date.weekday}"


BLOCK = 256  # rows of similarities worked out at a time: memory stays linear in the items of one date


def _within(a: list[str], b: list[str]) -> bool:
    """One clause's words all in the other's (three at least): the same statement, cut differently."""
    small, large = sorted((set(a), set(b)), key=len)
    return len(small) >= 3 and small <= large


def _same_events(members: list[int], items: list, matrix) -> list[list[int]]:
    """The items of one date in groups: each joins the first group, in order, that has no item from its source
    and one at least SAME_EVENT similar to it; else it starts a group. An item that says again what its own
    source already said of that date (a repeated paragraph, a pull quote) is dropped: one event, one entry."""
    rows = matrix[members]
    groups: list[list[int]] = []  # positions in members
    sources: list[set[str]] = []
    for start in range(0, len(members), BLOCK):
        sims = (rows[start : start + BLOCK] @ rows.T).toarray()
        for offset, row in enumerate(sims):
            k = start + offset
            source = items[members[k]][0]
            if any(
                float(row[k2]) >= SAME_TEXT or _within(items[members[k]][1].terms, items[members[k2]][1].terms)
                for k2 in range(k)
                if items[members[k2]][0] == source
            ):
                continue
            for group, seen in zip(groups, sources):
                if source not in seen and float(row[group].max()) >= SAME_EVENT:
                    group.append(k)
                    seen.add(source)
                    break
            else:
                groups.append([k])
                sources.append({source})
    return [[members[k] for k in group] for group in groups]


def briefing_date(sources: list[Source], facts: list[SourceFacts]) -> str | None:
    """The briefing's date, for sources that give none: the middle of the sources' publication dates, else the
    latest full date (day, month and year) their texts name (a publication stamp among them)."""
    dates = sorted(s.published for s in sources if s.published)
    if dates:
        return dates[(len(dates) - 1) // 2]
    return max((iso for f in facts for iso in f.full_dates), default=None)


def lead_events(sources: list[Source], facts: list[SourceFacts]) -> list[tuple[str, Dated]]:
    """The news itself, dated: each source's lead (its first informative sentence in the writer's words), on the
    source's own publication date, when the lead names no date of its own ("The harbour board is now charging …")."""
    published = {s.id: s.published for s in sources if s.published}
    out = []
    for f in facts:
        day = published.get(f.source)
        first = lead(f.sentences)
        if day is None or not first or any(first[0].start <= d.start < first[0].end for d in f.dated):
            continue
        news = first[0]
        year, month, date = (int(part) for part in day.split("-"))
        mention = DateMention(start=news.start, end=news.start, text=day, year=year, month=month, day=date)
        out.append((f.source, Dated(date=mention, start=news.start, end=news.end, terms=news.terms)))
    return out


def build_timeline(sources: list[Source], facts: list[SourceFacts], vectors: Vectors) -> list[TimelineEntry]:
    borrowed = briefing_date(sources, facts)
    published = {s.id: s.published or borrowed for s in sources}
    own = {s.id: bool(s.published) for s in sources}
    order = {s.id: i for i, s in enumerate(sources)}
    texts = {s.id: s.text for s in sources}
    items = [(f.source, d) for f in facts for d in f.dated] + lead_events(sources, facts)
    if not items:
        return []
    matrix = vectors([d.terms for _, d in items])
    keyed: dict[str, list[int]] = {}  # date -> the items that give it, in order
    for i, (source, d) in enumerate(items):
        if d.date.weekday is not None and d.date.iso(published[source]) is None:
            continue  # "on Thursday" with no publication date: cannot be placed
        keyed.setdefault(date_key(d, published[source]), []).append(i)
    by_key = {key: _same_events(members, items, matrix) for key, members in keyed.items()}
    out = []
    for key, groups in by_key.items():
        for group in groups:
            group.sort(key=lambda j: (order[items[j][0]], items[j][1].start))
            source, d = items[group[0]]
            iso = d.date.iso(published[source])
            out.append(
                (
                    d.date.sort_key(published[source]),
                    order[source],
                    d.start,
                    TimelineEntry(
                        text=texts[source][d.start : d.end],
                        evidence=[Span(items[j][0], items[j][1].start, items[j][1].end) for j in group],
                        date=d.date.text,
                        iso=iso,
                        inferred=not own[source] and iso != d.date.iso(None),
                    ),
                )
            )
    out.sort(key=lambda x: x[:3])
    return [entry for *_, entry in out]
