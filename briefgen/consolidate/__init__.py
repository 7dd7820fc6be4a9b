"""Consolidate: merge per-source facts across sources into one Briefing."""

from __future__ import annotations

from briefgen.consolidate.claims import Vectors, claim_sentences, cluster_claims, to_claims, wire_groups
from briefgen.consolidate.divergences import find_divergences
from briefgen.consolidate.people import merge_people, unify_anonymous
from briefgen.consolidate.quotes import cluster_quotes
from briefgen.consolidate.scope import consolidate_scope
from briefgen.consolidate.summary import overview, same_points, source_summary, support_of
from briefgen.consolidate.timeline import build_timeline
from briefgen.extract import SourceFacts
from briefgen.structure import Briefing, Source
from briefgen.workers import chunks_taken, helper, shared_count

CONSENSUS_MIN = 3
LEFT_OUT_LISTED = 8  # consensus claims kept per source as left out (the most widely reported); the rest counted


def consensus_threshold(n_sources: int) -> int:
    """Support that makes a claim consensus: three sources, or half of them when there are fewer than six."""
    return max(2, min(CONSENSUS_MIN, (n_sources + 1) // 2))


MIN_SOURCES_ALONGSIDE = 40  # from this many sources on, a second process works out people, quotes, timeline and
# divergences while this one clusters the claims and writes the overview; then both summarise the sources


def _people_timeline_divergences(state: dict):
    """The parts that need neither the claims nor the summaries: people and quote groups (returned as each
    quote's speaker and cluster, in order), the timeline and the divergences."""
    sources, facts, vectors = state["sources"], state["facts"], state["vectors"]
    quotes = [q for f in facts for q in f.quotes]
    people, speaker_ids = merge_people(facts)
    for quote in quotes:
        quote.speaker = speaker_ids.get(quote.id)
    cluster_quotes(quotes)
    people = unify_anonymous(quotes, people)
    return (people, [(q.speaker, q.cluster) for q in quotes], build_timeline(sources, facts, vectors),
            find_divergences(sources, facts, vectors))


SUMMARY_CHUNK = 8


def _summaries(state: dict, support: dict) -> dict[int, list]:
    """The summaries of the sources no process has taken yet, by position, a few at a time: the helper starts on
    them once it has done the people, this process once it has done the claims, and they share what is left."""
    sources, vectors = state["sources"], state["vectors"]
    sentences = {f.source: f.sentences for f in state["facts"]}
    return {i: source_summary(sentences.get(sources[i].id, []), vectors, support, len(sources))
            for chunk in chunks_taken(state["taken"], len(sources), SUMMARY_CHUNK) for i in chunk}


def consolidate(title: str, description: str | None, model: str, sources: list[Source],
                facts: list[SourceFacts], jobs: int = 1) -> Briefing:
    all_sentences = [s for f in facts for s in f.sentences]
    vectors = Vectors([s.terms for s in all_sentences])
    state = {"sources": sources, "facts": facts, "vectors": vectors, "taken": shared_count()}
    with helper(jobs > 1 and len(sources) >= MIN_SOURCES_ALONGSIDE, state) as run:
        other_parts = run(_people_timeline_divergences)
        clusters = cluster_claims(claim_sentences(facts), vectors)
        support = support_of(clusters)
        summarised_there = run(_summaries, support)
        briefing = _claims_and_overview(title, description, model, sources, facts, all_sentences, vectors, clusters)
        summaries = _summaries(state, support)
        people, assigned, briefing.timeline, briefing.divergences = other_parts()
        summaries |= summarised_there()
    for i, source in enumerate(sources):
        source.summary = summaries[i]
    briefing.quotes = [q for f in facts for q in f.quotes]
    for quote, (speaker, cluster) in zip(briefing.quotes, assigned):
        quote.speaker, quote.cluster = speaker, cluster
    briefing.people = people
    return briefing


def _claims_and_overview(title, description, model, sources, facts, all_sentences, vectors, clusters) -> Briefing:
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
        title=title, description=description, model=model, sources=sources, quotes=[], people=[],
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
