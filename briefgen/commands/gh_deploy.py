"""`briefgen gh-deploy`: build, then commit the site as the whole content of a branch with ghp-import and push."""

from __future__ import annotations

import logging
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

from briefgen import __version__
from briefgen.commands.build import build, check_source_dir
from briefgen.errors import BriefgenError

log = logging.getLogger("briefgen")


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


@contextmanager
def working_directory(path: Path):
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def remote_cname(repo: Path, remote: str, branch: str) -> str | None:
    """The CNAME on the published branch, if any (the classic way custom domains get lost)."""
    git("fetch", "--quiet", remote, f"{branch}:refs/remotes/{remote}/{branch}", cwd=repo)
    shown = git("show", f"refs/remotes/{remote}/{branch}:CNAME", cwd=repo)
    return shown.stdout.strip() or None if shown.returncode == 0 else None


def check_names(remote: str, branch: str, cwd: Path) -> None:
    """A remote and a branch name, never an option: they reach git's command line."""
    if remote.startswith("-") or not remote.strip() or any(c.isspace() or c in "\\:?*[~^" for c in remote):
        raise BriefgenError(f"--remote {remote!r}: not a git remote name")
    if branch.startswith("-") or git("check-ref-format", "--branch", branch, cwd=cwd).returncode != 0:
        raise BriefgenError(f"--branch {branch!r}: not a valid git branch name")


def gh_deploy(
    source_dir: Path,
    output: Path,
    remote: str = "origin",
    branch: str = "gh-pages",
    message: str | None = None,
    cname: str | None = None,
    force: bool = False,
    strict: bool = False,
    site_url: str | None = None,
    dry_run: bool = False,
    config_file: Path | None = None,
) -> str:
    """Deploy; returns the commit message used. With `dry_run`, build and say what would be pushed where, and
    push nothing."""
    import ghp_import

    output = output.resolve()  # the folder this build writes, wherever git runs from below
    check_source_dir(source_dir)
    check_names(remote, branch, source_dir.resolve())
    top = git("rev-parse", "--show-toplevel", cwd=source_dir.resolve())
    if top.returncode != 0:
        raise BriefgenError(f"{source_dir}: not inside a git repository; gh-deploy publishes to a branch of one")
    repo = Path(top.stdout.strip())
    if git("remote", "get-url", remote, cwd=repo).returncode != 0:
        raise BriefgenError(f"{repo}: no git remote named '{remote}' (add it with 'git remote add {remote} URL')")
    result = build(source_dir, output, strict=strict, site_url=site_url, config_file=config_file)
    cname = cname or result.config.cname
    published = remote_cname(repo, remote, branch)
    if published and published != cname:
        log.warning(
            "The published branch '%s' has CNAME '%s' but this build has %s; deploying will remove the "
            "custom domain (use --cname or 'cname:' in briefing.yml)",
            branch,
            published,
            f"'{cname}'" if cname else "none",
        )
    head = git("rev-parse", "--short", "HEAD", cwd=repo)
    sha = head.stdout.strip() if head.returncode == 0 else "unknown"
    message = message or f"Deployed {sha} with briefgen {__version__}"
    if dry_run:
        url = git("remote", "get-url", remote, cwd=repo).stdout.strip()
        log.warning(
            "Dry run: would commit %s as the whole of branch '%s' (message: %r%s) and push it to %s (%s)%s; "
            "nothing was pushed",
            output,
            branch,
            message,
            f", CNAME {cname}" if cname else "",
            remote,
            url,
            ", forced" if force else "",
        )
        return message
    with working_directory(repo):
        try:
            ghp_import.ghp_import(
                str(output),
                mesg=message,
                remote=remote,
                branch=branch,
                push=True,
                force=force,
                nojekyll=True,
                cname=cname,
            )
        except (ghp_import.GhpError, subprocess.CalledProcessError, OSError) as exc:
            detail = " ".join(str(exc).split())[:300]
            raise BriefgenError(f"gh-deploy: could not publish to {remote}/{branch}: {detail}") from None
    log.info("Published %s to %s/%s", output, remote, branch)
    return message
