"""`serve`, `gh-deploy` and `new` through the real CLI. Servers bind 127.0.0.1 on a free port and stop themselves."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, load_briefing, make_briefing, run_cli, wait_for

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


@contextlib.contextmanager
def serving(tmp_path, *args: str, cwd: Path | None = None):
    """`briefgen serve ARGS` on 127.0.0.1 and a free port, in a process of its own: (its URL, the process);
    stopped with Ctrl-C afterwards (killed if it does not stop)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", *args, "-a", f"127.0.0.1:{port}"],  # MkDocs' -a HOST:PORT
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")},
    )
    try:
        yield f"http://127.0.0.1:{port}/", proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def served(tmp_path):
    src = tmp_path / "briefing"
    shutil.copytree(FIXTURES / "scooters", src)
    with serving(tmp_path, str(src)) as (url, proc):
        yield src, url, proc


@pytest.mark.slow
def test_serve_live_reload_and_errors(served):
    src, url, proc = served
    index = wait_for(lambda: fetch(url), 90, "the first build")
    assert "livereload.js" in index  # the page reloads itself after each rebuild
    assert "City bans rental e-scooters" in index
    wire = src / "wire.txt"
    wire.write_text(wire.read_text().replace("City bans rental e-scooters", "Riverton clears e-scooters"))
    wait_for(lambda: "Riverton clears e-scooters" in fetch(url), 30, "the edited headline")
    (src / "broken.txt").write_bytes(b"\x00\x01binary\x00" * 50)

    def failed_page():
        page = fetch(url)
        return page if "Build failed" in page else None

    page = wait_for(failed_page, 30, "the error banner")
    assert "broken.txt" in page and "Riverton clears e-scooters" in page  # the last good site, with the error
    (src / "broken.txt").unlink()
    wait_for(lambda: "Build failed" not in fetch(url), 30, "the fixed site")
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=15) == 0
    output = proc.stdout.read()
    assert output.count("broken.txt: not a text file") == 1  # printed once, not at every poll
    assert "Traceback" not in output


def git(*args, cwd):
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True
    ).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "grounding", work / "briefing")
    git("init", "-q", "-b", "main", cwd=work)
    git("add", ".", cwd=work)
    git("commit", "-qm", "articles", cwd=work)
    git("remote", "add", "origin", str(remote), cwd=work)
    return work, remote


def test_gh_deploy_to_a_bare_remote(repo, tmp_path):
    work, remote = repo
    result = run_cli("gh-deploy", work / "briefing", "-o", tmp_path / "site", "--cname", "brief.example.org")
    assert result.exit_code == 0, result.output
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    for name in ("index.html", "briefing.json", ".nojekyll", "CNAME"):
        assert name in files
    assert git("show", "gh-pages:CNAME", cwd=remote).strip() == "brief.example.org"
    sha = git("rev-parse", "--short", "HEAD", cwd=work).strip()
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=remote).strip().startswith(f"Deployed {sha} with briefgen")
    second = run_cli("gh-deploy", work / "briefing", "-o", tmp_path / "site")
    assert second.exit_code == 0
    assert "CNAME" in second.output and "brief.example.org" in second.output  # the custom domain would be lost
    assert git("rev-list", "--count", "gh-pages", cwd=remote).strip() == "2"


def test_gh_deploy_dry_run_says_what_it_would_push_and_pushes_nothing(repo, tmp_path):
    work, remote = repo
    result = run_cli(
        "gh-deploy", work / "briefing", "-o", tmp_path / "site", "--dry-run", "--site-url", "https://example.org/b/"
    )
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output and "gh-pages" in result.output and str(remote) in result.output
    assert "gh-pages" not in git("branch", "--list", cwd=remote)
    assert "<loc>https://example.org/b/</loc>" in (tmp_path / "site" / "sitemap.xml").read_text()


