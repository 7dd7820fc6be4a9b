"""Search: index the written site with Pagefind (the `pagefind-bin` package's binary; nothing is downloaded).

A large site is indexed in shards that the search page merges in the browser (Pagefind's `mergeIndex`): the
overview pages, and source and person pages spread over six shards each by a stable hash of their path. Shards
are indexed in parallel, and each shard's index is cached under a digest of what search reads of its pages, so a
build after one edited article re-indexes only the shards whose searchable text changed."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from briefgen.errors import BriefgenError

log = logging.getLogger(__name__)

INDEX_DIR = "pagefind/"
SHARD_DIR = "pagefind/shards/"
MAIN = "main"
MIN_PAGES_TO_SHARD = 80  # a small site is one index, as Pagefind makes it
# A fixed number of shards per kind of page, so a page's shard never depends on how many pages there are
# (a new person page must not move every other one). Each shard is one more set of files a search fetches.
SHARDS_PER_KIND = 6
UI_FILES = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")
BODY_MARK = b"data-pagefind-body"  # a page that marks its searchable part


def plan_shards(pages: dict[str, bytes]) -> dict[str, list[str]]:
    """Shard name -> the HTML pages it indexes (from the site's files, path -> bytes). As in one Pagefind run over
    the whole site, when some page marks its searchable part (`data-pagefind-body`), pages without one are left
    out. The overview pages form `main`; a source's or person's page always lands in the same shard, whatever
    else the briefing holds. The first shard is the primary bundle."""
    html = {p: data for p, data in pages.items() if p.endswith(".html")}
    marked = sorted(p for p, data in html.items() if BODY_MARK in data)
    indexed = marked or sorted(html)
    if len(indexed) < MIN_PAGES_TO_SHARD:
        return {MAIN: indexed}
    plan: dict[str, list[str]] = {}
    for kind in ("sources", "people"):
        for page in (p for p in indexed if p.startswith(f"{kind}/") and p.count("/") >= 2):
            bucket = int(hashlib.sha256(page.encode()).hexdigest()[:8], 16) % SHARDS_PER_KIND
            plan.setdefault(f"{kind}-{bucket}", []).append(page)
    placed = {p for members in plan.values() for p in members}
    main = [p for p in indexed if p not in placed]
    return ({MAIN: main} if main else {}) | {name: plan[name] for name in sorted(plan)}


def bundle_paths(plan: dict[str, list[str]]) -> dict[str, str]:
    """Where each shard's index lives, relative to the site root: the first is the primary bundle."""
    return {name: INDEX_DIR if k == 0 else f"{SHARD_DIR}{name}/" for k, name in enumerate(plan)}


def merged_bundles(plan: dict[str, list[str]]) -> list[str]:
    """The shard bundles the search page merges into the primary one."""
    return list(bundle_paths(plan).values())[1:]


def _binary() -> str:
    try:
        from pagefind_bin import get_executable

        return str(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise BriefgenError(f"search index: the pagefind binary is missing ({exc}); reinstall briefgen") from None


def _pagefind_version() -> str:
    try:
        from importlib.metadata import version

        return version("pagefind-bin")
    except Exception:
        return "unknown"


def searchable_digest(tree) -> str:
    """A digest of what Pagefind reads from a page (a parsed lxml tree, which this changes): the page without the
    elements it ignores (`data-pagefind-ignore`, unless they hold other Pagefind attributes: filters and
    metadata in an ignored element are still read). A page whose "leaves out" list changed, and nothing else,
    keeps its digest: its shard is not indexed again (`tests/test_scale.py` checks Pagefind agrees)."""
    import lxml.html

    ignored, read_inside = ignore_paths()
    for element in ignored(tree):
        if not read_inside(element):
            element.drop_tree()
    return hashlib.blake2b(lxml.html.tostring(tree, encoding="utf-8"), digest_size=20).hexdigest()


@lru_cache(maxsize=1)
def ignore_paths():
    """Compiled XPath: the elements Pagefind is told to ignore, and whether one holds a Pagefind attribute it still
    reads (any inside it, or any on it but the ignore itself)."""
    from lxml.etree import XPath

    return (XPath("//*[@data-pagefind-ignore]"),
            XPath("boolean(descendant::*/@*[starts-with(name(), 'data-pagefind-')]"
                  " | @*[starts-with(name(), 'data-pagefind-') and name() != 'data-pagefind-ignore'])"))


def page_digest(data: bytes) -> str:
    """`searchable_digest` of a page's bytes."""
    import lxml.html

    return searchable_digest(lxml.html.document_fromstring(data.decode("utf-8")))


def shard_digest(name: str, pages: list[str], digests: dict[str, str]) -> str:
    """The key of a shard's cached index: Pagefind's version, the shard, and each page's path and digest."""
    digest = hashlib.sha256(f"pagefind-{_pagefind_version()}|{name}".encode())
    for page in pages:
        digest.update(f"\0{page}\0{digests[page]}".encode())
    return digest.hexdigest()


def _run_pagefind(binary: str, site: Path, output: Path) -> None:
    command = [binary, "--site", str(site), "--output-path", str(output), "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
        raise BriefgenError(f"search index: pagefind could not index the site ({detail[0]}; a full disk or an "
                            f"unwritable folder makes it fail this way); the last good site was kept")


def _link_or_copy(source: str, target: str) -> None:
    """Index files are never changed once written: the cache and the site may share them."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _index_shard(binary: str, folder: Path, pages: list[str], target: Path, interface: bool) -> None:
    """Index only `pages` (paths relative to the site root, so result links stay right) into `target`."""
    with tempfile.TemporaryDirectory(prefix=".briefgen-shard-", dir=folder.parent) as stage:
        stage = Path(stage)
        for page in pages:
            (stage / page).parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(folder / page, stage / page)
        _run_pagefind(binary, stage, target)
    for extra in () if interface else UI_FILES:  # a merged shard is only searched; the primary has the UI
        for path in target.glob(extra):
            path.unlink()


def index_site(folder: Path, plan: dict[str, list[str]] | None = None, cache: Path | None = None,
               jobs: int = 1, digests: dict[str, str] | None = None) -> None:
    """Write the search index of the site in `folder`: one bundle per shard of `plan` (by default
    `plan_shards` of its pages), each from the cache when what search reads of its pages is unchanged
    (`digests`: page -> `searchable_digest`, read from the pages when not given)."""
    binary = _binary()
    if plan is None:
        plan = plan_shards({p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.html")})
    if len(plan) == 1 and cache is None:
        _run_pagefind(binary, folder, folder / INDEX_DIR)
        return
    store = cache / "search" if cache else None
    with tempfile.TemporaryDirectory(prefix=".briefgen-index-", dir=folder.parent) as out:
        out = Path(out)
        work = []
        keys = {}
        if store:
            digests = dict(digests or {})
            for page in (page for members in plan.values() for page in members if page not in digests):
                digests[page] = page_digest((folder / page).read_bytes())
        for name, members in plan.items():
            keys[name] = shard_digest(name, members, digests) if store else None
            cached = store / keys[name] if store else None
            try:
                if cached is None or not cached.is_dir():
                    raise FileNotFoundError
                shutil.copytree(cached, out / name, copy_function=_link_or_copy)
            except OSError:  # not cached, or pruned by another build meanwhile
                shutil.rmtree(out / name, ignore_errors=True)
                work.append(name)

        def run(name: str) -> None:
            _index_shard(binary, folder, plan[name], out / name, name == next(iter(plan)))
            if store:
                _keep(out / name, store, keys[name])

        # each thread runs a pagefind process and only waits; one process leaves a core idle part of the time
        # (it reads, writes, and is multi-threaded only in part), so with more than one job all shards run at once
        with ThreadPoolExecutor(max_workers=len(work) if jobs > 1 and work else 1) as pool:
            list(pool.map(run, work))
        for name, bundle in bundle_paths(plan).items():  # the primary bundle first: shards live inside it
            target = folder / bundle
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(out / name, target)
    if store:
        _prune(store, set(keys.values()))


def _keep(bundle: Path, store: Path, key: str) -> None:
    """Copy a fresh shard index into the cache (atomically: a temp folder, then a rename)."""
    try:
        store.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=store))
        shutil.copytree(bundle, tmp, dirs_exist_ok=True, copy_function=_link_or_copy)
        try:
            os.rename(tmp, store / key)
        except OSError:  # another build stored it first
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError as exc:
        log.debug("could not cache the search shard %s: %s", key, exc)


def _prune(store: Path, used: set) -> None:
    """Drop cached shards this build did not use: the cache holds one site's index, not its history."""
    try:
        for entry in store.iterdir():
            if entry.name not in used:
                shutil.rmtree(entry, ignore_errors=True)
    except OSError:
        pass
