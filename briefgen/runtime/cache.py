"""One content-addressed cache: an entry's key is a digest of everything its value depends on (the inputs, the
configuration, the model and briefgen's own code), so an entry is never stale, only unused; each entry starts
with a digest of the rest, so a damaged or cut-short entry is a miss, never used.

The cache lives in the user's cache directory (or `$BRIEFGEN_CACHE_DIR`), never in a briefing folder: entries are
pickles, which run code when loaded, and a briefing folder may come from anyone."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import threading
from functools import lru_cache
from pathlib import Path

from briefgen import __version__

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parent.parent
DIGEST = 16  # bytes of blake2b at the head of every entry


def fingerprint(*parts: object) -> str:
    """The one way to key anything: a digest of `parts` (bytes as they are, text as UTF-8, anything else by its
    `repr`, which for briefgen's dataclasses lists every field)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else (part if isinstance(part, str) else repr(part)).encode()
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


@lru_cache(maxsize=8)
def code_version(parts: tuple[str, ...] | None = None) -> str:
    """briefgen's own code, data, templates and assets (only `parts` of them, as paths under the package or
    `templates`/`static`, when given: the code some work depends on), and the versions of briefgen, spaCy and
    Pagefind: new code means new keys."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=20)
    roots = [PACKAGE, PACKAGE.parent / "templates", PACKAGE.parent / "static"]
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            name = path.relative_to(PACKAGE if root == PACKAGE else root.parent).as_posix()
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            if parts is None or any(name == part or name.startswith(part.rstrip("/") + "/") for part in parts):
                digest.update(name.encode() + b"\0" + path.read_bytes())
    try:
        from importlib.metadata import version

        digest.update(f"spacy-{version('spacy')}|pagefind-{version('pagefind-bin')}".encode())
    except Exception:  # a missing package is reported where it is used
        pass
    return digest.hexdigest()


def cache_folder(source_dir: Path) -> Path:
    """`$BRIEFGEN_CACHE_DIR`, else a folder of the user's cache directory named after the briefing folder."""
    env = os.environ.get("BRIEFGEN_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    from briefgen.config import slugify

    folder = source_dir.resolve()
    key = hashlib.sha256(os.fsencode(folder)).hexdigest()[:16]
    return Path(user_cache_dir("briefgen", appauthor=False)) / f"{slugify(folder.name)[:40] or 'briefing'}-{key}"


class Store:
    """Values by key, one file each (two-level folders), written atomically (a temp file, then a rename). Without
    a folder, or once a write failed, it holds nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.used: set[str] = set()
        self.made: set[str] = set()  # subfolders made

    def path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key

    def get(self, key: str) -> object | None:
        """The value, or None: missing, damaged, cut short or unreadable (worked out again)."""
        self.used.add(key)
        if self.folder is None:
            return None
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        digest, payload = data[:DIGEST], data[DIGEST:]
        if len(digest) < DIGEST or hashlib.blake2b(payload, digest_size=DIGEST).digest() != digest:
            return None
        try:
            return pickle.loads(payload)
        except Exception:
            return None

    def put(self, key: str, value: object) -> None:
        self.used.add(key)
        if self.folder is None:
            return
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path = self.path(key)
        tmp = path.with_name(f".tmp-{os.getpid()}-{threading.get_ident()}-{key}")  # this writer's own
        try:
            if path.parent.name not in self.made:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.made.add(path.parent.name)
            with open(tmp, "wb") as handle:
                handle.write(hashlib.blake2b(data, digest_size=DIGEST).digest())
                handle.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("Could not write the build cache in %s (%s); continuing without it", self.folder, exc)
            self.folder = None
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def prune(self) -> None:
        """Drop the entries this build did not use: the cache holds one site's work, not its history."""
        if self.folder is None:
            return
        try:
            for sub in os.scandir(self.folder):
                if sub.is_dir():
                    for entry in os.scandir(sub.path):
                        if entry.name not in self.used:
                            os.unlink(entry.path)
        except OSError:
            pass
