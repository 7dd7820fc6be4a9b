"""Shared helpers: drive the real CLI, make little briefing folders, check spans against the schema's rule."""

from __future__ import annotations

import json
import shutil
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def user_cache_dir(tmp_path_factory):
    """briefgen keeps its cache in the user's cache directory: the suite's goes to a folder of its own (the
    processes the tests start inherit it)."""
    import os

    folder = tmp_path_factory.mktemp("user-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


# A suite started in the background by a shell without job control ignores Ctrl-C, and so would every briefgen
# it starts (an ignored signal is inherited): the tests that interrupt a build need it as a terminal delivers it.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def wait_for(predicate, timeout: float, what: str):
    """Poll `predicate` until it is true (its value returned) or `timeout` seconds pass (an AssertionError naming
    `what`): tests wait for something to happen, never for a fixed time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = predicate()
        except OSError:
            found = None
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def run_cli(*args: str, cwd: Path | None = None):
    """Invoke `briefgen ARGS` in-process (the spaCy model stays loaded between calls)."""
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def make_briefing(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def build_folder(tmp_path: Path, files: dict[str, str | bytes], *extra: str):
    """Write `files` into tmp_path/briefing and build it into tmp_path/site; never a traceback."""
    src = make_briefing(tmp_path / "briefing", files)
    result = run_cli("build", src, "-o", tmp_path / "site", *extra)
    assert "Traceback" not in result.output
    return result


def load_briefing(site: Path) -> dict:
    return json.loads((site / "briefing.json").read_text(encoding="utf-8"))


def iter_spans(node, path="$"):
    """Every span-like dict ({source, start, end}) anywhere in briefing.json, with where it is."""
    if isinstance(node, dict):
        if {"source", "start", "end"} <= node.keys() and isinstance(node.get("start"), int):
            yield path, node
        for key, value in node.items():
            yield from iter_spans(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from iter_spans(value, f"{path}[{i}]")


def assert_spans_faithful(data: dict) -> int:
    """text == sources[i].text[start:end] for every span and quote; returns how many were checked."""
    texts = {s["id"]: s["text"] for s in data["sources"]}
    checked = 0
    for path, span in iter_spans(data):
        text = texts[span["source"]]
        assert 0 <= span["start"] <= span["end"] <= len(text), path
        if "text" in span:
            assert span["text"] == text[span["start"] : span["end"]], path
        checked += 1
    for source in data["sources"]:
        for item in source["summary"]:
            assert item["text"] == source["text"][item["start"] : item["end"]]
            checked += 1
    return checked


@pytest.fixture(scope="session")
def seeds_site(tmp_path_factory) -> Path:
    """The seed briefing built once for the whole session."""
    out = tmp_path_factory.mktemp("seeds") / "site"
    result = run_cli("build", SEEDS, "-o", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def grounding_site(tmp_path_factory) -> Path:
    """A briefing written for the tests: a regulator grounds a jet type (txt, Markdown, HTML)."""
    src = tmp_path_factory.mktemp("grounding") / "briefing"
    shutil.copytree(FIXTURES / "grounding", src)
    out = src.parent / "site"
    result = run_cli("build", src, "-o", out)
    assert result.exit_code == 0, result.output
    return out
