"""A briefing big enough for the parallel paths: cleaning and parsing in worker processes, pages rendered in
worker processes, and the search index in shards cached per shard. Every parallel path must give the same
bytes as the serial one, and an edit must re-index only the shards whose pages changed."""

from __future__ import annotations

import pytest
from test_build import tree

import briefgen.search as search
from conftest import load_briefing, make_briefing, run_cli

pytestmark = pytest.mark.slow

FIRST = ["Amara", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kaia", "Lior"]
LAST = ["Okonkwo", "Varga", "Lindqvist", "Moreau", "Tanaka", "Rahimi", "Castillo", "Novak"]
TOWNS = ["Brackenford", "Elmstead", "Harwick", "Lowmoor", "Pellton", "Quarrybank", "Ravensby", "Stonely"]
PROJECTS = [
    "a night bus route",
    "a river footbridge",
    "a library extension",
    "a rooftop solar scheme",
    "a car-free school street",
    "a community orchard",
]


def article(i: int) -> str:
    """An invented local news report; every one distinct, each quoting its own named official."""
    name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
    town, project = TOWNS[i % len(TOWNS)], PROJECTS[i % len(PROJECTS)]
    cost = 40 + 7 * i
    return (
        f"{town} council approves {project} (report {i})\n\n"
        f"The council in {town} voted on Tuesday to approve {project} costing {cost},000 euros, ending "
        f"a debate that had lasted {i % 5 + 2} months.\n\n"
        f'"This is the project residents asked for, and we will deliver it by spring," said {name}, '
        f"the council's head of planning, after the vote.\n\n"
        f"Work on {project} is expected to begin in {['March', 'April', 'May', 'June'][i % 4]}, and "
        f"opponents said they would keep watching the budget closely.\n"
    )


N_ARTICLES = 48  # 48 sources + ~48 people + overview pages: enough pages for several search shards


def files(edited: int | None = None) -> dict[str, str]:
    out = {f"report-{i:02d}.txt": article(i) for i in range(N_ARTICLES)}
    if edited is not None:
        out[f"report-{edited:02d}.txt"] += "\nA late paragraph: the mayor, Odile Brandt, said the vote was fair.\n"
    return out


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    root = tmp_path_factory.mktemp("large")
    src = make_briefing(root / "briefing", files())
    site = root / "site"
    result = run_cli("build", src, "-o", site, "-j", "2", "--no-cache")
    assert result.exit_code == 0, result.output
    return src, site


def site_pages(site) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith("pagefind/")
    }


def test_large_briefing_shards_its_search_index(large):
    _, site = large
    plan = search.plan_shards(site_pages(site))
    assert len(plan) > 2
    for name, bundle in search.bundle_paths(plan).items():
        assert (site / bundle / "pagefind-entry.json").is_file(), name
    page = (site / "search" / "index.html").read_text(encoding="utf-8")
    for bundle in search.merged_bundles(plan):
        assert f"../{bundle}" in page  # the search page merges every shard
    data = load_briefing(site)
    assert len(data["sources"]) == N_ARTICLES
    assert {q["speaker"] for q in data["quotes"]} >= {"amara-okonkwo", "lior-okonkwo"}


def test_parallel_build_equals_serial(large, tmp_path):
    src, site = large
    serial = tmp_path / "serial"
    assert run_cli("build", src, "-o", serial, "-j", "1", "--no-cache").exit_code == 0
    assert tree(serial) == tree(site)


