"""Summaries, overview, scope, claims, timeline, divergences and wire copy, on the seeds and on briefings written
for the tests about other kinds of policy change (a jet type grounded until inspected; a ban with exemptions)."""

from __future__ import annotations

import re

import pytest

from briefgen.consolidate import LEFT_OUT_LISTED
from briefgen.extract.dates import find_dates
from conftest import FIXTURES, assert_spans_faithful, build_folder, load_briefing, make_briefing, run_cli


@pytest.fixture(scope="module")
def seeds(seeds_site):
    return load_briefing(seeds_site)


@pytest.fixture(scope="module")
def scooters(tmp_path_factory):
    out = tmp_path_factory.mktemp("scooters4") / "site"
    assert run_cli("build", FIXTURES / "scooters", "-o", out).exit_code == 0
    return load_briefing(out)


@pytest.fixture(scope="module")
def grounding(grounding_site):
    return load_briefing(grounding_site)


def evidence_sources(statement) -> set[str]:
    return {e["source"] for e in statement["evidence"]}


def spans_text(data, statement) -> list[str]:
    texts = {s["id"]: s["text"] for s in data["sources"]}
    return [texts[e["source"]][e["start"] : e["end"]] for e in statement["evidence"]]


def test_every_span_is_faithful(seeds, scooters, grounding):
    for data in (seeds, scooters, grounding):
        assert assert_spans_faithful(data) > 20
        for group in ("overview", "timeline", "claims"):
            for st in data[group]:
                assert st["text"] in " ".join(spans_text(data, st)) or st["text"] == spans_text(data, st)[0]
        for label in ("before", "allowed", "prohibited", "conditions"):
            for st in data["scope"][label]:
                assert st["text"] == spans_text(data, st)[0], label


def test_source_summaries(seeds):
    for source in seeds["sources"]:
        summary = source["summary"]
        assert 3 <= len(summary) <= 5
        assert [s["start"] for s in summary] == sorted(s["start"] for s in summary)
        texts = [s["text"] for s in summary]
        assert len(set(texts)) == len(texts)
        for text in texts:
            assert len(text.split()) >= 8
            assert not re.search(r"Photograph:|file photo|reported by Politico|contributed to this report", text)


def test_short_article_gets_two_sentences(tmp_path):
    src = tmp_path / "b"
    src.mkdir()
    (src / "a.txt").write_text(
        "Pool closes\n\nThe city pool will close for repairs from Monday until the end of "
        "August, the council said. Swimmers can use the school pool on weekday evenings "
        "instead. The repairs will cost about 2 million euros, according to the council.\n"
    )
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    assert len(load_briefing(tmp_path / "s")["sources"][0]["summary"]) == 2


def test_overview_is_one_paragraph_without_repeats(seeds, scooters, grounding):
    for data in (seeds, scooters, grounding):
        words = sum(len(s["text"].split()) for s in data["overview"])
        assert 60 <= words <= 120
        texts = [s["text"] for s in data["overview"]]
        assert len(set(texts)) == len(texts)
    assert len({s["evidence"][0]["source"] for s in seeds["overview"]}) >= 2


def test_seed_scope(seeds):
    scope = seeds["scope"]
    assert all(scope[k] for k in ("before", "allowed", "prohibited", "conditions"))
    top_allowed = scope["allowed"][0]
    assert len(evidence_sources(top_allowed)) >= 3
    assert any("has not changed" in st["text"] for st in scope["prohibited"])
    assert any("Kharkiv" in st["text"] for st in scope["conditions"][:3])
    assert any(re.search(r"only|solely|exclusively|limited purpose", st["text"]) for st in scope["conditions"])
    assert any(re.search(r"refused|resisted|steadfast|reluctant|until now", st["text"]) for st in scope["before"])


def test_seed_timeline_in_order(seeds):
    dates = [t["date"] for t in seeds["timeline"]]
    for date in ("10 May", "May 13", "15 May", "May 17"):
        assert date in dates
    assert dates.index("10 May") < dates.index("May 13") < dates.index("15 May") < dates.index("May 17")
    may13 = seeds["timeline"][dates.index("May 13")]
    assert "asked for permission" in may13["text"]
    # publication dates from seeds/briefing.yml: every date resolves, "May 13" to the year of publication, and a
    # weekday told in the past tense ("said … on Wednesday that the policy is evolving") to the one before it
    by_date = {t["date"]: t["iso"] for t in seeds["timeline"]}
    assert all(t["iso"] for t in seeds["timeline"]) and by_date["May 13"] == "2024-05-13"
    assert {t["iso"] for t in seeds["timeline"] if t["date"] == "Wednesday"} == {"2024-05-29"}
    assert [t["iso"] for t in seeds["timeline"]] == sorted(t["iso"] for t in seeds["timeline"])


