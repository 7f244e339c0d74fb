"""Importing one large BibTeX file: shelf against coBib and pubs, each from an empty database.

    python bench/bibtex_peers.py --cobib /tmp/peers/cobib-venv/bin/cobib \\
        --pubs /tmp/peers/pubs-venv/bin/pubs
    python bench/bibtex_peers.py --entries 2000 --runs 1 --work /tmp/bibtex-peers

The script writes a deterministic BibTeX file (``--seed``) shaped like a Zotero
or JabRef export: @article, @inproceedings and @misc (arXiv preprints) with
titles that protect some words in braces, 2-8 authors as "Last, First and ...",
about one name in ten with LaTeX accents, venues, pages with ``--``, DOIs, URLs,
arXiv eprints, keywords and abstracts of 100-250 words, about one in ten with
``\\%``, ``--``, inline math or ``\\emph{...}``. Every tool then imports it with
its own command line, in a fresh home (HOME and the XDG directories point into
the run's directory, so no user config or database is read):

- shelf: ``shelf --library DIR import FILE.bib`` (the project's installed command);
- coBib: ``cobib init`` (not timed), then ``cobib import --bibtex FILE.bib``;
- pubs: ``pubs --config RC init -p DIR`` (not timed), then ``pubs --config RC import FILE.bib``.

Each import runs ``--runs`` times as its own process, the tools taking turns.
Wall time is ``time.perf_counter`` around the process; CPU time (user + system,
child processes included) is the ``RUSAGE_CHILDREN`` delta; peak memory is the
largest resident set of any one process in the import's tree, as ``/usr/bin/time``
reports it for that run alone (not the sum of processes alive at once: shelf's
index build runs two workers beside its main process). After each run the
entries the tool stored are counted in its database. The table gives the medians.

The peers are never installed into shelf's virtualenv; each gets its own:

    python3 -m venv /tmp/peers/cobib-venv
    /tmp/peers/cobib-venv/bin/pip install cobib==6.0.3
    python3 -m venv /tmp/peers/pubs-venv
    /tmp/peers/pubs-venv/bin/pip install pubs==0.9.0 'bibtexparser<2'
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import generate

#: The installed command of the Python running this script (its virtualenv's).
SHELF = Path(sys.executable).with_name("shelf")
TIME = Path("/usr/bin/time")
INSTALL = {
    "coBib": "python3 -m venv /tmp/peers/cobib-venv && "
    "/tmp/peers/cobib-venv/bin/pip install cobib==6.0.3",
    "pubs": "python3 -m venv /tmp/peers/pubs-venv && "
    "/tmp/peers/pubs-venv/bin/pip install pubs==0.9.0 'bibtexparser<2'",
}
#: Characters an export would escape, and ``--``: vocabulary containing them is left out, so the
#: only LaTeX in the file is the markup placed on purpose.
SPECIAL = re.compile(r"[\\{}%$&#_^~]|--")

# fmt: off
#: LaTeX-accented names, as Zotero and JabRef write them.
ACCENTED_LAST = [r"M{\"u}ller", r"\v{C}ech", r"Sch{\"o}lkopf", r"Garc{\'\i}a", r"Erd{\H{o}}s",
                 r"Dvo{\v{r}}{\'a}k", r"Gon{\c{c}}alves", r"{\r{A}}str{\"o}m", r"Nu{\~n}ez",
                 r"Br{\"u}gger", r"Lef{\`e}vre", r"{\O}stergaard"]
ACCENTED_FIRST = [r"Jos{\'e}", r"Ren{\'e}", r"Fran{\c{c}}ois", r"J{\"o}rg", r"Zo{\"e}",
                  r"Bj{\"o}rn", r"In{\'e}s", r"{\'A}lvaro", r"S{\o}ren", r"Ji{\v{r}}{\'\i}"]
ACRONYMS = ["BERT", "GPT-3", "ImageNet", "LSTM", "ResNet", "CLIP", "ViT", "LoRA", "T5", "RoBERTa"]
JOURNALS = ["IEEE Transactions on Pattern Analysis and Machine Intelligence",
            "Journal of Machine Learning Research", "Nature Machine Intelligence",
            "Transactions of the Association for Computational Linguistics",
            "Transactions on Machine Learning Research", "Neural Computation",
            "International Journal of Computer Vision", "Artificial Intelligence"]
BOOKTITLES = ["Advances in Neural Information Processing Systems",
              "Proceedings of the International Conference on Machine Learning",
              "International Conference on Learning Representations",
              "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition",
              "Proceedings of the Annual Meeting of the Association for Computational Linguistics",
              "Proceedings of the AAAI Conference on Artificial Intelligence",
              "Findings of the Association for Computational Linguistics: EMNLP"]
PUBLISHERS = ["Curran Associates, Inc.", "PMLR", "IEEE", "AAAI Press",
              "Association for Computational Linguistics"]
MATH = [r"We set the mixing weight $\alpha$ by validation.",
        r"The cost grows as $O(n \log n)$ in the number of tasks.",
        r"An $\ell_1$ penalty on the adapters keeps them sparse.",
        r"It works for $k$-shot transfer with $k \leq 16$."]
CATEGORIES = ["cs.LG", "cs.CL", "cs.CV", "stat.ML", "cs.AI", "cs.RO"]
# fmt: on
TYPE_WEIGHTS = {"article": 45, "inproceedings": 40, "misc": 15}


# -- the BibTeX file ----------------------------------------------------------------------


def ascii_of(latex: str) -> str:
    """A LaTeX-accented name with its accents and braces dropped: ``M{\\"u}ller`` -> Muller."""
    return re.sub(r"\\[A-Za-z]+|\\.|[{}]", "", latex)


def author(rng: random.Random) -> str:
    """One name as "Last, First"; about one in ten carries a LaTeX accent."""
    last, first = rng.choice(generate.LAST), rng.choice(generate.FIRST)
    if rng.random() < 0.1:
        which = rng.choice(("last", "first", "both"))
        if which != "first":
            last = rng.choice(ACCENTED_LAST)
        if which != "last":
            first = rng.choice(ACCENTED_FIRST)
    return f"{last}, {first}"


def title(rng: random.Random, words: list[str]) -> str:
    """Title words; in some titles the words with inner capitals are case-protected."""
    tokens = [rng.choice(words) for _ in range(rng.randint(5, 12))]
    if rng.random() < 0.2:
        tokens.insert(rng.randrange(1, len(tokens)), rng.choice(("with", "for", "beyond")))
        tokens.insert(rng.randrange(2, len(tokens) + 1), rng.choice(ACRONYMS))
    if rng.random() < 0.5:
        tokens = [re.sub(r"^([\w-]*[A-Z][\w-]*)", r"{\1}", token) if any(c.isupper()
                  for c in token[1:]) or token in ACRONYMS else token
                  for token in tokens]  # fmt: skip
    tokens[0] = tokens[0][0].upper() + tokens[0][1:]
    return " ".join(tokens)


def markup(rng: random.Random) -> list[str]:
    """One or two sentences with the LaTeX an abstract may hold: \\%, --, inline math."""
    snippets = [
        f"This improves accuracy by {rng.randint(2, 40)}.{rng.randint(0, 9)}\\% over the baseline.",
        f"The gap shrinks by {rng.randint(2, 5)}--{rng.randint(6, 12)} points -- at no extra cost.",
        rng.choice(MATH),
    ]
    return rng.sample(snippets, rng.randint(1, 2))


def abstract(rng: random.Random, sentences: list[str]) -> str:
    """100-250 words of abstract sentences; about one in ten has LaTeX markup."""
    extra = markup(rng) if rng.random() < 0.1 else []
    limit = 250 - sum(len(sentence.split()) for sentence in extra)
    target = rng.randint(100 - (250 - limit), limit)
    words: list[str] = []
    for sentence in rng.sample(sentences, 40):
        words += sentence.split()
        if len(words) >= target:
            break
    text = " ".join(words[:limit]).rstrip(",;:") + ("" if words[:limit][-1][-1] in ".!?" else ".")
    parts = re.split(r"(?<=[.!?])\s+", text)
    for sentence in extra:
        parts.insert(rng.randint(1, len(parts)), sentence)
    if extra and rng.random() < 0.5:  # \emph around one word of six letters or more
        at = rng.randrange(len(parts))
        parts[at] = re.sub(r"\b([a-z]{6,})\b", r"\\emph{\1}", parts[at], count=1)
    return " ".join(parts)


def entries(count: int, seed: int) -> Iterator[str]:
    """``count`` BibTeX entries with unique titles and keys, the same for the same seed."""
    rng = random.Random(seed)
    vocab = generate.Vocabulary()
    words = [word for word in vocab.title_words if not SPECIAL.search(word)]
    sentences = [sentence for sentence in vocab.sentences if not SPECIAL.search(sentence)]
    keywords = [word for word in vocab.words if len(word) >= 5]
    titles: set[str] = set()
    keys: set[str] = set()
    types, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    for number in range(count):
        kind = rng.choices(types, weights)[0]
        year = rng.randint(2008, 2025) if kind == "misc" else rng.randint(1995, 2025)
        text = title(rng, words)
        while text.lower() in titles:
            text = title(rng, words)
        titles.add(text.lower())
        names = [author(rng) for _ in range(rng.randint(2, 8))]
        first_word = re.sub(r"[^a-z]", "", ascii_of(text.split()[0]).lower())
        base = f"{ascii_of(names[0].split(',')[0]).lower()}{year}{first_word}"
        key = next(f"{base}{suffix}" for suffix in ("", *"abcdefghijklmnopqrstuvwxyz", "_"
                   + str(number)) if f"{base}{suffix}" not in keys)  # fmt: skip
        keys.add(key)
        fields = {"title": text, "author": " and ".join(names), "year": str(year)}
        arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{number:05d}" if year >= 2008 else None
        start = rng.randint(1, 900)
        if kind == "article":
            fields |= {"journal": rng.choice(JOURNALS), "volume": str(rng.randint(1, 48)),
                       "number": str(rng.randint(1, 12))}  # fmt: skip
        elif kind == "inproceedings":
            fields |= {"booktitle": rng.choice(BOOKTITLES), "publisher": rng.choice(PUBLISHERS)}
        if kind != "misc":
            fields["pages"] = f"{start}--{start + rng.randint(6, 24)}"
            if rng.random() < 0.85:
                fields["doi"] = f"10.{rng.randint(1000, 9999)}/{year}.{number:05d}"
        else:
            fields |= {"publisher": "arXiv", "doi": f"10.48550/arXiv.{arxiv}",
                       "note": f"arXiv:{arxiv} [{rng.choice(CATEGORIES)}]"}  # fmt: skip
        if arxiv and (kind == "misc" or rng.random() < 0.25):
            fields |= {"eprint": arxiv, "archivePrefix": "arXiv",
                       "primaryClass": rng.choice(CATEGORIES)}  # fmt: skip
        if "doi" in fields and rng.random() < 0.7:
            fields["url"] = f"https://doi.org/{fields['doi']}"
        elif arxiv and "eprint" in fields:
            fields["url"] = f"http://arxiv.org/abs/{arxiv}"
        if rng.random() < 0.6:
            fields["keywords"] = ", ".join(rng.sample(keywords, rng.randint(1, 5)))
        fields["abstract"] = abstract(rng, sentences)
        body = ",\n".join(f"\t{name} = {{{value}}}" for name, value in fields.items())
        yield f"@{kind}{{{key},\n{body}\n}}\n"


def write_bibtex(count: int, seed: int, path: Path) -> None:
    path.write_text("\n".join(entries(count, seed)), encoding="utf-8")


# -- the tools ----------------------------------------------------------------------------


def isolated(home: Path) -> dict[str, str]:
    """This environment with HOME and the XDG directories inside ``home``."""
    env = dict(os.environ, HOME=str(home), SHELF_CONFIG=str(home / "no-config.toml"))
    for name, sub in (("CONFIG", ".config"), ("DATA", ".local/share"), ("CACHE", ".cache"),
                      ("STATE", ".local/state")):  # fmt: skip
        env[f"XDG_{name}_HOME"] = str(home / sub)
        (home / sub).mkdir(parents=True, exist_ok=True)
    return env


def output(command: list[str], home: Path) -> str:
    """What ``command`` prints, run in ``home``'s environment (it must succeed)."""
    done = subprocess.run(command, env=isolated(home), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout


@dataclass(frozen=True, slots=True)
class Tool:
    """A tool's empty database in a home, its import command, and a count of what it stored."""

    name: str
    executable: Path
    prepare: Callable[[Path], None]
    command: Callable[[Path, Path], list[str]]
    stored: Callable[[Path], int]

    def version(self, home: Path) -> str:
        printed = output([str(self.executable), "--version"], home).strip().splitlines()[0]
        python = str(self.executable.parent / "python")
        interpreter = output([python, "-c", "import platform; print(platform.python_version())"],
                             home).strip()  # fmt: skip
        return f"{self.name}: `{printed}` (Python {interpreter}, {self.executable})"


def shelf(executable: Path) -> Tool:
    def command(home: Path, bib: Path) -> list[str]:
        return [str(executable), "--library", str(home / "library"), "import", str(bib)]

    def stored(home: Path) -> int:
        stats = output([str(executable), "--library", str(home / "library"), "stats", "--json"],
                       home)  # fmt: skip
        return int(json.loads(stats)["total"])

    return Tool("shelf", executable, lambda home: (home / "library").mkdir(), command, stored)


def cobib(executable: Path) -> Tool:
    def prepare(home: Path) -> None:
        output([str(executable), "init"], home)

    def command(home: Path, bib: Path) -> list[str]:
        return [str(executable), "import", "--bibtex", "--", str(bib)]

    def stored(home: Path) -> int:
        """Top-level YAML documents in the database: each entry is one, opened by ``---``."""
        database = home / ".local/share/cobib/literature.yaml"
        return sum(line == "---" for line in database.read_text(encoding="utf-8").splitlines())

    return Tool("coBib", executable, prepare, command, stored)


def pubs(executable: Path) -> Tool:
    def prepare(home: Path) -> None:
        output([str(executable), "--config", str(home / "pubsrc"), "init", "-p",
                str(home / "pubsdir")], home)  # fmt: skip

    def command(home: Path, bib: Path) -> list[str]:
        return [str(executable), "--config", str(home / "pubsrc"), "import", str(bib)]

    def stored(home: Path) -> int:
        """pubs keeps one .bib file per paper."""
        return sum(1 for _ in (home / "pubsdir/bib").glob("*.bib"))

    return Tool("pubs", executable, prepare, command, stored)


# -- measuring ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float
    stored: int
    exit_code: int


@dataclass(slots=True)
class Results:
    tool: Tool
    version: str
    runs: list[Run] = field(default_factory=list)

    def median(self, measure: Callable[[Run], float]) -> float:
        return statistics.median(measure(run) for run in self.runs)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(tool: Tool, bib: Path, home: Path) -> Run:
    """One import into an empty database in ``home``; its output goes to ``home``/import.log."""
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    env = isolated(home)
    tool.prepare(home)
    peak_file = home / "peak-kb"
    command = [str(TIME), "-f", "%M", "-o", str(peak_file), *tool.command(home, bib)]
    with (home / "import.log").open("w", encoding="utf-8") as log:
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        done = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, stdout=log,
                              stderr=subprocess.STDOUT)  # fmt: skip
        wall = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_before
    # On a failure /usr/bin/time writes "Command exited with non-zero status N" first.
    peak_kb = int(peak_file.read_text(encoding="utf-8").split()[-1])
    if done.returncode:
        tail = (home / "import.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        print(f"{tool.name}: exit {done.returncode}; end of its output:\n{tail}", file=sys.stderr)
    return Run(wall, cpu, peak_kb / 1024, tool.stored(home), done.returncode)


def peers(args: argparse.Namespace) -> Iterator[Tool]:
    for name, path, make in (("coBib", args.cobib, cobib), ("pubs", args.pubs, pubs)):
        if path and path.is_file():
            yield make(path)
        else:
            given = f"{path} does not exist" if path else "no executable given"
            flag = name.lower()
            print(f"skipping {name} ({given}). Install it in its own venv:\n    "
                  f"{INSTALL[name]}\nthen pass --{flag} /tmp/peers/{flag}-venv/bin/{flag}",
                  file=sys.stderr)  # fmt: skip


# -- the report ---------------------------------------------------------------------------


def load() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def table(results: list[Results], entries_in_file: int) -> Iterator[str]:
    yield "| tool | wall (median) | CPU (median) | peak MB (median) | entries stored |"
    yield "| --- | ---: | ---: | ---: | ---: |"
    for result in results:
        counts = sorted({run.stored for run in result.runs})
        stored = " / ".join(f"{count:,}" for count in counts)
        failed = sum(run.exit_code != 0 for run in result.runs)
        if failed:
            stored += f" (exit {result.runs[-1].exit_code} in {failed} of {len(result.runs)} runs)"
        yield (f"| {result.tool.name} | {result.median(lambda r: r.wall):.1f} s "
               f"| {result.median(lambda r: r.cpu):.1f} s "
               f"| {result.median(lambda r: r.peak_mb):.0f} "
               f"| {stored} of {entries_in_file:,} |")  # fmt: skip


def each_run(results: list[Results]) -> Iterator[str]:
    for result in results:
        runs = "; ".join(f"{run.wall:.1f} s wall, {run.cpu:.1f} s CPU, {run.peak_mb:.0f} MB"
                         for run in result.runs)  # fmt: skip
        yield f"- {result.tool.name}: {runs}"


def ratios(results: list[Results]) -> Iterator[str]:
    mine, *others = results
    wall, peak = mine.median(lambda r: r.wall), mine.median(lambda r: r.peak_mb)
    for other in others:
        speedup = other.median(lambda r: r.wall) / wall
        memory = other.median(lambda r: r.peak_mb) / peak
        yield (f"- vs {other.tool.name}: shelf is {speedup:.1f}x as fast (its wall / shelf's); "
               f"{other.tool.name}'s peak memory is {memory:.2f}x shelf's")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--work", type=Path, help="write the file and databases here, and keep them"
    )
    parser.add_argument("--cobib", type=Path, metavar="PATH", help="coBib's `cobib` executable")
    parser.add_argument("--pubs", type=Path, metavar="PATH", help="pubs's `pubs` executable")
    args = parser.parse_args()
    if not TIME.is_file():
        raise SystemExit(f"{TIME} (GNU time) is needed for each run's peak memory")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="shelf-bibtex-peers-") as scratch:
        work = args.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        bib = work / f"entries-{args.entries}-seed{args.seed}.bib"
        print(f"writing {args.entries:,} BibTeX entries to {bib}…", file=sys.stderr)
        write_bibtex(args.entries, args.seed, bib)
        tools = [shelf(SHELF), *peers(args)]
        results = [Results(tool, tool.version(work / f"{tool.name}-version")) for tool in tools]
        load_before = load()
        for number in range(1, args.runs + 1):  # the tools take turns, so load drifts evenly
            for result in results:
                print(f"{result.tool.name}: run {number} of {args.runs}…", file=sys.stderr)
                home = work / f"{result.tool.name}-run{number}"
                result.runs.append(measure(result.tool, bib, home))
        load_after = load()
        size_mb = bib.stat().st_size / 1e6
    machine = f"{platform.platform()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}")
    print(f"load average (1, 5, 15 min): {load_before} before the runs, {load_after} after")
    print(f"file: {args.entries:,} entries, {size_mb:.1f} MB, seed {args.seed}; "
          f"{args.runs} runs per tool, each from an empty database")  # fmt: skip
    print(f"wall time of this benchmark: {time.perf_counter() - started:.0f} s")
    print()
    for result in results:
        print(f"- {result.version}")
    print()
    for line in table(results, args.entries):
        print(line)
    print()
    print("Each run:")
    for line in each_run(results):
        print(line)
    if len(results) > 1:
        print()
        print("shelf against the others (medians):")
        for line in ratios(results):
            print(line)


if __name__ == "__main__":
    main()
