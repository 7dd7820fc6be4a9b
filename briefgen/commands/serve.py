"""`briefgen serve`: build, then watch the briefing and rebuild on change; the browser reloads itself.

Bursts of saves are debounced into one rebuild; a failed rebuild keeps the last good site, prints the error
once and shows it as a banner on every page until it is fixed."""

from __future__ import annotations

import html
import logging
import mimetypes
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from briefgen.commands.build import CACHE_DIR_NAME, build
from briefgen.errors import BriefgenError
from briefgen.render import asset_dir

log = logging.getLogger("briefgen")
QUIET_SECONDS = 0.3  # a save burst is over when nothing has changed for this long
MAX_SETTLE_SECONDS = 5.0
BANNER_STYLE = ("position:sticky;top:0;z-index:1000;margin:0;padding:.75rem 1rem;background:#7f1d1d;color:#fff;"
                "font:15px/1.4 system-ui,sans-serif;white-space:pre-wrap")


@dataclass
class State:
    error: str | None = None


class SiteApp:
    """WSGI app serving the built site; every HTML page carries the build error, if there is one."""

    def __init__(self, root: Path, state: State):
        self.root = root
        self.state = state

    def resolve(self, url_path: str) -> Path | None:
        relative = unquote(url_path).lstrip("/")
        candidate = (self.root / relative).resolve()
        root = self.root.resolve()
        if not candidate.is_relative_to(root):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def __call__(self, environ, start_response):
        path = self.resolve(environ.get("PATH_INFO", "/"))
        status = "200 OK"
        if path is None:
            status = "404 Not Found"
            path = self.root / "404.html"
        body = path.read_bytes() if path.is_file() else b"<html><head></head><body>Not found</body></html>"
        kind = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
        if kind == "text/html" and self.state.error:
            banner = (f'<div role="alert" class="briefgen-build-error" style="{BANNER_STYLE}"><strong>Build failed; '
                      f"showing the last good site.</strong>\n{html.escape(self.state.error)}</div>").encode()
            at = body.find(b">", body.find(b"<body")) + 1 if b"<body" in body else 0
            body = body[:at] + banner + body[at:]
        headers = [("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind),
                   ("Content-Length", str(len(body))), ("Cache-Control", "no-store")]
        start_response(status, headers)
        return [body]


class Rebuilder:
    """Called by livereload when a watched path changed: waits for the burst to end, then rebuilds once."""

    def __init__(self, source_dir: Path, output: Path, watched: list[Path], state: State, **options):
        self.source_dir = source_dir
        self.output = output.resolve()
        self.watched = watched
        self.state = state
        self.options = options
        self.last = self.snapshot()

    def ignored(self, path: str) -> bool:
        p = Path(path).resolve()
        parts = set(p.parts)
        return (p.is_relative_to(self.output) or CACHE_DIR_NAME in parts
                or any(part.startswith((".briefgen-", ".git")) for part in p.parts) or p.name.endswith(".lock"))

    def snapshot(self) -> dict[str, tuple[int, int]]:
        state: dict[str, tuple[int, int]] = {}
        for root in self.watched:
            for p in sorted(root.rglob("*")) if root.is_dir() else [root]:
                if p.is_file() and not self.ignored(str(p)):
                    try:
                        st = p.stat()
                    except OSError:
                        continue
                    state[str(p)] = (st.st_mtime_ns, st.st_size)
        return state

    def settle(self) -> dict[str, tuple[int, int]]:
        deadline = time.monotonic() + MAX_SETTLE_SECONDS
        current = self.snapshot()
        while time.monotonic() < deadline:
            time.sleep(QUIET_SECONDS)
            again = self.snapshot()
            if again == current:
                break
            current = again
        return current

    def __call__(self) -> None:
        current = self.settle()
        if current == self.last and self.state.error is None:
            return  # only ignored files moved (cache, output)
        self.last = current
        self.build()

    def build(self) -> bool:
        started = time.perf_counter()
        try:
            build(self.source_dir, self.output, **self.options)
        except BriefgenError as exc:
            message = str(exc)
            if message != self.state.error:
                for line in message.splitlines():
                    log.error("Error: %s", line)
            self.state.error = message
            return False
        if self.state.error:
            log.info("Fixed; the site is up to date again.")
        self.state.error = None
        log.info("Rebuilt in %.2f s", time.perf_counter() - started)
        return True


def serve(source_dir: Path, output: Path | None, host: str = "127.0.0.1", port: int = 8000,
          open_browser: bool = False, strict: bool = False) -> None:
    from livereload import Server

    temporary = output is None
    output = Path(tempfile.mkdtemp(prefix="briefgen-serve-")) / "site" if temporary else output
    state = State()
    watched = [source_dir, asset_dir("templates"), asset_dir("static")]
    rebuild = Rebuilder(source_dir, output, watched, state, strict=strict, resident=True)
    if not rebuild.build() and not (output / "index.html").exists():
        output.mkdir(parents=True, exist_ok=True)
        (output / "index.html").write_text("<!doctype html><html><head><title>briefgen</title></head>"
                                           "<body><p>No site yet: fix the error and save.</p></body></html>")
    server = Server(app=SiteApp(output, state))
    for path in watched:
        server.watch(str(path), rebuild, delay=0, ignore=rebuild.ignored)
    log.info("Serving %s on http://%s:%d/ (Ctrl-C to stop)", source_dir, host, port)
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0,
                     open_url_delay=0.5 if open_browser else None)
    finally:
        if temporary:
            shutil.rmtree(output.parent, ignore_errors=True)
