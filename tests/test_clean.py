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


def test_an_ad_label_inside_a_one_line_article_does_not_end_it():
    story = (
        "The ferry board met on Monday and agreed to cut fares on the island routes. advertisement Laura Bennett, the "
        "harbour master, said the new timetable would start in May. She said crossings would run every hour from the "
        "first week. The board will meet again in June to review the plan, and the council will publish the figures. "
        "Tomas Berg, who runs the cafe on the quay, said he was pleased. Read more Ferry fares cut"
    )
    cleaned = clean("Ferry fares cut", story)
    paragraphs = cleaned.text.split("\n\n")
    assert paragraphs[0] == "The ferry board met on Monday and agreed to cut fares on the island routes."
    assert paragraphs[1].startswith("Laura Bennett, the harbour master,")
    assert paragraphs[1].endswith("said he was pleased.")
    assert cleaned.removed == ["advertisement", "Read more Ferry fares cut"]


def test_a_pull_quote_above_its_quote_paragraph_goes():
    body = (
        '"The quay was empty when I arrived," she said.\n'
        "The harbour will stay open while I am mayor - that is a promise\n"
        '"The harbour will stay open while I am mayor. That is a promise. Every ferry counts."\n'
        "The ferries are here to stay for many years to come, the board said\n"
        '"The ferries are here to stay," the mayor said.\n'
    )
    cleaned = clean("Ferries", body)
    assert cleaned.removed == ["The harbour will stay open while I am mayor - that is a promise"]
    assert "The ferries are here to stay for many years to come, the board said" in cleaned.text


def test_a_breadcrumb_and_an_end_mark_run_into_paragraphs_go():
    body = (
        "march 3 2024 Home > Regional News > Ferry Links Across the Harbour The harbour board has approved "
        "new ferry links between the two towns, officials said on Monday.\n"
        "The links will open in May, the board said. (END/2024)\n"
    )
    cleaned = clean("Ferry Links Across the Harbour", body)
    assert cleaned.text == (
        "The harbour board has approved new ferry links between the two towns, officials said on Monday.\n\n"
        "The links will open in May, the board said."
    )
    assert cleaned.removed == [
        "march 3 2024 Home > Regional News >",
        "Ferry Links Across the Harbour",
        "(END/2024)",
    ]


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


def test_chrome_inside_flattened_paragraphs_is_cut_and_the_prose_kept():
    """A page saved as flat text runs its widgets into the paragraphs: a ticker's link list, a poll, a call to
    action in brackets, a player's format label, a staff credit, a contact line, a reprint notice, a download box,
    a box and a list set into the page. Each is cut where it sits and listed in `removed`; the prose around stays."""
    body = "\n".join(
        [
            "PORTSIDE (Harbour Wire) - Ferry operator Bayline Holdings (BAY.L: Chart, News, Filings) will buy "
            "its rival for $2 billion, the companies said. HARBOUR POLL What do you expect from the deal?",
            "See results The deal, announced on Monday, creates the largest operator on the coast. (For the fares "
            "table, click here.) (Click here for a profile of the company that runs the ferries and its history) "
            "Shareholders must still approve it.",
            '(QuickTime or Flash) "We will keep every route," said Ramiro Quispe, the chief executive. -- With '
            "Harbour Wire Senior Writer Jo Bloggs",
            "Write to Ines Varga at ivarga@example.org. She covers shipping for the paper.",
            "TIMETABLE CHANGES Winter: six sailings a day Summer: ten sailings a day",
            "Ramiro Quispe - We sail on",
            "Ines Varga and Jo Bloggs - Through the winter night",
            "Group of 10 and Everyone - Sail on (repeated)",
            "Permission is given to reprint this story in any publication. The merger was first mooted in 2019.",
            "Company report (1.2MB) You will need a PDF reader such as the one in your browser to open it.",
            "The ferries will keep their names - and their crews - the companies said.",
        ]
    )
    cleaned = clean("Ferry deal", body)
    assert cleaned.text.split("\n\n") == [
        "Ferry operator Bayline Holdings will buy its rival for $2 billion, the companies said.",
        "The deal, announced on Monday, creates the largest operator on the coast. Shareholders must still approve it.",
        '"We will keep every route," said Ramiro Quispe, the chief executive.',
        "She covers shipping for the paper.",
        "The merger was first mooted in 2019.",
        "The ferries will keep their names - and their crews - the companies said.",
    ]
    removed = " | ".join(cleaned.removed)
    for cruft in (
        "(BAY.L: Chart, News, Filings)",
        "HARBOUR POLL What do you expect from the deal?",
        "See results",
        "(For the fares table, click here.)",
        "(Click here for a profile",
        "Group of 10 and Everyone",
        "(QuickTime or Flash)",
        "-- With Harbour Wire Senior Writer Jo Bloggs",
        "ivarga@example.org",
        "TIMETABLE CHANGES",
        "Everyone - Sail on",
        "Permission is given to reprint",
        "(1.2MB)",
    ):
        assert cruft in removed, cruft


