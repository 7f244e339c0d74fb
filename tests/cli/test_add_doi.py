"""``shelf add DOI`` against a local stand-in for Crossref serving recorded real answers.

The installed command runs as a process, pointed at the stand-in on 127.0.0.1
(``support.crossref_stub``) through ``[crossref] api_url`` in a config file.
Without the feature (main of 2026-12-06) every DOI was refused as "not an arXiv id".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from shelf import __version__
from support.arxiv_stub import Stub
from support.arxiv_stub import serving as serving_arxiv
from support.commands import run
from support.crossref_stub import PONE, SREP, WORKS, CrossrefStub, config_for, serving

SREP_TITLE = (
    "Single-molecule FRET studies on alpha-synuclein oligomerization of "
    "Parkinson\u2019s disease genetically related mutants"
)
SREP_AUTHORS = [
    "Laura Tosatto", "Mathew H. Horrocks", "Alexander J. Dear", "Tuomas P. J. Knowles",
    "Mauro Dalla Serra", "Nunilo Cremades", "Christopher M. Dobson", "David Klenerman",
]  # fmt: skip


def papers(library: Path) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(run("list", "--json", library=library).ok().out)
    return found


def shown(library: Path, ref: str) -> dict[str, object]:
    entry: dict[str, object] = json.loads(run("show", "--json", ref, library=library).ok().out)
    return entry


@pytest.fixture
def crossref() -> CrossrefStub:
    return CrossrefStub()


@pytest.fixture
def works_url(crossref: CrossrefStub) -> Iterator[str]:
    with serving(crossref) as url:
        yield url


# -- adding --------------------------------------------------------------------------------


def test_a_doi_brings_crossrefs_record_with_a_plain_text_abstract(
    tmp_path: Path, crossref: CrossrefStub, works_url: str
) -> None:
    config = config_for(tmp_path, works_url, mailto="reader@example.org")
    library = tmp_path / "lib"

    added = run("add", SREP, library=library, config=config).ok()

    assert added.out.strip() == "added 1, merged 0, unchanged 0, skipped 0"
    assert crossref.paths == [SREP]
    assert crossref.user_agents == [f"shelf/{__version__} (mailto:reader@example.org)"]
    paper = shown(library, SREP)
    assert paper["title"] == SREP_TITLE
    assert paper["authors"] == SREP_AUTHORS
    assert (paper["year"], paper["venue"], paper["doi"]) == (2015, "Scientific Reports", SREP)
    assert paper["url"] == "https://doi.org/10.1038/srep16696"
    abstract = str(paper["abstract"])
    # The JATS answer is "<jats:title>Abstract</jats:title><jats:p>Oligomers of ...</jats:p>".
    assert abstract.startswith("Oligomers of alpha-synuclein are toxic to cells")
    assert "single-molecule Förster Resonance Energy Transfer" in abstract
    assert abstract.endswith("for triggering neurodegeneration.")
    assert "<" not in abstract and ">" not in abstract and "jats" not in abstract


def test_without_a_mailto_the_user_agent_names_only_shelf(
    tmp_path: Path, crossref: CrossrefStub, works_url: str
) -> None:
    run("add", PONE, library=tmp_path / "lib", config=config_for(tmp_path, works_url)).ok()

    assert crossref.user_agents[0].startswith(f"shelf/{__version__} (")
    assert "mailto" not in crossref.user_agents[0]


def test_a_doi_org_link_and_a_doi_prefix_are_dois(
    tmp_path: Path, crossref: CrossrefStub, works_url: str
) -> None:
    config = config_for(tmp_path, works_url)
    library = tmp_path / "lib"

    added = run("add", "https://doi.org/10.1038/SREP16696", f"doi:{PONE}", "--json",
                library=library, config=config).ok()  # fmt: skip

    assert json.loads(added.out)["added"] == 2
    assert crossref.paths == [SREP, PONE], "one request per DOI, lower-cased"
    paper = shown(library, PONE)
    assert paper["title"] == (
        "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of "
        "Microglia in the Basal Ganglia of Mice"
    )
    assert (paper["year"], paper["venue"], paper["abstract"]) == (2012, "PLoS ONE", "")


def test_arxiv_ids_and_dois_in_one_command(
    tmp_path: Path, crossref: CrossrefStub, works_url: str
) -> None:
    arxiv = Stub()
    with serving_arxiv(arxiv) as arxiv_url:
        config = config_for(tmp_path, works_url, arxiv_url=arxiv_url)
        added = run("add", "2106.09685", SREP, "arxiv:1706.03762",
                    library=tmp_path / "lib", config=config).ok()  # fmt: skip

    assert added.out.strip() == "added 3, merged 0, unchanged 0, skipped 0"
    assert [query["id_list"] for query in arxiv.queries] == [["2106.09685,1706.03762"]]
    assert crossref.paths == [SREP]


def test_every_argument_is_checked_before_anything_is_fetched(
    tmp_path: Path, crossref: CrossrefStub, works_url: str
) -> None:
    arxiv = Stub()
    with serving_arxiv(arxiv) as arxiv_url:
        config = config_for(tmp_path, works_url, arxiv_url=arxiv_url)
        line = run("add", "2106.09685", SREP, "10.1038", library=tmp_path / "lib",
                   config=config).error()  # fmt: skip

    assert line.startswith("shelf: not an arXiv id or a DOI: '10.1038' (expected e.g. ")
    assert arxiv.queries == [] and crossref.paths == []
    assert not (tmp_path / "lib").exists()


def test_adding_a_doi_again_merges_and_keeps_the_readers_state(
    tmp_path: Path, crossref: CrossrefStub, works_url: str
) -> None:
    library = tmp_path / "lib"
    bib = tmp_path / "mine.bib"
    bib.write_text(
        "@article{tosatto2015,\n  title = {Single-molecule FRET studies of alpha-synuclein},\n"
        "  doi = {10.1038/SREP16696},\n}\n",
        encoding="utf-8",
    )
    run("import", str(bib), library=library).ok()
    run("set", SREP, "--status", "read", "--star", "--tag", "pd", library=library).ok()
    config = config_for(tmp_path, works_url)

    merged = run("add", f"https://doi.org/{SREP}", library=library, config=config).ok()
    again = run("add", SREP, library=library, config=config).ok()

    assert merged.out.strip() == "added 0, merged 1, unchanged 0, skipped 0"
    assert again.out.strip() == "added 0, merged 0, unchanged 1, skipped 0"
    (paper,) = papers(library)
    assert paper["title"] == "Single-molecule FRET studies of alpha-synuclein", (
        "what was known stays"
    )
    assert (paper["status"], paper["starred"], paper["tags"]) == ("read", True, ["pd"])
    assert (paper["authors"], paper["year"]) == (SREP_AUTHORS, 2015), "what was missing came"


# -- errors: one line each, nothing imported --------------------------------------------------


@pytest.fixture
def one_paper(tmp_path: Path, works_url: str) -> tuple[Path, Path]:
    """A library holding PLoS ONE's paper, and the stand-in's config."""
    config = config_for(tmp_path, works_url, timeout=1)
    library = tmp_path / "lib"
    run("add", PONE, library=library, config=config).ok()
    return library, config


def test_a_doi_crossref_does_not_know_is_named(
    one_paper: tuple[Path, Path], works_url: str
) -> None:
    library, config = one_paper

    line = run("add", SREP, "10.5555/no.such.work", library=library, config=config).error()

    host = works_url.split("/")[2]
    assert (
        line == f"shelf: Crossref has no record of DOI 10.5555/no.such.work (HTTP 404 from {host})"
    )
    assert len(papers(library)) == 1, "the DOI that was found is not imported either"


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (500, "answered HTTP 500 Internal Server Error; the service has a problem"),
        (429, "answered HTTP 429 Too Many Requests; the service is busy or asks to slow down"),
    ],
)
def test_an_http_error_is_one_line(
    one_paper: tuple[Path, Path], crossref: CrossrefStub, works_url: str, status: int, says: str
) -> None:
    library, config = one_paper
    crossref.status = status

    line = run("add", SREP, library=library, config=config).error()

    assert line.startswith(f"shelf: Crossref at {works_url.split('/')[2]} {says}")
    assert len(papers(library)) == 1


def test_an_answer_that_is_not_json_is_one_line(
    one_paper: tuple[Path, Path], crossref: CrossrefStub, works_url: str
) -> None:
    library, config = one_paper
    crossref.body = "<html><body>Please log in to the hotel wifi</body></html>"

    line = run("add", SREP, library=library, config=config).error()

    assert line.startswith(f"shelf: {works_url}{SREP}:1: Crossref's answer is not valid JSON")
    assert len(papers(library)) == 1


def test_an_oversized_answer_is_refused(
    one_paper: tuple[Path, Path], crossref: CrossrefStub, works_url: str
) -> None:
    library, config = one_paper
    crossref.oversized = 9 * 1024 * 1024

    line = run("add", SREP, library=library, config=config).error()

    assert (
        line == f"shelf: Crossref at {works_url.split('/')[2]} sent more than 8 MB; not reading it"
    )
    assert len(papers(library)) == 1


def test_a_server_that_never_answers_meets_the_deadline(
    one_paper: tuple[Path, Path], crossref: CrossrefStub, works_url: str
) -> None:
    library, config = one_paper
    crossref.slow = True

    # The run's own timeout (60 s) is the proof that the deadline ended the request.
    line = run("add", SREP, library=library, config=config, timeout=60).error()

    assert line == (
        f"shelf: Crossref at {works_url.split('/')[2]} did not answer within 1 s; "
        "try again later or raise [crossref] timeout in the config"
    )
    assert len(papers(library)) == 1


def test_nothing_listening_is_cannot_reach(tmp_path: Path) -> None:
    with serving(CrossrefStub()) as url:
        pass  # the port is free again: nothing listens there now
    config = config_for(tmp_path, url)

    line = run("add", SREP, library=tmp_path / "lib", config=config).error()

    assert line.startswith(f"shelf: cannot reach Crossref at {url.split('/')[2]} (")
    assert not (tmp_path / "lib").exists()


def test_a_bad_mailto_in_the_config_names_the_key(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[crossref]\nmailto = "me at example dot org"\n', encoding="utf-8")

    line = run("add", SREP, library=tmp_path / "lib", config=config).error(2)

    assert line == (
        f"shelf: {config}:2: crossref.mailto: expected an e-mail address such as "
        "you@example.org (or nothing), got 'me at example dot org'"
    )


def test_an_html_abstract_keeps_its_words_and_leaves_out_scripts(
    tmp_path: Path, crossref: CrossrefStub, works_url: str
) -> None:
    recorded = json.loads(WORKS[SREP].read_text(encoding="utf-8"))
    recorded["message"]["abstract"] = (
        "<p>Oligomers are toxic.</p><script>document.write('injected words')</script>"
        "<ul><li>first finding</li><li>second finding</li></ul><style>p{color:red}</style>"
    )
    crossref.body = json.dumps(recorded)
    config = config_for(tmp_path, works_url)

    run("add", SREP, library=tmp_path / "lib", config=config).ok()

    abstract = shown(tmp_path / "lib", SREP)["abstract"]
    assert abstract == "Oligomers are toxic. first finding second finding"
