"""Load: find the article files of a briefing folder and read each into an `Article` (txt, Markdown, saved HTML)."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.config import (
    CONFIG_FILE,
    SOURCE_OPTIONS,
    BriefingConfig,
    ValidationError,
    parse_date,
    validate_mapping,
)
from briefgen.errors import BriefgenError, ConfigError
from briefgen.structure import SITE_MARKER, Article

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
# Folders of a briefing that hold no articles: user templates, caches, version control, build output.
SKIPPED_DIRS = {"templates", "node_modules", "site"}
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


@dataclass
class LoadResult:
    articles: list[Article]
    warnings: list[str] = field(default_factory=list)


def _is_site(folder: Path) -> bool:
    """A site briefgen wrote (its mark, or the briefing.json every site holds): output, never input."""
    return (folder / SITE_MARKER).is_file() or (folder / "briefing.json").is_file()


def _valid_utf8(name: str) -> bool:
    """False for a file system name that is not valid UTF-8 (Python keeps its bytes as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def find_article_files(folder: Path, exclude: list[Path] | None = None) -> tuple[list[Path], list[str]]:
    """Article files below `folder`, sorted; symlinks that leave the folder, files that are not regular files
    (a FIFO would block the read), names that are not UTF-8 and folders holding a built site are skipped unread."""
    root = folder.resolve()
    excluded = {p.resolve() for p in (exclude or [])}
    files: list[Path] = []
    warnings: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        kept = []
        for d in sorted(dirnames):
            if d.startswith((".", "_")) or d in SKIPPED_DIRS or (here / d).resolve() in excluded:
                continue
            if not _valid_utf8(d):
                warnings.append(
                    f"{(here / d).relative_to(folder).as_posix()!r}: folder name is not valid UTF-8; "
                    f"skipped (rename it)"
                )
                continue
            if _is_site(here / d):
                warnings.append(
                    f"{(here / d).relative_to(folder).as_posix()}/: holds a built briefgen site; "
                    f"skipped, not read as articles"
                )
                continue
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = here / name
            if name.startswith(".") or path.suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            if name.lower() in {"readme.md", "readme.txt"} and here.resolve() == root:
                continue
            rel = path.relative_to(folder).as_posix()
            if not _valid_utf8(rel):
                warnings.append(f"{rel!r}: file name is not valid UTF-8; skipped (rename it)")
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    warnings.append(f"{rel}: symbolic link to a file outside the briefing folder; skipped, not read")
                    continue
                if not target.exists():
                    warnings.append(f"{rel}: broken symbolic link; skipped")
                    continue
            try:
                regular = stat.S_ISREG(path.stat().st_mode)
            except OSError:
                regular = False
            if not regular:
                warnings.append(f"{rel}: not a regular file (a pipe, device or socket); skipped, not read")
                continue
            files.append(path)
    return files, warnings


# Mojibake: UTF-8 read as Windows-1252 and saved again ("cafÃ©", "â€œnoâ€"); looked for before ftfy is asked.
MOJIBAKE_RE = re.compile(
    "[ÃÂâ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
DECLARED_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.I)


def decode(data: bytes, rel: str, warnings: list[str]) -> str:
    """Bytes to text: UTF-8 (a BOM is dropped, mojibake repaired), else the charset an HTML page declares, else
    the one charset-normalizer detects, each with a warning naming it. Binary data is an error."""
    if b"\x00" in data[:8192] or _looks_binary(data[:8192]):
        raise BriefgenError(f"{rel}: not a text file (binary data); remove it from the briefing folder")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if MOJIBAKE_RE.search(text):
            import ftfy

            fixed = ftfy.fix_encoding(text)
            if fixed != text:
                warnings.append(f"{rel}: text encoded twice (mojibake such as 'Ã©' for 'é'); repaired")
                return fixed
        return text
    declared = DECLARED_CHARSET_RE.search(data[:4096]) if rel.lower().endswith((".html", ".htm")) else None
    if declared:
        try:
            text = data.decode(declared.group(1).decode("ascii"))
            warnings.append(f"{rel}: read as {declared.group(1).decode('ascii')}, the charset the page declares")
            return text
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        warnings.append(
            f"{rel}: not valid UTF-8; read as {best.encoding}. Save it as UTF-8 to be sure of every character"
        )
        return str(best)
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings.append(f"{rel}: not valid UTF-8; read as {encoding}. Save it as UTF-8 to be sure of every character")
        return text
    raise BriefgenError(f"{rel}: cannot decode the text")  # latin-1 decodes anything; kept for clarity


_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13))


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    control = len(head.translate(None, _NOT_CONTROL))  # the control bytes other than tab, newlines, form feed
    return control / len(head) > 0.05


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# C0 and C1 control characters other than tab and the line breaks (NUL among them): not text, and not allowed in
# HTML. A form feed or vertical tab separates text, so it becomes a line break.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def drop_control_characters(text: str, rel: str, warnings: list[str]) -> str:
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    found = len(CONTROL.findall(text))
    if not found:
        return text
    warnings.append(f"{rel}: {found} control character(s) (such as NUL) removed from the text")
    return CONTROL.sub("", text)


