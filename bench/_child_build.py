"""Run one `briefgen build` in this process and print its wall time, stage timings and peak memory as JSON; the
process set up and ended as the command line does (`briefgen.cli.one_blas_thread`, `briefgen.cli.before_exit`)."""

import json
import resource
import sys
import time
from pathlib import Path

from briefgen.cli import before_exit, one_blas_thread

one_blas_thread()  # as `briefgen` does, before anything imports numpy
from briefgen.commands.build import build  # noqa: E402

started = time.perf_counter()
result = build(Path(sys.argv[1]), Path(sys.argv[2]), jobs=int(sys.argv[3]) if len(sys.argv) > 3 else None)
wall = time.perf_counter() - started
print(
    json.dumps(
        {
            "wall": wall,
            "timings": result.timings,
            "parsed": result.parsed,
            "rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        }
    )
)
before_exit()
