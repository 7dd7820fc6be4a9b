"""The data that flows between stages: plain dataclasses, from loaded article to consolidated briefing."""

from __future__ import annotations

from dataclasses import dataclass, field

# briefgen's own mark on a site it wrote, listing every file the build put there (path -> size). An output folder
# is replaced only when it carries the mark and holds nothing else; `serve` serves only the files it lists; a
# folder holding it is never read as articles.
SITE_MARKER = ".briefgen-site.json"


@dataclass
class Article:
    """One input file as read from disk, before cleaning."""

    path: str  # relative to the briefing folder, with forward slashes
    title: str
    body: str  # plain text, one paragraph per line
    format: str  # "txt", "md" or "html"
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD
    author: str | None = None
    slug: str | None = None
    notes: list[str] = field(default_factory=list)  # how the file was read: a charset detected, mojibake repaired


@dataclass
class Span:
    """A stretch of one source's cleaned text: `text == source.text[start:end]`."""

    source: str
    start: int
    end: int


@dataclass
class Statement:
    """A short statement with the spans that support it."""

    text: str
    evidence: list[Span]


@dataclass
class Source:
    """A cleaned article: every offset anywhere in the briefing refers to `text`."""

    id: str
    path: str
    title: str
    text: str
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    credits: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    summary: list[Span] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the file was read (see Article.notes)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def url_path(self) -> str:
        return f"sources/{self.id}/"


@dataclass
class Quote:
    """A stretch of quoted words in one source, without its quotation marks."""

    id: str
    source: str
    start: int
    end: int
    text: str
    partial: bool
    speaker: str | None = None  # a Person id once people are merged
    speaker_text: str | None = None  # the words that point at the speaker ("he", "Blinken")
    speaker_start: int | None = None
    speaker_end: int | None = None
    cluster: str = ""


@dataclass
class Person:
    """A person (or an anonymous speaker) across all sources."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    anonymous: bool = False
    kind: str = "person"  # "person", "organisation" or "anonymous"
    quotes: list[str] = field(default_factory=list)
    mentions: dict[str, int] = field(default_factory=dict)  # source id -> count

    @property
    def url_path(self) -> str:
        return f"people/{self.id}/"


@dataclass
class Claim(Statement):
    support: int = 1


@dataclass
class TimelineEntry(Statement):
    date: str = ""
    iso: str | None = None  # ISO 8601: YYYY-MM-DD, YYYY-MM, YYYY, or A/B for an interval
    inferred: bool = False  # resolved against the briefing's date: its source gives no publication date


@dataclass
class Divergence:
    about: str
    positions: list[Statement]


@dataclass
class Scope:
    applies: bool = True  # False: the event changes no rule (a merger, an award): the four lists are empty
    before: list[Statement] = field(default_factory=list)
    allowed: list[Statement] = field(default_factory=list)
    prohibited: list[Statement] = field(default_factory=list)
    conditions: list[Statement] = field(default_factory=list)


@dataclass
class Briefing:
    """Everything a build knows, ready to render."""

    title: str
    description: str | None
    model: str
    sources: list[Source]
    overview: list[Statement] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    scope: Scope = field(default_factory=Scope)
    timeline: list[TimelineEntry] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    divergences: list[Divergence] = field(default_factory=list)
    wire_groups: list[list[str]] = field(default_factory=list)  # source ids sharing wire copy
    only_in: dict[str, list[int]] = field(default_factory=dict)  # source id -> claim indexes
    # source id -> the most widely reported consensus claims it does not carry (at most LEFT_OUT_LISTED), and how
    # many it does not carry in all (listing every one would grow as sources times claims)
    leaves_out: dict[str, list[int]] = field(default_factory=dict)
    leaves_out_count: dict[str, int] = field(default_factory=dict)
    consensus: int = 2  # support that makes a claim consensus
