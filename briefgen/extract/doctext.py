"""The text of a parsed Doc, computed once: spaCy rebuilds `Doc.text` from every token on each access."""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "briefgen.text"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text
