"""`briefgen serve`: build, then watch the briefing and rebuild on change; the browser reloads itself.

Bursts of saves are debounced into one rebuild; a failed rebuild keeps the last good site, prints the error
once and shows it as a banner on every page until it is fixed."""

from __future__ import annotations

import html
import logging
import mimetypes
import os
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from briefgen.commands.build import build, check_source_dir
from briefgen.errors import BriefgenError
from briefgen.render import asset_dir
from briefgen.structure import SITE_MARKER
from briefgen.write import check_output, site_files

log = logging.getLogger("briefgen")
QUIET_SECONDS = 0.3  # a save burst is over when nothing has changed for this long
MAX_SETTLE_SECONDS = 5.0
MAX_PATH = 2048  # longer request paths are no file of a site
BANNER_STYLE = (
    "position:sticky;top:0;z-index:1000;margin:0;padding:.75rem 1rem;background:#7f1d1d;color:#fff;"
    "font:15px/1.4 system-ui,sans-serif;white-space:pre-wrap"
)
NO_SITE_YET = (
    b"<!doctype html><html><head><title>briefgen</title></head>"
    b"<body><p>No site yet: fix the error and save.</p></body></html>"
)


@dataclass
class State:
    error: str | None = None


class SiteApp:
    """WSGI app serving the built site as a static file server would, and nothing but the files the build wrote
    (those its mark lists); every HTML page carries the build error, if there is one."""

    def __init__(self, root: Path, state: State):
        self.root = root
        self.state = state
        self._listed: tuple[int, dict[str, int]] | None = None  # (mark's mtime, files)

    def files(self) -> dict[str, int]:
        try:
            stamp = os.stat(self.root / SITE_MARKER).st_mtime_ns
        except OSError:
            return {}
        if self._listed is None or self._listed[0] != stamp:
            self._listed = (stamp, site_files(self.root) or {})
        return self._listed[1]

    def resolve(self, url_path: str) -> tuple[str, str | None]:
        """('ok', file), ('redirect', url), ('missing', None) or ('bad', None) for a request path."""
        path = url_path.encode("latin-1").decode("utf-8")  # WSGI hands the decoded path over as latin-1
        if "\x00" in path:
            return "bad", None
        if len(path) > MAX_PATH:
            return "missing", None
        parts = list(PurePosixPath("/" + path).parts[1:])
        if any(p in ("..", ".") for p in parts):
            return "missing", None
        rel = "/".join(parts)
        files = self.files()
        if path.endswith("/") or not rel:
            rel = f"{rel}/index.html".lstrip("/")
        elif rel not in files and f"{rel}/index.html" in files:
            return "redirect", quote(f"/{rel}/")
        return ("ok", rel) if rel in files else ("missing", None)

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return self.respond(
                start_response,
                "405 Method Not Allowed",
                b"Method not allowed",
                "text/plain",
                method,
                [("Allow", "GET, HEAD")],
            )
        try:
            found, target = self.resolve(environ.get("PATH_INFO", "/"))
        except UnicodeError:
            found, target = "bad", None
        if found == "bad":
            return self.respond(start_response, "400 Bad Request", b"Bad request", "text/plain", method)
        if found == "redirect":
            query = environ.get("QUERY_STRING")
            location = target + (f"?{query}" if query else "")
            return self.respond(
                start_response, "301 Moved Permanently", b"", "text/plain", method, [("Location", location)]
            )
        status, body = "200 OK", None
        if found == "ok":
            body = self.read(target)
        if body is None:  # missing, or gone between the listing and the read (a rebuild swapping the site in)
            status, target = "404 Not Found", "404.html"
            body = self.read(target) if target in self.files() else None
            if body is None:
                body = NO_SITE_YET if not self.files() else b"<html><head></head><body>Not found</body></html>"
        kind = mimetypes.guess_type(target)[0] or "application/octet-stream"
        if kind == "text/html" and self.state.error:
            banner = (
                f'<div role="alert" class="briefgen-build-error" style="{BANNER_STYLE}"><strong>Build failed; '
                f"showing the last good site.</strong>\n{html.escape(self.state.error)}</div>"
            ).encode()
            at = body.find(b">", body.find(b"<body")) + 1 if b"<body" in body else 0
            body = body[:at] + banner + body[at:]
        return self.respond(start_response, status, body, kind, method)

    def read(self, rel: str) -> bytes | None:
        path = self.root.joinpath(*rel.split("/"))
        try:
            if not path.resolve().is_relative_to(self.root.resolve()):
                return None
            return path.read_bytes()
        except (OSError, ValueError):
            return None

    @staticmethod
    def respond(start_response, status: str, body: bytes, kind: str, method: str, extra=()):
        headers = [
            ("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *extra,
        ]
        start_response(status, headers)
        return [b""] if method == "HEAD" else [body]


class Rebuilder:
    """Called by livereload when a watched path changed: waits for the burst to end, then rebuilds once."""

    def __init__(self, source_dir: Path, output: Path, watched: list[Path], state: State, **options):
        self.source_dir = source_dir
        self.output = output.resolve()
        self.watched = watched
        self.state = state
        self.options = options
        self.last = self.snapshot()
        self.lock = threading.Lock()
        self.pending = False  # a change not yet rebuilt
        self.thread: threading.Thread | None = None  # the rebuilding thread, while there is one
        self.on_built = None  # called after each rebuild (the browser is told to reload)

    def ignored(self, path: str) -> bool:
        p = Path(path).resolve()
        return (
            p.is_relative_to(self.output)
            or any(part.startswith((".briefgen-", ".git")) for part in p.parts)
            or p.name.endswith(".lock")
        )

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
        """Called by livereload's watcher, on its event loop: the rebuild runs in a thread of its own, so the loop
        keeps answering requests (with the last good site) while it runs."""
        with self.lock:
            self.pending = True
            if self.thread is None:
                self.thread = threading.Thread(target=self.loop, name="briefgen-rebuild", daemon=True)
                self.thread.start()

    def loop(self) -> None:
        while True:
            with self.lock:  # a change that comes while this rebuild runs gets one more rebuild, never none
                if not self.pending:
                    self.thread = None
                    return
                self.pending = False
            current = self.settle()
            if current == self.last and self.state.error is None:
                continue  # only ignored files moved (cache, output)
            self.last = current
            log.info("Rebuilding after a change (the last good site is served meanwhile)")
            self.build()
            if self.on_built is not None:
                self.on_built()

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


def listening_port(host: str, port: int) -> int:
    """The port to serve on: `port` if it is free, any free one for 0; a port in use is an error, not a traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BriefgenError(f"--host {host}: not an address to listen on ({exc.strerror})") from None
    family, kind, _, _, address = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise BriefgenError(
                f"{host}:{port}: cannot listen there ({exc.strerror}); choose another port with "
                f"--port, or --port 0 for any free one"
            ) from None
        return probe.getsockname()[1]


def dev_addr(value: str) -> tuple[str, int]:
    """`-a HOST:PORT` (an IPv6 host in brackets: `[::1]:8000`) as (host, port)."""
    host, _, port = value.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise BriefgenError(f"--dev-addr {value!r}: expected HOST:PORT, such as 127.0.0.1:8000")
    return host, int(port)


def serve(
    source_dir: Path,
    output: Path | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    strict: bool = False,
    config_file: Path | None = None,
    livereload: bool = True,
) -> None:
    """Build and serve; with `livereload`, watch the briefing, rebuild on change and reload the browser, else
    serve the one build as it is."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    check_source_dir(source_dir)
    if output is not None:
        check_output(output, source_dir)  # the same rules as build: never a folder of other files
    port = listening_port(host, port)
    temporary = output is None
    site = Path(tempfile.mkdtemp(prefix="briefgen-serve-")) / "site" if output is None else output
    try:
        state = State()
        watched = [source_dir, asset_dir("templates"), asset_dir("static")]
        rebuild = Rebuilder(source_dir, site, watched, state, strict=strict, config_file=config_file)
        rebuild.build()
        url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
        if not livereload:
            log.info("Serving %s on %s without live reload (Ctrl-C to stop)", source_dir, url)
            serve_plainly(SiteApp(site, state), host, port, open_browser, url)
            return
        server = Server(app=SiteApp(site, state))
        loop = IOLoop.current()
        rebuild.on_built = lambda: loop.add_callback(LiveReloadHandler.reload_waiters)
        for path in watched:  # 'forever': livereload does not reload by itself; a finished rebuild tells it to
            server.watch(str(path), rebuild, delay="forever", ignore=rebuild.ignored)
        log.info("Serving %s on %s (Ctrl-C to stop)", source_dir, url)
        server.serve(host=host, port=port, debug=False, restart_delay=0, open_url_delay=0.5 if open_browser else None)
    finally:
        if temporary:
            shutil.rmtree(site.parent, ignore_errors=True)


def serve_plainly(app, host: str, port: int, open_browser: bool, url: str) -> None:
    """Serve a WSGI app with the standard library's server, a thread per request, until interrupted."""
    import socketserver
    import webbrowser
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the signature http.server gives it
            log.debug(format, *args)

    class Threaded(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    with make_server(host, port, app, server_class=Threaded, handler_class=Quiet) as server:
        if open_browser:
            webbrowser.open(url)
        server.serve_forever()
