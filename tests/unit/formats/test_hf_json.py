"""The Hugging Face daily-papers JSON reader: a real scraper dump, the API shape, duplicates."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelf import formats
from shelf.domain import InputError, ParseResult, ShelfError
from shelf.formats import hf_json, json_list
from shelf.library import Library
from support.papers import import_text
from support.paths import FIXTURES

DAILY = FIXTURES / "hf-daily-papers-2025-12-04.json"


@pytest.fixture(scope="module")
def daily_text() -> str:
    return DAILY.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def daily(daily_text: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(daily_text)
    return records


# -- the real scraper dump ----------------------------------------------------------------


def test_real_dump_gives_24_papers_with_arxiv_ids(
    daily_text: str, daily: list[dict[str, Any]]
) -> None:
    parsed = hf_json.read(daily_text, "2025-12-04.json")
    assert parsed.problems == ()
    assert len(parsed.papers) == len(daily) == 24
    for paper, record in zip(parsed.papers, daily, strict=True):
        assert paper.title == record["title"]
        assert paper.url == record["paper_url"]
        assert paper.arxiv_id == record["paper_url"].rsplit("/", 1)[1]
        assert record["details"]["arxiv_page_url"].endswith(paper.arxiv_id)
        assert list(paper.authors) == record["authors"]
        assert paper.year is None  # the listing date is not a publication year
    assert parsed.papers[0].arxiv_id == "2511.21631"
    assert len({paper.arxiv_id for paper in parsed.papers}) == 24


def test_real_dump_abstracts(daily_text: str, daily: list[dict[str, Any]]) -> None:
    papers = hf_json.read(daily_text, "d.json").papers
    empty = [r["title"] for r in daily if not r["details"]["abstract"]]
    assert len(empty) == 4  # two null, two ""
    repeats = [r["title"] for r in daily if r["details"]["abstract"] == r["title"]]
    assert repeats == [
        "Qwen3-VL Technical Report",
        "SkillFactory: Self-Distillation For Learning Cognitive Behaviors",
    ]
    for paper, record in zip(papers, daily, strict=True):
        if record["title"] in empty or record["title"] in repeats:
            assert paper.abstract == ""  # an abstract that repeats the title is no abstract
        else:
            # Scraped text: runs of white space are folded to one space.
            assert paper.abstract == " ".join(record["details"]["abstract"].split())


def test_registry_picks_hf_json_for_the_dump(daily_text: str) -> None:
    assert hf_json.sniff(daily_text)
    assert formats.reader_for("2025-12-04.json", daily_text).name == "hf-json"
    assert formats.reader_for("dump.unknown", daily_text).name == "hf-json"
    generic = json.dumps([{"title": "A plain list", "doi": "10.1000/x"}])
    assert not hf_json.sniff(generic)
    assert formats.reader_for("list.json", generic).name == "json"


# -- the same paper on several days is one paper --------------------------------------------


def test_a_paper_listed_twice_in_one_file_is_two_records_with_one_arxiv_id(
    daily: list[dict[str, Any]], tmp_path: Path
) -> None:
    text = json.dumps([*daily, {**daily[3], "scraped_date": "2025-12-05"}])
    parsed = hf_json.read(text, "twice.json")
    assert len(parsed.papers) == 25
    assert parsed.papers[3].arxiv_id == parsed.papers[24].arxiv_id == "2512.03405"
    with Library.open(tmp_path / "lib") as library:
        report = import_text(library, text, "twice.json")
        assert library.count() == 24
        assert report.added == 24


def test_the_same_day_imported_twice_and_an_overlapping_day_add_nothing_twice(
    daily_text: str, daily: list[dict[str, Any]], tmp_path: Path
) -> None:
    next_day = json.dumps(
        [
            {**daily[0], "scraped_date": "2025-12-05"},
            {
                "title": "A paper new on the next day",
                "paper_url": "https://huggingface.co/papers/2512.09999",
                "authors": ["New Author"],
                "details": {
                    "abstract": "New.",
                    "arxiv_page_url": "https://arxiv.org/abs/2512.09999",
                },
            },
        ]
    )
    with Library.open(tmp_path / "lib") as library:
        import_text(library, daily_text, "2025-12-04.json")
        again = import_text(library, daily_text, "2025-12-04.json")
        assert library.count() == 24
        assert again.added == 0
        later = import_text(library, next_day, "2025-12-05.json")
        assert (later.added, library.count()) == (1, 25)


# -- other shapes ------------------------------------------------------------------------------


def test_api_shape_and_papers_wrapper() -> None:
    text = json.dumps(
        {
            "papers": [
                {
                    "paper": {
                        "id": "2106.09685",
                        "title": "LoRA:\n  Low-Rank Adaptation",
                        "summary": "  We propose LoRA.  ",
                        "authors": [{"name": "Edward J. Hu"}, {"name": "Yelong Shen"}, {}],
                    },
                    "numComments": 3,
                }
            ]
        }
    )
    assert hf_json.sniff(text)
    (paper,) = hf_json.read(text, "api.json").papers
    assert paper.title == "LoRA: Low-Rank Adaptation"
    assert paper.abstract == "We propose LoRA."
    assert paper.authors == ("Edward J. Hu", "Yelong Shen")
    assert paper.arxiv_id == "2106.09685"
    assert paper.url == "https://huggingface.co/papers/2106.09685"


def test_authors_as_one_string_and_ids_from_the_pdf_link() -> None:
    text = json.dumps(
        [
            {
                "title": "T",
                "authors": "Ada Lovelace, Alan Turing and Grace Hopper",
                "details": {"pdf_url": "https://arxiv.org/pdf/2401.01234v2"},
            }
        ]
    )
    (paper,) = hf_json.read(text, "x.json").papers
    assert paper.authors == ("Ada Lovelace", "Alan Turing", "Grace Hopper")
    assert paper.arxiv_id == "2401.01234"
    assert paper.url == ""


def test_records_without_a_title_are_problems_with_their_line() -> None:
    text = (
        "[\n"
        '  {"title": "Kept", "paper_url": "https://huggingface.co/papers/2401.00001"},\n'
        '  {"paper_url": "https://huggingface.co/papers/2401.00002", "details": {}},\n'
        '  "not an object",\n'
        '  {"title": "Also kept", "details": {}}\n'
        "]\n"
    )
    parsed = hf_json.read(text, "d.json")
    assert [paper.title for paper in parsed.papers] == ["Kept", "Also kept"]
    assert [(p.line, p.message) for p in parsed.problems] == [
        (3, "record skipped: no title"),
        (4, "record skipped: no title"),
    ]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('[{"title": "x",\n "paper_url": }]', "not valid JSON", 2),
        ('{"title": "one object, not a list"}', "expected a list of papers", None),
        ("42", "expected a list of papers", None),
    ],
)
def test_bad_json_is_an_input_error(text: str, message: str, line: int | None) -> None:
    with pytest.raises(InputError, match=message) as caught:
        hf_json.read(text, "d.json")
    assert caught.value.line == line


def test_bom_is_ignored(daily_text: str) -> None:
    assert len(hf_json.read("\ufeff" + daily_text, "d.json").papers) == 24
    assert hf_json.sniff("\ufeff" + daily_text)


# -- never an unhandled exception -------------------------------------------------------------

_KEYS = st.sampled_from(
    [
        "title",
        "paper_url",
        "authors",
        "details",
        "abstract",
        "arxiv_page_url",
        "pdf_url",
        "paper",
        "id",
        "summary",
        "name",
        "papers",
        "page_url",
    ]
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(_KEYS | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=25,
)


def _ends_cleanly(text: str) -> None:
    for reader in (hf_json, json_list):
        with contextlib.suppress(ShelfError):
            assert isinstance(reader.read(text, "fuzz.json"), ParseResult)
        reader.sniff(text)


@settings(max_examples=75, deadline=None)
@given(st.text())
def test_arbitrary_text_gives_papers_or_a_clear_error(text: str) -> None:
    _ends_cleanly(text)


@settings(max_examples=75, deadline=None)
@given(_JSON, st.sampled_from(["bare", "list", "papers"]))
def test_arbitrary_json_gives_papers_or_a_clear_error(document: Any, shape: str) -> None:
    if shape != "bare":
        document = [document, document] if shape == "list" else {"papers": [document]}
    _ends_cleanly(json.dumps(document, indent=1))


def test_an_api_record_whose_id_is_no_arxiv_id_gets_no_page_address() -> None:
    # The hostile pass of issue 14: the id "../../etc" became the link
    # https://huggingface.co/papers/../../etc.
    api = [{"paper": {"id": "../../etc", "title": "Odd"}},
           {"paper": {"id": "2410.16251", "title": "Fine"}}]  # fmt: skip
    odd, fine = hf_json.read(json.dumps(api), "api.json").papers
    assert (odd.url, odd.arxiv_id) == ("", None)
    assert fine.url == "https://huggingface.co/papers/2410.16251"
