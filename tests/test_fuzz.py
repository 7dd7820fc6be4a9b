"""Property-based tests: the quote scanner, the cleaner and the date finder never raise on arbitrary text, and
every span they return is in bounds and faithful."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.clean import clean
from briefgen.extract.dates import find_dates
from briefgen.extract.quotes import scan_quotes

MARKS = st.sampled_from(['"', "“", "”", "‘", "’", "'", "„", "«", "»", "\n", "\n\n", " ", ",", ".", ":", "—"])
WORDS = st.sampled_from(
    [
        "he said",
        "May 13",
        "10 May",
        "Jan. 5",
        "on Thursday",
        "Photo: AP",
        "READ MORE",
        "Advertisement",
        "2024-05-30",
        "By Jane Doe",
        "Home > News",
        "the plan",
        "said",
    ]
)
TEXT = st.lists(st.one_of(MARKS, WORDS, st.text(max_size=12)), max_size=60).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_scanner_spans_are_faithful(text):
    for span in scan_quotes(text):
        assert 0 <= span.start <= span.end <= len(text)
        assert 0 <= span.open_at < span.start <= len(text)
        assert span.close_at is None or span.end <= span.close_at < len(text)
        assert text[span.start : span.end].strip() == text[span.start : span.end]


@SETTINGS
@given(TEXT, st.text(max_size=30))
def test_cleaner_never_raises_and_keeps_only_input_lines(body, title):
    cleaned = clean(title, body)
    assert "\n\n\n" not in cleaned.text
    for paragraph in cleaned.text.split("\n\n"):
        assert len(paragraph) <= len(body)
    assert all(isinstance(line, str) for line in cleaned.removed + cleaned.credits)


@SETTINGS
@given(TEXT, st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_date_finder_spans_are_faithful(text, published):
    for d in find_dates(text):
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start : d.end] == d.text
        iso = d.iso(published)
        assert iso is None or len(iso) == 10
