"""`briefgen add URL…`: fetch articles into a briefing folder, each saved as the HTML page it is."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from briefgen import __version__
from briefgen.config import load_config, slugify
from briefgen.errors import BriefgenError
from briefgen.write import write_whole

HTML_TYPES = ("text/html", "application/xhtml+xml")
TIMEOUT = 30  # seconds a server may take to answer


@dataclass
class Added:
    url: str
    path: Path | None  # where the page was saved, or None
    problem: str = ""  # why it was not


def file_name(url: str, taken: set[str]) -> str:
    """A readable file name for a page: its host and path as a slug, `.html`, unique in the folder."""
    parts = urllib.parse.urlsplit(url)
    base = slugify(f"{parts.hostname or ''} {parts.path}")[:60].strip("-") or "article"
    name, n = f"{base}.html", 2
    while name in taken:
        name, n = f"{base}-{n}.html", n + 1
    return name


def fetch(url: str, limit: int) -> bytes:
    """The page at `url`, if it is HTML of at most `limit` bytes (raises BriefgenError saying why not)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BriefgenError(f"{url}: not an http(s) address")
    request = urllib.request.Request(url, headers={"User-Agent": f"briefgen/{__version__}", "Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            kind = response.headers.get_content_type()
            if kind not in HTML_TYPES:
                raise BriefgenError(f"{url}: not a web page ({kind}); only HTML articles are added")
            size = response.headers.get("Content-Length")
            if size is not None and size.isdigit() and int(size) > limit:
                raise BriefgenError(f"{url}: {int(size):,} bytes is over the size limit of {limit:,} bytes")
            data = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise BriefgenError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise BriefgenError(f"{url}: could not fetch it ({reason})") from None
    if len(data) > limit:
        raise BriefgenError(f"{url}: over the size limit of {limit:,} bytes")
    return data


def add(folder: Path, urls: list[str]) -> list[Added]:
    """Fetch each URL into `folder` (made if missing). A page that is not HTML, too large or unreachable is
    refused with the reason; the others are saved, each written whole or not at all."""
    if folder.exists() and not folder.is_dir():
        raise BriefgenError(f"{folder}: not a folder; give the briefing folder to add articles to")
    folder.mkdir(parents=True, exist_ok=True)
    config, _ = load_config(folder)
    taken = {p.name for p in folder.iterdir()}
    out = []
    for url in urls:
        try:
            data = fetch(url, config.max_file_size)
        except BriefgenError as exc:
            out.append(Added(url, None, str(exc)))
            continue
        name = file_name(url, taken)
        taken.add(name)
        write_whole(folder / name, data)
        out.append(Added(url, folder / name))
    return out