def test_seed_divergence_and_wire_copy(seeds):
    about = {d["about"]: d for d in seeds["divergences"]}
    ban = about["ban"]
    sides = [p["text"] for p in ban["positions"]]
    assert "27-month-long ban" in sides[0] and "no formal ban" in sides[1]
    wire = {s["id"][:3]: set(x[:3] for x in s["wire_copy_with"]) for s in seeds["sources"]}
    assert wire["002"] == {"003", "004"} and wire["000"] == set() and wire["001"] == set()


def test_seed_claims_support_and_omissions(seeds):
    claims = {c["id"]: c for c in seeds["claims"]}
    assert all(c["support"] == len(evidence_sources(c)) for c in claims.values())
    assert max(c["support"] for c in claims.values()) >= 3
    for source in seeds["sources"]:
        for cid in source["only_here"]:
            assert evidence_sources(claims[cid]) == {source["id"]}
        for cid in source["leaves_out"]:
            assert source["id"] not in evidence_sources(claims[cid]) and claims[cid]["support"] >= 3
        # the most widely reported gaps are listed (claims are ranked by support), all of them counted
        gaps = [cid for cid, c in claims.items() if c["support"] >= 3 and source["id"] not in evidence_sources(c)]
        assert source["leaves_out_count"] == len(gaps)
        assert source["leaves_out"] == gaps[:LEFT_OUT_LISTED]


def test_ban_with_exemptions(scooters):
    scope = scooters["scope"]
    assert any("ban" in st["text"] for st in scope["prohibited"])
    conditions = " | ".join(st["text"] for st in scope["conditions"])
    assert "exempt until" in conditions and "not covered by the ban" in conditions
    assert any("still" in st["text"] for st in scope["allowed"])
    assert not scope["before"]


def test_relative_and_absolute_dates_resolve(scooters):
    by_iso = {}
    for entry in scooters["timeline"]:
        by_iso.setdefault(entry["iso"], []).append(entry)
    assert {"2025-05-13", "2025-06-01", "2025-12-31"} <= set(by_iso)
    assert "2024-06-01" not in by_iso  # "voted on Tuesday to ban them, starting on June 1": the June ahead
    tuesday = by_iso["2025-05-13"][0]
    assert tuesday["date"] == "Tuesday" and len(evidence_sources(tuesday)) == 2  # two outlets, one event
    isos = [t["iso"] for t in scooters["timeline"]]
    assert isos == sorted(isos)


def test_figures_that_disagree(scooters, grounding):
    fine = next(d for d in scooters["divergences"] if d["about"] == "fine (EUR)")
    assert sorted(p["text"] for p in fine["positions"]) == ["100 euros", "80 euros"]
    assert {e["source"] for p in fine["positions"] for e in p["evidence"]} == {"wire", "courier", "gazette"}
    planes = next(d for d in grounding["divergences"] if "aircraft" in d["about"])
    assert [p["text"] for p in planes["positions"]] == ["171 aircraft", "215 aircraft"]


def test_single_source_facts(scooters):
    claims = {c["id"]: c for c in scooters["claims"]}
    gazette = next(s for s in scooters["sources"] if s["id"] == "gazette")
    only = [claims[c]["text"] for c in gazette["only_here"]]
    assert any("reviewed after six months" in t for t in only)


