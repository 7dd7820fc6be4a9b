"""Hostile folders, slips of the hand and full disks, through the real CLI (and the server over 127.0.0.1): nothing
leaks, nothing outside the output folder is written, the last good site stays, and every failure is one line."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, load_briefing, make_briefing, run_cli, wait_for

BODY = (
    "The council approved the new parking plan on Monday after a long debate about costs.\n"
    "\u201cWe listened to every neighbourhood,\u201d said Mayor Ana Ruiz.\n"
    "Critics said the fees were too high for small shops.\n"
)
SITE_MARKER = ".briefgen-site.json"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def briefgen(*args, env=None, cwd=None, timeout=300, **kw) -> subprocess.CompletedProcess:
    """`briefgen ARGS` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=timeout,
        **kw,
    )


def one_line_error(result) -> str:
    output = (result.stderr if hasattr(result, "stderr") and result.stderr is not None else "") + (result.stdout or "")
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert errors, output
    return "\n".join(errors)


# ------------------------------------------------------------------ 1. serve applies build's output rules


def start_serve(*args, env=None, log: Path) -> tuple[subprocess.Popen, str]:
    handle = open(log, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", *map(str, args), "--port", "0"],
        stdout=handle,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )

    def address():
        text = log.read_text()
        for word in text.split():
            if word.startswith("http://127.0.0.1:") and "Serving" in text:
                return word
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {text}")
        return None

    return proc, wait_for(address, 120, "the server to start")


def stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            return proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait()


