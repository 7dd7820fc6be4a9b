"""The cleaner on text written in other outlets' styles: general rules, no strings from the seeds."""

from __future__ import annotations

from briefgen.clean import clean, find_credits

BODY = """\
News › Health › Hospitals
By Keisha Brown, Health Correspondent
Updated: 14 March 2025, 10:02 GMT
LONDON (AP) — Hospitals in three regions will stop routine surgery for two weeks, the health ministry said on Friday, citing a shortage of anaesthetists.
Nurses walk past a ward at St Mary's hospital in London. (Photo by Sam Lee/Getty Images)
The ministry said emergency operations and cancer treatment are not affected.
Story continues below advertisement
Patients waiting at a clinic in Leeds.
Patients waiting at a clinic in Leeds.
More on this story: Waiting lists hit a record high
"We had no choice," the health minister, Ruth Evans, told the BBC. "Safety has to come first."
Share this article
The ministry will review the decision on March 28. Most read
Additional reporting by Omar Haddad
"""


def test_removes_furniture_keeps_the_story():
    cleaned = clean("Hospitals halt routine surgery", BODY)
    paragraphs = cleaned.text.split("\n\n")
    assert paragraphs == [
        "Hospitals in three regions will stop routine surgery for two weeks, the health ministry said on Friday, "
        "citing a shortage of anaesthetists.",
        "The ministry said emergency operations and cancer treatment are not affected.",
        '"We had no choice," the health minister, Ruth Evans, told the BBC. "Safety has to come first."',
        "The ministry will review the decision on March 28.",
    ]
    removed = " | ".join(cleaned.removed)
    for cruft in ("News › Health", "By Keisha Brown", "Updated:", "LONDON (AP)", "Getty Images",
                  "Story continues", "Patients waiting", "More on this story", "Share this", "Most read",
                  "Additional reporting"):
        assert cruft in removed, cruft
    assert "AP" in cleaned.credits


def test_caption_twice_in_one_line_and_glued_credit():
    body = ("A firefighter sprays water on a burning warehouse in Rotterdam on Sunday. ANP/Jan de Vries "
            "A firefighter sprays water on a burning warehouse in Rotterdam on Sunday. ANP/Jan de Vries\n"
            "Mayor Willem BakkerANP file photo\n"
            "Firefighters fought the blaze for nine hours before bringing it under control.\n")
    cleaned = clean("Warehouse fire", body)
    assert cleaned.text == "Firefighters fought the blaze for nine hours before bringing it under control."
    assert len(cleaned.removed) == 2


def test_repeated_paragraph_keeps_first_copy():
    body = "First real paragraph of the story.\nSecond paragraph here.\nFirst real paragraph of the story.\n"
    assert clean("T", body).text == "First real paragraph of the story.\n\nSecond paragraph here."


def test_unpunctuated_long_standfirst_is_kept():
    dek = "Ministers insist the pause is temporary and that no hospital will close its emergency department"
    cleaned = clean("Title", dek + "\nThe pause starts on Monday.\n")
    assert cleaned.text.startswith(dek)


def test_real_sentences_that_look_like_cruft_survive():
    body = ("Published reports said the plan would cost more than expected.\n"
            "By the end of the week, the talks had collapsed.\n"
            "Share prices fell 4% on the news.\n")
    assert clean("T", body).text.count("\n\n") == 2


def test_credit_forms():
    texts = [
        "The deal was first reported by The Wall Street Journal.",
        "This piece originally appeared on ProPublica.",
        "GENEVA (Reuters) - Talks resumed.",
        "According to the Associated Press, talks resumed.",
        "Bloomberg News reported that talks resumed.",
        "Kyiv Independent staff contributed to this report.",
    ]
    assert find_credits(texts) == ["The Wall Street Journal", "ProPublica", "Reuters", "Associated Press",
                                   "Bloomberg News", "Kyiv Independent"]


def test_no_credit_invented():
    assert find_credits(["The minister said the reports were wrong.", "Officials reported no injuries."]) == []
