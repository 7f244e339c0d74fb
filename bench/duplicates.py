"""How long finding duplicates takes on a synthetic library, without building one.

    python bench/duplicates.py --papers 100000

``shelf duplicates`` reads every paper's id, title key and first author, then
groups them (``domain.duplicates.find_duplicates``): this times the grouping on
the synthetic papers of ``generate`` (26 last names: blocks of about 4,000
papers by one first author, far more than a real library has), with some copies
planted: the same title by someone else, and a title with one word changed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import generate

from shelf.domain.duplicates import Candidate, find_duplicates
from shelf.domain.identity import normalize_title


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    count = parser.parse_args().papers
    candidates = [
        Candidate(f"p{n}", normalize_title(paper.title), paper.authors[0])
        for n, paper in enumerate(generate.papers(count))
    ]
    planted = candidates[:: max(1, count // 100)]
    for n, paper in enumerate(planted):
        copy = f"{paper.title_key} s" if n % 2 else paper.title_key
        candidates.append(Candidate(f"copy{n}", copy, paper.first_author))
    started = time.perf_counter()
    groups = find_duplicates(candidates)
    took = time.perf_counter() - started
    found = sum(1 for group in groups if any(i.startswith("copy") for i in group))
    print(f"{len(candidates):,} papers: {len(groups):,} groups in {took:.1f} s; "
          f"{found} of {len(planted)} planted copies found")  # fmt: skip


if __name__ == "__main__":
    main()
