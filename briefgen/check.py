"""Check: every internal link and anchor of the rendered site resolves, and every page has unique ids."""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html

from briefgen.search import searchable_digest


_PLAIN_HREF = re.compile(r"(?!//)[A-Za-z0-9._~/#!$&'()*+,;=@-]*")  # no scheme, host, query, escape or space


def _target(page: str, href: str) -> tuple[str, str] | None:
    """(file path in the site, fragment) for an internal href, or None for an external one."""
    if _PLAIN_HREF.fullmatch(href):  # what briefgen's own pages link with: split as urlsplit would, quicker
        path, _, fragment = href.partition("#")
        return (_resolve(posixpath.dirname(page), path) if path else page), fragment
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:", "data:")):
        return None
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    return _resolve(posixpath.dirname(page), path), parts.fragment


@lru_cache(maxsize=8192)
def _resolve(folder: str, path: str) -> str:
    """The file a relative path leads to from a page in `folder` (a page links to one file under many anchors)."""
    resolved = posixpath.normpath(posixpath.join(folder, path))
    if path.endswith("/") or resolved in (".", ""):
        resolved = posixpath.join(resolved, "index.html") if resolved not in (".", "") else "index.html"
    return resolved


@dataclass
class PageRefs:
    """What the link check needs from one page: its ids, ids it repeats, and where each distinct internal
    href/src leads, as (href, file path in the site, fragment); and, read at the same time, the digest of what
    search indexes of it (`search.searchable_digest`)."""

    ids: set[str]
    duplicates: list[str]
    targets: list[tuple[str, str, str]]
    searchable: str

    def joined(self, part: "PageRefs", searchable: str) -> "PageRefs":
        """The refs of a page made of the part these were read from and `part` (see `fragment_refs`), whose
        searchable digest is `searchable`."""
        seen = {href for href, _, _ in self.targets}
        return PageRefs(self.ids | part.ids, self.duplicates + part.duplicates + sorted(part.ids & self.ids),
                        self.targets + [t for t in part.targets if t[0] not in seen], searchable)


_IDS = lxml.etree.XPath("//@id", smart_strings=False)
_LINKS = lxml.etree.XPath("//@href | //@src", smart_strings=False)


def _read(tree, page: str) -> PageRefs:
    ids: set[str] = set()
    duplicates: list[str] = []
    for ident in _IDS(tree):
        if ident in ids:
            duplicates.append(ident)
        ids.add(ident)
    hrefs = dict.fromkeys(value for value in _LINKS(tree) if value)
    targets = [(href, *target) for href in hrefs if (target := _target(page, href)) is not None]
    return PageRefs(ids, duplicates, targets, "")


def page_refs(data: bytes, page: str) -> PageRefs:
    """Read the page at site path `page` (where the page was rendered, so in parallel)."""
    tree = lxml.html.document_fromstring(data.decode("utf-8"))
    refs = _read(tree, page)
    refs.searchable = searchable_digest(tree)  # changes the tree: last
    return refs


def fragment_refs(data: bytes, page: str) -> tuple[PageRefs, bool]:
    """Read a part of the page at site path `page` (whole elements: a block of its template), and whether search
    ignores all of it: every element in it marked `data-pagefind-ignore` with no Pagefind attribute inside that
    Pagefind still reads, and no text between them. (Its searchable digest is left empty.)"""
    from briefgen.search import ignore_paths

    holder = lxml.html.fragment_fromstring(data.decode("utf-8"), create_parent="div")
    read_inside = ignore_paths()[1]
    hidden = not (holder.text or "").strip() and all(
        isinstance(child.tag, str) and child.get("data-pagefind-ignore") is not None and not read_inside(child)
        and not (child.tail or "").strip() for child in holder)
    return _read(holder, page), hidden


@lru_cache(maxsize=1)
def refs_salt() -> bytes:
    """What reading a page for `PageRefs` depends on besides the page: briefgen's and lxml's versions, this module
    and the search module (the searchable digest)."""
    from briefgen import __version__

    digest = hashlib.sha256(f"{__version__}|{lxml.etree.LXML_VERSION}|".encode() + Path(__file__).read_bytes())
    digest.update(Path(__file__).with_name("search.py").read_bytes())  # the searchable digest is read here too
    return digest.digest()


class RefsCache:
    """Each page's `PageRefs`, kept in the build cache under a digest of the page's path and bytes (and of this
    module, the search module and lxml): an edit changes a few pages, and the others are not read again. No
    folder: no cache."""

    def __init__(self, folder: Path | None):
        from briefgen.parse import PickleCache

        self.store = PickleCache(folder, ".refs")

    def refs(self, data: bytes, page: str) -> PageRefs:
        key = hashlib.blake2b(refs_salt() + page.encode() + b"\0" + data, digest_size=20).hexdigest()
        found = self.store.get(key)  # damaged: None, the page read again
        if found is None:
            found = page_refs(data, page)
            self.store.put(key, found)
        return found


def check_links(files: dict[str, bytes], generated: set[str] = frozenset(),
                refs: dict[str, PageRefs] | None = None) -> list[str]:
    """Problems found: broken links, missing anchors, duplicate ids. `generated` are files written later
    (the search index), which links may point at. `refs` may hold pages already read (by the renderer)."""
    refs = dict(refs or {})
    for path, data in files.items():
        if path.endswith(".html") and path not in refs:
            refs[path] = page_refs(data, path)
    problems = [f"{path}: duplicate id '{ident}'" for path, r in refs.items() for ident in r.duplicates]
    for page, r in refs.items():
        for href, path, fragment in r.targets:
            if path not in files and not any(path.startswith(g) for g in generated):
                problems.append(f"{page}: broken link to '{href}'")
            elif fragment and path in refs and fragment not in refs[path].ids:
                problems.append(f"{page}: link to '{href}' names a missing anchor '#{fragment}'")
    return sorted(set(problems))
