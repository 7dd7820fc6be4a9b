"""Claims across sources: informative sentences clustered by meaning (TF-IDF over lemmas), and wire copy."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from briefgen.consolidate.groups import UnionFind
from briefgen.extract import SourceFacts
from briefgen.extract.sentences import Sentence
from briefgen.structure import Claim, Source, Span

CLAIM_SIMILARITY = 0.42  # cosine over TF-IDF lemmas: paraphrases of one fact, not two facts on one topic
WIRE_SHINGLE = 8  # words
WIRE_MIN_SHARED = 12  # shared 8-word runs outside quotes (about 20 words of identical prose)
CHUNK = 2000


class Vectors:
    """TF-IDF vectors over lemma lists, fitted on the whole briefing: sublinear term frequency, smoothed idf
    (log((1 + n) / (1 + df)) + 1), rows l2-normalised, so a dot product is a cosine. Terms unseen in fitting
    are ignored."""

    def __init__(self, documents: list[list[str]]):
        import numpy as np

        df: dict[str, int] = {}
        for terms in documents:
            for term in set(terms):
                df[term] = df.get(term, 0) + 1
        self.vocabulary = {term: i for i, term in enumerate(sorted(df))}
        n = len(documents)
        self.idf = np.array([np.log((1 + n) / (1 + df[t])) + 1 for t in sorted(df)], dtype=np.float64)

    def __call__(self, documents: list[list[str]]):
        import numpy as np
        from scipy.sparse import csr_matrix, diags

        indptr, indices = [0], []
        vocabulary = self.vocabulary
        for terms in documents:
            indices.extend(j for j in (vocabulary.get(t) for t in terms) if j is not None)
            indptr.append(len(indices))
        matrix = csr_matrix((np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
                            shape=(len(documents), len(vocabulary)))
        matrix.sum_duplicates()
        matrix.data = (1 + np.log(matrix.data)) * self.idf[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return (diags(1 / norms) @ matrix).tocsr()


def similar_pairs(matrix, threshold: float, allowed=None) -> list[tuple[int, int, float]]:
    """Pairs (i < j) with cosine ≥ threshold, computed as a sparse product in row chunks (an inverted-index join:
    only rows that share a term are ever compared)."""
    import numpy as np

    pairs = []
    for lo in range(0, matrix.shape[0], CHUNK):
        block = (matrix[lo:lo + CHUNK] @ matrix.T).tocoo()
        rows = block.row.astype(np.int64) + lo
        keep = (block.data >= threshold) & (rows < block.col)
        for i, j, v in zip(rows[keep].tolist(), block.col[keep].tolist(), block.data[keep].tolist()):
            if allowed is None or allowed(i, j):
                pairs.append((i, j, v))
    return pairs


@dataclass
class ClaimCluster:
    members: list[Sentence]
    central: Sentence

    @property
    def sources(self) -> set[str]:
        return {s.source for s in self.members}


def claim_sentences(facts: list[SourceFacts]) -> list[Sentence]:
    """Facts as reported: informative sentences that are mostly the writer's own words, not quotes."""
    return [s for f in facts for s in f.sentences if s.informative and s.quote_share < 0.5]


def cluster_claims(sentences: list[Sentence], vectors: Vectors) -> list[ClaimCluster]:
    if not sentences:
        return []
    matrix = vectors([s.terms for s in sentences])
    sets = UnionFind(range(len(sentences)))
    sources_of = {i: {s.source} for i, s in enumerate(sentences)}  # per cluster root
    pairs = similar_pairs(matrix, CLAIM_SIMILARITY, lambda i, j: sentences[i].source != sentences[j].source)
    for i, j, _ in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        a, b = sets.find(i), sets.find(j)
        if a == b or sources_of[a] & sources_of[b]:
            continue  # one sentence per source in a claim: two sentences of one article are two facts
        root = sets.union(a, b)
        sources_of[root] = sources_of.pop(a if root == b else b) | sources_of[root]
    clusters = []
    for members in sets.groups():
        if len(members) == 1:
            central = members[0]
        else:
            sub = matrix[members]
            centrality = (sub @ sub.T).sum(axis=1).A.ravel()
            central = members[int(max(range(len(members)), key=lambda k: (centrality[k], -k)))]
        clusters.append(ClaimCluster([sentences[i] for i in members], sentences[central]))
    return clusters


def to_claims(clusters: list[ClaimCluster], order: dict[str, int]) -> list[Claim]:
    ranked = sorted(clusters, key=lambda c: (-len(c.sources), order[c.central.source], c.central.index))
    return [
        Claim(text=c.central.text,
              evidence=[Span(s.source, s.start, s.end) for s in sorted(c.members, key=lambda s: (order[s.source], s.index))],
              support=len(c.sources))
        for c in ranked
    ]


def _normal_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def wire_groups(sources: list[Source], facts: list[SourceFacts]) -> list[list[str]]:
    """Sources that share long verbatim passages (outside quotes) carry the same wire copy."""
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for source, f in zip(sources, facts):
        text = source.text
        for q in f.quotes:  # shared quotes are the same statement, not the same copy
            text = text[:q.start] + " " * (q.end - q.start) + text[q.end:]
        words = _normal_words(text)
        for shingle in set(zip(*(words[k:] for k in range(WIRE_SHINGLE)))):
            owners[shingle].add(source.id)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for ids in owners.values():
        if 1 < len(ids) <= 50:
            ordered = sorted(ids)
            for x in range(len(ordered)):
                for y in range(x + 1, len(ordered)):
                    shared[(ordered[x], ordered[y])] += 1
    order = {s.id: i for i, s in enumerate(sources)}
    sets = UnionFind(order[s.id] for s in sources)
    for (a, b), n in sorted(shared.items()):
        if n >= WIRE_MIN_SHARED:
            sets.union(order[a], order[b])
    ids = [s.id for s in sources]
    return [[ids[i] for i in group] for group in sets.groups() if len(group) > 1]