def test_capitals_and_dashes_in_real_prose_survive():
    body = "\n".join(
        [
            "NEW YORK - The exchange opened an hour late on Monday after a power cut.",
            "Officials at the EU and the UN said the talks (which began in May) would go on.",
            "Ramiro Quispe - the port's longest-serving pilot - retired on Friday.",
            "He said NATO had not been asked. Shares in BAY.L rose 3% (to 210p).",
        ]
    )
    assert clean("T", body).text.split("\n\n") == [
        "The exchange opened an hour late on Monday after a power cut.",
        "Officials at the EU and the UN said the talks (which began in May) would go on.",
        "Ramiro Quispe - the port's longest-serving pilot - retired on Friday.",
        "He said NATO had not been asked. Shares in BAY.L rose 3% (to 210p).",
    ]


def test_a_publication_stamp_and_the_headline_run_into_the_first_paragraph():
    """ "26.11.2004 16:43 << Previous | Next >> Headline The story …": the stamp gives the date (day first with
    dots), the pagination and the repeated headline go, the story stays."""
    body = (
        "26.11.2004 16:43 << Previous | Next >> Ferry users are to pay more In its new timetable, the harbour "
        "board is now charging a fee for every crossing made after dark.\n"
        "Print version << Previous | Next >>\n"
        "The fee starts on Monday."
    )
    cleaned = clean("Ferry users are to pay more", body)
    assert cleaned.text.split("\n\n") == [
        "In its new timetable, the harbour board is now charging a fee for every crossing made after dark.",
        "The fee starts on Monday.",
    ]
    assert cleaned.stamped == "2004-11-26"
    assert (
        clean("T", "Published: 03/12/2026 09:15 The ferry left on time this morning, the harbour board said.").stamped
        == "2026-03-12"
    )
    assert clean("T", "The ferry left at 10.30 on 12.5.2026 and arrived late, the harbour board said.").stamped is None


def test_a_clip_label_takes_its_description_but_not_the_quote_or_news_beside_it():
    body = "\n".join(
        [
            "Then along came the big discounters. Jo Bloggs takes a closer look at the $2 billion merger of two "
            "ferry firms.",
            "(QuickTime or Flash) Ines Varga reports on what the deal means for passengers.",
            '(QuickTime or Flash) "It\'s not so much that they did anything wrong," said Tomas Berg, a professor.',
            "(Video) The harbour reopened on Monday after the storm, officials said in a statement.",
        ]
    )
    cleaned = clean("T", body)
    assert cleaned.text.split("\n\n") == [
        "Then along came the big discounters.",
        '"It\'s not so much that they did anything wrong," said Tomas Berg, a professor.',
        "The harbour reopened on Monday after the storm, officials said in a statement.",
    ]
    assert "Jo Bloggs takes a closer look at the $2 billion merger of two ferry firms." in cleaned.removed
    assert "Ines Varga reports on what the deal means for passengers." in cleaned.removed


def test_a_lead_that_opens_with_the_headline_words_keeps_them():
    lead = "Storm hits coast, killing three people and leaving thousands without power on Monday."
    assert clean("Storm hits coast", lead).text == lead
    assert clean("T", "(Video)\nThe ferry left on time on Monday, the harbour board said.").removed == ["(Video)"]
