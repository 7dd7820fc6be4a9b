"""`briefgen build` end to end through the real CLI: schema, spans, cleaning, cache, determinism, atomicity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import jsonschema

from briefgen.config import CONFIG_FILE
from briefgen.export import schema
from conftest import ROOT, SEEDS, SHARED, assert_spans_faithful, load_briefing, make_briefing, run_cli

ARTICLE = "A headline for the test\n\nThe council voted on Monday to close the old bridge to lorries.\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_seeds_build_valid_against_schema(seeds_site):
    data = load_briefing(seeds_site)
    jsonschema.validate(data, schema())
    assert [s["path"] for s in data["sources"]] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert assert_spans_faithful(data) >= 0
    ids = [s["id"] for s in data["sources"]]
    assert len(set(ids)) == len(ids)
    for source in data["sources"]:
        assert source["url_path"] == f"sources/{source['id']}/"
        assert source["word_count"] == len(source["text"].split()) > 100
        assert source["outlet"] is None  # .txt files carry no outlet and none is invented
    assert (seeds_site / "index.html").is_file()
    assert (seeds_site / ".nojekyll").is_file()


def test_vendored_schema_matches_shared_contract():
    shared = SHARED / "briefing.schema.json"
    if shared.exists():
        assert (ROOT / "briefgen/data/briefing.schema.json").read_bytes() == shared.read_bytes()


def test_seed_cruft_and_duplicate_captions_are_gone(seeds_site):
    data = load_briefing(seeds_site)
    for source in data["sources"]:
        text = source["text"]
        lines = text.split("\n\n")
        assert len(lines) == len(set(lines)), f"{source['id']} still repeats a paragraph"
        assert all(not line.lower().startswith(("skip to", "read more", "top stories", "local spotlight"))
                   for line in lines)
        assert "Photograph:" not in text and "file photo" not in text and "CANADIAN PRESS/" not in text
        assert "originally appeared in" not in text and "contributed to this report" not in text
        assert source["title"] not in text  # a headline repeated at the top of the body is dropped
        assert source["removed"] or source["path"].startswith("004")
    headlines = [s["title"] for s in data["sources"]]
    assert not any(h.lower().startswith("skip to") for h in headlines)


def test_seed_credits_detected(seeds_site):
    credits = {s["path"][:3]: s["credits"] for s in load_briefing(seeds_site)["sources"]}
    assert "The New York Times" in credits["001"]
    assert "Associated Press" in credits["002"]
    assert "Politico" in credits["002"] and "Politico" in credits["004"]


def test_other_formats_and_metadata(grounding_site):
    data = load_briefing(grounding_site)
    jsonschema.validate(data, schema())
    assert_spans_faithful(data)
    by_id = {s["id"]: s for s in data["sources"]}
    assert set(by_id) == {"bulletin", "daily", "wire"}
    wire, daily, bulletin = by_id["wire"], by_id["daily"], by_id["bulletin"]
    # briefing.yml fills metadata a .txt cannot carry
    assert (wire["outlet"], wire["published"]) == ("Reuters", "2025-03-04")
    assert wire["title"].startswith("Regulator grounds")
    assert wire["text"].startswith("The European Aviation Safety Board on Tuesday")  # dateline cut
    for cruft in ("Home > World", "By Marta Olsen", "min read", "Advertisement", "REUTERS/Pedro",
                  "Sign up", "Related:", "Editing by"):
        assert cruft not in wire["text"], cruft
        assert any(cruft in line for line in wire["removed"]), cruft
    assert "Reuters" in wire["credits"]
    # Markdown: front matter, formatting stripped to plain text
    assert (daily["outlet"], daily["published"], daily["author"]) == ("The Daily Ledger", "2025-03-05", "Priya Raman")
    assert "**" not in daily["text"] and "](" not in daily["text"] and "14 airlines" in daily["text"]
    assert "READ MORE" not in daily["text"] and "Most read" not in daily["text"]
    assert daily["credits"] == ["Aviation Week"]
    # HTML: main text and metadata, no navigation or footer
    assert bulletin["outlet"] == "Airport Bulletin"
    assert bulletin["published"] == "2025-03-05"
    assert bulletin["title"] == "Skyline 900 grounding: what passengers need to know"
    assert "Privacy policy" not in bulletin["text"] and "Subscribe" not in bulletin["text"]
    assert "freighters were not covered" in bulletin["text"]


def test_deterministic_output(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("build", SEEDS, "-o", a).exit_code == 0
    assert run_cli("build", SEEDS, "-o", b, "--no-cache").exit_code == 0
    assert tree(a) == tree(b)


SPLIT = {  # written for this test: two outlets give the same words to different people, one each
    "harbour.md": "# Ferry fares rise\n\nThe ferry company raised fares on Monday.\n\n"
                  "\"Nobody will be priced off the water,\" said Ines Varga, the company's director.\n",
    "islander.md": "# Fares up on the ferry\n\nFares went up on Monday after a vote.\n\n"
                   "\"Nobody will be priced off the water,\" said Tomas Brandt, the harbour master.\n",
}


def test_builds_in_different_processes_are_identical(tmp_path):
    """Python salts string hashes per process: nothing may depend on the order of a set of strings."""
    src = make_briefing(tmp_path / "b", SPLIT)
    for name in ("courier.md", "gazette.txt", "wire.txt"):
        (src / name).write_bytes((ROOT / "tests" / "fixtures" / "scooters" / name).read_bytes())
    trees = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = tmp_path / f"site-{seed}"
        proc = subprocess.run([sys.executable, "-m", "briefgen", "build", str(src), "-o", str(out), "--no-cache", "-q"],
                              capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        trees.append(tree(out))
    assert trees[0] == trees[1]
    data = load_briefing(tmp_path / "site-1")
    split = [q for q in data["quotes"] if q["text"].startswith("Nobody will be priced")]
    assert len(split) == 2 and len({q["speaker"] for q in split}) == 2 and len({q["cluster"] for q in split}) == 1
    quotes_page = (tmp_path / "site-1" / "quotes" / "index.html").read_text(encoding="utf-8")
    unattributed = quotes_page.split('id="unattributed-h"')[1]
    assert "Nobody will be priced off the water" in unattributed  # outlets split evenly: no speaker for the group
    person = (tmp_path / "site-1" / "people" / "ines-varga" / "index.html").read_text(encoding="utf-8")
    disputed = person.split("Attributed differently by the outlets")[1]
    assert "Nobody will be priced off the water" in disputed and "Tomas Brandt" in disputed


def test_parse_cache_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n"})
    first = run_cli("build", src, "-o", tmp_path / "site", "-v")
    assert "Parsed 2 of 2" in first.output
    second = run_cli("build", src, "-o", tmp_path / "site", "-v")
    assert "Nothing changed" in second.output and "Up to date" in second.output
    (src / "briefing.yml").write_text("title: Renamed\n")  # settings changed: rebuilt, nothing parsed
    assert "Parsed 0 of 2" in run_cli("build", src, "-o", tmp_path / "site", "-v").output
    (src / "two.txt").write_text("Another\n\nThe mayor said something else.\n")
    third = run_cli("build", src, "-o", tmp_path / "site", "-v")
    assert "Parsed 1 of 2" in third.output
    assert "something else" in load_briefing(tmp_path / "site")["sources"][1]["text"]


def test_a_site_changed_by_hand_is_built_again(tmp_path, monkeypatch):
    """Nothing changed in the briefing, but the site did (a page deleted, a page cut short in a nested folder):
    the build writes it again instead of reporting it up to date."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n"})
    site = tmp_path / "site"
    assert run_cli("build", src, "-o", site).exit_code == 0
    before = tree(site)
    assert "Up to date" in run_cli("build", src, "-o", site, "-v").output
    (site / "404.html").unlink()
    assert "Up to date" not in run_cli("build", src, "-o", site, "-v").output and tree(site) == before
    page = next((site / "sources").rglob("index.html"))
    page.write_bytes(page.read_bytes()[:100])
    assert "Up to date" not in run_cli("build", src, "-o", site, "-v").output and tree(site) == before
    page.write_bytes(page.read_bytes().replace(b"<h1", b"<h2", 1))  # the same size
    assert "Up to date" not in run_cli("build", src, "-o", site, "-v").output and tree(site) == before
    # changed by hand, the same size and an article edited: the page is written again, not kept from the old site
    page.write_bytes(page.read_bytes().replace(b"<h1", b"<h2", 1))
    (src / "two.txt").write_text("Another\n\nThe mayor said nothing at all.\n")
    assert run_cli("build", src, "-o", site).exit_code == 0
    assert run_cli("build", src, "-o", tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(site) == tree(tmp_path / "fresh")


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_a_build_after_an_edit_writes_only_the_files_that_changed(tmp_path):
    """The new site is put together beside the old one and swapped in whole. Files whose content is what the last
    build wrote are hard-linked from the old site (in a fresh process, while the helper parses the edit), not
    written again, and never written through: the old site stays as it was until the swap. The site equals a
    build from nothing."""
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n",
                                         "three.txt": "A third\n\n\"We will wait,\" said Ana Lopes, a trader.\n"})
    site = tmp_path / "s"
    command = [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(site), "-j", "2", "-v"]
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    assert subprocess.run(command, capture_output=True, text=True, env=env).returncode == 0
    edited = next(s["id"] for s in load_briefing(site)["sources"] if s["path"] == "two.txt")
    page = f"sources/{edited}/index.html"
    before, old = inodes(site), tree(site)
    (tmp_path / "kept").mkdir()
    os.link(site / page, tmp_path / "kept" / "page.html")
    (src / "two.txt").write_text("Another\n\n\"Nothing more,\" the mayor, Rui Costa, said on Friday.\n")
    second = subprocess.run(command, capture_output=True, text=True, env=env)
    assert second.returncode == 0 and "Parsed 1 of 3" in second.stderr, second.stderr
    after = inodes(site)
    assert after[page] != before[page] and tree(site)[page] != old[page]
    assert (tmp_path / "kept" / "page.html").read_bytes() == old[page]  # the old page was not written through
    unchanged = [rel for rel in after if rel in old and tree(site)[rel] == old[rel] and "pagefind" not in rel]
    assert "404.html" in unchanged and any(rel.startswith("static/") for rel in unchanged)
    assert all(after[rel] == before[rel] for rel in unchanged)  # linked, not written
    assert run_cli("build", src, "-o", tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(site) == tree(tmp_path / "fresh")


def folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def test_a_removed_article_leaves_no_folder_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n"})
    site = tmp_path / "site"
    assert run_cli("build", src, "-o", site).exit_code == 0
    gone = next(s["id"] for s in load_briefing(site)["sources"] if s["path"] == "two.txt")
    assert (site / "sources" / gone).is_dir()
    (src / "two.txt").unlink()
    assert run_cli("build", src, "-o", site).exit_code == 0
    assert not (site / "sources" / gone).exists()
    assert run_cli("build", src, "-o", tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(site) == tree(tmp_path / "fresh") and folders(site) == folders(tmp_path / "fresh")


def test_a_build_that_fails_after_the_new_site_was_begun_leaves_nothing(tmp_path):
    """In a fresh process the new site's folder is begun while an edit is parsed; a build that then fails (a
    broken link under --strict) removes it and keeps the last good site."""
    broken = '{% extends "base.html" %}{% block content %}<h1>x</h1><a href="#missing">y</a>{% endblock %}'
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n",
                                         "templates/404.html": broken})
    site = tmp_path / "s"
    command = [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(site), "-j", "2", "-v"]
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    assert subprocess.run(command, capture_output=True, text=True, env=env).returncode == 0
    before = tree(site)
    (src / "two.txt").write_text("Another\n\nThe mayor said nothing at all.\n")
    failed = subprocess.run(command + ["--strict", "-vv"], capture_output=True, text=True, env=env)
    assert failed.returncode == 1 and "new site begun beside it" in failed.stderr, failed.stderr
    assert "strict mode" in failed.stderr.splitlines()[-1]
    assert tree(site) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".briefgen-")]


