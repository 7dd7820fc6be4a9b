"""The rendered site: pages, escaping, user template overrides, link checking, sitemap."""

from __future__ import annotations

import lxml.html
from test_build import tree

from briefgen.check import check_links
from conftest import FIXTURES, SEEDS, load_briefing, make_briefing, run_cli

HOSTILE = (
    'Council bans <script>alert("headline")</script> scooters\n\n'
    'The council said <img src=x onerror="alert(1)"> the ban starts on Monday, and "<script>alert(2)</script> '
    'is not a quote," the mayor, Lena Park, said.\n'
)


def pages(site):
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_type_is_written(seeds_site):
    data = load_briefing(seeds_site)
    found = set(pages(seeds_site))
    expected = {
        "index.html",
        "what-changed/index.html",
        "people/index.html",
        "quotes/index.html",
        "search/index.html",
        "404.html",
    }
    expected |= {f"sources/{s['id']}/index.html" for s in data["sources"]}
    expected |= {f"{p['url_path']}index.html" for p in data["people"] if not p["anonymous"]}
    assert expected <= found
    assert not any(f"people/{p['id']}/" in f for p in data["people"] if p["anonymous"] for f in found)
    for name in (".nojekyll", "briefing.json", "pagefind/pagefind-ui.js"):
        assert (seeds_site / name).exists(), name


def test_pages_are_accessible_documents_with_relative_links(seeds_site):
    assert len(pages(seeds_site)) > 20
    for page in pages(seeds_site):
        if page.startswith("pagefind/"):
            continue
        tree = lxml.html.parse(str(seeds_site / page)).getroot()
        assert tree.get("lang") == "en"
        assert tree.findtext(".//title").strip()
        assert tree.find(".//meta[@name='viewport']") is not None
        assert tree.find(".//main") is not None and tree.find(".//header") is not None
        assert len(tree.findall(".//h1")) == 1
        levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4")]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), page
        for a in tree.iter("a"):
            href = a.get("href", "")
            assert not href.startswith("/"), f"{page}: absolute link {href}"


def test_links_and_anchors_all_resolve(seeds_site):
    files = {p.relative_to(seeds_site).as_posix(): p.read_bytes() for p in seeds_site.rglob("*") if p.is_file()}
    assert check_links(files) == []


def test_sources_table_counts_what_each_source_leaves_out(seeds_site):
    data = load_briefing(seeds_site)
    page = lxml.html.fromstring((seeds_site / "index.html").read_bytes())
    header = [th.text_content() for th in page.xpath("//table/thead//th")]
    column = header.index("Leaves out")
    rows = page.xpath("//table/tbody/tr")
    assert len(rows) == len(data["sources"])
    counts = [int(row.xpath("td")[column].text_content()) for row in rows]
    assert counts == [s["leaves_out_count"] for s in data["sources"]] and any(counts)


def test_quotes_and_evidence_are_anchored_on_source_pages(seeds_site):
    data = load_briefing(seeds_site)
    anchored = 0
    for source in data["sources"]:
        tree = lxml.html.parse(str(seeds_site / source["url_path"] / "index.html")).getroot()
        ids = {el.get("id") for el in tree.iter() if el.get("id")}
        for q in data["quotes"]:
            if q["source"] == source["id"]:
                assert q["id"] in ids
                anchored += 1
        for s in source["summary"]:
            assert f"ev-{s['start']}-{s['end']}" in ids
            anchored += 1
    assert anchored >= len(data["quotes"]) + len(data["sources"])  # every quote, and a summary for each source


def test_article_text_is_escaped_everywhere(tmp_path):
    src = make_briefing(tmp_path / "b", {"hostile.txt": HOSTILE})
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    for page in (tmp_path / "s").rglob("*.html"):
        body = page.read_text()
        assert "<script>alert" not in body and "<img src=x" not in body, page
        tree = lxml.html.parse(str(page)).getroot()
        assert not [el for el in tree.iter() if isinstance(el.tag, str) and el.get("onerror")]
    source_page = next((tmp_path / "s" / "sources").rglob("index.html")).read_text()
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in source_page  # shown as text
    index = (tmp_path / "s" / "pagefind").rglob("*")
    assert index  # the search index was built from the escaped pages