def test_site_url_stands_for_base_url_and_is_checked(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    src = make_briefing(tmp_path / "b", {"a.txt": "Ferries\n\nThe ferry left on time, the harbour board said.\n"})
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    assert not (tmp_path / "s" / "sitemap.xml").exists()
    again = run_cli("build", src, "-o", tmp_path / "s", "--site-url", "https://example.org/ferries/", "-v")
    assert again.exit_code == 0 and "Nothing changed" not in again.output  # a new address is a new build
    assert "https://example.org/ferries/" in (tmp_path / "s" / "sitemap.xml").read_text()
    bad = run_cli("build", src, "-o", tmp_path / "s", "--site-url", "ferries")
    assert bad.exit_code == 1 and "--site-url: expected an http(s) URL" in bad.output


def test_gh_deploy_clear_errors(repo, tmp_path):
    work, remote = repo
    not_repo = make_briefing(tmp_path / "plain", {"a.txt": "Title\n\nSome body text for the test.\n"})
    result = run_cli("gh-deploy", not_repo, "-o", tmp_path / "s1")
    assert result.exit_code == 1 and "not inside a git repository" in result.output
    result = run_cli("gh-deploy", work / "briefing", "-o", tmp_path / "s2", "-r", "upstream")
    assert result.exit_code == 1 and "no git remote named 'upstream'" in result.output
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = run_cli("gh-deploy", work / "briefing", "-o", tmp_path / "s3")
    assert result.exit_code == 1 and "could not publish" in result.output
    assert len(result.output.strip().splitlines()) <= 2 and "Traceback" not in result.output


def test_new_then_build(tmp_path):
    folder = tmp_path / "my-briefing"
    assert run_cli("new", folder).exit_code == 0
    assert run_cli("new", folder).exit_code == 1  # never overwrites
    result = run_cli("build", folder, "-o", tmp_path / "site", "--strict")
    assert result.exit_code == 0, result.output
    data = load_briefing(tmp_path / "site")
    assert {s["path"] for s in data["sources"]} == {"harbour-wire.txt", "harbour-daily.md", "harbour-radio.html"}
    workflow = yaml.safe_load((folder / ".github/workflows/pages.yml").read_text())
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    steps = [s.get("uses", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in steps)
    assert any(u.startswith("actions/deploy-pages") for u in steps)
    assert (folder / "templates" / "README.md").exists()


BLAS_AFTER_COMMAND = """
import sys
from briefgen import cli
sys.argv = ["briefgen", "--version"]
try:
    cli.main()
except SystemExit:
    pass
import numpy
from threadpoolctl import threadpool_info
print(sorted({pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}))
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="a BLAS starts one thread per core: one core, one thread")
@pytest.mark.parametrize("set_by_user, expected", [(None, "[1]"), ("2", "[2]")])
def test_the_command_gives_numpy_one_blas_thread_unless_told(set_by_user, expected):
    """`briefgen` runs a process per core: numpy's BLAS (OpenBLAS here) gets one thread per process, not one per
    core in each; a value set in the environment is kept."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")
    }
    if set_by_user:
        env["OPENBLAS_NUM_THREADS"] = set_by_user
    proc = subprocess.run([sys.executable, "-c", BLAS_AFTER_COMMAND], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == expected


def test_check_reads_like_a_build_prints_every_warning_and_writes_nothing(tmp_path):
    src = make_briefing(
        tmp_path / "b",
        {
            "briefing.yml": "title: Ferries\nbogus: 1\n",
            "a.txt": "Ferries\n\nThe ferry left on time.\n",
            "b.bin": b"\x00\x01",
        },
    )
    before = sorted(p.name for p in src.iterdir())
    result = run_cli("check", src)
    assert result.exit_code == 0, result.output
    assert "Config value 'bogus'" in result.output and "Checked 1 article(s)" in result.output
    assert run_cli("check", src, "--strict").exit_code == 1
    assert sorted(p.name for p in src.iterdir()) == before and not (tmp_path / "site").exists()
    (src / "c.txt").write_bytes(b"\x00\x01binary\x00")
    broken = run_cli("check", src)
    assert broken.exit_code == 1 and "c.txt" in broken.output


def test_dev_addr_that_is_no_address_is_one_line(tmp_path):
    result = run_cli("serve", FIXTURES / "scooters", "-a", "localhost")
    assert result.exit_code == 1
    assert (
        result.output.strip().splitlines()[-1]
        == "Error: --dev-addr 'localhost': expected HOST:PORT, such as 127.0.0.1:8000"
    )


ARTICLE_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Ferries return to Portside | Harbour Post</title></head>"
    "<body><nav>Home News Sport</nav><article><h1>Ferries return to Portside</h1>"
    "<p>Ferries returned to Portside on Monday after a week of storms, the harbour board said.</p>"
    '<p>"We are glad to sail again," said Laura Bennett, the harbour master.</p></article></body></html>'
)


