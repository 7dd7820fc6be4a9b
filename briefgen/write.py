"""Write: put the rendered site in place atomically: build beside the output, swap at the end, never half a site."""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import shutil
import signal
import stat
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from briefgen.errors import BriefgenError
from briefgen.structure import SITE_MARKER

log = logging.getLogger(__name__)


def lock_path(output: Path) -> Path:
    output = output.resolve()
    return output.parent / f".{output.name}.briefgen.lock"


@contextmanager
def exclusive(output: Path):
    """Refuse a second build writing to the same output while one runs. The lock file is removed when the build
    ends (unlinked while still locked; a build that opened the old file sees it was replaced and opens again)."""
    path = lock_path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefgenError(f"{output}: cannot create the folder that holds it ({exc.strerror})") from None
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BriefgenError(f"{path.parent}: cannot write beside the output folder ({exc.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise BriefgenError(
                f"{output}: another briefgen build is running on this folder; try again when it ends"
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the build before us removed the file we locked: lock the new one
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        os.close(fd)


def site_files(output: Path) -> dict[str, int] | None:
    """The files briefgen says it wrote into `output` (path -> size), or None when the folder has no valid mark."""
    try:
        data = json.loads((output / SITE_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in files.items()):
        return None
    return files


def foreign_files(output: Path) -> list[str] | None:
    """Files in `output` that briefgen did not write there (None: the folder has no briefgen mark at all)."""
    listed = site_files(output)
    if listed is None:
        return None
    found = []
    for root, dirs, names in os.walk(output):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            rel = os.path.relpath(os.path.join(root, name), output).replace(os.sep, "/")
            if rel != SITE_MARKER and rel not in listed:
                found.append(rel)
    return sorted(found)


def check_output(output: Path, source_dir: Path) -> None:
    """Never replace the briefing folder itself, a folder holding it, a home or root folder, or a folder holding
    anything briefgen did not write there."""
    out = output.resolve()
    src = source_dir.resolve()
    if out == src or src.is_relative_to(out):
        raise BriefgenError(
            f"{output}: the output folder would replace the briefing folder {source_dir}; choose another"
        )
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise BriefgenError(f"{output}: refusing to use this folder as the output")
    if not out.exists():
        return
    if not out.is_dir():
        raise BriefgenError(f"{output}: exists and is not a folder")
    if not any(out.iterdir()):
        return
    foreign = foreign_files(out)
    if foreign is None:
        raise BriefgenError(
            f"{output}: exists, is not empty and is not a briefgen site (it holds no {SITE_MARKER}); "
            f"refusing to replace it (choose another output folder or empty it)"
        )
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise BriefgenError(
            f"{output}: holds {foreign[0]!r}{more}, which briefgen did not write; refusing to replace the folder "
            f"(move the file out, or choose another output folder)"
        )


def write_whole(target: Path, data: bytes) -> None:
    """One file written whole or not at all, beside its target then renamed over it (never through a link or
    into something that is not a plain file); a failed write is one line naming the file."""
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise BriefgenError(f"{target}: not a plain file; refusing to write over it")
    try:
        handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        reason = "the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else exc.strerror or str(exc)
        raise BriefgenError(f"{target}: could not write ({reason})") from None


def write_failed(where: Path | str, exc: OSError) -> BriefgenError:
    """A failed write as one line: the file and the reason (a full disk, a read-only folder)."""
    reason = "the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) else exc.strerror or str(exc)
    return BriefgenError(f"{where}: could not write ({reason}); the last good site was kept")


def recover(output: Path) -> None:
    """If a build was killed between its two renames, put the previous site back."""
    out = output.resolve()
    if out.exists():
        return
    leftovers = sorted(out.parent.glob(f".briefgen-old-{out.name}-*"))
    if leftovers:
        os.rename(leftovers[-1], out)


def safe_target(root: Path, rel: str) -> Path:
    """A page path inside `root`; anything that would escape it is a bug, not a file to write."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or any(p in ("..", "") for p in parts):
        raise BriefgenError(f"refusing to write {rel!r}: outside the output folder")
    return root.joinpath(*parts)


@contextmanager
def signals_deferred():
    """Hold SIGINT/SIGTERM for the two renames of the swap, so a site is never left half-swapped."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


_DISCARDING: list[subprocess.Popen] = []  # deletions still running (kept so they are reaped, not warned about)


def discard(folder: Path, trash: Path) -> None:
    """Delete a replaced site without waiting for it (its thousand files take a fifth of a second to delete, a
    twentieth of a build after one edit): renamed to `trash` (so `recover` never mistakes it for a site to put
    back), then a detached `rm -rf` on POSIX systems; else deleted here and now."""
    _DISCARDING[:] = [proc for proc in _DISCARDING if proc.poll() is None]
    try:
        os.rename(folder, trash)
        folder = trash
    except OSError:
        pass
    rm = shutil.which("rm") if os.name == "posix" else None
    if rm:
        try:
            _DISCARDING.append(
                subprocess.Popen(
                    [rm, "-rf", "--", str(folder)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


class Staging:
    """The new site, written into a temporary folder beside `output` and swapped in whole at the end (never half a
    site). Use it as a context manager: a build that fails leaves no temporary folder behind."""

    def __init__(self, output: Path):
        self.out = output.resolve()
        self.tmp: Path | None = None

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if self.tmp is not None:  # not swapped in: the build failed
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def publish(self, files: dict[str, bytes], finish=None) -> None:
        """Write `files` (path -> bytes: the whole site), add the files `finish(folder)` makes of it (the search
        index), mark it as briefgen's and swap it in. A file with the same bytes as in the site it replaces is
        linked from there, not written again (after one edit, nearly every file)."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover(self.out)
        tmp = self.tmp = Path(tempfile.mkdtemp(prefix=f".briefgen-tmp-{self.out.name}-", dir=self.out.parent))
        live = self.out if self.out.is_dir() else None
        made: set[str] = set()
        for rel in sorted(files):
            _write(tmp, rel, files[rel], made, self.out, live)
        if finish is not None:
            extra = finish(tmp)
            for rel in sorted(extra):
                _write(tmp, rel, extra[rel], made, self.out, live)
        mark_site(tmp)
        os.chmod(tmp, 0o755)
        old = self.out.parent / f".briefgen-old-{self.out.name}-{os.getpid()}" if self.out.exists() else None
        with signals_deferred():
            if old:
                os.rename(self.out, old)
            os.rename(tmp, self.out)
            self.tmp = None
        if old:
            discard(old, self.out.parent / f".briefgen-trash-{self.out.name}-{os.getpid()}")


def _write(root: Path, rel: str, data: bytes, made: set[str], shown: Path, live: Path | None = None) -> None:
    """One file of the new site, checked: a write cut short (a full disk) fails the build, naming the file. When
    the site being replaced (`live`) holds a plain file of the same bytes at that path, it is linked instead."""
    target = safe_target(root, rel)
    try:
        _make_parent(root, rel, made)
        if live is not None and _same_file(safe_target(live, rel), data):
            try:
                os.link(safe_target(live, rel), target, follow_symlinks=False)
                return
            except OSError:  # a file system without hard links: written below
                pass
        with open(target, "wb") as handle:
            handle.write(data)
            handle.flush()
            written = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise write_failed(shown / rel, exc) from None
    if written != len(data):  # never publish a page cut short
        raise write_failed(shown / rel, OSError(errno.EIO, "written short"))


def _same_file(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file (not a link, a FIFO or a device) holding exactly `data`."""
    try:
        found = os.lstat(path)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
            return False
        with open(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb") as handle:
            return handle.read(len(data) + 1) == data
    except OSError:
        return False


def mark_site(folder: Path) -> None:
    """Write briefgen's mark into a finished site: every file in it (the pages and the search index) and its size."""
    files: dict[str, int] = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            files[os.path.relpath(path, folder).replace(os.sep, "/")] = os.lstat(path).st_size
    data = json.dumps({"generator": "briefgen", "files": dict(sorted(files.items()))}, indent=0).encode()
    try:
        with open(folder / SITE_MARKER, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise write_failed(folder / SITE_MARKER, exc) from None


def _make_parent(root: Path, rel: str, made: set[str]) -> None:
    parent = rel.rpartition("/")[0]
    if parent and parent not in made:
        (root / parent).mkdir(parents=True, exist_ok=True)
        made.add(parent)
