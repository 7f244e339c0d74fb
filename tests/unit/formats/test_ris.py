"""The RIS reader: a real ProQuest export, BOMs, continuation lines, broken records."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelf import formats
from shelf.domain import InputError, ParseResult, ShelfError
from shelf.domain.identity import normalize_doi
from shelf.formats import ris
from shelf.library import Library
from support.papers import import_text
from support.paths import FIXTURES

PROQUEST = FIXTURES / "asreview-proquest.ris"


@pytest.fixture(scope="module")
def proquest() -> str:
    return PROQUEST.read_text(encoding="utf-8")


def _first_last(name: str) -> str:
    last, _, first = name.partition(", ")
    return f"{first} {last}" if first else name


def _tag_values(text: str, tag: str) -> list[str]:
    return re.findall(rf"^{tag}  - (.*)$", text, re.MULTILINE)


def _records(text: str) -> list[str]:
    return re.findall(r"^TY  - .*?^ER  -", text, re.MULTILINE | re.DOTALL)


# -- the real ProQuest export -----------------------------------------------------------


def test_proquest_export_gives_its_six_records(proquest: str) -> None:
    parsed = ris.read(proquest, "proquest.ris")
    assert parsed.problems == ()
    assert len(parsed.papers) == 6
    # Checked against the file itself: it uses T1 (not TI) for titles.
    assert [paper.title for paper in parsed.papers] == _tag_values(proquest, "T1")
    assert [paper.year for paper in parsed.papers] == [2019, 2019, 2019, 2019, 2018, 2018]
    assert [paper.doi for paper in parsed.papers] == [
        normalize_doi(doi) for doi in _tag_values(proquest, "DO")
    ]
    assert parsed.papers[0].doi == "10.1002/jts.22387"  # from "http://dx.doi.org/10.1002/..."


def test_proquest_authors_venues_and_links(proquest: str) -> None:
    papers = ris.read(proquest, "proquest.ris").papers
    for paper, record in zip(papers, _records(proquest), strict=True):
        assert list(paper.authors) == [_first_last(name) for name in _tag_values(record, "AU")]
        assert paper.venue == _tag_values(record, "JF")[0]  # JF: the full journal name
        assert paper.url == _tag_values(record, "UR")[0]  # UR wins over the L2 link resolver
        assert paper.abstract == " ".join(_tag_values(record, "AB")[0].split())
    assert [len(paper.authors) for paper in papers] == [7, 4, 4, 11, 15, 6]
    assert papers[0].authors[:2] == ("Hannah Jones", "Martin J Dorahy")  # "Last, First" turned
    assert papers[5].authors[0] == "Rens van de Schoot"
    assert papers[5].venue == "Multivariate Behavioral Research"


def test_proquest_keywords_and_notes_stay_out(proquest: str) -> None:
    """KW index terms are not tags and N1 database notes are not the user's notes."""
    papers = ris.read(proquest, "proquest.ris").papers
    text = " ".join(f"{p.title} {p.abstract} {p.venue}" for p in papers)
    assert "Date revised" not in text
    assert "Resource Loss" not in text  # a KW of the first record
    assert all(not paper.arxiv_id for paper in papers)


