"""mypy on briefgen/, against a baseline that only shrinks: `python tests/mypy_baseline.py` fails on any error
not in `tests/mypy-baseline.txt` (each kept as file: message, without line numbers, which move), and says when
errors in the baseline are gone (`--update` writes the smaller baseline)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tests" / "mypy-baseline.txt"


def errors() -> Counter:
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "briefgen", "--no-error-summary", "--hide-error-context", "--no-pretty"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    found = Counter()
    for line in out.stdout.splitlines():
        match = re.match(r"^(.+?):\d+(?::\d+)?: error: (.*)$", line)
        if match:
            found[f"{match.group(1)}: {match.group(2)}"] += 1
    if out.returncode not in (0, 1) or (out.returncode == 1 and not found):
        raise SystemExit(f"mypy did not run: {out.stderr or out.stdout}")
    return found


def main() -> int:
    found = errors()
    if "--update" in sys.argv:
        BASELINE.write_text("".join(f"{line}\n" for line in sorted(found.elements())), encoding="utf-8")
        print(f"mypy baseline: {sum(found.values())} errors written to {BASELINE.name}")
        return 0
    known = (
        Counter(line for line in BASELINE.read_text(encoding="utf-8").splitlines() if line)
        if BASELINE.exists()
        else Counter()
    )
    new = found - known
    if new:
        print("mypy: errors not in the baseline (fix them; the baseline only shrinks):")
        print("\n".join(f"  {line}" for line in sorted(new.elements())))
        return 1
    gone = sum((known - found).values())
    print(
        f"mypy: {sum(found.values())} known errors, none new"
        + (f"; {gone} fixed: run `python tests/mypy_baseline.py --update` to shrink the baseline" if gone else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
