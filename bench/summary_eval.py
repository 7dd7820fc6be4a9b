"""Score briefgen's overview on WikinewsSum (../shared/eval/summaries_public.jsonl), read at run time.

Every cluster is built with the real `briefgen build` into a temporary folder (the articles are written there
only for the run and deleted after); the overview is scored with ROUGE-1/2/L F (stemmed) against the whole
Wikinews article, side by side with lead-3 of the first article and sumy's TextRank (3 sentences), as in the
eval set's README. Nothing of the texts is kept.

    python bench/summary_eval.py [--data PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "eval" / "summaries_public.jsonl"


class SpacyTokenizer:
    """sumy's tokenizer interface over spaCy sentences: NLTK's punkt data would have to be downloaded."""

    language = "english"

    def __init__(self):
        import re

        from briefgen.config import default_model
        from briefgen.parse import load_model

        self.nlp = load_model(default_model())
        self.word = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$")

    def to_sentences(self, paragraph: str):
        return tuple(s.text.strip() for s in self.nlp(paragraph).sents if s.text.strip())

    def to_words(self, sentence: str):
        return tuple(w for w in sentence.split() if self.word.match(w.strip(".,;:!?\"'()")))


TOKENIZER: SpacyTokenizer | None = None


def tokenizer() -> SpacyTokenizer:
    global TOKENIZER
    TOKENIZER = TOKENIZER or SpacyTokenizer()
    return TOKENIZER


def lead3(text: str) -> str:
    from sumy.parsers.plaintext import PlaintextParser

    parser = PlaintextParser.from_string(text, tokenizer())
    return " ".join(str(s) for s in parser.document.sentences[:3])


def textrank(texts: list[str]) -> str:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.text_rank import TextRankSummarizer

    parser = PlaintextParser.from_string("\n\n".join(texts), tokenizer())
    summarizer = TextRankSummarizer(Stemmer("english"))
    return " ".join(str(s) for s in summarizer(parser.document, 3))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"eval set not found: {args.data}", file=sys.stderr)
        return 1
    from rouge_score import rouge_scorer

    from briefgen.commands.build import build

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    scores: dict[str, list[tuple[float, float, float]]] = {"lead-3": [], "TextRank": [], "briefgen": []}
    words: list[int] = []
    built = 0
    for row in rows:
        texts = [d["text"] for d in row["documents"]]
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "briefing"
            folder.mkdir()
            for n, doc in enumerate(row["documents"]):
                title = (doc.get("title") or f"Article {n + 1}").strip() or f"Article {n + 1}"
                (folder / f"{n:02d}.txt").write_text(f"{title}\n\n{doc['text']}\n", encoding="utf-8")
            try:
                result = build(folder, Path(tmp) / "site", use_cache=False, jobs=1)
            except Exception as exc:  # a cluster that does not build is a failure to report, not to hide
                print(f"{row['id']}: build failed: {exc}", file=sys.stderr)
                continue
        built += 1
        overview = " ".join(s.text for s in result.briefing.overview)
        words.append(len(overview.split()))
        for name, summary in (("lead-3", lead3(texts[0])), ("TextRank", textrank(texts)), ("briefgen", overview)):
            s = scorer.score(row["reference"], summary)
            scores[name].append((s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeL"].fmeasure))
    print(f"WikinewsSum public sample: {built} of {len(rows)} clusters built")
    print(f"{'':12}{'R-1':>7}{'R-2':>7}{'R-L':>7}")
    for name, values in scores.items():
        r1, r2, rl = (100 * statistics.mean(v[k] for v in values) for k in range(3))
        print(f"{name:12}{r1:7.1f}{r2:7.1f}{rl:7.1f}")
    print(f"briefgen overview length: mean {statistics.mean(words):.0f} words, max {max(words)} (goal: <= 120)")
    print(
        "goal: R-2 >= 13.0 and R-1 >= 31 (README baselines, NLTK sentences: lead-3 28.7/11.0, TextRank 32.0/9.3;"
        " here both baselines split sentences with spaCy)"
    )
    return 0 if built == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
