"""Summaries: a few sentences per source, and the story in one paragraph across sources. All extractive."""

from __future__ import annotations

import hashlib

import numpy as np

from briefgen.consolidate.claims import ClaimCluster, Vectors, row_blocks
from briefgen.extract.sentences import Sentence
from briefgen.structure import Span, Statement

OVERVIEW_MAX_WORDS = 120
REDUNDANT = 0.45  # cosine above which a sentence says what a chosen one already says
# Overview scoring: how closely the other sources say the same thing (the strongest signal on WikinewsSum),
# centrality in the whole briefing, and the news lead. Quote-heavy sentences are left to the quote pages.
OVERVIEW_WEIGHTS = {
    "centrality": 0.2,
    "agreement": 0.8,
    "lead": 0.4,
    "lead_power": 1,
    "max_quote": 0.3,
    "redundant": 0.3,
}
AGREEMENT_FLOOR = 0.1  # similarities below this are not counted as another source saying the same thing


AGREEMENT_REPORTS = 64  # other reports a sentence is compared with: every one in a briefing of up to 65
# independent reports; beyond that a fixed sample of them, whose mean estimates the whole's
COPIES_PER_REPORT = 4  # sources read of one report (a wire group): its copies say the same thing
# Both bound the sentences each one is compared with, so the work grows with the briefing, not with its square.


def _sample(names: list[str], size: int) -> set[str]:
    """`size` of `names`, the same ones whatever order they come in."""
    if len(names) <= size:
        return set(names)
    return set(sorted(names, key=lambda name: hashlib.blake2b(name.encode(), digest_size=8).digest())[:size])


def agreement(pool: list[Sentence], matrix, group_of: dict[str, str]) -> np.ndarray:
    """For each sentence: how closely the other independent reports say the same thing (mean over them of the
    best match). Sources carrying the same wire copy count as one report. Each sentence is compared with a fixed
    sample of reports, and of each report's copies; a sentence carried by many sources is compared once. Worked
    out a block of rows at a time, so memory stays bounded."""
    names = sorted(set(group_of.values()))
    groups = _group_numbers(pool, group_of, names)
    sampled = np.zeros(len(names), dtype=bool)
    chosen = _sample(names, AGREEMENT_REPORTS + 1)
    sampled[[k for k, name in enumerate(names) if name in chosen]] = True
    report = (np.cumsum(sampled) - 1)[groups]  # each sentence's report among the sampled ones (if sampled)
    copies: dict[str, list[str]] = {}
    for source, group in sorted(group_of.items()):
        copies.setdefault(group, []).append(source)
    read = {source for group in chosen for source in _sample(copies.get(group, []), COPIES_PER_REPORT)}
    columns = np.array([k for k, s in enumerate(pool) if s.source in read], dtype=np.int64)
    others = matrix[columns]
    first: dict[str, int] = {}
    copy_of = np.array([first.setdefault(s.text, k) for k, s in enumerate(pool)], dtype=np.int64)
    kept = np.array(sorted(first.values()), dtype=np.int64)
    rows = matrix[kept]
    found = np.zeros((len(kept), int(sampled.sum())))  # each distinct sentence's best match in each sampled report
    for lo, hi in row_blocks(rows):
        block = (rows[lo:hi] @ others.T).tocoo()
        keep = block.data >= AGREEMENT_FLOOR
        np.maximum.at(found, (block.row[keep] + lo, report[columns[block.col[keep]]]), block.data[keep])
    best = found[np.searchsorted(kept, copy_of)]
    own = np.flatnonzero(sampled[groups])
    best[own, report[own]] = 0.0  # a report does not agree with itself
    compared = np.maximum(1, sampled.sum() - sampled[groups])  # reports each sentence is compared with
    return best.sum(axis=1) / compared


def _group_numbers(pool: list[Sentence], group_of: dict[str, str], names: list[str]) -> np.ndarray:
    index = {name: k for k, name in enumerate(names)}
    return np.array([index[group_of[s.source]] for s in pool], dtype=np.int64)


MIN_WORDS, MAX_WORDS = 8, 48


def _words(s: Sentence) -> int:
    return len(s.text.split())


def same_points(clusters: list[ClaimCluster], groups: list[list[tuple[str, int]]]) -> dict[tuple[str, int], set[int]]:
    """(source, sentence index) -> ids of the points it states (claim clusters and scope items with 2+ sources)."""
    points: dict[tuple[str, int], set[int]] = {}
    members = [[(s.source, s.index) for s in c.members] for c in clusters] + groups
    for n, group in enumerate(members):
        if len({source for source, _ in group}) > 1:
            for key in group:
                points.setdefault(key, set()).add(n)
    return points


