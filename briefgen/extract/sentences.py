"""Sentences: the informative sentences of one Doc with their content lemmas, and where each stands in the
policy scope (before / allowed / prohibited / conditions), from permission and prohibition language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from briefgen.clean import find_credits
from briefgen.config import package_data
from briefgen.extract.doctext import doc_sents, doc_text, span_text, span_tokens
from briefgen.extract.quotes import QuoteSpan

if TYPE_CHECKING:  # spaCy is imported where documents are parsed, not wherever facts are read
    from spacy.tokens import Doc, Span, Token

CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
MIN_WORDS = 6
MAX_WORDS = 70
NEGATIONS = frozenset({"not", "n't", "never", "no", "cannot", "nor", "nobody", "none", "nothing", "neither"})


@lru_cache(maxsize=1)
def scope_lexicon() -> dict[str, frozenset[str]]:
    data = package_data("scope.yml")
    return {key: frozenset(values) for key, values in data.items()}


@dataclass
class Sentence:
    """One sentence of a source: offsets into its cleaned text, content lemmas, and its scope labels."""

    source: str
    index: int
    start: int
    end: int
    text: str
    terms: list[str]
    position: float  # 0 for the first sentence of the article, 1 for the last
    quote_share: float  # how much of it is inside quotation marks
    informative: bool  # a full sentence worth summarising (not a fragment, label or credit line)
    scope: dict[str, tuple[int, int]] = field(default_factory=dict)  # label -> (start, end) of the clause
    scope_terms: dict[str, list[str]] = field(default_factory=dict)  # label -> content lemmas of the clause


QUOTE_MARKS = "\"'“”‘’«»„"


LEAD_QUOTED = 0.3  # a sentence this much in quotation marks is someone's words, not the writer's news


def lead(sentences: list[Sentence], count: int = 1) -> list[Sentence]:
    """A source's lead: its first `count` informative sentences in the writer's own words."""
    return [s for s in sentences if s.informative and s.quote_share < LEAD_QUOTED][:count]


def content_terms(tokens) -> list[str]:
    """Content lemmas, lower case; a quote mark glued to a word ('sea."Laura') is not part of it."""
    return [
        t.lemma_.lower().strip(QUOTE_MARKS)
        for t in tokens
        if t.pos_ in CONTENT_POS and not t.is_stop and not t.is_punct and len(t.text) > 1
    ]


def _negated(token: Token) -> bool:
    for t in (token, token.head if token.dep_ == "conj" else None):
        if t is not None and any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in t.children):
            return True
    return False


@lru_cache(maxsize=64)
def _phrase_pattern(phrases: frozenset[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b", re.I)


def _phrases(text: str, phrases) -> list[re.Match]:
    return list(_phrase_pattern(frozenset(phrases)).finditer(text))


def _token_at(sent: Span, offset: int) -> Token | None:
    for t in span_tokens(sent):
        if t.idx <= offset < t.idx + len(t.text):
            return t
    return None


def _governed_by(token: Token, lemmas) -> bool:
    """A word from `lemmas` above `token` in the parse, or as the subject or object of a verb above it
    ("stepped up calls … to allow", "pressure had been mounting … to end")."""
    for t in token.ancestors:
        if t.lemma_.lower() in lemmas:
            return True
        if any(c.dep_ in ("nsubj", "dobj", "nsubjpass", "attr") and c.lemma_.lower() in lemmas for c in t.children):
            return True
    return False


def _asked_for(token: Token) -> bool:
    """Under a request, a condition ("if") or an advocating modal: not a change that was made."""
    lex = scope_lexicon()
    if _governed_by(token, lex["request_lemmas"]):
        return True
    for t in [token, *token.ancestors]:
        if any(c.dep_ == "aux" and c.lower_ in lex["advocacy_modals"] for c in t.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ == "if" for c in t.children):
            return True
    return False


def _describes(token: Token) -> bool:
    """A permission in a relative clause describes what it is said of ("even on quays where ferries are
    allowed, nobody may …"): the sentence states what its main clause says."""
    return token.dep_ == "relcl" or (token.dep_ == "advcl" and any(c.lower_ == "where" for c in token.children))


def _withheld(token: Token) -> bool:
    return _negated(token) or _governed_by(token, scope_lexicon()["refusal_lemmas"])


def _touches_ban(token: Token) -> bool:
    lex = scope_lexicon()
    return any(
        c.lemma_.lower() in lex["prohibition_nouns"] or c.lemma_.lower() in lex["prohibition_verbs"]
        for c in token.subtree
        if c is not token and c.dep_ in ("dobj", "pobj", "xcomp", "attr", "nsubjpass", "compound", "prep")
    )


POLICY_LEMMAS = frozenset({"refuse", "resist", "reluctant", "oppose", "opposition"})
REFUSED_TEXT = re.compile(r"\b(not|never)\s+(be\s+)?(allowed|permitted|authori[sz]ed)\b|\bcannot\b|\bmust not\b", re.I)


@lru_cache(maxsize=1)
def _triggers() -> frozenset[str]:
    """Lemmas without which a sentence can carry no scope label (see `classify_scope`)."""
    lex = scope_lexicon()
    return (
        lex["permission_verbs"]
        | lex["release_verbs"]
        | lex["prohibition_verbs"]
        | lex["prohibition_nouns"]
        | POLICY_LEMMAS
    )


def reaction(sent: Span) -> bool:
    """A sentence that reacts to the change rather than states it: its main verb is a reaction ("condemned",
    "labelled … a mess") or it passes judgement ("said it was absurd", "are dismayed")."""
    lex = scope_lexicon()
    root = sent.root
    if root.lemma_.lower() in lex["reaction_lemmas"]:
        return True
    clauses = [root] + [c for c in root.children if c.dep_ in ("ccomp", "xcomp")]
    return any(
        c.lemma_.lower() in lex["judgement_words"] or c.lower_ in lex["judgement_words"]
        for clause in clauses
        for c in [clause, *clause.children]
        if c is clause or c.dep_ in ("acomp", "attr", "oprd")
    )


def classify_scope(sent: Span) -> dict[str, tuple[int, int]]:
    """Scope labels for one sentence, each with the stretch of text that says it; none for a reaction."""
    lex = scope_lexicon()
    text = span_text(sent)
    if reaction(sent):
        return {}
    whole = (sent.start_char, sent.start_char + len(text.rstrip()))
    lemmas = [(t, t.lemma_.lower()) for t in span_tokens(sent)]
    refused_text = REFUSED_TEXT.search(text)
    unchanged = bool(_phrases(text, lex["unchanged_phrases"]))
    if not (
        refused_text
        or unchanged
        or any(lemma in _triggers() for _, lemma in lemmas)
        or _phrases(text, lex["permission_phrases"])
    ):
        # no permission, release, ban or policy word: no label but, at most, an exception ("exempt until …")
        condition = _condition_clause(sent, lex) if _phrases(text, lex["exception_phrases"]) else None
        return {"conditions": condition} if condition is not None else {}
    permissions = [t for t, lemma in lemmas if lemma in lex["permission_verbs"] and t.pos_ in ("VERB", "AUX")]
    permissions += [
        t for m in _phrases(text, lex["permission_phrases"]) if (t := _token_at(sent, sent.start_char + m.start()))
    ]
    releases = [t for t, lemma in lemmas if lemma in lex["release_verbs"] and t.pos_ == "VERB" and _touches_ban(t)]
    bans = [t for t, lemma in lemmas if lemma in lex["prohibition_verbs"] and t.pos_ == "VERB"]
    # "approved a ban", "voted to ban": a permission word that carries a ban is a prohibition
    bans += [t for t in permissions if _touches_ban(t)]
    permissions = [t for t in permissions if not _touches_ban(t) and not _describes(t)]
    granted = [t for t in permissions + releases if not _withheld(t) and not _asked_for(t)]
    refused = [t for t in permissions if _withheld(t) and not _asked_for(t)]
    refused += [t for t in bans if not _negated(t) and not _asked_for(t)]
    before_words = bool(_phrases(text, lex["before_phrases"]))
    past_perfect = any(
        t.tag_ == "VBN" and any(c.lower_ == "had" and c.dep_ == "aux" for c in t.children) for t, _ in lemmas
    )
    policy_words = bool(
        refused
        or bans
        or any(lemma in lex["prohibition_nouns"] for _, lemma in lemmas)
        or any(lemma in POLICY_LEMMAS for _, lemma in lemmas)
    )
    labels: dict[str, tuple[int, int]] = {}
    negations = sum(1 for t, _ in lemmas if t.dep_ == "neg")
    if unchanged and (bans or refused or refused_text or policy_words or negations >= 2):
        labels["prohibited"] = whole
    elif (before_words or past_perfect) and policy_words and not granted:
        labels["before"] = whole
    elif granted:
        labels["allowed"] = whole
    elif refused or (refused_text and not any(_asked_for(t) for t, _ in lemmas if t.dep_ == "ROOT")):
        labels["prohibited"] = whole
    condition = _condition_clause(sent, lex)
    if condition is not None and (labels or _phrases(text, lex["exception_phrases"])):
        labels["conditions"] = condition
    return labels


def _condition_clause(sent: Span, lex) -> tuple[int, int] | None:
    """The stretch that limits the change: from a condition word to the end of its phrase ("only to defend …")."""
    text = span_text(sent)
    for match in _phrases(text, lex["condition_words"]):
        if re.match(r"until\s+now|within\s+(the|a|an|its|his|her|their)\b", text[match.start() :], re.I):
            continue
        token = _token_at(sent, sent.start_char + match.start())
        if token is None or (token.lower_ == "only" and token.i > 0 and token.nbor(-1).tag_ in ("DT", "PRP$")):
            continue  # "the only ferry left": the sole one, not a limit
        anchor = token.head if token.dep_ in ("advmod", "mark", "prep", "aux", "amod", "det", "neg") else token
        tokens = [t for t in anchor.subtree if not t.is_space]
        start = min(token.idx, tokens[0].idx)
        end = max(tokens[-1].idx + len(tokens[-1].text), token.idx + len(token.text))
        if len(doc_text(sent.doc)[start:end].split()) < 3:
            continue
        if len(doc_text(sent.doc)[start:end].split()) > 40:
            return sent.start_char, sent.start_char + len(text.rstrip())
        return start, end
    return None


def find_sentences(doc: Doc, source_id: str, quotes: list[QuoteSpan]) -> list[Sentence]:
    sents = [s for s in doc_sents(doc) if span_text(s).strip()]
    total = max(1, len(sents) - 1)
    in_quote = bytearray(len(doc_text(doc)) + 1)
    for q in quotes:
        close = q.close_at if q.close_at is not None else q.end
        in_quote[q.open_at : close + 1] = b"\x01" * (close + 1 - q.open_at)
    out: list[Sentence] = []
    for index, sent in enumerate(sents):
        raw = span_text(sent)
        text = raw.strip()
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        end = start + len(text)
        words = text.split()
        share = in_quote[start:end].count(1) / max(1, end - start)
        tokens = span_tokens(sent)
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in tokens)
        informative = (
            MIN_WORDS <= len(words) <= MAX_WORDS
            and has_verb
            and (text[-1] in '.!?"”’)' or share > 0.5)
            and not find_credits([text])
        )
        scope = classify_scope(sent) if informative else {}
        out.append(
            Sentence(
                source=source_id,
                index=index,
                start=start,
                end=end,
                text=text,
                terms=content_terms(tokens),
                position=index / total,
                quote_share=share,
                informative=informative,
                scope=scope,
                scope_terms={
                    label: content_terms(t for t in tokens if a <= t.idx < b) for label, (a, b) in scope.items()
                },
            )
        )
    return out
