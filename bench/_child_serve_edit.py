"""What `briefgen serve` does on a save, once it has rebuilt before (spaCy imported, the model loaded): edit one
article and build again in the same process. Prints that build's wall time and stage timings as JSON."""

import json
import sys
import time
from pathlib import Path

from briefgen.cli import one_blas_thread

one_blas_thread()  # as `briefgen serve` does, before anything imports numpy
from briefgen.commands.build import build  # noqa: E402
from corpus import edit_article  # noqa: E402

src, out, jobs, edited = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])

edit_article(edited)
build(src, out, jobs=jobs)  # the server's earlier rebuild
edit_article(edited)
started = time.perf_counter()
result = build(src, out, jobs=jobs)
wall = time.perf_counter() - started
print(json.dumps({"wall": wall, "command": wall, "timings": result.timings, "parsed": result.parsed}))
