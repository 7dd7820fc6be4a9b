"""Saved web pages through the real CLI: the visible headline, never the site's name or a section label, and the
whole body when the page cuts the article into chunks with ads between them. The pages are written here."""

from __future__ import annotations

from conftest import load_briefing, make_briefing, run_cli

SITE = "Portside Gazette"


def paragraphs(n: int) -> list[str]:
    return [
        f"Paragraph {k}: the harbour board said on Tuesday that dues for fishing boats would rise by a fifth "
        f"from March, and skipper number {k} said the increase would push crews to land their catch elsewhere."
        for k in range(n)
    ]


def chunked_page(paras: list[str], per_chunk: int = 3) -> str:
    """An article cut into containers of the same class, an ad and a newsletter box between them, no <article>
    element: the shape that made the extraction stop after the first chunk."""
    chunks = []
    for at in range(0, len(paras), per_chunk):
        inner = "".join(f"<p>{p}</p>" for p in paras[at : at + per_chunk])
        chunks.append(
            f'<div class="grid"><div class="grid--item body body__container article__body">{inner}</div>'
            '<aside class="ad-slot"><div class="ad">Advertisement</div><p>Sign up for our newsletter</p>'
            "</aside></div>"
        )
    return f"""<html><head><title>Harbour dues rise for fishing boats - {SITE}</title>
<meta property="og:title" content="Harbour dues rise for fishing boats - {SITE}">
<meta property="og:site_name" content="{SITE}"></head><body>
<header><h1><a href="/">{SITE}</a></h1><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><h1>Harbour dues to rise by a fifth for fishing boats</h1><div class="chunks">{"".join(chunks)}</div></main>
<footer><p>{SITE} is a local newspaper. All rights reserved. Use of this site is subject to its terms.</p></footer>
</body></html>"""


def plain_page(title: str, h1: str | None, body: list[str], site: str = SITE) -> str:
    heading = f"<h1>{h1}</h1>" if h1 else ""
    ps = "".join(f"<p>{p}</p>" for p in body)
    return (
        f'<html><head><title>{title}</title><meta property="og:site_name" content="{site}"></head><body>'
        f"<article>{heading}{ps}</article></body></html>"
    )


def sources_of(tmp_path, files: dict[str, str]) -> dict[str, dict]:
    src = make_briefing(tmp_path / "b", files)
    result = run_cli("build", src, "-o", tmp_path / "s")
    assert result.exit_code == 0, result.output
    return {s["path"]: s for s in load_briefing(tmp_path / "s")["sources"]}


def test_a_body_cut_into_chunks_is_read_whole_under_the_visible_headline(tmp_path):
    paras = paragraphs(9)
    source = sources_of(tmp_path, {"gazette.html": chunked_page(paras)})["gazette.html"]
    assert source["title"] == "Harbour dues to rise by a fifth for fishing boats"  # the <h1>, not the logo's
    positions = [source["text"].find(p) for p in paras]
    assert -1 not in positions and positions == sorted(positions)  # every chunk, in page order
    assert "Advertisement" not in source["text"] and "newsletter" not in source["text"]
    assert source["outlet"] == SITE


def test_the_site_name_and_section_labels_leave_the_title(tmp_path):
    body = paragraphs(4)
    sources = sources_of(
        tmp_path,
        {
            "named.html": plain_page(f"Ferry timetable cut for the winter - {SITE}", None, body),
            "label.html": plain_page("Council delays the vote on harbour dues | Business", None, body[::-1]),
            "dash.html": plain_page("Ceasefire holds - for now", None, body[1:]),
        },
    )
    assert sources["named.html"]["title"] == "Ferry timetable cut for the winter"
    assert sources["label.html"]["title"] == "Council delays the vote on harbour dues"
    assert sources["dash.html"]["title"] == "Ceasefire holds - for now"  # a dash inside a headline stays
