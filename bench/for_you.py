"""How long the first page of the for-you order takes, on a library ``generate.py`` made.

    python bench/generate.py --papers 10000 --library /tmp/fy10k
    python bench/for_you.py /tmp/fy10k

Prints the median wall time of ``shelf list --sort for-you -n 200`` (a fresh
process each time, as a user runs it; 200 is the app's page) beside ``shelf
list -n 200`` in the library's own order, and the time of the library call
alone (``Library.entries``, the process already up), and of the preview's
reason for the first paper (``Library.why_for_you``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from shelf.domain import Sort
from shelf.library import Library

PAGE = 200


def wall(library: Path, *args: str, runs: int) -> tuple[float, float]:
    """Median seconds of ``shelf --library LIBRARY ARGS`` in a fresh process: wall time,
    and CPU time (user and system; on a busy machine the steadier of the two)."""
    shelf = Path(sys.executable).with_name("shelf")
    env = {**os.environ, "SHELF_CONFIG": str(library / "no-config.toml")}
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([str(shelf), "--library", str(library), *args], check=True,
                       capture_output=True, env=env)  # fmt: skip
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    page = ("-n", str(PAGE))
    plain = wall(args.library, "list", *page, runs=args.runs)
    for_you = wall(args.library, "list", "--sort", "for-you", *page, runs=args.runs)
    with Library.open(args.library) as library:
        library.entries(limit=PAGE, sort=Sort.FOR_YOU)  # the index opened, caches warm
        calls, reasons = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            first = library.entries(limit=PAGE, sort=Sort.FOR_YOU)[0]
            calls.append(time.perf_counter() - started)
            started = time.perf_counter()
            library.why_for_you(first.id)
            reasons.append(time.perf_counter() - started)
        count = library.count()
    print(f"{count} papers, medians of {args.runs} runs:")
    print(f"  shelf list -n {PAGE}                  {plain[0]:.3f} s (CPU {plain[1]:.3f} s)")
    print(f"  shelf list --sort for-you -n {PAGE}   {for_you[0]:.3f} s (CPU {for_you[1]:.3f} s)")
    print(f"  Library.entries(for you), warm      {statistics.median(calls):.3f} s")
    print(f"  Library.why_for_you, warm           {statistics.median(reasons):.3f} s")


if __name__ == "__main__":
    main()
