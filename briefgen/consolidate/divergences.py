"""Divergences: where sources disagree on the same point: figures, dates, and a thing one source says exists and
another says does not."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from briefgen.consolidate.claims import Vectors, similar_pairs
from briefgen.extract import SourceFacts
from briefgen.structure import Divergence, Source, Span, Statement

SAME_CONTEXT = 0.2  # sentences about the same thing (cosine of their lemmas)
SAME_EVENT = 0.45  # clauses describing the same event


def figure_divergences(sources, facts, vectors, index, matrix) -> list[Divergence]:
    by_id = {s.id: s for s in sources}
    sentences = {f.source: f.sentences for f in facts}
    groups: dict[str, list[tuple[str, object]]] = defaultdict(list)
    for f in facts:
        for fig in f.figures:
            groups[fig.unit].append((f.source, fig))
    out = []
    for unit, items in sorted(groups.items()):
        if len({round(fig.value, 6) for _, fig in items}) < 2:
            continue
        abouts = sorted({fig.about for _, fig in items} - {unit})
        about = abouts[0] if len(abouts) == 1 else unit
        rows = matrix[[index[(src, fig.sentence)] for src, fig in items]]
        sims = (rows @ rows.T).tocoo()
        # keep the figures whose sentences talk about the same thing as a figure of another value elsewhere
        source_of = np.unique([src for src, _ in items], return_inverse=True)[1]
        values = np.array([fig.value for _, fig in items])
        a, b = sims.row, sims.col
        close = (sims.data >= SAME_CONTEXT) & (source_of[a] != source_of[b]) & (values[a] != values[b])
        related = sorted(set(a[close].tolist()))
        if not related:
            continue
        by_value: dict[float, list[tuple[str, object]]] = defaultdict(list)
        for a in related:
            by_value[items[a][1].value].append(items[a])
        if len(by_value) < 2 or len({s for v in by_value.values() for s, _ in v}) < 2:
            continue
        positions = []
        for value in sorted(by_value):
            members = by_value[value]
            first_src, first = members[0]
            evidence = [
                Span(src, sentences[src][fig.sentence].start, sentences[src][fig.sentence].end) for src, fig in members
            ]
            positions.append(Statement(by_id[first_src].text[first.start : first.end], evidence))
        out.append(Divergence(about=about if about == unit else f"{about} ({unit})", positions=positions))
    return out


def qualifier_divergences(sources, facts) -> list[Divergence]:
    """ "No formal ban" in one source, "his 27-month-long ban" in another."""
    by_id = {s.id: s for s in sources}
    by_lemma: dict[str, dict[bool, list]] = defaultdict(lambda: {True: [], False: []})
    for f in facts:
        for q in f.qualified:
            by_lemma[q.lemma][q.negated].append((f.source, q))
    out = []
    sentences = {f.source: f.sentences for f in facts}
    for lemma, sides in sorted(by_lemma.items()):
        denied, asserted = sides[True], sides[False]
        if (
            not denied
            or not asserted
            or not (
                {s for s, _ in denied} - {s for s, _ in asserted} or {s for s, _ in asserted} - {s for s, _ in denied}
            )
        ):
            continue
        positions = []
        asserted = sorted(asserted, key=lambda item: -(item[1].end - item[1].start))  # the most qualified first
        for side in (asserted, denied):
            src, q = side[0]
            evidence = []
            for s, item in side:
                sentence = sentences[s][item.sentence]
                evidence.append(Span(s, sentence.start, sentence.end))
            positions.append(Statement(by_id[src].text[q.start : q.end], evidence))
        out.append(Divergence(about=lemma, positions=positions))
    return out


def date_divergences(sources, facts, vectors) -> list[Divergence]:
    """The same event dated differently by two sources."""
    by_id = {s.id: s for s in sources}
    items = [(f.source, d) for f in facts for d in f.dated if d.date.month is not None and d.date.day is not None]
    if len(items) < 2:
        return []
    matrix = vectors([d.terms for _, d in items])
    out = []
    for i, j, _ in similar_pairs(matrix, SAME_EVENT):
        (sa, da), (sb, db) = items[i], items[j]
        if sa == sb or (da.date.month, da.date.day) == (db.date.month, db.date.day):
            continue
        out.append(
            Divergence(
                about="date",
                positions=[
                    Statement(by_id[sa].text[da.date.start : da.date.end], [Span(sa, da.start, da.end)]),
                    Statement(by_id[sb].text[db.date.start : db.date.end], [Span(sb, db.start, db.end)]),
                ],
            )
        )
    return out


def find_divergences(sources: list[Source], facts: list[SourceFacts], vectors: Vectors) -> list[Divergence]:
    index, matrix = vectors.row, vectors.fitted
    return (
        figure_divergences(sources, facts, vectors, index, matrix)
        + date_divergences(sources, facts, vectors)
        + qualifier_divergences(sources, facts)
    )
