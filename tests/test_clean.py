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
    for cruft in (
        "News › Health",
        "By Keisha Brown",
        "Updated:",
        "LONDON (AP)",
        "Getty Images",
        "Story continues",
        "Patients waiting",
        "More on this story",
        "Share this",
        "Most read",
        "Additional reporting",
    ):
        assert cruft in removed, cruft
    assert "AP" in cleaned.credits


def test_caption_twice_in_one_line_and_glued_credit():
    body = (
        "A firefighter sprays water on a burning warehouse in Rotterdam on Sunday. ANP/Jan de Vries "
        "A firefighter sprays water on a burning warehouse in Rotterdam on Sunday. ANP/Jan de Vries\n"
        "Mayor Willem BakkerANP file photo\n"
        "Firefighters fought the blaze for nine hours before bringing it under control.\n"
    )
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
    body = (
        "Published reports said the plan would cost more than expected.\n"
        "By the end of the week, the talks had collapsed.\n"
        "Share prices fell 4% on the news.\n"
    )
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
    assert find_credits(texts) == [
        "The Wall Street Journal",
        "ProPublica",
        "Reuters",
        "Associated Press",
        "Bloomberg News",
        "Kyiv Independent",
    ]


def test_no_credit_invented():
    assert find_credits(["The minister said the reports were wrong.", "Officials reported no injuries."]) == []


def test_calls_to_action_contact_lines_and_end_marks_go_to_removed():
    body = "\n".join(
        [
            "The ferry company said on Monday that winter sailings would stop at six in the evening.",
            "(For the full winter timetable, click here.)",
            "Download the timetable here",
            "Tomas Berg can be reached by e-mail at tberg@example.org.",
            "Skippers said the change would cost them a night crossing. Continued ...",
            "<< Previous | Next >>",
            "(END/2025)",
            "Passengers can write to the company with complaints, the ferry operator said in its statement.",
        ]
    )
    cleaned = clean("Ferry cuts winter sailings", body)
    assert cleaned.text.split("\n\n") == [
        "The ferry company said on Monday that winter sailings would stop at six in the evening.",
        "Skippers said the change would cost them a night crossing.",
        "Passengers can write to the company with complaints, the ferry operator said in its statement.",
    ]
    for line in (
        "(For the full winter timetable, click here.)",
        "Download the timetable here",
        "(END/2025)",
        "Tomas Berg can be reached by e-mail at tberg@example.org.",
        "<< Previous | Next >>",
    ):
        assert line in cleaned.removed


def test_txt_headline_below_a_section_label_or_after_a_cut_copy(tmp_path):
    from conftest import load_briefing, make_briefing, run_cli

    story = "The ferry company said on Monday that winter sailings would stop at six in the evening.\n"
    src = make_briefing(
        tmp_path / "b",
        {
            "label.txt": "Business\n\nHome > Business > Transport\nFerry company cuts winter sailings\n" + story,
            "cut.txt": "and the harbour waits\n\nFerries stop early - and the harbour waits\n" + story,
            "short.txt": "Ferries stop early\nWinter timetable brings the last crossing forward to six\n" + story,
        },
    )
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    titles = {s["path"]: s["title"] for s in load_briefing(tmp_path / "s")["sources"]}
    assert titles == {
        "label.txt": "Ferry company cuts winter sailings",
        "cut.txt": "Ferries stop early - and the harbour waits",
        "short.txt": "Ferries stop early",
    }  # a short headline in sentence case stays
    texts = "\n".join(s["text"] for s in load_briefing(tmp_path / "s")["sources"])
    assert "Business" not in texts and "and the harbour waits\n" not in texts