def test_cached_docs_are_the_docbins_spacy_writes():
    """The parse cache packs each Doc itself (faster than DocBin); what it packs must be DocBin's own message and
    read back, through DocBin, token for token: on the seeds, text written here, a one-word and an empty Doc."""
    import zlib

    import srsly
    from spacy.tokens import DocBin

    from briefgen.config import default_model
    from briefgen.parse import doc_bytes, load_model

    nlp = load_model(default_model())
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [ARTICLE, "Y'all ain't seen NOTHIN' yet,\" she said.\n\n\tThe café's 3,000 crêpes, 12.5% off!", "Hi", ""]
    for doc in nlp.pipe(texts):
        ours = doc_bytes(doc)
        theirs = DocBin(store_user_data=False, docs=[doc]).to_bytes()
        assert srsly.msgpack_loads(zlib.decompress(ours)) == srsly.msgpack_loads(zlib.decompress(theirs))
        back = next(DocBin().from_bytes(ours).get_docs(nlp.vocab))
        assert back.to_json() == doc.to_json() and [str(t.morph) for t in back] == [str(t.morph) for t in doc]


def test_failed_build_keeps_last_good_site(tmp_path):
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE})
    site = tmp_path / "site"
    assert run_cli("build", src, "-o", site).exit_code == 0
    before = tree(site)
    (src / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00")
    result = run_cli("build", src, "-o", site)
    assert result.exit_code == 1
    assert tree(site) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".briefgen-")]


