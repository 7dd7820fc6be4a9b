"""People: person mentions in one Doc, with roles from titles and appositives and gender evidence for pronouns."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import takewhile
from typing import TYPE_CHECKING

from briefgen.config import package_data
from briefgen.extract.doctext import doc_ents, doc_sents, doc_text, doc_tokens, sent_of

if TYPE_CHECKING:  # spaCy is imported where documents are parsed, not wherever facts are read
    from spacy.tokens import Doc, Span, Token


@lru_cache(maxsize=1)
def lexicon() -> dict[str, frozenset[str]]:
    data = package_data("attribution.yml")
    names = package_data("first_names.yml")
    out = {key: frozenset(str(v).lower() for v in values) for key, values in data.items()}
    out["male_names"] = frozenset(names["male"])
    out["female_names"] = frozenset(names["female"])
    return out


@dataclass
class Mention:
    """A person's name as it stands in the text (honorifics and possessive 's outside the span)."""

    name: str
    start: int
    end: int
    role: str | None = None
    gender: str | None = None  # "m" / "f" from a title here, the first name, or another mention of the person
    subject: int = 0  # 2: subject of its sentence's main verb, 1: of another clause, 0: not a subject
    full: str | None = None  # for a surname alone, the full name it stands for in this article
    gender_from_title: bool = False  # "Mr", "Ms", "spokeswoman" stand before the name here
    introduced: bool = False  # written as only a person's name is: with an initial or after a nationality
    listed_with: str | None = None  # a name of a list of names this one stands in, the first if it is one
    title: str | None = None  # the honorific written right before the name here ("Ms" of "Ms Lee")
    modifier: bool = False  # part of a longer name ("the Nobel Prize", "the Berg report"), not someone in the scene

    @property
    def person(self) -> str:
        """The name that identifies this person within the article."""
        return self.full or self.name


@lru_cache(maxsize=65536)
def fold_name(name: str) -> str:
    """Lower-case ASCII for comparing names: Dragoș = Dragos, Zelenskyy ~ Zelensky is left to fuzzy matching."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", ascii_name.lower()).split())


def strip_name(tokens: list[Token]) -> list[Token]:
    """Drop honorifics, possessive endings, suffixes and punctuation around a name."""
    lex = lexicon()
    while tokens and (
        tokens[0].lower_.rstrip(".") in lex["honorifics"] or tokens[0].is_punct or tokens[0].lower_ in ("the", "a")
    ):
        tokens = tokens[1:]
    while tokens and (
        tokens[-1].lower_ in ("'s", "’s", "'", "’")
        or tokens[-1].is_punct
        or tokens[-1].lower_.rstrip(".") in lex["name_suffixes"]
    ):
        tokens = tokens[:-1]
    return tokens


def looks_like_name(tokens: list[Token]) -> bool:
    lex = lexicon()
    if not tokens or len(tokens) > 5:
        return False
    words = [t.text for t in tokens]
    if any(any(c.isdigit() for c in w) for w in words):
        return False
    if any(t.lower_ in lex["not_person_words"] for t in tokens):
        return False
    # the part after a hyphen may be lower case ("Lee Ji-hoon", "Jean-baptiste")
    after_hyphen = {k for k in range(1, len(tokens)) if tokens[k - 1].text == "-" and not tokens[k - 1].whitespace_}
    capitalised = [
        w for k, w in enumerate(words) if w.lower() not in lex["name_particles"] and w != "-" and k not in after_hyphen
    ]
    if not capitalised or not all(w[0].isupper() for w in capitalised):
        return False
    if any(len(w) > 3 and w.isupper() and "." not in w for w in capitalised):  # ATACMS, NATO (not "F.W."): acronyms
        return False
    return True


def gender_at(tokens_before: list[Token]) -> str | None:
    lex = lexicon()
    for token in tokens_before[-3:]:
        word = token.lower_.rstrip(".")
        if word in lex["male_titles"] or word in lex["male_role_words"]:
            return "m"
        if word in lex["female_titles"] or word in lex["female_role_words"]:
            return "f"
    return None