def read_txt(text: str) -> tuple[str, str]:
    """First non-empty line is the headline; the rest is the body.

    Web furniture above the headline ("Skip to main content") is passed over and left in the body,
    where the cleaner removes and records it.
    """
    from briefgen.clean import is_furniture

    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for k, index in enumerate(filled):
        line = lines[index].strip()
        after = filled[k + 1] if k + 1 < len(filled) else None
        nxt = lines[after].strip() if after is not None else ""
        if is_furniture(line):
            if after is not None and line[-1] in "-–—:" and nxt[:1].islower() and headline_like(nxt):
                # a headline broken at its dash: "One small step -" / "and a giant leap"
                return f"{line} {nxt}", "\n".join(lines[:index] + lines[after + 1 :])
            continue
        below = [i for i in filled[k + 1 : k + 4] if not is_furniture(lines[i])]
        if below and section_label(line) and headline_like(lines[below[0]].strip()):
            # a section label or site name above the headline ("News", "Top Stories"; breadcrumbs may stand
            # between them): the headline is below, and the cleaner removes the label
            return lines[below[0]].strip(), "\n".join(lines[: below[0]] + lines[below[0] + 1 :])
        longer = [i for i in below if lines[i].strip().endswith(line) and len(lines[i].strip()) > len(line)]
        if line[:1].islower() and longer and headline_like(lines[longer[0]].strip()):
            # the end of the headline, cut short (it starts mid-sentence), above the whole of it
            return lines[longer[0]].strip(), "\n".join(lines[: longer[0]] + lines[longer[0] + 1 :])
        return line, "\n".join(lines[:index] + lines[index + 1 :])
    return "", ""


def section_label(line: str) -> bool:
    """A few capitalised words, no sentence in them: a section's or site's name ("News", "Top Stories"), not a
    headline (a short headline in sentence case stays one)."""
    words = line.split()
    return len(words) <= 3 and line[-1] not in ".!?\"”’'" and all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def headline_like(line: str) -> bool:
    """A line a headline could be: longer than a label, shorter than a paragraph, not ended like a sentence."""
    return 4 <= len(line.split()) <= 25 and line[-1] not in ".,;"


def split_front_matter(text: str, rel: str) -> tuple[dict, str]:
    import yaml

    from briefgen.config import load_user_yaml

    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = load_user_yaml(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 2}" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise ConfigError(f"{rel}: malformed YAML front matter{at}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{rel}: front matter must be a mapping of keys to values, not {type(data).__name__}")
    return data, text[match.end() :]


def markdown_to_text(markdown: str) -> tuple[str | None, str]:
    """Markdown body to plain text, one block per line; returns (first level-1 heading, text)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    tokens = md.parse(markdown)
    blocks: list[str] = []
    heading: str | None = None
    in_heading = ""
    for token in tokens:
        if token.type == "heading_open":
            in_heading = token.tag
        elif token.type == "heading_close":
            in_heading = ""
        elif token.type == "inline":
            text = _inline_text(token)
            if in_heading == "h1" and heading is None and not blocks:
                heading = text
                continue
            if text.strip():
                blocks.append(text)
        elif token.type in ("code_block", "fence"):
            blocks.extend(line for line in token.content.splitlines() if line.strip())
    return heading, "\n".join(blocks)


def _inline_text(token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline":
            parts.append(child.content)
        elif child.type == "image":
            continue
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def read_html(text: str, rel: str) -> tuple[dict, str]:
    """A saved web page: main text and metadata with trafilatura (offline; no URL is ever fetched)."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True, "max_date": "2100-12-31"},
        )
    except Exception as exc:  # trafilatura raises a variety of parser errors on broken pages
        raise BriefgenError(f"{rel}: could not extract the article from this HTML page ({exc})") from None
    if document is None:
        return {}, ""
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):  # trafilatura read it; lxml alone may not: no repairs then
        tree = None
    meta = {
        "title": page_headline(tree, data.get("title"), data.get("sitename"), data.get("hostname")),
        "outlet": data.get("sitename"),
        "url": data.get("url"),
        "published": data.get("date"),
        "author": data.get("author"),
    }
    body = data.get("text") or ""
    return {k: v for k, v in meta.items() if v}, restore_split_body(tree, body) if tree is not None else body


