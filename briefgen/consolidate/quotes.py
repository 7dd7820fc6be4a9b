"""The same quote across outlets: whole, truncated or lightly reworded copies share one cluster id."""

from __future__ import annotations

import re
from collections import defaultdict

from rapidfuzz import fuzz

from briefgen.clean import SENTENCE_BREAK_RE
from briefgen.consolidate.groups import UnionFind
from briefgen.structure import Quote

SENTENCE_WORDS = 6  # a sentence this long found word for word in another outlet's quote makes the two one quote
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
    """Set `cluster` on every quote: the id of the first quote (in source order) of its group. Quotes of two
    different sources are the same when `same_quote` says so; identical wordings are compared once."""
    texts = [normalise(q.text) for q in quotes]
    sets = UnionFind(range(len(quotes)))
    wordings: dict[str, list[int]] = defaultdict(list)  # one wording carried by many outlets: compared once
    for i, text in enumerate(texts):
        wordings[text].append(i)
    sources = {text: {quotes[i].source for i in members} for text, members in wordings.items()}
    for text, members in wordings.items():
        if len(sources[text]) > 1 and (len(text.split()) >= MIN_WORDS or _attributed_pair(text, members, quotes)):
            for i in members[1:]:
                sets.union(members[0], i)

    # Blocking: only wordings that share a run of three words are compared, so cost grows with matches, not pairs.
    buckets: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for text in wordings:
        words = text.split()
        if len(words) < MIN_WORDS:
            continue
        for run in {tuple(words[k : k + SHINGLE]) for k in range(len(words) - SHINGLE + 1)}:
            buckets[run].append(text)
    compared: set[tuple[str, str]] = set()
    for members in buckets.values():
        if sum(len(wordings[t]) for t in members) > 200:
            continue  # a phrase too common to tell copies apart
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = sorted((members[x], members[y]))
                if len(sources[a] | sources[b]) < 2 or (a, b) in compared:
                    continue  # two wordings of one outlet are two statements
                compared.add((a, b))
                if sets.find(wordings[a][0]) != sets.find(wordings[b][0]) and same_quote(a, b):
                    for i in wordings[a] + wordings[b]:
                        sets.union(wordings[a][0], i)
    _join_fragments(quotes, texts, sets, buckets, wordings)
    for i, quote in enumerate(quotes):
        quote.cluster = quotes[sets.find(i)].id


def _attributed_pair(text: str, members: list[int], quotes: list[Quote]) -> bool:
    """Two words quoted alike by several outlets, each giving them to a speaker ("a 'costly mistake'", said
    the campaigners): the same words of the same statement, not a phrase that recurs by chance."""
    return len(text.split()) == 2 and all(quotes[i].partial and quotes[i].speaker for i in members)


def _join_fragments(quotes, texts, sets, buckets, wordings) -> None:
    """A partial quote that is word for word a stretch of another source's quote is a piece of it ("a harbour for
    everyone" of "… we want a harbour for everyone, not for the few"): three words or more whoever they are
    given to, fewer ("absurd") only when both are given to the same speaker. So is a quote one of whose
    sentences another outlet quotes, word for word, inside a longer quote of the same speaker."""
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for i, quote in enumerate(quotes):
        if quote.speaker:
            by_speaker[quote.speaker].append(i)
    for i, quote in enumerate(quotes):
        if not texts[i]:
            continue
        if quote.partial:
            pieces = [texts[i]]
        else:  # a whole sentence of a longer quote that another outlet quotes with more round it
            pieces = [
                p for p in map(normalise, SENTENCE_BREAK_RE.split(quote.text)) if len(p.split()) >= SENTENCE_WORDS
            ]
        for piece in pieces:
            words = piece.split()
            if len(words) >= SHINGLE:
                candidates = [k for text in buckets.get(tuple(words[:SHINGLE]), []) for k in wordings[text]]
            else:
                candidates = by_speaker.get(quote.speaker, []) if quote.speaker else []
            padded = f" {piece} "
            for k in candidates:
                if (
                    quotes[k].source != quote.source
                    and len(texts[k]) > len(piece)
                    and (quote.partial or not quote.speaker or quotes[k].speaker in (None, quote.speaker))
                    and padded in f" {texts[k]} "
                ):
                    sets.union(k, i)
                    break
