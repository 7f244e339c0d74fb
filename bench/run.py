"""The benchmark: shelf against plain Whoosh on the same synthetic library.

    python bench/run.py --papers 10000
    python bench/run.py --papers 100000 --keep /tmp/bench-100k

Prints one table: import rate, search latency over a fixed mix of queries,
search-as-you-type, triage, time to the app's first screen, Markdown export
and peak memory, each beside the same measure for Whoosh used plainly (default
schema, a new searcher per query, wildcards for prefixes, every change
committed to the index) and the ratio between them. Each side runs in its own
process, so peak memory is each one's own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import generate

from shelf.domain import Status

Timings = list[float]
#: On libraries over 20,000 papers plain Whoosh is timed on every 4th query.
PLAIN_SAMPLE = 4


# -- the corpus and the queries ---------------------------------------------------------


def write_corpus(count: int, seed: int, path: Path) -> None:
    """The synthetic papers, with their reading state, as a shelf JSON import file."""
    states = {i: (s, star, tags) for i, s, star, tags in generate.personal_state(count, seed)}
    records = []
    for index, paper in enumerate(generate.papers(count, seed)):
        status, starred, tags = states.get(index, (Status.INBOX, False, ()))
        record: dict[str, Any] = {
            "title": paper.title,
            "abstract": paper.abstract,
            "authors": list(paper.authors),
            "year": paper.year,
            "status": status.value,
            "starred": starred,
            "tags": list(tags),
        }
        if paper.arxiv_id:
            record["arxiv_id"] = paper.arxiv_id
        if paper.doi:
            record["doi"] = paper.doi
        records.append(record)
    path.write_text(json.dumps(records), encoding="utf-8")


def query_mix(seed: int) -> dict[str, list[str]]:
    """At least 200 queries of the kinds people type, the same for the same seed."""
    rng = random.Random(seed)
    vocab = generate.Vocabulary()
    words = [w for w in vocab.words if len(w) >= 5]
    phrases = []
    for sentence in rng.sample(vocab.sentences, 60):
        tokens = [t for t in sentence.split() if t.isalpha()]
        if len(tokens) >= 3:
            start = rng.randrange(len(tokens) - 1)
            phrases.append(f'"{tokens[start]} {tokens[start + 1]}"')

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1 :]

    return {
        "single word": rng.sample(words, 60),
        "two words": [
            f"{a} {b}" for a, b in zip(rng.sample(words, 40), rng.sample(words, 40), strict=True)
        ],
        "phrase": phrases[:20],
        "field": [f"title:{w}" for w in rng.sample(words, 8)]
        + [f"author:{rng.choice(generate.LAST)}" for _ in range(4)]
        + [f"abstract:{w}" for w in rng.sample(words, 4)]
        + ["year:[2010 TO 2015]", "year:2020", f"title:{rng.choice(words)} year:[2000 TO 2010]"],
        "filter": [f"status:read {w}" for w in rng.sample(words, 6)]
        + [
            f"tag:{t} {w}"
            for t, w in zip(rng.sample(generate.TAGS, 6), rng.sample(words, 6), strict=True)
        ]
        + ["is:starred", "status:to-read", "tag:survey", f"-status:skipped {rng.choice(words)}"]
        + [f"is:starred {w}" for w in rng.sample(words, 4)],
        "prefix": [f"{w[:n]}*" for n in (1, 2, 3, 4, 5) for w in rng.sample(words, 8)],
        "fuzzy": [f"{typo(w)}~" for w in rng.sample(words, 20)],
    }


def typed(seed: int) -> list[str]:
    """Queries as they are typed, one character at a time (every prefix of each)."""
    rng = random.Random(seed + 7)
    vocab = generate.Vocabulary()
    words = [w for w in vocab.words if len(w) >= 6]
    texts = [" ".join(rng.sample(words, rng.choice((1, 2)))) for _ in range(12)]
    return [text[:n] for text in texts for n in range(1, len(text) + 1)]


# -- measuring helpers -------------------------------------------------------------------


def timed(run: Callable[[], object], repeat: int = 1) -> Timings:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def summary(times: Timings) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p95": p95, "max": ordered[-1], "n": len(ordered)}


def peak_mb() -> float:
    """The largest resident size of this process or any process it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _child(function: Callable[..., dict[str, Any]], args: tuple[Any, ...], out: Any) -> None:
    out.put(function(*args))


