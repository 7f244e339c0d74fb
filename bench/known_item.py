"""Known-item search: is the paper a researcher half-remembers the first hit, or in the top 10?

    python bench/known_item.py
    python bench/known_item.py --seed 2 --examples 5

For each corpus (the demo page copy and a BibTeX file) the same papers go into
three searchers: shelf (a fresh library, imported with the public API), plain
Whoosh (the tutorial's schema and ``MultifieldParser``, no fuzzy plugin) and
SQLite FTS5 (porter tokenizer, ranked by ``bm25``). The papers are taken from
shelf's library after the import, so all three index the same title, abstract
and authors, and hits are keyed by shelf's entry id.

From every paper whose title has at least three distinctive words (four letters
or more, not a stop word; the three rarest in the corpus are taken, in title
order) the script makes, with a fixed seed, four queries: the three title words;
the same with one typo; two of them and the first 3-5 letters of the third, as
typed; the first author's surname and one of the words. It prints, per corpus,
query kind and searcher, success@1, success@10 and the mean reciprocal rank of
the target within the top 10, then the wall time of each searcher.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sqlite3
import string
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.analysis import STOP_WORDS as WHOOSH_STOP_WORDS

from shelf.domain import ShelfError
from shelf.library import Library

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {
    "HF papers page copy": ROOT / "tests/fixtures/hf-papers-transfer-learning.txt",
    "d2l.bib": ROOT / "tests/fixtures/d2l.bib",
}
KINDS = ("title words", "one typo", "typed prefix", "author + title word")
SIDES = ("shelf", "plain Whoosh", "FTS5")
LIMIT = 10
#: The stop words of four letters or more: NLTK's English list, plus Whoosh's own.
# fmt: off
STOP_WORDS = frozenset({
    "about", "above", "after", "again", "against", "aren", "been", "before", "being", "below",
    "between", "both", "couldn", "didn", "does", "doesn", "doing", "down", "during", "each",
    "from", "further", "hadn", "hasn", "have", "haven", "having", "here", "hers", "herself",
    "himself", "into", "itself", "just", "mightn", "more", "most", "mustn", "myself", "needn",
    "once", "only", "other", "ours", "ourselves", "over", "same", "shan", "should", "shouldn",
    "some", "such", "than", "that", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "under", "until", "very", "wasn", "weren",
    "what", "when", "where", "which", "while", "whom", "will", "with", "wouldn", "your",
    "yours", "yourself", "yourselves",
}) | frozenset(WHOOSH_STOP_WORDS)
# fmt: on


@dataclass(frozen=True, slots=True)
class Doc:
    """One paper as all three searchers index it."""

    id: str
    title: str
    abstract: str
    authors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """Words a researcher types to find paper ``target``; ``prefix``: the last is unfinished."""

    kind: str
    target: str
    words: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)


#: A searcher: a query in, up to ``LIMIT`` paper ids out, best first ([] for a miss).
Searcher = Callable[[Query], list[str]]


@dataclass(slots=True)
class Side:
    """A searcher with the time it took to build and, so far, to answer."""

    search: Searcher
    build_seconds: float
    query_seconds: float = 0.0
    ranks: dict[str, list[int | None]] = field(default_factory=dict)


# -- the queries ------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return [token.lower() for token in re.findall(r"\w+", text)]


def document_frequency(docs: list[Doc]) -> Counter[str]:
    """In how many papers each word occurs, over titles and abstracts."""
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(set(tokens(f"{doc.title} {doc.abstract}")))
    return counts


def distinctive_words(title: str, df: Counter[str]) -> list[str]:
    """The title's three rarest words of four letters or more (no stop words), in title order.

    Ties in rarity go to the word that comes first. Fewer than three: [].
    """
    candidates = list(dict.fromkeys(
        word for word in tokens(title)
        if word.isalpha() and len(word) >= 4 and word not in STOP_WORDS
    ))  # fmt: skip
    if len(candidates) < 3:
        return []
    rarest = sorted(candidates, key=lambda word: (df[word], candidates.index(word)))[:3]
    return sorted(rarest, key=candidates.index)


def misspell(word: str, rng: random.Random) -> str:
    """``word`` with one typo: a letter deleted, two adjacent swapped, or an inner one changed.

    The first letter is never touched; the result always differs from ``word``.
    """
    while True:
        how = rng.choice(("delete", "swap", "substitute"))
        if how == "delete":
            at = rng.randrange(1, len(word))
            typo = word[:at] + word[at + 1 :]
        elif how == "swap":
            at = rng.randrange(1, len(word) - 1)
            typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        else:
            at = rng.randrange(1, len(word) - 1)
            letter = rng.choice([c for c in string.ascii_lowercase if c != word[at]])
            typo = word[:at] + letter + word[at + 1 :]
        if typo != word:
            return typo


def queries_for(doc: Doc, df: Counter[str], rng: random.Random) -> Iterator[Query]:
    words = distinctive_words(doc.title, df)
    if not words:
        return
    yield Query("title words", doc.id, tuple(words))
    long_ones = [i for i, word in enumerate(words) if len(word) >= 5]
    if long_ones:
        at = rng.choice(long_ones)
        typed = list(words)
        typed[at] = misspell(words[at], rng)
        yield Query("one typo", doc.id, tuple(typed))
    cut = rng.randint(3, 5)
    yield Query("typed prefix", doc.id, (*words[:2], words[2][:cut]), prefix=True)
    if doc.authors and doc.authors[0].split():
        surname = doc.authors[0].split()[-1]
        yield Query("author + title word", doc.id, (surname, rng.choice(words)))


def make_queries(docs: list[Doc], seed: int) -> list[Query]:
    """Every paper's queries, the same for the same papers and seed."""
    rng = random.Random(seed)
    df = document_frequency(docs)
    ordered = sorted(docs, key=lambda doc: doc.id)
    return [query for doc in ordered for query in queries_for(doc, df, rng)]


