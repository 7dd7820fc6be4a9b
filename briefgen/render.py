"""Render: turn a Briefing into the site's files (HTML pages, assets, sitemap, briefing.json), all in memory."""

from __future__ import annotations

import difflib
import hashlib
import html
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup, escape

from briefgen.check import PageRefs, RefsCache, fragment_refs, page_refs, refs_salt
from briefgen.errors import BriefgenError
from briefgen.export import briefing_json
from briefgen.search import merged_bundles, plan_shards
from briefgen.structure import Briefing, Person, Quote, Source, Span, Statement
from briefgen.workers import call_inherited, can_fork, fork_pool, inherited

PACKAGE_ROOT = Path(__file__).resolve().parent


def asset_dir(name: str) -> Path:
    """`templates/` or `static/`: inside the installed package (wheel), else beside it (source checkout)."""
    for candidate in (PACKAGE_ROOT / name, PACKAGE_ROOT.parent / name):
        if candidate.is_dir():
            return candidate
    raise BriefgenError(f"briefgen's own {name}/ folder is missing from the installation")


ENV_OPTIONS = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the build cache, so a fresh process does not compile them again. Jinja keys each
    by template name and file and checks it against the template's source; the folder is named after Jinja's and
    briefgen's versions and the options (they change what a template compiles to). Unwritable: no cache."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def environment(user_templates: Path | None, cache: Path | None = None) -> jinja2.Environment:
    """Autoescaping Jinja environment; a file in the briefing's templates/ overrides the built-in one of that name.
    With `cache` (the build cache folder), compiled templates are kept there."""
    import hashlib

    from briefgen import __version__

    search = [str(user_templates)] if user_templates and user_templates.is_dir() else []
    search.append(str(asset_dir("templates")))
    bytecode = None
    if cache is not None:
        salt = hashlib.sha256(f"{jinja2.__version__}|{__version__}|{sorted(ENV_OPTIONS.items())}".encode())
        folder = cache / "templates" / salt.hexdigest()[:16]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            bytecode = _BytecodeCache(str(folder))
        except OSError:
            pass
    # A briefing's own templates come with its folder, which may come from anyone: they run sandboxed (no access
    # to Python internals), as the built-in ones need not.
    from jinja2.sandbox import SandboxedEnvironment

    kind = SandboxedEnvironment if len(search) > 1 else jinja2.Environment
    return kind(
        loader=jinja2.FileSystemLoader(search),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=bytecode,
        **ENV_OPTIONS,
    )


def anchor(span: Span) -> str:
    return f"ev-{span.start}-{span.end}"


# ---------------------------------------------------------------- view model

@dataclass
class QuoteGroup:
    """One quote as carried by one or more outlets (a cluster), for person and quote pages."""

    cluster: str
    quotes: list[Quote]
    speaker: Person | None

    @property
    def text(self) -> str:
        return max((q.text for q in self.quotes), key=len)

    @property
    def partial(self) -> bool:
        return all(q.partial for q in self.quotes)


def group_speaker(quotes: list[Quote]) -> str | None:
    """The speaker most outlets give a quote; none when they are split evenly between speakers (unsure)."""
    counts = Counter(q.speaker for q in quotes if q.speaker).most_common(2)
    if not counts or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