def test_what_only_one_source_reports_is_ranked_and_short(tmp_path):
    """An article with many points of its own: the one about the story itself comes first although the article
    gives it last, an analyst's comment that only it quotes and a figure only it gives count as its own, and past
    eight points the rest wait behind a toggle on its page."""
    trivia = [
        "The blue cafe on the quay sold forty cups of tea to walkers in the morning.",
        "A choir sang in the chapel on the hill during the afternoon service.",
        "Gulls followed the fishing boats back to the beach at dusk.",
        "The lighthouse museum opened its doors for a school trip from the valley.",
        "Two cyclists crossed the old stone bridge before the rain began.",
        "The bakery on Mill Street baked its first rye loaves of the season.",
        "A fox was seen near the allotments behind the primary school.",
        "The library moved its poetry evening from Thursday to Friday.",
    ]
    a = (
        "Ferry strike ends\n\nThe ferry strike in Portside ended on Monday after the union accepted a new pay offer "
        "from the harbour board.\n\n" + "\n\n".join(trivia) + "\n\n"
        '"This deal will not hold past the summer, because the board has not fixed the rosters," said Ines Varga, '
        "an analyst at the Elmstead Maritime Institute.\n\n"
        "The ferry strike had halted the union crossings of the harbour board for nine days, and 1,200 travellers were "
        "stranded in Portside.\n"
    )
    b = (
        "Portside ferries sail again\n\nThe union ended the ferry strike in Portside on Monday, accepting the pay "
        "offer of the harbour board.\n\nThe strike had stopped the crossings for nine days.\n"
    )
    assert build_folder(tmp_path, {"a.txt": a, "b.txt": b}).exit_code == 0
    data = load_briefing(tmp_path / "site")
    claims = {c["id"]: c for c in data["claims"]}
    only = [claims[c]["text"] for c in next(s for s in data["sources"] if s["id"] == "a")["only_here"]]
    assert any("Elmstead Maritime Institute" in t for t in only)  # a comment only this source quotes
    assert any("1,200 travellers" in t for t in only)  # a figure only it gives, on a point both report
    assert only.index(next(t for t in only if "1,200" in t)) < only.index(trivia[0])
    page = (tmp_path / "site" / "sources" / "a" / "index.html").read_text(encoding="utf-8")
    shown, hidden = page.split('id="only-h"')[1].split("</section>")[0].split("<details")
    assert shown.count("<li>") == 8 and hidden.count("<li>") == len(only) - 8
    assert f"{len(only) - 8} more from this source" in hidden


def test_grounding_scope(grounding):
    scope = grounding["scope"]
    assert len(evidence_sources(scope["prohibited"][0])) >= 2 and "ground" in scope["prohibited"][0]["text"]
    conditions = " | ".join(st["text"] for st in scope["conditions"])
    assert "until" in conditions and "inspect" in conditions
    assert "not covered" in conditions or "exempt" in conditions
    assert any("resume" in st["text"] for st in scope["allowed"])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("on May 13, 2024", [("May 13, 2024", 2024, 5, 13)]),
        ("from 10 May", [("10 May", None, 5, 10)]),
        ("Jan. 5 and Dec. 8", [("Jan. 5", None, 1, 5), ("Dec. 8", None, 12, 8)]),
        ("on 9 December 2023", [("9 December 2023", 2023, 12, 9)]),
        ("It may rain in May.", [("May", None, 5, None)]),
        ("Prices may rise.", []),
        ("The port opened in 1879 and 2000 people moved there.", [("1879", 1879, None, None)]),
        ("a budget of 2000 euros", []),
        ("a remake of the 1984 original", [("1984", 1984, None, None)]),
        ("it updates 1984’s single", [("1984", 1984, None, None)]),
        ("signed on 26.11.2004", [("26.11.2004", 2004, 11, 26)]),
        ("the 2024-05-30 order", [("2024-05-30", 2024, 5, 30)]),
    ],
)
def test_date_finder(text, expected):
    assert [(d.text, d.year, d.month, d.day) for d in find_dates(text)] == expected


@pytest.mark.parametrize(
    "text, published, future, iso",
    [
        ("work will be done between 2005 and 2010", "2004-12-09", True, "2005/2010"),
        ("another meeting in March or April", "2004-12-09", True, "2005-03/2005-04"),
        ("the ferry strike in March", "2004-12-09", False, "2004-03"),
        ("the vote in March", "2004-12-09", True, "2005-03"),
        ("tolls rose last month", "2004-11-17", False, "2004-10"),
        ("the pier closed yesterday", "2004-11-17", False, "2004-11-16"),
        ("the festival ran Friday, Saturday and Sunday", "2004-11-15", False, "2004-11-12/2004-11-14"),
        ("the talks on Nov. 17", "2005-01-10", False, "2004-11-17"),
        ("the talks on Nov. 17", "2004-11-10", True, "2004-11-17"),
        ("the crews will meet on Thursday", "2004-12-07", True, "2004-12-09"),
        ("crews met on Thursday", "2004-12-07", False, "2004-12-02"),
        ("the new line opens next year", "2004-12-07", False, "2005"),
        ("the harbour was dredged over the summer", "2004-11-07", False, "2004"),
        ("earlier this year", "2004-11-07", False, "2004"),
        ("by the end of 2008", None, False, "2008"),
        ("when she took office in January 2003", None, False, "2003-01"),
    ],
)
def test_dates_resolve_against_the_publication_date(text, published, future, iso):
    """An incomplete date is the latest such date not after publication, or said of the future the first not
    before it; months, years and intervals are ISO 8601 too."""
    (date,) = find_dates(text)
    date.future = future
    assert date.iso(published) == iso


