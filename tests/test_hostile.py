"""Hostile input through the real CLI: each case builds (with a warning naming the file) or fails with one clear
line naming the file — never a traceback, a half-written site, or a file outside the output folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.runtime.cache import Store
from briefgen.write import lock_path
from conftest import build_folder, load_briefing, make_briefing, wait_for

pytestmark = pytest.mark.slow

BODY = "The committee approved the plan on Monday after a long debate about costs and timing.\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_six_megabyte_article_is_refused_naming_the_limit(tmp_path):
    big = "Huge dump\n\n" + ("word " * 1_200_000)
    result = build_folder(tmp_path, {"good.txt": "Fine\n\n" + BODY, "dump.txt": big})
    assert result.exit_code == 1
    assert "dump.txt" in result.output and "1,000,000 bytes" in result.output and "max_file_size" in result.output


def test_quote_chaos_and_a_ten_thousand_word_paragraph(tmp_path):
    chaos = (
        'Chaos\n\nHe said "this " is "" odd" and “never closed and ” stray ” marks.\n'
        "“Level one ‘level two “level three” two’ one,” she said.\n"
        '"Unclosed to the end of the paragraph\n'
    )
    wall = "Wall of text\n\n" + " ".join(f"Sentence number {i} is here, and it has words." for i in range(1250)) + "\n"
    result = build_folder(tmp_path, {"chaos.txt": chaos, "wall.txt": wall})
    assert result.exit_code == 0, result.output
    data = load_briefing(tmp_path / "site")
    by_path = {s["path"]: s for s in data["sources"]}
    assert by_path["wall.txt"]["word_count"] >= 10_000
    for q in data["quotes"]:
        text = by_path[[s["path"] for s in data["sources"] if s["id"] == q["source"]][0]]["text"]
        assert text[q["start"] : q["end"]] == q["text"]


def test_odd_file_names(tmp_path):
    long_name = "a" * 196 + ".txt"
    files = {
        "with spaces in it.txt": "Spaces\n\n" + BODY,
        "café résumé.md": "# Accents\n\n" + BODY.replace("plan", "budget"),
        long_name: "Long\n\n" + BODY.replace("plan", "road"),
    }
    result = build_folder(tmp_path, files)
    assert result.exit_code == 0, result.output
    data = load_briefing(tmp_path / "site")
    ids = [s["id"] for s in data["sources"]]
    assert len(ids) == 3 and all(len(i) <= 80 for i in ids) and "cafe-resume" in ids
    for i in ids:
        assert (tmp_path / "site" / "sources" / i / "index.html").is_file()


def test_slug_cannot_escape_the_output(tmp_path):
    files = {
        "a.md": "---\ntitle: Up\nslug: ../../escape\n---\n" + BODY,
        "b.md": "---\ntitle: Abs\nslug: /etc/passwd\n---\n" + BODY.replace("plan", "bridge"),
    }
    result = build_folder(tmp_path, files)
    assert result.exit_code == 0, result.output
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert not [w for w in written if not w.startswith(("briefing/", "site/", ".site"))]
    assert {s["id"] for s in load_briefing(tmp_path / "site")["sources"]} == {"escape", "etc-passwd"}


def _slow_briefing(tmp_path) -> Path:
    files = {
        f"article-{n:03d}.txt": f"Story {n}\n\n"
        + " ".join(f"Official number {n} said on Monday that plan {k} was approved." for k in range(120))
        for n in range(40)
    }
    return make_briefing(tmp_path / "slow", files)


def test_interrupted_build_keeps_last_good_site_and_cache(tmp_path):
    src = make_briefing(tmp_path / "small", {"a.txt": "Small\n\n" + BODY})
    site = tmp_path / "site"
    cache = tmp_path / "cache"
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(cache)}
    assert (
        subprocess.run([sys.executable, "-m", "briefgen", "build", str(src), "-o", str(site), "-q"], env=env).returncode
        == 0
    )
    before = tree(site)
    slow = _slow_briefing(tmp_path)
    for sig in (signal.SIGTERM, signal.SIGINT):
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "build", str(slow), "-o", str(site), "-j", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # stopped once it has cached its first results
        entries = set((cache / "work").rglob("*"))
        wait_for(
            lambda: proc.poll() is None and set((cache / "work").rglob("*")) - entries,
            120,
            "the build's first cached results",
        )
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode != 0, out
        assert "Traceback" not in out and "Interrupted" in out
        assert tree(site) == before
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".briefgen-")]
    store = Store(cache / "work")
    entries = [p for p in (cache / "work").rglob("*") if p.is_file()]
    assert entries
    for entry in entries:
        assert store.get(entry.name) is not None  # every cache entry is whole
    assert not list(cache.rglob(".tmp-*"))


def test_second_build_on_the_same_output_is_refused(tmp_path):
    slow = _slow_briefing(tmp_path)
    site = tmp_path / "site"
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", str(slow), "-o", str(site), "-q", "-j", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_for(lambda: lock_path(site).exists(), 120, "the first build to start")
    second = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(slow), "-o", str(site), "-q"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert first.wait(timeout=300) == 0
    assert second.returncode == 1 and "another briefgen build is running" in second.stderr
    assert len(load_briefing(site)["sources"]) == 40
