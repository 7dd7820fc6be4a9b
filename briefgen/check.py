"""Check: every internal link and anchor of the rendered site resolves, and every page has unique ids."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
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


def check_links(
    files: dict[str, bytes], generated: set[str] = frozenset(), refs: dict[str, PageRefs] | None = None
) -> list[str]:
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
