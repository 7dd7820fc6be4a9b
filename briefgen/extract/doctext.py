"""What extraction reads from a parsed Doc again and again, made once per Doc: its text (spaCy rebuilds
`Doc.text` from every token on each access) and its tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported where documents are parsed, not wherever facts are read
    from spacy.tokens import Doc, Span, Token


_KEY = "briefgen.text"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


_TOKENS = "briefgen.tokens"


def doc_tokens(doc: Doc) -> list[Token]:
    """Every token of the Doc, made once: each `doc[i]` (and each pass over a Span) builds new Token objects."""
    tokens = doc.user_data.get(_TOKENS)
    if tokens is None:
        tokens = doc.user_data[_TOKENS] = list(doc)
    return tokens


def span_tokens(span: Span) -> list[Token]:
    return doc_tokens(span.doc)[span.start:span.end]


def forget(doc: Doc) -> None:
    """Drop what this module keeps on the Doc (the token list refers back to the Doc: a reference cycle)."""
    for key in (_KEY, _TOKENS, _SENTS):
        doc.user_data.pop(key, None)


def span_text(span: Span) -> str:
    """`span.text`, sliced from the Doc's text instead of joined from new Token objects."""
    return doc_text(span.doc)[span.start_char:span.end_char]


_SENTS = "briefgen.sents"


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