def status(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_refuses_an_output_folder_build_refuses_and_serves_only_what_it_built(tmp_path):
    src = make_briefing(tmp_path / "b", {"a.txt": "Parking plan\n\n" + BODY})
    home = make_briefing(tmp_path / "home", {".ssh/id_rsa": "PRIVATE KEY", "notes.txt": "mine"})
    before = tree(home)
    result = briefgen("serve", src, "-o", home, "--port", "0", timeout=60)
    assert result.returncode == 1
    assert "not a briefgen site" in one_line_error(result)
    assert tree(home) == before  # no index.html written, nothing served

    site = tmp_path / "site"
    proc, url = start_serve(
        src, "-o", site, log=tmp_path / "serve.log", env={"BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    )
    try:
        assert status(url)[0] == 200
        (site / "secret.txt").write_text("dropped in after the build")
        assert status(url + "secret.txt")[0] == 404  # not a file the build wrote
        assert status(url + SITE_MARKER)[0] == 404
    finally:
        assert stop(proc) == 0


# ------------------------------------------------------------------ 10. serve answers as a file server does


@pytest.mark.slow
def test_serve_answers_bad_requests_and_stays_responsive_during_a_rebuild(tmp_path):
    src = tmp_path / "b"
    shutil.copytree(FIXTURES / "scooters", src)
    for n in range(12):  # enough to make a rebuild take a moment
        (src / f"extra-{n:02d}.txt").write_text(
            f"Extra report {n}\n\n"
            + " ".join(f"Officer {n} said on Monday that scooter rule {k} would be enforced." for k in range(60))
        )
    log = tmp_path / "serve.log"
    proc, url = start_serve(src, log=log, env={"BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")})
    try:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0/")  # --port 0 picked and printed one
        code, body = status(url)
        assert code == 200 and b"livereload" in body
        assert status(url, "HEAD") == (200, b"")
        assert status(url + "a%00b")[0] == 400
        assert status(url + "x" * 5000)[0] == 404
        assert status(url + "../../../../etc/passwd")[0] == 404
        assert status(url, "POST")[0] == 405
        assert status(url + "what-changed")[0] == 200  # redirected to the folder
        rebuilt = log.read_text().count("Rebuilt in")
        for n in range(12):
            path = src / f"extra-{n:02d}.txt"
            path.write_text(path.read_text().replace("Monday", "Tuesday"))
        wait_for(lambda: "Rebuilding after a change" in log.read_text(), 60, "the rebuild to start")
        code, _ = status(url)
        assert code == 200
        assert log.read_text().count("Rebuilt in") == rebuilt  # answered while the rebuild still ran
        wait_for(lambda: log.read_text().count("Rebuilt in") > rebuilt, 120, "the rebuild to end")
        assert "Tuesday" in status(url + "briefing.json")[1].decode()
    finally:
        assert stop(proc) == 0
    assert "Traceback" not in log.read_text() and " 500 " not in log.read_text()


def test_serve_on_a_port_in_use_is_one_line(tmp_path):
    src = make_briefing(tmp_path / "b", {"a.txt": "Parking plan\n\n" + BODY})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = briefgen("serve", src, "--port", port, timeout=60)
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in one_line_error(result) and "--port 0" in result.stderr


# ------------------------------------------------------------------ 2. gh-deploy: this briefing, valid names

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def git(*args, cwd) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env={**os.environ, **GIT_ENV}
    ).stdout


def test_gh_deploy_from_a_subfolder_publishes_that_briefing_and_refuses_option_names(tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    work = tmp_path / "work"
    make_briefing(work / "site", {"index.html": "<p>another briefing's site at the repository root</p>"})
    make_briefing(work / "harbour", {"a.txt": "Harbour dues rise\n\n" + BODY, "briefing.yml": "title: Harbour dues\n"})
    git("init", "-q", "-b", "main", cwd=work)
    git("add", ".", cwd=work)
    git("commit", "-qm", "two briefings", cwd=work)
    git("remote", "add", "origin", str(remote), cwd=work)
    git("push", "-q", "origin", "main", cwd=work)
    env = {**GIT_ENV, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}

    for bad in (["-b", "--mirror"], ["-b", "a..b"], ["-r", "--mirror"]):
        result = briefgen("gh-deploy", ".", *bad, cwd=work / "harbour", env=env)
        assert result.returncode == 1, result.stderr
        assert "not a valid git branch name" in result.stderr or "not a git remote name" in result.stderr
    branches = git("for-each-ref", "--format=%(refname)", "refs/heads", cwd=remote).split()
    assert branches == ["refs/heads/main"]  # nothing pushed, nothing deleted

    result = briefgen("gh-deploy", ".", cwd=work / "harbour", env=env)
    assert result.returncode == 0, result.stderr
    published = json.loads(git("show", "gh-pages:briefing.json", cwd=remote))
    assert published["title"] == "Harbour dues"  # this briefing's build, not the root's site/
    assert (work / "harbour" / "site" / "briefing.json").is_file()


# ------------------------------------------------------------------ 3 and 7. config values: paths, bombs, sizes


@pytest.mark.parametrize(
    "config, expect",
    [
        ("language: ../escape\n", "Config value 'language'"),
        (f"language: {'x' * 5000}\n", "Config value 'language'"),
        ("model: en_core_web_nope\n", "Config value 'model'"),
        ("jobs: 100000000000000000000000\n", "Config value 'jobs'"),
        ("max_file_size: 100000000000000000000\n", "Config value 'max_file_size'"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "jobs: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
            "aliases",
        ),
        ("title: x\n<<: {jobs: 2}\n", "merge keys"),
        ("jobs: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than"),
        ("jobs: " + "9" * 5000 + "\n", "cannot be read"),
        ("sources:\n  a.txt:\n    published: 2024-13-45\n", "cannot be read"),
    ],
)
def test_bad_config_values_are_one_line_and_write_nothing_outside(tmp_path, config, expect):
    src = make_briefing(tmp_path / "b", {"a.txt": "Parking plan\n\n" + BODY, "briefing.yml": config})
    outside = tmp_path / "escape"
    result = briefgen(
        "build", src, "-o", tmp_path / "out" / "site", timeout=60, env={"BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    )
    assert result.returncode == 1
    error = one_line_error(result)
    assert expect in error and "briefing.yml" in error
    assert max(len(line) for line in result.stderr.splitlines()) < 400  # the value is not printed whole
    assert not outside.exists() and not (tmp_path / "out" / "site").exists()


def test_front_matter_aliases_are_refused(tmp_path):
    article = "---\na: &a [x, x]\ntitle: *a\n---\n# Head\n\nBody text of the article.\n"
    result = run_cli("build", make_briefing(tmp_path / "b", {"a.md": article}), "-o", tmp_path / "s")
    assert result.exit_code == 1 and "a.md" in result.output and "aliases" in result.output


# ------------------------------------------------------------------ 4. replace only what briefgen wrote


def test_a_folder_holding_briefing_json_and_other_files_is_not_replaced(tmp_path):
    src = make_briefing(tmp_path / "b", {"a.txt": "Parking plan\n\n" + BODY})
    looks_built = make_briefing(tmp_path / "docs", {"briefing.json": "{}", "thesis.tex": "years of work"})
    result = run_cli("build", src, "-o", looks_built)
    assert result.exit_code == 1 and "not a briefgen site" in result.output
    assert (looks_built / "thesis.tex").read_text() == "years of work"

    site = tmp_path / "site"
    assert run_cli("build", src, "-o", site).exit_code == 0
    (site / "thesis.tex").write_text("saved into the site by mistake")
    result = run_cli("build", src, "-o", site)
    assert result.exit_code == 1 and "thesis.tex" in result.output and "did not write" in result.output
    assert (site / "thesis.tex").is_file()
    (site / "thesis.tex").unlink()
    assert run_cli("build", src, "-o", site).exit_code == 0


# ------------------------------------------------------------------ 5. a briefing folder cannot run code here


def test_links_out_of_the_folder_are_refused_and_templates_are_sandboxed(tmp_path):
    private = make_briefing(tmp_path / "private", {"config.yml": "title: x\n", "base.html": "<p>private</p>"})
    src = make_briefing(tmp_path / "b", {"a.txt": "Parking plan\n\n" + BODY})
    (src / "briefing.yml").symlink_to(private / "config.yml")
    result = run_cli("build", src, "-o", tmp_path / "s")
    assert result.exit_code == 1 and "outside the briefing folder" in result.output
    (src / "briefing.yml").unlink()
    (src / "templates").mkdir()
    (src / "templates" / "base.html").symlink_to(private / "base.html")
    result = run_cli("build", src, "-o", tmp_path / "s")
    assert result.exit_code == 1 and "templates/base.html" in result.output
    (src / "templates" / "base.html").unlink()

    marker = tmp_path / "ran"
    escape = (
        "{{ ''.__class__.__mro__[1].__subclasses__() }}"
        f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"
    )
    (src / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}' + escape + "{% endblock %}"
    )
    result = run_cli("build", src, "-o", tmp_path / "s")
    assert result.exit_code == 1 and "404.html" in result.output and "Traceback" not in result.output
    assert not marker.exists()


def test_the_cache_is_never_in_the_briefing_folder_and_damaged_entries_are_rebuilt(tmp_path, user_cache_dir):
    src = make_briefing(tmp_path / "harbour-brief", {"a.txt": "Parking plan\n\n" + BODY})
    before = tree(src)
    assert run_cli("build", src, "-o", tmp_path / "s").exit_code == 0
    assert tree(src) == before  # nothing written into the folder (no cache, no lock)
    caches = [p for p in user_cache_dir.joinpath("briefgen").iterdir() if p.name.startswith("harbour-brief-")]
    assert len(caches) == 1
    entries = [p for p in (caches[0] / "work").rglob("*") if p.is_file()]
    assert len(entries) >= 2  # the article's facts and its page
    for entry in entries:  # one flipped bit in every entry: none may be used
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0x01
        entry.write_bytes(bytes(data))
    (tmp_path / "s" / "404.html").unlink()  # or the site would be up to date
    again = run_cli("build", src, "-o", tmp_path / "s", "-v")
    assert again.exit_code == 0 and "Parsed 1 of 1" in again.output
    assert run_cli("build", src, "-o", tmp_path / "fresh", "--no-cache").exit_code == 0
    assert tree(tmp_path / "s") == tree(tmp_path / "fresh")


# ------------------------------------------------------------------ 6. full disk


def _file_size_limit(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
def test_a_write_that_fails_fails_the_build_and_keeps_the_last_good_site(tmp_path):
    src = make_briefing(
        tmp_path / "b",
        {"a.txt": "Parking plan\n\n" + BODY, "b.txt": "Shops object\n\n" + BODY.replace("Ana Ruiz", "Tom Lee")},
    )
    site = tmp_path / "site"
    env = {"BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    assert briefgen("build", src, "-o", site, env=env).returncode == 0
    good = tree(site)
    (src / "a.txt").write_text("Parking plan\n\n" + BODY.replace("Monday", "Friday") * 3)
    result = briefgen("build", src, "-o", site, env=env, preexec_fn=_file_size_limit(2048))
    assert result.returncode == 1
    assert "could not write" in one_line_error(result) and "the disk is full" in result.stderr
    assert tree(site) == good
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no half site, no lock left
    assert briefgen("build", src, "-o", site, env=env).returncode == 0
    assert briefgen("build", src, "-o", tmp_path / "fresh", "--no-cache", env=env).returncode == 0
    assert tree(site) == tree(tmp_path / "fresh")  # nothing cut short was cached


# ------------------------------------------------------------------ 8. odd files and places


def test_undecodable_names_fifos_and_headingless_markdown(tmp_path):
    src = make_briefing(
        tmp_path / "b",
        {"a.txt": "Parking plan\n\n" + BODY, "notes-from-the-council.md": "First paragraph of notes.\n\nSecond one.\n"},
    )
    (src / os.fsdecode(b"caf\xe9.txt")).write_text("Cafe report\n\n" + BODY)
    os.mkfifo(src / "pipe.txt")
    result = briefgen(
        "build", src, "-o", tmp_path / "s", timeout=120, env={"BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "not valid UTF-8; skipped" in result.stderr and "pipe.txt: not a regular file" in result.stderr
    sources = {s["path"]: s for s in load_briefing(tmp_path / "s")["sources"]}
    assert set(sources) == {"a.txt", "notes-from-the-council.md"}
    notes = sources["notes-from-the-council.md"]
    assert notes["title"] == "Notes from the council"
    assert "First paragraph of notes." in notes["text"] and "Second one." in notes["text"]


def test_unwritable_output_and_unknown_places_are_one_line(tmp_path):
    src = make_briefing(tmp_path / "b", {"a.txt": "Parking plan\n\n" + BODY})
    blocker = tmp_path / "plain-file"
    blocker.write_text("a file where a folder should be")
    for output in (blocker / "site", Path("/proc/briefgen-test/site")):
        result = briefgen("build", src, "-o", output, timeout=120, env={"BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")})
        assert result.returncode == 1, result.stderr
        assert str(output.parent) in one_line_error(result)


# ------------------------------------------------------------------ 9. pathological text


@pytest.mark.slow
def test_thousands_of_nested_quote_marks_build_and_keep_the_real_quote(tmp_path):
    """Extraction is near-linear whatever the marks (`bench/pathological.py` times it); this is the shape that
    was cubic, with a bound generous enough for any machine and far below what the cubic search took."""
    nested = " ".join(f"{'Ana Ruiz' if k % 2 else 'she'} said \u201cplan{k}" for k in range(4000))
    article = (
        "Nested marks\n\n" + nested + " end" + "\u201d" * 4000 + ".\n"
        "\u201cWe will vote next week,\u201d Ana Ruiz said.\n"
    )
    src = make_briefing(tmp_path / "b", {"a.txt": article})
    result = briefgen(
        "build", src, "-o", tmp_path / "s", timeout=240, env={"BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    )
    assert result.returncode == 0, result.stderr
    data = load_briefing(tmp_path / "s")
    last = [q for q in data["quotes"] if q["text"].startswith("We will vote")]
    assert last and last[0]["speaker"] == "ana-ruiz"


# ------------------------------------------------------------------ 11. locks, signals, NUL, old output folders


def _slow_briefing(tmp_path) -> Path:
    files = {
        f"article-{n:03d}.txt": f"Story {n}\n\n"
        + " ".join(f"Official number {n} said on Monday that plan {k} was approved." for k in range(120))
        for n in range(30)
    }
    return make_briefing(tmp_path / "slow", files)


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signals_exit_with_the_shell_codes_and_leave_no_lock(tmp_path, sig, code):
    slow = _slow_briefing(tmp_path)
    site = tmp_path / "site"
    lock = tmp_path / ".site.briefgen.lock"
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", str(slow), "-o", str(site), "-j", "1"],
        env={**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_for(lock.exists, 60, "the build to start")
    proc.send_signal(sig)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == code, out
    assert "Interrupted" in out and "Traceback" not in out
    assert not lock.exists() and not site.exists()


def test_a_finished_build_leaves_no_lock_and_nul_never_reaches_a_page(tmp_path):
    text = "Parking plan\n\n" + BODY + ("More about the plan and its costs. " * 300) + "\x00hidden\x01\n"
    src = make_briefing(tmp_path / "b", {"a.txt": text})
    result = run_cli("build", src, "-o", tmp_path / "site")
    assert result.exit_code == 0 and "control character" in result.output
    assert not list(tmp_path.glob(".*lock"))
    for path, data in tree(tmp_path / "site").items():
        if path.endswith((".html", ".json", ".xml", ".txt")):  # Pagefind's index files are binary
            assert b"\x00" not in data and b"\x01" not in data, path
    assert "hidden" in load_briefing(tmp_path / "site")["sources"][0]["text"]


def test_an_old_output_folder_inside_the_briefing_is_not_read_as_articles(tmp_path):
    src = make_briefing(tmp_path / "b", {"a.txt": "Parking plan\n\n" + BODY})
    assert run_cli("build", src, "-o", src / "public").exit_code == 0
    result = run_cli("build", src, "-o", tmp_path / "elsewhere")
    assert result.exit_code == 0
    assert [s["path"] for s in load_briefing(tmp_path / "elsewhere")["sources"]] == ["a.txt"]
    assert "public/: holds a built briefgen site; skipped" in result.output
