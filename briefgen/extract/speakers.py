"""Speakers: who said each quote, from the clause's own reporting verb, its subject, pronouns and continuations.

A wrong speaker is worse than none, so every rule here prefers to leave a quote unattributed when unsure.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.extract.doctext import doc_ents, doc_sents, doc_text, doc_tokens, sent_of, span_tokens
from briefgen.extract.people import (
    PRONOUN_GENDER,
    Mention,
    first_name_gender,
    lexicon,
    looks_like_name,
    strip_name,
)
from briefgen.extract.quotes import QuoteSpan, end_before_space

if TYPE_CHECKING:  # spaCy is imported where documents are parsed, not wherever facts are read
    from spacy.tokens import Doc, Token

SUBJECT_DEPS = ("nsubj", "nsubjpass")
# A reporting verb without a subject of its own borrows its head's: "…, saying", "and added".
BORROW_DEPS = ("advcl", "xcomp", "conj", "pcomp", "acl")
ORG_LABELS = ("ORG", "GPE", "NORP", "FAC")
RELATIVES = ("that", "which", "who")
NAME_JOINERS = ("of", "on", "for", "and", "the")
LOOKBACK_PARAGRAPHS = 2  # a pronoun speaker is looked for in its own paragraph and the two before
LOOKBACK_SENTENCES = 12  # ... and never further back than this many sentences (one endless paragraph)
LOOKBACK_TOKENS = 400  # an earlier "a council official" is looked for this far back at most
CUE_WINDOW = 1000  # characters either side of a quote where its reporting verb may stand


@dataclass
class Speaker:
    kind: str  # "person", "organisation" or "anonymous"
    name: str  # the person's or organisation's name as written, or the anonymous label ("US official")
    text: str  # the words pointing at the speaker: "he", "a US official", "Blinken"
    start: int
    end: int
    plural: bool = False


class QuoteMask:
    """Character ranges covered by quotes, marks included."""

    def __init__(self, text: str, spans: list[QuoteSpan]):
        self.ranges = sorted((s.open_at, s.close_at if s.close_at is not None else s.end) for s in spans)
        self.starts = [r[0] for r in self.ranges]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.ranges[i][0] <= pos <= self.ranges[i][1]


def is_cue(token: Token) -> bool:
    if token.lower_ == "according":
        return any(c.lower_ == "to" for c in token.children)
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in lexicon()["speech_verbs"]


class Attributor:
    """Attributes every quote of one Doc, in document order (pronouns and continuations look back)."""

    def __init__(self, doc: Doc, spans: list[QuoteSpan], mentions: list[Mention]):
        self.doc = doc
        self.text = doc_text(doc)
        self.spans = spans
        self.mask = QuoteMask(doc_text(doc), spans)
        self.tokens = doc_tokens(doc)
        self.token_starts = [t.idx for t in self.tokens]
        self.sents = doc_sents(doc)
        self.ent_of = {i: ent for ent in doc_ents(doc) for i in range(ent.start, ent.end)}
        self.sent_starts = [s.start for s in self.sents]
        self.paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n+", doc_text(doc))]
        self.mentions = [m for m in mentions if m.start not in self.mask]
        self.mention_starts = [m.start for m in self.mentions]
        self.sent_ends = [s.end_char for s in self.sents]
        self.genders: dict[str, str] = {}  # person -> the gender of their first mention that has one
        self.roles: dict[str, list[tuple[int, str]]] = {}  # word of a role -> (offset, person) of its mentions
        self.current_role: dict[str, bool] = {}  # person -> given a role that is theirs now (not "former …")
        for m in self.mentions:
            if m.gender:
                self.genders.setdefault(m.person, m.gender)
            if m.role and not m.role.lower().startswith(("former", "ex-", "then")):
                self.current_role[m.person] = True
            for word in {w.lower().strip(",.") for w in (m.role or "").replace("-", " ").split()}:
                self.roles.setdefault(word, []).append((m.start, m.person))
        self.history: list[tuple[int, Speaker]] = []  # (offset, speaker) of attributed quotes so far
        self.named: list[tuple[int, int, Speaker]] = []  # (start, order, speaker) of named people found, by start
        self.unnamed: dict[str, Speaker] = {}  # last word of an anonymous label ("official") -> its latest speaker

    # ------------------------------------------------------------ helpers
    def tok(self, pos: int) -> Token:
        return self.tokens[max(0, bisect.bisect_right(self.token_starts, pos) - 1)]

    def sentences(self, span: QuoteSpan):
        first = sent_of(self.doc, self.tok(span.open_at).i)
        end = span.close_at if span.close_at is not None else max(span.start, span.end - 1)
        last = sent_of(self.doc, self.tok(end).i)
        lo = bisect.bisect_left(self.sent_starts, first.start)
        hi = bisect.bisect_right(self.sent_starts, last.start)
        return self.sents[lo:hi]

    def outside(self, token: Token) -> bool:
        return token.idx not in self.mask and not token.is_space

    def paragraph_of(self, pos: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, pos) - 1

    def paragraph_start(self, pos: int, back: int = 0) -> int:
        return self.paragraph_starts[max(0, self.paragraph_of(pos) - back)]

    def lookback_floor(self, pos: int) -> int:
        """How far back an earlier speaker is looked for: two paragraphs, and no more than a dozen sentences."""
        here = max(0, bisect.bisect_right(self.sent_starts, self.tok(pos).i) - 1)
        return max(
            self.paragraph_start(pos, back=LOOKBACK_PARAGRAPHS),
            self.sents[max(0, here - LOOKBACK_SENTENCES)].start_char,
        )

    def gender_of(self, person: str) -> str | None:
        return self.genders.get(person) or first_name_gender(person)

    def window(self, sents, span: QuoteSpan) -> list[Token]:
        """The tokens of `sents` within `CUE_WINDOW` characters of the quote: a reporting verb stands near its
        quote, and an endless sentence must not be read whole for each of its quotes."""
        close = span.close_at if span.close_at is not None else span.end
        lo = max(sents[0].start, self.tok(max(0, span.open_at - CUE_WINDOW)).i)
        hi = min(sents[-1].end, self.tok(close + CUE_WINDOW).i + 1)
        return list(self.doc[lo:hi]) if lo < hi else []

    def mention_at(self, token: Token) -> Mention | None:
        i = bisect.bisect_right(self.mention_starts, token.idx) - 1
        if i >= 0 and self.mentions[i].start <= token.idx < self.mentions[i].end:
            return self.mentions[i]
        return None

    # ------------------------------------------------------------ quote kind
    def is_partial(self, span: QuoteSpan) -> bool:
        """A fragment inside the writer's own sentence, as opposed to a quoted statement."""
        if span.continues or span.continued:
            return False
        para_start = self.paragraph_start(span.open_at)
        end = end_before_space(self.text, span.open_at, para_start)
        if end == para_start or self.text[end - 1] in ':.!?”"’)—–-':
            return False
        if self.text[end - 1] == ",":
            prev = self.tok(end - 1)
            window = [t for t in self.doc[max(0, prev.i - 4) : prev.i] if self.outside(t)]
            return not any(is_cue(t) for t in window)
        last_word = self.tok(end - 1)
        if is_cue(last_word) and self.text[span.start : span.start + 1].isupper():
            return False  # said "We will…"
        return True

    def is_title(self, span: QuoteSpan) -> bool:
        """A short fragment in Title Case ("Fox News Sunday", "The Art of the Deal"): a name or title, not speech."""
        words = re.findall(r"[\w'’-]+", self.text[span.start : span.end])
        if not words or len(words) > 8:
            return False
        content = [w for w in words if len(w) >= 4 or w[0].isupper()]
        return bool(content) and all(w[0].isupper() for w in content)

    def quote_only(self, span: QuoteSpan) -> bool:
        """Nothing but the quote (and punctuation) in its sentence(s)."""
        return not any(self.outside(t) and not t.is_punct for t in self.window(self.sentences(span), span))

    # ------------------------------------------------------------ cues and subjects
    def attribution_after(self, span: QuoteSpan) -> list[Token]:
        """Cues in a short clause that starts right after the closing mark but was split into its own sentence:
        `“…?” Clinton said.`"""
        if span.close_at is None:
            return []
        last = sent_of(self.doc, self.tok(span.close_at).i)
        if last.end >= len(self.doc):
            return []
        nxt = self.sents[bisect.bisect_right(self.sent_starts, last.start)] if last.end < len(self.doc) else None
        if nxt is None:
            return []
        gap = self.text[span.close_at + 1 : nxt.start_char]
        if gap.strip() or "\n" in gap or "\n" in self.text[nxt.start_char : nxt.start_char + 2]:
            return []  # only a clause in the same paragraph, right after the mark
        head = [t for t in nxt if not t.is_space][:6]
        return [t for t in head if self.outside(t) and is_cue(t)]

    def pick_cue(self, span: QuoteSpan, partial: bool) -> Token | None:
        sents = self.sentences(span)
        tokens = self.window(sents, span)
        cues = [t for t in tokens if self.outside(t) and is_cue(t)]
        if not cues and not partial:
            cues = self.attribution_after(span)
        end = end_before_space(self.text, span.open_at)
        if not cues and end and self.text[end - 1] == ":":
            # "X said:" ending the sentence before the quote
            prev = sent_of(self.doc, self.tok(end - 1).i)
            cues = [t for t in prev if self.outside(t) and is_cue(t)]
            return cues[-1] if cues else None
        if not cues:
            return None
        inside = [t for t in tokens if span.start <= t.idx < span.end]
        depth: dict[int, int] = {}  # token index -> how deep it stands in the tree (each worked out once)

        def depth_of(token: Token) -> int:
            path = []
            while token.i not in depth and token.head.i != token.i:
                path.append(token)
                token = token.head
            known = depth.setdefault(token.i, 0)
            for t in reversed(path):
                known += 1
                depth[t.i] = known
            return depth[path[0].i] if path else known

        ancestors: dict[int, Token] = {}  # outside the quote, in the order first met
        seen: set[int] = set()
        for t in inside:
            for a in t.ancestors:
                if a.i in seen:
                    break  # the rest of the way up was walked already
                seen.add(a.i)
                if a.idx not in self.mask:
                    ancestors[a.i] = a
        ordered = sorted(ancestors.values(), key=lambda a: -depth_of(a))  # nearest (deepest) first
        cue_set = {c.i for c in cues}
        inside_set = {t.i for t in inside}
        for a in ordered:
            if a.i in cue_set:
                return a
        for c in cues:
            if c.dep_ in ("parataxis", "ccomp", "advcl") and (c.head.i in ancestors or c.head.i in inside_set):
                return c
        if partial:
            return None  # a fragment whose own clause reports no speech: a scare quote or a title
        close = span.close_at if span.close_at is not None else span.end
        after = [c for c in cues if c.idx > close]
        before = [c for c in cues if c.idx < span.open_at]
        if after:
            return min(after, key=lambda c: c.idx)
        if before:
            return max(before, key=lambda c: c.idx)
        return None

    def subject_of(self, cue: Token, span: QuoteSpan) -> Token | None:
        if cue.lower_ == "according":
            for to in cue.children:
                if to.lower_ == "to":
                    for obj in to.children:
                        if obj.dep_ == "pobj":
                            return obj
            return None
        verb = cue
        for _ in range(3):
            subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.idx not in self.mask]
            if subjects and subjects[0].lower_ in RELATIVES and verb.dep_ == "relcl":
                return verb.head  # "a statement that said: …": the statement
            if subjects:
                return subjects[0]
            if verb.dep_ in BORROW_DEPS and verb.head.i != verb.i and (verb.tag_ == "VBG" or verb.dep_ == "conj"):
                verb = verb.head
                if verb.pos_ == "ADP" and verb.head.i != verb.i:  # "opened the meeting by saying": the verb above
                    verb = verb.head
                continue
            break
        return self.surface_subject(cue, span)

    def surface_subject(self, cue: Token, span: QuoteSpan) -> Token | None:
        """When the parse gives the cue no subject: the name in a verb-free stretch between the closing mark and
        the cue (`"…," Tulsa police Chief Chuck Jordan said`), or right after it (`"…," said Quentin Kidd`)."""
        close = span.close_at if span.close_at is not None else span.end
        if cue.idx < close:
            return None
        between = [t for t in self.doc[self.tok(close).i + 1 : cue.i] if not t.is_space]
        after: list[Token] = []
        for t in self.doc[cue.i + 1 : min(len(self.doc), cue.i + 8)]:
            if t.is_punct or (t.pos_ in ("VERB", "AUX", "ADP", "SCONJ") and not t.text[0].isupper()):
                break
            after.append(t)
        for stretch in (between, after if not [t for t in between if not t.is_punct] else []):
            words = [t for t in stretch if not t.is_punct]
            # a capitalised "verb" in a name stretch is a tagging slip ("Tulsa police Chief …"), not a clause
            if (
                not words
                or len(words) > 10
                or any(t.pos_ in ("VERB", "AUX", "SCONJ") and not t.text[0].isupper() for t in words)
            ):
                continue
            named = [t for t in words if self.mention_at(t) is not None or t.ent_type_ in ORG_LABELS]
            if named:
                return named[-1]
            nouns = [t for t in words if t.pos_ == "NOUN"]
            if nouns:
                return nouns[-1]
        return None

    # ------------------------------------------------------------ speaker from a subject
    def speaker_from(self, subject: Token, span: QuoteSpan) -> Speaker | str | None:
        """A Speaker, or "pronoun"/"document" for the caller to resolve, or None."""
        if subject.idx in self.mask:
            return None
        lower = subject.lower_
        if subject.tag_ in ("WP", "WDT") or lower in ("who", "that"):
            if subject.head.dep_ == "relcl":
                subject = subject.head.head
                lower = subject.lower_
            else:
                return None
        if subject.pos_ == "PRON":
            return "pronoun" if lower in ("he", "she", "they", "it") else None
        mention = self.mention_at(subject)
        if mention is None:
            for child in subject.children:
                if child.dep_ == "appos":
                    mention = self.mention_at(child)
                    if mention:
                        break
        if mention is not None:
            return Speaker("person", mention.person, mention.name, mention.start, mention.end)
        if subject.pos_ == "NOUN" and not subject.ent_type_ and (named := self.title_case_name(subject)):
            return Speaker("organisation", self.text[named[0] : named[1]], self.text[named[0] : named[1]], *named)
        if subject.ent_type_ in ORG_LABELS or subject.pos_ == "PROPN":
            ent = self.ent_of.get(subject.i)
            tokens = (
                list(ent)
                if ent is not None
                else [t for t in subject.subtree if t.dep_ in ("compound", "flat") or t is subject]
            )
            tokens = strip_name(tokens)
            if not tokens:
                return None
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            name = self.text[start:end]
            if subject.ent_type_ == "PERSON" and looks_like_name(tokens):
                return Speaker("person", name, name, start, end)
            if subject.ent_type_ in ORG_LABELS or not looks_like_name(tokens):
                return Speaker("organisation", name, name, start, end)
            return None
        lemma = subject.lemma_.lower()
        lex = lexicon()
        if lemma in lex["document_nouns"]:
            return "document"
        if subject.pos_ != "NOUN" or not (lemma in lex["anonymous_nouns"] or lemma in lex["role_nouns"]):
            return None
        definite = any(t.lower_ in ("the", "this", "that") or t.dep_ == "poss" for t in subject.lefts)
        if definite and subject.tag_ == "NN" and lemma in lex["institution_nouns"]:
            # "the company said" after the company spoke by name
            floor = self.lookback_floor(subject.idx)
            for offset, previous in reversed(self.history):
                if offset < floor:
                    break
                if previous.kind == "organisation":
                    end = subject.idx + len(subject.text)
                    start = self.doc[subject.left_edge.i].idx
                    return Speaker("organisation", previous.name, self.text[start:end], start, end)
        elif definite and subject.tag_ == "NN":
            # "the former secretary said": a known person, or an unnamed speaker already met, or no one
            return self.described(subject)
        return self.anonymous(subject)

    def described(self, head: Token) -> Speaker | None:
        lemma = head.lemma_.lower()
        end = head.idx + len(head.text)
        start = self.doc[head.left_edge.i].idx
        previous = self.unnamed.get(lemma)
        if previous is not None:
            return Speaker("anonymous", previous.name, self.text[start:end], start, end, previous.plural)
        # "A council official, who asked not to be named, said … "…," the official said."
        floor = self.paragraph_start(head.idx, back=LOOKBACK_PARAGRAPHS)
        until = self.tok(start).i
        for token in reversed(self.doc[max(self.tok(floor).i, until - LOOKBACK_TOKENS) : until]):
            if (
                token.lemma_.lower() == lemma
                and token.tag_ == "NN"
                and self.outside(token)
                and any(d.lower_ in ("a", "an", "one") for d in token.lefts)
            ):
                named = self.mention_at(token.head) if token.dep_ == "appos" else None
                if named is not None:  # "Tomas Berg, a Danish analyst, …": the analyst has a name
                    return Speaker("person", named.person, self.text[start:end], start, end)
                earlier = self.anonymous(token)
                return Speaker("anonymous", earlier.name, self.text[start:end], start, end)
        holders = {person for offset, person in self.roles.get(lemma, ()) if offset < head.idx}
        if len(holders) == 1:
            return Speaker("person", holders.pop(), self.text[start:end], start, end)
        if holders:
            return None
        # "… said Jo Bloggs, a former ambassador. … "…," said the analyst.": no one holds that role by name, and
        # of the people named so far only one, already quoted, is given no role of theirs now: the analyst is they
        free = {
            m.person
            for m in self.mentions
            if m.start < start and len(m.person.split()) > 1 and not self.current_role.get(m.person, False)
        }
        quoted = {previous.name for offset, previous in self.history if previous.kind == "person" and offset < start}
        if len(free) == 1 and free <= quoted and not self.unnamed:
            return Speaker("person", free.pop(), self.text[start:end], start, end)
        return None

    def title_case_name(self, head: Token) -> tuple[int, int] | None:
        """The name of a body the recogniser missed, in Title Case round a common noun: "Action for Safer
        Ferries said" (its words capitalised past the sentence's start, joined by of/on/for/and)."""
        tokens = [head]
        for t in self.doc[head.i + 1 : head.i + 8]:
            if t.lower_ in NAME_JOINERS or (t.text[:1].isupper() and t.pos_ in ("NOUN", "PROPN")):
                tokens.append(t)
                continue
            break
        while tokens and tokens[-1].lower_ in NAME_JOINERS:
            tokens.pop()
        if len(tokens) < 3 or head.text[:1].islower() or sum(t.text[:1].isupper() for t in tokens[1:]) < 2:
            return None
        if any(t.idx in self.mask for t in tokens) or tokens[-1].i + 1 >= len(self.doc):
            return None
        if self.doc[tokens[-1].i + 1].pos_ not in ("VERB", "AUX"):
            return None  # the name is the whole subject, right before its verb
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)

    def document_owner(self, document: Token) -> Speaker | None:
        """Whose statement it is: "her statement said", or "She set out her case in a statement that said": the
        person or he/she that owns it or put it out, when that is one."""
        owner = next((c for c in document.children if c.dep_ == "poss"), None)
        if owner is None and document.dep_ == "pobj" and document.head.lower_ in ("in", "through", "with"):
            verb = document.head.head
            owner = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb.pos_ == "VERB" else None
        if owner is None:
            return None
        if owner.lower_ in PRONOUN_GENDER:
            return self.resolve_pronoun(owner)
        mention = self.mention_at(owner)
        return Speaker("person", mention.person, mention.name, mention.start, mention.end) if mention else None

    def anonymous(self, head: Token) -> Speaker:
        mods = [t for t in head.lefts if t.dep_ in ("compound", "amod", "nmod", "poss")]
        words: list[Token] = []
        for m in mods:
            words.extend(t for t in m.subtree if t.dep_ not in ("det", "nummod", "case") and not t.is_punct)
        words = sorted(set(words), key=lambda t: t.i) + [head]
        label = " ".join(t.text for t in words)
        left = min([head.left_edge.i] + [w.i for w in words])
        start = self.doc[left].idx
        text = self.text[start : head.idx + len(head.text)]
        plural = head.tag_ in ("NNS", "NNPS")
        return Speaker("anonymous", label, text, start, head.idx + len(head.text), plural)

    # ------------------------------------------------------------ pronouns and continuations
    def resolve_pronoun(self, pronoun: Token) -> Speaker | None:
        lower = pronoun.lower_
        here = Speaker("", "", pronoun.text, pronoun.idx, pronoun.idx + len(pronoun.text))
        sentence = sent_of(self.doc, pronoun.i)
        floor = self.paragraph_start(pronoun.idx, back=LOOKBACK_PARAGRAPHS)
        hi = bisect.bisect_right(self.sent_starts, sentence.start)
        lo = max(bisect.bisect_right(self.sent_ends, floor), hi - LOOKBACK_SENTENCES)
        sents = self.sents[lo:hi]
        if lower in ("they", "it"):
            for offset, previous in reversed(self.history):
                if offset < sents[0].start_char:
                    break
                if lower == "they" and (previous.plural or previous.kind == "organisation"):
                    return Speaker(previous.kind, previous.name, here.text, here.start, here.end, previous.plural)
                if lower == "it" and previous.kind == "organisation":
                    return Speaker(previous.kind, previous.name, here.text, here.start, here.end)
            return None
        gender = PRONOUN_GENDER[lower]
        for sent in reversed(sents):
            limit = min(sent.end_char, pronoun.idx)
            first = bisect.bisect_left(self.mention_starts, sent.start_char)
            last = bisect.bisect_left(self.mention_starts, limit, lo=first)
            found = [m for m in self.mentions[first:last] if m.end <= limit]
            first = bisect.bisect_left(self.named, (sent.start_char,))
            last = bisect.bisect_left(self.named, (limit,), lo=first)
            found += [
                Mention(sp.name, sp.start, sp.end, subject=2)
                for _, _, sp in self.named[first:last]
                if sp.end <= limit and sp.start not in self.mask
            ]
            compatible = [m for m in found if self.gender_of(m.person) in (None, gender)]
            if found and not compatible:
                continue
            if (
                compatible
                and max(m.subject for m in compatible) == 0
                and any(
                    t.lower_ == lower
                    and t.dep_ in SUBJECT_DEPS
                    and t.idx < min(limit, min(m.start for m in compatible))
                    and self.outside(t)
                    for t in span_tokens(sent)
                )
            ):
                # "He told the board …": the sentence is still about the earlier "he" (its other names come
                # after); in "Jo Bloggs's plan, which she drew up, …" the "she" is Jo Bloggs
                continue
            if compatible:
                rank = max(m.subject for m in compatible)
                best = [m for m in compatible if m.subject == rank]
                if rank and len({m.person for m in best}) > 1:
                    return None  # "Macron and Stoltenberg said … he said": ambiguous, so no speaker
                pick = max(best, key=lambda m: m.start)
                return Speaker("person", pick.person, here.text, here.start, here.end)
        return None

    def continuation_of(self, index: int) -> Speaker | None:
        """A quote-only sentence right after an attributed quote, in its paragraph or the next, inherits its speaker."""
        if index == 0 or not self.history:
            return None
        span, previous = self.spans[index], self.spans[index - 1]
        prev_close = previous.close_at if previous.close_at is not None else previous.end
        gap = self.text[prev_close + 1 : span.open_at]
        if "\n" in gap and len(gap.split("\n")[0].strip()) > 80:
            return None
        if self.paragraph_of(span.open_at) - self.paragraph_of(prev_close) > 1:
            return None
        last_offset, last = self.history[-1]
        if last_offset != previous.start:
            return None
        return last

    def reported_before(self, index: int) -> Speaker | None:
        """A paragraph that is nothing but a quote, right after a paragraph that ends by reporting what someone
        said in the writer's words ("Ines Varga said the timetable would help.\n"We think …""), is theirs."""
        span = self.spans[index]
        if span.continued or self.paragraph_start(span.open_at) != span.open_at:
            return None
        here = self.paragraph_of(span.open_at)
        if here == 0:
            return None
        before = self.paragraph_starts[here - 1]
        if index > 0 and self.spans[index - 1].end > before:
            return None  # the paragraph before quotes someone: that is continuation_of's to judge
        after = self.paragraph_starts[here + 1] if here + 1 < len(self.paragraph_starts) else len(self.text)
        lo, hi = self.tok(span.open_at).i, self.tok(max(span.open_at, after - 1)).i + 1
        if any(self.outside(t) and not t.is_punct for t in self.doc[lo:hi]):
            return None  # the paragraph says more than the quote: whoever that names may be the speaker
        last = sent_of(self.doc, self.tok(max(before, span.open_at - 2)).i)
        for cue in (t for t in last if self.outside(t) and is_cue(t) and t.idx >= before):
            if not any(c.dep_ == "ccomp" for c in cue.children):
                continue  # "said" with what was said: a reported clause
            subject = self.subject_of(cue, span)
            if subject is None:
                continue
            found = self.speaker_from(subject, span)
            if found == "pronoun":
                return self.resolve_pronoun(subject)
            if isinstance(found, Speaker) and found.kind == "person":
                return found
        return None

    # ------------------------------------------------------------ main
    def attribute(self) -> tuple[list[Speaker | None], list[bool]]:
        speakers: list[Speaker | None] = []
        partials: list[bool] = []
        for index, span in enumerate(self.spans):
            partial = self.is_partial(span)
            speaker: Speaker | None = None
            cue = None if partial and self.is_title(span) else self.pick_cue(span, partial)
            if cue is not None:
                subject = self.subject_of(cue, span)
                found = self.speaker_from(subject, span) if subject is not None else None
                if found == "pronoun":
                    speaker = self.resolve_pronoun(subject)
                elif found == "document" and subject is not None:
                    speaker = self.document_owner(subject) or self.continuation_of(index)
                elif isinstance(found, Speaker):
                    speaker = found
            elif not partial and self.quote_only(span):
                speaker = self.continuation_of(index) or self.reported_before(index)
            speakers.append(speaker)
            partials.append(partial)
            if speaker is not None:
                self.history.append((span.start, speaker))
                if speaker.kind == "person":
                    bisect.insort(self.named, (speaker.start, len(self.history), speaker))
                elif speaker.kind == "anonymous":
                    self.unnamed[speaker.name.split()[-1].lower().rstrip("s")] = speaker
        self._share_along_chains(speakers)
        return speakers, partials

    def _share_along_chains(self, speakers: list[Speaker | None]) -> None:
        """The pieces of one multi-paragraph quote share the speaker named at any of them."""
        chain: list[int] = []
        for i, span in enumerate(self.spans):
            chain.append(i)
            if not span.continues:
                found = next((speakers[j] for j in chain if speakers[j] is not None), None)
                if found is not None and len(chain) > 1:
                    for j in chain:
                        speakers[j] = speakers[j] or found
                chain = []


def attribute_speakers(
    doc: Doc, spans: list[QuoteSpan], mentions: list[Mention]
) -> tuple[list[Speaker | None], list[bool]]:
    """The speaker (or None) and the partial flag of every quote span, in order."""
    return Attributor(doc, spans, mentions).attribute()
