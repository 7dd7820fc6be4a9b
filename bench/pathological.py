"""Pathological text: every stage near-linear in an article's length, whatever it holds.

Builds articles of about the same size (default 1 MB) of ordinary prose and of hostile shapes (thousands of nested
quote marks, a mix of every quote mark, one endless paragraph, one endless sentence, a crowd of names) and times
cleaning, parsing and extraction of each in this process, as `briefgen build --no-cache --jobs 1` runs them. The
goal (issue 19): each hostile article takes under 2x the time of the ordinary one.

    .venv/bin/python bench/pathological.py [--size 1000000] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = (
    "the council said on Tuesday that the plan would go ahead after a long debate over costs and the "
    "mayor told reporters she expected a vote within weeks while critics warned of delays"
).split()


def ordinary(size: int, rng: random.Random) -> str:
    names = ["Maria Lopez", "Tom Baker", "Ana Silva", "the minister", "a spokesman"]
    paragraphs = []
    while sum(len(p) + 1 for p in paragraphs) < size:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40)))
        kind = rng.random()
        if kind < 0.3:
            paragraphs.append(f'"{words.capitalize()}," {rng.choice(names)} said.')
        else:
            paragraphs.append(words.capitalize() + ".")
    return "\n".join(paragraphs)


def nested_marks(size: int, rng: random.Random) -> str:
    depth = 2000  # 4,000 marks per paragraph, opening then closing
    paragraphs = []
    while sum(len(p) + 1 for p in paragraphs) < size:
        opening = "".join(f"“{rng.choice(WORDS)} " for _ in range(depth))
        paragraphs.append(f"He said {opening}end" + "” said" * depth + ".")
    return "\n".join(paragraphs)


def mixed_marks(size: int, rng: random.Random) -> str:
    marks = ['"', "“", "”", "„", "«", "»", "'", "‘", "’"]
    out, length = [], 0
    while length < size:
        piece = rng.choice(marks) if rng.random() < 0.5 else rng.choice(WORDS)
        piece += rng.choice(["", " ", " ", ", ", ". "]) if rng.random() < 0.5 else " "  # one endless paragraph
        out.append(piece)
        length += len(piece)
    return "".join(out)


def one_paragraph(size: int, rng: random.Random) -> str:
    return ordinary(size, rng).replace("\n", " ")


def one_sentence(size: int, rng: random.Random) -> str:
    out, length = [], 0
    while length < size:
        word = rng.choice(WORDS) + (' "' if rng.random() < 0.02 else " ")
        out.append(word)
        length += len(word)
    return "".join(out) + "."


def many_names(size: int, rng: random.Random) -> str:
    first = ["Maria", "Tom", "Ana", "Lena", "Omar", "Jun", "Ravi", "Ines", "Karl", "Zoe"]
    last = ["Lopez", "Baker", "Silva", "Novak", "Haddad", "Kim", "Patel", "Costa", "Berg", "Ward"]
    paragraphs = []
    while sum(len(p) + 1 for p in paragraphs) < size:
        people = ", ".join(f"{rng.choice(first)} {rng.choice(last)}" for _ in range(8))
        paragraphs.append(f'"We will {rng.choice(WORDS)}," he said, as {people} and she said she agreed.')
    return "\n".join(paragraphs)


CASES = {
    "ordinary": ordinary,
    "nested-marks": nested_marks,
    "mixed-marks": mixed_marks,
    "one-paragraph": one_paragraph,
    "one-sentence": one_sentence,
    "many-names": many_names,
}


def run_case(text: str, nlp) -> dict[str, float]:
    from briefgen.clean import clean_article
    from briefgen.extract import extract_source
    from briefgen.structure import Article

    times = {}
    started = time.perf_counter()
    article = Article(path="a.txt", title="A headline for the bench", body=text, format="txt")
    source = clean_article(article, "a")
    times["clean"] = time.perf_counter() - started
    started = time.perf_counter()
    nlp.max_length = max(nlp.max_length, len(source.text) + 1)
    doc = nlp(source.text)
    times["parse"] = time.perf_counter() - started
    started = time.perf_counter()
    extract_source(doc, source)
    times["extract"] = time.perf_counter() - started
    times["total"] = sum(times.values())
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters per article")
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="run only these cases (and ordinary)")
    args = parser.parse_args()
    from briefgen.config import default_model
    from briefgen.parse import load_model

    nlp = load_model(default_model())
    names = ["ordinary"] + [n for n in CASES if n != "ordinary" and (not args.only or n in args.only)]
    base = None
    print(f"{'case':14} {'chars':>9} {'clean':>7} {'parse':>7} {'extract':>8} {'total':>7}  ratio")
    worst = 0.0
    for name in names:
        text = CASES[name](args.size, random.Random(7))
        times = run_case(text, nlp)
        base = base or times["total"]
        ratio = times["total"] / base
        worst = max(worst, ratio)
        print(
            f"{name:14} {len(text):9,} {times['clean']:7.2f} {times['parse']:7.2f} {times['extract']:8.2f} "
            f"{times['total']:7.2f}  {ratio:.2f}x",
            flush=True,
        )
    print(f"worst ratio to ordinary text: {worst:.2f}x (goal: under 2x)")
    return 0 if worst < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