def role_gender(role: str | None) -> str | None:
    """ "m" or "f" for a role that says it ("Jo Bloggs, the chairman of …"; "spokeswoman Ann Lee")."""
    lex = lexicon()
    words = set(re.findall(r"[a-z]+", (role or "").lower()))
    male, female = bool(words & lex["male_role_words"]), bool(words & lex["female_role_words"])
    return "m" if male and not female else "f" if female and not male else None


def first_name_gender(name: str) -> str | None:
    lex = lexicon()
    parts = fold_name(name).split()
    if len(parts) < 2:
        return None
    first = parts[0]
    if first in lex["male_names"]:
        return "m"
    if first in lex["female_names"]:
        return "f"
    return None


def _has_role_noun(tokens) -> bool:
    roles = lexicon()["role_nouns"]
    return any(
        t.lemma_.lower() in roles
        or t.lower_.rstrip(".") in roles  # "Gen."
        or t.lower_.removesuffix("s") in roles  # "Presidents Jo Bloggs and Ann Lee": a title of two
        or any(part in roles for part in t.lower_.split("-"))
        for t in tokens
    )


def _clean_role(tokens: list[Token]) -> str | None:
    while (
        tokens
        and tokens[0].lower_ != "former"
        and (
            tokens[0].is_punct
            or tokens[0].pos_ in ("ADV", "CCONJ", "DET", "ADP")
            or tokens[0].lower_ in ("the", "a", "an")
        )
    ):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in ("the", "and", "of", "'s", "’s")):
        tokens = tokens[:-1]
    if not tokens or len(tokens) > 10 or not _has_role_noun(tokens):
        return None
    honorific = lexicon()["honorifics"]
    if len(tokens) == 1 and tokens[0].lower_.rstrip(".") in honorific and tokens[0].lower_ in ("mr", "mrs", "ms", "dr"):
        return None
    text = re.sub(r"\s+", " ", tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text)
    return re.sub(r"\b(\w+) \1\b", r"\1", text)  # "Foreign Minister Minister": a doubled word in the copy


def role_of(span: Span) -> str | None:
    """The role a name is given where it stands: title before it, or an appositive either side."""
    doc = span.doc
    root = span.root
    sent_start = sent_of(doc, span.start).start
    # Title before the name, inside the same noun phrase: "Czech Foreign Minister Jan Lipavsky".
    left = [
        t
        for t in doc[max(sent_start, span.start - 8) : span.start]
        if t.head.i >= span.start
        and t.head.i < span.end
        or (t.head.i < span.start and t.head.head.i >= span.start and t.head.head.i < span.end)
    ]
    if left:
        first = min(t.left_edge.i for t in left)
        role = _clean_role([t for t in doc[max(first, sent_start) : span.start] if not t.is_space])
        if role:
            return role
    # "Ines Varga, the mayor's chief of staff," — an appositive after the name.
    for child in root.children:
        if (
            child.dep_ == "appos"
            and child.i >= span.end
            and child.pos_ in ("NOUN", "PROPN")
            and child.ent_type_ != "PERSON"
            and not any(t.ent_type_ == "PERSON" for t in child.subtree)  # "Jo Bloggs, singers Ann Lee and …": a list
        ):
            role = _clean_role([t for t in takewhile(lambda t: t.i < child.i + 10, child.subtree) if t.text != ","])
            if role:
                return role
    # "Norway's foreign minister, Espen Barth Eide," — the name is the appositive of a role.
    if root.dep_ == "appos" and root.head.i < span.start and root.head.pos_ in ("NOUN", "PROPN"):
        head = root.head
        role = _clean_role([t for t in doc[head.left_edge.i : head.i + 1]])
        if role:
            return role
    return None


def is_subject(span: Span) -> int:
    root = span.root
    while root.dep_ in ("appos", "conj", "compound") and root.head is not root:
        if root.dep_ == "compound" and root.head.pos_ == "NOUN":
            return 0  # a name modifying a noun ("the Berg jury chairman said") is not who speaks
        root = root.head  # "Macron and Stoltenberg said", "Norway's minister, Espen Barth Eide, told"
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return 0
    verb = root.head
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    return 2 if verb.dep_ == "ROOT" else 1


def same_surname(a: str, b: str) -> bool:
    """Folded surnames that are the same or spelling variants (Zelensky ~ Zelenskyy)."""
    from rapidfuzz import fuzz

    a, b = fold_name(a), fold_name(b)
    return a == b or (min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 88)


