"""Policy scope across sources: before, now allowed, still prohibited, conditions; each item with the evidence
of every source that says it."""

from __future__ import annotations

from briefgen.consolidate.claims import Vectors, similar_pairs
from briefgen.consolidate.groups import UnionFind
from briefgen.extract.sentences import Sentence, lead
from briefgen.structure import Scope, Span, Statement

LABELS = ("before", "allowed", "prohibited", "conditions")
CHANGE_LABELS = {"before", "allowed", "prohibited"}  # policy language that says a rule changed
LEAD_SENTENCES = 2  # a source's lead: its first informative sentences in its own words
SAME_ITEM = 0.3  # items already share a scope label, so a looser match still means the same point
MAX_ITEMS = 6
QUOTED = 0.6  # a sentence this much inside quotation marks is someone's words about the change, not the change


def consolidate_scope(
    sentences: list[Sentence], texts: dict[str, str], vectors: Vectors, order: dict[str, int]
) -> tuple[Scope, list[list[tuple[str, int]]]]:
    """The scope, and the groups of sentences (source, index) that state the same scope item. When the event changes
    no rule (see `changes_a_rule`), the scope says so and lists nothing."""
    scope = Scope()
    same_point: list[list[tuple[str, int]]] = []
    if not changes_a_rule(sentences, len(order)):
        scope.applies = False
        return scope, same_point
    for label in LABELS:
        items = [
            (s, s.scope[label], s.scope_terms.get(label, s.terms))
            for s in sentences
            if label in s.scope and s.quote_share < QUOTED  # a speaker's own words are a reaction, or rhetoric
        ]
        if not items:
            continue
        matrix = vectors([terms for _, _, terms in items])
        sets = UnionFind(range(len(items)))
        sources_of = {i: {items[i][0].source} for i in range(len(items))}
        pairs = similar_pairs(matrix, SAME_ITEM, [item[0].source for item in items])
        for i, j, _ in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
            a, b = sets.find(i), sets.find(j)
            if a != b and not sources_of[a] & sources_of[b]:
                root = sets.union(a, b)
                sources_of[root] = sources_of.pop(a if root == b else b) | sources_of[root]
        statements = []
        for members in sets.groups():
            members.sort(key=lambda i: (order[items[i][0].source], items[i][0].index))
            same_point.append([(items[i][0].source, items[i][0].index) for i in members])
            first = items[members[0]]
            start, end = first[1]
            statements.append(
                (
                    -len({items[i][0].source for i in members}),
                    first[0].position,
                    order[first[0].source],
                    Statement(
                        texts[first[0].source][start:end], [Span(items[i][0].source, *items[i][1]) for i in members]
                    ),
                )
            )
        statements.sort(key=lambda x: x[:3])
        setattr(scope, label, [st for *_, st in statements[:MAX_ITEMS]])
    return scope, same_point


def changes_a_rule(sentences: list[Sentence], n_sources: int) -> bool:
    """Whether the story is a change of rules: policy language (allowed, prohibited, before) in the lead of half
    the sources or more, and of two at least when there are two. A merger whose deal 'allows' savings deep in one
    article, or a laureate's lecture that asks people to 'stop', is not."""
    by_source: dict[str, list[Sentence]] = {}
    for s in sorted(sentences, key=lambda s: (s.source, s.index)):
        by_source.setdefault(s.source, []).append(s)
    telling = sum(
        1 for told in by_source.values() if any(CHANGE_LABELS & set(s.scope) for s in lead(told, LEAD_SENTENCES))
    )
    return telling >= min(2, n_sources) and 2 * telling >= n_sources
