"""Check: every internal link and anchor of the rendered site resolves, and every page has unique ids."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

import lxml.html


def _target(page: str, href: str) -> tuple[str, str] | None:
    """(file path in the site, fragment) for an internal href, or None for an external one."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:", "data:")):
        return None
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if path.endswith("/") or resolved in (".", ""):
        resolved = posixpath.join(resolved, "index.html") if resolved not in (".", "") else "index.html"
    return resolved, parts.fragment


def check_links(files: dict[str, bytes], generated: set[str] = frozenset()) -> list[str]:
    """Problems found: broken links, missing anchors, duplicate ids. `generated` are files written later
    (the search index), which links may point at."""
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    problems: list[str] = []
    for path, data in files.items():
        if not path.endswith(".html"):
            continue
        tree = lxml.html.document_fromstring(data.decode("utf-8"))
        seen: set[str] = set()
        for element in tree.iter():
            ident = element.get("id") if isinstance(element.tag, str) else None
            if ident is None:
                continue
            if ident in seen:
                problems.append(f"{path}: duplicate id '{ident}'")
            seen.add(ident)
        ids[path] = seen
        links[path] = [el.get(attr) for el in tree.iter() if isinstance(el.tag, str)
                       for attr in ("href", "src") if el.get(attr)]
    for page, hrefs in links.items():
        for href in hrefs:
            target = _target(page, href)
            if target is None:
                continue
            path, fragment = target
            if path not in files and not any(path.startswith(g) for g in generated):
                problems.append(f"{page}: broken link to '{href}'")
            elif fragment and path in ids and fragment not in ids[path]:
                problems.append(f"{page}: link to '{href}' names a missing anchor '#{fragment}'")
    return sorted(set(problems))
