"""Dates: find date expressions in text ("May 13", "10 May", "Jan. 5", "on Thursday", "2024-05-30"). Pure text in,
spans out, never raises."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?"),
    re.compile(rf"\b{_MONTH}\s+{_YEAR}\b"),
    re.compile(
        r"\b(?:(?P<rel>last|next|this|on|since|by|until|from)\s+)?"
        r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    ),
]


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    relative: str | None = None  # "last", "next", …, for weekdays

    def iso(self, published: str | None) -> str | None:
        """YYYY-MM-DD where it can be resolved (a weekday or a missing year needs the publication date)."""
        try:
            ref = dt.date.fromisoformat(published) if published else None
        except ValueError:
            ref = None
        try:
            if self.weekday is not None:
                if ref is None:
                    return None
                delta = (ref.weekday() - self.weekday) % 7
                if self.relative == "next":
                    return (ref + dt.timedelta(days=(self.weekday - ref.weekday()) % 7 or 7)).isoformat()
                return (ref - dt.timedelta(days=delta)).isoformat()
            if self.month is None or self.day is None:
                return None
            year = self.year or (ref.year if ref else None)
            if year is None:
                return None
            return dt.date(year, self.month, self.day).isoformat()
        except (ValueError, OverflowError):
            return None

    def sort_key(self, published: str | None) -> tuple:
        iso = self.iso(published)
        if iso:
            return (0, iso)
        if self.month is not None:
            return (1 if self.year else 2, f"{self.year or 0:04d}-{self.month:02d}-{self.day or 0:02d}")
        return (3, "")


def find_dates(text: str) -> list[DateMention]:
    """Every date expression in `text`, longest match first where they overlap, in order."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            groups = match.groupdict()
            mention = DateMention(start=start, end=end, text=match.group(0))
            if groups.get("month"):
                mention.month = MONTHS.get(groups["month"].lower().rstrip("."))
            elif groups.get("mnum"):
                mention.month = int(groups["mnum"])
            if groups.get("day"):
                mention.day = int(groups["day"])
            if groups.get("year"):
                mention.year = int(groups["year"])
            if groups.get("weekday"):
                mention.weekday = WEEKDAYS[groups["weekday"].lower()]
                mention.relative = (groups.get("rel") or "").lower() or None
                if mention.relative not in ("last", "next", "this"):
                    mention.start = match.start("weekday")  # "on Thursday" is dated "Thursday"
                    mention.text = text[mention.start : end]
            if mention.day is not None and not 1 <= mention.day <= 31:
                continue
            if mention.month is None and mention.weekday is None:
                continue
            if (
                groups.get("month")
                and groups["month"].lower() == "may"
                and mention.day is None
                and mention.year is None
            ):
                continue  # the verb "may"
            found.append(mention)
            taken.append((start, end))
    found.sort(key=lambda d: d.start)
    return found
