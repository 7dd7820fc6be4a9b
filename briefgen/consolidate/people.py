"""People across sources: one person per human (aliases, spelling variants, accents merged), plus speaking
organisations and anonymous speakers; and the person id behind every quote's speaker."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from rapidfuzz import fuzz

from briefgen.config import slugify
from briefgen.extract import SourceFacts
from briefgen.extract.people import first_name_gender, fold_name, lexicon, same_surname
from briefgen.extract.speakers import Speaker
from briefgen.structure import Person

NOT_PERSON_LABELS = {"ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}


def name_parts(name: str) -> list[str]:
    parts = fold_name(name).split()
    suffixes = lexicon()["name_suffixes"]
    while len(parts) > 1 and parts[-1] in suffixes:
        parts.pop()
    return parts


def compatible_given(a: list[str], b: list[str]) -> bool:
    """First names agree: equal, an initial of the other, or a spelling variant; or one name is the other's
    double surname ("Solano Ruiz" of "Marta Solano Ruiz")."""
    short, long = sorted((a, b), key=len)
    if 1 < len(short) < len(long) and long[-len(short) :] == short:
        return True
    x, y = a[0], b[0]
    return x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)) or fuzz.ratio(x, y) >= 85


@dataclass
class Cluster:
    forms: Counter = field(default_factory=Counter)  # surface name -> count
    roles: Counter = field(default_factory=Counter)
    mentions: Counter = field(default_factory=Counter)  # source id -> count
    parts: list[str] = field(default_factory=list)  # folded parts of the fullest name
    titles: Counter = field(default_factory=Counter)  # honorifics written before the name ("Ms")

    @property
    def surname(self) -> str:
        return self.parts[-1]


class Form(NamedTuple):
    """A name as one source gives it. `key` is the article's own full name for a surname standing alone; `known`:
    quoted, titled ("Ms Kit") or listed among other names, so a single name may be a person of its own."""

    source: str
    key: str
    surface: str
    role: str | None
    spoke: bool
    known: bool
    title: str | None


class PeopleIndex:
    """Merges names across sources and answers "which person is this speaker?"."""

    def __init__(self, facts: list[SourceFacts]):
        self.facts = facts
        self.person_votes: Counter = Counter()
        self.other_votes: Counter = Counter()
        for f in facts:
            for (text, label), n in f.entity_labels.items():
                if label == "PERSON":
                    self.person_votes[text] += n
                elif label in NOT_PERSON_LABELS:
                    self.other_votes[text] += n
        self.clusters: list[Cluster] = []
        self.by_surname: dict[str, list[int]] = defaultdict(list)  # folded surname -> cluster indexes
        self.by_initial: dict[str, set[str]] = defaultdict(set)  # first letter -> folded surnames
        self.local: dict[tuple[str, str], int] = {}  # (source, surface name) -> cluster index
        self.in_source: dict[str, set[int]] = defaultdict(set)  # source -> cluster indexes named in it
        self._memo: dict[str, list[int]] = {}  # surname -> _surname_matches, while there are _memo_size clusters
        self._memo_size = 0
        self._build()

    def _place(self, source: str, name: str, index: int) -> None:
        self.local[(source, name)] = index
        self.in_source[source].add(index)

    def is_elsewhere_not_a_person(self, name: str) -> bool:
        folded = fold_name(name)
        return self.other_votes[folded] > self.person_votes[folded]

    def _build(self) -> None:
        forms: list[Form] = []
        for f in self.facts:
            for m in f.mentions:
                known = m.gender_from_title or m.listed_with is not None
                forms.append(Form(f.source, m.person, m.name, m.role, False, known, m.title))
            for sp in f.speakers:
                if sp is not None and sp.kind == "person":
                    forms.append(Form(f.source, sp.name, sp.name, None, True, True, None))
        full = [x for x in forms if len(name_parts(x.key)) > 1 and not self.is_elsewhere_not_a_person(x.key)]
        # fullest names first, so clusters are seeded by the most complete form
        for x in sorted(full, key=lambda x: (-len(name_parts(x.key)), x.key, x.source)):
            parts = name_parts(x.key)
            index = self._find(parts)
            if index is None:
                self.clusters.append(Cluster(parts=parts))
                index = len(self.clusters) - 1
                self.by_surname[parts[-1]].append(index)
                self.by_initial[parts[-1][:1]].add(parts[-1])
            self._place(x.source, x.key, index)
        # names said with a role or title, quoted or listed among names first: a single name ("the band's drummer
        # Kit", "Ms Kit") is then a person wherever it stands, in whatever order the sources come
        for x in sorted(forms, key=lambda x: not (x.role or x.known)):
            parts = name_parts(x.key)
            if not parts:
                continue
            index = self.local.get((x.source, x.key))
            if index is None and len(parts) == 1:
                index = self._single(x.source, parts[0], x.known or bool(x.role), x.key)
            if index is None:
                continue
            self._place(x.source, x.key, index)
            self._place(x.source, x.surface, index)
            cluster = self.clusters[index]
            if not x.spoke:
                cluster.forms[x.surface] += 1
                cluster.mentions[x.source] += 1
                if x.role:
                    cluster.roles[x.role] += 1
                if x.title:
                    cluster.titles[x.title] += 1
            elif x.surface not in cluster.forms:
                cluster.forms[x.surface] += 0

    def _surname_matches(self, surname: str) -> list[int]:
        """Clusters whose surname is this one or a spelling variant of it (same first letter, similar length).
        Remembered until a cluster is added: a name recurs across the sources far more often than clusters grow."""
        if self._memo_size != len(self.clusters):
            self._memo.clear()
            self._memo_size = len(self.clusters)
        found = self._memo.get(surname)
        if found is None:
            found = list(self.by_surname.get(surname, []))
            for other in self.by_initial.get(surname[:1], ()):
                if other != surname and abs(len(other) - len(surname)) <= 2 and same_surname(surname, other):
                    found.extend(self.by_surname[other])
            found = self._memo[surname] = sorted(found)
        return found

    def _find(self, parts: list[str]) -> int | None:
        for index in self._surname_matches(parts[-1]):
            if compatible_given(parts, self.clusters[index].parts):
                return index
        return None

    def _single(self, source: str, word: str, known: bool, name: str) -> int | None:
        """A surname alone: the person of that surname named in this source, else the only one anywhere; one of
        their own for a single name never given in full that is quoted, titled, listed among names or given a role
        ("the band's drummer Kit", "Ms Kit"); whether that one is a person `merge_people` decides."""
        matches = self._surname_matches(word)
        if len(matches) > 1:
            here = self.in_source[source] & set(matches)
            matches = sorted(here) if len(here) == 1 else []
        if len(matches) == 1:
            return matches[0]
        if not matches and known and not self.is_elsewhere_not_a_person(name):
            # someone known by one name only, never named in full: a person of their own
            self.clusters.append(Cluster(parts=[word]))
            self.by_surname[word].append(len(self.clusters) - 1)
            self.by_initial[word[:1]].add(word)
            return len(self.clusters) - 1
        return None

    def find(self, name: str) -> int | None:
        """The person of a full name (two or more parts) named anywhere, if any."""
        parts = name_parts(name)
        return self._find(parts) if len(parts) > 1 else None

    def person_of(self, source: str, name: str) -> int | None:
        return self.local.get((source, name))


def _best(counter: Counter) -> str | None:
    if not counter:
        return None
    by_fold: dict[str, list[str]] = defaultdict(list)
    totals: Counter = Counter()
    for text, n in counter.items():
        key = fold_name(text).replace("u s ", "us ")
        by_fold[key].append(text)
        totals[key] += n
    top = sorted(totals, key=lambda k: (-totals[k], -len(k), k))[0]
    return sorted(by_fold[top], key=lambda t: (-counter[t], -sum(c.isupper() for c in t), t))[0]


def canonical(cluster: Cluster) -> str:
    forms = [f for f in cluster.forms if len(name_parts(f)) == len(cluster.parts)] or list(cluster.forms)
    # on a tie, the spelling with accents: "Dragoș" carries what "Dragos" lost
    return sorted(forms, key=lambda f: (-cluster.forms[f], -sum(ord(c) > 127 for c in f), -len(f), f))[0]


def label_key(label: str) -> str:
    return fold_name(label.replace(".", ""))


def merge_people(facts: list[SourceFacts], texts: Sequence[str] = ()) -> tuple[list[Person], dict[str, str | None]]:
    """People (named, organisations that speak, anonymous speakers) and quote id -> person id. `texts`: the
    sources' cleaned texts, where a single name written after "the" ("the Kits") shows a band or a company."""
    index = PeopleIndex(facts)
    people: list[Person] = []
    ids: set[str] = set()

    def new_id(name: str, prefix: str = "") -> str:
        base = prefix + (slugify(name) or "person")
        ident, n = base, 2
        while ident in ids:
            ident, n = f"{base}-{n}", n + 1
        ids.add(ident)
        return ident

    cluster_ids: dict[int, str] = {}

    def person_like(i: int | None) -> bool:
        """Quoted, titled, given a role, named twice or by a known first name: not a company or a place."""
        if i is None or not index.clusters[i].forms:
            return False
        cluster = index.clusters[i]
        return (
            i in spoke
            or i in titled
            or bool(cluster.roles)
            or sum(cluster.mentions.values()) >= 2
            or first_name_gender(canonical(cluster)) is not None
        )

    spoke = {
        index.person_of(f.source, sp.name) for f in facts for sp in f.speakers if sp is not None and sp.kind == "person"
    }
    titled = {
        index.person_of(f.source, m.person) for f in facts for m in f.mentions if m.gender_from_title or m.introduced
    }
    # a name in a list whose first name is a person's ("Jo Bloggs, Ann Lee and Tom Berg") is a person's too
    listed = {
        index.person_of(f.source, m.person): index.person_of(f.source, m.listed_with)
        for f in facts
        for m in f.mentions
        if m.listed_with
    }
    order = sorted(
        range(len(index.clusters)), key=lambda i: canonical(index.clusters[i]) if index.clusters[i].forms else ""
    )
    for i in order:
        cluster = index.clusters[i]
        if not cluster.forms:
            continue
        if not person_like(i) and not person_like(listed.get(i)):
            continue  # named once, never quoted, no role, title, initial, nationality or known first name: a company?
        name = canonical(cluster)
        if len(cluster.parts) == 1 and cluster.titles:
            name = f"{_best(cluster.titles)} {name}"  # never named in full: "Ms Kit", as the articles call her
        person = Person(
            id=new_id(name),
            name=name,
            role=_best(cluster.roles),
            aliases=sorted(f for f in cluster.forms if f != name),
            mentions=dict(cluster.mentions),
        )
        cluster_ids[i] = person.id
        people.append(person)

    speakers_of: dict[str, str | None] = {}
    groups: dict[tuple[str, str], Person] = {}
    for f in facts:
        for quote, speaker in zip(f.quotes, f.speakers):
            pid = None
            if speaker is not None and speaker.kind == "person":
                cluster = index.person_of(f.source, speaker.name)
                pid = cluster_ids.get(cluster) if cluster is not None else None
            elif speaker is not None:
                # an organisation to the recogniser here ("said Portside's Jo Bloggs") that is a person named elsewhere
                known = index.find(speaker.name) if speaker.kind == "organisation" else None
                pid = cluster_ids.get(known) if known is not None else None
                pid = pid or _group(speaker, f.source, groups, people, new_id).id
            speakers_of[quote.id] = pid
    by_id = {p.id: p for p in people}
    gendered = {m.person for f in facts for m in f.mentions if m.gender}
    for i, cluster in enumerate(index.clusters):
        if (
            len(cluster.parts) == 1
            and not cluster.roles
            and gendered.isdisjoint(cluster.forms)
            and (listed.get(i) in (None, i) or not person_like(listed.get(i)) or with_article(cluster.forms, texts))
        ):
            # one name only, never in full, never "Mr"/"Ms" nor "the singer", nor listed among people without "the"
            # ("Jo Bloggs, Kit and Ms Lee", not "the Kits"): far more often a company or a band than a person
            if i in cluster_ids and by_id[cluster_ids[i]].kind == "person":
                by_id[cluster_ids[i]].kind = "organisation"
    for f in facts:
        for quote in f.quotes:
            pid = speakers_of.get(quote.id)
            if pid:
                by_id[pid].quotes.append(quote.id)
    people.sort(key=lambda p: (p.anonymous, fold_name(p.name), p.id))
    return people, speakers_of


