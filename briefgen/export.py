"""Export: the briefing as JSON, in the shape of `briefing.schema.json` (the contract with other tools), and as
spreadsheet tables and a Markdown brief (`briefgen export`)."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources
from typing import Any

from briefgen import __version__
from briefgen.structure import Briefing, Source, Span, Statement

SCHEMA_VERSION = 1


def schema() -> dict:
    return json.loads(resources.files("briefgen").joinpath("data/briefing.schema.json").read_text(encoding="utf-8"))


def span(s: Span) -> dict:
    return {"source": s.source, "start": s.start, "end": s.end}


def statement(st: Statement, **extra: Any) -> dict:
    return {"text": st.text, "evidence": [span(e) for e in st.evidence], **extra}


WIRE_LISTED = 25


def briefing_dict(b: Briefing) -> dict:
    texts = {s.id: s.text for s in b.sources}
    claim_ids = [f"c{i + 1}" for i in range(len(b.claims))]
    groups = [sorted(group) for group in b.wire_groups]
    group_of = {member: group for group in groups for member in group}  # one list per group, not per member
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "briefgen", "version": __version__, "model": b.model},
        "title": b.title,
        "description": b.description,
        "overview": [statement(s) for s in b.overview],
        "sources": [
            {
                "id": s.id,
                "path": s.path,
                "title": s.title,
                "outlet": s.outlet,
                "url": s.url,
                "published": s.published,
                "author": s.author,
                "credits": s.credits,
                "word_count": s.word_count,
                "text": s.text,
                "removed": s.removed,
                "notes": s.notes,
                "summary": [
                    {"text": texts[x.source][x.start : x.end], "start": x.start, "end": x.end} for x in s.summary
                ],
                "url_path": s.url_path,
                # the first WIRE_LISTED others of its wire group, and how many there are: listing every one on
                # every member would grow as the square of the group (the whole group is in `wire_groups`)
                "wire_copy_with": [m for m in group_of.get(s.id, []) if m != s.id][:WIRE_LISTED],
                "wire_copy_count": len(group_of.get(s.id, [s.id])) - 1,
                "only_here": [claim_ids[i] for i in b.only_in.get(s.id, [])],
                "leaves_out": [claim_ids[i] for i in b.leaves_out.get(s.id, [])],
                "leaves_out_count": b.leaves_out_count.get(s.id, 0),
            }
            for s in b.sources
        ],
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "aliases": p.aliases,
                "role": p.role,
                "anonymous": p.anonymous,
                "kind": p.kind,
                "quotes": p.quotes,
                "mentions": [{"source": k, "count": v} for k, v in sorted(p.mentions.items())],
                "url_path": p.url_path,
            }
            for p in b.people
        ],
        "quotes": [
            {
                "id": q.id,
                "source": q.source,
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "partial": q.partial,
                "speaker": q.speaker,
                "speaker_text": q.speaker_text,
                "speaker_span": (
                    {"source": q.source, "start": q.speaker_start, "end": q.speaker_end}
                    if q.speaker_start is not None
                    else None
                ),
                "cluster": q.cluster,
            }
            for q in b.quotes
        ],
        "scope": {
            "applies": b.scope.applies,
            "before": [statement(s) for s in b.scope.before],
            "allowed": [statement(s) for s in b.scope.allowed],
            "prohibited": [statement(s) for s in b.scope.prohibited],
            "conditions": [statement(s) for s in b.scope.conditions],
        },
        "timeline": [statement(t, date=t.date, iso=t.iso, iso_inferred=t.inferred) for t in b.timeline],
        "claims": [statement(c, id=claim_ids[i], support=c.support) for i, c in enumerate(b.claims)],
        "divergences": [{"about": d.about, "positions": [statement(p) for p in d.positions]} for d in b.divergences],
        "wire_groups": groups,
    }


def briefing_json(b: Briefing) -> bytes:
    # compact: the C encoder is ten times faster than the indenting one, and the file is for programs
    return (json.dumps(briefing_dict(b), ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


# ------------------------------------------------------------------ tables and a Markdown brief, for people


def _outlet(s: Source) -> str:
    return s.outlet or s.title or s.id


def _cited(b: Briefing, evidence: list[Span]) -> tuple[str, str]:
    """The outlets and the source ids an item cites, each once, in order, joined by "; "."""
    by_id = {s.id: s for s in b.sources}
    ids = list(dict.fromkeys(e.source for e in evidence if e.source in by_id))
    return "; ".join(dict.fromkeys(_outlet(by_id[i]) for i in ids)), "; ".join(ids)


def tables(b: Briefing) -> dict[str, list[list[str]]]:
    """The briefing as spreadsheet tables (file name -> rows, the header first): quotes, claims, timeline,
    divergences. Every row names the sources it comes from."""
    by_id = {s.id: s for s in b.sources}
    names = {p.id: p.name for p in b.people}
    quotes = [["id", "quote", "speaker", "partial", "outlet", "source", "url", "published", "cluster"]]
    for q in b.quotes:
        s = by_id[q.source]
        speaker = names.get(q.speaker or "", "")
        row = [q.id, q.text, speaker, "yes" if q.partial else "no", _outlet(s), s.id, s.url or "", s.published or ""]
        quotes.append(row + [q.cluster])
    claims = [["id", "claim", "support", "outlets", "sources"]]
    for i, c in enumerate(b.claims):
        claims.append([f"c{i + 1}", c.text, str(c.support), *_cited(b, c.evidence)])
    timeline = [["date", "as written", "event", "inferred", "outlets", "sources"]]
    for t in b.timeline:
        timeline.append([t.iso or "", t.date, t.text, "yes" if t.inferred else "no", *_cited(b, t.evidence)])
    divergences = [["about", "position", "says", "outlets", "sources"]]
    for d in b.divergences:
        for n, p in enumerate(d.positions):
            divergences.append([d.about, str(n + 1), p.text, *_cited(b, p.evidence)])
    return {"quotes.csv": quotes, "claims.csv": claims, "timeline.csv": timeline, "divergences.csv": divergences}


def csv_bytes(rows: list[list[str]]) -> bytes:
    """RFC 4180 CSV in UTF-8 with a byte-order mark, so spreadsheet programs read accents right; a cell that
    starts like a formula (=, +, -, @) is prefixed with an apostrophe, so opening the file runs nothing."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["'" + cell if cell[:1] in ("=", "+", "-", "@") else cell for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _md(text: str) -> str:
    """Article text as Markdown text: nothing in it is read as markup."""
    return re.sub(r"([\\`*_{}\[\]<>#|!])", r"\\\1", " ".join(text.split()))


