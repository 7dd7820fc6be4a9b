"""Clean: strip web cruft (navigation, promos, captions, credits, bylines) from an article and find its credits."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from briefgen.config import package_data, slugify
from briefgen.structure import Article, Source

# A caption ends with a photo credit: "Photograph: Name/Agency", "AFP file photo", "REUTERS/Name", "(Photo: …)".
# Each pattern comes with a character test its matches must pass, which spares most lines the regex search.
CAPTION_CREDIT = [
    (
        lambda line: ":" in line,
        r"(?i:\b(?:photograph|photo|picture|image|illustration|photo credit|photos|video|credit)s?\s*:\s*\S[^:]{0,90}$)",  # noqa: E501
    ),
    (lambda line: "(" in line, r"(?i:\((?:photo|image|picture|credit|file photo)[^)]{0,90}\)\.?$)"),
    (
        lambda line: "photo" in line or "image" in line or "picture" in line,
        r"(?:\b|(?<=[a-z]))(?:AFP|AP|Reuters|REUTERS|Getty Images|Getty|EPA|EPA-EFE|Shutterstock|Bloomberg|Xinhua|"
        r"Anadolu|Alamy|NurPhoto|TASS|Sputnik|UPI|WireImage|iStock|Pool)(?:\s+file)?\s+(?:photo|image|picture|photograph)s?\.?$",
    ),
    (
        lambda line: "/" in line,
        r"(?:^|\s)(?:[A-Z][A-Za-z.&'’-]*\s){0,4}[A-Z][A-Za-z.&'’-]*\s?/\s?[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){0,3}\.?$",
    ),
    (lambda line: "via " in line.lower(), r"(?i:\bvia (?:getty images|reuters|ap|afp|shutterstock|bloomberg)\.?$)"),
]
CAPTION_TESTS = [(test, re.compile(pattern)) for test, pattern in CAPTION_CREDIT]

BREADCRUMB_RE = re.compile(r"^[^.!?<>›»\"]{1,40}(?:\s+[>›»/|]\s+[^.!?<>›»\"]{1,40}){1,6}$")
BYLINE_RE = re.compile(
    r"^(?:by|written by|words by|story by)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})*(?:\s*[,|–—-]\s*[^.!?]{0,60})?$",
    re.I,
)
DATELINE_LINE_RE = re.compile(r"^[A-Z][\w .,'’]{1,40}?\s*[-—–:]$")
# "PORTSIDE (Harbour Wire) - The mayor …", "LOWMOOR, Elmshire (Coast Press) — …": a dateline glued to the first
# paragraph.
DATELINE_PREFIX_RE = re.compile(
    r"^[A-Z][A-Z .'’-]{2,30}(?:,\s*[A-Z][\w .'’-]{1,30})?\s*(?:\([^)]{1,40}\))?\s*[-—–]\s+(?=\S)"
)
# A credit sentence glued to the end of a paragraph: "… said. - This article originally appeared in X".
TRAILING_CREDIT_RE = re.compile(
    r"\s*[-—–]?\s*(?:This|The)\s+(?:article|story|report|piece|version)\b[^.\n]{0,60}?"
    r"\b(?:originally|first)\s+(?:appeared|published|ran)\b[^\n]{0,120}$"
)
# A box set into the page: a heading in capitals run into its content ("KEY FACTS Population: 3 million ...",
# "READERS WRITE I think ..."), never the first line (a dateline can look like one).
BOX_HEADING_RE = re.compile(r"^[A-Z][A-Z'’&-]+(?:\s+[A-Z][A-Z'’&-]+){1,6}\s+(?=[A-Z][a-z])")
# One item of a list set into the page: "Name (Band) - a line", "Monday - doors open"; three or more in a row are
# a list (a lyric sheet, a programme), not prose.
LIST_ITEM_RE = re.compile(r"^[A-Z][\w.'’]*(?:\s+(?:[a-z]{1,3}\s+|&\s+)?[A-Z0-9(][\w.'’()]*){0,6}\s+[-–—]\s+\S")
LIST_MIN_ITEMS = 3
# A publication stamp run into the first lines: "26.11.2004 16:43 …", "Published: 03/12/2026 09:15 …" (day first
# when the separator is a dot, or when the first number cannot be a month).
STAMP_RE = re.compile(
    r"^(?:(?:published|posted|updated)\s*:?\s*)?(\d{1,2})([./])(\d{1,2})\2(\d{4})"
    r"(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:am|pm|gmt|utc|cet|cest|bst|et|est|edt))?)?(?:\s+|$)",
    re.I,
)
STAMP_LINES = 3  # a stamp is looked for in the body's first lines only
# Where a line holds several sentences: after a full stop, question or exclamation mark (and closing marks).
SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])")
SENTENCE_END = ".!?\"”’':;…)]"
LABEL_MAX_WORDS = 12

ORG = r"[A-Z][\w&'’-]*(?:\.[A-Z][\w&'’-]*)*\.?(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&'’-]*(?:\.[A-Z][\w&'’-]*)*\.?){0,4}"


@dataclass
class Cleaned:
    """The cleaned body text (paragraphs separated by a blank line), what was taken out, and the publication date
    a stamp in the first lines gave (YYYY-MM-DD)."""

    text: str
    removed: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    stamped: str | None = None


def stamp_date(line: str) -> tuple[str, int] | None:
    """The date (YYYY-MM-DD) of a publication stamp at the start of `line`, and where the stamp ends."""
    match = STAMP_RE.match(line)
    if match is None:
        return None
    first, separator, second, year = int(match.group(1)), match.group(2), int(match.group(3)), int(match.group(4))
    day, month = (first, second) if separator == "." or first > 12 else (second, first)
    try:
        return datetime.date(year, month, day).isoformat(), match.end()
    except ValueError:
        return None


@dataclass(frozen=True)
class Patterns:
    """The cruft line patterns of `data/cruft.yml`: those anchored at the line start, and the others."""

    anchored: re.Pattern
    floating: re.Pattern

    def search(self, line: str) -> bool:
        return bool(self.anchored.match(line) or self.floating.search(line))


def _anchored(pattern: str) -> bool:
    """Starts with ^ and has no top-level alternative that could match elsewhere."""
    depth, escaped = 0, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
    return pattern.startswith("^")


@lru_cache(maxsize=1)
def cruft_lexicon() -> tuple[frozenset[str], Patterns, re.Pattern | None]:
    data = package_data("cruft.yml")
    lines = frozenset(fold(line) for line in data.get("lines", []))
    # a pattern anchored at the start can only match there: those are tried with one `match`, the rest searched
    anchored = [p for p in data.get("patterns", []) if _anchored(p)]
    floating = [p for p in data.get("patterns", []) if not _anchored(p)]
    patterns = Patterns(
        re.compile("|".join(f"(?:{p})" for p in anchored) or "(?!)", re.I),
        re.compile("|".join(f"(?:{p})" for p in floating) or "(?!)", re.I),
    )
    trailing = data.get("trailing", [])
    trailing_re = (
        re.compile(r"(?<=[.!?\"”’])\s+(?:" + "|".join(re.escape(t) for t in trailing) + r")(?:\s+|$)", re.I)
        if trailing
        else None
    )
    return lines, patterns, trailing_re


@dataclass(frozen=True)
class InlineRules:
    """The cruft of `data/cruft.yml` found inside a line: what is cut where it sits (`cut`), the sentences dropped
    (`sentences`), and the promo phrases glued to a paragraph's start (`leading`)."""

    cut: list[re.Pattern]
    sentences: re.Pattern
    leading: re.Pattern | None
    clip: re.Pattern | None


