"""Divergences: where sources disagree on the same point: figures, dates, and a thing one source says exists and
another says does not."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from briefgen.config import package_data
from briefgen.consolidate.claims import ROUNDING, Vectors, similar_arrays, similar_pairs
from briefgen.consolidate.groups import UnionFind
from briefgen.consolidate.quotes import normalise
from briefgen.extract import SourceFacts
from briefgen.extract.facts import NUMBER_WORDS, Figure, Phase
from briefgen.extract.people import PRONOUN_GENDER, lexicon
from briefgen.extract.sentences import NEGATIONS, Sentence
from briefgen.structure import Divergence, Person, Quote, Source, Span, Statement

SAME_EVENT = 0.45  # clauses describing the same event


SOURCING_MAX = 10  # "two officials", "three people familiar with …": counts of anonymous sources are small
SAME_QUANTITY = 0.2  # sentences giving figures of one unit and about one thing: the same quantity
SAME_NAMED_QUANTITY = 0.1  # ... when both name what they count with one noun ("exports of $4bn", "exporting $5bn")
SAME_QUANTITY_OTHER_NOUN = 0.35  # ... when the figures describe different nouns ("a $2bn deal", "a $2.5bn bid")
MAX_RATIO = 2.5  # two reports of one quantity differ by less than this; 50 stores and 3,500 stores are two things
ABOUT = 0.1  # how far "about X" reaches either way
BOUND = 0.15  # how far "more than X" reaches up and "nearly X" down: "over $500bn" is not $700bn


def compatible(a: Figure, b: Figure) -> bool:
    """Whether two figures may state the same amount: equal but for rounding, or one's hedge covers the other
    ("about £1bn" and "at least £1bn"; "more than 300" and "330", not "more than 300" and "600")."""
    hi = max(a.value, b.value)
    if hi <= 0 or abs(a.value - b.value) / hi <= ROUNDING:
        return True
    for x, y in ((a, b), (b, a)):
        if x.hedge == "about" and abs(x.value - y.value) / hi <= ABOUT:
            return True
        if x.hedge == "over" and x.value <= y.value <= x.value * (1 + BOUND):
            return True
        if x.hedge == "under" and x.value * (1 - BOUND) <= y.value <= x.value:
            return True
    return False


def _components(n: int, a: np.ndarray, b: np.ndarray) -> list[list[int]]:
    """The connected groups (two or more members, each sorted, smallest first) of the pairs (a, b) over n items."""
    graph = csr_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in sorted(set(a.tolist()) | set(b.tolist())):
        groups[int(labels[k])].append(k)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def figure_divergences(sources, facts, vectors, index, matrix) -> list[Divergence]:
    """The same quantity given differently by two sources: figures of one unit (one currency for money) whose
    sentences say the same thing, whose values are of one order, and that no rounding or hedge reconciles.
    Counts of anonymous sources ("two officials") are how a story is sourced, never a disagreement."""
    by_id = {s.id: s for s in sources}
    sentences = {f.source: f.sentences for f in facts}
    sourcing = set(lexicon()["anonymous_nouns"])

    def counted(fig: Figure) -> bool:  # "two officials" is how a story is sourced; "9,000 workers" a count
        return fig.unit not in sourcing or fig.value > SOURCING_MAX

    groups: dict[str, list[tuple[str, Figure]]] = defaultdict(list)
    for f in facts:
        for fig in f.figures:
            if counted(fig):
                groups[fig.unit].append((f.source, fig))
    units_of: dict[tuple[str, int], frozenset[str]] = defaultdict(frozenset)
    for f in facts:
        for fig in f.figures:
            if counted(fig) and fig.unit != "percent":
                units_of[(f.source, fig.sentence)] |= {fig.unit}
    out = []
    for unit, items in sorted(groups.items()):
        if len({round(fig.value, 6) for _, fig in items}) < 2 or len({src for src, _ in items}) < 2:
            continue
        rows = matrix[[index[(src, fig.sentence)] for src, fig in items]]
        a, b, sims = similar_arrays(rows, SAME_NAMED_QUANTITY, [src for src, _ in items])
        a, b, sims = _with_paired(items, a, b, sims, units_of)
        # first what arrays can tell: values apart by more than rounding, of one order, about the same noun
        values = np.array([fig.value for _, fig in items])
        _, abouts = np.unique([fig.about for _, fig in items], return_inverse=True)
        unknown = np.array([fig.about == unit for _, fig in items])
        low, high = np.minimum(values[a], values[b]), np.maximum(values[a], values[b])
        keep = (low > 0) & (high <= low * MAX_RATIO) & (high - low > ROUNDING * high)
        keep &= (abouts[a] == abouts[b]) | unknown[a] | unknown[b] | (sims >= SAME_QUANTITY_OTHER_NOUN)
        keep &= (sims >= SAME_QUANTITY) | ((abouts[a] == abouts[b]) & ~unknown[a] & ~unknown[b])
        hedged = np.array([bool(fig.hedge) for _, fig in items])
        for k in np.flatnonzero(keep & (hedged[a] | hedged[b])).tolist():  # then the hedges, pair by pair
            keep[k] = not compatible(items[a[k]][1], items[b[k]][1])
        same_value: dict[float, list[int]] = defaultdict(list)
        for k, (_, fig) in enumerate(items):
            same_value[round(fig.value, 6)].append(k)
        # one figure of one thing given by several sources is one side: "$5bn of exports" in two reports joins
        # the disagreements each has with other figures into one
        sides: dict[tuple[float, int], list[int]] = defaultdict(list)
        for k, (_, fig) in enumerate(items):
            if not unknown[k]:
                sides[(round(fig.value, 6), int(abouts[k]))].append(k)
        same = [(ks[0], k) for ks in sides.values() for k in ks[1:]]
        edges_a = np.concatenate([a[keep], np.array([x for x, _ in same], dtype=np.int64)])
        edges_b = np.concatenate([b[keep], np.array([y for _, y in same], dtype=np.int64)])
        for members in _components(len(items), edges_a, edges_b):
            if not keep[np.isin(a, members) & np.isin(b, members)].any():
                continue  # copies of one figure, and no disagreement
            # each side with every source that gives its figure in this unit, however it words the sentence
            by_value: dict[float, list[tuple[str, Figure]]] = defaultdict(list)
            for value in sorted({round(items[k][1].value, 6) for k in members}):
                by_value[value] = [items[k] for k in same_value[value]]
            positions = []
            for value in sorted(by_value):
                first_src, first = by_value[value][0]
                evidence = [
                    Span(src, sentences[src][fig.sentence].start, sentences[src][fig.sentence].end)
                    for src, fig in by_value[value]
                ]
                positions.append(Statement(by_id[first_src].text[first.start : first.end], evidence))
            named = sorted({items[k][1].about for k in members} - {unit})
            label = unit.removeprefix("money ")
            about = f"{named[0]} ({label})" if len(named) == 1 else label
            out.append(Divergence(about=about, positions=positions))
    return out


def period_divergences(sources: list[Source], facts: list[SourceFacts], vectors: Vectors) -> list[Divergence]:
    """One amount over different times by different sources: "£5bn a year" against "£5bn over ten years",
    "a £2bn saving over the next decade" against "eventually £2bn". Figures of one unit whose values
    agree (rounding and hedges allowed) in sentences on one topic, each giving its time."""
    by_id = {s.id: s for s in sources}
    sentences = {f.source: f.sentences for f in facts}
    items = [(f.source, fig) for f in facts for fig in f.figures if fig.period]
    if len(items) < 2:
        return []
    rows = vectors.of([sentences[src][fig.sentence] for src, fig in items])
    groups = UnionFind()
    for i, j, _ in similar_pairs(rows, SAME_NAMED_QUANTITY):  # one amount, near: the figures name it alike
        (sa, a), (sb, b) = items[i], items[j]
        if sa != sb and a.unit == b.unit and a.period != b.period and compatible(a, b):
            groups.union(i, j)
    out = []
    for group in groups.groups():
        by_period: dict[str, list[int]] = defaultdict(list)
        for k in group:
            by_period[items[k][1].period].append(k)
        positions = []
        for _, members in sorted(by_period.items(), key=lambda kv: kv[1][0]):
            src, first = items[members[0]]
            said = [(items[k][0], sentences[items[k][0]][items[k][1].sentence]) for k in members]
            evidence = [Span(source, sentence.start, sentence.end) for source, sentence in said]
            positions.append(Statement(by_id[src].text[first.period_start : first.period_end], evidence))
        src, first = items[group[0]]
        out.append(Divergence(about=f"over what time: {by_id[src].text[first.start : first.end]}", positions=positions))
    return out


PAIRED_GROUP = 50  # items a pair of counted things is compared among (bounds the work in a large briefing)


def _with_paired(items, a, b, sims, units_of):
    """Add the pairs of figures whose sentences count the same two things or more ("shut 120 depots and let
    9,000 drivers go" beside "the closure of 240 depots, the loss of 5,500 drivers"): two sentences
    that give the same pair of counts report one event, however differently they are worded."""
    groups: dict[frozenset[str], list[int]] = defaultdict(list)
    for k, (src, fig) in enumerate(items):
        counted = units_of[(src, fig.sentence)]
        if len(counted) >= 2:
            groups[counted].append(k)
    paired = {(i, j) for members in groups.values() if len(members) <= PAIRED_GROUP for i in members for j in members}
    paired = {(i, j) for i, j in paired if i < j and items[i][0] != items[j][0]}
    if not paired:
        return a, b, sims
    found = list(zip(a.tolist(), b.tolist()))
    sims = np.where([pair in paired for pair in found], np.maximum(sims, SAME_QUANTITY), sims)
    extra = sorted(paired - set(found))
    if not extra:
        return a, b, sims
    i, j = map(np.array, zip(*extra))
    return np.concatenate([a, i]), np.concatenate([b, j]), np.concatenate([sims, np.full(len(i), SAME_QUANTITY)])


def qualifier_divergences(sources, facts) -> list[Divergence]:
    """ "No formal ban" in one source, "her 18-month-long ban" in another."""
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


PHASE_SHARED = 3  # content words two steps of a staged change share to be one step
PHASE_OVERLAP = 0.6  # ... as a share of the shorter step's words


def phase_divergences(sources: list[Source], facts: list[SourceFacts]) -> list[Divergence]:
    """One step of a staged change set for different years by different sources: "night crossings banned by
    2028" against "From 2027 night crossings … banned". Steps are one when they share `PHASE_SHARED` content
    words, most of the shorter one's; a source that also sets the step for the other's year, as closely worded,
    agrees with it (one that sets it for two years, in its key points and its text, is a side of each). Each year
    is a side citing every source that gives it."""
    by_id = {s.id: s for s in sources}
    phases = [(f.source, p, frozenset(p.terms)) for f in facts for p in f.phases]
    by_term: dict[str, list[int]] = defaultdict(list)
    for k, (_, _, terms) in enumerate(phases):
        for term in terms:
            by_term[term].append(k)

    near = [sorted({k for t in terms for k in by_term[t] if k != i}) for i, (_, _, terms) in enumerate(phases)]

    def overlap(i: int, j: int) -> float:
        a, b = phases[i][2], phases[j][2]
        shared = len(a & b)
        return shared / min(len(a), len(b)) if shared >= PHASE_SHARED else 0.0

    def also_sets(i: int, j: int, score: float) -> bool:
        """The source of j sets i's step for i's year, as closely worded as j."""
        return any(
            phases[x][0] == phases[j][0] and phases[x][1].year == phases[i][1].year and overlap(i, x) >= score
            for x in near[i]
        )

    groups = UnionFind()
    for i, (source, phase, _) in enumerate(phases):
        for j in near[i]:
            if j < i or phases[j][0] == source or phases[j][1].year == phase.year:
                continue
            score = overlap(i, j)
            if score >= PHASE_OVERLAP and not also_sets(i, j, score):
                groups.union(i, j)
    out = []
    for group in groups.groups():
        by_year: dict[int, list[tuple[str, Phase]]] = defaultdict(list)
        for k in group:
            by_year[phases[k][1].year].append((phases[k][0], phases[k][1]))
        positions = []
        for _, said in sorted(by_year.items()):
            first_source, first = said[0]
            evidence = [Span(src, p.start, p.end) for src, p in said]
            positions.append(Statement(by_id[first_source].text[first.start : first.end], evidence))
        out.append(Divergence(about="when it applies", positions=positions))
    return out


VERDICT_SHARED = 2  # content words two verdicts' sentences (with the sentence before each) share: one subject


def verdict_divergences(sources: list[Source], facts: list[SourceFacts]) -> list[Divergence]:
    """Opposite verdicts on one subject by different sources: "anchoring there is held to be illegal" against
    "the bylaws do not outlaw it" (`contrasts.yml` `verdicts`). The subject is one when the two sentences, each
    with the sentence before it, share `VERDICT_SHARED` content words."""
    by_id = {s.id: s for s in sources}
    found: dict[str, dict[bool, list[tuple[str, Sentence, set[str]]]]] = defaultdict(lambda: {True: [], False: []})
    for f in facts:
        for v in f.verdicts:
            sentence = f.sentences[v.sentence]
            context = set(sentence.terms) | (set(f.sentences[v.sentence - 1].terms) if v.sentence else set())
            found[v.name][v.holds].append((f.source, sentence, context))
    out = []
    for name, sides in sorted(found.items()):
        pairs = [
            (a, b) for a in sides[True] for b in sides[False] if a[0] != b[0] and len(a[2] & b[2]) >= VERDICT_SHARED
        ]
        if not pairs:
            continue
        positions = []
        for side in (0, 1):
            said = sorted({(p[side][0], p[side][1].index): p[side][1] for p in pairs}.items())
            first = said[0][1]
            evidence = [Span(s.source, s.start, s.end) for _, s in said]
            positions.append(Statement(by_id[first.source].text[first.start : first.end], evidence))
        out.append(Divergence(about=f"whether it is {name}", positions=positions))
    return out


SHOWN_SAME = 0.5  # share of the shorter text's words two texts shown share: one text, however cut


def shown_divergences(sources: list[Source], facts: list[SourceFacts]) -> list[Divergence]:
    """One thing said to show different text by different sources: "the site shows the words 'Back soon'"
    against "anyone opening the site reads this notice: 'Closed for good'". The thing is one when the sentences share a
    definite noun ("the site"); the texts differ when they share under `SHOWN_SAME` of their words."""
    by_id = {s.id: s for s in sources}
    items = [(f.source, x, f.sentences[x.sentence]) for f in facts for x in f.shown]
    words = [set(_words(by_id[src].text[x.start : x.end])) for src, x, _ in items]
    groups = UnionFind()
    for i, (source_a, a, _) in enumerate(items):
        for j in range(i + 1, len(items)):
            source_b, b, _ = items[j]
            shared = len(words[i] & words[j]) / max(1, min(len(words[i]), len(words[j])))
            if source_a != source_b and shared < SHOWN_SAME and set(a.carriers) & set(b.carriers):
                groups.union(i, j)
    out = []
    for group in groups.groups():
        texts: list[list[int]] = []  # the group's members, one list per text shown
        for k in group:
            same = next((t for t in texts if len(words[t[0]] & words[k]) >= SHOWN_SAME * len(words[k])), None)
            if same is None:
                texts.append([k])
            else:
                same.append(k)
        if len(texts) < 2 or len({items[k][0] for k in group}) < 2:
            continue
        positions = []
        for members in texts:
            source, first, _ = items[members[0]]
            evidence = []
            for k in members:  # the sentence, and the text shown when it stands after it
                src, shown, sentence = items[k]
                evidence.append(Span(src, sentence.start, sentence.end))
                if shown.start >= sentence.end:
                    evidence.append(Span(src, shown.start, shown.end))
            positions.append(Statement(by_id[source].text[first.start : first.end], evidence))
        carriers = Counter(c for k in group for c in items[k][1].carriers)
        carrier = min(carriers, key=lambda c: (-carriers[c], c))
        out.append(Divergence(about=f"what the {carrier} showed", positions=positions))
    return out


SAME_SENTENCE = 0.5  # cosine of two sentences that tell one thing, word for word but for a word or two
CONTRAST_SHARED = 4  # content words the two share besides the opposite pair


@lru_cache(maxsize=1)
def opposites() -> dict[str, frozenset[str]]:
    """Each lemma of `data/contrasts.yml` with its opposites."""
    found: dict[str, set[str]] = defaultdict(set)
    for a, b in package_data("contrasts.yml")["opposites"]:
        found[a].add(b)
        found[b].add(a)
    return {word: frozenset(others) for word, others in found.items()}


def contrast_divergences(sources: list[Source], facts: list[SourceFacts], vectors: Vectors) -> list[Divergence]:
    """One sentence told by two sources with a word swapped for its opposite: "the board has raised the
    fares" against "the board has lowered the fares". Only sentences holding such a word are compared; the pair
    must share `CONTRAST_SHARED` other content words and read alike as a whole; each side cites every source that
    has its wording of the sentence."""
    by_id = {s.id: s for s in sources}
    words = opposites()
    copies: dict[str, list[Sentence]] = defaultdict(list)  # each wording once, with every source that has it
    for f in facts:
        for s in f.sentences:
            if s.informative and s.quote_share <= 0.5 and not words.keys().isdisjoint(s.terms):
                copies[s.text].append(s)
    candidates = [group[0] for group in copies.values()]
    if len(candidates) < 2:
        return []
    pairs = similar_pairs(vectors.of(candidates), SAME_SENTENCE)
    found: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)  # (word, opposite) -> wordings
    for i, j, _ in pairs:
        a, b = candidates[i], candidates[j]
        terms_a, terms_b = set(a.terms), set(b.terms)
        if len(terms_a & terms_b) < CONTRAST_SHARED:
            continue
        for x in sorted((terms_a - terms_b) & words.keys()):
            y = next((y for y in sorted(words[x] & (terms_b - terms_a))), None)
            if y is not None:
                if {c.source for c in copies[a.text] + copies[b.text]} - {c.source for c in copies[a.text]}:
                    found[(x, y) if x < y else (y, x)].append((a.text, b.text) if x < y else (b.text, a.text))
                break
    out = []
    for (x, y), pairs_found in sorted(found.items()):
        positions, shown = [], []
        for side, lemma in ((0, x), (1, y)):
            said = sorted({(c.source, c.index): c for p in pairs_found for c in copies[p[side]]}.items())
            first = said[0][1]
            evidence = [Span(s.source, s.start, s.end) for _, s in said]
            positions.append(Statement(by_id[first.source].text[first.start : first.end], evidence))
            word = re.search(rf"\b{re.escape(lemma[:4])}\w*", first.text, re.I)  # the word as written
            shown.append(word.group(0).lower() if word else lemma)
        out.append(Divergence(about=f"“{shown[0]}” or “{shown[1]}”", positions=positions))
    return out


SPEAKER_QUOTE_WORDS = 12  # how much of the quote names it in the divergence's one line


PRONOUNS = frozenset({*PRONOUN_GENDER, "they", "i", "we"})


def speaker_divergences(sources: list[Source], quotes: list[Quote], people: list[Person]) -> list[Divergence]:
    """The same quote given to different named speakers by different sources: one position per speaker, citing
    the quote and the words naming its speaker in each source (the name the source gives them, for a "he")."""
    named = {p.id for p in people if not p.anonymous and p.kind == "person"}
    people_by_id = {p.id: p for p in people}
    by_id = {s.id: s for s in sources}
    order = {s.id: i for i, s in enumerate(sources)}
    clusters: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        if q.cluster and q.speaker in named and q.speaker_start is not None and q.speaker_end is not None:
            clusters[q.cluster].append(q)
    out = []
    for _, members in sorted(clusters.items()):
        speakers = {q.speaker for q in members}
        if len(speakers) < 2 or len({q.source for q in members}) < 2:
            continue
        positions = []
        first_said = {who: min((order[q.source], q.start) for q in members if q.speaker == who) for who in speakers}
        for speaker in sorted(speakers, key=first_said.__getitem__):  # in the order of the sources
            said = [q for q in members if q.speaker == speaker]
            first = said[0]
            evidence = [
                Span(q.source, min(q.start, q.speaker_start or q.start), max(q.end, q.speaker_end or q.end))
                for q in said
            ]
            named_at = by_id[first.source].text[first.speaker_start or first.start : first.speaker_end or first.end]
            if named_at.lower() in PRONOUNS:  # "he said": the person's name where the source gives it
                person = people_by_id[first.speaker or ""]
                for name in sorted({person.name, *person.aliases}, key=lambda n: (-len(n), n)):
                    text = by_id[first.source].text
                    at = re.search(rf"\b{re.escape(name)}\b", text)
                    if at:
                        named_at = at.group(0)
                        evidence.append(Span(first.source, at.start(), at.end()))
                        break
            positions.append(Statement(named_at, evidence))
        words = members[0].text.split()
        quoted = " ".join(words[:SPEAKER_QUOTE_WORDS]) + ("…" if len(words) > SPEAKER_QUOTE_WORDS else "")
        out.append(Divergence(about=f"who said “{quoted}”", positions=positions))
    return out


WORDINGS_COMPARED = 30  # wordings of one quote compared pairwise at most
WORDING_MIN_SHARED = 0.6  # of the shorter quote's words the two wordings share, in order: one quote, reworded


def wording_divergences(sources: list[Source], quotes: list[Quote], people: list[Person]) -> list[Divergence]:
    """One quote given in different words by different outlets ("we will not sell" against "nobody here will
    sell"): full quotes of one cluster, given to the same speaker, that share most of their words in order but
    put other words in their place, words that say something on both sides or a negation on either.
    Truncations, words left out, punctuation, case, function words ("to" for "on") and numbers written out
    ("Twenty" for "20") are not a difference."""
    from difflib import SequenceMatcher

    names = {p.id: p.name for p in people}
    by_id = {s.id: s for s in sources}
    order = {s.id: i for i, s in enumerate(sources)}
    clusters: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        if q.cluster and not q.partial:
            clusters[q.cluster].append(q)
    out = []
    for _, members in sorted(clusters.items()):
        if len({q.source for q in members}) < 2 or len({q.speaker for q in members}) != 1:
            continue
        wordings: dict[tuple[str, ...], list[Quote]] = defaultdict(list)
        for q in members:
            wordings[tuple(_words(q.text))].append(q)
        if len(wordings) < 2:
            continue
        found: list[tuple[int, int]] = []
        # the wordings most outlets carry: a quote reworded in hundreds of reports is compared in its main forms
        keys = sorted(wordings, key=lambda w: -len({q.source for q in wordings[w]}))[:WORDINGS_COMPARED]
        alike = UnionFind(range(len(keys)))  # wordings that differ only as the rules above allow: one side
        for x in range(len(keys)):
            for y in range(x + 1, len(keys)):
                a, b = keys[x], keys[y]
                matcher = SequenceMatcher(None, a, b, autojunk=False)
                blocks = [block for block in matcher.get_matching_blocks() if block.size]
                if not blocks or sum(block.size for block in blocks) < WORDING_MIN_SHARED * min(len(a), len(b)):
                    continue
                lo = (blocks[0].a, blocks[0].b)
                hi = (blocks[-1].a + blocks[-1].size, blocks[-1].b + blocks[-1].size)
                for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                    if tag != "replace" or i1 < lo[0] or i2 > hi[0] or j1 < lo[1] or j2 > hi[1]:
                        continue  # the ends (one outlet quotes more of it) and words left out inside it
                    left, right = a[i1:i2], b[j1:j2]
                    if (_substantive(left) and _substantive(right)) or NEGATIONS & set(left + right):
                        found.append((x, y))
                        break
                else:
                    alike.union(x, y)
        sides: dict[int, list[Quote]] = defaultdict(list)
        for k in sorted({k for pair in found for k in pair}):
            sides[alike.find(k)].extend(wordings[keys[k]])
        if len(sides) < 2 or len({q.source for said in sides.values() for q in said}) < 2:
            continue
        positions = []
        for said in sorted(sides.values(), key=lambda said: min((order[q.source], q.start) for q in said)):
            said = sorted(said, key=lambda q: (order[q.source], q.start))
            first = said[0]
            positions.append(
                Statement(
                    by_id[first.source].text[first.start : first.end], [Span(q.source, q.start, q.end) for q in said]
                )
            )
        speaker = names.get(members[0].speaker or "", "")
        out.append(
            Divergence(
                about=f"the words of {speaker}’s quote" if speaker else "the words of one quote", positions=positions
            )
        )
    return out


FUNCTION_WORDS = frozenset(
    "a an the to on of in at for and or but with by from as that this these those is are was were be been it its "
    "we you they he she i me us our your their his her them".split()
)


def _substantive(words: tuple[str, ...]) -> bool:
    """Words that say something: not only numbers ("20" for "twenty") or function words ("to" for "on")."""
    return any(w not in FUNCTION_WORDS and w not in NUMBER_WORDS and not w.isdigit() for w in words)


def _words(text: str) -> list[str]:
    return normalise(text).replace("'", "").split()


def find_divergences(
    sources: list[Source],
    facts: list[SourceFacts],
    vectors: Vectors,
    quotes: list[Quote],
    people: list[Person],
) -> list[Divergence]:
    index, matrix = vectors.row, vectors.fitted
    return (
        figure_divergences(sources, facts, vectors, index, matrix)
        + period_divergences(sources, facts, vectors)
        + date_divergences(sources, facts, vectors)
        + phase_divergences(sources, facts)
        + verdict_divergences(sources, facts)
        + shown_divergences(sources, facts)
        + qualifier_divergences(sources, facts)
        + contrast_divergences(sources, facts, vectors)
        + speaker_divergences(sources, quotes, people)
        + wording_divergences(sources, quotes, people)
    )
