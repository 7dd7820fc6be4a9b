"""Render: turn a Briefing into the site's files (HTML pages, assets, sitemap, briefing.json), all in memory."""

from __future__ import annotations

import difflib
import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from briefgen.check import PageRefs, page_refs
from briefgen.errors import BriefgenError
from briefgen.export import briefing_json
from briefgen.search import merged_bundles, plan_shards
from briefgen.structure import Briefing, Person, Quote, Source, Span, Statement

PACKAGE_ROOT = Path(__file__).resolve().parent


def asset_dir(name: str) -> Path:
    """`templates/` or `static/`: inside the installed package (wheel), else beside it (source checkout)."""
    for candidate in (PACKAGE_ROOT / name, PACKAGE_ROOT.parent / name):
        if candidate.is_dir():
            return candidate
    raise BriefgenError(f"briefgen's own {name}/ folder is missing from the installation")


ENV_OPTIONS = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


def environment(user_templates: Path | None) -> jinja2.Environment:
    """Autoescaping Jinja environment; a file in the briefing's templates/ overrides the built-in one of that name.
    A briefing's own templates come with its folder, which may come from anyone: they run sandboxed (no access
    to Python internals), as the built-in ones need not. One environment per search path in a process: Jinja
    keeps the templates it compiled and compiles a file again when it changes (a process that builds again and
    again, `serve`, compiles them once)."""
    search = [str(user_templates)] if overrides(user_templates) else []
    search.append(str(asset_dir("templates")))
    return _environment(tuple(search))