@lru_cache(maxsize=1)
def inline_rules() -> InlineRules:
    data = package_data("cruft.yml")
    sentences = data.get("sentences", [])
    trailing = data.get("trailing", [])
    return InlineRules(
        cut=[re.compile(pattern) for pattern in data.get("cut", [])],
        sentences=re.compile("|".join(f"(?:{p})" for p in sentences) or "(?!)", re.I),
        leading=re.compile(r"^(?:" + "|".join(re.escape(t) for t in trailing) + r")\s+(?=[\"“A-Z])", re.I)
        if trailing
        else None,
        clip=re.compile(data["clip"]) if data.get("clip") else None,
    )


# A clip's description: a name, then a verb in the present tense ("Jo Bloggs takes a closer look at …").
CLIP_BLURB_RE = re.compile(r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s+(?:[a-z]+s)\b[^\"“”]{0,200}[.!?]?$")
CLIP_BLURB_WORDS = 30


def clip_blurb(sentence: str) -> bool:
    return len(sentence.split()) <= CLIP_BLURB_WORDS and bool(CLIP_BLURB_RE.match(sentence.strip()))


def last_sentence(line: str) -> tuple[str, str]:
    """`line` split before its last sentence."""
    breaks = list(SENTENCE_BREAK_RE.finditer(line))
    return (line[: breaks[-1].start() + 1].rstrip(), line[breaks[-1].end() :]) if breaks else ("", line)


def strip_inline(line: str, removed: list[str]) -> str:
    """Cut cruft from inside a line (see `InlineRules`), each piece cut listed in `removed`."""
    rules = inline_rules()
    if rules.leading is not None and (match := rules.leading.match(line)) and match.end() < len(line):
        removed.append(match.group(0).strip())
        line = line[match.end() :]
    for pattern in rules.cut:
        if (match := pattern.search(line)) is not None:
            removed.extend(m.group(0).strip() for m in pattern.finditer(line))
            line = pattern.sub("", line).strip()
    if rules.sentences.search(line):
        kept = []
        start = 0
        for cut in [*SENTENCE_BREAK_RE.finditer(line), None]:
            end = cut.start() if cut is not None else len(line)
            sentence = line[start:end] if cut is None else line[start : cut.end()]
            if rules.sentences.search(sentence.strip()):
                removed.append(sentence.strip())
            else:
                kept.append(sentence)
            start = cut.end() if cut is not None else len(line)
        line = "".join(kept).strip()
    return line


@lru_cache(maxsize=1)
def credit_patterns() -> list[tuple[re.Pattern, re.Pattern]]:
    """(cue, pattern) pairs: each pattern needs its cue word, a cheap test that spares most sentences the search."""
    outlets = package_data("outlets.yml")
    known = "|".join(re.escape(name) for name in sorted(outlets, key=len, reverse=True))
    known = rf"(?:[Tt]he\s+)?(?:{known})\b"
    pairs = (
        (
            r"appeared|published|\bran\b",
            rf"\b(?:originally|first)\s+(?:appeared|published|ran)\s+(?:in|on|at|by)\s+(?P<org>(?:[Tt]he\s+)?{ORG})",
        ),
        (
            r"reported",
            rf"\b(?:first|earlier|originally)\b[^.\n]{{0,40}}?\breported\b[^.\n]{{0,40}}?\bby\s+(?P<org>(?:[Tt]he\s+)?{ORG})",
        ),
        (
            r"reported",
            rf"\breported\s+(?:first|earlier|originally)\b[^.\n]{{0,40}}?\bby\s+(?P<org>(?:[Tt]he\s+)?{ORG})",
        ),
        (
            r"contributed",
            rf"(?P<org>{ORG})\s+(?:writers?|reporters?|correspondents?|staff|journalists?)\b[^.\n]{{0,200}}?\bcontributed",
        ),
        (r"\)", rf"\((?P<org>{known})\)\s*[-—–]"),
        (
            r"according|citing|reported|courtesy",
            rf"\b(?:[Aa]ccording to|citing|[Rr]eported by|[Cc]ourtesy of)\s+(?P<org>{known})",
        ),
        (r"report", rf"(?P<org>{known})\s+(?:reported|reports|first reported|has reported|said in a report)\b"),
        (r"reporting", rf"^(?:[Aa]dditional\s+)?[Rr]eporting by\s+(?P<org>{known})"),
    )
    return [(re.compile(cue, re.I), re.compile(pattern)) for cue, pattern in pairs]


def fold(text: str) -> str:
    """Lower-case with punctuation and spacing folded, for comparing lines."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    line = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]", " ", line)
    line = re.sub(r"[\u200b-\u200d\ufeff]", "", line)
    return re.sub(r" {2,}", " ", line).strip()


def doubled(line: str) -> bool:
    """A line that says the same thing twice in a row: a caption repeated by the page's alt text."""
    n = len(line)
    if n < 40:
        return False
    for cut in range(n // 2 - 1, n // 2 + 2):
        left, right = line[:cut].strip(), line[cut:].strip()
        if left and left == right:
            return True
    return False


def is_furniture(line: str) -> bool:
    """Navigation, promos, breadcrumbs, bylines, captions: never a headline (short unpunctuated lines can be)."""
    reason = cruft_reason(normalise_line(line), title="")
    return reason is not None and reason != "label or related headline"


def is_caption(line: str) -> bool:
    return any(test(line) and pattern.search(line) for test, pattern in CAPTION_TESTS)


def cruft_reason(line: str, title: str) -> str | None:
    """Why a whole line is not article text, or None if it is."""
    lexicon, patterns, _ = cruft_lexicon()
    folded = fold(line)
    words = line.split()
    if not folded:
        return "no words"
    if title and folded == fold(title):
        return "repeats the headline"
    if folded in lexicon:
        return "web furniture"
    if patterns.search(line):
        return "web furniture"
    if doubled(line):
        return "caption repeated"
    if is_caption(line):
        return "photo caption"
    if len(words) <= 14 and BREADCRUMB_RE.match(line) and any(f" {sep} " in line for sep in ">›»"):
        return "breadcrumb"
    if len(words) <= 15 and BYLINE_RE.match(line):
        return "byline"
    if DATELINE_LINE_RE.match(line):
        return "dateline"
    if len(words) <= LABEL_MAX_WORDS and line[-1] not in SENTENCE_END:
        return "label or related headline"
    return None


PROSE_AFTER_LABEL = 40  # words of running text after a promo label that make it an ad set into a paragraph


def split_at_labels(line: str, removed: list[str]) -> list[str]:
    """A line cut in two at a promo label set between its sentences ("… the plan. Advertisement Jo Bloggs said …"),
    when the text after the label runs on for sentences: a page saved as one line per article keeps its ad slots
    there, and the article goes on after them. The label goes to `removed`; a label with only a few words after
    it is a promo glued to the paragraph's end, which `strip_glued` cuts with what follows."""
    _, _, trailing_re = cruft_lexicon()
    if trailing_re is None:
        return [line]
    pieces, start = [], 0
    for match in trailing_re.finditer(line):
        rest = line[match.end() :]
        if len(rest.split()) >= PROSE_AFTER_LABEL and len(SENTENCE_BREAK_RE.findall(rest)) >= 2:
            pieces.append(line[start : match.start()].rstrip())
            removed.append(match.group(0).strip())
            start = match.end()
    return [*pieces, line[start:]] if pieces else [line]


def strip_glued(line: str, removed: list[str]) -> str:
    """Cut cruft glued onto a real paragraph: a trailing credit sentence or promo, a leading dateline, and what
    `strip_inline` cuts."""
    _, _, trailing_re = cruft_lexicon()
    line = strip_inline(line, removed)
    match = TRAILING_CREDIT_RE.search(line)
    if match and match.start() > 0:
        removed.append(line[match.start() :].strip())
        line = line[: match.start()].rstrip()
    if trailing_re is not None:
        while True:
            match = trailing_re.search(line)
            if not match or match.start() == 0:
                break
            removed.append(line[match.start() :].strip())
            line = line[: match.start()].rstrip()
    match = DATELINE_PREFIX_RE.match(line)
    if match and sum(c.isupper() for c in match.group(0)) >= 3 and len(line) - match.end() > 40:
        removed.append(match.group(0).strip())
        line = line[match.end() :]
    return line


def find_credits(texts: list[str]) -> list[str]:
    """Outlets credited by the text: wire services, the original publisher, who first reported it."""
    found: list[str] = []
    seen: set[str] = set()
    for text in texts:
        hits: list[tuple[int, str]] = []
        for cue, pattern in credit_patterns():
            if not cue.search(text):
                continue
            for match in pattern.finditer(text):
                hits.append((match.start("org"), match.group("org")))
        for _, name in sorted(hits):
            name = re.split(r"[.!?]\s+", name)[-1].strip(" .,;:")
            name = re.sub(r"^the\s+", "", name)  # a lower-case "the" is the writer's, not the name's
            if name and fold(name) not in seen:
                seen.add(fold(name))
                found.append(name)
    return found


def list_items(lines: list[str]) -> set[int]:
    """The lines that are items of a list set into the page: runs of `LIST_MIN_ITEMS` or more lines in a row that
    each start "Name - " (see `LIST_ITEM_RE`)."""
    found: set[int] = set()
    run: list[int] = []
    for index, line in enumerate([*lines, ""]):
        if line and LIST_ITEM_RE.match(line):
            run.append(index)
            continue
        if len(run) >= LIST_MIN_ITEMS:
            found.update(run)
        run = []
    return found


def clean(title: str, body: str) -> Cleaned:
    """Drop cruft lines and glued cruft from `body`; repeated lines keep their first copy, repeated captions none."""
    lines = [normalise_line(line) for line in body.split("\n")]
    removed: list[str] = []
    lines = [piece for line in lines if line for piece in split_at_labels(line, removed)]
    kept: list[str] = []
    seen: set[str] = set()
    listed = list_items(lines)
    stamped = None
    clip = inline_rules().clip
    for index, line in enumerate(lines):
        glued: list[str] = []
        if clip is not None and (label := clip.match(line)):
            glued.append(label.group(0).strip())
            line = line[label.end() :]
            if not line:  # the label alone on its line
                removed.extend(glued)
                continue
            if kept and clip_blurb(last_sentence(kept[-1])[1]):  # the clip described before its label
                head, blurb = last_sentence(kept[-1])
                removed.append(blurb)
                if head:
                    kept[-1] = head
                else:
                    seen.discard(fold(kept.pop()))
            if clip_blurb(line) and not SENTENCE_BREAK_RE.search(line):  # ... or after it
                removed.extend(glued + [line])
                continue
        if index < STAMP_LINES and stamped is None and (stamp := stamp_date(line)) is not None:
            stamped = stamp[0]
            glued.append(line[: stamp[1]].strip())
            line = line[stamp[1] :]
        stripped = strip_glued(line, glued)
        if title and stripped != title and fold(stripped).startswith(fold(title) + " ") and index < STAMP_LINES:
            cut = _after_title(stripped, title)  # the headline run into the first paragraph
            if cut:
                glued.append(stripped[: len(stripped) - len(cut)].strip())
                stripped = cut
        reason = cruft_reason(stripped, title) if stripped else "no words"
        if reason is None and index in listed:
            reason = "list set into the page"
        if reason is None and kept and (box := BOX_HEADING_RE.match(stripped)):
            if sum(c.isupper() for c in box.group(0)) >= 8:
                reason = "box set into the page"
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        prev = lines[index - 1] if index > 0 else None
        if reason is None and (nxt == line or prev == line):
            reason = "caption repeated"  # pages print a caption twice (figure + alt text); articles never do
        if reason is None and nxt is not None and pull_quote(stripped, nxt):
            reason = "pull quote"
        if reason is None and fold(stripped) in seen:
            reason = "repeated line"
        if reason is not None:
            removed.append(line)
            continue
        seen.add(fold(stripped))
        removed.extend(glued)
        kept.append(stripped)
    credits = find_credits([title] + lines)
    return Cleaned(text="\n\n".join(kept), removed=removed, credits=credits, stamped=stamped)


PULL_QUOTE_WORDS = 6
QUOTE_OPENERS = "\"“‘'«„"


def pull_quote(line: str, nxt: str) -> bool:
    """A pull quote: the words of the quote paragraph right after it, unquoted and cut short ("The harbour will
    never close - never" above '"The harbour will never close. Never. …" she said'). It would break the run of quote
    paragraphs that share a speaker."""
    if line[:1] in QUOTE_OPENERS or nxt[:1] not in QUOTE_OPENERS or line[-1:] in ".!?":
        return False
    words = fold(line)
    return len(words.split()) >= PULL_QUOTE_WORDS and fold(nxt).startswith(words)


def _after_title(line: str, title: str) -> str:
    """What follows the headline run into the start of `line` (compared word by word, punctuation aside), when a
    new sentence starts right after it ("Ferries return The ferries …"; never "Ferries return, the board said"),
    or ""."""
    words = title.split()
    head = r"\W*\s+".join(re.escape(re.sub(r"\W+$", "", w)) for w in words)
    match = re.match(r"\s*" + head + r"\W?\s+(?=[\"“‘'(]?[A-Z])", line)
    return line[match.end() :] if match and len(line) - match.end() > 40 else ""


def source_ids(articles: list[Article]) -> list[str]:
    """A stable, unique id slug for each article, from its front-matter slug or file name."""
    ids: list[str] = []
    taken: set[str] = set()
    for article in articles:
        stem = article.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        base = article.slug or slugify(article.path.rsplit(".", 1)[0].replace("/", "-")) or slugify(stem) or "source"
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}-{n}", n + 1
        taken.add(ident)
        ids.append(ident)
    return ids


def clean_article(article: Article, ident: str) -> Source:
    """The article as a Source: its text cleaned of web clutter (listed in `removed`), credit lines in `credits`."""
    result = clean(article.title, article.body)
    return Source(
        id=ident,
        path=article.path,
        title=article.title,
        text=result.text,
        outlet=article.outlet,
        url=article.url,
        published=article.published or result.stamped,
        author=article.author,
        credits=result.credits,
        removed=result.removed,
        notes=list(article.notes),
    )