def test_weekday_resolution():
    (thursday,) = find_dates("officials said on Thursday")
    assert thursday.text == "Thursday"
    assert thursday.iso("2024-05-31") == "2024-05-30"  # a Friday paper's "Thursday"
    assert thursday.iso(None) is None


def test_timeline_reads_the_tense_and_borrows_a_missing_publication_date(tmp_path):
    """A weekday said of what is scheduled ("is being launched on Monday") is the coming one, one said of the
    past the last one; a source without a publication date borrows the briefing's, and its entries say so."""
    dated = (
        "---\ntitle: Harbour gets a new ferry\npublished: 2004-11-18\n---\n\n"
        "The harbour board said the new ferry is being launched on Monday, a week before the timetable changes.\n\n"
        "The old ferry made its last crossing on Monday after forty years of service on the route.\n"
    )
    undated = (
        "Ferry crews to strike\n\n"
        "The crews' union said its members will walk out on Friday unless the board improves its pay offer.\n"
    )
    assert build_folder(tmp_path, {"a.md": dated, "b.txt": undated}).exit_code == 0
    timeline = {t["text"][:40]: t for t in load_briefing(tmp_path / "site")["timeline"]}
    launched = next(t for text, t in timeline.items() if "launched" in t["text"])
    crossed = next(t for text, t in timeline.items() if "last crossing" in t["text"])
    strike = next(t for text, t in timeline.items() if "walk out" in t["text"])
    assert (launched["iso"], launched["iso_inferred"]) == ("2004-11-22", False)
    assert (crossed["iso"], crossed["iso_inferred"]) == ("2004-11-15", False)
    assert (strike["iso"], strike["iso_inferred"]) == ("2004-11-19", True)  # the briefing's date, a Thursday
    page = (tmp_path / "site" / "what-changed" / "index.html").read_text(encoding="utf-8")
    assert "Mon 22 Nov 2004" in page and "(inferred)" in page


MERGER = {
    "a.txt": "Bayline to buy Northway\n\nBayline Holdings will buy its rival Northway Ferries for $2 billion, the two "
    "companies said on Monday, creating the largest ferry operator on the coast.\n\nThe combined company will run 40 "
    'ships and keep the Bayline name. "This deal lets us invest in cleaner ships," said Ramiro Quispe, Bayline\'s '
    "chief executive.\n\nShareholders of both companies must still approve the deal, which the companies expect to "
    "close by the end of March.\n",
    "b.txt": "Ferry operators agree merger\n\nNorthway Ferries agreed on Monday to be bought by Bayline Holdings in a "
    "$2 billion deal that joins the coast's two biggest operators.\n\nAnalysts said the merger allows the new company "
    "to cut costs on shared routes. Ines Varga, a shipping analyst, said fares were unlikely to fall.\n",
    "c.txt": "Bayline and Northway to merge\n\nBayline Holdings is buying Northway Ferries for about $2 billion, the "
    "companies announced on Monday.\n\nThe deal still needs the approval of regulators, who could block it if "
    "fares rise.\n",
}


def test_an_event_that_changes_no_rule_has_no_scope(tmp_path, grounding):
    """A merger whose articles 'allow' savings and 'block' nothing in their leads changes no rule: the scope says
    so, lists nothing, and the page says it in one line; a grounding order does change one."""
    assert build_folder(tmp_path, MERGER).exit_code == 0
    scope = load_briefing(tmp_path / "site")["scope"]
    assert scope["applies"] is False
    assert not any(scope[label] for label in ("before", "allowed", "prohibited", "conditions"))
    page = (tmp_path / "site" / "what-changed" / "index.html").read_text()
    assert "No rule changes in this story" in page and "Still prohibited" not in page
    assert grounding["scope"]["applies"] is True


