"""Unit tests for the Hugging Face page-copy reader, text decoding and the format registry."""

from __future__ import annotations

import codecs

import pytest

from shelf import formats
from shelf.domain import InputError
from shelf.formats import hf_text
from support.paths import PAGE_COPY

ABSTRACT_A = (
    "We study how to move what a network learned on one task to another task, and find "
    "that a small adapter trained on the target task recovers most of the accuracy."
)
ABSTRACT_B = (
    "A second abstract that is comfortably longer than the minimum length an abstract line "
    "must have, describing a method for continual learning without forgetting."
)
ABSTRACT_C = (
    "A third abstract, again long enough to count as one: it proposes a benchmark for "
    "test-time adaptation and reports results on twelve distribution shifts."
)


def _page(*lines: str, newline: str = "\n") -> str:
    return newline.join(lines) + newline


# -- the real page copy -----------------------------------------------------------------


@pytest.fixture(scope="module")
def page_text() -> str:
    return PAGE_COPY.read_text(encoding="utf-8")


def test_real_page_copy_gives_236_papers_and_no_problems(page_text: str) -> None:
    result = hf_text.read(page_text, str(PAGE_COPY))
    assert len(result.papers) == 236
    assert result.problems == ()


def test_real_page_copy_first_paper_has_no_button_label(page_text: str) -> None:
    first = hf_text.read(page_text, "page.txt").papers[0]
    assert first.title == "AdapterFusion: Non-Destructive Task Composition for Transfer Learning"
    assert first.abstract.startswith("Sequential fine-tuning and multi-task learning")
    assert first.abstract.endswith("Our code and adapters are available at AdapterHub.ml.")


def test_real_page_copy_last_paper(page_text: str) -> None:
    last = hf_text.read(page_text, "page.txt").papers[-1]
    assert last.title == "Robust Mean Teacher for Continual and Gradual Test-Time Adaptation"
    assert last.abstract


def test_real_page_copy_has_no_chrome_in_any_paper(page_text: str) -> None:
    papers = hf_text.read(page_text, "page.txt").papers
    for paper in papers:
        assert "Subscribe" not in paper.title
        assert "trending papers" not in paper.title.lower()
        assert paper.title == paper.title.strip()
        assert len(paper.abstract) >= 120
        assert len(paper.title) < len(paper.abstract)
    assert len({paper.title for paper in papers}) == 236


def test_real_page_copy_is_sniffed(page_text: str) -> None:
    assert hf_text.sniff(page_text)


# -- small synthetic pages ----------------------------------------------------------------


def test_simple_pairs() -> None:
    result = hf_text.read(_page("Title A", ABSTRACT_A, "Title B", ABSTRACT_B), "s.txt")
    assert [(p.title, p.abstract) for p in result.papers] == [
        ("Title A", ABSTRACT_A),
        ("Title B", ABSTRACT_B),
    ]
    assert result.problems == ()
    assert all(p.authors == () and p.year is None and p.arxiv_id is None for p in result.papers)


def test_stray_short_line_is_a_problem_and_later_pairs_still_import() -> None:
    text = _page("Title A", ABSTRACT_A, "Load more", "Title B", ABSTRACT_B, "Title C", ABSTRACT_C)
    result = hf_text.read(text, "stray.txt")
    assert [p.title for p in result.papers] == ["Title A", "Title B", "Title C"]
    assert [p.abstract for p in result.papers] == [ABSTRACT_A, ABSTRACT_B, ABSTRACT_C]
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.source == "stray.txt"
    assert problem.line == 3
    assert "Load more" in problem.message
    assert str(problem).startswith("stray.txt:3: ")


def test_problem_line_numbers_count_blank_lines() -> None:
    text = _page("", "Title A", "", ABSTRACT_A, "", "", "oops", "", "Title B", ABSTRACT_B)
    result = hf_text.read(text, "s.txt")
    assert [p.title for p in result.papers] == ["Title A", "Title B"]
    assert [problem.line for problem in result.problems] == [7]


def test_orphan_abstract_is_a_problem() -> None:
    too_long_for_a_title = "x" * 450
    text = _page("Title A", ABSTRACT_A, too_long_for_a_title, "Title B", ABSTRACT_B)
    result = hf_text.read(text, "s.txt")
    assert [p.title for p in result.papers] == ["Title A", "Title B"]
    assert [problem.line for problem in result.problems] == [3]


def test_title_without_an_abstract_at_the_end_is_kept_and_reported() -> None:
    result = hf_text.read(_page("Title A", ABSTRACT_A, "Title B"), "s.txt")
    assert [(p.title, p.abstract) for p in result.papers] == [
        ("Title A", ABSTRACT_A),
        ("Title B", ""),
    ]
    assert [problem.line for problem in result.problems] == [3]
    assert "kept" in result.problems[0].message


def test_crlf_line_endings() -> None:
    text = _page("Title A", ABSTRACT_A, "Title B", ABSTRACT_B, newline="\r\n")
    result = hf_text.read(text, "crlf.txt")
    assert [(p.title, p.abstract) for p in result.papers] == [
        ("Title A", ABSTRACT_A),
        ("Title B", ABSTRACT_B),
    ]
    assert result.problems == ()
    assert not any("\r" in p.title or "\r" in p.abstract for p in result.papers)


