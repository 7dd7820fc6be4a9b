"""Consolidate: merge per-source facts across sources into one Briefing."""

from __future__ import annotations

from dataclasses import replace

from briefgen.consolidate.claims import (
    Vectors,
    claim_sentences,
    cluster_claims,
    detail_claims,
    quoted_claims,
    to_claims,
    wire_groups,
)
from briefgen.consolidate.divergences import find_divergences
from briefgen.consolidate.people import merge_people, unify_anonymous
from briefgen.consolidate.quotes import cluster_quotes
from briefgen.consolidate.scope import consolidate_scope
from briefgen.consolidate.summary import overview, salience, same_points, source_summary, support_of
from briefgen.consolidate.timeline import build_timeline
from briefgen.extract import SourceFacts
from briefgen.structure import Briefing, Source

CONSENSUS_MIN = 3
LEFT_OUT_LISTED = 8  # consensus claims kept per source as left out (the most widely reported); the rest counted


def consensus_threshold(n_sources: int) -> int:
    """Support that makes a claim consensus: three sources, or half of them when there are fewer than six."""
    return max(2, min(CONSENSUS_MIN, (n_sources + 1) // 2))


def consolidate(
    title: str, description: str | None, model: str, sources: list[Source], facts: list[SourceFacts]
) -> Briefing:
    """One Briefing from every source's facts. What earlier stages made is read, never changed: the briefing's
    sources and quotes are new objects (with their summaries, speakers and quote clusters)."""
    all_sentences = [s for f in facts for s in f.sentences]
    vectors = Vectors(all_sentences)
    quotes = [replace(q) for f in facts for q in f.quotes]
    people, speaker_ids = merge_people(facts, [s.text for s in sources])
    for quote in quotes:
        quote.speaker = speaker_ids.get(quote.id)
    cluster_quotes(quotes)
    people = unify_anonymous(quotes, people)
    clusters = cluster_claims(claim_sentences(facts), vectors)
    clusters += detail_claims(clusters, facts) + quoted_claims(facts, vectors)
    support = support_of(clusters)
    briefing = _claims_and_overview(
        title, description, model, sources, facts, all_sentences, vectors, clusters, support
    )
    sentences = {f.source: f.sentences for f in facts}
    briefing.sources = [
        replace(s, summary=source_summary(sentences.get(s.id, []), vectors, support, len(sources))) for s in sources
    ]
    briefing.timeline = build_timeline(sources, facts, vectors)
    briefing.divergences = find_divergences(sources, facts, vectors, quotes, people)
    briefing.quotes = quotes
    briefing.people = people
    return briefing


def _claims_and_overview(
    title, description, model, sources, facts, all_sentences, vectors, clusters, support
) -> Briefing:
    order = {s.id: i for i, s in enumerate(sources)}
    texts = {s.id: s.text for s in sources}
    claims = to_claims(clusters, order)

    wires = wire_groups(sources, facts)
    group_of = {s.id: s.id for s in sources} | {member: group[0] for group in wires for member in group}
    threshold = consensus_threshold(len(sources))
    only_in = {s.id: [] for s in sources}
    consensus = []  # claims are ranked most widely reported first
    carried: dict[str, set[int]] = {s.id: set() for s in sources}
    for index, claim in enumerate(claims):
        if claim.support == 1:
            only_in[claim.evidence[0].source].append(index)
        elif claim.support >= threshold:
            consensus.append(index)
            for e in claim.evidence:
                carried[e.source].add(index)
    # what only one source reports, what matters most first: read at a glance, the rest behind a toggle
    weight = salience(all_sentences, vectors, support)
    at = {(s.source, s.start): (s.source, s.index) for s in all_sentences}
    for ids in only_in.values():
        ids.sort(key=lambda i: -weight.get(at[(claims[i].evidence[0].source, claims[i].evidence[0].start)], 0.0))
    leaves_out = {s.id: [] for s in sources}
    for s in sources:  # each source stops at its first few gaps: linear in sources, not sources times claims
        has = carried[s.id]
        for index in consensus:
            if index not in has:
                leaves_out[s.id].append(index)
                if len(leaves_out[s.id]) == LEFT_OUT_LISTED:
                    break

    scope, scope_groups = consolidate_scope(all_sentences, texts, vectors, order)
    points = same_points(clusters, scope_groups)
    for sentence in all_sentences:  # the story states each side of the change once
        for label in sentence.scope.keys() - {"conditions"}:
            points.setdefault((sentence.source, sentence.index), set()).add(f"scope:{label}")
    return Briefing(
        title=title,
        description=description,
        model=model,
        sources=sources,
        quotes=[],
        people=[],
        overview=overview(all_sentences, vectors, order, group_of, points),
        scope=scope,
        timeline=[],
        claims=claims,
        divergences=[],
        wire_groups=wires,
        only_in=only_in,
        leaves_out=leaves_out,
        leaves_out_count={s.id: len(consensus) - len(carried[s.id]) for s in sources},
        consensus=threshold,
    )