DEAL = {
    "a.txt": "Bayline buys Northway\n\nBayline Holdings will buy Northway Ferries in a $2.5 billion deal, the "
    "companies said on Monday.\n\nThe deal is worth about £1bn to the harbour town over ten years, two officials "
    "said.\n\nShares in Bayline rose 12 percent on Monday.\n",
    "b.txt": "Northway sold\n\nBayline Holdings agreed on Monday to buy Northway Ferries in a $2 billion deal.\n\n"
    "The deal is worth at least £1bn to the harbour town over ten years, one official said.\n\nShares in Bayline "
    "rose 12% on Monday.\n",
    "c.txt": "Ferry deal\n\nBayline Holdings is buying Northway Ferries in a deal worth $2.5bn, the companies said "
    "on Monday.\n\nThe deal is worth more than £1bn to the harbour town over ten years.\n",
}


def test_amounts_of_money_disagree_only_where_no_hedge_or_rounding_reconciles_them(tmp_path):
    """$2bn against $2.5bn (written two ways) is a divergence; "about £1bn", "at least £1bn" and "more than £1bn"
    are not, nor are "one official" and "two officials", nor 12 percent and 12%."""
    assert build_folder(tmp_path, DEAL).exit_code == 0
    divergences = load_briefing(tmp_path / "site")["divergences"]
    assert [d["about"] for d in divergences] == ["deal (USD)"]
    sides = [[e["source"] for e in p["evidence"]] for p in divergences[0]["positions"]]
    assert [p["text"] for p in divergences[0]["positions"]] == ["$2 billion", "$2.5 billion"]
    assert sides == [["b"], ["a", "c"]]


NIGHT_FERRIES = {
    "a.txt": "Harbour bans night ferries\n\nThe harbour board on Monday banned night ferries from the inner harbour. "
    "The ban will be phased in, applying to cargo ferries by 2026 and to passenger ferries by the end of 2027.\n\n"
    "Skippers' union leader Tom Hill said the ban was bizarre.\n\n"
    '"They cannot ban us from our own harbour. This is the end of night sailing," said Hill.\n\n'
    "Hill, who once called night sailing the only pleasure left to a skipper of sixty, said the union would meet.\n\n"
    "Even on quays where ferries are allowed to moor, nobody will be able to load cargo after dark.\n",
    "b.txt": "Night ferries banned\n\nNight ferries will be banned from the inner harbour, the harbour board decided "
    "on Monday.\n\nThe plan was condemned by the skippers' union.\n\nThe ban will be introduced in stages, ending "
    "with passenger ferries at the end of 2027.\n",
}


def test_scope_holds_the_change_and_its_phases_not_the_reactions_to_it(tmp_path):
    assert build_folder(tmp_path, NIGHT_FERRIES).exit_code == 0
    scope = load_briefing(tmp_path / "site")["scope"]
    assert scope["applies"] is True
    assert any("banned night ferries" in st["text"] for st in scope["prohibited"])
    conditions = " | ".join(st["text"] for st in scope["conditions"])
    assert "phased in" in conditions or "in stages" in conditions
    assert "only pleasure" not in conditions  # "the only X" is the sole one, not a limit
    assert not any("quays where" in st["text"] for st in scope["allowed"])  # describes the quays, grants nothing
    assert any("nobody will be able to load cargo" in st["text"] for st in scope["prohibited"])
    items = " | ".join(st["text"] for label in ("before", "allowed", "prohibited", "conditions") for st in scope[label])
    for reaction in ("bizarre", "condemned", "cannot ban us"):
        assert reaction not in items, reaction


def test_the_same_quote_given_to_two_speakers_is_a_divergence(tmp_path):
    files = {
        "a.txt": "Ferry pact signed\n\nThe harbour towns signed the ferry pact on Monday.\n\n"
        '"We were rivals on the water and now we share every crossing," said Laura Bennett, the mayor of Portside.\n',
        "b.txt": "Towns sign pact\n\nTwo harbour towns signed a ferry pact on Monday.\n\n"
        '"We were rivals on the water and now we share every crossing," said Peter Hansen, the mayor of Elmstead.\n',
    }
    assert build_folder(tmp_path, files).exit_code == 0
    data = load_briefing(tmp_path / "site")
    who = [d for d in data["divergences"] if d["about"].startswith("who said")]
    assert len(who) == 1 and [p["text"] for p in who[0]["positions"]] == ["Laura Bennett", "Peter Hansen"]
    texts = {s["id"]: s["text"] for s in data["sources"]}
    for position in who[0]["positions"]:
        (e,) = position["evidence"]
        assert position["text"] in texts[e["source"]][e["start"] : e["end"]]
        assert "we share every crossing" in texts[e["source"]][e["start"] : e["end"]]