@dataclass
class View:
    """What the templates need, computed once from the Briefing."""

    b: Briefing
    MAX_CITES = 6  # citation links shown per statement; the rest are counted (all are in briefing.json)
    MAX_LIST = 25  # claims listed per section of "What changed"
    sources: dict[str, Source] = field(default_factory=dict)
    number: dict[str, int] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    groups: list[QuoteGroup] = field(default_factory=list)
    by_speaker: dict[str, list[QuoteGroup]] = field(default_factory=dict)
    disputed: dict[str, list[QuoteGroup]] = field(default_factory=dict)  # person id -> groups split evenly
    by_source: dict[str, list[Quote]] = field(default_factory=dict)
    spans: dict[str, list[Span]] = field(default_factory=dict)
    mates: dict[str, list[str]] = field(default_factory=dict)
    _cite_cache: dict[str, str] = field(default_factory=dict)
    _about_cache: dict[str, str] = field(default_factory=dict)
    _missing_cache: dict[int, str] = field(default_factory=dict)  # claim index -> its text and citations
    _scope_by_source: dict[str, dict[str, list[Span]]] | None = None
    MAX_MATES = 5  # wire-copy partners named per source; the rest are counted

    @classmethod
    def build(cls, b: Briefing) -> "View":
        view = cls(b)
        view.sources = {s.id: s for s in b.sources}
        view.number = {s.id: i + 1 for i, s in enumerate(b.sources)}
        view.people = {p.id: p for p in b.people}
        clusters: dict[str, list[Quote]] = defaultdict(list)
        for q in b.quotes:
            clusters[q.cluster].append(q)
        for cluster, quotes in clusters.items():
            view.groups.append(QuoteGroup(cluster, quotes, view.people.get(group_speaker(quotes))))
        for group in view.groups:
            if group.speaker is not None:
                view.by_speaker.setdefault(group.speaker.id, []).append(group)
            else:
                for speaker in dict.fromkeys(q.speaker for q in group.quotes if q.speaker):
                    view.disputed.setdefault(speaker, []).append(group)
        for q in b.quotes:
            view.by_source.setdefault(q.source, []).append(q)
        statements: list[Statement] = [*b.overview, *b.claims, *b.timeline, *b.scope.before, *b.scope.allowed,
                                       *b.scope.prohibited, *b.scope.conditions]
        statements += [p for d in b.divergences for p in d.positions]
        for group in b.wire_groups:
            for member in group:
                view.mates[member] = [m for m in group if m != member]
        for s in b.sources:
            view.spans[s.id] = list(s.summary)
        for st in statements:
            for e in st.evidence:
                view.spans[e.source].append(e)
        return view

    # -- helpers used by templates
    def label(self, source_id: str) -> str:
        return f"S{self.number[source_id]}"

    def outlet(self, source_id: str) -> str:
        """The outlet when known, else the headline's first words: never an invented outlet."""
        s = self.sources[source_id]
        if s.outlet:
            return s.outlet
        words = s.title.split()
        return " ".join(words[:6]) + ("…" if len(words) > 6 else "")

    def evidence_href(self, span: Span, root: str) -> str:
        return f"{root}sources/{span.source}/#{anchor(span)}"

    def cite(self, evidence: list[Span], root: str) -> Markup:
        """One small link per supporting source (the first MAX_CITES), to the exact words on its page. Built here
        rather than in a template: a briefing cites thousands of times and this is most of the rendering."""
        shown = evidence[: self.MAX_CITES]
        links = " ".join(f'<a href="{escape(self.evidence_href(e, root))}"{self._cite_attrs(e.source)}</a>'
                         for e in shown)
        more = f' <span class="more">+{len(evidence) - len(shown)} more</span>' if len(evidence) > len(shown) else ""
        return Markup(f'<span class="cite">{links}{more}</span>')

    def _cite_attrs(self, source_id: str) -> str:
        """The rest of a citation link to a source: title, aria-label, label (escaped), once per source."""
        found = self._cite_cache.get(source_id)
        if found is None:
            label = escape(self.label(source_id))
            found = self._cite_cache[source_id] = (
                f' title="{escape(self.sources[source_id].title)}"'
                f' aria-label="{label}: evidence in {escape(self.outlet(source_id))}">{label}')
        return found

    def quote_href(self, quote: Quote, root: str) -> str:
        return f"{root}sources/{quote.source}/#{quote.id}"

    def person_href(self, person: Person, root: str) -> str | None:
        return f"{root}{person.url_path}" if has_page(person) else None

    def wire(self, source_id: str) -> list[str]:
        return self.mates.get(source_id, [])

    def groups_of(self, person: Person) -> list[QuoteGroup]:
        return self.by_speaker.get(person.id, [])

    def disputed_of(self, person: Person) -> list[QuoteGroup]:
        """Quotes some outlets give to this person and as many give to someone else (listed under neither)."""
        return self.disputed.get(person.id, [])

    def said_by(self, group: QuoteGroup) -> list[tuple[Quote, Person | None]]:
        """Each outlet's attribution of a quote, in source order."""
        return [(q, self.people.get(q.speaker) if q.speaker else None)
                for q in sorted(group.quotes, key=lambda q: self.number[q.source])]

    def unattributed(self) -> list[QuoteGroup]:
        return [g for g in self.groups if g.speaker is None and not g.partial]

    def quotes_in(self, source_id: str) -> list[Quote]:
        return self.by_source.get(source_id, [])

    def scope_for(self, source_id: str) -> dict[str, list[Span]]:
        """The scope statements' evidence in this source, by label (in the order of the labels, the statements
        and their evidence); worked out for all sources at once, when first asked."""
        if self._scope_by_source is None:
            self._scope_by_source = {}
            for label in ("before", "allowed", "prohibited", "conditions"):
                for st in getattr(self.b.scope, label):
                    for e in st.evidence:
                        self._scope_by_source.setdefault(e.source, {}).setdefault(label, []).append(e)
        return self._scope_by_source.get(source_id, {})

    def text_of(self, span: Span) -> str:
        return self.sources[span.source].text[span.start:span.end]

    def variants(self, group: QuoteGroup) -> list[tuple[Quote, Markup]]:
        """Each outlet's wording, with the words that differ from the fullest version marked."""
        base = group.text.split()
        out = []
        for q in sorted(group.quotes, key=lambda q: self.number[q.source]):
            words = q.text.split()
            matcher = difflib.SequenceMatcher(a=[w.lower().strip(".,;:!?") for w in base],
                                              b=[w.lower().strip(".,;:!?") for w in words], autojunk=False)
            parts = []
            for op, _, _, j1, j2 in matcher.get_opcodes():
                chunk = html.escape(" ".join(words[j1:j2]))
                if not chunk:
                    continue
                parts.append(chunk if op == "equal" else f"<ins>{chunk}</ins>")
            out.append((q, Markup(" ".join(parts))))
        return out

    def key_facts(self) -> list:
        """The claims most sources carry, at most five."""
        return [c for c in self.b.claims if c.support >= 2][:5]

    # -- what a source or person page reads, as text (see PageCache): every field its template, the base template
    # and the macros it calls read of the briefing (`b`), of this view (`v`) and of its own object. A template
    # that reads something more must say so in SOURCE_PAGE_READS / PERSON_PAGE_READS (tests/test_site.py checks)
    # and here.
    def _about(self, source_id: str) -> str:
        found = self._about_cache.get(source_id)
        if found is None:
            s = self.sources[source_id]
            found = self._about_cache[source_id] = (
                f"{source_id}\x1f{self.label(source_id)}\x1f{self.outlet(source_id)}\x1f{s.title}")
        return found

    def _who(self, person: Person | None) -> str:
        if person is None:
            return "-"
        return f"{person.id}\x1f{person.name}\x1f{person.anonymous}\x1f{self.person_href(person, '')}"

    def _cited(self, evidence: list[Span]) -> str:
        shown = "\x1e".join(f"{self._about(e.source)}\x1f{e.start}\x1f{e.end}" for e in evidence[:self.MAX_CITES])
        return f"{len(evidence)}\x1d{shown}"

    def _missing(self, index: int) -> str:
        """A widely reported claim as a source page lists it among what the source leaves out (the same claim is
        listed on many pages)."""
        found = self._missing_cache.get(index)
        if found is None:
            claim = self.b.claims[index]
            found = self._missing_cache[index] = f"{claim.text}\x1d{self._cited(claim.evidence)}"
        return found

    def source_inputs(self, source: Source) -> list[str]:
        b, sid = self.b, source.id
        mates = self.wire(sid)
        quotes = self.quotes_in(sid)
        return [
            sid, source.path, source.title, source.text, str(source.outlet), str(source.url), str(source.published),
            str(source.author), "\x1f".join(source.credits), "\x1f".join(source.removed),
            " ".join(f"{e.start}:{e.end}" for e in self.spans[sid]),  # the summary first, then all evidence here
            f"{len(mates)}:" + "\x1e".join(self._about(m) for m in mates[:self.MAX_MATES]),
            "\x1e".join(f"{q.id}\x1f{q.start}\x1f{q.end}\x1f{q.text}\x1f{q.partial}\x1f"
                         f"{self._who(self.people.get(q.speaker))}" for q in quotes),
            "\x1e".join(f"{label}:" + " ".join(f"{e.start}:{e.end}" for e in spans)
                         for label, spans in self.scope_for(sid).items()),
            "\x1e".join(f"{b.claims[i].text}\x1f{b.claims[i].evidence[0].start}:{b.claims[i].evidence[0].end}"
                         for i in b.only_in.get(sid, [])),
        ]

    def leaves_out_inputs(self, source: Source) -> list[str]:
        """What the "leaves out" block of a source page reads (`source_inputs` covers the rest of the page)."""
        b, sid = self.b, source.id
        missing = b.leaves_out.get(sid, [])
        return ["\x1e".join(map(self._missing, missing)),
                f"{b.leaves_out_count.get(sid, len(missing)) > len(missing)}|{b.consensus}"]

    def person_inputs(self, person: Person) -> list[str]:
        groups = [(g, False) for g in self.groups_of(person)] + [(g, True) for g in self.disputed_of(person)]
        return [
            person.id, person.name, str(person.role), person.kind, str(person.anonymous), "\x1f".join(person.aliases),
            "\x1e".join(f"{self._about(sid)}\x1f{count}" for sid, count in sorted(person.mentions.items())),
            "\x1e".join(f"{disputed}\x1f{g.text}\x1f{self._who(g.speaker)}\x1d" + "\x1d".join(
                f"{self._about(q.source)}\x1f{q.id}\x1f{q.text}\x1f{q.partial}\x1f"
                f"{self._who(self.people.get(q.speaker))}" for q in g.quotes) for g, disputed in groups),
        ]