@pytest.fixture
def web(tmp_path):
    """A web server on 127.0.0.1 (a free port) with an article, a JSON file and a page too large; stopped after."""
    import http.server
    import threading

    pages = {
        "/news/ferries-return.html": ("text/html; charset=utf-8", ARTICLE_PAGE.encode()),
        "/data.json": ("application/json", b"{}"),
        "/big.html": ("text/html", b"<html><body>" + b"x" * 5000 + b"</body></html>"),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path not in pages:
                self.send_error(404)
                return
            kind, body = pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_add_fetches_html_articles_and_refuses_the_rest(web, tmp_path):
    folder = make_briefing(tmp_path / "b", {"briefing.yml": "max_file_size: 3000\n"})
    result = run_cli(
        "add", f"{web}/news/ferries-return.html", f"{web}/data.json", f"{web}/big.html", f"{web}/gone.html",
        "ftp://example.org/x", "--to", folder,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "not a web page (application/json)" in result.output
    assert "over the size limit of 3,000 bytes" in result.output
    assert "the server answered 404" in result.output and "not an http(s) address" in result.output
    assert "Added 1 of 5 article(s)" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["127-0-0-1-news-ferries-return-html.html", "briefing.yml"]
    assert run_cli("build", folder, "-o", tmp_path / "site").exit_code == 0
    (source,) = load_briefing(tmp_path / "site")["sources"]
    assert source["title"] == "Ferries return to Portside" and "glad to sail again" in source["text"]


def test_config_file_names_the_briefing_and_its_settings(tmp_path, monkeypatch):
    """`-f FILE`, as MkDocs takes it: the file's folder is the briefing, and its settings are the ones used."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    src = make_briefing(
        tmp_path / "b",
        {
            "briefing.yml": "title: The usual title\n",
            "alt.yml": "title: Another title\n",
            "a.txt": "Ferries\n\nThe ferry left on time, the harbour board said.\n",
        },
    )
    assert run_cli("build", "-f", src / "alt.yml", "-o", tmp_path / "s").exit_code == 0
    assert load_briefing(tmp_path / "s")["title"] == "Another title"
    assert run_cli("check", "-f", src / "alt.yml").exit_code == 0
    missing = run_cli("build", "-f", src / "nope.yml", "-o", tmp_path / "t")
    assert missing.exit_code == 1 and "nope.yml: config file not found" in missing.output
    elsewhere = run_cli("build", tmp_path, "-f", src / "alt.yml", "-o", tmp_path / "t")
    assert elsewhere.exit_code == 1 and "a briefing's config file lives in its folder" in elsewhere.output


@pytest.mark.slow
def test_serve_without_livereload_serves_the_one_build(tmp_path):
    src = tmp_path / "briefing"
    shutil.copytree(FIXTURES / "scooters", src)
    with serving(tmp_path, str(src), "--no-livereload") as (url, _):
        index = wait_for(lambda: fetch(url), 90, "the build")
        assert "City bans rental e-scooters" in index and "livereload" not in index
        assert "People" in fetch(url + "people/index.html")
        with pytest.raises(urllib.error.HTTPError):
            fetch(url + "nothing-here.html")


@pytest.mark.slow
def test_a_new_user_serves_their_own_folder_with_no_arguments(tmp_path):
    """Three saved articles in a folder, `briefgen serve` run there: their briefing, not the demo, and its links
    lead to pages the server has."""
    import re

    mine = make_briefing(
        tmp_path / "mine",
        {
            "one.txt": "Ferries return\n\nFerries returned to Portside on Monday, the harbour board said.\n",
            "two.md": "# Harbour reopens\n\nThe harbour reopened on Monday after a week of storms.\n",
            "three.txt": 'Back at sea\n\n"We are glad to sail again," said Laura Bennett, the harbour master.\n',
        },
    )
    with serving(tmp_path, cwd=mine) as (url, _):
        index = wait_for(lambda: fetch(url), 90, "the first build")
        assert "Ferries return" in index and "Harbour reopens" in index and "Back at sea" in index
        for href in sorted(set(re.findall(r'href="(sources/[^"#]+)', index))):
            assert "<h1" in fetch(url + href)