def test_replaced_site_is_deleted_after_the_swap(tmp_path):
    """The previous site is swapped out whole and deleted without the build waiting for it: the new site is in
    place when the command returns, and nothing of the old one stays beside it for long."""
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE})
    site = tmp_path / "site"
    assert run_cli("build", src, "-o", site).exit_code == 0
    (src / "two.txt").write_text("Another\n\nThe mayor said nothing more.\n")
    assert run_cli("build", src, "-o", site).exit_code == 0
    assert len(load_briefing(site)["sources"]) == 2
    deadline = time.monotonic() + 20
    while [p for p in tmp_path.iterdir() if p.name.startswith(".briefgen-")] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".briefgen-")]


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE})
    precious = make_briefing(tmp_path / "docs", {"thesis.tex": "years of work"})
    result = run_cli("build", src, "-o", precious)
    assert result.exit_code == 1
    assert "not a briefgen site" in result.output
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_python_dash_m_and_console_script(tmp_path):
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE})
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", str(src), "-o", str(tmp_path / "s"), "-q"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "s" / "briefing.json").is_file()
    script = Path(sys.executable).parent / "briefgen"
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "briefgen" in proc.stdout


def test_edit_in_a_fresh_process_matches_a_fresh_build(tmp_path):
    """As a user runs it, a new process each time: the edited article is parsed again, the others come from the
    cache, and the site is the same as a build from nothing."""
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n",
                                         "three.txt": "A third\n\n\"We will wait,\" said Ana Lopes, a trader.\n"})
    command = [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(tmp_path / "s"), "-j", "2", "-v"]
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run(command, capture_output=True, text=True, env=env)
    assert first.returncode == 0 and "Parsed 3 of 3" in first.stderr, first.stderr
    (src / "two.txt").write_text("Another\n\n\"Nothing more,\" the mayor, Rui Costa, said on Friday.\n")
    second = subprocess.run(command, capture_output=True, text=True, env=env)
    assert second.returncode == 0 and "Parsed 1 of 3" in second.stderr, second.stderr
    assert "Traceback" not in second.stderr
    assert run_cli("build", src, "-o", tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "fresh") == tree(tmp_path / "s")
    assert "rui-costa" in {p["id"] for p in load_briefing(tmp_path / "s")["people"]}


