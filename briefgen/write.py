"""Write: put the rendered site in place atomically: build beside the output, swap at the end, never half a site."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from filelock import FileLock, Timeout

from briefgen.errors import BriefgenError

SITE_MARKER = "briefing.json"  # an output folder without it is not ours to replace


def lock_for(output: Path) -> FileLock:
    output = output.resolve()
    return FileLock(str(output.parent / f".{output.name}.briefgen.lock"), timeout=0)


@contextmanager
def exclusive(output: Path):
    """Refuse a second build writing to the same output while one runs."""
    output.resolve().parent.mkdir(parents=True, exist_ok=True)
    lock = lock_for(output)
    try:
        lock.acquire()
    except Timeout:
        raise BriefgenError(f"{output}: another briefgen build is running on this folder; try again when it ends") from None
    try:
        yield
    finally:
        lock.release()


def check_output(output: Path, source_dir: Path) -> None:
    """Never replace the briefing folder itself, a folder holding it, or a folder that is not a briefgen site."""
    out = output.resolve()
    src = source_dir.resolve()
    if out == src or src.is_relative_to(out):
        raise BriefgenError(f"{output}: the output folder would replace the briefing folder {source_dir}; choose another")
    if out == Path(out.anchor) or out == Path.home():
        raise BriefgenError(f"{output}: refusing to use this folder as the output")
    if out.exists():
        if not out.is_dir():
            raise BriefgenError(f"{output}: exists and is not a folder")
        if any(out.iterdir()) and not (out / SITE_MARKER).exists():
            raise BriefgenError(
                f"{output}: exists, is not empty and holds no {SITE_MARKER}, so it is not a briefgen site; "
                f"refusing to replace it (choose another output folder or empty it)"
            )


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
            _DISCARDING.append(subprocess.Popen([rm, "-rf", "--", str(folder)], stdin=subprocess.DEVNULL,
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                                start_new_session=True))
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


def publish(files: dict[str, bytes], output: Path, finish=None) -> None:
    """Write every file into a temporary folder beside `output`, run `finish(folder)` on it (the search
    index), then swap it in."""
    out = output.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".briefgen-tmp-{out.name}-", dir=out.parent))
    try:
        for rel in sorted(files):
            target = safe_target(tmp, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[rel])
        if finish is not None:
            finish(tmp)
        os.chmod(tmp, 0o755)
        old = out.parent / f".briefgen-old-{out.name}-{os.getpid()}" if out.exists() else None
        with signals_deferred():
            if old:
                os.rename(out, old)
            os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old:
        discard(old, out.parent / f".briefgen-trash-{out.name}-{os.getpid()}")
