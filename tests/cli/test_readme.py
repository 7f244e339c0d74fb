"""The README is a contract: every command it shows, run as the installed ``shelf`` does.

Each ``shelf ...`` example in the README (inline or in a code block), each row
of the query syntax table and each row of the formats table has a check here,
keyed by exactly what the README says. The checks run the real console script
as a subprocess on a real library built from the real fixtures, and assert
what the README claims happens. ``test_every_example_has_a_check`` fails when
the README gains an example, a query row or a format that nothing checks.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from shelf.domain import Sort
from shelf.domain.saved import SavedSearch
from shelf.library import Library
from support import paths
from support.arxiv_stub import Stub, config_for, serving
from support.commands import Ran, in_terminal, run
from support.crossref_stub import CrossrefStub
from support.crossref_stub import config_for as crossref_config
from support.crossref_stub import serving as serving_crossref
from support.paths import FIXTURES, PAGE_COPY

README = paths.README.read_text(encoding="utf-8")
BIB = FIXTURES / "d2l.bib"
ADAPTER_FUSION = "ghphy8"  # the README's example id: AdapterFusion, in the page copy


# -- what the README shows ------------------------------------------------------------------


def readme_examples() -> set[str]:
    """Every ``shelf ...`` command the README shows, inline or on a code-block line."""
    inline = set(re.findall(r"`(shelf(?: [^`]*)?)`", README))
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    for block in blocks:
        for line in block.splitlines():
            command = line.split("#")[0].strip()
            command = command.split("&& ")[-1]  # the last step of an install one-liner
            if command.startswith("shelf"):
                inline.add(command.strip())
    return inline


def table_rows(heading: str) -> list[str]:
    """The first cell of each row of the table under ``## heading``."""
    section = README.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [row.split(" | ")[0].removeprefix("| ").strip() for row in rows[2:]]