def test_shard_plan_is_stable_and_follows_the_searchable_marks():
    marked, plain = b"<article data-pagefind-body>text</article>", b"<p>text</p>"
    pages = {f"sources/s{i}/index.html": marked for i in range(100)}
    pages |= {f"people/p{i}/index.html": marked for i in range(30)}
    pages |= {"index.html": plain, "people/index.html": plain, "quotes/index.html": marked, "static/a.css": b""}
    plan = search.plan_shards(pages)
    # as in one Pagefind run: once pages mark their searchable part, unmarked pages are not indexed
    assert sorted(p for members in plan.values() for p in members) == sorted(p for p, d in pages.items() if d == marked)
    assert plan[search.MAIN] == ["quotes/index.html"] and list(search.bundle_paths(plan).values())[0] == "pagefind/"
    grown = search.plan_shards(pages | {"sources/new/index.html": marked, "people/new/index.html": marked})
    where = {p: name for name, members in plan.items() for p in members}
    assert all(where[p] == name for name, members in grown.items() for p in members if p in where)
    # no overview page to index: the first shard is the primary bundle
    alone = search.plan_shards({p: d for p, d in pages.items() if p != "quotes/index.html"})
    assert search.MAIN not in alone and search.bundle_paths(alone)[next(iter(alone))] == "pagefind/"
    # a small site is one index; a site that marks nothing is indexed whole
    assert search.plan_shards({p: plain for p in list(pages)[:20]}) == {search.MAIN: sorted(list(pages)[:20])}


def test_edit_reindexes_only_changed_shards_and_matches_a_fresh_build(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    runs: list[str] = []
    real = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda *a, **k: (runs.append(str(a[2])), real(*a, **k))[1])
    src = make_briefing(tmp_path / "briefing", files())
    site = tmp_path / "site"
    assert run_cli("build", src, "-o", site, "-j", "1").exit_code == 0  # in this process: its calls are counted
    shards = len(runs)
    assert shards >= 2 * search.SHARDS_PER_KIND
    runs.clear()
    make_briefing(src, files(edited=7))
    assert run_cli("build", src, "-o", site, "-j", "1").exit_code == 0
    redone = sorted(r.split(".briefgen-shard-")[1].split(".")[0] for r in runs)  # the shards indexed again
    # the edited source's shard, the shards of the people whose pages changed (and overview pages'): not all
    assert sum(r.startswith("sources-") for r in redone) == 1 and len(redone) <= shards // 2, redone
    fresh = tmp_path / "fresh"
    monkeypatch.delenv("BRIEFGEN_CACHE_DIR")
    assert run_cli("build", src, "-o", fresh, "--no-cache").exit_code == 0
    assert tree(fresh) == tree(site)
    assert "Odile Brandt" in (site / "sources" / "report-07" / "index.html").read_text(encoding="utf-8")


PAGE = (
    '<!doctype html><html lang="en"><head><title>Fares</title></head><body><article data-pagefind-body>'
    '<h1>Ferry fares</h1><p>{text}</p><section data-pagefind-ignore><h2 id="{heading}">Left out</h2>'
    "<p>{ignored}</p>{extra}</section></article></body></html>"
)


def test_pages_that_differ_only_where_search_ignores_them_index_the_same(tmp_path):
    """A shard's cached index is keyed by what Pagefind reads of its pages (`searchable_digest`), so a page whose
    ignored parts changed (a source's "leaves out" list) is not indexed again. Pagefind itself must agree."""
    base = {"text": "The ferry company raised fares on Monday.", "heading": "gap", "ignored": "8 of 1255", "extra": ""}
    variants = {
        "base": base,
        "ignored": base | {"heading": "gaps", "ignored": "7 of 1254 <b>most reported first</b>"},
        "text": base | {"text": "The ferry company cut fares on Monday."},
        "filter": base | {"extra": '<span data-pagefind-filter="outlet">Harbour Post</span>'},
    }
    digests, indexes = {}, {}
    for name, fields in variants.items():
        data = PAGE.format(**fields).encode()
        digests[name] = search.page_digest(data)
        (tmp_path / name / "site").mkdir(parents=True)
        (tmp_path / name / "site" / "index.html").write_bytes(data)
        search._run_pagefind(search._binary(), tmp_path / name / "site", tmp_path / name / "index")
        indexes[name] = tree(tmp_path / name / "index")
    assert digests["ignored"] == digests["base"] and indexes["ignored"] == indexes["base"]
    for changed in ("text", "filter"):  # what search reads, and a filter inside an ignored element (still read)
        assert digests[changed] != digests["base"] and indexes[changed] != indexes["base"], changed