def in_child(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``function`` in a fresh process, so its memory and caches are its own.

    A plain (non-daemon) process, since shelf itself may start index workers.
    """
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    process = context.Process(target=_child, args=(function, args, out))
    process.start()
    result: dict[str, Any] = out.get()
    process.join()
    return result


# -- shelf -------------------------------------------------------------------------------


def shelf_import(corpus: str, library_dir: str) -> dict[str, Any]:
    from shelf.library import Library

    marks: dict[str, float] = {}

    def progress(phase: str, done: int, total: int | None) -> None:
        if phase == "importing":  # the records are read as they go in: the last one counts
            marks["stored"] = time.perf_counter()

    started = time.perf_counter()
    with Library.open(Path(library_dir)) as library:
        library.import_paths([Path(corpus)], progress=progress)
        count = library.count()
    seconds = time.perf_counter() - started
    listable = marks.get("stored", started + seconds) - started
    return {"count": count, "seconds": seconds, "listable": listable, "peak_mb": peak_mb()}


def shelf_queries(library_dir: str, mix: dict[str, list[str]], typing: list[str]) -> dict[str, Any]:
    from shelf.library import Library

    started = time.perf_counter()
    library = Library.open(Path(library_dir))
    library.search(mix["single word"][0])
    cold = time.perf_counter() - started
    kinds = {kind: [t for q in queries for t in timed(lambda q=q: library.search(q))]
             for kind, queries in mix.items()}  # fmt: skip
    as_you_type = [t for q in typing for t in timed(lambda q=q: library.search_as_you_type(q))]
    rng = random.Random(3)
    ids = [e.id for e in library.entries(limit=2000)]
    triage = []
    for paper_id in rng.sample(ids, min(100, len(ids))):
        current = library.get(paper_id).state.status
        choices = [Status.TO_READ, Status.READ, Status.SKIPPED]
        status = rng.choice([choice for choice in choices if choice is not current])
        before = library.search(f"status:{status.value}", limit=20).total
        begin = time.perf_counter()
        library.update(paper_id, status=status)
        visible = library.search(f"status:{status.value}", limit=20)  # the next page shown
        triage.append(time.perf_counter() - begin)
        assert visible.total == before + 1  # stored, and a search already counts it
    working_peak = peak_mb()
    out = Path(library_dir).parent / "export.md"
    export = timed(lambda: library.export("markdown", library.select(), out))
    library.close()
    return {
        "cold": cold,
        "kinds": {kind: summary(times) for kind, times in kinds.items()},
        "all": summary([t for times in kinds.values() for t in times]),
        "as_you_type": summary(as_you_type),
        "triage": summary(triage),
        "export": export[0],
        "peak_mb": working_peak,
        "export_peak_mb": peak_mb(),
    }


def shelf_tui_triage(library_dir: str) -> dict[str, Any]:
    """Triage key to the store updated and the row redrawn, in the real app (headless).

    Timed from the start of the key's action (``MainScreen.action_triage``) to the
    end of the next frame the app writes (``App._display``), so Pilot's own waiting
    is not counted.
    """
    from shelf.library import Library
    from shelf.tui.app import ShelfApp

    keys = "trdxi" * 10
    times: Timings = []
    started: float | None = None

    class Timed(ShelfApp):
        def __init__(self, library: Library) -> None:
            super().__init__(library)
            triage = self.main.action_triage

            def timed_triage(status: str) -> None:
                nonlocal started
                started = time.perf_counter()
                triage(status)

            self.main.action_triage = timed_triage  # type: ignore[method-assign]

        def _display(self, screen: Any, renderable: Any) -> None:
            nonlocal started
            super()._display(screen, renderable)
            if started is not None:
                times.append(time.perf_counter() - started)
                started = None

    async def drive() -> Timings:
        with Library.open(Path(library_dir)) as library:
            app = Timed(library)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                for key in keys:
                    await pilot.press(key)
                    await pilot.pause()
        return times

    timings = asyncio.run(drive())
    assert len(timings) == len(keys), f"{len(timings)} of {len(keys)} triage keys timed"
    return summary(timings)


def cli_commands(library_dir: str, mix: dict[str, list[str]], runs: int = 10) -> dict[str, float]:
    """Median wall time of the installed ``shelf`` command: ``--version``, and ``search``
    of single words on the library (each a fresh process, as a user runs it)."""
    shelf = Path(sys.executable).with_name("shelf")
    env = {**os.environ, "SHELF_CONFIG": str(Path(library_dir) / "no-config.toml")}

    def median_of(*args: str) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([str(shelf), *args], check=True, capture_output=True, env=env)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    words = mix["single word"][:runs]
    search = [median_of("--library", library_dir, "search", word) for word in words]
    return {"version": median_of("--version"), "search": statistics.median(search)}


def first_screen(library_dir: str, runs: int = 3) -> float:
    script = Path(__file__).with_name("first_screen.py")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, str(script), library_dir], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# -- plain Whoosh -------------------------------------------------------------------------


def whoosh_plain(
    corpus: str, index_dir: str, mix: dict[str, list[str]], typing: list[str]
) -> dict[str, Any]:
    """Whoosh as the tutorial uses it: default schema, everything indexed and committed."""
    from whoosh import fields, index, qparser

    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True),
        abstract=fields.TEXT(stored=True),
        author=fields.TEXT(stored=True),
        year=fields.NUMERIC(stored=True),
        status=fields.ID(stored=True),
        tag=fields.KEYWORD(stored=True, commas=True),
        starred=fields.BOOLEAN(stored=True),
    )
    records = json.loads(Path(corpus).read_text(encoding="utf-8"))
    count = len(records)
    started = time.perf_counter()
    ix = index.create_in(index_dir, schema)
    writer = ix.writer()
    for number, record in enumerate(records):
        writer.add_document(
            id=str(number), title=record["title"], abstract=record["abstract"],
            author=" ; ".join(record["authors"]), year=record["year"], status=record["status"],
            tag=",".join(record["tags"]), starred=record["starred"],
        )  # fmt: skip
    writer.commit()
    build = time.perf_counter() - started
    del records

    parser = qparser.MultifieldParser(["title", "abstract", "author"], schema)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin({"starred": ["is"]}))

    def search(text: str) -> None:
        with ix.searcher() as searcher:
            searcher.search(parser.parse(text.replace("is:starred", "starred:true")), limit=200)

    started = time.perf_counter()
    search(mix["single word"][0])
    cold = time.perf_counter() - started
    # Plain Whoosh takes seconds per short prefix on a large library: there, every
    # SAMPLE-th query stands for the rest, so the run stays within minutes.
    step = 1 if count <= 20_000 else PLAIN_SAMPLE
    kinds = {kind: [t for q in queries[::step] for t in timed(lambda q=q: search(q))]
             for kind, queries in mix.items()}  # fmt: skip
    as_you_type = [t for q in typing[::step] for t in timed(lambda q=q: search(q + "*"))]
    triage = []
    for number in range(0, 100):
        begin = time.perf_counter()
        writer = ix.writer()
        writer.update_document(id=str(number), title="t", abstract="a", status="read")
        writer.commit()
        search("status:read")
        triage.append(time.perf_counter() - begin)
    return {
        "build_seconds": build,
        "cold": cold,
        "kinds": {kind: summary(times) for kind, times in kinds.items()},
        "all": summary([t for times in kinds.values() for t in times]),
        "as_you_type": summary(as_you_type),
        "triage": summary(triage),
        "peak_mb": peak_mb(),
        "sampled": step,
    }


# -- the report ----------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def table(count: int, shelf: dict[str, Any], plain: dict[str, Any]) -> Iterator[str]:
    def row(
        label: str,
        mine: float,
        theirs: float | None,
        fmt: Callable[[float], str],
        better_low: bool = True,
    ) -> str:
        if theirs:
            ratio = theirs / mine if better_low else mine / theirs
            versus = f"{fmt(theirs)} | {ratio:.1f}x"
        else:
            versus = "n/a | "
        return f"| {label} | {fmt(mine)} | {versus} |"

    rate = lambda r: f"{r:,.0f} papers/s"  # noqa: E731
    yield f"Library: {count:,} papers. Ratio: how many times better shelf is than plain Whoosh."
    if plain["sampled"] > 1:
        yield f"(Plain Whoosh was timed on every {plain['sampled']}th query at this size.)"
    yield ""
    yield "| measure | shelf | plain Whoosh | ratio |"
    yield "| --- | --- | --- | --- |"
    imp = shelf["import"]
    yield row(
        "import, end to end",
        count / imp["seconds"],
        count / plain["build_seconds"],
        rate,
        better_low=False,
    )
    yield f"| papers listable after | {imp['listable']:.1f} s | {plain['build_seconds']:.1f} s | |"
    for stat in ("p50", "p95", "max"):
        yield row(f"search {stat} ({shelf['queries']['all']['n']} queries)",
                  shelf["queries"]["all"][stat], plain["all"][stat], ms)  # fmt: skip
    for kind, figures in shelf["queries"]["kinds"].items():
        yield row(f"  {kind} p95", figures["p95"], plain["kinds"][kind]["p95"], ms)
    for stat in ("p50", "p95", "max"):
        typed_keys = shelf["queries"]["as_you_type"]
        yield row(f"as-you-type {stat} ({typed_keys['n']} keystrokes)",
                  typed_keys[stat], plain["as_you_type"][stat], ms)  # fmt: skip
    yield row(
        "triage: stored + visible to search p95",
        shelf["queries"]["triage"]["p95"],
        plain["triage"]["p95"],
        ms,
    )
    yield row("triage key in the app, to row redrawn p95", shelf["tui_triage"]["p95"], None, ms)
    yield row("cold open + first query", shelf["queries"]["cold"], plain["cold"], ms)
    yield row(
        "first full screen of `shelf` (fresh process)",
        shelf["first_screen"],
        None,
        lambda s: f"{s:.2f} s",
    )
    cli = shelf["cli"]
    yield row("`shelf --version` (fresh process, median)", cli["version"], None, ms)
    yield row("`shelf search WORD` (fresh process, median)", cli["search"], None, ms)
    yield row("  search's cost over `--version`", cli["search"] - cli["version"], None, ms)
    yield row(
        "export whole library to Markdown", shelf["queries"]["export"], None, lambda s: f"{s:.2f} s"
    )
    megabytes = lambda m: f"{m:.0f} MB"  # noqa: E731
    yield row(
        "peak memory: search, triage", shelf["queries"]["peak_mb"], plain["peak_mb"], megabytes
    )
    yield row("peak memory: import (incl. its index workers)", imp["peak_mb"], None, megabytes)
    yield row(
        "peak memory: exporting the whole library",
        shelf["queries"]["export_peak_mb"],
        None,
        megabytes,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build in this directory and keep it")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: reuse the corpus, libraries and phase results already there",
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="shelf-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.json"
    library_dir, plain_dir = work / "library", work / "plain-whoosh"
    if not args.reuse:
        for path in (library_dir, plain_dir):
            if path.exists():
                raise SystemExit(f"{path} exists; give an empty --keep directory or --reuse")
    plain_dir.mkdir(exist_ok=True)
    started = time.perf_counter()
    if not corpus.exists():
        print(f"generating {args.papers:,} papers…", file=sys.stderr)
        write_corpus(args.papers, args.seed, corpus)
    mix, typing = query_mix(args.seed), typed(args.seed)
    assert sum(len(q) for q in mix.values()) >= 200

    def reused(name: str) -> Any:
        saved = work / f"{name}.json"
        return (
            json.loads(saved.read_text(encoding="utf-8")) if args.reuse and saved.exists() else None
        )

    shelf: dict[str, Any] = {}
    phases: list[tuple[str, Callable[[], Any]]] = [
        ("import", lambda: in_child(shelf_import, str(corpus), str(library_dir))),
        ("queries", lambda: in_child(shelf_queries, str(library_dir), mix, typing)),
        ("tui_triage", lambda: in_child(shelf_tui_triage, str(library_dir))),
        ("first_screen", lambda: first_screen(str(library_dir))),
        ("cli", lambda: cli_commands(str(library_dir), mix)),
    ]
    for name, run in phases:
        shelf[name] = reused(f"shelf-{name}")
        if shelf[name] is None:
            print(f"shelf: {name}…", file=sys.stderr)
            shelf[name] = run()
            (work / f"shelf-{name}.json").write_text(json.dumps(shelf[name]), encoding="utf-8")
    plain = reused("plain")
    if plain is None:
        print("plain Whoosh…", file=sys.stderr)
        plain = in_child(whoosh_plain, str(corpus), str(plain_dir), mix, typing)
        (work / "plain.json").write_text(json.dumps(plain), encoding="utf-8")
    machine = f"{platform.platform()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}")
    print(f"wall time of this benchmark: {time.perf_counter() - started:.0f} s")
    print()
    for line in table(args.papers, shelf, plain):
        print(line)


if __name__ == "__main__":
    main()
