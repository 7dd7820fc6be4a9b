"""`briefgen build` end to end through the real CLI: schema, spans, cleaning, cache, determinism, atomicity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from briefgen.export import schema
from conftest import ROOT, SEEDS, SHARED, assert_spans_faithful, load_briefing, make_briefing, run_cli, wait_for

ARTICLE = "A headline for the test\n\nThe council voted on Monday to close the old bridge to lorries.\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_seeds_build_valid_against_schema(seeds_site):
    data = load_briefing(seeds_site)
    jsonschema.validate(data, schema())
    assert [s["path"] for s in data["sources"]] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert assert_spans_faithful(data) > 100  # every summary, quote, claim, scope and timeline span
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
    if not shared.exists():
        pytest.skip(f"the shared contract is not here ({shared})")
    ours = json.loads((ROOT / "briefgen/data/briefing.schema.json").read_text(encoding="utf-8"))
    assert not missing_from(ours, json.loads(shared.read_text(encoding="utf-8")))  # extended, never broken


def missing_from(ours: dict, contract: dict, at: str = "$") -> list[str]:
    """What of the contract's schema ours lacks or changes: every property, type and required field it names."""
    missing = [f"{at}: type" for key in ("type",) if key in contract and contract[key] != ours.get(key)]
    missing += [
        f"{at}.required: {name}" for name in contract.get("required", []) if name not in ours.get("required", [])
    ]
    for name, sub in contract.get("properties", {}).items():
        if name not in ours.get("properties", {}):
            missing.append(f"{at}.{name}")
        elif isinstance(sub, dict):
            missing += missing_from(ours["properties"][name], sub, f"{at}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(contract.get(key), dict):
            missing += missing_from(ours.get(key) or {}, contract[key], f"{at}[{key}]")
    for name, sub in contract.get("$defs", contract.get("definitions", {})).items():
        defs = ours.get("$defs", ours.get("definitions", {}))
        missing += [f"$defs.{name}"] if name not in defs else missing_from(defs[name], sub, f"$defs.{name}")
    return missing


def test_seed_cruft_and_duplicate_captions_are_gone(seeds_site):
    data = load_briefing(seeds_site)
    for source in data["sources"]:
        text = source["text"]
        lines = text.split("\n\n")
        assert len(lines) == len(set(lines)), f"{source['id']} still repeats a paragraph"
        assert all(
            not line.lower().startswith(("skip to", "read more", "top stories", "local spotlight")) for line in lines
        )
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
    for cruft in (
        "Home > World",
        "By Marta Olsen",
        "min read",
        "Advertisement",
        "REUTERS/Pedro",
        "Sign up",
        "Related:",
        "Editing by",
    ):
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


def test_the_plain_pipeline_writes_the_default_build_byte_for_byte(tmp_path):
    """`--no-cache --jobs 1` runs the pipeline with nothing of the runtime: one process, nothing kept. The
    default build (workers, cache) and a second one from the cache write the same bytes."""
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("build", SEEDS, "-o", a, "--jobs", "2").exit_code == 0
    assert run_cli("build", SEEDS, "-o", b, "--no-cache", "--jobs", "1").exit_code == 0
    assert tree(a) == tree(b)
    (a / "404.html").unlink()  # built again, every article and page from the cache
    again = run_cli("build", SEEDS, "-o", a, "-v")
    assert "Parsed 0 of 5" in again.output and tree(a) == tree(b)


SPLIT = {  # written for this test: two outlets give the same words to different people, one each
    "harbour.md": "# Ferry fares rise\n\nThe ferry company raised fares on Monday.\n\n"
    '"Nobody will be priced off the water," said Ines Varga, the company\'s director.\n',
    "islander.md": "# Fares up on the ferry\n\nFares went up on Monday after a vote.\n\n"
    '"Nobody will be priced off the water," said Tomas Brandt, the harbour master.\n',
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
        proc = subprocess.run(
            [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(out), "--no-cache", "-q"],
            capture_output=True,
            text=True,
            env=env,
        )
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


def test_a_build_after_an_edit_never_writes_through_the_old_site(tmp_path):
    """The new site is put together beside the old one and swapped in whole: the old site's files stay as they
    were (a hard link to one of them keeps the old page). The site equals a build from nothing."""
    src = make_briefing(
        tmp_path / "b",
        {
            "one.txt": ARTICLE,
            "two.txt": "Another\n\nThe mayor said nothing more.\n",
            "three.txt": 'A third\n\n"We will wait," said Ana Lopes, a trader.\n',
        },
    )
    site = tmp_path / "s"
    command = [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(site), "-j", "2", "-v"]
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    assert subprocess.run(command, capture_output=True, text=True, env=env).returncode == 0
    edited = next(s["id"] for s in load_briefing(site)["sources"] if s["path"] == "two.txt")
    page = f"sources/{edited}/index.html"
    before, old = inodes(site), tree(site)
    (tmp_path / "kept").mkdir()
    os.link(site / page, tmp_path / "kept" / "page.html")
    (src / "two.txt").write_text('Another\n\n"Nothing more," the mayor, Rui Costa, said on Friday.\n')
    second = subprocess.run(command, capture_output=True, text=True, env=env)
    assert second.returncode == 0 and "Parsed 1 of 3" in second.stderr, second.stderr
    after, new = inodes(site), tree(site)
    assert after[page] != before[page] and new[page] != old[page]
    assert (tmp_path / "kept" / "page.html").read_bytes() == old[page]  # the old page was not written through
    same = [path for path in new if old.get(path) == new[path]]
    assert len(same) > len(new) / 2 and all(after[path] == before[path] for path in same)  # linked, not rewritten
    assert run_cli("build", src, "-o", tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(site) == tree(tmp_path / "fresh")


def test_a_link_planted_in_the_site_is_never_linked_into_the_next(tmp_path, monkeypatch):
    """Unchanged files are linked from the site being replaced, but only plain files: a page replaced by a
    symbolic link to a file outside (with the very same bytes) is written anew, and the outside file stays apart."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n"})
    site = tmp_path / "site"
    assert run_cli("build", src, "-o", site).exit_code == 0
    outside = tmp_path / "outside.html"
    outside.write_bytes((site / "404.html").read_bytes())
    (site / "404.html").unlink()
    (site / "404.html").symlink_to(outside)
    (src / "two.txt").write_text("Another\n\nThe mayor said nothing at all.\n")
    assert run_cli("build", src, "-o", site).exit_code == 0
    page = site / "404.html"
    assert not page.is_symlink() and page.stat().st_ino != outside.stat().st_ino
    assert page.read_bytes() == outside.read_bytes()


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
    """A build that fails late (a broken link under --strict, found once every page is rendered) keeps the last
    good site and leaves no temporary folder."""
    broken = '{% extends "base.html" %}{% block content %}<h1>x</h1><a href="#missing">y</a>{% endblock %}'
    src = make_briefing(
        tmp_path / "b",
        {"one.txt": ARTICLE, "two.txt": "Another\n\nThe mayor said nothing more.\n", "templates/404.html": broken},
    )
    site = tmp_path / "s"
    command = [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(site), "-j", "2", "-v"]
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    assert subprocess.run(command, capture_output=True, text=True, env=env).returncode == 0
    before = tree(site)
    (src / "two.txt").write_text("Another\n\nThe mayor said nothing at all.\n")
    failed = subprocess.run(command + ["--strict", "-vv"], capture_output=True, text=True, env=env)
    assert failed.returncode == 1, failed.stderr
    assert "strict mode" in failed.stderr.splitlines()[-1]
    assert tree(site) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".briefgen-")]


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
    wait_for(
        lambda: not [p for p in tmp_path.iterdir() if p.name.startswith(".briefgen-")], 20, "the old site to be deleted"
    )


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE})
    precious = make_briefing(tmp_path / "docs", {"thesis.tex": "years of work"})
    result = run_cli("build", src, "-o", precious)
    assert result.exit_code == 1
    assert "not a briefgen site" in result.output
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_python_dash_m_and_console_script(tmp_path):
    src = make_briefing(tmp_path / "b", {"one.txt": ARTICLE})
    proc = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(tmp_path / "s"), "-q"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "s" / "briefing.json").is_file()
    script = Path(sys.executable).parent / "briefgen"
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "briefgen" in proc.stdout


def test_edit_in_a_fresh_process_matches_a_fresh_build(tmp_path):
    """As a user runs it, a new process each time: the edited article is parsed again, the others come from the
    cache, and the site is the same as a build from nothing."""
    src = make_briefing(
        tmp_path / "b",
        {
            "one.txt": ARTICLE,
            "two.txt": "Another\n\nThe mayor said nothing more.\n",
            "three.txt": 'A third\n\n"We will wait," said Ana Lopes, a trader.\n',
        },
    )
    command = [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(tmp_path / "s"), "-j", "2", "-v"]
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run(command, capture_output=True, text=True, env=env)
    assert first.returncode == 0 and "Parsed 3 of 3" in first.stderr, first.stderr
    (src / "two.txt").write_text('Another\n\n"Nothing more," the mayor, Rui Costa, said on Friday.\n')
    second = subprocess.run(command, capture_output=True, text=True, env=env)
    assert second.returncode == 0 and "Parsed 1 of 3" in second.stderr, second.stderr
    assert "Traceback" not in second.stderr
    assert run_cli("build", src, "-o", tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "fresh") == tree(tmp_path / "s")
    assert "rui-costa" in {p["id"] for p in load_briefing(tmp_path / "s")["people"]}


def test_damaged_cache_entries_are_analysed_again(tmp_path):
    """A cache entry cut short (a full disk, a killed build), with a bit flipped or gone is a miss, never trusted:
    with one of each and a fourth article edited, the site is still the one a build from nothing makes."""
    src = make_briefing(
        tmp_path / "b",
        {
            "one.txt": ARTICLE,
            "two.txt": "Another\n\nThe mayor said nothing more.\n",
            "three.txt": 'A third\n\n"We will wait," said Ana Lopes, a trader.\n',
            "four.txt": "A fourth\n\nThe harbour reopened on Monday.\n",
        },
    )
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "briefgen", "build", str(src), "-o", str(tmp_path / "s"), "-j", "2", "-v"]
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(cache)}
    assert subprocess.run(command, capture_output=True, text=True, env=env).returncode == 0
    entries = sorted(p for p in (cache / "work").rglob("*") if p.is_file())
    assert len(entries) >= 4 + 4  # four articles' facts, and their pages
    cut_short, flipped, gone = entries[:3]
    cut_short.write_bytes(cut_short.read_bytes()[:40])
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 1
    flipped.write_bytes(bytes(data))
    gone.unlink()
    (src / "three.txt").write_text('A third\n\n"We will wait and see," said Ana Lopes, a trader.\n')
    second = subprocess.run(command, capture_output=True, text=True, env=env)
    assert second.returncode == 0 and "Traceback" not in second.stderr, second.stderr
    assert "Parsed" in second.stderr
    assert run_cli("build", src, "-o", tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "fresh") == tree(tmp_path / "s")
    assert any("wait and see" in source["text"] for source in load_briefing(tmp_path / "s")["sources"])


def briefgen_in(folder: Path, *args: str, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        capture_output=True,
        text=True,
        cwd=folder,
        env={**os.environ, "BRIEFGEN_CACHE_DIR": str(cache)},
    )


def test_with_no_folder_build_reads_this_folder_or_the_nearest_briefing_above(tmp_path):
    """A new user in a folder of three saved articles runs `briefgen build` and gets *their* briefing in site/;
    from a subfolder of a briefing (one holding briefing.yml) the briefing is built beside its briefing.yml; the
    embedded demo builds with --demo."""
    mine = make_briefing(
        tmp_path / "mine",
        {
            "one.txt": ARTICLE,
            "two.txt": "Another\n\nThe mayor said nothing more.\n",
            "three.txt": 'A third\n\n"We will wait," said Ana Lopes, a trader.\n',
        },
    )
    proc = briefgen_in(mine, "build", "-q", cache=tmp_path / "c")
    assert proc.returncode == 0, proc.stderr
    assert sorted(s["path"] for s in load_briefing(mine / "site")["sources"]) == ["one.txt", "three.txt", "two.txt"]
    (mine / "briefing.yml").write_text("title: Mine\n")
    (mine / "notes").mkdir()
    proc = briefgen_in(mine / "notes", "build", "-q", cache=tmp_path / "c")
    assert proc.returncode == 0, proc.stderr
    assert load_briefing(mine / "site")["title"] == "Mine" and not (mine / "notes" / "site").exists()
    proc = briefgen_in(tmp_path, "build", "--demo", "-o", str(tmp_path / "demo"), "-q", cache=tmp_path / "c")
    assert proc.returncode == 0, proc.stderr
    assert len(load_briefing(tmp_path / "demo")["sources"]) == 5
    (tmp_path / "empty").mkdir()
    proc = briefgen_in(tmp_path / "empty", "build", cache=tmp_path / "c")
    last = proc.stderr.strip().splitlines()[-1]
    assert proc.returncode == 1 and last.startswith(f"Error: {(tmp_path / 'empty').resolve()}: no articles found")
    assert not (tmp_path / "empty" / "site").exists()


def marked_tree(site: Path) -> dict[str, bytes]:
    """The site's files but its mark, checked to list exactly those files with their sizes."""
    files = tree(site)
    listed = json.loads(files.pop(".briefgen-site.json"))["files"]
    assert listed == {path: len(data) for path, data in files.items()}
    return files


def test_staging_swaps_in_exactly_the_new_files(tmp_path):
    """The new site holds exactly the new files, marked, and none of the old ones."""
    from briefgen.write import Staging

    site = tmp_path / "site"
    first = {
        "briefing.json": b"{}",
        "static/old.css": b"a{}",
        "sources/a/index.html": b"<p>a</p>",
        "sources/b/index.html": b"<p>b</p>",
    }
    with Staging(site) as staging:
        staging.publish(first)
    assert marked_tree(site) == first
    second = {
        "briefing.json": b"{}",
        "static/new.css": b"b{}",
        "sources/a/index.html": b"<p>a2</p>",
        "sources/c/index.html": b"<p>c</p>",
    }
    with Staging(site) as staging:
        staging.publish(second)
    assert marked_tree(site) == second
    assert folders(site) == {"static", "sources", "sources/a", "sources/c"}
