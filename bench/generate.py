"""A deterministic synthetic library of any size, built from the demo page's vocabulary.

Titles, abstracts, authors, years, tags and statuses are drawn with a seeded
random generator from the words and sentences of the bundled demo page copy,
so term statistics look like real paper metadata and every run with the same
seed and size gives the same library.

    python bench/generate.py --papers 10000 --library /tmp/bench-10k
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from shelf.domain import Paper, ReadingState, Status
from shelf.formats import hf_text
from shelf.library import Library
from shelf.paths import DEMO_FILE, demo_file

# fmt: off
FIRST = ["Alice", "Bo", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
         "Kavya", "Liam", "Mei", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq",
         "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe"]
LAST = ["Abe", "Brown", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
        "Jung", "Kowalski", "Li", "Moreau", "Nakamura", "Okafor", "Patel", "Quinn", "Rossi",
        "Schmidt", "Tanaka", "Ueda", "Varga", "Wang", "Xu", "Yilmaz", "Zhang"]
TAGS = ["survey", "benchmark", "theory", "vision", "nlp", "robotics", "rl-agents", "continual",
        "adapters", "distillation", "pruning", "multilingual", "speech", "medical", "graph"]
# fmt: on
#: How statuses are spread in a library that has been used for a while.
STATUS_WEIGHTS = {
    Status.INBOX: 60,
    Status.TO_READ: 15,
    Status.READING: 3,
    Status.READ: 12,
    Status.SKIPPED: 10,
}  # fmt: skip


class Vocabulary:
    """Words and sentences of the demo page, to recombine."""

    def __init__(self) -> None:
        parsed = hf_text.read(demo_file().read_text(encoding="utf-8"), DEMO_FILE)
        self.title_words = [w for p in parsed.papers for w in p.title.split()]
        self.sentences = [
            s.strip()
            for p in parsed.papers
            for s in re.split(r"(?<=[.!?])\s+", p.abstract)
            if len(s.split()) >= 6
        ]
        self.words = sorted(
            {w.lower() for s in self.sentences for w in re.findall(r"[A-Za-z]{4,}", s)}
        )


def papers(count: int, seed: int = 1) -> Iterator[Paper]:
    """``count`` distinct synthetic papers, the same ones for the same seed."""
    rng = random.Random(seed)
    vocab = Vocabulary()
    for number in range(count):
        length = rng.randint(5, 12)
        title = " ".join(rng.choice(vocab.title_words) for _ in range(length))
        # A made-up word in a few titles gives rare terms, as real libraries have.
        if rng.random() < 0.2:
            title += (
                " "
                + rng.choice(vocab.words).capitalize()
                + rng.choice(("Net", "Former", "GPT", "-X"))
            )
        sentences = rng.sample(vocab.sentences, rng.randint(4, 8))
        abstract = " ".join(sentences)
        authors = tuple(f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 6)))
        year = rng.randint(1995, 2025)
        month = rng.randint(1, 12)
        arxiv_id = f"{year % 100:02d}{month:02d}.{number % 100000:05d}" if year >= 2007 else None
        doi = None if arxiv_id else f"10.5555/synthetic.{number}"
        yield Paper(title=title, abstract=abstract, authors=authors, year=year,
                    arxiv_id=arxiv_id, doi=doi)  # fmt: skip


def personal_state(
    count: int, seed: int = 1
) -> Iterator[tuple[int, Status, bool, tuple[str, ...]]]:
    """(index, status, starred, tags) for papers that are not plain inbox entries."""
    rng = random.Random(seed + 1)
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    for index in range(count):
        status = rng.choices(statuses, weights)[0]
        starred = rng.random() < 0.05
        tags = tuple(rng.sample(TAGS, rng.randint(1, 3))) if rng.random() < 0.2 else ()
        if status is not Status.INBOX or starred or tags:
            yield index, status, starred, tags


def build(directory: Path, count: int, seed: int = 1) -> Library:
    """A library of ``count`` synthetic papers with realistic reading state.

    The papers go in as users' papers do: a JSON paper list, through ``import_paths``.
    """
    library = Library.open(directory)
    with tempfile.TemporaryDirectory(prefix="shelf-bench-") as scratch:
        listing = Path(scratch) / "papers.json"
        listing.write_text(json.dumps([_record(p) for p in papers(count, seed)]), "utf-8")
        library.import_paths([listing])
    ids = [entry.id for entry in library.entries()]  # inbox, newest first: stable order
    library.restore_states(
        (ids[index], ReadingState(status=status, starred=starred, tags=tags))
        for index, status, starred, tags in personal_state(count, seed)
    )
    return library


def _record(paper: Paper) -> dict[str, object]:
    return {
        "title": paper.title,
        "authors": list(paper.authors),
        "year": paper.year,
        "venue": paper.venue,
        "abstract": paper.abstract,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--library", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    with build(args.library, args.papers, args.seed) as library:
        print(f"{library.count()} papers in {args.library} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