# What the cached pages' templates (with base.html and the macros they call) read of `b` and `v`: see
# View.source_inputs and View.person_inputs, which must cover them all.
COMMON_READS = {"b.title", "b.description", "b.sources"}
SOURCE_PAGE_READS = COMMON_READS | {
    "b.only_in", "b.claims",
    "v.wire", "v.MAX_MATES", "v.outlet", "v.label", "v.text_of", "v.quotes_in", "v.people", "v.person_href",
    "v.scope_for",
}
# A block of a page template rendered on its own when only what it reads changed (see PageCache), and what it
# reads (View.leaves_out_inputs covers it; the rest of its page reads none of it that source_inputs misses).
BLOCK_OF_PAGE = {"source.html": "leaves_out"}
LEAVES_OUT_READS = {"b.leaves_out", "b.leaves_out_count", "b.consensus", "b.claims", "v.cite"}
PERSON_PAGE_READS = COMMON_READS | {
    "v.groups_of", "v.disputed_of", "v.said_by", "v.quote_href", "v.outlet", "v.label", "v.person_href",
    "v.variants",
}


def has_page(person: Person) -> bool:
    return not person.anonymous


# ---------------------------------------------------------------- the source text with anchors

def annotate(source: Source, quotes: list[Quote], spans: list[Span]) -> list[Markup]:
    """The cleaned text as HTML paragraphs: every quote wrapped in an element with the quote's id, every evidence
    and summary span anchored. Spans that would cross another are anchored by an empty marker instead."""
    text = source.text
    intervals: list[tuple[int, int, str, str]] = []  # start, end, tag, id
    for q in quotes:
        intervals.append((q.start, q.end, "q", q.id))
    seen = set()
    for s in spans:
        if (s.start, s.end) not in seen and s.end > s.start:
            seen.add((s.start, s.end))
            intervals.append((s.start, s.end, "span", anchor(s)))
    intervals.sort(key=lambda x: (x[0], -x[1], x[2]))
    opens: dict[int, list[str]] = defaultdict(list)
    closes: dict[int, list[str]] = defaultdict(list)
    stack: list[int] = []
    for start, end, tag, ident in intervals:
        while stack and stack[-1] <= start:
            stack.pop()
        para_break = "\n" in text[start:end]
        if (stack and end > stack[-1]) or para_break:
            opens[start].append(f'<span class="anchor" id="{ident}"></span>')
            continue
        cls = "quote" if tag == "q" else "evidence"
        opens[start].append(f'<{tag} class="{cls}" id="{ident}">')
        closes[end].insert(0, f"</{tag}>")
        stack.append(end)
    paragraphs: list[Markup] = []
    buf: list[str] = []
    pos = 0
    boundaries = sorted(set(opens) | set(closes) | {m.start() for m in re.finditer(r"\n\n", text)} | {len(text)})
    for b in boundaries:
        chunk = text[pos:b]
        if chunk:
            buf.append(html.escape(chunk))
        pos = b
        buf.extend(closes.get(b, []))
        if text.startswith("\n\n", b):
            paragraphs.append(Markup("".join(buf).strip()))
            buf = []
            pos = b + 2
        buf.extend(opens.get(b, []))
    if buf:
        paragraphs.append(Markup("".join(buf).strip()))
    return [p for p in paragraphs if p]


