"""What extraction reads from a parsed Doc again and again, made once per Doc: its text (spaCy rebuilds
`Doc.text` from every token on each access), its tokens (each `doc[i]`, and each pass over a Span, builds new
Token objects), its sentences and its entities. Kept in `doc.user_data` until `forget`."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported where documents are parsed, not wherever facts are read
    from spacy.tokens import Doc, Span, Token

_TEXT = "briefgen.text"
_TOKENS = "briefgen.tokens"
_SENTS = "briefgen.sents"
_ENTS = "briefgen.ents"
_STARTS = "briefgen.sent_starts"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def know_text(doc: Doc, text: str) -> None:
    """Record the text the Doc was parsed from as its text (spaCy's tokens keep every character, so the two are
    equal; the lengths are compared), sparing `Doc.text` its pass over every token."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(text):
        doc.user_data[_TEXT] = text


def span_text(span: Span) -> str:
    """`span.text`, sliced from the Doc's text."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def doc_tokens(doc: Doc) -> list[Token]:
    tokens = doc.user_data.get(_TOKENS)
    if tokens is None:
        tokens = doc.user_data[_TOKENS] = list(doc)
    return tokens


def span_tokens(span: Span) -> list[Token]:
    return doc_tokens(span.doc)[span.start : span.end]


def doc_sents(doc: Doc) -> list[Span]:
    """`list(doc.sents)`, found from the sentence-start array rather than by visiting every Token."""
    sents = doc.user_data.get(_SENTS)
    if sents is None:
        if len(doc) == 0:
            sents = []
        else:
            flags = doc.to_array("SENT_START")
            starts = [0] + [i + 1 for i in (flags[1:] == 1).nonzero()[0].tolist()]
            sents = [doc[a:b] for a, b in zip(starts, starts[1:] + [len(doc)])]
        doc.user_data[_SENTS] = sents
    return sents


def sent_of(doc: Doc, i: int) -> Span:
    """The sentence holding token `i`: `doc[i].sent` without spaCy's walk to the sentence's ends on every call
    (an endless sentence read once per name in it was quadratic)."""
    starts = doc.user_data.get(_STARTS)
    if starts is None:
        starts = doc.user_data[_STARTS] = [s.start for s in doc_sents(doc)]
    return doc_sents(doc)[bisect.bisect_right(starts, i) - 1]


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """`doc.ents` (spaCy builds it anew, from every token, on each access)."""
    ents = doc.user_data.get(_ENTS)
    if ents is None:
        ents = doc.user_data[_ENTS] = doc.ents
    return ents


def forget(doc: Doc) -> None:
    """Drop what is kept on the Doc (tokens, sentences and entities refer back to it: a reference cycle)."""
    for key in (_TEXT, _TOKENS, _SENTS, _ENTS, _STARTS):
        doc.user_data.pop(key, None)