KEEPS_MODEL = """
import multiprocessing
import sys
from pathlib import Path
import briefgen.commands.build as building
import briefgen.workers as workers
from briefgen.config import default_model
from briefgen.parse import model_loaded

events = []  # when helper processes start, against when the articles are read
start_helper, load_articles = workers.Helper.__init__, building.load_articles
workers.Helper.__init__ = lambda self, *a: (events.append("helper"), start_helper(self, *a))[1]
building.load_articles = lambda *a, **k: (events.append("load"), load_articles(*a, **k))[1]
result = building.build(Path(sys.argv[1]), Path(sys.argv[2]), jobs=2, resident=sys.argv[3] == "resident")
print(result.parsed, model_loaded(default_model()), len(multiprocessing.active_children()), ",".join(events))
"""


def test_a_resident_process_keeps_the_model_and_a_command_leaves_it_to_a_helper(tmp_path):
    """`briefgen build` after an edit parses the article in a forked helper (the main process never loads the
    model), started before the articles are even read when the site was built before; when nothing needs parsing
    (a new title), that helper is stopped. `serve` (resident) loads the model in its own process, where the next
    rebuild finds it. No helper outlives its build."""
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n"})
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    outputs = []
    for mode, change in (("command", "two.txt"), ("command", "two.txt"), ("command", CONFIG_FILE),
                         ("resident", "two.txt")):
        if change == CONFIG_FILE:
            (src / CONFIG_FILE).write_text("title: Harbour fares, retitled\n")
        else:
            (src / change).write_text(f"Another\n\nThe mayor said nothing more in build {len(outputs)}.\n")
        proc = subprocess.run([sys.executable, "-c", KEEPS_MODEL, str(src), str(tmp_path / "s"), mode],
                              capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout.split())
    assert outputs == [
        ["2", "False", "0", "load,helper"],  # nothing built before: both parsed, by a helper forked to parse them
        ["1", "False", "0", "helper,load"],  # built before: the helper starts first and parses the edit
        ["0", "False", "0", "helper,load"],  # nothing to parse: the helper started, and was stopped
        ["1", "True", "0", "load"],
    ]