def salience(sentences: list[Sentence], vectors: Vectors, support: dict) -> dict[tuple[str, int], float]:
    """(source, sentence index) -> how much a sentence matters to the story: close to what the sources report
    together (the sentences several sources share, weighted by how many), early in its article, in the writer's
    words more than in a quote."""
    pool = [s for s in sentences if s.informative]
    if not pool:
        return {}
    matrix = vectors.of(pool)
    weights = np.array([support.get((s.source, s.index), 1) - 1 for s in pool], dtype=np.float64)
    if not weights.any():
        weights[:] = 1
    centroid = np.asarray(matrix.T @ weights).ravel()
    centrality = np.asarray(matrix @ centroid).ravel()
    top = centrality.max() or 1
    return {
        (s.source, s.index): float(0.8 * centrality[k] / top + 0.2 * (1 - s.position) ** 2 - 0.2 * s.quote_share)
        for k, s in enumerate(pool)
    }


def support_of(clusters: list[ClaimCluster]) -> dict[tuple[str, int], int]:
    """(source, sentence index) -> number of sources that report the same thing."""
    out: dict[tuple[str, int], int] = {}
    for c in clusters:
        support = len(c.sources)
        for s in c.members:  # a sentence that is also a claim of its own (a detail) keeps its widest support
            out[(s.source, s.index)] = max(support, out.get((s.source, s.index), 0))
    return out


SHORTLIST = 120  # selection looks at the best-scoring candidates only


def _select(
    candidates: list[Sentence],
    scores: np.ndarray,
    matrix,
    budget_words: int | None,
    count: int | None,
    redundant: float = REDUNDANT,
    points: dict | None = None,
):
    """Best-scoring sentences first, skipping any that repeats a chosen one: lexically, or (`points`) by stating
    the same claim or scope item in other words."""
    order = [int(i) for i in np.argsort(-scores, kind="stable")[:SHORTLIST]]
    sub = matrix[order]
    sims = sub @ sub.T
    sims = sims if isinstance(sims, np.ndarray) else sims.toarray()
    chosen: list[int] = []  # positions in `order`
    said: set = set()
    words = 0
    for k, i in enumerate(order):
        if chosen and float(sims[k, chosen].max()) > redundant:
            continue
        mine = points.get((candidates[i].source, candidates[i].index), set()) if points else set()
        if mine & said:
            continue
        n = _words(candidates[i])
        if budget_words is not None and words + n > budget_words:
            continue
        chosen.append(k)
        said |= mine
        words += n
        if count is not None and len(chosen) >= count:
            break
        if budget_words is not None and words > budget_words - MIN_WORDS:
            break
    return [order[k] for k in chosen]


def source_summary(sentences: list[Sentence], vectors: Vectors, support: dict, n_sources: int) -> list[Span]:
    """3–5 sentences (2 for a short article) in document order: central, early, and widely reported."""
    pool = [s for s in sentences if s.informative and MIN_WORDS <= _words(s) <= MAX_WORDS and s.quote_share < 0.6]
    if not pool:
        pool = [s for s in sentences if s.informative] or sentences[:1]
    if not pool:
        return []
    total_words = sum(_words(s) for s in sentences)
    count = 2 if total_words < 150 else 3 if total_words < 400 else 4 if total_words < 800 else 5
    matrix = vectors.dense([s.terms for s in pool])
    centrality = matrix @ matrix.mean(axis=0)
    spread = max(1, n_sources - 1)
    top = centrality.max() or 1
    scores = np.array(
        [
            0.5 * centrality[k] / top
            + 0.3 * (support.get((s.source, s.index), 1) - 1) / spread
            + 0.3 * (1 - s.position) ** 2
            - 0.2 * s.quote_share
            for k, s in enumerate(pool)
        ]
    )
    chosen = _select(pool, scores, matrix, None, count)
    return [Span(pool[i].source, pool[i].start, pool[i].end) for i in sorted(chosen, key=lambda i: pool[i].index)]


def overview(
    all_sentences: list[Sentence],
    vectors: Vectors,
    order: dict[str, int],
    group_of: dict[str, str],
    points: dict | None = None,
) -> list[Statement]:
    """The story in one paragraph (60–120 words): what several sources agree on, central and early, no repeats."""
    w = OVERVIEW_WEIGHTS
    pool = [
        s
        for s in all_sentences
        if s.informative and MIN_WORDS <= _words(s) <= MAX_WORDS and s.quote_share < w["max_quote"]
    ]
    if not pool:
        return []
    matrix = vectors.of(pool)
    centroid = np.asarray(matrix.mean(axis=0))
    centrality = np.asarray(matrix @ centroid.T).ravel()
    agreed = agreement(pool, matrix, group_of)
    top_centrality, top_agreed = centrality.max() or 1, agreed.max() or 1
    scores = np.array(
        [
            w["centrality"] * centrality[k] / top_centrality
            + w["agreement"] * agreed[k] / top_agreed
            + w["lead"] * (1 - s.position) ** w["lead_power"]
            for k, s in enumerate(pool)
        ]
    )
    chosen = _select(pool, scores, matrix, OVERVIEW_MAX_WORDS, None, w["redundant"], points)
    picked = sorted((pool[i] for i in chosen), key=lambda s: (s.position, order[s.source]))
    return [Statement(s.text, [Span(s.source, s.start, s.end)]) for s in picked]
