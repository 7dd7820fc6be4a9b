"""The same quote across outlets: whole, truncated or lightly reworded copies share one cluster id."""

from __future__ import annotations

import re
from collections import defaultdict

from rapidfuzz import fuzz

from briefgen.consolidate.groups import UnionFind
from briefgen.structure import Quote

MIN_WORDS = 3  # shorter fragments ("historic") recur by chance, not because one outlet copied another
SHINGLE = 3


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    return " ".join(re.sub(r"[^\w\s']", " ", text).split())


def same_quote(a: str, b: str) -> bool:
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if fuzz.ratio(a, b, score_cutoff=85):
        return True
    if shorter >= 25 and fuzz.partial_ratio(a, b, score_cutoff=92):
        return True  # one outlet starts or ends mid-sentence
    return min(len(a.split()), len(b.split())) >= 6 and bool(fuzz.token_set_ratio(a, b, score_cutoff=90))


def cluster_quotes(quotes: list[Quote]) -> None:
    """Set `cluster` on every quote: the id of the first quote (in source order) of its group."""
    texts = [normalise(q.text) for q in quotes]
    sets = UnionFind(range(len(quotes)))

    # Blocking: only quotes that share a run of three words are compared, so cost grows with matches, not pairs.
    buckets: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        words = text.split()
        if len(words) < MIN_WORDS:
            continue
        for k in range(len(words) - SHINGLE + 1):
            buckets[tuple(words[k:k + SHINGLE])].append(i)
    compared: set[tuple[int, int]] = set()
    verdicts: dict[tuple[str, str], bool] = {}  # wire copy repeats the same two wordings across many outlets
    for members in buckets.values():
        if len(members) > 200:
            continue  # a phrase too common to tell copies apart
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if quotes[i].source == quotes[j].source or (i, j) in compared:
                    continue
                compared.add((i, j))
                if sets.find(i) == sets.find(j):
                    continue
                pair = (texts[i], texts[j]) if texts[i] <= texts[j] else (texts[j], texts[i])
                if pair not in verdicts:
                    verdicts[pair] = same_quote(*pair)
                if verdicts[pair]:
                    sets.union(i, j)
    for i, quote in enumerate(quotes):
        quote.cluster = quotes[sets.find(i)].id