def test_blank_lines_and_surrounding_spaces_between_pairs() -> None:
    text = _page(
        "", "  Title A  ", "", "", f"\t{ABSTRACT_A} ", "   ", "Title B", "", ABSTRACT_B, ""
    )
    result = hf_text.read(text, "s.txt")
    assert [(p.title, p.abstract) for p in result.papers] == [
        ("Title A", ABSTRACT_A),
        ("Title B", ABSTRACT_B),
    ]
    assert result.problems == ()


def test_page_chrome_is_dropped_silently() -> None:
    text = _page(
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Title A",
        ABSTRACT_A,
    )
    result = hf_text.read(text, "s.txt")
    assert [p.title for p in result.papers] == ["Title A"]
    assert result.problems == ()


def test_subscribe_glued_to_a_title_is_removed() -> None:
    result = hf_text.read(_page("SubscribeTitle A", ABSTRACT_A), "s.txt")
    assert result.papers[0].title == "Title A"


def test_empty_text_gives_nothing() -> None:
    result = hf_text.read("", "empty.txt")
    assert result.papers == ()
    assert result.problems == ()


def test_sniff_synthetic() -> None:
    assert hf_text.sniff(_page("Title A", ABSTRACT_A, "Title B", ABSTRACT_B))
    assert hf_text.sniff(_page("Title A", ABSTRACT_A))  # a page of one paper is a page too
    assert not hf_text.sniff("@article{x,\n  title = {A},\n}\n")
    assert not hf_text.sniff("just\nsome\nshort\nlines\n")


# -- decoding bytes -----------------------------------------------------------------------


def test_decode_plain_utf8() -> None:
    assert formats.decode("café — ★".encode(), "f.txt") == "café — ★"


def test_decode_strips_a_utf8_bom() -> None:
    assert formats.decode(codecs.BOM_UTF8 + b"Title", "f.txt") == "Title"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_with_a_bom(encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + "Transfer learning — café\nline two".encode(encoding)
    assert formats.decode(data, "f.txt") == "Transfer learning — café\nline two"


def test_decode_falls_back_to_cp1252() -> None:
    data = "Café “quoted” \u2013 naïve".encode("cp1252")
    assert formats.decode(data, "f.txt") == "Café “quoted” \u2013 naïve"


def test_decode_refuses_nul_bytes() -> None:
    with pytest.raises(InputError) as caught:
        formats.decode(b"Title\x00\x01\x02binary", "blob.bin")
    assert caught.value.source == "blob.bin"
    assert str(caught.value).startswith("blob.bin: ")
    assert "binary" in str(caught.value)


def test_decode_refuses_utf16_without_a_bom() -> None:
    with pytest.raises(InputError):
        formats.decode("Title".encode("utf-16-le"), "f.txt")


# -- the registry ---------------------------------------------------------------------------


def test_reader_for_by_extension() -> None:
    page = _page("Title A", ABSTRACT_A, "Title B", ABSTRACT_B)
    assert formats.reader_for("papers.txt", page).name == "hf-text"
    assert formats.reader_for("/a/b/PAPERS.TXT", page).name == "hf-text"


@pytest.mark.parametrize(
    "text",
    [
        "anything at all",
        "# Notes\n\nSome thoughts on papers I read this week, in no order at all.\n",
        "| file | source |\n| --- | --- |\n| a.bib | somewhere |\n",
    ],
)
def test_a_txt_file_that_is_not_a_page_copy_is_refused(text: str) -> None:
    # Without the fix: any .txt was read as a page copy, and prose became "papers".
    with pytest.raises(InputError, match="not a known kind of file"):
        formats.reader_for("notes.txt", text)


def test_reader_for_by_sniffing() -> None:
    text = _page("Title A", ABSTRACT_A, "Title B", ABSTRACT_B)
    assert formats.reader_for("clipboard", text).name == "hf-text"
    assert formats.reader_for("page.dat", text).name == "hf-text"


def test_reader_for_forced_name_wins() -> None:
    assert formats.reader_for("notes.md", "# nothing like a page", "hf-text").name == "hf-text"


def test_reader_for_unknown_forced_name() -> None:
    with pytest.raises(InputError) as caught:
        formats.reader_for("papers.txt", "", "endnote")
    message = str(caught.value)
    assert message.startswith("papers.txt: ")
    assert "'endnote'" in message
    assert "hf-text" in message


def test_reader_for_unrecognized_content() -> None:
    with pytest.raises(InputError) as caught:
        formats.reader_for("data.xyz", "a,b,c\n1,2,3\n")
    assert str(caught.value).startswith("data.xyz: ")
    assert "--format" in str(caught.value)


def test_reader_reads_through_the_registry() -> None:
    text = _page("Title A", ABSTRACT_A)
    result = formats.reader_for("p.txt", text).read(text, "p.txt")
    assert [p.title for p in result.papers] == ["Title A"]


def test_writer_for() -> None:
    assert formats.writer_for("markdown").name == "markdown"
    assert formats.writer_for("md").name == "markdown"
    with pytest.raises(InputError):
        formats.writer_for("docx")


def test_stray_line_before_a_long_title_does_not_swallow_the_title() -> None:
    long_title = "A Very Long Title " * 8  # 144 characters: long enough to look like an abstract
    abstract = "We show that " + "long abstracts are long, " * 20 + "in the end."
    text = _page("Load more", long_title.strip(), abstract, "Title B", ABSTRACT_B)
    result = hf_text.read(text, "s.txt")
    assert [p.title for p in result.papers] == [long_title.strip(), "Title B"]
    assert result.papers[0].abstract == abstract
    assert [problem.line for problem in result.problems] == [1]