# ---------------------------------------------------------------- pages

def _template_error(exc: Exception, template: str) -> BriefgenError:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return BriefgenError(f"template {exc.filename or exc.name}: syntax error at line {exc.lineno}: {exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        return BriefgenError(f"template {exc.name} not found")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return BriefgenError(f"template {template}: not allowed in a briefing's templates ({exc})")
    if isinstance(exc, jinja2.TemplateError):
        return BriefgenError(f"template {template}: {exc}")
    return BriefgenError(f"template {template}: {type(exc).__name__}: {exc}")  # from a Python expression in it


# What a template can raise: Jinja's own errors (the sandbox's refusals among them) and the errors of the Python
# expressions a template evaluates; each becomes one line naming the template.
TEMPLATE_ERRORS = (jinja2.TemplateError, TypeError, AttributeError, ValueError, ArithmeticError, LookupError)


def render_page(env: jinja2.Environment, template: str, path: str, **context) -> bytes:
    root = "../" * path.count("/")
    try:
        page = env.get_template(template).render(root=root, page_path=path, **context)
    except TEMPLATE_ERRORS as exc:  # in this template or one it includes or extends
        raise _template_error(exc, template) from None
    return page.encode("utf-8")


def render_block(env: jinja2.Environment, template: str, block: str, path: str, **context) -> bytes:
    """One block of a page template as it comes out in the page (a block imports the macros it calls itself:
    the template's own imports are not run for a block alone)."""
    root = "../" * path.count("/")
    try:
        page = env.get_template(template)
        out = "".join(page.blocks[block](page.new_context({"root": root, "page_path": path, **context})))
    except TEMPLATE_ERRORS as exc:
        raise _template_error(exc, template) from None
    return out.encode("utf-8")


class PageCache:
    """Source and person pages, with what the link check read of them, kept in the build cache under a digest of
    what their templates read (`View.source_inputs`, `View.person_inputs`), of the briefing-wide values the base
    template shows, and of briefgen's templates and rendering code: a build after one edit renders only the few
    pages whose inputs changed. A page with a block of its own (`BLOCK_OF_PAGE`: a source page's "leaves out"
    list, which moves on most source pages when one source reports one point more or less) also keeps the page
    around that block, under a digest of what the rest of the page reads: when only the block's inputs changed,
    only the block is rendered and read for the link check. Not with template overrides, which may read anything.
    Entries this build did not use are dropped at the end (`prune`)."""

    def __init__(self, folder: Path, b: Briefing, language: str):
        from briefgen import __version__
        from briefgen.parse import PickleCache

        self.store = PickleCache(folder, ".page")
        salt = hashlib.sha256(f"{__version__}|{jinja2.__version__}|{language}|{b.title}|{b.description}|"
                              f"{len(b.sources)}|".encode())
        salt.update(Path(__file__).read_bytes())
        salt.update(refs_salt())  # entries hold what the link check read, too
        root = asset_dir("templates")
        for template in sorted(root.rglob("*")):
            if template.is_file():
                salt.update(template.relative_to(root).as_posix().encode() + b"\0" + template.read_bytes())
        self.salt = salt.digest()
        self.used: set[str] = set()

    @classmethod
    def open(cls, cache: Path | None, user_templates: Path | None, b: Briefing, language: str) -> "PageCache | None":
        overridden = user_templates is not None and user_templates.is_dir() and any(
            p.is_file() for p in user_templates.rglob("*"))
        return None if cache is None or overridden else cls(cache / "pages", b, language)

    def key(self, path: str, inputs: list[str]) -> str:
        key = hashlib.blake2b(self.salt + path.encode() + b"\0" + "\x1c".join(inputs).encode(),
                              digest_size=20).hexdigest()
        self.used.add(key)
        return key

    def get(self, key: str) -> tuple[bytes, object] | None:
        return self.store.get(key)  # damaged: None, rendered again

    def put(self, key: str, page: bytes, refs: object) -> None:
        self.store.put(key, (page, refs))

    def prune(self) -> None:
        """Drop the pages this build did not use: the cache holds one site's pages, not its history."""
        for entry in self.store.entries():
            if entry.name.partition(".")[0] not in self.used:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass


MIN_PAGES_PER_PROCESS = 40  # below this, forking costs more than it saves
PAGE_CHUNK = 16


def _render_inherited(paths: list[str]) -> list[tuple[str, bytes, object]]:
    return _render_chunk(inherited(), paths)


def _render_chunk(state: tuple, paths: list[str]) -> list[tuple[str, bytes, object]]:
    """Render pages with (environment, pages, shared context, RefsCache or None: read no links, PageCache or
    None, page keys, frames): each page with a key goes to the page cache from here. A page in `frames` has a
    block of its own: (key of the page around it, that page as cached or None); see `_framed`."""
    env, pages, common, refs_cache, page_cache, keys, frames = state
    out = []
    for path in paths:
        template, extra = pages[path]
        if path in frames:
            data, refs = _framed(env, template, path, {**common, **extra}, page_cache, *frames[path])
        elif page_cache and path in keys:  # its refs are kept with it, not in the refs cache too
            data = render_page(env, template, path, **common, **extra)
            refs = page_refs(data, path) if refs_cache else None
        else:
            data = render_page(env, template, path, **common, **extra)
            refs = refs_cache.refs(data, path) if refs_cache else None
        if page_cache and path in keys:
            page_cache.put(keys[path], data, refs)
        out.append((path, data, refs))
    return out


def _framed(env, template: str, path: str, context: dict, page_cache: PageCache, frame_key: str,
            frame: tuple[bytes, bytes, PageRefs] | None) -> tuple[bytes, PageRefs]:
    """A page with a block of its own, and its refs. With the page around the block cached (`frame`: the bytes
    before and after it, and the refs of those), only the block is rendered and read; else the whole page is,
    and the page around the block goes to the cache (when the block comes out exactly once in it). A page's
    searchable digest is that of the page around the block when search ignores all of the block (the same
    whichever way the page was made), else that of the page."""
    block = render_block(env, template, BLOCK_OF_PAGE[template], path, **context)
    if frame is None:
        data = render_page(env, template, path, **context)
        if data.count(block) != 1:
            return data, page_refs(data, path)
        head, _, tail = data.partition(block)
        frame = (head, tail, page_refs(head + tail, path))
        page_cache.store.put(frame_key, frame)
    head, tail, around = frame
    data = head + block + tail
    part, hidden = fragment_refs(block, path)
    return data, around.joined(part, around.searchable if hidden else page_refs(data, path).searchable)


def render_pages(env: jinja2.Environment, pages: dict[str, tuple[str, dict]], common: dict, jobs: int = 1,
                 refs: dict | None = None, side: Callable[[tuple], bytes] | None = None,
                 cache: Path | None = None, page_cache: PageCache | None = None,
                 keys: dict[str, str] | None = None, frames: dict[str, tuple] | None = None,
                 on_page: Callable[[str, bytes], None] | None = None) -> tuple[dict[str, bytes], bytes | None]:
    """Render `pages` (path -> template, context); in forked workers when there are enough of them. `refs`, if
    given, receives each page's ids and links for the link check, read where the page was rendered (or found in
    `cache`, the build cache folder, when the page is the same as in an earlier build). `side` (a module-level
    function of the workers' state, see `_render_chunk`) is run by the first free worker, not by this process,
    which would compete with the workers for a core and be slow to take their pages; its result is returned.
    Pages with a key in `keys` are stored in `page_cache` as they are rendered (for `frames`, see `_render_chunk`;
    they need `page_cache` and `refs`). `on_page(path, page)` is called in this process for each page as it comes
    (while the workers render the rest)."""
    paths = list(pages)
    for template in sorted({t for t, _ in pages.values()}):  # compile once, before forking
        try:
            env.get_template(template)
        except TEMPLATE_ERRORS as exc:
            raise _template_error(exc, template) from None
    size = max(1, min(PAGE_CHUNK, len(paths) // (4 * jobs)))  # a few pages (an edit's): one at a time
    chunks = [paths[k:k + size] for k in range(0, len(paths), size)]
    state = (env, pages, common, RefsCache(cache / "refs" if cache else None) if refs is not None else None,
             page_cache, keys or {}, frames or {})
    if can_fork(jobs, len(paths), MIN_PAGES_PER_PROCESS):
        with fork_pool(jobs, state) as pool:
            aside = pool.apply_async(call_inherited, (side,)) if side else None  # queued first: started first
            files = _collect(pool.imap(_render_inherited, chunks), refs, on_page)
            extra = aside.get() if aside else None
    else:
        extra = side(state) if side else None
        files = _collect((_render_chunk(state, chunk) for chunk in chunks), refs, on_page)
    return files, extra


def _collect(chunks, refs: dict | None, on_page) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for chunk in chunks:
        for path, data, page in chunk:
            files[path] = data
            if page is not None:
                refs[path] = page
            if on_page:
                on_page(path, data)
    return files


def _briefing_json(state: tuple) -> bytes:
    return briefing_json(state[2]["b"])


def static_files() -> dict[str, bytes]:
    root = asset_dir("static")
    return {
        f"static/{p.relative_to(root).as_posix()}": p.read_bytes()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def sitemap(paths: list[str], base_url: str | None) -> bytes:
    base = (base_url or "").rstrip("/") + "/" if base_url else ""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for p in paths:
        loc = base + (p[: -len("index.html")] if p.endswith("index.html") else p)
        lines.append(f"  <url><loc>{html.escape(loc)}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_site(briefing: Briefing, language: str = "en", user_templates: Path | None = None,
                base_url: str | None = None, jobs: int = 1, refs: dict | None = None,
                cache: Path | None = None, on_page: Callable[[str, bytes], None] | None = None) -> dict[str, bytes]:
    """Every file of the site. With `jobs` > 1, pages are rendered in that many forked processes; `refs` and
    `on_page`: see `render_pages`; `cache` (the build cache folder): see `environment` and `render_pages`."""
    env = environment(user_templates, cache)
    view = View.build(briefing)
    common = {"b": briefing, "v": view, "language": language}
    pages: dict[str, tuple[str, dict]] = {
        "index.html": ("index.html", {}),
        "what-changed/index.html": ("what_changed.html", {}),
        "people/index.html": ("people.html", {}),
        "quotes/index.html": ("quotes.html", {}),
        "404.html": ("404.html", {}),
    }
    page_cache = PageCache.open(cache, user_templates, briefing, language)
    order = list(pages)
    keys: dict[str, str] = {}
    kept: dict[str, tuple[bytes, object]] = {}  # from the page cache

    def source_context(source: Source) -> dict:
        return {"source": source, "paragraphs": annotate(source, view.quotes_in(source.id), view.spans[source.id])}

    own = [(f"sources/{s.id}/index.html", "source.html", view.source_inputs, view.leaves_out_inputs,
            source_context, s) for s in briefing.sources]
    own += [(f"people/{p.id}/index.html", "person.html", view.person_inputs, None, lambda p: {"person": p}, p)
            for p in briefing.people if has_page(p)]
    frames: dict[str, tuple] = {}
    for path, template, inputs, block_inputs, context, subject in own:
        order.append(path)
        if page_cache:
            around = inputs(subject)
            framed = block_inputs is not None and refs is not None
            if framed:  # the page around its block: kept while the page is, even when not needed this time
                frame_key = page_cache.key(f"{path}\0around {BLOCK_OF_PAGE[template]}", around)
            keys[path] = page_cache.key(path, around + (block_inputs(subject) if block_inputs else []))
            if found := page_cache.get(keys[path]):
                kept[path] = found
                continue
            if framed:
                frames[path] = (frame_key, page_cache.get(frame_key))
                if frames[path][1] is not None:
                    pages[path] = (template, {"source": subject})  # the block reads no paragraphs
                    continue
        pages[path] = (template, context(subject))
    rendered, data = render_pages(env, pages, common, jobs, refs, side=_briefing_json, cache=cache,
                                  page_cache=page_cache, keys=keys, frames=frames, on_page=on_page)
    if refs is not None:
        for path, (page, found) in kept.items():
            refs[path] = found if found is not None else page_refs(page, path)
    files = {path: rendered[path] if path in rendered else kept[path][0] for path in order}
    if page_cache:
        page_cache.prune()
    # the search page names the index shards, which depend on what the pages mark as searchable (itself included)
    search = "search/index.html"
    files[search] = render_page(env, "search.html", search, **common, merge=[])
    files[search] = render_page(env, "search.html", search, **common, merge=merged_bundles(plan_shards(files)))
    if refs is not None:
        refs[search] = page_refs(files[search], search)
    files["sitemap.xml"] = sitemap(sorted(p for p in files if p.endswith(".html") and p != "404.html"), base_url)
    files["briefing.json"] = data
    files[".nojekyll"] = b""
    files.update(static_files())
    return files