def test_damaged_cache_entries_are_analysed_again(tmp_path):
    """A cache file cut short (a full disk, a killed build) is a miss, never trusted: the facts of one article and
    the parsed Doc of another damaged, a third article edited (parsed by the helper a fresh process forks), and
    the site is still the one a build from nothing makes."""
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n",
                                         "three.txt": "A third\n\n\"We will wait,\" said Ana Lopes, a trader.\n"})
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(tmp_path / "s"), "-j", "2", "-v"]
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(cache)}
    assert subprocess.run(command, capture_output=True, text=True, env=env).returncode == 0
    facts, docs = sorted((cache / "facts").rglob("*.facts")), sorted((cache / "docs").rglob("*.spacy"))
    assert len(facts) == len(docs) == 3
    facts[0].write_bytes(facts[0].read_bytes()[:40])
    for path in facts[1:]:  # facts missing: from the parsed Doc if it is readable, else parsed again
        path.unlink()
    docs[0].write_bytes(docs[0].read_bytes()[:40])
    (src / "three.txt").write_text("A third\n\n\"We will wait and see,\" said Ana Lopes, a trader.\n")
    second = subprocess.run(command, capture_output=True, text=True, env=env)
    assert second.returncode == 0 and "Traceback" not in second.stderr, second.stderr
    assert "Parsed" in second.stderr
    assert run_cli("build", src, "-o", tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "fresh") == tree(tmp_path / "s")
    assert any("wait and see" in source["text"] for source in load_briefing(tmp_path / "s")["sources"])


def test_facts_worked_out_again_from_cached_docs_are_not_counted_as_parsed(tmp_path):
    """New extraction code (here: the facts cache emptied) re-analyses the cached Docs without parsing; the
    helper a fresh process forks for a few articles counts only what it parsed."""
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n"})
    command = [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(tmp_path / "s"), "-j", "2", "-v"]
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    assert "Parsed 2 of 2" in subprocess.run(command, capture_output=True, text=True, env=env).stderr
    before = tree(tmp_path / "s")
    for path in (tmp_path / "cache" / "facts").rglob("*.facts"):
        path.unlink()
    (tmp_path / "s" / "404.html").unlink()  # or the build would find the site up to date
    again = subprocess.run(command, capture_output=True, text=True, env=env)
    assert again.returncode == 0 and "Parsed 0 of 2" in again.stderr, again.stderr
    assert tree(tmp_path / "s") == before


def test_default_source_is_seeds(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", "-o", str(tmp_path / "s"), "-q"],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "c")})
    assert proc.returncode == 0, proc.stderr
    assert len(load_briefing(tmp_path / "s")["sources"]) == 5


def marked_tree(site: Path) -> dict[str, bytes]:
    """The site's files but its mark, checked to list exactly those files with their sizes."""
    files = tree(site)
    listed = json.loads(files.pop(".briefgen-site.json"))["files"]
    assert listed == {path: len(data) for path, data in files.items()}
    return files


def test_staging_swaps_in_exactly_the_new_files(tmp_path):
    """Unchanged files are linked, changed and new ones written, gone ones removed with the folders they leave
    empty (a folder emptied and filled again in one build is made again), pages put early are not written twice."""
    from briefgen.write import Staging

    site = tmp_path / "site"
    first = {"briefing.json": b"{}", "static/old.css": b"a{}", "sources/a/index.html": b"<p>a</p>",
             "sources/b/index.html": b"<p>b</p>"}
    with Staging(site) as staging:
        record = staging.publish(first)
    assert marked_tree(site) == first
    second = {"briefing.json": b"{}", "static/new.css": b"b{}", "sources/a/index.html": b"<p>a2</p>",
              "sources/c/index.html": b"<p>c</p>"}
    before = inodes(site)
    with Staging(site, record) as staging:
        staging.prepare()
        staging.put("sources/c/index.html", second["sources/c/index.html"])
        staging.publish(second)
    assert marked_tree(site) == second
    assert folders(site) == {"static", "sources", "sources/a", "sources/c"}
    assert inodes(site)["briefing.json"] == before["briefing.json"]
    assert inodes(site)["sources/a/index.html"] != before["sources/a/index.html"]
