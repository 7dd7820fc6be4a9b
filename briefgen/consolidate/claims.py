"""Claims across sources: informative sentences clustered by meaning (TF-IDF over lemmas), and wire copy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.sparse import csr_matrix, diags

from briefgen.consolidate.groups import UnionFind
from briefgen.extract import SourceFacts
from briefgen.extract.sentences import Sentence
from briefgen.structure import Claim, Source, Span

CLAIM_SIMILARITY = 0.42  # cosine over TF-IDF lemmas: paraphrases of one fact, not two facts on one topic
ROUNDING = 0.02  # relative difference between two figures that is rounding ("$412bn", "$410 billion")
WIRE_MIN_SHARED = 12  # shared 8-word runs outside quotes (about 20 words of identical prose)


class Vectors:
    """TF-IDF vectors over lemma lists, fitted on the whole briefing: sublinear term frequency, smoothed idf
    (log((1 + n) / (1 + df)) + 1), rows l2-normalised, so a dot product is a cosine. Terms unseen in fitting
    are ignored. The fitted sentences' own vectors are worked out once: `of(sentences)` picks their rows."""

    def __init__(self, sentences: list[Sentence]):
        documents = [s.terms for s in sentences]
        df: dict[str, int] = {}
        for terms in documents:
            for term in set(terms):
                df[term] = df.get(term, 0) + 1
        self.vocabulary = {term: i for i, term in enumerate(sorted(df))}
        n = len(documents)
        self.idf = np.array([np.log((1 + n) / (1 + df[t])) + 1 for t in sorted(df)], dtype=np.float64)
        self.row = {(s.source, s.index): i for i, s in enumerate(sentences)}  # a fitted sentence's row
        self.fitted = self(documents)

    def of(self, sentences: list[Sentence]):
        """The vectors of fitted sentences (as `self([s.terms for s in sentences])`, without the work)."""
        return self.fitted[[self.row[(s.source, s.index)] for s in sentences]]

    def __call__(self, documents: list[list[str]]):
        indptr, indices = [0], []
        vocabulary = self.vocabulary
        for terms in documents:
            indices.extend(j for j in (vocabulary.get(t) for t in terms) if j is not None)
            indptr.append(len(indices))
        matrix = csr_matrix(
            (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
            shape=(len(documents), len(vocabulary)),
        )
        matrix.sum_duplicates()
        matrix.data = (1 + np.log(matrix.data)) * self.idf[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return (diags(1 / norms) @ matrix).tocsr()

    def dense(self, documents: list[list[str]]):
        """The same vectors as a dense array over only the terms these documents use: for small sets of
        sentences (one article), where sparse matrices cost more in overhead than they save."""
        vocabulary = self.vocabulary
        size = len(vocabulary)
        cells = []  # row * size + term: one number per (row, term), in the order of the pairs
        for r, document in enumerate(documents):
            base = r * size
            cells.extend(base + j for j in map(vocabulary.get, document) if j is not None)
        cells, counts = np.unique(np.array(cells, dtype=np.int64), return_counts=True)
        rows, terms = np.divmod(cells, size) if size else (cells, cells)
        used, columns = np.unique(terms, return_inverse=True)
        out = np.zeros((len(documents), len(used)))
        out[rows, columns] = (1 + np.log(counts)) * self.idf[terms]
        norms = np.linalg.norm(out, axis=1)
        norms[norms == 0] = 1.0
        return out / norms[:, None]


PRODUCT_BUDGET = 4_000_000  # entries of a block of the similarity product: bounds its memory, not its result


def row_blocks(matrix, budget: int = PRODUCT_BUDGET, against=None):
    """Row ranges (lo, hi) of `matrix` whose product with all its rows (or all rows of `against`) has at most
    about `budget` entries (estimated from how many rows share each of a row's terms), so memory stays bounded
    however many rows there are and however much they overlap; at least one row each."""
    present = matrix.copy()
    present.data[:] = 1
    other = present if against is None else against.copy()
    other.data[:] = 1
    df = np.asarray(other.sum(axis=0)).ravel()
    cost = np.asarray(present @ df).ravel()
    lo, total = 0, 0.0
    for i, c in enumerate(cost.tolist()):
        if i > lo and total + c > budget:
            yield lo, i
            lo, total = i, 0.0
        total += c
    if lo < matrix.shape[0]:
        yield lo, matrix.shape[0]


def similar_pairs(matrix, threshold: float, labels=None) -> list[tuple[int, int, float]]:
    """Pairs (i < j) with cosine ≥ threshold (see `similar_arrays`)."""
    rows, cols, values = similar_arrays(matrix, threshold, labels)
    return list(zip(rows.tolist(), cols.tolist(), values.tolist()))


def similar_arrays(matrix, threshold: float, labels=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) with cosine ≥ threshold, as arrays of rows, columns and cosines, computed as a sparse product
    in row blocks (an inverted-index join: only rows that share a term are ever compared). With `labels` (one per
    row), only pairs whose labels differ (sentences of two different sources)."""
    found = [np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)]
    if labels is not None:
        _, labels = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
        if labels.size and labels.max() == 0:
            return tuple(found)  # one label: no pair to find
    parts = [found]
    for lo, hi in row_blocks(matrix):
        block = (matrix[lo:hi] @ matrix[lo:].T).tocsr()  # the upper triangle only: i < j
        # most of the product is pairs sharing a common word: positions are worked out for the hits alone
        hits = np.flatnonzero(block.data >= threshold)
        rows = np.searchsorted(block.indptr, hits, side="right").astype(np.int64) - 1 + lo
        cols = block.indices[hits].astype(np.int64) + lo
        keep = rows < cols
        if labels is not None:
            keep &= labels[rows] != labels[cols]
        parts.append([rows[keep], cols[keep], block.data[hits][keep]])
    return tuple(np.concatenate(column) for column in zip(*parts))


@dataclass
class ClaimCluster:
    members: list[Sentence]
    central: Sentence

    @cached_property
    def sources(self) -> set[str]:
        return {s.source for s in self.members}


def claim_sentences(facts: list[SourceFacts]) -> list[Sentence]:
    """Facts as reported: informative sentences that are mostly the writer's own words, not quotes."""
    return [s for f in facts for s in f.sentences if s.informative and s.quote_share < 0.5]


def quoted_claims(facts: list[SourceFacts], vectors: Vectors) -> list[ClaimCluster]:
    """What one source alone quotes: its mostly quoted sentences (an analyst's comment, a line of a speech) that
    read like no sentence of another source, each a claim of its own with support 1. A quote carried by several
    outlets is not "only here", and quoted sentences never join the clusters of reported facts. Each wording is
    compared once, and only the quoted ones with all: a fraction of a full similarity product."""
    quoted = [s for f in facts for s in f.sentences if s.informative and s.quote_share >= 0.5]
    if not quoted:
        return []
    sources_of: dict[str, set[str]] = defaultdict(set)  # wording -> sources that have it
    first: dict[str, Sentence] = {}
    for f in facts:
        for s in f.sentences:
            if s.informative:
                sources_of[s.text].add(s.source)
                first.setdefault(s.text, s)
    wordings = list(first)
    alone = [t for t in dict.fromkeys(s.text for s in quoted) if len(sources_of[t]) == 1]
    if not alone:
        return []
    mine, theirs = vectors.of([first[t] for t in alone]), vectors.of([first[t] for t in wordings])
    echoed: set[str] = set()
    for lo, hi in row_blocks(mine, against=theirs):
        block = (mine[lo:hi] @ theirs.T).tocsr()
        for r in range(hi - lo):
            text = alone[lo + r]
            cells = slice(block.indptr[r], block.indptr[r + 1])
            for j in block.indices[cells][block.data[cells] >= CLAIM_SIMILARITY].tolist():
                if sources_of[wordings[j]] - sources_of[text]:
                    echoed.add(text)
                    break
    single = set(alone) - echoed
    return [ClaimCluster([s], s) for s in quoted if s.text in single]


def detail_claims(clusters: list[ClaimCluster], facts: list[SourceFacts]) -> list[ClaimCluster]:
    """A sentence that reports a shared fact with a figure no other source gives for it ("shut more than 120
    depots and let 9,000 drivers go" beside "returned to profit in spring") also stands as a claim of
    its own, with support 1: the detail is that source's alone."""
    values: dict[tuple[str, int], list[float]] = {}
    for f in facts:
        for fig in f.figures:
            values.setdefault((f.source, fig.sentence), []).append(fig.value)
    out = []
    for cluster in clusters:
        if len(cluster.sources) < 2 or not any(sentence_key(m) in values for m in cluster.members):
            continue
        given: dict[float, set[str]] = defaultdict(set)  # value -> sources that give it in this claim
        for m in cluster.members:
            for v in values.get(sentence_key(m), []):
                given[v].add(m.source)
        for member in cluster.members:
            elsewhere = [w for w, where in given.items() if where - {member.source}]
            own = values.get(sentence_key(member), [])
            if any(not any(abs(v - w) <= ROUNDING * max(v, w) for w in elsewhere) for v in own):
                out.append(ClaimCluster([member], member))
    return out


def sentence_key(sentence: Sentence) -> tuple[str, int]:
    return sentence.source, sentence.index


def cluster_claims(sentences: list[Sentence], vectors: Vectors) -> list[ClaimCluster]:
    if not sentences:
        return []
    matrix = vectors.of(sentences)
    sets = UnionFind(range(len(sentences)))
    sources_of = {i: {s.source} for i, s in enumerate(sentences)}  # per cluster root

    def join(i: int, j: int) -> None:
        a, b = sets.find(i), sets.find(j)
        if a == b or sources_of[a] & sources_of[b]:
            return  # one sentence per source in a claim: two sentences of one article are two facts
        root = sets.union(a, b)
        sources_of[root] = sources_of.pop(a if root == b else b) | sources_of[root]

    # The same sentence in several sources (wire copy carried by many outlets) is one claim from the start, and
    # is compared with the others once, not once per copy: the work grows with what differs, not with copies.
    first: dict[str, int] = {}
    for i, s in enumerate(sentences):
        if (k := first.setdefault(s.text, i)) != i:
            join(k, i)
    if len(first) == len(sentences):
        rows, cols, values = similar_arrays(matrix, CLAIM_SIMILARITY, [s.source for s in sentences])
    else:
        kept = np.array(sorted(first.values()), dtype=np.int64)
        rows, cols, values = similar_arrays(matrix[kept], CLAIM_SIMILARITY)
        rows, cols = kept[rows], kept[cols]
    order = np.lexsort((cols, rows, -values))  # the most similar first; ties in row, then column order
    for i, j in zip(rows[order].tolist(), cols[order].tolist()):
        join(i, j)
    groups = sets.groups()
    # centrality of a member: its similarity to the whole cluster, i.e. its dot product with the cluster's sum
    cluster_of = np.empty(len(sentences), dtype=np.int64)
    for n, members in enumerate(groups):
        cluster_of[members] = n
    membership = csr_matrix(
        (np.ones(len(sentences)), (cluster_of, np.arange(len(sentences)))), shape=(len(groups), len(sentences))
    )
    sums = (membership @ matrix).tocsr()
    centrality = np.asarray(matrix.multiply(sums[cluster_of]).sum(axis=1)).ravel().round(9).tolist()  # ties: the first
    clusters = []
    for members in groups:
        central = max(members, key=lambda i: (centrality[i], -i)) if len(members) > 1 else members[0]
        clusters.append(ClaimCluster([sentences[i] for i in members], sentences[central]))
    return clusters


def to_claims(clusters: list[ClaimCluster], order: dict[str, int]) -> list[Claim]:
    ranked = sorted(clusters, key=lambda c: (-len(c.sources), order[c.central.source], c.central.index))
    return [
        Claim(
            text=c.central.text,
            evidence=[
                Span(s.source, s.start, s.end) for s in sorted(c.members, key=lambda s: (order[s.source], s.index))
            ],
            support=len(c.sources),
        )
        for c in ranked
    ]


def wire_groups(sources: list[Source], facts: list[SourceFacts]) -> list[list[str]]:
    """Sources that share long verbatim passages (outside quotes) carry the same wire copy: counted for every
    pair of sources at once as a sparse product over the runs of words they share."""
    order = {s.id: i for i, s in enumerate(sources)}
    rows = np.array([order[f.source] for f in facts for _ in f.shingles], dtype=np.int64)
    hashes = np.array([h for f in facts for h in f.shingles], dtype=np.uint64)
    _, columns, owners = np.unique(hashes, return_inverse=True, return_counts=True)
    keep = (owners[columns] > 1) & (owners[columns] <= 50)  # a run in very many reports is boilerplate
    runs = csr_matrix((np.ones(int(keep.sum())), (rows[keep], columns[keep])), shape=(len(sources), len(owners)))
    shared = (runs @ runs.T).tocoo()
    sets = UnionFind(range(len(sources)))
    for a, b, n in sorted(zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist())):
        if a < b and n >= WIRE_MIN_SHARED:
            sets.union(a, b)
    ids = [s.id for s in sources]
    return [[ids[i] for i in group] for group in sets.groups() if len(group) > 1]