def test_a_person_page_whose_citations_change_keeps_what_search_reads(tmp_path):
    """One more outlet carrying a quote, and mentioning its speaker, changes the person page (the caption's outlet
    list, the mentions) but not what search reads of it (the name, the quote): its shard is not indexed
    again, and the page does not rank for the titles of the articles that cite it."""
    import lxml.html

    quote = '"We will reopen the pier before the summer crowds arrive," said Marta Quinn, the harbour master.'
    one = f"Pier to reopen\n\nThe town's old pier has been closed since the storm in March.\n\n{quote}\n"
    brief = "Harbour news in brief\n\nRepairs to the breakwater are nearly done.\n"
    other = "Market hours change\n\nThe covered market will open an hour earlier from Monday, traders said.\n"
    pages = {}
    for name, three in (("before", brief), ("after", f"{brief}\n{quote}\n")):
        src = make_briefing(tmp_path / name / "harbour", {"one.txt": one, "two.txt": other, "three.txt": three})
        assert run_cli("build", src, "-o", tmp_path / name / "site", "--no-cache").exit_code == 0
        pages[name] = (tmp_path / name / "site" / "people" / "marta-quinn" / "index.html").read_bytes()
    assert pages["before"] != pages["after"] and b"carried by 2 sources" in pages["after"]
    assert search.page_digest(pages["before"]) == search.page_digest(pages["after"])
    tree = lxml.html.document_fromstring(pages["after"].decode("utf-8"))
    ignored, _ = search.ignore_paths()
    for element in ignored(tree):
        element.drop_tree()
    searched = " ".join(body.text_content() for body in tree.xpath("//*[@data-pagefind-body]"))
    assert "Marta Quinn" in searched and "reopen the pier" in searched
    assert "Harbour news in brief" not in searched and "carried by" not in searched


def _double_or_die(shared, chunk: list) -> list:
    import os

    if "dies" in chunk:
        os._exit(3)  # as a worker killed for want of memory
    return [shared * item for item in chunk]


def test_worker_pool_keeps_order_and_names_what_a_dead_worker_was_doing():
    """The pool's results come in the order of the items whatever worker did them, from chunks that end one item
    at a time; a worker that dies stops the work with one error naming its items, never a hang."""
    from briefgen.errors import BriefgenError
    from briefgen.runtime.pool import chunked, map_work

    chunks = chunked(list(range(50)), 4, jobs=2)
    assert [i for chunk in chunks for i in chunk] == list(range(50))
    assert all(len(chunk) == 1 for chunk in chunks[-16:]) and len(chunks[0]) == 4
    assert map_work(_double_or_die, list(range(40)), shared=2, jobs=2, chunk=3) == [2 * i for i in range(40)]
    with pytest.raises(BriefgenError, match="a worker process died while working on it") as died:
        map_work(
            _double_or_die,
            [1] * 20 + ["dies"] + [1] * 20,
            shared=1,
            jobs=2,
            chunk=1,
            describe=lambda item: f"item-{item}",
        )
    assert "item-dies" in str(died.value) and str(died.value).count("item-") <= 2  # what was being worked on


def test_garbage_collector_is_paused_for_a_build_and_resumed_after(tmp_path, monkeypatch):
    """A build runs with the cyclic collector off (it would walk the build's millions of live objects again and
    again) and leaves it as it found it, whether the build succeeds or fails."""
    import gc

    import briefgen.commands.build as build_module
    from briefgen.errors import BriefgenError

    seen = []
    real = build_module._build

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "_build", spy)
    src = make_briefing(tmp_path / "b", {"a.txt": "A headline\n\nThe council met on Monday, the mayor said.\n"})
    assert gc.isenabled()
    build_module.build(src, tmp_path / "site")
    assert seen == [False] and gc.isenabled()
    (src / "briefing.yml").write_text("jobs: many\n")  # a bad setting: the build fails
    with pytest.raises(BriefgenError):
        build_module.build(src, tmp_path / "site")
    assert seen == [False, False] and gc.isenabled()
    (src / "briefing.yml").unlink()
    gc.disable()
    try:
        build_module.build(src, tmp_path / "site2")
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()
