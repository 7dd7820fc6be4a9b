"""Build N distinct articles from the real texts in ../shared/eval/*.jsonl, at run time, into a folder.

Each article mixes paragraphs of two different source texts (about 650 words), so every article is distinct and
reads like news. Nothing is written inside the repository."""

from __future__ import annotations

import json
from pathlib import Path

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
TARGET_WORDS = 650


def source_texts(eval_dir: Path = EVAL) -> list[list[str]]:
    texts: list[list[str]] = []
    for line in (eval_dir / "quotes_public.jsonl").open(encoding="utf-8"):
        texts.append([p for p in json.loads(line)["text"].split("\n") if len(p.split()) >= 6][1:])
    for line in (eval_dir / "summaries_public.jsonl").open(encoding="utf-8"):
        for doc in json.loads(line)["documents"]:
            texts.append([p for p in doc["text"].split("\n") if len(p.split()) >= 6])
    return [t for t in texts if t]


def make_corpus(n: int, folder: Path, eval_dir: Path = EVAL) -> list[Path]:
    texts = source_texts(eval_dir)
    m = len(texts)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        a = texts[i % m]
        b = texts[(i % m + 1 + i // m) % m]
        rotation = i // m
        paragraphs: list[str] = []
        words = 0
        for k in range(max(len(a), len(b))):
            for pool in (a, b):
                if k < len(pool) and words < TARGET_WORDS:
                    paragraph = pool[(k + rotation) % len(pool)]
                    paragraphs.append(paragraph)
                    words += len(paragraph.split())
        path = folder / f"article-{i:04d}.txt"
        path.write_text(f"Article {i}: {paragraphs[0][:60]}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def edit_article(path: Path) -> None:
    """An editor's change to one article: its last paragraph cut (with one paragraph left, its last sentence; with
    one sentence, its last third). Content no other article shares: appending one fixed sentence instead, round
    after round, gave several articles the same words, which the briefing then reported as a claim of three
    sources, listed on every source page (so every page changed)."""
    title, _, body = path.read_text(encoding="utf-8").rstrip("\n").partition("\n\n")
    paragraphs = body.split("\n\n")
    words = paragraphs[-1].split()
    if len(paragraphs) > 1:
        paragraphs.pop()
    elif ". " in paragraphs[0]:
        paragraphs[0] = paragraphs[0].rpartition(". ")[0] + "."
    elif len(words) > 1:  # one sentence: its last third
        paragraphs[0] = " ".join(words[: len(words) - max(1, len(words) // 3)])
    else:
        raise ValueError(f"{path}: nothing left to cut")
    path.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
