"""Export: the briefing as JSON, in the shape of `briefing.schema.json` (the contract with other tools)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from briefgen import __version__
from briefgen.structure import Briefing, Span, Statement

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