# -- the searchers ------------------------------------------------------------------------


def shelf_side(corpus: Path, directory: Path, stack: ExitStack) -> tuple[list[Doc], Side]:
    """A fresh shelf library with ``corpus`` imported; the papers as it stored them."""
    started = time.perf_counter()
    library = stack.enter_context(Library.open(directory))
    library.import_paths([corpus])
    assert library.pending == 0, "every paper is indexed"
    build = time.perf_counter() - started
    docs = [Doc(entry.id, entry.paper.title, entry.paper.abstract, entry.paper.authors)
            for entry in library.entries()]  # fmt: skip

    def search(query: Query) -> list[str]:
        try:
            if query.prefix:
                result = library.search_as_you_type(query.text, limit=LIMIT)
            else:
                result = library.search(query.text, limit=LIMIT)
        except ShelfError:  # refused (none of these queries should be)
            return []
        return [entry.id for entry in result.entries[:LIMIT]]

    return docs, Side(search, build)


def whoosh_side(docs: list[Doc], directory: Path) -> Side:
    """Whoosh as its tutorial uses it: one writer, one commit, the multifield parser."""
    from whoosh import fields, index, qparser

    started = time.perf_counter()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True),
        abstract=fields.TEXT(stored=True),
        author=fields.TEXT(stored=True),
    )
    ix = index.create_in(str(directory), schema)
    writer = ix.writer()
    for doc in docs:
        writer.add_document(
            id=doc.id, title=doc.title, abstract=doc.abstract, author=" ; ".join(doc.authors)
        )
    writer.commit()
    parser = qparser.MultifieldParser(["title", "abstract", "author"], schema)
    build = time.perf_counter() - started

    def search(query: Query) -> list[str]:
        text = f"{query.text}*" if query.prefix else query.text  # Whoosh's prefix syntax
        try:
            parsed = parser.parse(text)
            with ix.searcher() as searcher:
                return [hit["id"] for hit in searcher.search(parsed, limit=LIMIT)]
        except Exception:  # a query that does not parse or run is a miss
            return []

    return Side(search, build)