def markdown(b: Briefing) -> str:
    """The briefing as one Markdown brief: the story, what changed, the timeline, where the sources differ and
    the sources, each point citing its outlets."""

    def cite(evidence: list[Span]) -> str:
        outlets, _ = _cited(b, evidence)
        return f" *({_md(outlets)})*" if outlets else ""

    lines = [f"# {_md(b.title)}", ""]
    if b.description:
        lines += [_md(b.description), ""]
    lines += [" ".join(_md(s.text) for s in b.overview), ""]
    if b.scope.applies:
        for heading, items in (
            ("Before", b.scope.before),
            ("Now allowed", b.scope.allowed),
            ("Still prohibited", b.scope.prohibited),
            ("Conditions and exceptions", b.scope.conditions),
        ):
            if items:
                lines += [f"## {heading}", ""] + [f"- {_md(st.text)}{cite(st.evidence)}" for st in items] + [""]
    if b.timeline:
        lines += ["## Timeline", ""]
        lines += [f"- **{t.iso or _md(t.date)}** {_md(t.text)}{cite(t.evidence)}" for t in b.timeline] + [""]
    if b.divergences:
        lines += ["## Where the sources differ", ""]
        for d in b.divergences:
            sides = "; ".join(f"{_md(p.text)}{cite(p.evidence)}" for p in d.positions)
            lines.append(f"- {_md(d.about)}: {sides}")
        lines.append("")
    lines += ["## Sources", ""]
    for s in b.sources:
        date = f", {s.published}" if s.published else ""
        link = f" <{s.url}>" if s.url and re.match(r"https?://", s.url) and ">" not in s.url else ""
        lines.append(f"- {_md(_outlet(s))}: {_md(s.title)}{date}{link}")
    return "\n".join(lines).rstrip() + "\n"


def export_files(b: Briefing, fmt: str) -> dict[str, bytes]:
    """The files `briefgen export` writes for a format: csv (four tables), md (brief.md) or json (briefing.json)."""
    if fmt == "csv":
        return {name: csv_bytes(rows) for name, rows in tables(b).items()}
    if fmt == "md":
        return {"brief.md": markdown(b).encode("utf-8")}
    if fmt == "json":
        return {"briefing.json": briefing_json(b)}
    raise ValueError(f"unknown export format {fmt!r}")
