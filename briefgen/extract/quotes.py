"""Quotes: a character scanner for quoted stretches of text, and their sorting into statements and fragments."""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = {"“": "”", "„": "”", "«": "»", '"': '"'}
CLOSERS = {"”", "»", '"'}
# Trailing punctuation inside the closing mark that belongs to the writer's sentence, not to the speaker.
TRIM_TAIL = ",;:–—- "
WORD = re.compile(r"\w")


@dataclass
class QuoteSpan:
    """Quoted words without their marks: text[start:end]. `open_at`/`close_at` are the marks' offsets."""

    start: int
    end: int
    open_at: int
    close_at: int | None  # None: the paragraph ended with the quote still open
    continues: bool = False  # the quote goes on in the next paragraph (news convention)
    continued: bool = False  # this piece carries on a quote from the previous paragraph


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in TRIM_TAIL or (end > start and text[end - 1].isspace()):
        end -= 1
    return start, end


def end_before_space(text: str, pos: int, lo: int = 0) -> int:
    """Where `text[lo:pos].rstrip()` ends, without copying the text (done once per quote mark or quote)."""
    while pos > lo and text[pos - 1].isspace():
        pos -= 1
    return pos


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and (after.isalnum() or after in "s ")  # don't, Russia's, students'


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n", text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _scan_paragraph(text: str, lo: int, hi: int, openers: dict[str, str], closers: set[str]) -> list[QuoteSpan]:
    found: list[QuoteSpan] = []
    continued_at: set[int] = set()  # opening marks of quote paragraphs run into one line
    open_at: int | None = None
    depth = 0  # curly marks nest (“… “hell” …”); straight marks cannot
    for i in range(lo, hi):
        ch = text[i]
        if ch not in openers and ch not in closers:
            continue
        if ch in ("'", "’") and _is_apostrophe(text, i):
            continue
        ambiguous = ch in openers and ch in closers  # straight marks
        if open_at is None:
            if ch in openers:
                nxt = text[i + 1] if i + 1 < hi else " "
                prev = text[i - 1] if i > lo else " "
                # a straight mark glued to the end of a word with space after is a stray closer, not an opener
                if ambiguous and WORD.match(prev) and (nxt.isspace() or nxt in ".,;:!?"):
                    continue
                if ambiguous and prev.isspace() and nxt.isspace():
                    j = end_before_space(text, i, lo)
                    if j > lo and text[j - 1] not in ",:;(—–-":
                        continue  # a mark standing alone mid-sentence: stray
                open_at, depth = i, 0
            continue  # a closer with nothing open is stray
        if ambiguous and _reopens(text, i, lo, hi):
            # `… put together. "Next paragraph …`: a page that ran the quote's paragraphs into one line, each
            # opening with a mark, the last alone closing it
            end = end_before_space(text, i, lo)
            found.append(QuoteSpan(*_trim(text, open_at + 1, end), open_at=open_at, close_at=None, continues=True))
            open_at, depth = i, 0
            continued_at.add(i)
            continue
        if ch in openers and not ambiguous:
            depth += 1
        elif ch in closers and depth and not ambiguous:
            depth -= 1
        elif ch in closers:
            found.append(QuoteSpan(*_trim(text, open_at + 1, i), open_at=open_at, close_at=i))
            open_at = None
    if open_at is not None:
        found.append(QuoteSpan(*_trim(text, open_at + 1, hi), open_at=open_at, close_at=None))
    for span in found:
        span.continued = span.open_at in continued_at
    return found


def _reopens(text: str, i: int, lo: int, hi: int) -> bool:
    """A straight mark inside an open quote that opens a new paragraph of it: after a sentence's end and a
    space, right before a capital letter, with another mark later in the paragraph to close the quote."""
    nxt = text[i + 1] if i + 1 < hi else " "
    if i == lo or not text[i - 1].isspace() or not (nxt.isupper() or nxt.isdigit()):
        return False
    before = end_before_space(text, i, lo)
    return before > lo and text[before - 1] in ".!?" and text.find('"', i + 1, hi) != -1


def _closing_mark_lost(text: str, span: QuoteSpan, lo: int, hi: int) -> bool:
    """An unclosed quote that opens a sentence of its own (after a full stop, a colon or a comma) and runs in
    whole sentences to the paragraph's end: the page lost its closing mark (`… she said. "More ferries are
    needed than ever.`), it is no stray mark."""
    before = end_before_space(text, span.open_at, lo)
    end = end_before_space(text, hi, lo)
    return (
        before > lo
        and text[before - 1] in ".!?:,"
        and text[end - 1] in ".!?"
        and len(text[span.start : span.end].split()) >= 4
    )


def scan_quotes(text: str) -> list[QuoteSpan]:
    """Every quoted stretch in `text`, in order; never raises, whatever the marks.

    Double marks (straight or curly) are quotes; single marks inside them are nesting and stay in the text.
    A text written with single marks only (some house styles) is scanned with those instead, apostrophes aside.
    A paragraph that ends inside a quote continues it when the next paragraph opens with a mark.
    """
    has_double = any(ch in text for ch in ('"', "“", "”", "„", "«"))
    if has_double:
        openers, closers = OPENERS, CLOSERS
    else:
        openers, closers = {"‘": "’"}, {"’"}
    paragraphs = _paragraphs(text)
    spans: list[QuoteSpan] = []
    for index, (lo, hi) in enumerate(paragraphs):
        found = _scan_paragraph(text, lo, hi, openers, closers)
        if found and found[-1].close_at is None:
            nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if nxt is not None and text[nxt[0]] in openers:
                found[-1].continues = True
            elif found[-1].open_at > lo and not _closing_mark_lost(text, found[-1], lo, hi):
                found.pop()  # an unclosed mark mid-paragraph is a stray, not a quote running to the end
        if spans and spans[-1].continues and found and found[0].open_at == lo:
            found[0].continued = True
        spans.extend(s for s in found if s.end > s.start and WORD.search(text, s.start, s.end))
    return spans
