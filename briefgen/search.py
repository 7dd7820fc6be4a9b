"""Search: index the written site with Pagefind (the `pagefind-bin` package's binary; nothing is downloaded).

A large site is indexed in shards that the search page merges in the browser (Pagefind's `mergeIndex`): the
overview pages, and source and person pages spread over six shards each by a stable hash of their path. Shards
are indexed through the build's runner (in parallel, each shard's index kept under a digest of what search reads
of its pages), so a build after one edited article re-indexes only the shards whose searchable text changed."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
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

    return (
        XPath("//*[@data-pagefind-ignore]"),
        XPath(
            "boolean(descendant::*/@*[starts-with(name(), 'data-pagefind-')]"
            " | @*[starts-with(name(), 'data-pagefind-') and name() != 'data-pagefind-ignore'])"
        ),
    )


def page_digest(data: bytes) -> str:
    """`searchable_digest` of a page's bytes."""
    import lxml.html

    return searchable_digest(lxml.html.document_fromstring(data.decode("utf-8")))


def _run_pagefind(binary: str, site: Path, output: Path) -> None:
    command = [binary, "--site", str(site), "--output-path", str(output), "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
        raise BriefgenError(
            f"search index: pagefind could not index the site ({detail[0]}; a full disk or an "
            f"unwritable folder makes it fail this way); the last good site was kept"
        )


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def index_shards(site: Path, shards: list[tuple[str, tuple[str, ...], bool]]) -> list[dict[str, bytes]]:
    """Index each shard (name, its pages as paths relative to the site root, whether it carries the search UI)
    of the written site in `site`: the index's files, path -> bytes. Only the shard's pages are shown to Pagefind
    (in a folder of their own, at their own paths, so result links stay right)."""
    binary = _binary()
    out = []
    for name, pages, interface in shards:
        with tempfile.TemporaryDirectory(prefix=f".briefgen-shard-{name}.", dir=site.parent) as folder:
            stage = Path(folder)
            for page in pages:
                (stage / "site" / page).parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(site / page, stage / "site" / page)
            _run_pagefind(binary, stage / "site", stage / "index")
            dropped = set() if interface else {p for pattern in UI_FILES for p in (stage / "index").glob(pattern)}
            out.append(
                {
                    p.relative_to(stage / "index").as_posix(): p.read_bytes()
                    for p in sorted((stage / "index").rglob("*"))
                    if p.is_file() and p not in dropped
                }
            )
    return out


def index_site(
    folder: Path, plan: dict[str, list[str]] | None = None, run=None, digests: dict[str, str] | None = None
) -> dict[str, bytes]:
    """The search index of the site written in `folder`, as files (path -> bytes) to add to it: one bundle per
    shard of `plan` (by default `plan_shards` of its pages). `run`: a runner (see `briefgen.pipeline`) that shares
    the shards out and keeps each one's index under what search reads of its pages (`digests`: page ->
    `searchable_digest`, read from the pages when not given), so an edit re-indexes only the shards whose
    searchable text changed; by default each is indexed here."""
    if plan is None:
        plan = plan_shards({p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.html")})
    digests = dict(digests or {})
    for page in (page for members in plan.values() for page in members if page not in digests):
        digests[page] = page_digest((folder / page).read_bytes())
    shards = [(name, tuple(members), k == 0) for k, (name, members) in enumerate(plan.items())]
    version = _pagefind_version()
    if run is None:
        indexes = index_shards(folder, shards)
    else:
        indexes = run.map(
            index_shards,
            shards,
            shared=folder,
            describe=lambda shard: f"search shard {shard[0]}",
            key=lambda shard: (version, shard, [digests[page] for page in shard[1]]),
            code=("__init__.py", "search.py"),
            waits=True,
        )
    return {
        f"{bundle.rstrip('/')}/{rel}": data
        for files, bundle in zip(indexes, bundle_paths(plan).values())
        for rel, data in files.items()
    }