def test_one_sentence_told_with_opposite_words_is_a_divergence(tmp_path):
    """Two outlets carry one sentence, one with "raised" and the other with "lowered": they disagree. Two
    sentences on one topic that differ in more than the pair (another day, another port) do not."""
    files = {
        "a.txt": "Ferry fares change\n\nThe harbour board has raised the fares on the island ferry routes from "
        "next month.\n\nThe board said fuel prices had risen sharply this winter.\n",
        "b.txt": "Board changes ferry fares\n\nThe harbour board has lowered the fares on the island ferry routes "
        "from next month.\n\nThe board said fuel prices had fallen in the autumn before rising again.\n",
    }
    found, data = only_divergence(tmp_path, lambda about: "raised" in about, files)
    texts = {s["id"]: s["text"] for s in data["sources"]}
    assert found["about"] == "“lowered” or “raised”"
    sides = [[texts[e["source"]][e["start"] : e["end"]] for e in p["evidence"]] for p in found["positions"]]
    assert sides == [
        ["The harbour board has lowered the fares on the island ferry routes from next month."],
        ["The harbour board has raised the fares on the island ferry routes from next month."],
    ]
    assert not [d for d in data["divergences"] if "fall" in d["about"] or "rise" in d["about"]]


def test_two_counts_given_together_differently_are_divergences(tmp_path):
    """Each source gives the same two counts in one sentence, worded its own way: depots shut and drivers let
    go differ. How many officials spoke is sourcing, not a count to disagree on."""
    files = {
        "a.txt": "Bus line returns\n\nYears of losses, a strike by mechanics and a fire at the main garage in "
        "Elmstead forced the owners to close about 240 ticket offices and dismiss 9,000 crew members.\n\n"
        "Two officials said the line would run again in May.\n",
        "b.txt": "Bus company back in profit\n\nPortside Coaches, now held by a pension fund from the north, cut "
        "more than 120 ticket offices and more than 5,500 crew members before turning a profit this spring, its "
        "chairwoman told shareholders.\n\nThree officials said the line would run again in May.\n",
    }
    assert build_folder(tmp_path, files).exit_code == 0
    found = {
        d["about"]: sorted(p["text"] for p in d["positions"]) for d in load_briefing(tmp_path / "site")["divergences"]
    }
    offices = next(v for k, v in found.items() if "office" in k)
    crews = next(v for k, v in found.items() if "member" in k)
    assert offices == ["120 ticket offices", "240 ticket offices"] and crews == [
        "5,500 crew members",
        "9,000 crew members",
    ]
    assert not any("official" in k for k in found)


def test_amounts_of_one_thing_worded_apart_are_one_divergence(tmp_path):
    """Three reports give the islands' fish trade three ways ("exporting $4.2bn", "exports of $4.6 billion",
    "4.9 billion dollars in yearly exports"), each in a sentence of its own words: one divergence, three sides."""
    files = {
        "a.txt": "Island pact signed\n\nThe island bloc will be a fishing power, with three ports and 4.9 "
        "billion dollars in yearly exports, its founders say.\n",
        "b.txt": "Islands sign fishing pact\n\nThe pact joins nine islands, exporting $4.2bn of fish and "
        "shellfish.\n\nIts leaders hope exports of $4.2bn will double.\n",
        "c.txt": "Fishing pact for the islands\n\nThe island bloc will have fish exports of $4.6 billion and "
        "wide fishing grounds, making it a power in the region.\n",
    }
    assert build_folder(tmp_path, files).exit_code == 0
    exports = [d for d in load_briefing(tmp_path / "site")["divergences"] if "export" in d["about"]]
    assert len(exports) == 1
    assert [p["text"] for p in exports[0]["positions"]] == ["$4.2bn", "$4.6 billion", "4.9 billion dollars"]


