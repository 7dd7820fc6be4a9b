"""Score briefgen's quote extractor on PolNeAR (../shared/eval/quotes_public.jsonl), read at run time.

Prints direct-quote recall, precision of attributed quotes, and resolved-speaker accuracy, as suggested by the
eval set's README: a quote matches when the predicted span covers at least half of the gold span's characters;
a speaker is right when the canonical name shares a capitalised word with the gold speaker (pronouns resolved).
The texts belong to their publishers: nothing from them is written anywhere.

    python bench/quotes_eval.py [--data PATH] [--errors]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "eval" / "quotes_public.jsonl"
STOP = {"The", "A", "An", "U.S.", "US", "Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov.", "President", "In", "Of"}


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def cap_words(text: str) -> set[str]:
    return {w.strip(".,'’()") for w in re.findall(r"[A-Z][\w.'’-]+", text or "")} - STOP


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", action="store_true", help="print every miss and wrong speaker")
    parser.add_argument("--model", help="spaCy model package (default: briefgen's default model)")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"eval set not found: {args.data}", file=sys.stderr)
        return 1

    from briefgen.config import default_model
    from briefgen.consolidate.people import merge_people
    from briefgen.extract import SourceFacts, extract_source
    from briefgen.parse import load_model
    from briefgen.structure import Source

    nlp = load_model(args.model or default_model())
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    started = time.perf_counter()
    docs = list(nlp.pipe(row["text"] for row in rows))
    parse_seconds = time.perf_counter() - started

    gold_direct = found_direct = speaker_right = speaker_right_all = 0
    mention_right = 0
    attributed = attributed_in_gold = attributed_speaker_right = 0
    started = time.perf_counter()
    for row, doc in zip(rows, docs):
        source = Source(id="doc", path="doc", title="doc", text=row["text"])
        facts: SourceFacts = extract_source(doc, source)
        people, speakers = merge_people([facts])
        names = {p.id: p.name for p in people}
        predicted = [(q, names.get(speakers.get(q.id) or "", None) if q.speaker_text else None) for q in facts.quotes]
        gold = row["quotes"]

        def best_pred(g):
            span = (g["start"], g["end"])
            length = max(1, g["end"] - g["start"] - 2)  # gold spans include their marks
            scored = [(overlap(span, (q.start, q.end)), q, name) for q, name in predicted]
            scored = [s for s in scored if s[0] >= 0.5 * length]
            return max(scored, key=lambda s: s[0]) if scored else None

        def right(name, g):
            return bool(name) and bool(cap_words(name) & cap_words(g["speaker"]))

        for g in gold:
            if g["type"] != "direct":
                continue
            gold_direct += 1
            hit = best_pred(g)
            if hit is None:
                if args.errors:
                    print(f"MISS  {row['id'][:40]} {g['quote'][:80]!r}")
                continue
            found_direct += 1
            _, q, name = hit
            ok = right(name, g)
            speaker_right += ok
            speaker_right_all += ok
            if q.speaker_start is not None and overlap(
                (q.speaker_start, q.speaker_end), (g["speaker_start"], g["speaker_end"])
            ):
                mention_right += 1
            if args.errors and not ok:
                print(
                    f"WHO   {row['id'][:40]} {g['quote'][:60]!r}: got {name!r} ({q.speaker_text!r}), gold {g['speaker']!r}"
                )
        for q, name in predicted:
            if name is None:
                continue
            attributed += 1
            matches = [
                g for g in gold if overlap((g["start"], g["end"]), (q.start, q.end)) >= 0.5 * max(1, q.end - q.start)
            ]
            if matches:
                attributed_in_gold += 1
                attributed_speaker_right += any(right(name, g) for g in matches)
            elif args.errors:
                print(f"FP    {row['id'][:40]} {q.text[:60]!r} -> {name!r}")
    extract_seconds = time.perf_counter() - started

    print(f"PolNeAR public dev sample: {len(rows)} articles, {gold_direct} direct quotes")
    print(f"{'':34}{'briefgen':>10}{'textacy 0.13 (README)':>24}{'goal':>8}")
    print(f"{'direct-quote recall':34}{found_direct / gold_direct:>10.3f}{0.863:>24.3f}{'>=0.92':>8}")
    print(
        f"{'precision of attributed quotes':34}{attributed_in_gold / max(1, attributed):>10.3f}{0.955:>24.3f}{'>=0.96':>8}"
    )
    print(
        f"{'resolved speaker (found quotes)':34}{speaker_right / max(1, found_direct):>10.3f}{0.635:>24.3f}{'>=0.88':>8}"
    )
    print(f"{'resolved speaker (all gold direct)':34}{speaker_right_all / gold_direct:>10.3f}")
    print(f"{'speaker mention overlap':34}{mention_right / max(1, found_direct):>10.3f}{0.924:>24.3f}")
    print(f"{'attributed with right speaker':34}{attributed_speaker_right / max(1, attributed):>10.3f}")
    print(f"parse {parse_seconds:.1f}s, extraction {extract_seconds:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
