"""Dates: find date expressions in text ("May 13", "10 May", "Jan. 5", "on Thursday", "2024-05-30", "in 2008",
"last month", "between 2005 and 2010") and resolve them against a publication date. Pure text in, spans out,
never raises."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

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
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # the month each begins
RELATIVE_YEARS = {"last": 1, "this": 0, "next": -1}  # years back from the publication year

_MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?"
)
_MONTH = rf"(?P<month>{_MONTH_NAMES})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)"
_WEEKDAY_NAMES = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# a bare year is a date after these words ("in 2008", "by the end of 2010", "early 2002"), not a count
_YEAR_CUE = (
    r"(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Ff]rom|[Bb]efore|[Aa]fter|[Dd]uring|[Tt]hrough|[Ee]arly|[Ll]ate|"
    r"[Mm]id-?|(?:the\s+)?(?:end|start|beginning|middle|spring|summer|autumn|fall|winter)\s+of)"
)
_NOT_A_COUNT = (
    r"(?!\s*(?:%|percent|per\b|people|persons|euros|dollars|pounds|yuan|yen|rupees|troops|soldiers|workers|jobs|"
    r"km|kilomet|miles|metres|meters|tonnes|tons|cases|deaths|homes|houses|votes|members|units|seats|times))"
)
PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),  # 26.11.2004
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?"),
    re.compile(rf"\b[Bb]etween\s+{_YEAR}\s+and\s+(?P<until_year>(?:1[5-9]|20)\d\d)\b"),
    re.compile(rf"\b[Ff]rom\s+{_YEAR}\s+(?:to|until|through)\s+(?P<until_year>(?:1[5-9]|20)\d\d)\b"),
    re.compile(rf"\b{_MONTH}\s+(?:or|to|and)\s+(?P<until_month>{_MONTH_NAMES})(?:,?\s+{_YEAR}\b)?"),
    re.compile(rf"\b{_MONTH}\s+{_YEAR}\b"),
    re.compile(rf"\b{_YEAR_CUE}\s+(?P<date>{_YEAR})\b{_NOT_A_COUNT}"),  # the date is the year, not the cue
    re.compile(rf"(?<![\d.,])\b(?P<date>{_YEAR})(?=['’]s\b)"),  # "1984's single"
    re.compile(rf"\b[Tt]he\s+(?P<date>{_YEAR})\b{_NOT_A_COUNT}(?=\s+[a-z])"),  # "the 1984 original"
    re.compile(
        r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Bb]efore|[Aa]fter|[Dd]uring|[Ll]ast|[Nn]ext)\s+"
        rf"(?P<date>{_MONTH})\b(?!\s+\d)"
    ),
    re.compile(r"(?<!the )\b(?P<rel_year>[Ll]ast|[Tt]his|[Nn]ext)\s+(?P<unit>year|month)\b"),  # not "the next year"
    re.compile(r"\b(?:(?P<rel_season>[Ll]ast|[Tt]his|[Nn]ext|the)\s+)(?P<season>spring|summer|autumn|fall|winter)\b"),
    re.compile(r"\b(?P<yesterday>[Yy]esterday)\b"),
    re.compile(
        rf"\b(?P<weekday>{_WEEKDAY_NAMES})(?:,\s*(?:{_WEEKDAY_NAMES}))*,?\s+(?:and|to|through)\s+"
        rf"(?P<until_weekday>{_WEEKDAY_NAMES})\b"
    ),
    re.compile(
        r"\b(?:(?P<rel>last|next|this|on|since|by|until|from)\s+)?"
        rf"(?P<weekday>{_WEEKDAY_NAMES})\b"
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
    years_back: int | None = None  # "last year" (1), "this summer" (0): a year counted from the publication's
    months_back: int | None = None  # "last month" (1)
    days_back: int | None = None  # "yesterday" (1)
    season: int | None = None  # the month a season named begins ("over the summer")
    until: DateMention | None = None  # the other end of an interval ("between 2005 and 2010", "March or April")
    future: bool = False  # said of what is to come ("will meet on Thursday"): an incomplete date looks forward

    def iso(self, published: str | None) -> str | None:
        """An ISO 8601 date where it can be resolved: YYYY-MM-DD, YYYY-MM for a month, YYYY for a year, A/B for an
        interval. A date without its year (or a weekday, "last month") is resolved against the publication date:
        the latest such date not after it, or, said of the future, the first not before it."""
        try:
            ref = dt.date.fromisoformat(published) if published else None
        except ValueError:
            ref = None
        try:
            first = self._iso(ref)
            if first is None or self.until is None:
                return first
            last = replace(self.until, future=self.future)._iso(ref)
            return f"{first}/{last}" if last and last > first[: len(last)] else first
        except (ValueError, OverflowError):
            return None

    def _iso(self, ref: dt.date | None) -> str | None:
        if self.years_back is not None or self.months_back is not None or self.days_back is not None:
            if ref is None:
                return None
            if self.days_back is not None:
                return (ref - dt.timedelta(days=self.days_back)).isoformat()
            if self.months_back is not None:
                months = ref.year * 12 + ref.month - 1 - self.months_back
                return f"{months // 12:04d}-{months % 12 + 1:02d}"
            return f"{ref.year - (self.years_back or 0):04d}"
        if self.season is not None:  # "over the summer": the latest one begun by the publication date
            if ref is None:
                return None
            return f"{ref.year if ref.month >= self.season else ref.year - 1:04d}"
        if self.weekday is not None:
            if ref is None:
                return None
            if self.relative == "next" or (self.future and self.relative != "last"):
                ahead = (self.weekday - ref.weekday()) % 7
                return (ref + dt.timedelta(days=ahead or (7 if self.relative == "next" else 0))).isoformat()
            return (ref - dt.timedelta(days=(ref.weekday() - self.weekday) % 7)).isoformat()
        if self.month is None:
            return f"{self.year:04d}" if self.year else None
        year = self.year
        if year is None:
            if ref is None:
                return None
            year = ref.year
            candidate = (self.month, self.day or 1)
            if self.future and candidate < (ref.month, 1 if self.day is None else ref.day):
                year += 1
            elif not self.future and candidate > (ref.month, ref.day):
                year -= 1
        if self.day is None:
            return f"{year:04d}-{self.month:02d}"
        return dt.date(year, self.month, self.day).isoformat()

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
            mention = _mention(match, text)
            if mention is None:
                continue
            found.append(mention)
            taken.append((start, end))
    found.sort(key=lambda d: d.start)
    return found


def _mention(match: re.Match, text: str) -> DateMention | None:
    groups = {k: v for k, v in match.groupdict().items() if v}
    start, end = match.span("date") if "date" in groups else match.span()
    mention = DateMention(start=start, end=end, text=text[start:end])
    if "month" in groups:
        mention.month = MONTHS.get(groups["month"].lower().rstrip("."))
    elif "mnum" in groups:
        mention.month = int(groups["mnum"])
    if "day" in groups:
        mention.day = int(groups["day"])
    if "year" in groups:
        mention.year = int(groups["year"])
    if "until_year" in groups:
        mention.until = DateMention(start, end, mention.text, year=int(groups["until_year"]))
    if "until_month" in groups:
        mention.until = DateMention(
            start, end, mention.text, year=mention.year, month=MONTHS.get(groups["until_month"].lower().rstrip("."))
        )
    if "unit" in groups:
        back = RELATIVE_YEARS[groups["rel_year"].lower()]
        if groups["unit"] == "year":
            mention.years_back = back
        else:
            mention.months_back = back
    if "season" in groups:
        mention.season = SEASONS[groups["season"]]
        rel = groups.get("rel_season", "the").lower()
        if rel in RELATIVE_YEARS:
            mention.years_back = RELATIVE_YEARS[rel]
    if "yesterday" in groups:
        mention.days_back = 1
    if "weekday" in groups:
        mention.weekday = WEEKDAYS[groups["weekday"].lower()]
        mention.relative = (groups.get("rel") or "").lower() or None
        if mention.relative not in ("last", "next", "this"):
            mention.start = match.start("weekday")  # "on Thursday" is dated "Thursday"
            mention.text = text[mention.start : end]
        if "until_weekday" in groups:
            mention.until = DateMention(start, end, mention.text, weekday=WEEKDAYS[groups["until_weekday"].lower()])
    if mention.day is not None and not 1 <= mention.day <= 31:
        return None
    if mention.month is not None and not 1 <= mention.month <= 12:
        return None
    if all(
        value is None
        for value in (
            mention.month,
            mention.weekday,
            mention.year,
            mention.years_back,
            mention.months_back,
            mention.days_back,
            mention.season,
        )
    ):
        return None
    if groups.get("month", "").lower() == "may" and mention.day is None and mention.year is None:
        if "date" not in groups:
            return None  # the verb "may" (the month after "in", "since"… is a date)
    return mention