def fts5_match(query: Query) -> str:
    """Each word as an FTS5 string (implicit AND); the unfinished last word as a prefix."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in query.words]
    if query.prefix:
        quoted[-1] += "*"
    return " ".join(quoted)


def fts5_side(docs: list[Doc]) -> Side:
    """SQLite FTS5 in memory: porter stemming over unicode61, ranked by bm25."""
    started = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE papers USING fts5("
        "id UNINDEXED, title, abstract, authors, tokenize='porter unicode61')"
    )
    with db:
        db.executemany(
            "INSERT INTO papers (id, title, abstract, authors) VALUES (?, ?, ?, ?)",
            [(doc.id, doc.title, doc.abstract, " ; ".join(doc.authors)) for doc in docs],
        )
    build = time.perf_counter() - started

    def search(query: Query) -> list[str]:
        try:
            rows = db.execute(
                "SELECT id FROM papers WHERE papers MATCH ? ORDER BY bm25(papers) LIMIT ?",
                (fts5_match(query), LIMIT),
            ).fetchall()
        except sqlite3.Error:
            return []
        return [row[0] for row in rows]

    return Side(search, build)


# -- running and scoring -------------------------------------------------------------------


def rank_of(target: str, hits: list[str]) -> int | None:
    return hits.index(target) + 1 if target in hits[:LIMIT] else None


def run_queries(side: Side, queries: list[Query]) -> None:
    for query in queries:
        started = time.perf_counter()
        hits = side.search(query)
        side.query_seconds += time.perf_counter() - started
        side.ranks.setdefault(query.kind, []).append(rank_of(query.target, hits))


@dataclass(frozen=True, slots=True)
class CorpusRun:
    name: str
    papers: int
    queries: list[Query]
    sides: dict[str, Side]


def run_corpus(name: str, corpus: Path, seed: int, work: Path) -> CorpusRun:
    with ExitStack() as stack:
        (work / "shelf").mkdir()
        (work / "whoosh").mkdir()
        docs, shelf = shelf_side(corpus, work / "shelf", stack)
        sides = {"shelf": shelf, "plain Whoosh": whoosh_side(docs, work / "whoosh"),
                 "FTS5": fts5_side(docs)}  # fmt: skip
        queries = make_queries(docs, seed)
        for side in sides.values():
            run_queries(side, queries)
    return CorpusRun(name, len(docs), queries, sides)


def scores(ranks: list[int | None]) -> tuple[float, float, float]:
    """success@1, success@10 and mean reciprocal rank."""
    n = len(ranks)
    first = sum(rank == 1 for rank in ranks) / n
    top = sum(rank is not None for rank in ranks) / n
    mrr = sum(1 / rank for rank in ranks if rank is not None) / n
    return first, top, mrr


# -- the report ----------------------------------------------------------------------------


def table(run: CorpusRun) -> Iterator[str]:
    with_words = len({query.target for query in run.queries})
    yield f"### {run.name}: {run.papers} papers, {with_words} with 3 distinctive title words"
    yield ""
    yield "| query kind | queries | searcher | success@1 | success@10 | MRR |"
    yield "| --- | ---: | --- | ---: | ---: | ---: |"
    for kind in KINDS:
        count = sum(query.kind == kind for query in run.queries)
        if not count:
            yield f"| {kind} | 0 | (no paper has what this kind needs) | | | |"
            continue
        for name in SIDES:
            first, top, mrr = scores(run.sides[name].ranks[kind])
            yield f"| {kind} | {count} | {name} | {first:.1%} | {top:.1%} | {mrr:.3f} |"


def wall_times(runs: list[CorpusRun]) -> Iterator[str]:
    yield "| corpus | searcher | build | queries | per query |"
    yield "| --- | --- | ---: | ---: | ---: |"
    for run in runs:
        for name in SIDES:
            side = run.sides[name]
            each = side.query_seconds / max(1, len(run.queries)) * 1000
            yield (f"| {run.name} | {name} | {side.build_seconds:.2f} s "
                   f"| {side.query_seconds:.2f} s | {each:.1f} ms |")  # fmt: skip


def examples(run: CorpusRun, count: int) -> Iterator[str]:
    """Up to ``count`` queries per kind whose paper shelf did not rank first."""
    for kind in KINDS:
        kind_queries = [query for query in run.queries if query.kind == kind]
        ranks = {name: run.sides[name].ranks.get(kind, []) for name in SIDES}
        shown = 0
        for at, query in enumerate(kind_queries):
            if ranks["shelf"][at] == 1 or shown == count:
                continue
            shown += 1
            found = ", ".join(f"{name} {ranks[name][at] or '-'}" for name in SIDES)
            yield f"- {kind}: `{query.text}` (paper {query.target}): rank {found}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--examples", type=int, default=0, metavar="N",
        help="also list up to N queries per kind that shelf did not answer first",
    )  # fmt: skip
    args = parser.parse_args()
    started = time.perf_counter()
    runs = []
    for name, corpus in CORPORA.items():
        print(f"{name}…", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="shelf-known-item-") as work:
            runs.append(run_corpus(name, corpus, args.seed, Path(work)))
    machine = f"{platform.platform()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}; seed {args.seed}")
    print(f"wall time of this benchmark: {time.perf_counter() - started:.0f} s")
    for run in runs:
        print()
        for line in table(run):
            print(line)
        if args.examples:
            print()
            for line in examples(run, args.examples):
                print(line)
    print()
    for line in wall_times(runs):
        print(line)


if __name__ == "__main__":
    main()