TITLE_SEPARATORS = re.compile(r"\s+(?:[|•·:]{1,2}|[-–—])\s+")
WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text) if len(w) > 2}


def _site_words(*names: str | None) -> set[str]:
    """The words of a site's name and host ("PortsideGazette.com", "www.example.co.uk" → portsidegazette, example)."""
    found: set[str] = set()
    for name in names:
        if name:
            found |= {w for w in _words(name) if w not in {"www", "com", "org", "net", "news", "the"}}
    return found


def strip_site_suffix(title: str, sitename: str | None, hostname: str | None) -> str:
    """ "Headline - SiteName.com" → "Headline": the part after the last separator goes when it names the site, or
    when it is a short label after a pipe ("| Business"), which headlines never hold."""
    title = title.strip()
    separators = list(TITLE_SEPARATORS.finditer(title))
    if not separators:
        return title
    last = separators[-1]
    head, tail = title[: last.start()], title[last.end() :]
    tail_words = _site_words(tail)
    named = bool(tail_words) and tail_words <= _site_words(sitename, hostname)
    label = "|" in last.group(0) and len(tail.split()) <= 3
    return head if (named or label) and len(head.split()) >= 3 else title


def page_headline(tree, found: str | None, sitename: str | None, hostname: str | None) -> str | None:
    """The visible headline of a saved page: the page's <h1> that shares most words with its own titles (og:title,
    <title>, what trafilatura found), ignoring an <h1> that is the site's name; else og:title or <title> without
    the site's suffix. Pages title the same story more than once, and the <h1> is the one a reader sees. `tree`:
    the page parsed by lxml, or None."""
    if tree is None:
        return strip_site_suffix(found, sitename, hostname) if found else found
    own = [" ".join(t.split()) for t in tree.xpath("//meta[@property='og:title']/@content | //title/text()")]
    own = [t for t in own if t]
    title_words = set().union(*(_words(t) for t in [found or ""] + own))
    site = _site_words(sitename, hostname)
    best, best_shared = None, 0
    for element in tree.iter("h1"):
        text = " ".join(element.text_content().split())
        words = _words(text)
        if len(text.split()) < 3 or len(text.split()) > 40 or not words or words <= site:
            continue
        shared = len(words & title_words)
        if shared > best_shared:
            best, best_shared = text, shared
    if best is not None and (best_shared >= 2 or not title_words):
        return best
    # the page's own title as written (an extractor's title may have lost a dash that belongs to the headline)
    title = own[0] if own else found
    return strip_site_suffix(title, sitename, hostname) if title else title


MIN_RESTORED_WORDS = 0.2  # of the extracted text: below this, what siblings add is not a lost part of the body


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def _parts_of(container) -> list:
    """The container and, when the page cuts the article into chunks (elements of the same tag and class close
    together, with ads between them), every chunk of it, in page order."""
    kind = container.get("class")
    if not kind:
        return [container]
    ancestor = container.getparent()
    for _ in range(3):
        if ancestor is None:
            break
        same = [e for e in ancestor.iter(container.tag) if e.get("class") == kind]
        if len(same) > 1:
            return same
        ancestor = ancestor.getparent()
    return [container]


def restore_split_body(tree, body: str) -> str:
    """Put back the paragraphs an extractor dropped after a break in the middle of an article (an ad or promo
    block between two runs of paragraphs often ends the extraction there). The paragraphs kept all stand in one
    container of the page; that container's other paragraphs (its own <p> children, so nothing nested in a
    promo, gallery or related-links block) are the body's too, and so are those of the other chunks when the page
    cuts the article into several containers alike. They are put in page order, when they add a fifth or more to
    the text; otherwise the text is left as it was. `tree`: the page parsed by lxml."""
    lines = [line for line in body.split("\n") if line.strip()]
    if len(lines) < 2:
        return body
    kept = {_flat(line) for line in lines}
    parents: dict = {}
    for element in tree.iter("p"):
        if _flat(element.text_content()) in kept and element.getparent() is not None:
            parents.setdefault(element.getparent(), []).append(element)
    if not parents:
        return body
    container, found = max(parents.items(), key=lambda item: len(item[1]))
    if len(found) < 2:
        return body
    siblings = [" ".join(p.text_content().split()) for part in _parts_of(container) for p in part if p.tag == "p"]
    siblings = [text for text in siblings if len(text.split()) >= 3]
    added = [text for text in siblings if _flat(text) not in kept]
    if sum(len(t.split()) for t in added) < MIN_RESTORED_WORDS * len(body.split()):
        return body
    inside = {_flat(text) for text in siblings}
    positions = [i for i, line in enumerate(lines) if _flat(line) in inside]
    first, last = positions[0], positions[-1]
    return "\n".join(lines[:first] + siblings + lines[last + 1 :])