# -- the libraries the checks run on ----------------------------------------------------------


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of the page copy and d2l.bib, imported once through the command line."""
    directory = tmp_path_factory.mktemp("readme") / "library"
    run("import", str(PAGE_COPY), str(BIB), library=directory).ok()
    return directory


@dataclass
class Env:
    """Where a check runs: its own copy of the library, and a scratch folder."""

    library: Path
    scratch: Path

    def shelf(self, *args: str, **options: object) -> Ran:
        return run(*args, library=self.library, **options)  # type: ignore[arg-type]

    def example(self, command: str, **options: object) -> Ran:
        """Run a README command exactly as written (in the scratch folder)."""
        words = shlex.split(command)
        assert words[0] == "shelf"
        options.setdefault("cwd", self.scratch)
        return run(*words[1:], library=self.library, **options)  # type: ignore[arg-type]

    def search(self, query: str) -> list[dict[str, object]]:
        hits: list[dict[str, object]] = json.loads(
            self.shelf("search", "--json", "-n", "500", query).ok().out
        )
        return hits

    def matches(self, query: str) -> list[dict[str, object]]:
        """Every paper matching ``query``, with all its fields (the JSON export)."""
        found: list[dict[str, object]] = json.loads(
            self.shelf("export", "--format", "json", "--query", query).ok().out
        )
        return found

    def entry(self, paper_id: str) -> dict[str, object]:
        shown: dict[str, object] = json.loads(self.shelf("show", "--json", paper_id).ok().out)
        return shown


@pytest.fixture
def env(template: Path, tmp_path: Path) -> Env:
    library = tmp_path / "library"
    shutil.copytree(template, library)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return Env(library, scratch)


Check = Callable[[Env], None]
CHECKS: dict[str, Check] = {}
QUERIES: dict[str, Check] = {}
FORMATS: dict[str, Check] = {}


def check(*keys: str, into: dict[str, Check] = CHECKS) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        for key in keys:
            into[key] = function
        return function

    return register


def text_of(hit: dict[str, object], *fields: str) -> str:
    return " ".join(str(hit.get(name) or "") for name in fields).lower()


# -- the two commands and global options --------------------------------------------------------


@check("shelf --demo")
def demo_app(env: Env) -> None:
    # The app on a throwaway copy of the 236 demo papers; q quits; nothing is kept.
    terminal = in_terminal(["--demo"])
    try:
        terminal.wait_for("AdapterFusion")
        terminal.wait_for("demo library: changes are not kept")  # and it says so
        terminal.type("q")
        assert terminal.wait() == 0
    finally:
        terminal.kill()
    data = Path.home() / "data"
    assert not data.exists() or not any(data.rglob("library.db"))


@check("shelf")
def bare_command(env: Env) -> None:
    # Bare ``shelf`` opens the app on the library; an empty one greets with how to
    # import, and D loads the demo papers into it.
    terminal = in_terminal(["--library", str(env.scratch / "empty")])
    try:
        terminal.wait_for("shelf import")
        terminal.type("D")
        terminal.wait_for("AdapterFusion")
        terminal.type("q")
        assert terminal.wait() == 0
    finally:
        terminal.kill()
    assert run("list", library=env.scratch / "empty").ok().out.count("\n") == 236


@check("shelf --version")
def version(env: Env) -> None:
    # The performance section times it: it prints the version and loads no library.
    from importlib.metadata import version as installed

    result = run("--version", library=env.scratch / "never-made").ok()
    assert result.out.strip() == f"shelf, version {installed('shelf')}"
    assert not (env.scratch / "never-made").exists()


@check("shelf --demo search adapters")
def demo_search(env: Env) -> None:
    result = run("--demo", "search", "adapters").ok()
    assert "AdapterFusion: Non-Destructive Task Composition for Transfer Learning" in result.out
    data = Path.home() / "data"
    assert not data.exists() or not any(data.rglob("library.db"))


# -- the commands table ------------------------------------------------------------------------


@check("shelf import FILE_OR_DIR...")
def import_row(env: Env) -> None:
    fresh = env.scratch / "fresh"
    folder = env.scratch / "papers"
    folder.mkdir()
    shutil.copy(PAGE_COPY, folder / "page.txt")
    (folder / "README.docx").write_bytes(b"not papers")
    first = run("import", str(folder), library=fresh).ok()
    assert first.out.strip() == "added 236, merged 0, unchanged 0, skipped 1"
    assert "README.docx: not a known kind of file (ignored)" in first.err
    # Re-importing is a no-op; a merged paper keeps the user's state.
    run("set", ADAPTER_FUSION, "--status", "reading", "--tag", "mine", library=fresh).ok()
    again = run("import", "--json", str(PAGE_COPY), library=fresh).ok()
    assert json.loads(again.out) == {
        "added": 0, "merged": 0, "unchanged": 236, "skipped": 0, "restored": 0, "lists": 0,
        "problems": [],
    }  # fmt: skip
    shown = json.loads(run("show", "--json", ADAPTER_FUSION, library=fresh).ok().out)
    assert (shown["status"], shown["tags"]) == ("reading", ["mine"])
    # A problem is reported with its file and line; a FIFO is refused at once.
    stray = env.scratch / "stray.txt"
    stray.write_text(PAGE_COPY.read_text(encoding="utf-8") + "\nLoad more\n", encoding="utf-8")
    assert re.search(r"stray\.txt:\d+: ", run("import", str(stray), library=fresh).ok().err)
    fifo = env.scratch / "pipe.txt"
    fifo_path = str(fifo)
    os.mkfifo(fifo_path)
    line = run("import", fifo_path, library=fresh, timeout=20).error()
    assert "FIFO" in line and fifo_path in line
    # Every file is checked before anything is imported.
    assert "the file is empty" in run("import", str(BIB), str(_empty(env)), library=fresh).error()
    assert "d2l" not in run("search", "dive into deep learning", library=fresh).out.lower()
    # ... and read as it goes in: a file found broken halfway leaves the library as it was.
    broken = env.scratch / "broken.json"
    broken.write_text('[{"title": "A Paper Read In"},\n{"title": ]', encoding="utf-8")
    before = json.loads(run("stats", "--json", library=fresh).ok().out)["total"]
    line = run("import", str(BIB), str(broken), library=fresh).error()
    assert f"{broken}:2: not valid JSON" in line
    assert json.loads(run("stats", "--json", library=fresh).ok().out)["total"] == before


def _empty(env: Env) -> Path:
    path = env.scratch / "empty.bib"
    path.write_text("\n", encoding="utf-8")
    return path


@check(
    "shelf add ARXIV_ID_OR_DOI...",
    "shelf add arxiv:2106.09685 cond-mat/0412498 https://arxiv.org/abs/1706.03762",
    "shelf add",
)
def add_row(env: Env) -> None:
    stub = Stub()
    with serving(stub) as url:
        config = config_for(env.scratch, url)
        command = "shelf add arxiv:2106.09685 cond-mat/0412498 https://arxiv.org/abs/1706.03762"
        result = env.example(command, config=config).ok()
        # d2l.bib already cites "Attention Is All You Need": that one is merged.
        assert result.out.strip() == "added 2, merged 1, unchanged 0, skipped 0"
        assert stub.queries[0]["id_list"] == ["2106.09685,cond-mat/0412498,1706.03762"]
        # A bad id fails before any request; the report as JSON.
        before = len(stub.queries)
        assert "not an arXiv id" in env.shelf("add", "nonsense", config=config).error()
        assert len(stub.queries) == before
        again = env.shelf("add", "--json", "2106.09685v2", config=config).ok()
        assert json.loads(again.out)["unchanged"] == 1
    assert env.entry("cond-mat/0412498")["title"] == "An Old-Style Condensed Matter Paper"


@check("shelf add 10.1038/srep16696 https://doi.org/10.1371/journal.pone.0033693")
def add_doi_example(env: Env) -> None:
    # Crossref, as a stand-in serving its recorded answers: one request per DOI, with the
    # mailto in the User-Agent; the JATS abstract comes as plain text.
    crossref = CrossrefStub()
    with serving_crossref(crossref) as url:
        config = crossref_config(env.scratch, url, mailto="you@example.org")
        command = "shelf add 10.1038/srep16696 https://doi.org/10.1371/journal.pone.0033693"
        result = env.example(command, config=config).ok()
    assert result.out.strip() == "added 2, merged 0, unchanged 0, skipped 0"
    assert crossref.paths == ["10.1038/srep16696", "10.1371/journal.pone.0033693"]
    assert all(agent.endswith(" (mailto:you@example.org)") for agent in crossref.user_agents)
    abstract = str(env.entry("10.1038/srep16696")["abstract"])
    assert abstract.startswith("Oligomers of alpha-synuclein") and "<" not in abstract


@check(
    "shelf search QUERY",
    "shelf search catastrophic forgetting",
    "shelf search 'title:adapter -status:skipped'",
)
def search_row(env: Env) -> None:
    hits = env.example("shelf search catastrophic forgetting").ok()
    first = hits.lines[0].split()
    assert len(first[0]) >= 6 and first[1] == "inbox"
    many = env.search("catastrophic forgetting")
    assert len(many) > 5
    for hit in env.search("title:adapter")[:3]:
        env.shelf("set", str(hit["id"]), "--status", "skipped").ok()
    skipped = {str(hit["id"]) for hit in env.search("status:skipped")}
    shown = env.example("shelf search 'title:adapter -status:skipped'").ok()
    ids = {line.split()[0] for line in shown.lines}
    assert ids and not ids & skipped
    assert len(env.shelf("search", "-n", "50", "learning").ok().lines) == 50
    # At most 64 words and 1,000 characters.
    assert "too long: 65 words" in env.shelf("search", *(["word"] * 65)).error()
    assert "too long: 1,001 characters" in env.shelf("search", "x" * 1001).error()


@check("shelf search")
def search_rebuilding_the_index(env: Env) -> None:
    # Performance: with the index missing, a search says it is rebuilding it, once
    # the work is long (1,000 papers or more); listing and filters do not wait.
    records = [{"title": f"Paper {n} on wombats", "abstract": "A study."} for n in range(1000)]
    source = env.scratch / "many.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    library = env.scratch / "many"
    run("import", str(source), library=library).ok()
    shutil.rmtree(library / "index")
    assert len(run("search", "status:inbox", library=library).ok().lines) == 200
    assert not (library / "index").exists()
    searched = run("search", "wombats", "-n", "1", library=library).ok()
    assert searched.err.splitlines()[0] == "shelf: indexing 1,000 papers…"
    assert len(searched.lines) == 1


@check("shelf search --exact")
def typo_correction(env: Env) -> None:
    corrected = env.shelf("search", "catastrophc", "forgetting").ok()
    right = env.shelf("search", "catastrophic", "forgetting").ok()
    assert corrected.out == right.out != ""
    assert "showing results for 'catastrophic forgetting'" in corrected.err
    exact = env.example("shelf search --exact catastrophc forgetting").ok()
    assert exact.out == ""
    assert "did you mean: catastrophic forgetting" in exact.err


@check("shelf list", "shelf list --status to-read --tag survey --starred")
def list_row(env: Env) -> None:
    listed = env.shelf("list").ok().lines
    assert len(listed) == 236 + 474 + 35 - 35  # the page copy and d2l.bib's own papers
    env.shelf("set", ADAPTER_FUSION, "--status", "to-read", "--tag", "survey", "--star").ok()
    env.shelf("set", listed[5].split()[0], "--status", "to-read", "--tag", "survey").ok()
    chosen = env.example("shelf list --status to-read --tag survey --starred").ok()
    assert [line.split()[0] for line in chosen.lines] == [ADAPTER_FUSION]
    # Inbox first: the first line is an inbox paper, the to-read ones come after.
    assert env.shelf("list").ok().lines[0].split()[1] == "inbox"


@check("shelf list --sort year")
def list_sorted(env: Env) -> None:
    listed = json.loads(env.shelf("list", "--sort", "year", "--json").ok().out)
    years = [paper["year"] for paper in listed]
    known = [year for year in years if year is not None]
    assert known == sorted(known, reverse=True) and len(known) > 400
    missing = len(years) - len(known)  # the page copy's papers have no year
    assert years == known + [None] * missing and missing > 200
    shown = env.example("shelf list --sort year").ok().lines
    assert [line.split()[0] for line in shown] == [paper["id"] for paper in listed]


@check("shelf list --sort for-you", "shelf search --sort for-you sequential")
def for_you(env: Env) -> None:
    # Nothing starred or read: the inbox newest first, and a note says so.
    fallback = env.example("shelf list --sort for-you").ok()
    assert fallback.out == env.shelf("list").ok().out
    assert "no paper is starred or read yet" in fallback.err
    # Star and read papers on sequential recommendation: the inbox's others come first.
    liked = [hit["id"] for hit in env.search("title:sequential title:recommendation")[:3]]
    assert len(liked) == 3
    env.shelf("set", *liked[:2], "--status", "read").ok()
    env.shelf("set", liked[2], "--star").ok()
    ranked = env.example("shelf list --sort for-you").ok()
    assert ranked.err == ""
    assert all("recommend" in line.lower() for line in ranked.lines[:2]), ranked.lines[:2]
    assert "recommend" not in env.shelf("list", "-n", "2").ok().out.lower()
    found = env.example("shelf search --sort for-you sequential").ok().lines
    assert all("recommend" in line.lower() for line in found[:2]), found[:2]
    assert {line.split()[0] for line in found} <= {hit["id"] for hit in env.search("sequential")}


@check("shelf search --saved NAME", "shelf search --saved reading-group")
def saved_search(env: Env) -> None:
    # The README's [searches] example, as a config file.
    block = next(
        b for b in re.findall(r"```toml\n(.*?)```", README, re.DOTALL) if "[searches]" in b
    )
    config = env.scratch / "config.toml"
    config.write_text(block, "utf-8")
    hits = [hit["id"] for hit in env.search("learning")[:4]]
    for paper_id in hits:
        env.shelf("set", paper_id, "--tag", "reading-group").ok()
    env.shelf("set", hits[0], "--status", "read").ok()
    found = env.example("shelf search --saved reading-group", config=config).ok().lines
    assert sorted(line.split()[0] for line in found) == sorted(hits[1:])
    # The config's first, then the app's (kept in the library); an unknown name lists them.
    with Library.open(env.library) as library:
        library.save_search(SavedSearch("mine", "adapter", "inbox", Sort.TITLE))
    mine = env.shelf("search", "--json", "--saved", "mine", config=config).ok().out
    typed = env.shelf("search", "--json", "--sort", "title", "adapter status:inbox").ok().out
    assert json.loads(mine) == json.loads(typed) and json.loads(mine)
    line = env.shelf("search", "--saved", "NAME", config=config).error(1)
    assert line == "shelf: no saved search named 'NAME' (known: reading-group, inbox-ml, mine)"
    assert "give no QUERY words" in env.shelf("search", "--saved", "mine", "more").error(2)


@check("shelf show ID", "shelf show ghphy8")
def show_row(env: Env) -> None:
    shown = env.example("shelf show ghphy8").ok()
    assert shown.lines[0] == "AdapterFusion: Non-Destructive Task Composition for Transfer Learning"
    assert "Abstract" in shown.out
    data = env.entry("ghphy8")
    assert data["abstract"] and data["title"].startswith("AdapterFusion")  # type: ignore[union-attr]
    # A paper is named by its short id, its arXiv id or its DOI too.
    papers = json.loads(env.shelf("export", "--format", "json").ok().out)
    with_doi = next(paper for paper in papers if paper["doi"])
    with_arxiv = next(paper for paper in papers if paper["arxiv_id"])
    assert env.entry(with_doi["doi"])["id"] == with_doi["id"]
    assert env.entry(f"https://doi.org/{with_doi['doi']}")["id"] == with_doi["id"]
    assert env.entry(f"arxiv:{with_arxiv['arxiv_id']}v2")["id"] == with_arxiv["id"]


@check(
    "shelf set ID ...",
    'shelf set ghphy8 --status read --star --tag survey --note "Key idea: adapters"',
)
def set_row(env: Env) -> None:
    env.example('shelf set ghphy8 --status read --star --tag survey --note "Key idea: adapters"')
    data = env.entry("ghphy8")
    assert (data["status"], data["starred"], data["tags"], data["notes"]) == (
        "read", True, ["survey"], "Key idea: adapters",
    )  # fmt: skip
    env.shelf("set", "ghphy8", "--unstar", "--untag", "survey").ok()
    note = env.scratch / "notes.md"
    note.write_bytes("Résumé of the idea: ".encode("latin-1") + b"adapters.\n")  # Latin-1
    env.shelf("set", "ghphy8", "--note-file", str(note)).ok()
    assert env.entry("ghphy8")["notes"] == "Résumé of the idea: adapters.\n"
    env.shelf("set", "ghphy8", "--note-file", "-", input="from stdin\n").ok()
    data = env.entry("ghphy8")
    assert (data["starred"], data["tags"], data["notes"]) == (False, [], "from stdin\n")
    big = env.scratch / "big.md"
    big.write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    assert "the limit is 5 MB" in env.shelf("set", "ghphy8", "--note-file", str(big)).error()
    for status in ("inbox", "to-read", "reading", "read", "skipped"):
        assert env.shelf("set", "ghphy8", "--status", status).ok()


@check("shelf attach ID FILE", "shelf attach ghphy8 adapterfusion.pdf")
def attach_row(env: Env) -> None:
    pdf = env.scratch / "adapterfusion.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    env.example("shelf attach ghphy8 adapterfusion.pdf").ok()  # relative to where it runs
    assert env.entry("ghphy8")["pdf"] == str(pdf)
    assert f"  PDF:     {pdf}" in env.shelf("show", "ghphy8").ok().lines  # the one P opens
    assert "is a directory" in env.shelf("attach", "ghphy8", str(env.scratch)).error()
    backup = tomllib.loads(env.shelf("export", "--format", "toml").ok().out)
    assert any(paper.get("attached") == str(pdf) for paper in backup["paper"])
    env.shelf("delete", "ghphy8").ok()
    env.shelf("undo").ok()
    assert env.entry("ghphy8")["pdf"] == str(pdf)


@check("shelf set ghphy8 z41b5h --status to-read")
def set_several(env: Env) -> None:
    others = {hit["id"]: hit["status"] for hit in env.search("learning")}
    others.pop("ghphy8", None)
    others.pop("z41b5h", None)
    ran = env.example("shelf set ghphy8 z41b5h --status to-read").ok()
    assert [line.split()[0] for line in ran.lines] == ["ghphy8", "z41b5h"]
    assert [env.entry(i)["status"] for i in ("ghphy8", "z41b5h")] == ["to-read", "to-read"]
    assert {i: env.entry(str(i))["status"] for i in others} == others
    assert len(env.shelf("undo").ok().lines) == 2  # one change: one undo takes both back
    assert [env.entry(i)["status"] for i in ("ghphy8", "z41b5h")] == ["inbox", "inbox"]
    assert "'nopenope'" in env.shelf("set", "ghphy8", "nopenope", "--star").error()
    assert env.entry("ghphy8")["starred"] is False  # an unknown id: nothing changed


@check("shelf set --query 'tag:survey -is:starred' --status read --yes")
def set_query(env: Env) -> None:
    env.shelf("set", "ghphy8", "z41b5h", "6c0as7", "--tag", "survey").ok()
    env.shelf("set", "6c0as7", "--star").ok()
    ran = env.example("shelf set --query 'tag:survey -is:starred' --status read --yes").ok()
    assert sorted(line.split()[0] for line in ran.lines) == ["ghphy8", "z41b5h"]
    statuses = [env.entry(i)["status"] for i in ("ghphy8", "z41b5h", "6c0as7")]
    assert statuses == ["read", "read", "inbox"]
    env.shelf("undo").ok()
    assert [env.entry(i)["status"] for i in ("ghphy8", "z41b5h")] == ["inbox", "inbox"]
    # Over 20 papers it asks; with no terminal to ask on and no --yes, it refuses.
    many = env.shelf("set", "--query", "learning", "--status", "read", input="")
    assert "papers would change: give --yes" in many.error()


@check("shelf cite ID...", "shelf cite ghphy8")
def cite_row(env: Env) -> None:
    entry = env.example("shelf cite ghphy8").ok().out
    assert entry.startswith("@") and entry in env.shelf("export", "--format", "bibtex").ok().out
    key = env.shelf("cite", "ghphy8", "--as", "key").ok().out.strip()
    assert entry.splitlines()[0].endswith(f"{{{key},")
    line = env.shelf("cite", "ghphy8", "--as", "markdown").ok().out
    assert line == "AdapterFusion: Non-Destructive Task Composition for Transfer Learning\n"


@check("shelf delete ID...", "shelf delete ghphy8")
def delete_row(env: Env) -> None:
    env.shelf("set", "ghphy8", "--status", "read", "--tag", "keep", "--note", "mine").ok()
    before = env.entry("ghphy8")
    deleted = env.example("shelf delete ghphy8").ok()
    assert "AdapterFusion" in deleted.out
    assert "no paper with id 'ghphy8'" in env.shelf("show", "ghphy8").error()
    assert "AdapterFusion" not in env.shelf("search", "AdapterFusion").out
    assert env.shelf("undo").ok().out.startswith("undid delete: ghphy8")
    assert env.entry("ghphy8") == before
    assert "AdapterFusion" in env.shelf("search", "AdapterFusion").ok().out


@check("shelf undo")
def undo_row(env: Env) -> None:
    env.shelf("set", "ghphy8", "--status", "read").ok()
    env.shelf("set", "ghphy8", "--note", "second").ok()
    assert env.example("shelf undo").ok().out.startswith("undid notes: ghphy8")
    assert env.example("shelf undo").ok().out.startswith("undid status")
    assert (env.entry("ghphy8")["status"], env.entry("ghphy8")["notes"]) == ("inbox", "")


@check("shelf redo")
def redo_row(env: Env) -> None:
    env.shelf("set", "ghphy8", "--status", "read").ok()
    env.shelf("undo").ok()
    assert env.example("shelf redo").ok().out.startswith("redid status: ghphy8")
    assert env.entry("ghphy8")["status"] == "read"
    env.shelf("undo").ok()
    env.shelf("set", "ghphy8", "--star").ok()  # a new change: nothing left to redo
    assert env.example("shelf redo").ok().out.strip() == "nothing to redo"


@check("shelf stats")
def stats_row(env: Env) -> None:
    env.shelf("set", "ghphy8", "--star", "--tag", "survey").ok()
    shown = env.example("shelf stats").ok()
    assert shown.lines[0] == "710 papers, 1 starred"
    assert "tags: survey (1)" in shown.out
    counts = json.loads(env.shelf("stats", "--json").ok().out)
    assert counts["by_status"]["inbox"] == 710


@check("shelf export", "shelf export --format markdown --status to-read -o reading.md")
def export_row(env: Env) -> None:
    env.shelf("set", "ghphy8", "--status", "to-read").ok()
    env.example("shelf export --format markdown --status to-read -o reading.md").ok()
    written = (env.scratch / "reading.md").read_text(encoding="utf-8")
    assert "AdapterFusion" in written and "## To read (1)" in written
    for fmt in ("markdown", "bibtex", "toml", "json", "csv"):
        assert env.shelf("export", "--format", fmt, "--starred").ok()
    printed = env.shelf("export", "--format", "json", "--query", "title:AdapterFusion").ok().out
    assert [paper["id"] for paper in json.loads(printed)] == ["ghphy8"]
    # Only a regular file or a new path; a symbolic link only with --force.
    fifo = env.scratch / "pipe.md"
    os.mkfifo(fifo)
    assert "not a file" in env.shelf("export", "-o", str(fifo), timeout=20).error()
    link = env.scratch / "link.md"
    link.symlink_to(env.scratch / "reading.md")
    assert "symbolic link" in env.shelf("export", "-o", str(link)).error()
    env.shelf("export", "-o", str(link), "--force").ok()
    assert not link.is_symlink()


@check("shelf reindex")
def reindex_row(env: Env) -> None:
    assert env.example("shelf reindex").ok().out.strip() == "indexed 710 papers"
    assert env.search("AdapterFusion")[0]["id"] == "ghphy8"


@check("shelf doctor", "shelf doctor --check-only", "shelf doctor --repair")
def doctor_row(env: Env) -> None:
    assert env.example("shelf doctor").ok().lines[-1] == "library is healthy"
    assert env.example("shelf doctor --check-only").ok().lines[-1] == "library is healthy"
    database = env.library / "library.db"
    database.write_bytes(database.read_bytes()[: 4096 * 3])  # a library cut short
    assert "damaged" in env.shelf("list").error()
    repaired = env.example("shelf doctor --repair").ok()
    kept = [
        p for p in env.library.glob("library.db.damaged-*") if not p.name.endswith(("-wal", "-shm"))
    ]
    assert kept and f"kept the damaged database as {kept[0]}" in repaired.out
    # Every command mentions the kept copy until it is deleted.
    assert str(kept[0]) in env.shelf("list").err
    for path in env.library.glob("library.db.damaged-*"):
        path.unlink()
    assert "damaged" not in env.shelf("list").err


@check(
    "shelf export --format toml -o shelf-backup.toml",
    "shelf import shelf-backup.toml",
)
def backup_recipe(env: Env) -> None:
    env.shelf("set", "ghphy8", "--status", "read", "--star", "--tag", "x", "--note", "n").ok()
    env.example("shelf export --format toml -o shelf-backup.toml").ok()
    backup = env.scratch / "shelf-backup.toml"
    other = env.scratch / "new-machine"
    restored = run("import", str(backup), library=other, cwd=env.scratch).ok()
    assert restored.out.startswith("added 710,") and "restored state of 710" in restored.out
    assert run("export", "--format", "toml", library=other).ok().out == backup.read_text("utf-8")
    data = json.loads(run("show", "--json", "ghphy8", library=other).ok().out)
    assert (data["status"], data["starred"], data["tags"], data["notes"]) == (
        "read", True, ["x"], "n",
    )  # fmt: skip


@check(
    'shelf lists create "reading group" --description "Thursdays, 4pm"',
    'shelf lists add "reading group" ghphy8 cyd7bq',
    'shelf lists move "reading group" cyd7bq --to 1',
    'shelf lists show "reading group"',
    'shelf export --list "reading group" -o group.md',
    "shelf lists",
    "shelf lists remove NAME ID...",
    "shelf lists rename OLD NEW",
    "shelf lists describe NAME TEXT",
    "shelf lists delete NAME",
)
def reading_lists(env: Env) -> None:
    env.example('shelf lists create "reading group" --description "Thursdays, 4pm"').ok()
    env.example('shelf lists add "reading group" ghphy8 cyd7bq').ok()
    env.example('shelf lists move "reading group" cyd7bq --to 1').ok()
    shown = env.example('shelf lists show "reading group"').ok().lines
    assert shown[:2] == ["reading group (2 papers)", "Thursdays, 4pm"]
    assert [line.split()[1] for line in shown[2:]] == ["cyd7bq", "ghphy8"]
    env.example('shelf export --list "reading group" -o group.md').ok()
    written = (env.scratch / "group.md").read_text("utf-8").splitlines()
    assert written[:3] == ["# reading group", "", "Thursdays, 4pm"]
    assert [line for line in written if line.startswith("- [ ] **UniPT")]
    assert env.example("shelf lists").ok().out == "reading group  (2 papers)  Thursdays, 4pm\n"
    env.shelf("lists", "remove", "reading group", "ghphy8").ok()
    env.shelf("lists", "describe", "reading group", "Fridays now").ok()
    env.shelf("lists", "rename", "reading group", "RG").ok()
    assert env.shelf("lists").ok().out == "RG  (1 paper)  Fridays now\n"
    assert "lists:   RG" in env.shelf("show", "cyd7bq").ok().out
    env.shelf("lists", "delete", "RG").ok()
    env.shelf("undo").ok()
    assert env.shelf("lists").ok().out == "RG  (1 paper)  Fridays now\n"


# -- feeds -----------------------------------------------------------------------------------------


@check("shelf feed add arxiv:cs.LG", "shelf feed add hf:daily", "shelf fetch", "shelf feed list")
def feeds_fill_the_inbox(env: Env) -> None:
    from support.feed_stub import FeedStub, feed_config
    from support.feed_stub import serving as serving_feeds

    stub = FeedStub()
    with serving_feeds(stub) as base:
        config = feed_config(env.scratch, base)
        assert (
            env.example("shelf feed add arxiv:cs.LG", config=config)
            .ok()
            .out.startswith("added feed cs.LG (arxiv:cs.LG)")
        )
        env.example("shelf feed add hf:daily", config=config).ok()
        first = env.example("shelf fetch", config=config).ok()
        again = env.example("shelf fetch", config=config).ok()
        listed = env.example("shelf feed list", config=config).ok()
    assert first.err.splitlines() == [
        "feed cs.LG: added 10, merged 0, unchanged 0, seen before 0",
        "feed hf-daily: added 3, merged 0, unchanged 0, seen before 0",
    ]
    assert again.out.strip() == "added 0, merged 0, unchanged 0 from 2 feeds"
    assert listed.lines[0].startswith("cs.LG\tarxiv:cs.LG\t10 delivered, last fetched 20")
    assert listed.lines[1].startswith("hf-daily\thf:daily\t3 delivered, last fetched 20")
    inbox = json.loads(env.shelf("list", "--json", "--tag", "feed:hf-daily").ok().out)
    assert {paper["arxiv_id"] for paper in inbox} == {"2410.17243", "2410.16251", "2410.18533"}
    assert {paper["status"] for paper in inbox} == {"inbox"}


@check(
    "shelf feed add 'arxiv:ti:diffusion AND cat:cs.CV' --name diffusion",
    "shelf fetch diffusion",
    "shelf feed remove diffusion",
)
def a_query_feed(env: Env) -> None:
    from support.feed_stub import FeedStub, feed_config
    from support.feed_stub import serving as serving_feeds

    stub = FeedStub()
    with serving_feeds(stub) as base:
        config = feed_config(env.scratch, base)
        command = "shelf feed add 'arxiv:ti:diffusion AND cat:cs.CV' --name diffusion"
        env.example(command, config=config).ok()
        env.shelf("feed", "add", "hf:daily", config=config).ok()
        fetched = env.example("shelf fetch diffusion", config=config).ok()
        removed = env.example("shelf feed remove diffusion", config=config).ok()
        left = json.loads(env.shelf("feed", "list", "--json", config=config).ok().out)
    assert fetched.out.strip() == "added 10, merged 0, unchanged 0 from 1 feed"
    assert [r.path for r in stub.requests] == ["/api/query"]  # only the feed named
    assert stub.requests[0].query["search_query"] == ["ti:diffusion AND cat:cs.CV"]
    assert removed.out.strip() == "removed feed diffusion; its papers stay in the library"
    assert [feed["name"] for feed in left] == ["hf-daily"]
    assert env.entry("arxiv:2202.12139")["tags"] == ["feed:diffusion"]


@check("shelf feed add https://www.nature.com/nature.rss")
def an_rss_feed(env: Env) -> None:
    added = env.example("shelf feed add https://www.nature.com/nature.rss").ok()
    assert added.out.startswith("added feed nature.com (https://www.nature.com/nature.rss)")
    listed = json.loads(env.shelf("feed", "list", "--json").ok().out)
    assert [(feed["name"], feed["kind"]) for feed in listed] == [("nature.com", "rss")]


# -- merging duplicates ----------------------------------------------------------------------

VIT = ("ww6ssd", "d4jwqw")  # the README's duplicates: ViT, its title typed two ways


@check("shelf duplicates", "shelf merge")
def duplicates_row(env: Env) -> None:
    found = env.example("shelf duplicates").ok()
    blocks = [block.splitlines() for block in found.out.strip().split("\n\n")]
    vit = next(block for block in blocks if block[0].startswith(VIT[0]))
    assert [line.split()[:3] for line in vit[:2]] == [[VIT[0], "2021", "Alexey"],
                                                      [VIT[1], "2021", "Alexey"]]  # fmt: skip
    assert "16 x 16 words" in vit[0] and "16\u00d7 16 words" in vit[1]
    assert vit[2:] == [f"  shelf merge {VIT[0]} {VIT[1]}"]
    assert all(line.startswith("  shelf merge ") for block in blocks for line in block[-1:])
    groups = json.loads(env.shelf("duplicates", "--json").ok().out)
    assert [VIT[0], VIT[1]] in [[paper["id"] for paper in group] for group in groups]
    for group in groups:  # the merges it suggests leave none
        for paper in group[1:]:
            env.shelf("merge", group[0]["id"], paper["id"]).ok()
    assert env.example("shelf duplicates").ok().out == "no probable duplicates\n"


@check("shelf merge ID ID", "shelf merge ww6ssd d4jwqw")
def merge_row(env: Env) -> None:
    env.shelf("set", VIT[0], "--status", "to-read", "--tag", "vision", "--note", "first").ok()
    env.shelf("set", VIT[1], "--status", "reading", "--star", "--tag", "vit", "--note",
              "second").ok()  # fmt: skip
    before = [env.entry(paper) for paper in VIT]
    merged = env.example("shelf merge ww6ssd d4jwqw").ok()
    assert merged.lines == [
        f"merged {VIT[1]} into {VIT[0]}: {before[0]['title']}",
        f"from {VIT[1]}: status, starred, tags, notes",
    ]
    survivor = env.entry(VIT[0])
    assert (survivor["status"], survivor["starred"], survivor["tags"], survivor["notes"]) == (
        "reading", True, ["vision", "vit"], "first\n\n---\n\nsecond",
    )  # fmt: skip
    assert "no paper with id" in env.shelf("show", VIT[1]).error()
    assert [hit["id"] for hit in env.search("notes:second")] == [VIT[0]]
    env.example("shelf undo").ok()
    assert [env.entry(paper) for paper in VIT] == before
    env.example("shelf redo").ok()
    assert env.entry(VIT[0]) == survivor
    assert "same paper" in env.shelf("merge", VIT[0], VIT[0]).error()


# -- the query syntax table ----------------------------------------------------------------------


def query(*rows: str) -> Callable[[Check], Check]:
    return check(*rows, into=QUERIES)


@query("`catastrophic forgetting`")
def words_query(env: Env) -> None:
    matches = env.matches("catastrophic forgetting")
    assert len(matches) > 5
    for hit in matches:
        text = text_of(hit, "title", "abstract", "authors", "notes")
        assert "catastroph" in text and "forget" in text
    # Stemmed: "forgetting" finds a paper that only says "forget".
    forget_only = [
        hit
        for hit in env.matches("forgetting")
        if "forgetting" not in text_of(hit, "title", "abstract")
    ]
    assert forget_only
    # Titles weigh most: the best hit has a word of the query in its title.
    assert "forget" in text_of(env.search("catastrophic forgetting")[0], "title")


@query('`"parameter-efficient"`')
def phrase_query(env: Env) -> None:
    hits = env.matches('"parameter-efficient"')
    assert hits
    # The words in that order, each stemmed: "parameter efficiency" is found too.
    phrase = re.compile(r"\bparameters?[- ]effici")
    assert all(phrase.search(text_of(hit, "title", "abstract")) for hit in hits)
    assert any("parameter efficiency" in text_of(hit, "abstract") for hit in hits)


@query("`title:adapter`, `abstract:`, `author:`, `notes:`")
def field_queries(env: Env) -> None:
    assert all("adapt" in text_of(hit, "title") for hit in env.search("title:adapter"))
    in_abstract = env.matches("abstract:distillation")
    assert in_abstract and all("distil" in text_of(h, "abstract") for h in in_abstract)
    by_author = env.search("author:bengio")
    assert by_author and all(
        any("bengio" in name.lower() for name in hit["authors"])  # type: ignore[attr-defined]
        for hit in by_author
    )
    env.shelf("set", "ghphy8", "--note", "zebrafish are remarkable").ok()
    assert [hit["id"] for hit in env.search("notes:zebrafish")] == ["ghphy8"]


@query("`contin*`")
def prefix_query(env: Env) -> None:
    hits = env.matches("contin*")
    assert len(hits) > 10
    assert all(re.search(r"\bcontin", text_of(hit, "title", "abstract")) for hit in hits)


@query("`forgeting~`, `forgeting~2`")
def fuzzy_query(env: Env) -> None:
    one = env.matches("forgeting~")
    two = env.matches("forgeting~2")
    assert one and len(two) >= len(one)
    assert all("forget" in text_of(hit, "title", "abstract") for hit in one)


@query("`year:2021`, `year:[2019 TO 2022]`")
def year_query(env: Env) -> None:
    exact = env.search("learning year:2021")
    assert exact and {hit["year"] for hit in exact} == {2021}
    ranged = env.search("learning year:[2019 TO 2022]")
    assert {hit["year"] for hit in ranged} <= {2019, 2020, 2021, 2022}
    assert len({hit["year"] for hit in ranged}) > 1


@query("`status:read`, `status:to-read,reading`")
def status_query(env: Env) -> None:
    env.shelf("set", "ghphy8", "--status", "read").ok()
    other = env.search("title:continual")[0]["id"]
    env.shelf("set", str(other), "--status", "reading").ok()
    assert [hit["id"] for hit in env.search("status:read")] == ["ghphy8"]
    assert {hit["id"] for hit in env.search("status:to-read,reading")} == {other}
    assert [hit["id"] for hit in env.search("adapter status:read")] == ["ghphy8"]


@query("`tag:survey`, `is:starred`")
def tag_query(env: Env) -> None:
    env.shelf("set", "ghphy8", "--tag", "survey").ok()
    other = str(env.search("title:continual")[0]["id"])
    env.shelf("set", other, "--star").ok()
    assert [hit["id"] for hit in env.search("tag:survey")] == ["ghphy8"]
    assert [hit["id"] for hit in env.search("is:starred")] == [other]


@query("`is:new`")
def new_query(env: Env) -> None:
    for visit in range(2):  # the app opened twice, a paper imported between
        terminal = in_terminal(["--library", str(env.library)])
        try:
            terminal.wait_for("AdapterFusion")
            terminal.type("q")
            assert terminal.wait() == 0
        finally:
            terminal.kill()
        if visit == 0:
            source = env.scratch / "arrived.json"
            source.write_text('[{"title": "Arrived between two visits"}]', encoding="utf-8")
            env.shelf("import", str(source)).ok()
    assert [hit["title"] for hit in env.search("is:new")] == ["Arrived between two visits"]


@query('`list:"reading group"`')
def list_query(env: Env) -> None:
    env.shelf("lists", "create", "Reading Group").ok()
    env.shelf("lists", "add", "reading group", "ghphy8", "cyd7bq").ok()
    assert {hit["id"] for hit in env.search('list:"reading group"')} == {"ghphy8", "cyd7bq"}
    assert [hit["id"] for hit in env.search('title:universal list:"reading group"')] == ["cyd7bq"]
    assert "cyd7bq" not in {hit["id"] for hit in env.search('universal -list:"reading group"')}
    assert "cyd7bq" in {hit["id"] for hit in env.search("universal")}


@query("`AND`, `OR`, `NOT`, `-word`, `( )`")
def boolean_query(env: Env) -> None:
    both = {hit["id"] for hit in env.search("adapter AND fusion")}
    either = {hit["id"] for hit in env.search("adapter OR distillation")}
    adapter = {hit["id"] for hit in env.search("adapter")}
    assert both <= adapter <= either
    without = {hit["id"] for hit in env.search("adapter NOT fusion")}
    minus = {hit["id"] for hit in env.search("adapter -fusion")}
    assert without == minus == adapter - both
    grouped = {hit["id"] for hit in env.search("(adapter OR distillation) AND transfer")}
    assert grouped and grouped <= either


# -- the formats table ---------------------------------------------------------------------------


def fmt(*rows: str) -> Callable[[Check], Check]:
    return check(*rows, into=FORMATS)


@fmt("`hf-text` (`.txt`)")
def hf_text_row(env: Env) -> None:
    fresh = env.scratch / "fresh"
    assert run("import", str(PAGE_COPY), library=fresh).ok().out.startswith("added 236,")
    titles = [line for line in run("list", library=fresh).out.splitlines() if "Subscribe" in line]
    assert titles == []
    notes = env.scratch / "notes.txt"
    notes.write_text("# My notes\n\n| paper | verdict |\n| --- | --- |\n| A | yes |\n", "utf-8")
    assert "not a known kind of file" in run("import", str(notes), library=fresh).error()
    one = env.scratch / "one.txt"
    one.write_text("A Single Paper Title\nA short abstract of a single paper here.\n", "utf-8")
    assert run("import", str(one), library=fresh).ok().out.startswith("added 1,")
    assert "A Single Paper Title" in run("list", library=fresh).out


@fmt("`bibtex` (`.bib`)")
def bibtex_row(env: Env) -> None:
    tensorflow = [hit for hit in env.search("author:abadi") if "TensorFlow" in str(hit["title"])]
    assert "Martín Abadi" in tensorflow[0]["authors"]  # type: ignore[operator]
    bomb = env.scratch / "bomb.bib"
    strings = "".join(f"@string{{s{i} = s{i - 1} # s{i - 1}}}\n" for i in range(1, 40))
    bomb.write_text('@string{s0 = "xx"}\n' + strings + "@article{k, title = s39}\n", "utf-8")
    imported = run("import", str(bomb), library=env.scratch / "bombed", timeout=60).ok()
    assert "expands to more than 1 MB" in imported.err
    exported = env.shelf("export", "--format", "bibtex", "--query", "attention").ok().out
    assert "vaswani2017attention" in exported
    env.shelf("set", "ghphy8", "--note", "private thought").ok()
    assert "private thought" not in env.shelf("export", "--format", "bibtex").ok().out
    broken = env.scratch / "broken.bib"
    broken.write_text("@article{a, title = {Fine}}\n@article{b, title = {Broken\n", "utf-8")
    report = run("import", str(broken), library=env.scratch / "broken").ok()
    assert report.out.startswith("added 1,") and re.search(r"broken\.bib:2: malformed", report.err)
    # BibLaTeX's date for the year, braces gone, @string, month macros and #, crossref.
    fresh = env.scratch / "biblatex"
    run("import", str(FIXTURES / "typst-libra.bib"), library=fresh).ok()
    tien = json.loads(run("show", "--json", "10.1007/s11518-013-5219-4", library=fresh).ok().out)
    assert (tien["title"], tien["year"]) == ("Big Data: Unleashing Information", 2013)
    macros = env.scratch / "macros.bib"
    macros.write_text(
        '@string{conf = "Conference on Learning"}\n'
        "@proceedings{procs, title = {Proceedings of the Big Meeting}, year = 2020}\n"
        '@inproceedings{p1, title = {On {T}ransfer}, booktitle = conf # " Theory", month = jan,'
        " year = 2021}\n"
        "@inproceedings{p2, title = {Crossed}, crossref = {procs}}\n",
        "utf-8",
    )
    run("import", str(macros), library=fresh).ok()
    listed = json.loads(run("list", "--json", library=fresh).ok().out)
    by_title = {paper["title"]: paper for paper in listed}
    assert by_title["On Transfer"]["venue"] == "Conference on Learning Theory"
    assert (by_title["Crossed"]["venue"], by_title["Crossed"]["year"]) == (
        "Proceedings of the Big Meeting", 2020,
    )  # fmt: skip
    # UTF-16 with a BOM, and Latin-1, read as the same text.
    for encoding in ("utf-16", "latin-1"):
        coded = env.scratch / f"coded-{encoding}.bib"
        coded.write_bytes("@article{c, title = {Caf\u00e9 {\\'e}tudes}}\n".encode(encoding))
        run("import", str(coded), library=env.scratch / f"coded-{encoding}").ok()
        shown = run("list", library=env.scratch / f"coded-{encoding}").ok().out
        assert "Café études" in shown, encoding
    # The export reads back as the same papers.
    written = env.scratch / "all.bib"
    env.shelf("export", "--format", "bibtex", "-o", str(written)).ok()
    back = env.scratch / "back"
    run("import", str(written), library=back).ok()
    titles = {line.split(None, 3)[-1] for line in run("list", library=back).ok().lines}
    assert titles == {line.split(None, 3)[-1] for line in env.shelf("list").ok().lines}


@fmt("`ris` (`.ris`)")
def ris_row(env: Env) -> None:
    fresh = env.scratch / "fresh"
    run("import", str(FIXTURES / "asreview-proquest.ris"), library=fresh).ok()
    listed = json.loads(run("list", "--json", library=fresh).ok().out)
    assert len(listed) == 6 and all(paper["tags"] == [] for paper in listed)  # KW: no tags
    assert all(paper["title"] for paper in listed)  # T1
    christchurch = next(p for p in listed if "Christchurch" in p["title"])
    assert christchurch["venue"] == "Journal of Traumatic Stress"  # JF
    assert christchurch["doi"] == "10.1002/jts.22387"  # a doi.org link in L2
    assert christchurch["authors"][0] == "Hannah Jones"  # AU "Last, First" -> First Last


@fmt("`arxiv` (`.xml`, `.atom`)")
def arxiv_row(env: Env) -> None:
    fresh = env.scratch / "fresh"
    run("import", str(FIXTURES / "arxiv-idlist-astro-ph-0601001.xml"), library=fresh).ok()
    assert json.loads(run("show", "--json", "astro-ph/0601001", library=fresh).ok().out)
    error = env.scratch / "error.xml"
    error.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/api/errors#bad</id><title>Error</title>"
        "<summary>incorrect id format</summary></entry></feed>",
        "utf-8",
    )
    assert "answered with an error" in run("import", str(error), library=fresh).error()


@fmt("`hf-json` (`.json`)")
def hf_json_row(env: Env) -> None:
    fresh = env.scratch / "fresh"
    daily = FIXTURES / "hf-daily-papers-2025-12-04.json"
    later = env.scratch / "2025-12-05.json"
    shutil.copy(daily, later)
    assert run("import", str(daily), str(later), library=fresh).ok().out.startswith("added 24,")


@fmt("`json` (`.json`), `csv` (`.csv`, `.tsv`)")
def tables_row(env: Env) -> None:
    env.shelf("set", "ghphy8", "--status", "read", "--star", "--tag", "t", "--note", "n").ok()
    for kind in ("json", "csv"):
        exported = env.scratch / f"all.{kind}"
        env.shelf("export", "--format", kind, "-o", str(exported)).ok()
        other = env.scratch / f"other-{kind}"
        report = run("import", str(exported), library=other).ok()
        assert "restored state of 710" in report.out
        again = run(
            "export", "--format", kind, "-o", str(env.scratch / f"again.{kind}"), library=other
        )
        again.ok()  # (written to a file: CSV's CRLF line ends are compared as bytes)
        assert (env.scratch / f"again.{kind}").read_bytes() == exported.read_bytes()
    plain = env.scratch / "plain.csv"
    plain.write_text("Title,Authors,Year\n=cmd|calc,A. Person; B. Person,2020\n", "utf-8")
    run("import", str(plain), library=env.library).ok()
    assert "'=cmd|calc" in env.shelf("export", "--format", "csv", "--query", "calc").ok().out
    unclosed = env.scratch / "unclosed.csv"
    unclosed.write_text('title,year\nA,2020\n"B never closed,2021\nC,2022\n', "utf-8")
    assert "unclosed.csv:3: a quote opened" in env.shelf("import", str(unclosed)).error()


@fmt("`toml` (`.toml`)")
def toml_row(env: Env) -> None:
    env.shelf("set", "ghphy8", "--status", "reading", "--note", "before").ok()
    backup = env.scratch / "state.toml"
    env.shelf("export", "--format", "toml", "-o", str(backup)).ok()
    assert tomllib.loads(backup.read_text("utf-8"))["format"] == "shelf-state"
    env.shelf("set", "ghphy8", "--status", "skipped", "--note", "after").ok()
    assert "restored state of 1" in env.shelf("import", str(backup)).ok().out
    assert (env.entry("ghphy8")["status"], env.entry("ghphy8")["notes"]) == ("reading", "before")
    assert env.shelf("export", "--format", "toml").ok().out == backup.read_text("utf-8")
    env.shelf("undo").ok()  # the restore is one change
    assert (env.entry("ghphy8")["status"], env.entry("ghphy8")["notes"]) == ("skipped", "after")


@fmt("`markdown` (`.md`)")
def markdown_row(env: Env) -> None:
    env.shelf("set", "ghphy8", "--status", "read").ok()
    note = "See [this](javascript:alert(1)) and <script>x</script> and [ok](https://ok.org)."
    env.shelf("set", "ghphy8", "--note", note).ok()
    written = env.shelf("export", "--query", "AdapterFusion").ok().out
    assert "## Read (1)" in written and "- [x] " in written
    from markdown_it import MarkdownIt

    # The Markdown itself holds no live link to javascript: (CommonMark renderers differ
    # in what they refuse, so the text is checked, not one renderer's output).
    assert "](javascript:" not in written and "[this]\\(javascript:" in written
    html = MarkdownIt("commonmark").render(written)
    assert 'href="https://ok.org"' in html
    assert "<script>" not in html


# -- the tests ------------------------------------------------------------------------------------


def test_every_example_has_a_check() -> None:
    assert readme_examples() == set(CHECKS)
    assert set(table_rows("Query syntax")) == set(QUERIES)
    assert set(table_rows("Formats")) == set(FORMATS)


def _each(registry: dict[str, Check]) -> list[Check]:
    """Every check once (several examples of one row share a check)."""
    return sorted(set(registry.values()), key=lambda function: function.__name__)


@pytest.mark.parametrize("claim", _each(CHECKS), ids=lambda function: function.__name__)
def test_readme_example(claim: Check, env: Env) -> None:
    claim(env)


@pytest.mark.parametrize("claim", _each(QUERIES), ids=lambda function: function.__name__)
def test_readme_query_row(claim: Check, env: Env) -> None:
    claim(env)


@pytest.mark.parametrize("claim", _each(FORMATS), ids=lambda function: function.__name__)
def test_readme_format_row(claim: Check, env: Env) -> None:
    claim(env)