def test_one_quote_in_other_words_is_a_divergence(tmp_path):
    """Two outlets give one quote of the mayor's with other words in the middle ("we will not sell" against
    "nobody here will sell"): a divergence citing both. Numbers written out, a function word and a cut are not."""
    quote_a = (
        "In six months the new quay opens. We will not sell the island ferry to anyone. It belongs to "
        "the town and to its families."
    )
    quote_b = (
        "In 6 months the new quay opens. Nobody here will sell the island ferry to anyone. It belongs to "
        "the town and for its families."
    )
    files = {
        "a.txt": f'Mayor defends ferry\n\nThe ferry will keep running, the mayor said.\n\n"{quote_a}" said Laura '
        "Bennett, the mayor of Portside.\n",
        "b.txt": f'Ferry stays\n\nThe island ferry stays.\n\n"{quote_b}" said Laura Bennett, the mayor.\n',
        "c.txt": 'Ferry to keep sailing\n\nThe ferry will sail on.\n\n"In six months the new quay opens. We '
        'will not sell the island ferry to anyone," Laura Bennett said.\n',
    }
    assert build_folder(tmp_path, files).exit_code == 0
    data = load_briefing(tmp_path / "site")
    (found,) = [d for d in data["divergences"] if d["about"].startswith("the words")]
    assert found["about"] == "the words of Laura Bennett’s quote"
    assert [sorted({e["source"] for e in p["evidence"]}) for p in found["positions"]] == [["a", "c"], ["b"]]


def test_a_pull_quote_glued_to_a_paragraph_does_not_repeat_a_timeline_entry(tmp_path):
    """A page repeats a sentence as a pull quote, its opening mark glued to the paragraph before
    ('…the sea."Laura Bennett …'): the event is one entry."""
    text = (
        "Harbour master honoured\n\nLaura Bennett took the helm in 1997.\n\n"
        'She said someone had to look after the sea."Laura Bennett took the helm in 1997.\n\n'
        "The board thanked her on Monday.\n"
    )
    src = make_briefing(tmp_path / "b", {"a.txt": text})
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    entries = [t for t in load_briefing(tmp_path / "s")["timeline"] if t["iso"] == "1997"]
    assert len(entries) == 1, [t["text"] for t in entries]


def test_the_news_itself_is_on_the_timeline_at_its_publication_date(tmp_path):
    """A lead that names no date ("The harbour board is now charging …") is the news of the day it was
    published: it is on the timeline then; a lead that names its own date is placed by that date alone."""
    src = make_briefing(
        tmp_path / "b",
        {
            "a.md": "---\npublished: 2025-03-04\n---\n# Night fee\n\nThe harbour board is now charging a fee for every "
            "crossing made after dark, its chair said.\n\nThe fee was first proposed in 2019.\n",
            "b.md": "---\npublished: 2025-03-05\n---\n# Fee starts\n\nThe harbour board started charging a night fee "
            "on Monday, March 3.\n",
        },
    )
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    timeline = load_briefing(tmp_path / "s")["timeline"]
    by_iso = {t["iso"]: t for t in timeline}
    assert by_iso["2025-03-04"]["text"].startswith("The harbour board is now charging a fee")
    assert "2025-03-05" not in by_iso and "2025-03-03" in by_iso and "2019" in by_iso
    assert [t["iso"] for t in timeline] == sorted(t["iso"] for t in timeline)


def only_divergence(tmp_path, which, files: dict[str, str]):
    """Build `files` and return the one divergence whose `about` `which` accepts, with the whole briefing."""
    assert build_folder(tmp_path, files).exit_code == 0
    data = load_briefing(tmp_path / "site")
    (found,) = [d for d in data["divergences"] if which(d["about"])]
    return found, data


def test_a_step_of_a_staged_change_set_for_different_years_is_a_divergence(tmp_path):
    """One outlet's key points put the ban on night crossings in 2027, two others in 2028; the depots step, set
    for the same year by all, and a key-points item that agrees are not divergences."""
    found, data = only_divergence(
        tmp_path,
        lambda about: about == "when it applies",
        {
            "a.txt": "Ferry ban comes in stages\n\nThe harbour board will phase in its rules, closing the old "
            "depots by 2026 and banning the night crossings on the island routes by the end of 2028.\n\n"
            "Key points:\n\n* From 2027 night crossings on the island routes and late sailings to the outer ports "
            "banned\n\n* Old depots closed by 2026 and the yards sold to the town for new homes\n",
            "b.txt": "Harbour board sets timetable\n\nBy the end of 2026, the old depots will be closed. By the end "
            "of 2028, the night crossings on the island routes will be banned.\n",
            "c.txt": "Night ferries to end\n\nThe night crossings on the island routes will be banned by 2028, the "
            "harbour board said, and the old depots closed by 2026.\n",
        },
    )
    texts = {s["id"]: s["text"] for s in data["sources"]}
    sides = [
        {(e["source"], texts[e["source"]][e["start"] : e["end"]]) for e in p["evidence"]} for p in found["positions"]
    ]
    assert sides[0] == {
        ("a", "From 2027 night crossings on the island routes and late sailings to the outer ports banned")
    }
    assert {source for source, _ in sides[1]} == {"b", "c"}
    assert all("2028" in text for _, text in sides[1])