def read_article(path: Path, folder: Path, config: BriefingConfig, warnings: list[str]) -> Article | None:
    """Read one file. Returns None (with a warning) for an empty article; raises BriefgenError for bad input."""
    rel = path.relative_to(folder).as_posix()
    try:
        size = path.stat().st_size
        if size > config.max_file_size:
            raise BriefgenError(
                f"{rel}: {size:,} bytes is over the size limit of {config.max_file_size:,} bytes "
                f"(raise 'max_file_size' in {CONFIG_FILE} to read it)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise BriefgenError(f"{rel}: cannot be read ({exc.strerror or exc})") from None
    said = len(warnings)
    text = drop_control_characters(normalise_newlines(decode(data, rel, warnings)), rel, warnings)
    notes = [message.removeprefix(f"{rel}: ") for message in warnings[said:]]  # how the file was read
    kind = ARTICLE_SUFFIXES[path.suffix.lower()]
    meta: dict = {}
    if kind == "txt":
        title, body = read_txt(text)
    elif kind == "md":
        front, markdown = split_front_matter(text, rel)
        values, errors, meta_warnings = validate_mapping(front, SOURCE_OPTIONS, f"the front matter of {rel}")
        if errors:
            raise ConfigError("\n".join(errors))
        warnings.extend(meta_warnings)
        meta = values
        heading, body = markdown_to_text(markdown)
        title = meta.pop("title", None) or heading or ""  # no heading: the file name, below; the text stays whole
    else:
        meta, body = read_html(text, rel)
        title = meta.pop("title", "") or ""
        try:
            meta["published"] = parse_date(meta.get("published"))
        except ValidationError:
            meta["published"] = None

    # briefing.yml fills what the file itself does not say.
    extra = config.sources.get(rel) or config.sources.get(path.name)
    if extra is not None:
        for key in ("outlet", "url", "published", "author", "slug"):
            if meta.get(key) is None and getattr(extra, key) is not None:
                meta[key] = getattr(extra, key)
        if extra.title and not title:
            title = extra.title

    if not body.strip():
        what = "is empty" if not title else "has a headline but no body text"
        warnings.append(f"{rel}: {what}; skipped")
        return None
    if not title:
        title = title_from_file_name(path.stem)
    return Article(
        path=rel,
        title=title.strip(),
        body=body,
        format=kind,
        outlet=meta.get("outlet"),
        url=meta.get("url"),
        published=meta.get("published"),
        author=meta.get("author"),
        slug=meta.get("slug"),
        notes=notes,
    )


def title_from_file_name(stem: str) -> str:
    """'council-vote_2024' → 'Council vote 2024': a headline for an article that has none."""
    words = re.sub(r"[-_.]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem


def load_articles(folder: Path, config: BriefingConfig, exclude: list[Path] | None = None) -> LoadResult:
    """Every article of the briefing folder, duplicates dropped with a warning."""
    if not folder.exists():
        raise BriefgenError(f"{folder}: briefing folder not found")
    if not folder.is_dir():
        raise BriefgenError(f"{folder}: not a folder; give the folder that holds the articles")
    files, warnings = find_article_files(folder, exclude)
    if not files:
        shown = folder.resolve() if folder == Path(".") else folder  # "." says little on its own
        raise BriefgenError(f"{shown}: no articles found (looked for {', '.join(sorted(ARTICLE_SUFFIXES))} files)")
    known = {p.relative_to(folder).as_posix() for p in files} | {p.name for p in files}
    for name in sorted(config.sources):
        if name not in known:
            warnings.append(f"{CONFIG_FILE}: 'sources' names {name!r}, which is not an article file here")
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for path in files:
        article = read_article(path, folder, config, warnings)
        if article is None:
            continue
        fingerprint = hashlib.sha256(" ".join(article.body.split()).lower().encode()).hexdigest()
        if fingerprint in seen:
            warnings.append(f"{article.path}: same text as {seen[fingerprint]}; skipped as a duplicate")
            continue
        seen[fingerprint] = article.path
        articles.append(article)
    if not articles:
        raise BriefgenError(f"{folder}: every article file is empty; nothing to build")
    return LoadResult(articles, warnings)