@lru_cache(maxsize=4)
def _environment(search: tuple[str, ...]) -> jinja2.Environment:
    from jinja2.sandbox import SandboxedEnvironment

    kind = SandboxedEnvironment if len(search) > 1 else jinja2.Environment
    return kind(
        loader=jinja2.FileSystemLoader(list(search)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        **ENV_OPTIONS,
    )


def overrides(user_templates: Path | None) -> bool:
    """Whether the briefing has templates of its own (they may read anything: their pages are never cached)."""
    return (
        user_templates is not None and user_templates.is_dir() and any(p.is_file() for p in user_templates.rglob("*"))
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
    index: str = "index.html"  # what links to a page's folder end in: "index.html", or "" (use_directory_urls)
    MAX_CITES = 6  # citation links shown per statement; the rest are counted (all are in briefing.json)
    MAX_LIST = 25  # claims listed per section of "What changed"
    MAX_ONLY = 8  # points shown per source under "reported by one source only"; the rest behind a toggle
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
    _scope_by_source: dict[str, dict[str, list[Span]]] | None = None
    MAX_MATES = 5  # wire-copy partners named per source; the rest are counted

    @classmethod
    def build(cls, b: Briefing, index: str = "index.html") -> "View":
        view = cls(b, index)
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
        statements: list[Statement] = [
            *b.overview,
            *b.claims,
            *b.timeline,
            *b.scope.before,
            *b.scope.allowed,
            *b.scope.prohibited,
            *b.scope.conditions,
        ]
        statements += [p for d in b.divergences for p in d.positions]
        for wire in b.wire_groups:
            for member in wire:
                view.mates[member] = wire  # one list per group, not per member
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
        return f"{root}sources/{span.source}/{self.index}#{anchor(span)}"

    def cite(self, evidence: list[Span], root: str) -> Markup:
        """One small link per supporting source (the first MAX_CITES), to the exact words on its page. Built here
        rather than in a template: a briefing cites thousands of times and this is most of the rendering."""
        shown = evidence[: self.MAX_CITES]
        links = " ".join(
            f'<a href="{escape(self.evidence_href(e, root))}"{self._cite_attrs(e.source)}</a>' for e in shown
        )
        more = f' <span class="more">+{len(evidence) - len(shown)} more</span>' if len(evidence) > len(shown) else ""
        return Markup(f'<span class="cite">{links}{more}</span>')

    def _cite_attrs(self, source_id: str) -> str:
        """The rest of a citation link to a source: title, aria-label, label (escaped), once per source."""
        found = self._cite_cache.get(source_id)
        if found is None:
            label = escape(self.label(source_id))
            found = self._cite_cache[source_id] = (
                f' title="{escape(self.sources[source_id].title)}"'
                f' aria-label="{label}: evidence in {escape(self.outlet(source_id))}">{label}'
            )
        return found

    def who(self, person: Person | None, root: str) -> Who | None:
        if person is None:
            return None
        return Who(person.name, self.person_href(person, root), person.anonymous)

    def source_ref(self, source_id: str, root: str, fragment: str = "") -> SourceRef:
        return SourceRef(
            f"{root}sources/{source_id}/{self.index}{fragment}",
            self.outlet(source_id),
            self.label(source_id),
            self.sources[source_id].title,
        )

    def group_view(self, group: QuoteGroup, root: str) -> GroupView:
        wordings = self.variants(group) if len({q.text for q in group.quotes}) > 1 else []
        return GroupView(
            text=group.text,
            speaker=self.who(group.speaker, root),
            carried_by=tuple(
                self.source_ref(q.source, root, f"#{q.id}") for q in sorted(group.quotes, key=lambda q: q.source)
            ),
            wordings=tuple((self.label(q.source), marked) for q, marked in wordings),
            said_by=tuple(
                (self.source_ref(q.source, root, f"#{q.id}"), self.who(person, root))
                for q, person in self.said_by(group)
            ),
        )

    def person_href(self, person: Person, root: str) -> str | None:
        return f"{root}{person.url_path}{self.index}" if has_page(person) else None

    def wire(self, source_id: str) -> list[str]:
        """The first MAX_MATES sources that carry the same wire copy as this one (`wire_count`: how many do)."""
        return [m for m in self.mates.get(source_id, [])[: self.MAX_MATES + 1] if m != source_id][: self.MAX_MATES]

    def wire_count(self, source_id: str) -> int:
        return max(0, len(self.mates.get(source_id, [])) - 1)

    def groups_of(self, person: Person) -> list[QuoteGroup]:
        return self.by_speaker.get(person.id, [])

    def disputed_of(self, person: Person) -> list[QuoteGroup]:
        """Quotes some outlets give to this person and as many give to someone else (listed under neither)."""
        return self.disputed.get(person.id, [])

    def said_by(self, group: QuoteGroup) -> list[tuple[Quote, Person | None]]:
        """Each outlet's attribution of a quote, in source order."""
        return [
            (q, self.people.get(q.speaker) if q.speaker else None)
            for q in sorted(group.quotes, key=lambda q: self.number[q.source])
        ]

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
        return self.sources[span.source].text[span.start : span.end]

    def variants(self, group: QuoteGroup) -> list[tuple[Quote, Markup]]:
        """Each outlet's wording, with the words that differ from the fullest version marked."""
        base = group.text.split()
        out = []
        for q in sorted(group.quotes, key=lambda q: self.number[q.source]):
            words = q.text.split()
            matcher = difflib.SequenceMatcher(
                a=[w.lower().strip(".,;:!?") for w in base],
                b=[w.lower().strip(".,;:!?") for w in words],
                autojunk=False,
            )
            parts = []
            for op, _, _, j1, j2 in matcher.get_opcodes():
                chunk = html.escape(" ".join(words[j1:j2]))
                if not chunk:
                    continue
                parts.append(chunk if op == "equal" else f"<ins>{chunk}</ins>")
            out.append((q, Markup(" ".join(parts))))
        return out

    def when(self, iso: str) -> str:
        """An ISO date as a reader reads it: "Thu 9 Dec 2004", "March 2005", "2005", "2005–2010"."""
        return "–".join(_readable(part) for part in iso.split("/"))

    def only_by_source(self) -> list[tuple[str, list]]:
        """What only one source reports, by source in source order, each source's points most salient first."""
        only = self.b.only_in
        return [(s.id, [self.b.claims[i] for i in only[s.id]]) for s in self.b.sources if only.get(s.id)]

    def key_facts(self) -> list:
        """The claims most sources carry, at most five."""
        return [c for c in self.b.claims if c.support >= 2][:5]


def _readable(iso: str) -> str:
    import datetime as dt

    try:
        if len(iso) == 10:
            day = dt.date.fromisoformat(iso)
            return f"{day:%a} {day.day} {day:%b %Y}"
        if len(iso) == 7:
            return dt.date.fromisoformat(f"{iso}-01").strftime("%B %Y")
    except ValueError:
        pass
    return iso


def has_page(person: Person) -> bool:
    return not person.anonymous


# ---------------------------------------------------------------- the source text with anchors


def annotate(text: str, marks: tuple[tuple[int, int, str, str], ...]) -> list[Markup]:
    """The cleaned text as HTML paragraphs: every quote wrapped in an element with the quote's id, every evidence
    and summary span anchored (`marks`: start, end, tag "q" or "span", id). Spans that would cross another are
    anchored by an empty marker instead."""
    intervals: list[tuple[int, int, str, str]] = []  # start, end, tag, id
    seen = set()
    for start, end, tag, ident in marks:
        if tag == "q":
            intervals.append((start, end, tag, ident))
        elif (start, end) not in seen and end > start:
            seen.add((start, end))
            intervals.append((start, end, tag, ident))
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


# ---------------------------------------------------------------- one view model per page


@dataclass(frozen=True)
class Site:
    """What every page shows of the briefing as a whole (base.html)."""

    title: str
    description: str | None
    language: str
    sources: int
    base_path: str = ""  # the site's path on its server ("/brief/"), from base_url: the 404 page's links use it
    index: str = "index.html"  # what links to a page's folder end in ("" with use_directory_urls)


@dataclass(frozen=True)
class Who:
    """A speaker as a page shows them: a link to their page, or a name marked unnamed."""

    name: str
    href: str | None
    anonymous: bool


@dataclass(frozen=True)
class SourceRef:
    """A link to a source page, or to a place in it."""

    href: str
    outlet: str
    label: str
    title: str = ""


@dataclass(frozen=True)
class GroupView:
    """One quote as the outlets carry it (the `quote_group` macro)."""

    text: str
    speaker: Who | None
    carried_by: tuple[SourceRef, ...]
    wordings: tuple[tuple[str, Markup], ...]  # (source label, the wording with its differences marked)
    said_by: tuple[tuple[SourceRef, Who | None], ...]  # each outlet's attribution, in source order


@dataclass(frozen=True)
class SourcePage:
    """Everything a source page shows: the template's only input, and (with `Site`) its cache key."""

    id: str
    title: str
    outlet: str | None
    published: str | None
    author: str | None
    url: str | None
    credits: tuple[str, ...]
    words: int
    path: str
    mates: tuple[SourceRef, ...]
    more_mates: int
    summary: tuple[tuple[str, str], ...]  # (text, anchor)
    quotes: tuple[tuple[str, str, Who | None], ...]  # (quote id, text, speaker): full quotes
    scope: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (heading, ((text, anchor), ...))
    only_here: tuple[tuple[str, str], ...]  # (text, anchor), most salient first
    max_only: int  # of them shown at once; the rest behind a toggle
    leaves_out: tuple[tuple[str, Markup], ...]  # (claim, its citations)
    leaves_out_more: bool
    consensus: int
    text: str
    marks: tuple[tuple[int, int, str, str], ...]  # (start, end, tag, id): quotes and evidence, for `paragraphs`
    removed: tuple[str, ...]
    notes: tuple[str, ...]

    def paragraphs(self) -> list[Markup]:
        return annotate(self.text, self.marks)


@dataclass(frozen=True)
class PersonPage:
    """Everything a person page shows: the template's only input, and (with `Site`) its cache key."""

    name: str
    role: str | None
    organisation: bool
    aliases: tuple[str, ...]
    groups: tuple[GroupView, ...]
    disputed: tuple[GroupView, ...]
    mentions: tuple[tuple[SourceRef, int], ...]


@dataclass(frozen=True)
class Page:
    """One page to render: its path, template and view model (None: an overview page, which reads the whole
    briefing, `b`, and its helpers, `v`)."""

    path: str
    template: str
    site: Site
    view: SourcePage | PersonPage | None = None

    @property
    def root(self) -> str:
        return "../" * self.path.count("/")


SCOPE_HEADINGS = {
    "before": "Before",
    "allowed": "Now allowed",
    "prohibited": "Still prohibited",
    "conditions": "Conditions",
}


def source_page(v: View, source: Source) -> SourcePage:
    b, sid, root = v.b, source.id, "../../"
    mates = v.wire(sid)
    marks = [(q.start, q.end, "q", q.id) for q in v.quotes_in(sid)]
    marks += [(s.start, s.end, "span", anchor(s)) for s in v.spans[sid]]
    missing = b.leaves_out.get(sid, [])
    return SourcePage(
        id=sid,
        title=source.title,
        outlet=source.outlet,
        published=source.published,
        author=source.author,
        url=source.url,
        credits=tuple(source.credits),
        words=source.word_count,
        path=source.path,
        mates=tuple(v.source_ref(m, root) for m in mates),
        more_mates=v.wire_count(sid) - len(mates),
        summary=tuple((v.text_of(s), anchor(s)) for s in source.summary),
        quotes=tuple((q.id, q.text, v.who(v.people.get(q.speaker), root)) for q in v.quotes_in(sid) if not q.partial),
        scope=tuple(
            (SCOPE_HEADINGS[label], tuple((v.text_of(s), anchor(s)) for s in spans))
            for label, spans in v.scope_for(sid).items()
        ),
        only_here=tuple((b.claims[i].text, anchor(b.claims[i].evidence[0])) for i in b.only_in.get(sid, [])),
        max_only=v.MAX_ONLY,
        leaves_out=tuple((b.claims[i].text, v.cite(b.claims[i].evidence, root)) for i in missing),
        leaves_out_more=b.leaves_out_count.get(sid, len(missing)) > len(missing),
        consensus=b.consensus,
        text=source.text,
        marks=tuple(marks),
        removed=tuple(source.removed),
        notes=tuple(source.notes),
    )


def person_page(v: View, person: Person) -> PersonPage:
    root = "../../"
    return PersonPage(
        name=person.name,
        role=person.role,
        organisation=person.kind == "organisation",
        aliases=tuple(person.aliases),
        groups=tuple(v.group_view(g, root) for g in v.groups_of(person)),
        disputed=tuple(v.group_view(g, root) for g in v.disputed_of(person)),
        mentions=tuple((v.source_ref(sid, root), count) for sid, count in sorted(person.mentions.items())),
    )


def plan_pages(v: View, language: str = "en", base_url: str | None = None) -> list[Page]:
    """Every page of the site but the search page (which names the search index's shards: see `search_page`)."""
    briefing = v.b
    base_path = urlsplit(base_url).path.rstrip("/") + "/" if base_url else ""
    site = Site(briefing.title, briefing.description, language, len(briefing.sources), base_path, v.index)
    pages = [
        Page(path, template, site)
        for path, template in (
            ("index.html", "index.html"),
            ("what-changed/index.html", "what_changed.html"),
            ("people/index.html", "people.html"),
            ("quotes/index.html", "quotes.html"),
            ("404.html", "404.html"),
        )
    ]
    pages += [Page(f"sources/{s.id}/index.html", "source.html", site, source_page(v, s)) for s in briefing.sources]
    pages += [
        Page(f"people/{p.id}/index.html", "person.html", site, person_page(v, p))
        for p in briefing.people
        if has_page(p)
    ]
    return pages


# ---------------------------------------------------------------- rendering


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


@dataclass
class Renderer:
    """What rendering a page needs besides its view model: the templates, and for overview pages (and a
    briefing's own templates, which may read anything) the briefing and its helpers."""

    env: jinja2.Environment
    briefing: Briefing
    view: View
    everything: bool  # hand `b` and `v` to every page (a briefing's own templates)
    css: str = ""  # the stylesheet, inlined into the 404 page (shown at any depth) when the site's root is unknown

    @classmethod
    def make(cls, briefing: Briefing, user_templates: Path | None = None, index: str = "index.html") -> "Renderer":
        env = environment(user_templates)
        for template in (
            "index.html",
            "what_changed.html",
            "people.html",
            "quotes.html",
            "404.html",
            "source.html",
            "person.html",
            "search.html",
        ):
            try:
                env.get_template(template)  # compiled once, before the work is shared out
            except TEMPLATE_ERRORS as exc:
                raise _template_error(exc, template) from None
        css = (asset_dir("static") / "briefgen.css").read_text(encoding="utf-8")
        return cls(env, briefing, View.build(briefing, index), overrides(user_templates), css)

    def render(self, page: Page, **extra) -> bytes:
        context = {
            "root": page.root,
            "index": page.site.index,  # links to a folder end in it: {{ root }}people/{{ index }}
            "home": (page.root + page.site.index) or "./",  # the briefing page
            "page_path": page.path,
            "site": page.site,
            "language": page.site.language,
            "page": page.view,
            **extra,
        }
        if page.view is None or self.everything:
            context |= {"b": self.briefing, "v": self.view}
        if page.path == "404.html":
            context["inline_css"] = Markup(self.css)  # briefgen's own stylesheet, not article text
        try:
            out = self.env.get_template(page.template).render(context)
        except TEMPLATE_ERRORS as exc:  # in this template or one it includes or extends
            raise _template_error(exc, page.template) from None
        return out.encode("utf-8")


def render_pages(renderer: Renderer, pages: list[Page]) -> list[tuple[bytes, PageRefs]]:
    """Each page's bytes, and what the link check and the search index read of it (read here, where the page is
    made: in parallel when the pages are shared out)."""
    out = []
    for page in pages:
        data = renderer.render(page)
        out.append((data, page_refs(data, page.path)))
    return out


def search_page(renderer: Renderer, site: Site, files: dict[str, bytes]) -> Page:
    """The search page, which names the index shards; they depend on what the pages mark as searchable, itself
    included, so it is rendered once to be planned with, then again."""
    page = Page("search/index.html", "search.html", site)
    files[page.path] = renderer.render(page, merge=[])
    files[page.path] = renderer.render(page, merge=merged_bundles(plan_shards(files)))
    return page


def static_files() -> dict[str, bytes]:
    root = asset_dir("static")
    return {f"static/{p.relative_to(root).as_posix()}": p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def sitemap(paths: list[str], base_url: str) -> bytes:
    base = base_url.rstrip("/") + "/"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for p in paths:
        loc = base + (p[: -len("index.html")] if p.endswith("index.html") else p)
        lines.append(f"  <url><loc>{html.escape(loc)}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def site_files(
    renderer: Renderer, pages: list[Page], rendered: list[tuple[bytes, PageRefs]], base_url: str | None
) -> tuple[dict[str, bytes], dict[str, PageRefs]]:
    """Every file of the site, and what was read of each page, from the rendered pages."""
    files = {page.path: data for page, (data, _) in zip(pages, rendered)}
    refs = {page.path: found for page, (_, found) in zip(pages, rendered)}
    search = search_page(renderer, pages[0].site, files)
    refs[search.path] = page_refs(files[search.path], search.path)
    if base_url:  # a sitemap lists absolute URLs: without the site's address there is none to write
        files["sitemap.xml"] = sitemap(sorted(p for p in files if p.endswith(".html") and p != "404.html"), base_url)
    files["briefing.json"] = briefing_json(renderer.briefing)
    files[".nojekyll"] = b""
    files.update(static_files())
    return files, refs