def test_opposite_verdicts_on_one_subject_are_a_divergence(tmp_path):
    """One outlet writes that anchoring in the channel is illegal, another that the port bylaws do not outlaw
    it. A third calls it "possibly unlawful" (a hedge), quotes a skipper (a quote) and says what a new bylaw will
    make illegal (a rule to come): none of that is a side."""
    found, data = only_divergence(
        tmp_path,
        lambda about: about == "whether it is unlawful",
        {
            "a.txt": "Yachts anchor in ferry channel\n\nDozens of yachts anchored in the ferry channel on Sunday. "
            "Anchoring in the channel is illegal, and the harbour master has warned the owners.\n",
            "b.txt": "Channel anchoring row\n\nYachts anchored in the ferry channel at the weekend. The port "
            "bylaws do not outlaw anchoring in the channel, but the harbour master wants them changed.\n",
            "c.txt": "Harbour master warns yachts\n\nYachts anchoring in the ferry channel are possibly unlawful, "
            'the harbour master said.\n\n"Anchoring in the channel is illegal," said one ferry skipper.\n\n'
            "Under the new bylaws, anchoring in the ferry channel will be illegal from next year.\n",
        },
    )
    assert [[e["source"] for e in p["evidence"]] for p in found["positions"]] == [["a"], ["b"]]
    assert found["positions"][0]["text"].startswith("Anchoring in the channel is illegal")
    assert found["positions"][1]["text"].startswith("The port bylaws do not outlaw")


def test_one_thing_shown_with_different_text_is_a_divergence(tmp_path):
    """The ferry company's site shows one message in one outlet and another in a second (quoted after a colon);
    a third outlet giving the first message agrees with it."""
    found, data = only_divergence(
        tmp_path,
        lambda about: about.startswith("what the"),
        {
            "a.txt": "Ferry bookings halted\n\nThe ferry company stopped taking bookings on Monday. The site of "
            'the company now shows a grey page and the words "Back in the spring".\n',
            "b.txt": "Ferry firm closes bookings\n\nBookings were halted on Monday. Anyone who opens the site "
            'today reads this notice:\n\n"We have stopped sailing for good. Thank you for travelling with us."\n',
            "c.txt": 'No more ferry bookings\n\nThe company\'s site displays the words "Back in the spring" '
            "after bookings stopped on Monday.\n",
        },
    )
    assert found["about"] == "what the site showed"
    assert [p["text"] for p in found["positions"]] == [
        "Back in the spring",
        "We have stopped sailing for good. Thank you for travelling with us.",
    ]
    assert [sorted({e["source"] for e in p["evidence"]}) for p in found["positions"]] == [["a", "c"], ["b"]]


def test_one_amount_over_different_times_is_a_divergence(tmp_path):
    """£40m a year in one outlet, £40m over the next ten years in another: the same amount, a different sum. An
    outlet that gives no time is not a side; a time said in another clause of the sentence is not the amount's;
    "annual spending of £40m within five years" is £40m a year."""
    found, data = only_divergence(
        tmp_path,
        lambda about: about.startswith("over what time"),
        {
            "a.txt": "Ferry fleet to get new money\n\nThe harbour board will spend £40m a year on the ferry fleet, "
            "its chairman said on Monday.\n",
            "b.txt": "Board backs ferry fleet\n\nThe harbour board will spend £40m over the next ten years on the "
            "ferry fleet, the board said.\n",
            "c.txt": "Money for ferries\n\nThe harbour board will spend £40m on the ferry fleet, and fares will rise "
            "over the next two years.\n",
            "d.txt": "Ferry fleet plan\n\nThe harbour board will make annual spending of £40m on the ferry fleet "
            "within five years, it said.\n",
        },
    )
    assert found["about"] == "over what time: £40m"
    assert [(p["text"], [e["source"] for e in p["evidence"]]) for p in found["positions"]] == [
        ("a year", ["a", "d"]),
        ("over the next ten years", ["b"]),
    ]