def resolve_within_article(mentions: list[Mention]) -> None:
    """A surname alone stands for the nearest full name before it (else the first after); genders are pooled
    per person, from titles ("Mr", "spokeswoman") and first names."""
    by_surname: dict[str, list[Mention]] = {}  # full names by their last word, in text order
    for f in sorted((m for m in mentions if len(m.name.split()) > 1), key=lambda f: f.start):
        by_surname.setdefault(f.name.split()[-1], []).append(f)
    starts = {surname: [f.start for f in group] for surname, group in by_surname.items()}
    matching: dict[str, list[str]] = {}  # a lone name -> the surnames it may stand for (each pair compared once)
    for m in mentions:
        words = m.name.split()
        if len(words) > 1:  # a double surname alone ("Solano Ruiz" of "Marta Solano Ruiz")
            fuller = [f for f in by_surname.get(words[-1], []) if f.name.split()[-len(words) :] == words]
            fuller = [f for f in fuller if len(f.name.split()) > len(words)]
            if fuller:
                m.full = max((f for f in fuller if f.start < m.start), key=lambda f: f.start, default=fuller[0]).name
            continue
        if m.name not in matching:
            matching[m.name] = [s for s in by_surname if same_surname(s, m.name)]
        before: Mention | None = None
        after: Mention | None = None
        for surname in matching[m.name]:
            at = bisect.bisect_left(starts[surname], m.start)
            if at and (before is None or by_surname[surname][at - 1].start > before.start):
                before = by_surname[surname][at - 1]
            if after is None or by_surname[surname][0].start < after.start:
                after = by_surname[surname][0]
        pick = before or after
        m.full = pick.name if pick else None
    votes: dict[str, set[str]] = {}
    for m in mentions:
        for g in (m.gender, first_name_gender(m.person)):
            if g:
                votes.setdefault(m.person, set()).add(g)
    for m in mentions:
        found = votes.get(m.person, set())
        m.gender = next(iter(found)) if len(found) == 1 else None


def mislabelled_person(ent: Span) -> bool:
    """A name the entity recogniser labelled otherwise (an organisation, a place) that the sentence calls a
    person: two to four capitalised proper nouns with a person's role as a title right before them ("former
    President Ramiro Quispe") or as the head of their apposition ("Ramiro Quispe, the former president")."""
    roles = lexicon()["role_nouns"]
    tokens = list(ent)
    if not 2 <= len(tokens) <= 4 or not all(t.pos_ == "PROPN" for t in tokens) or not looks_like_name(tokens):
        return False
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.lower_ in roles and before.head.i in range(ent.start, ent.end):
        return True
    return any(
        child.dep_ == "appos" and child.i >= ent.end and child.lemma_.lower() in roles for child in ent.root.children
    )


BRAND_HOPS = 4  # how far up the parse a list of brands is looked for


def named_as_brand(ent: Span) -> bool:
    """A name given as an example of brands ("brands such as Jo Bloggs, Ann Lee and …", "its labels include Jo
    Bloggs"): a product line that carries a person's name, not a person."""
    brands = lexicon()["brand_nouns"]
    token = ent.root
    for _ in range(BRAND_HOPS):
        if token.head is token:
            return False
        token = token.head
        if token.pos_ == "NOUN" and token.lemma_.lower() in brands:
            return True
        if token.pos_ in ("VERB", "AUX"):
            return any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in brands for c in token.children)
    return False


def with_given_names(ent: Span) -> Span:
    """An entity with the capitalised proper nouns right before it that no entity claims: "Jorge" of
    "President Jorge Lima" when the recogniser took only "Lima", for a city."""
    doc, start = ent.doc, ent.start
    roles = lexicon()["role_nouns"]
    while start > 0 and ent.end - start < 4:
        before = doc[start - 1]
        if before.pos_ != "PROPN" or before.ent_type_ or not before.text[:1].isupper() or not before.whitespace_:
            break
        if before.lower_ in roles:
            break  # the title, not a name: "President"
        start -= 1
    return doc[start : ent.end] if start < ent.start else ent


