"""Render: turn a Briefing into the site's files (HTML pages, assets, briefing.json), all in memory."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2

from briefgen.errors import BriefgenError
from briefgen.export import briefing_json
from briefgen.structure import Briefing

PACKAGE_ROOT = Path(__file__).resolve().parent


def asset_dir(name: str) -> Path:
    """`templates/` or `static/`: inside the installed package (wheel), else beside it (source checkout)."""
    for candidate in (PACKAGE_ROOT / name, PACKAGE_ROOT.parent / name):
        if candidate.is_dir():
            return candidate
    raise BriefgenError(f"briefgen's own {name}/ folder is missing from the installation")


def environment(user_templates: Path | None) -> jinja2.Environment:
    """Autoescaping Jinja environment; a file in the briefing's templates/ overrides the built-in one of that name."""
    search = [str(user_templates)] if user_templates and user_templates.is_dir() else []
    search.append(str(asset_dir("templates")))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render_page(env: jinja2.Environment, template: str, path: str, **context) -> bytes:
    depth = path.count("/")
    root = "../" * depth
    try:
        html = env.get_template(template).render(root=root, page_path=path, **context)
    except jinja2.TemplateSyntaxError as exc:
        raise BriefgenError(f"template {exc.filename or exc.name}: syntax error at line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise BriefgenError(f"template {exc.name} not found") from None
    except jinja2.UndefinedError as exc:
        raise BriefgenError(f"template {template}: {exc.message}") from None
    return html.encode("utf-8")


def static_files() -> dict[str, bytes]:
    root = asset_dir("static")
    return {
        f"static/{p.relative_to(root).as_posix()}": p.read_bytes()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def render_site(briefing: Briefing, language: str = "en", user_templates: Path | None = None) -> dict[str, bytes]:
    env = environment(user_templates)
    context = {"b": briefing, "language": language}
    files: dict[str, bytes] = {
        "index.html": render_page(env, "index.html", "index.html", **context),
        "briefing.json": briefing_json(briefing),
        ".nojekyll": b"",
    }
    files.update(static_files())
    return files
