"""What `briefgen serve` does on a save, once it has rebuilt before (spaCy imported, the model loaded): edit one
article and build again in the same process. Prints that build's wall time and stage timings as JSON."""

import json
import sys
import time
from pathlib import Path

from briefgen.commands.build import build

src, out, jobs, edited, tag = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5]


def edit(note: str) -> None:
    edited.write_text(edited.read_text(encoding="utf-8") + f"\n{note}\n", encoding="utf-8")


edit(f"A late paragraph was added by editor {tag}.")
build(src, out, jobs=jobs)  # the server's earlier rebuild
edit(f"And a correction was added by editor {tag}.")
started = time.perf_counter()
result = build(src, out, jobs=jobs)
wall = time.perf_counter() - started
print(json.dumps({"wall": wall, "command": wall, "timings": result.timings, "parsed": result.parsed}))