def introduced(ent: Span, tokens: list[Token]) -> bool:
    """A name written as a person's is written: with an initial and two more names ("H. Jo Bloggs", "Jo K.
    Bloggs", "J.K. de Bloggs"; a company is "J.K. Bloggs"), after an organisation's possessive ("the band's Jo
    Bloggs") or after a nationality ("Austrian Jo Bloggs", "Israelis Jo Bloggs and Ann Lee")."""
    if len(tokens) > 2 and any(re.fullmatch(r"(?:[A-Z]\.){1,3}", t.text) for t in tokens[:-1]):
        return True
    doc = ent.doc
    if ent.start > 0 and doc[ent.start - 1].tag_ == "POS" and ent.root.dep_ != "poss":
        return True  # "the band's Jo Bloggs": someone of an organisation (not "Jo Bloggs's band")
    head = first_conjunct(ent.root)  # the second of "Israelis Jo Bloggs and Ann Lee"
    first = min(ent.start, head.left_edge.i if head.left_edge.ent_type_ == "NORP" else ent.start)
    if first > 0 and doc[first - 1].ent_type_ == "NORP" or (first < ent.start and doc[first].ent_type_ == "NORP"):
        return True
    # "artists including Jo Bloggs, Ann Lee and …", "singers such as Jo Bloggs"
    prep = head.head if head.dep_ == "pobj" else None
    if prep is not None and prep.lower_ in ("including", "as", "like") and prep.head is not prep:
        holder = prep.head.head if prep.lower_ == "as" and prep.head.lower_ == "such" else prep.head
        return holder.pos_ == "NOUN" and _has_role_noun([holder])
    return False


def listed_names(doc: Doc, mentions: list[Mention], leads: list[tuple[Mention, Token]]) -> list[Mention]:
    """Each name of a list of names is listed with the list's first (else with a name next to it), and a name
    in the list the recogniser missed is a person's when it is a known first name and a surname ("Israelis Jo
    Bloggs and Ann Lee" with only "Ann Lee" tagged)."""
    extra: list[Mention] = []

    def at(token: Token) -> Mention | None:
        return next((x for x in mentions + extra if x.start <= token.idx < x.end), None)

    for m, root in leads:
        first = first_conjunct(root)
        chain = [first, *conjuncts(first)]
        for token in chain:
            if at(token) is None and (tokens := untagged_name(token)) is not None:
                start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
                span = doc[tokens[0].i : token.i + 1]
                extra.append(Mention(name=doc_text(doc)[start:end], start=start, end=end, subject=is_subject(span)))
        named = [x for x in (at(token) for token in chain) if x is not None]
        for x in named:
            if x.listed_with is None:
                x.listed_with = next((y.name for y in named if y is not x), None)
    return extra


def conjuncts(token: Token) -> list[Token]:
    """The names after `token` in its list ("Ann Lee" and "Tom Berg" of "Jo Bloggs, Ann Lee and Tom Berg")."""
    out = []
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ == "PROPN":
            out += [child, *conjuncts(child)]
    return out


def untagged_name(token: Token) -> list[Token] | None:
    """A known first name and a surname (with a middle name or initial) no entity claims, ending at `token`."""
    if token.ent_type_ or token.pos_ != "PROPN":
        return None
    tokens = [token]
    while tokens[0].i > 0 and len(tokens) < 4:
        before = token.doc[tokens[0].i - 1]
        if before.ent_type_ or before.pos_ != "PROPN" or before.head.i != token.i or not before.whitespace_:
            break
        tokens.insert(0, before)
    if len(tokens) < 2 or not looks_like_name(tokens) or lexicon()["role_nouns"] & {t.lower_ for t in tokens}:
        return None
    return tokens if first_name_gender(" ".join(t.text for t in tokens)) else None


def first_conjunct(token: Token) -> Token:
    """The first name of a list of names ("Jo Bloggs, Ann Lee and Tom Berg") that `token` stands in."""
    while token.dep_ == "conj" and token.head is not token and token.head.pos_ == "PROPN":
        token = token.head
    return token


