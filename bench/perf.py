"""Build-speed benchmark: briefgen against the spaCy floor, cold, warm and after one edit, at several sizes.

    python bench/perf.py [--sizes 100 300 1000] [--jobs 2] [--repeat 3]

For each size it prints, side by side and with the same model and the same cleaned texts: bare `nlp.pipe` in one
process and over all cores (the floor), `briefgen build` cold (empty parse cache), warm (nothing changed) and
after one article is edited (its last paragraph cut: `corpus.edit_article`), each as a whole command (a fresh
process, as a user runs it); the rebuild `briefgen serve` runs when an article is saved (in a process that has
rebuilt before: spaCy imported, the model loaded); the peak RSS; and the time split by stage. Ratios are
against the two-process bare parse measured in the same run. With --repeat N, every measurement is taken N
times, interleaved: times are the median run, ratios the median of each round's own ratios (shared machines are
noisy, and drift between rounds)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import EVAL, edit_article, make_corpus  # noqa: E402


def bare_parse(texts: list[str], n_process: int, one_blas_thread: bool = False) -> float:
    """Time spaCy alone, in a fresh process, over the given texts: the model as spaCy loads it, without the pipes
    briefgen never reads (briefgen's own stand-ins for two of its components are not used here); with
    `one_blas_thread`, numpy's BLAS set to one thread per process as briefgen sets it."""
    code = (
        "import json, sys, time\n"
        + ("from briefgen.cli import one_blas_thread\none_blas_thread()\n" if one_blas_thread else "")
        + "import spacy\n"
        "from briefgen.config import default_model\n"
        "from briefgen.parse import NEEDED_PIPES\n"
        "texts = json.load(sys.stdin)\n"
        "nlp = spacy.load(default_model())\n"
        "for name in [p for p in nlp.pipe_names if p not in NEEDED_PIPES]: nlp.remove_pipe(name)\n"
        "nlp.max_length = max(nlp.max_length, max(map(len, texts)) + 1)\n"
        "t = time.perf_counter()\n"
        f"for _ in nlp.pipe(texts, batch_size=16, n_process={n_process}): pass\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def run_build(src: Path, out: Path, cache: Path, jobs: int) -> dict:
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(HERE / "_child_build.py"), str(src), str(out), str(jobs)],
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["command"] = time.perf_counter() - started
    return data


def run_serve_edit(src: Path, out: Path, cache: Path, jobs: int, edited: Path) -> dict:
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(cache)}
    proc = subprocess.run(
        [sys.executable, str(HERE / "_child_serve_edit.py"), str(src), str(out), str(jobs), str(edited)],
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cleaned_texts(src: Path) -> list[str]:
    from briefgen.clean import clean_article, source_ids
    from briefgen.config import load_config
    from briefgen.load import load_articles

    config, _ = load_config(src)
    articles = load_articles(src, config).articles
    return [clean_article(a, ident).text for a, ident in zip(articles, source_ids(articles))]


def _peak(build: dict) -> float:
    return max(build["rss_self_mb"], build["rss_children_mb"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 3000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1, help="take each measurement N times; show the median")
    parser.add_argument("--no-single", action="store_true", help="skip the one-process bare parse (for big sizes)")
    args = parser.parse_args()
    if not (EVAL / "quotes_public.jsonl").exists():
        print(f"eval texts not found in {EVAL}", file=sys.stderr)
        return 1
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            src = tmp / "briefing"
            paths = make_corpus(n, src)
            runs = []
            for k in range(args.repeat):
                texts = cleaned_texts(src)  # the edit of the previous round included
                words = sum(len(t.split()) for t in texts)
                floor1 = float("nan") if args.no_single else bare_parse(texts, 1)
                floor2 = bare_parse(texts, args.jobs)
                floor_blas = bare_parse(texts, args.jobs, one_blas_thread=True)
                shutil.rmtree(tmp / "site", ignore_errors=True)
                shutil.rmtree(tmp / "cache", ignore_errors=True)
                cold = run_build(src, tmp / "site", tmp / "cache", args.jobs)
                warm = run_build(src, tmp / "site", tmp / "cache", args.jobs)
                edited = paths[(n // 2 + k) % n]
                edit_article(edited)
                edit = run_build(src, tmp / "site", tmp / "cache", args.jobs)
                served = run_serve_edit(src, tmp / "site", tmp / "cache", args.jobs, paths[(n // 3 + k) % n])
                runs.append((floor1, floor2, cold, warm, edit, served, floor_blas))
            floor1 = median([r[0] for r in runs])
            floor2 = median([r[1] for r in runs])
            cold, warm, edit, served = (
                sorted((r[i] for r in runs), key=lambda x: x["command"])[len(runs) // 2] for i in (2, 3, 4, 5)
            )
            rows.append((n, words, floor1, floor2, cold, warm, edit, served))
            print(f"\n{n} articles, {words:,} words (jobs={args.jobs}, median of {args.repeat})")
            print(f"  bare nlp.pipe, 1 process      {floor1:7.1f} s")
            print(f"  bare nlp.pipe, {args.jobs} processes    {floor2:7.1f} s   (the floor)")
            # briefgen sets one BLAS thread per process (briefgen.cli.one_blas_thread), which speeds spaCy up too
            quicker = median([r[1] / r[6] for r in runs])
            print(
                f"  the same, one BLAS thread each {median([r[6] for r in runs]):5.1f} s   (the floor is {quicker:.2f} x this; "
                f"cold is {median([r[2]['command'] / r[6] for r in runs]):.2f} x this)"
            )
            # ratios are taken within each round (its floor, its cold build: measured minutes apart, so a machine
            # that slows down or speeds up between rounds moves both), then the median ratio is shown
            for name, i, r in (
                ("cold (empty cache)", 2, cold),
                ("warm (no change)", 3, warm),
                ("one article edited", 4, edit),
                ("edit, under serve *", 5, served),
            ):
                x_floor = median([run[i]["command"] / run[1] for run in runs])
                of_cold = median([100 * run[i]["command"] / run[2]["command"] for run in runs])
                print(
                    f"  briefgen build {name:20}{r['command']:7.2f} s   {x_floor:5.2f} x floor"
                    f"   {of_cold:5.1f} % of cold   parsed {r['parsed']}"
                )
            if args.repeat > 1:
                print(
                    "  rounds (floor / one BLAS thread / cold / edit, s): "
                    + "; ".join(
                        f"{run[1]:.1f} / {run[6]:.1f} / {run[2]['command']:.1f} / {run[4]['command']:.2f}"
                        for run in runs
                    )
                )
            peak = _peak(cold)
            print(
                f"  peak RSS (cold): main {cold['rss_self_mb']:.0f} MB, largest worker {cold['rss_children_mb']:.0f} MB"
                f"   (goal <= 1536 MB: {'ok' if peak <= 1536 else 'OVER'})"
            )
            stages = "  ".join(f"{k} {v:.2f}" for k, v in cold["timings"].items())
            print(f"  cold stages (s): {stages}")
            stages = "  ".join(f"{k} {v:.2f}" for k, v in edit["timings"].items())
            print(f"  edit stages (s): {stages}")
            stages = "  ".join(f"{k} {v:.2f}" for k, v in served["timings"].items())
            print(f"  edit under serve (s): {stages}")
            print("  * the rebuild `briefgen serve` runs on a save: same process, model already loaded")
    print(
        "\nGoals at 300: cold <= 1.10 x floor; warm <= 5 % of cold; one edit <= 25 % of cold as a fresh build and "
        "<= 10 % under serve; peak RSS <= 1.5 GB at 1,000; time and memory near-linear to 3,000"
    )
    if len(rows) > 1:  # near-linear: these stay about flat as the briefing grows
        print(
            "Growth, cold time per 1,000 words:",
            ", ".join(f"{n}: {1000 * r['command'] / w:.3f} s" for n, w, _, _, r, *_ in rows),
        )
        print(
            "Growth, peak RSS per 1,000 words above the smallest size's:",
            ", ".join(
                f"{n}: {1000 * (_peak(r) - _peak(rows[0][4])) / max(1, w - rows[0][1]):.2f} MB"
                for n, w, _, _, r, *_ in rows[1:]
            ),
        )
        print(
            "Growth, edit under serve per 1,000 words:",
            ", ".join(f"{n}: {1000 * s['command'] / w:.4f} s" for n, w, *_, s in rows),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
