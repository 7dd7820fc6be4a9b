"""The site in a real browser (Debian's Chromium via Playwright): click-through, console, axe-core, screenshots.

Screenshots at phone and desktop width are kept in test-artifacts/ for people to look at."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import socketserver
import threading
from pathlib import Path

import pytest

from conftest import ROOT, load_briefing

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make test installs it)"),
]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path):
    """A built site on 127.0.0.1, on a free port, stopped on leaving; yields its base URL."""
    httpd = socketserver.TCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server(seeds_site):
    with serving(seeds_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def test_click_through_index_source_person_quote(page, server, seeds_site):
    data = load_briefing(seeds_site)
    page.goto(server + "index.html")
    assert page.locator("h1").inner_text() == data["title"]
    named = {p["id"] for p in data["people"] if not p["anonymous"]}
    with_speaker = {q["source"] for q in data["quotes"] if q["speaker"] in named and not q["partial"]}
    first = next(s for s in data["sources"] if s["id"] in with_speaker)
    page.get_by_role("link", name=first["title"], exact=True).click()
    page.wait_for_url("**/sources/**")
    assert page.locator("h1").inner_text() == first["title"]
    speaker_link = page.locator("ul.quotes a.speaker").first
    name = speaker_link.inner_text()
    speaker_link.click()
    page.wait_for_url("**/people/**")
    assert page.locator("h1").inner_text() == name
    quote_link = page.locator("figure.quote-group figcaption a").first
    target = quote_link.get_attribute("href").split("#")[1]
    quote_link.click()
    page.wait_for_url(f"**#{target}")
    marked = page.locator(f"[id='{target}']")
    assert marked.count() == 1 and marked.evaluate("el => el.matches(':target')")
    assert page.errors == []


def test_search_box_loads_and_finds_a_person(page, server):
    page.goto(server + "search/index.html")
    box = page.locator("#search input")
    box.wait_for()
    box.fill("Stoltenberg")
    page.locator(".pagefind-ui__result").first.wait_for(timeout=10000)
    assert page.locator(".pagefind-ui__result").count() >= 1
    assert page.errors == []


PAGE_TYPES = {
    "index": "index.html",
    "what-changed": "what-changed/index.html",
    "source": None,  # filled from the data
    "people": "people/index.html",
    "person": None,
    "quotes": "quotes/index.html",
    "search": "search/index.html",
    "404": "404.html",
}


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_and_screenshots(kind, browser, server, seeds_site):
    if not AXE.exists():
        pytest.skip("axe-core not installed (make test installs it)")
    data = load_briefing(seeds_site)
    path = PAGE_TYPES[kind] or (
        f"sources/{data['sources'][2]['id']}/index.html"
        if kind == "source"
        else next(f"{p['url_path']}index.html" for p in data["people"] if p["quotes"] and not p["anonymous"])
    )
    ARTIFACTS.mkdir(exist_ok=True)
    for width, label in ((375, "phone"), (1280, "desktop")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.goto(server + path)
        pg.screenshot(path=str(ARTIFACTS / f"{kind}-{label}.png"), full_page=True)
        # readable at a phone's width: nothing wider than the screen (wide tables scroll in their own box)
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a {width}px screen"
        if label == "desktop":
            pg.add_script_tag(path=str(AXE))
            result = pg.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
            assert violations == [], violations
        assert errors == [] or kind == "404", errors
        context.close()


def test_hostile_text_is_inert_in_pages_and_search(browser, tmp_path):
    from conftest import make_briefing, run_cli

    src = make_briefing(
        tmp_path / "b",
        {
            "a.txt": (
                'Council bans <script>alert("x")</script> scooters\n\nThe council said <img src=x onerror="alert(1)"> the '
                'ban starts on Monday, "<script>alert(2)</script> is not a quote," the mayor, Lena Park, said.\n'
            )
        },
    )
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    with serving(tmp_path / "s") as base:
        pg = browser.new_page()
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        source = next((tmp_path / "s" / "sources").iterdir()).name
        pg.goto(base + f"sources/{source}/index.html")
        assert "<script>alert(2)</script>" in pg.locator(".full-text").inner_text()
        pg.goto(base + "search/index.html")
        pg.locator("#search input").fill("onerror")
        result = pg.locator(".pagefind-ui__result").first
        result.wait_for(timeout=10000)
        pg.wait_for_timeout(500)
        assert dialogs == []
        assert pg.locator(".pagefind-ui__result img").count() == 0
        pg.close()


def test_search_merges_the_shards_of_a_large_briefing(browser, tmp_path):
    """A briefing big enough for a sharded index: one search finds pages from person and source shards."""
    from test_scale import files

    import briefgen.search as search
    from conftest import make_briefing, run_cli

    src = make_briefing(tmp_path / "b", files())
    assert run_cli("build", src, "-o", tmp_path / "s", "--no-cache").exit_code == 0
    assert (tmp_path / "s" / search.SHARD_DIR).is_dir()
    with serving(tmp_path / "s") as base:
        pg = browser.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        found = {}
        for term in ("Okonkwo", "keep watching the budget"):  # on person pages; in the articles' text
            pg.goto(base + "search/index.html")
            pg.locator("#search input").fill(term)
            pg.locator(".pagefind-ui__result").first.wait_for(timeout=10000)
            pg.wait_for_timeout(1000)  # every shard answers
            for _ in range(20):  # every result, not only the first page of them
                more = pg.locator("button.pagefind-ui__button")
                if not more.count():
                    break
                more.first.click()
                pg.wait_for_timeout(300)
            found[term] = [a.get_attribute("href") for a in pg.locator(".pagefind-ui__result-link").all()]
        assert any(h.startswith("/people/") for h in found["Okonkwo"]), found
        in_sources = [h for h in found["keep watching the budget"] if h.startswith("/sources/")]
        assert in_sources, found
        pg.goto(base + in_sources[0].lstrip("/"))  # result links lead to the page
        assert "keep watching the budget" in pg.locator("main").inner_text()
        assert errors == [], errors
        pg.close()


def test_search_finds_a_source_by_its_own_words_only(browser, tmp_path):
    """A source page lists other sources' claims under "What it leaves out": searching those words must not
    find it (the page's extracts and lists are not indexed; its full text is)."""
    from conftest import make_briefing, run_cli

    src = make_briefing(
        tmp_path / "b",
        {
            "a.txt": "Dam opens spillway\n\nEngineers opened the spillway on Tuesday. The reservoir gauge reached its "
            "highest level in forty years, the operator said. Farmers downstream were warned.\n",
            "b.txt": "Spillway opened at dam\n\nThe operator opened the spillway on Tuesday morning. The reservoir gauge "
            "reached its highest level in forty years. Residents moved cattle to higher ground.\n",
            "c.txt": "Rain continues in valley\n\nHeavy rain continued in the valley on Tuesday. Schools closed early "
            "and buses were cancelled. The mayor urged residents to stay home.\n",
        },
    )
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    page_c = (tmp_path / "s" / "sources" / "c" / "index.html").read_text(encoding="utf-8")
    assert "reservoir gauge" in page_c.split('id="missing-h"')[1]  # listed as left out
    with serving(tmp_path / "s") as base:
        pg = browser.new_page()
        pg.goto(base + "search/index.html")
        pg.locator("#search input").fill("reservoir gauge")
        pg.locator(".pagefind-ui__result").first.wait_for(timeout=10000)
        pg.wait_for_timeout(500)
        found = [a.get_attribute("href") for a in pg.locator(".pagefind-ui__result-link").all()]
        assert "/sources/a/" in found and "/sources/b/" in found, found
        assert "/sources/c/" not in found, found
        pg.close()