def with_article(names, texts) -> bool:
    """One of the names is written after "the" in one of the texts ("the Kits")."""
    pattern = re.compile(r"\b[Tt]he\s+(?:%s)\b" % "|".join(re.escape(n) for n in names))
    return any(pattern.search(t) for t in texts)


def _group(speaker: Speaker, source: str, groups: dict, people: list[Person], new_id) -> Person:
    """Organisations that speak and anonymous speakers, merged by their folded name or label."""
    kind = speaker.kind
    name = speaker.name
    if kind == "organisation" and name.lower().startswith("the "):
        name = name[4:]
    key = (kind, label_key(name))
    person = groups.get(key)
    if person is None:
        anonymous = kind == "anonymous"
        person = Person(id=new_id(name, "anon-" if anonymous else ""), name=name, anonymous=anonymous, kind=kind)
        groups[key] = person
        people.append(person)
    person.mentions[source] = person.mentions.get(source, 0) + 1
    return person


def unify_anonymous(quotes, people: list[Person]) -> list[Person]:
    """One wire quote carried as "a US official" and "one official": the same unnamed speaker, the fuller label."""
    by_id = {p.id: p for p in people}
    clusters: dict[str, list] = defaultdict(list)
    for q in quotes:
        clusters[q.cluster].append(q)
    for members in clusters.values():
        anonymous = sorted({q.speaker for q in members if q.speaker and by_id[q.speaker].anonymous})
        if len(anonymous) < 2:
            continue
        labels = {pid: fold_name(by_id[pid].name.replace(".", "")).split() for pid in anonymous}
        fullest = max(anonymous, key=lambda pid: (len(labels[pid]), pid))
        for pid in anonymous:
            words = labels[pid]
            if pid != fullest and words[-1] == labels[fullest][-1] and set(words) <= set(labels[fullest]):
                for q in members:
                    if q.speaker == pid:
                        q.speaker = fullest
    spoken: dict[str, list] = defaultdict(list)
    for q in quotes:
        spoken[q.speaker].append(q)
    for p in people:
        p.quotes = [q.id for q in spoken[p.id]]
        if p.anonymous or p.kind != "person":
            p.mentions = dict(Counter(q.source for q in spoken[p.id])) or p.mentions
    return [p for p in people if p.quotes or not (p.anonymous or p.kind != "person")]