def person_mentions(doc: Doc) -> list[Mention]:
    """PERSON entities that look like names (not places, organisations, weapons or acronyms)."""
    mentions: list[Mention] = []
    leads: list[tuple[Mention, Token]] = []  # a name in a list of names, and the list's first word
    for ent in doc_ents(doc):
        if ent.label_ != "PERSON":
            ent = with_given_names(ent)
            if not mislabelled_person(ent):
                continue
        tokens = strip_name(list(ent))
        if not looks_like_name(tokens) or named_as_brand(ent):
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        before = [t for t in doc[max(0, ent.start - 3) : tokens[0].i]]
        titled = _clean_role([t for t in ent if t.i < tokens[0].i])  # "Archbishop" of "Archbishop Jo Bloggs"
        role = role_of(ent) or titled
        gender = gender_at(before) or role_gender(role)
        honorific = doc[tokens[0].i - 1] if tokens[0].i else None
        if honorific is not None and honorific.lower_.rstrip(".") not in lexicon()["honorifics"]:
            honorific = None
        mentions.append(
            Mention(
                name=doc_text(doc)[start:end],
                start=start,
                end=end,
                role=role,
                introduced=introduced(ent, tokens),
                modifier=ent.root.dep_ == "compound" and not ent.start <= ent.root.head.i < ent.end,
                gender=gender,
                gender_from_title=gender is not None,
                subject=is_subject(ent),
                title=honorific.text if honorific is not None else None,
            )
        )
        if ent.root.dep_ == "conj" or any(c.dep_ == "conj" for c in ent.root.children):
            leads.append((mentions[-1], ent.root))
    mentions += listed_names(doc, mentions, leads)
    mentions = sorted(mentions + surname_mentions(doc, mentions), key=lambda m: m.start)
    resolve_within_article(mentions)
    pronoun_genders(doc, mentions)
    return mentions


PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
PRONOUN_VOTES = 2  # sentences that must refer back to a person with one pronoun, and none with the other


def pronoun_genders(doc: Doc, mentions: list[Mention]) -> None:
    """The gender of a person no title or first name gives, from how the article refers back to them where they
    are the subject and the only person named in a sentence: a subject "she" or "he" later in that sentence or
    opening the next. Taken when it happens `PRONOUN_VOTES` times and the other pronoun never does."""
    if not any(m.gender is None for m in mentions):
        return
    sents = doc_sents(doc)
    starts = [s.start_char for s in sents]
    votes: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    by_sentence: dict[int, set[str]] = {}
    subjects: dict[int, set[str]] = {}
    for m in mentions:
        if m.modifier:
            continue
        k = bisect.bisect_right(starts, m.start) - 1
        by_sentence.setdefault(k, set()).add(m.person)
        if m.subject:
            subjects.setdefault(k, set()).add(m.person)
    for k, people in by_sentence.items():
        if len(people) != 1 or not subjects.get(k):
            continue
        person = next(iter(people))
        after = max(m.end for m in mentions if m.person == person and starts[k] <= m.start < sents[k].end_char)
        # a subject "she" later in the sentence ("Jo Bloggs took the prize, and she thanked …")
        pronouns = [t for t in sents[k] if t.idx >= after and t.lower_ in PRONOUN_GENDER and t.dep_ == "nsubj"]
        if k + 1 < len(sents):  # "But she told …": the subject of the next sentence's main verb
            subject = next(
                (t for t in sents[k + 1] if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"), None
            )
            if subject is not None and subject.lower_ in PRONOUN_GENDER:
                pronouns.append(subject)
        for pronoun in pronouns:
            votes.setdefault(person, set()).add(PRONOUN_GENDER[pronoun.lower_])
            counts[person] = counts.get(person, 0) + 1
    for m in mentions:
        found = votes.get(m.person, set())
        if m.gender is None and len(found) == 1 and counts[m.person] >= PRONOUN_VOTES:
            m.gender = next(iter(found))


def surname_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A surname standing alone that the NER missed ("Stoltenberg reaffirmed…") after the full name was seen."""
    surnames = {m.name.split()[-1] for m in mentions if len(m.name.split()) > 1}
    covered = {i for m in mentions for i in range(m.start, m.end)}
    extra: list[Mention] = []
    for token in doc_tokens(doc) if surnames else []:
        if token.text in surnames and token.idx not in covered and token.pos_ == "PROPN":
            span = doc[token.i : token.i + 1]
            extra.append(
                Mention(
                    name=token.text,
                    start=token.idx,
                    end=token.idx + len(token.text),
                    gender=gender_at(list(doc[max(0, token.i - 3) : token.i])),
                    subject=is_subject(span),
                    modifier=token.dep_ == "compound",
                )
            )
    return extra