def test_user_template_override(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    src = make_briefing(
        tmp_path / "b",
        {
            "a.txt": HOSTILE,
            "templates/404.html": '{% extends "base.html" %}{% block content %}<h1>Lost in the briefing</h1>{% endblock %}',
        },
    )
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    assert "Lost in the briefing" in (tmp_path / "s" / "404.html").read_text()
    assert "Lost in the briefing" not in (tmp_path / "s" / "index.html").read_text()
    # compiled templates are cached: an edited override, then none, must show at once
    override = src / "templates" / "404.html"
    override.write_text(override.read_text().replace("Lost in", "Adrift in"))
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    assert "Adrift in the briefing" in (tmp_path / "s" / "404.html").read_text()
    override.unlink()
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    assert "the briefing</h1>" not in (tmp_path / "s" / "404.html").read_text()


def test_template_syntax_error_names_template_and_line(tmp_path):
    src = make_briefing(tmp_path / "b", {"a.txt": HOSTILE, "templates/index.html": "<p>\n{% if %}\n"})
    result = run_cli("build", src, "-o", tmp_path / "s")
    assert result.exit_code == 1
    assert "index.html" in result.output and "line 2" in result.output
    assert not (tmp_path / "s").exists()


def test_broken_link_warns_and_fails_strict(tmp_path):
    broken = (
        '{% extends "base.html" %}{% block content %}<h1>x</h1><a href="{{ root }}nowhere/">x</a>'
        '<a href="#missing">y</a>{% endblock %}'
    )
    src = make_briefing(tmp_path / "b", {"a.txt": HOSTILE, "templates/404.html": broken})
    result = run_cli("build", src, "-o", tmp_path / "s")
    assert result.exit_code == 0
    assert "broken link to 'nowhere/'" in result.output and "missing anchor '#missing'" in result.output
    strict = run_cli("build", src, "-o", tmp_path / "s2", "--strict")
    assert strict.exit_code == 1 and not (tmp_path / "s2").exists()


def test_link_check_sees_an_anchor_a_page_lost(tmp_path, monkeypatch):
    """A link from an unchanged page breaks when the page it points into loses the anchor."""
    linking = (
        '{% extends "base.html" %}{% block content %}<h1>x</h1><a href="{{ root }}people/#marker">y</a>{% endblock %}'
    )
    people = '{% extends "base.html" %}{% block content %}<h1 id="marker">People</h1>{% endblock %}'
    src = make_briefing(
        tmp_path / "b", {"a.txt": HOSTILE, "templates/404.html": linking, "templates/people.html": people}
    )
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    first = run_cli("build", src, "-o", tmp_path / "s", "--strict")
    assert first.exit_code == 0, first.output
    (src / "templates" / "people.html").write_text(people.replace(' id="marker"', ""))
    second = run_cli("build", src, "-o", tmp_path / "s")
    assert second.exit_code == 0
    assert "404.html: link to 'people/#marker' names a missing anchor '#marker'" in second.output, second.output


def test_cached_pages_follow_what_they_show_of_other_sources(tmp_path, monkeypatch):
    """Source and person pages come from the page cache when what they read is unchanged, and are rendered again
    when something they show of another source or person changes: an outlet renamed (cited on other pages), a
    file renamed to sort first (every source's label moves). Each build equals one made from nothing."""
    import briefgen.render as render

    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    scooters = FIXTURES / "scooters"
    src = make_briefing(tmp_path / "b", {p.name: p.read_bytes() for p in scooters.iterdir() if p.is_file()})
    rendered: list[str] = []
    real = render.Renderer.render
    monkeypatch.setattr(
        render.Renderer,
        "render",
        lambda self, page, **extra: (rendered.append(page.path), real(self, page, **extra))[1],
    )

    def build_and_compare(name: str) -> list[str]:
        rendered.clear()
        assert run_cli("build", src, "-o", tmp_path / "site").exit_code == 0
        pages = sorted(p for p in rendered if p.startswith(("sources/", "people/")) and p.count("/") == 2)
        fresh = tmp_path / f"fresh-{name}"
        monkeypatch.delenv("BRIEFGEN_CACHE_DIR")
        assert run_cli("build", src, "-o", fresh, "--no-cache").exit_code == 0
        monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
        assert tree(fresh) == tree(tmp_path / "site"), name
        return pages

    first = build_and_compare("first")
    assert len(first) >= 5 and all(p.count("/") == 2 for p in first)
    courier = src / "courier.md"
    courier.write_text(
        courier.read_text(encoding="utf-8") + "\nThe council will review the ban in a year.\n", encoding="utf-8"
    )
    edited = build_and_compare("edited")
    assert "sources/courier/index.html" in edited and len(edited) < len(first)  # the others came from the cache
    courier.write_text(
        courier.read_text(encoding="utf-8").replace("Riverton Courier", "Riverton Daily Courier"), encoding="utf-8"
    )
    build_and_compare("outlet")
    (src / "wire.txt").rename(src / "0-wire.txt")  # as many sources, but every label moves (S1 is now the wire)
    assert len(build_and_compare("labels")) > len(edited)


def template_reads(
    env, name: str, macros: set[str] | None = None, block: str | None = None, without: str | None = None
) -> set[str]:
    """The `b.<name>` and `v.<name>` a template reads (or, given `macros`, those macros of it; given `block`, that
    block of it; `without` a block: the rest of it)."""
    from jinja2 import nodes

    tree = env.parse(env.loader.get_source(env, name)[0])
    roots = [m for m in tree.find_all(nodes.Macro) if m.name in macros] if macros is not None else [tree]
    if block is not None:
        roots = [b for b in tree.find_all(nodes.Block) if b.name == block]
        assert roots, block
    skipped = {id(n) for b in tree.find_all(nodes.Block) if b.name == without for n in b.find_all(nodes.Getattr)}
    return {
        f"{n.node.name}.{n.attr}"
        for root in roots
        for n in root.find_all(nodes.Getattr)
        if isinstance(n.node, nodes.Name) and n.node.name in ("b", "v") and id(n) not in skipped
    }


def test_cached_page_templates_read_only_their_view_model():
    """A source or person page is cached under its view model (`render.SourcePage`, `render.PersonPage`, with
    `render.Site`): its template, the base template and the macros it calls may read nothing else of the briefing
    (`b`) or its helpers (`v`), or a page would be served from the cache after that thing changed."""
    from briefgen.render import environment

    env = environment(None)
    base = template_reads(env, "base.html")
    macros = template_reads(env, "_macros.html", {"quote_group", "speaker_link"})
    assert template_reads(env, "source.html") | template_reads(env, "person.html") | base | macros == set()
    assert template_reads(env, "what_changed.html")  # the check sees what an overview page reads


def test_sitemap_uses_base_url(tmp_path):
    src = make_briefing(tmp_path / "b", {"a.txt": HOSTILE, "briefing.yml": "base_url: https://example.org/brief/\n"})
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    sitemap = (tmp_path / "s" / "sitemap.xml").read_text()
    assert "<loc>https://example.org/brief/what-changed/</loc>" in sitemap
    assert "404" not in sitemap
    (src / "briefing.yml").unlink()  # without the site's address a sitemap would list relative URLs: none
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    assert not (tmp_path / "s" / "sitemap.xml").exists()


def test_every_link_between_pages_names_its_file_so_the_site_works_from_disk(seeds_site):
    """Opened with file://, a link to a folder shows a folder listing: every internal link names index.html."""
    import re

    for page in pages(seeds_site):
        if page.startswith("pagefind/"):
            continue
        for href in re.findall(r'href="([^"#]*)(?:#[^"]*)?"', (seeds_site / page).read_text()):
            if href and not href.startswith(("http://", "https://", "data:", "mailto:")):
                assert not href.endswith("/"), (page, href)


def test_seeds_folder_has_no_stray_output():
    assert not (SEEDS / "site").exists()


def test_search_indexes_each_quote_once(seeds_site):
    """A quote whose speaker has a page is searched on that page; the quotes page indexes only the others."""
    tree = lxml.html.parse(str(seeds_site / "quotes" / "index.html")).getroot()
    sections = tree.findall(".//main//section")
    assert sections
    for section in sections:
        linked = section.find(".//h2//a") is not None
        figures = section.findall(".//figure")
        assert figures
        assert all((f.get("data-pagefind-body") is None) == linked for f in figures), section.findtext(".//h2")
    person = next((seeds_site / "people").glob("*/index.html"))
    body = lxml.html.parse(str(person)).getroot().findall(".//*[@data-pagefind-body]")
    assert body and body[0].tag == "article"


def test_what_only_one_source_reports_is_short_per_source(tmp_path):
    """Under "Reported by one source only", each source's points come under its own heading, at most eight shown
    and the rest behind a toggle, none lost."""
    facts = [
        "The harbour board approved a new night ferry between Portside and Elmstead on Tuesday.",
        "The crossing will take forty minutes and run twice an hour after nine in the evening.",
        "Fares for the night service will cost six euros for adults and three for children.",
        "Two crews of five sailors each have been hired from the island's fishing cooperative.",
        "The old cargo pier will be rebuilt as a waiting hall with heating and a small cafe.",
        "Local shops on the quay asked the board to keep the pier lights on until midnight.",
        "A survey of three hundred islanders found most of them wanted a later last boat.",
        "The board expects the service to carry about four hundred passengers a week in summer.",
        "Engineers will test the new docking ramp during the first two weeks of trials.",
        "The coastguard approved the route after checking the depth of the northern channel.",
        "Cyclists will be allowed to bring bicycles on board without paying an extra fare.",
    ]
    other = "Ferry vote\n\nThe island council welcomed the decision and thanked the harbour board for listening.\n"
    src = make_briefing(
        tmp_path / "b", {"a.txt": "Night ferry approved\n\n" + "\n\n".join(facts) + "\n", "b.txt": other}
    )
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    data = load_briefing(tmp_path / "s")
    singles = [
        c for c in data["claims"] if c["support"] == 1 and c["evidence"][0]["source"] == data["sources"][0]["id"]
    ]
    assert len(singles) > 8
    page = lxml.html.parse(str(tmp_path / "s" / "what-changed" / "index.html")).getroot()
    section = page.xpath('//section[@aria-labelledby="single-h"]')[0]
    first = section.xpath(".//h3")[0].getnext()
    assert len(first.xpath("li")) == 8
    hidden = section.xpath(".//details")[0]
    assert f"{len(singles) - 8} more from this source" in hidden.findtext("summary")
    assert len(hidden.xpath(".//li")) == len(singles) - 8


def test_every_page_carries_open_graph_tags_for_link_previews(seeds_site):
    import re

    for page in (
        "index.html",
        "what-changed/index.html",
        next(p for p in pages(seeds_site) if p.startswith("sources/")),
    ):
        html_text = (seeds_site / page).read_text()
        title = re.search(r"<title>(.*?)</title>", html_text).group(1)
        assert f'<meta property="og:title" content="{title}">' in html_text
        assert '<meta property="og:site_name"' in html_text and '<meta property="og:description"' in html_text


def test_the_404_page_links_from_the_site_root_when_the_address_is_known(tmp_path):
    """GitHub Pages serves 404.html for a missing page at any depth: with base_url its links start from the
    site's root (a <base> element), so it is styled and its links work wherever it is shown."""
    src = make_briefing(tmp_path / "b", {"a.txt": HOSTILE})
    assert run_cli("build", src, "-o", tmp_path / "plain").exit_code == 0
    plain = (tmp_path / "plain" / "404.html").read_text()
    assert "<base" not in plain and "<style>" in plain and ".site-header" in plain  # styled wherever it is shown
    assert run_cli("build", src, "-o", tmp_path / "s", "--site-url", "https://example.org/brief").exit_code == 0
    page = (tmp_path / "s" / "404.html").read_text()
    assert '<base href="/brief/">' in page and 'href="static/briefgen.css"' in page
    assert "<base" not in (tmp_path / "s" / "index.html").read_text()


def test_use_directory_urls_links_folders_for_a_server(tmp_path):
    """With use_directory_urls (as in MkDocs), links end in the folder's / instead of its index.html; every one
    still resolves (the build is strict, so a broken link would fail it)."""
    import re

    src = make_briefing(
        tmp_path / "b",
        {
            "briefing.yml": "use_directory_urls: true\n",
            "a.txt": 'Ferries return\n\n"We are glad to sail again," said Laura Bennett, the harbour master.\n',
            "b.txt": "Ferry service resumes\n\nLaura Bennett said the ferries were back on Monday.\n",
        },
    )
    result = run_cli("build", src, "-o", tmp_path / "s", "--strict")
    assert result.exit_code == 0, result.output
    hrefs = [
        href
        for page in pages(tmp_path / "s")
        if not page.startswith("pagefind/")
        for href in re.findall(r'href="([^"#]*)', (tmp_path / "s" / page).read_text())
    ]
    assert "what-changed/" in hrefs and any(h.startswith("../../sources/") and h.endswith("/") for h in hrefs)
    assert not [h for h in hrefs if h.endswith("index.html")]
    bad = make_briefing(tmp_path / "bad", {"briefing.yml": "use_directory_urls: yes please\n", "a.txt": HOSTILE})
    result = run_cli("build", bad, "-o", tmp_path / "t")
    assert result.exit_code == 1 and "use_directory_urls" in result.output and "expected true or false" in result.output