def test_proquest_imports_into_a_library_once(proquest: str, tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib") as library:
        first = import_text(library, proquest, "proquest.ris")
        again = import_text(library, proquest, "proquest.ris")
        assert (first.added, first.skipped) == (6, 0)
        assert (again.added, again.unchanged) == (0, 6)
        assert library.count() == 6


# -- BOM and line endings -----------------------------------------------------------------


def test_a_bom_does_not_lose_the_first_record(proquest: str) -> None:
    parsed = ris.read("\ufeff" + proquest, "proquest.ris")
    assert len(parsed.papers) == 6
    assert parsed.papers[0].title.startswith("Predictors of posttraumatic stress")


def test_bom_bytes_through_decode_keep_every_record(proquest: str) -> None:
    for data in (
        b"\xef\xbb\xbf" + proquest.encode("utf-8"),
        "\ufeff".encode("utf-16-le") + proquest.encode("utf-16-le"),
    ):
        text = formats.decode(data, "proquest.ris")
        assert formats.reader_for("proquest.ris", text).name == "ris"
        assert len(ris.read(text, "proquest.ris").papers) == 6


def test_crlf_and_cr_line_endings_read_the_same(proquest: str) -> None:
    expected = ris.read(proquest, "p.ris")
    assert ris.read(proquest.replace("\n", "\r\n"), "p.ris") == expected
    assert ris.read(proquest.replace("\n", "\r"), "p.ris") == expected


# -- continuation lines and structure -----------------------------------------------------


def _ris(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_continuation_lines_belong_to_the_tag_above() -> None:
    text = _ris(
        "TY  - JOUR",
        "TI  - A title that is long enough",
        "  to wrap onto a second line",
        "AB  - The abstract starts here",
        "and goes on here,",
        "",
        "and ends here.",
        "AU  - Doe, Jane",
        "Roe, Richard",
        "PY  - 2004",
        "ER  - ",
    )
    (paper,) = ris.read(text, "x.ris").papers
    assert paper.title == "A title that is long enough to wrap onto a second line"
    assert paper.abstract == "The abstract starts here and goes on here, and ends here."
    assert paper.authors == ("Jane Doe", "Richard Roe")  # one name per line
    assert paper.year == 2004


def test_a_continuation_never_joins_the_previous_records_last_tag() -> None:
    text = _ris(
        "TY  - JOUR",
        "TI  - First",
        "DO  - 10.1000/one",
        "ER  - ",
        "TY  - JOUR",
        "stray text right after TY",
        "TI  - Second",
        "ER  - ",
    )
    first, second = ris.read(text, "x.ris").papers
    assert (first.doi, second.doi) == ("10.1000/one", None)
    assert second.title == "Second"


def test_missing_title_is_a_problem_with_the_records_line() -> None:
    text = _ris(
        "TY  - JOUR",
        "TI  - Kept",
        "ER  - ",
        "",
        "TY  - JOUR",
        "AU  - Nobody, Named",
        "AB  - An abstract without a title.",
        "ER  - ",
        "TY  - BOOK",
        "T1  - Also kept",
        "ER  - ",
    )
    parsed = ris.read(text, "refs.ris")
    assert [paper.title for paper in parsed.papers] == ["Kept", "Also kept"]
    (problem,) = parsed.problems
    assert (problem.source, problem.line) == ("refs.ris", 5)
    assert "no title" in problem.message
    assert str(problem).startswith("refs.ris:5: ")


def test_records_without_er_are_kept() -> None:
    text = _ris(
        "TY  - JOUR",
        "TI  - No ER before the next TY",
        "TY  - JOUR",
        "TI  - No ER at the end of the file",
    )
    titles = [paper.title for paper in ris.read(text, "x.ris").papers]
    assert titles == ["No ER before the next TY", "No ER at the end of the file"]


def test_preamble_single_space_tags_and_field_fallbacks() -> None:
    text = _ris(
        "Provider: Some Database",
        "Content: text/plain; charset=UTF-8",
        "",
        "TY - CHAP",
        "T1 - Single-space tags",
        "A1 - Primary, Author",
        "A2 - Editor, Not An Author",
        "Y1 - 2004/05/01/",
        "N2 - The abstract in N2.",
        "T2 - The Book Title",
        "UR - https://doi.org/10.1234/ABC.5",
        "KW - keyword",
        "ER - ",
    )
    (paper,) = ris.read(text, "x.ris").papers
    assert paper.title == "Single-space tags"
    assert paper.authors == ("Author Primary",)  # A2 holds editors
    assert paper.year == 2004
    assert paper.abstract == "The abstract in N2."
    assert paper.venue == "The Book Title"
    assert paper.doi == "10.1234/abc.5"  # from the doi.org link, as there is no DO
    assert paper.url == "https://doi.org/10.1234/ABC.5"


def test_title_and_year_preferences() -> None:
    text = _ris(
        "TY  - JOUR",
        "T1  - The T1 title",
        "TI  - The TI title",
        "DA  - 2001/02/03",
        "PY  - 1999",
        "JO  - J. Abbrev.",
        "JF  - Journal Full Name",
        "L2  - https://example.org/fulltext",
        "UR  - not a link",
        "ER  - ",
    )
    (paper,) = ris.read(text, "x.ris").papers
    assert paper.title == "The TI title"
    assert paper.year == 1999
    assert paper.venue == "Journal Full Name"
    assert paper.url == "https://example.org/fulltext"


@pytest.mark.parametrize("text", ["", "just some text\n", "@article{x, title={y}}\n", "ER  - \n"])
def test_text_without_records_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match=r"^x\.ris: not a RIS file"):
        ris.read(text, "x.ris")


def test_sniff() -> None:
    assert ris.sniff("TY  - JOUR\nTI  - x\nER  - \n")
    assert ris.sniff("\ufeffTY  - JOUR\n")
    assert ris.sniff("\n\nTY  - JOUR\n")
    assert not ris.sniff("The TY  - line is not at a line start\n")
    assert not ris.sniff("@article{key,\n  title = {x}\n}\n")
    text = _ris("TY  - JOUR", "TI  - Found by content", "ER  - ")
    assert formats.reader_for("refs.txt.unknown", text).name == "ris"


# -- never an unhandled exception -------------------------------------------------------------

_TAGS = ["TY", "ER", "TI", "T1", "AU", "A1", "AB", "N2", "PY", "DA", "DO", "UR", "L2", "KW", "JF"]
_LINES = st.one_of(
    st.builds(
        lambda tag, sep, value: f"{tag}{sep}{value}",
        st.sampled_from(_TAGS),
        st.sampled_from(["  - ", " - ", "  -", "  -  "]),
        st.text(max_size=30),
    ),
    st.text(max_size=30),
)


def _ends_cleanly(text: str) -> None:
    with contextlib.suppress(ShelfError):
        assert isinstance(ris.read(text, "fuzz.ris"), ParseResult)
    ris.sniff(text)


@settings(max_examples=75, deadline=None)
@given(st.text())
def test_arbitrary_text_gives_papers_or_a_clear_error(text: str) -> None:
    _ends_cleanly(text)


@settings(max_examples=75, deadline=None)
@given(st.lists(_LINES, max_size=25), st.sampled_from(["\n", "\r\n", "\r"]))
def test_arbitrary_tag_lines_give_papers_or_a_clear_error(lines: list[str], newline: str) -> None:
    _ends_cleanly(newline.join(lines))
