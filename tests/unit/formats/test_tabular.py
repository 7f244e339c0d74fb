"""CSV and JSON paper lists: readers with their aliases, writers with golden files, round trips.

Regenerate the golden files after an intended change with
``SHELF_UPDATE_GOLDEN=1 pytest tests/unit/formats/test_tabular.py`` and read the diff.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import random
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelf import formats
from shelf.domain import (
    Entry,
    InputError,
    Paper,
    ParseResult,
    ReadingState,
    ShelfError,
    Status,
)
from shelf.domain.query import normalize_tag
from shelf.domain.text import inert
from shelf.formats import csv_table, json_list
from shelf.library import Library
from support.papers import import_text
from support.paths import DOCS, GOLDEN

GOLDEN_CSV = GOLDEN / "csv" / "export.csv"
GOLDEN_JSON = GOLDEN / "json" / "export.json"
STAMP = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
LATER = datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _entries() -> list[Entry]:
    """A small library full of text that spreadsheets and terminals would act on."""
    return [
        Entry(
            "hx0001",
            Paper(
                title='=HYPERLINK("http://x")',
                authors=("Ada Lovelace", "Smith, John; Jr."),
                year=2017,
                venue="+1 Conference, Vol. 2",
                abstract='Line one\nline two, with "quotes", commas; and semicolons',
                url="https://example.org/p?a=1,b=2",
                arxiv_id="1706.03762",
                doi="10.1000/xyz-123",
            ),
            ReadingState(
                status=Status.READ,
                starred=True,
                tags=("-2", "@sum(a1)", "transfer learning"),
                notes="=1+1\nClear \x1b[2J screen \u202eevil",
                added_at=STAMP,
                status_changed_at=LATER,
                read_at=LATER,
            ),
        ),
        Entry(
            "ab0002",
            Paper(
                title="@SUM(A1)",
                authors=("-2",),
                venue="'=already quoted",
                abstract="\tindented abstract",
            ),
            ReadingState(status=Status.TO_READ, tags=("a;b",), notes="'Tis a note", added_at=STAMP),
        ),
        Entry(
            "cd0003",
            Paper(
                title="-2",
                authors=("Zoë Ünal", "山田 太郎"),
                year=2024,
                abstract="\rstarts with a carriage return",
                doi="10.1145/3292500.3330701",
            ),
            ReadingState(
                status=Status.SKIPPED, notes="+1", added_at=STAMP, status_changed_at=LATER
            ),
        ),
        Entry(
            "ef0004",
            Paper(title="\u202eReversed 日本語 title", arxiv_id="cond-mat/0412498"),
            ReadingState(status=Status.READING, starred=True, added_at=STAMP),
        ),
        Entry("zz0009", Paper(title="Bare paper"), ReadingState(added_at=STAMP)),
    ]


def _by_id(parsed: ParseResult) -> dict[str | None, tuple[Paper, ReadingState | None]]:
    return {r.id: (r.paper, r.state) for r in parsed.records}


def _assert_restores(parsed: ParseResult, entries: list[Entry]) -> None:
    assert parsed.problems == ()
    assert [r.id for r in parsed.records] == sorted(entry.id for entry in entries)
    by_id = _by_id(parsed)
    for entry in entries:
        assert by_id[entry.id] == (entry.paper, entry.state)


# -- golden files ---------------------------------------------------------------------------


def _check_golden(path: Path, text: str) -> None:
    if os.environ.get("SHELF_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8")


def test_json_golden_file() -> None:
    text = json_list.write(_entries())
    _check_golden(GOLDEN_JSON, text)
    assert text.endswith("}\n]\n")
    assert "Zoë Ünal" in text and "日本語" in text  # ensure_ascii=False
    assert "\x1b" not in text and "\\u001b[2J" in text  # JSON escapes control characters
    assert "\u202e" not in text and "\\u202eevil" in text  # and here bidi overrides too
    records = json.loads(text)
    assert [record["id"] for record in records] == [
        "ab0002",
        "cd0003",
        "ef0004",
        "hx0001",
        "zz0009",
    ]
    assert all(list(record) == [*csv_table.COLUMNS, "lists"] for record in records)
    bare = records[-1]
    assert bare["year"] is None and bare["doi"] is None and bare["read_at"] is None
    assert bare["authors"] == [] and bare["tags"] == [] and bare["starred"] is False
    assert records[3]["added_at"] == "2025-01-02T03:04:05.678901+00:00"


def test_csv_golden_file() -> None:
    text = csv_table.write(_entries())
    _check_golden(GOLDEN_CSV, text)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(csv_table.COLUMNS)
    assert [row[0] for row in rows[1:]] == ["ab0002", "cd0003", "ef0004", "hx0001", "zz0009"]
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    hx = dict(zip(rows[0], rows[4], strict=True))
    assert hx["title"] == '\'=HYPERLINK("http://x")'
    assert hx["authors"] == "Ada Lovelace; Smith, John;; Jr."
    assert hx["tags"] == "'-2; @sum(a1); transfer learning"
    assert hx["venue"] == "'+1 Conference, Vol. 2"
    assert hx["starred"] == "true"
    ab = dict(zip(rows[0], rows[1], strict=True))
    assert (ab["title"], ab["authors"], ab["abstract"]) == (
        "'@SUM(A1)",
        "'-2",
        "'\tindented abstract",
    )
    assert ab["venue"] == "''=already quoted"  # an apostrophe the reader would take off: doubled
    assert ab["notes"] == "'Tis a note"  # left alone: the reader keeps it
    assert ab["tags"] == "a;;b"


# -- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("module", [json_list, csv_table], ids=["json", "csv"])
def test_write_then_read_restores_papers_states_and_ids(module: Any) -> None:
    entries = _entries()
    expected = _inert(entries) if module is csv_table else entries  # CSV spells controls out
    _assert_restores(module.read(module.write(entries), f"export{module.EXTENSION}"), expected)


@pytest.mark.parametrize("module", [json_list, csv_table], ids=["json", "csv"])
def test_output_does_not_depend_on_input_order(module: Any) -> None:
    entries = _entries()
    shuffled = entries[:]
    random.Random(4).shuffle(shuffled)
    assert module.write(shuffled) == module.write(entries)
    assert module.write([]) == module.write([])


@pytest.mark.parametrize("module", [json_list, csv_table], ids=["json", "csv"])
def test_export_import_export_through_a_library_is_identical(module: Any, tmp_path: Path) -> None:
    text = module.write(_entries())
    source = f"export{module.EXTENSION}"
    with Library.open(tmp_path / "lib") as library:
        report = import_text(library, text, source)
        assert (report.added, report.restored, report.skipped) == (5, 5, 0)
        assert module.write(library.entries()) == text
    path = tmp_path / source
    path.write_bytes(text.encode("utf-8"))
    with Library.open(tmp_path / "other") as other:
        other.import_paths([path])
        assert module.write(other.entries()) == text


def test_empty_exports() -> None:
    assert json_list.write([]) == "[]\n"
    assert csv_table.write([]) == ",".join(csv_table.COLUMNS) + "\r\n"
    assert csv_table.read(csv_table.write([]), "e.csv") == ParseResult(records=())


# -- the formula guard -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''", "'''"),
        ("'Tis", "'Tis"),
        ("'", "'"),
        ("", ""),
        ("a=1", "a=1"),
    ],
)
def test_guard_and_unguard(cell: str, written: str) -> None:
    assert csv_table.guard(cell) == written
    assert csv_table.unguard(written) == cell


def test_a_third_party_apostrophe_is_kept() -> None:
    text = "Title,Notes\n'Tis a title,x\n"
    assert csv_table.read(text, "x.csv").papers[0].title == "'Tis a title"


# -- the JSON reader ----------------------------------------------------------------------------


def test_json_reader_keys_and_aliases() -> None:
    text = json.dumps(
        {
            "papers": [
                {
                    "title": "Aliases",
                    "author": "Ada Lovelace and Alan Turing",
                    "year": "2019-05-01",
                    "journal": "Some Journal",
                    "summary": "An abstract.",
                    "link": "https://example.org/a",
                    "eprint": "https://arxiv.org/abs/2106.09685v2",
                    "doi": "https://doi.org/10.1000/ABC",
                    "tags": ["ignored", "without a status"],
                    "notes": "ignored too",
                },
                {"title": "Semicolons", "authors": "Doe, Jane; Roe, Rick", "year": 2020},
                {"title": "Listed", "authors": ["A. One", " ", "B. Two"], "arxiv_id": "2401.00001"},
                {"title": "Odd values", "year": "n.d.", "venue": 7, "doi": "not a doi"},
            ]
        }
    )
    parsed = json_list.read(text, "list.json")
    assert parsed.problems == ()
    assert all(r.state is None and r.id is None for r in parsed.records)  # no status
    aliases, semicolons, listed, odd = parsed.papers
    assert aliases == Paper(
        title="Aliases",
        authors=("Ada Lovelace", "Alan Turing"),
        year=2019,
        venue="Some Journal",
        abstract="An abstract.",
        url="https://example.org/a",
        arxiv_id="2106.09685",
        doi="10.1000/abc",
    )
    assert semicolons.authors == ("Doe, Jane", "Roe, Rick") and semicolons.year == 2020
    assert listed.authors == ("A. One", "B. Two") and listed.arxiv_id == "2401.00001"
    assert (odd.year, odd.venue, odd.doi) == (None, "7", None)


def test_json_reader_state_only_with_a_status() -> None:
    text = json.dumps(
        [
            {"title": "Plain", "tags": ["x"]},
            {
                "id": "ab0001",
                "title": "Exported",
                "status": "To Read",
                "starred": "yes",
                "tags": "B; a; a",
                "notes": "mine",
                "added_at": "2024-01-02T03:04:05+00:00",
                "read_at": None,
            },
        ]
    )
    parsed = json_list.read(text, "mixed.json")
    assert tuple(r.id for r in parsed.records) == (None, "ab0001")
    assert tuple(r.state for r in parsed.records) == (
        None,
        ReadingState(
            status=Status.TO_READ,
            starred=True,
            tags=("a", "b"),
            notes="mine",
            added_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        ),
    )


def test_json_reader_reports_bad_records_with_their_lines() -> None:
    text = (
        "[\n"
        '  {"title": "Good"},\n'
        '  {"abstract": "no title"},\n'
        "  [1, 2],\n"
        '  {"title": "Bad status", "status": "finished"},\n'
        '  {"title": "Bad stamp", "status": "read", "read_at": "yesterday"},\n'
        '  {"title": "Bad tags", "status": "read", "tags": [1]},\n'
        '  {"title": "   "},\n'
        '  {"title": "Also good", "status": "read"}\n'
        "]\n"
    )
    parsed = json_list.read(text, "bad.json")
    assert [paper.title for paper in parsed.papers] == ["Good", "Also good"]
    assert [problem.line for problem in parsed.problems] == [3, 4, 5, 6, 7, 8]
    messages = [problem.message for problem in parsed.problems]
    assert messages[0] == "record skipped: no title"
    assert messages[1] == "record skipped: expected an object, found a list"
    assert "unknown status 'finished'" in messages[2]
    assert "not an ISO 8601 timestamp" in messages[3]
    assert "list of strings" in messages[4]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('[\n  {"title": "x"},\n  {"title": }\n]', "not valid JSON", 3),
        ('{"items": []}', "expected a list of papers", None),
        ('"a string"', "expected a list of papers", None),
        ("[" * 100_000, "nested too deeply|not valid JSON", None),
    ],
)
def test_json_reader_refuses_what_is_not_a_paper_list(
    text: str, message: str, line: int | None
) -> None:
    with pytest.raises(InputError, match=message) as caught:
        json_list.read(text, "x.json")
    if line is not None:
        assert caught.value.line == line


def test_json_sniff() -> None:
    assert json_list.sniff('[{"title": "x"}]')
    assert json_list.sniff('{"papers": [{"title": "x"}]}')
    assert not json_list.sniff("[]")
    assert not json_list.sniff('[{"name": "x"}]')
    assert not json_list.sniff("title,authors\n")


# -- the CSV reader -----------------------------------------------------------------------------

ZOTERO = (
    '"Key","Item Type","Publication Year","Author","Title","Publication Title","DOI",'
    '"Url","Abstract Note","Date","Date Added","Notes","Manual Tags"\r\n'
    '"ABCD1234","journalArticle","2017","Vaswani, Ashish; Shazeer, Noam","Attention Is All '
    'You Need","Advances in Neural Information Processing Systems","10.5555/3295222.3295349",'
    '"https://arxiv.org/abs/1706.03762","The dominant sequence transduction models...",'
    '"2017-06-12","2024-01-01 10:00:00","<p>a Zotero note</p>","transformers; attention"\r\n'
)


def test_csv_reader_reads_a_zotero_export() -> None:
    parsed = csv_table.read(ZOTERO, "zotero.csv")
    assert parsed.problems == () and all(r.state is None for r in parsed.records)
    (paper,) = parsed.papers
    assert paper == Paper(
        title="Attention Is All You Need",
        authors=("Vaswani, Ashish", "Shazeer, Noam"),
        year=2017,
        venue="Advances in Neural Information Processing Systems",
        abstract="The dominant sequence transduction models...",
        url="https://arxiv.org/abs/1706.03762",
        doi="10.5555/3295222.3295349",
    )


def test_csv_reader_aliases_and_and_separated_authors() -> None:
    text = (
        "Paper Title,Author(s),Pub Year,Source title,arXiv ID,Link,Summary,EPRINT\n"
        "A title,Ada Lovelace and Alan Turing,c. 1843,Notes,https://arxiv.org/abs/2106.09685,"
        "https://example.org,An abstract.,\n"
    )
    (paper,) = csv_table.read(text, "x.csv").papers
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert (paper.year, paper.venue, paper.arxiv_id) == (1843, "Notes", "2106.09685")
    assert (paper.url, paper.abstract) == ("https://example.org", "An abstract.")


def test_csv_rows_without_a_title_are_problems_with_their_line() -> None:
    text = (
        "title,abstract\n"
        'First,"an abstract\nover two lines"\n'
        ",no title here\n"
        "\n"
        "   ,blank title\n"
        "Last,fine\n"
    )
    parsed = csv_table.read(text, "t.csv")
    assert [paper.title for paper in parsed.papers] == ["First", "Last"]
    assert [(p.line, p.message) for p in parsed.problems] == [
        (4, "row skipped: no title"),
        (6, "row skipped: no title"),
    ]


def test_csv_bad_state_values_are_problems() -> None:
    text = (
        "id,title,status,starred,read_at\n"
        "ok0001,Good,read,true,2024-01-01T00:00:00+00:00\n"
        "bd0002,Bad status,finished,false,\n"
        "bd0003,Bad star,read,maybe,\n"
    )
    parsed = csv_table.read(text, "s.csv")
    assert [paper.title for paper in parsed.papers] == ["Good"]
    assert tuple(r.id for r in parsed.records) == ("ok0001",)
    assert [problem.line for problem in parsed.problems] == [3, 4]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("title\tauthors\nTab separated\tA; B\n", "x.tsv"),
        ("title\tauthors\nTab separated\tA; B\n", "x.csv"),
        ("title;authors\nTab separated;A and B\n", "x.csv"),
        ("sep=|\ntitle|authors\nTab separated|A;B\n", "x.csv"),
    ],
    ids=["tsv", "tabs-in-csv", "semicolons", "excel-sep-line"],
)
def test_csv_delimiters(text: str, source: str) -> None:
    (paper,) = csv_table.read(text, source).papers
    assert (paper.title, paper.authors) == ("Tab separated", ("A", "B"))


def test_excel_sep_line_keeps_line_numbers() -> None:
    parsed = csv_table.read("sep=;\ntitle;year\nx;1\n;2\n", "x.csv")
    assert [problem.line for problem in parsed.problems] == [4]


@pytest.mark.parametrize(
    "data",
    [
        "\ufefftitle,authors\nMüller\u2019s Zoë,Ünal\n".encode(),
        "\ufefftitle,authors\nMüller\u2019s Zoë,Ünal\n".encode("utf-16"),
        "title,authors\nMüller\u2019s Zoë,Ünal\n".encode("cp1252"),
    ],
    ids=["utf-8-bom", "utf-16", "cp1252"],
)
def test_csv_encodings_through_decode(data: bytes) -> None:
    text = formats.decode(data, "x.csv")
    assert formats.reader_for("x.csv", text).name == "csv"
    (paper,) = csv_table.read(text, "x.csv").papers
    assert (paper.title, paper.authors) == ("Müller\u2019s Zoë", ("Ünal",))


def test_csv_bom_in_text_is_ignored() -> None:
    assert csv_table.read("\ufeffTitle\nx\n", "x.csv").papers[0].title == "x"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,authors\nx,y\n", "no title column"),
        ("", "no header row"),
        ("\n\n", "no header row"),
    ],
)
def test_csv_reader_refuses_what_is_not_a_paper_table(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        csv_table.read(text, "x.csv")


def test_csv_reader_takes_a_cell_over_the_csv_modules_default_limit() -> None:
    # shelf's own export writes whole abstracts and notes (test_hostile re-imports one).
    (paper,) = csv_table.read('title,abstract\nT,"' + "x" * 200_000 + '"\n', "x.csv").papers
    assert len(paper.abstract) == 200_000


def test_csv_sniff() -> None:
    assert csv_table.sniff("Title,Authors\nx,y\n")
    assert csv_table.sniff("\ufeffid;title;year\n")
    assert not csv_table.sniff("title\nno delimiter\n")
    assert not csv_table.sniff("name,authors\nx,y\n")
    assert formats.reader_for("papers.unknown", "Title,Authors\nx,y\n").name == "csv"


# -- properties ---------------------------------------------------------------------------------

_TITLES = st.text(min_size=1).filter(lambda text: bool(text.strip()))
_TAGS = st.lists(st.text(min_size=1).filter(lambda text: bool(text.strip())), max_size=5).map(
    lambda tags: tuple(sorted({normalize_tag(tag) for tag in tags}))
)


@settings(max_examples=75, deadline=None)
@given(title=_TITLES, abstract=st.text(), notes=st.text(), tags=_TAGS)
def test_arbitrary_text_survives_json_and_csv_round_trips(
    title: str, abstract: str, notes: str, tags: tuple[str, ...]
) -> None:
    entries = [
        Entry(
            "pr0001",
            Paper(title=title, abstract=abstract, venue=notes, authors=(title.strip(),)),
            ReadingState(status=Status.READING, tags=tags, notes=notes, added_at=STAMP),
        ),
        Entry("pr0002", Paper(title="Neighbour", abstract=notes), ReadingState(notes=abstract)),
    ]
    _assert_restores(json_list.read(json_list.write(entries), "p.json"), entries)
    # CSV has no escapes: control characters come back spelled out, as inert text.
    _assert_restores(csv_table.read(csv_table.write(entries), "p.csv"), _inert(entries))


def _inert(entries: list[Entry]) -> list[Entry]:
    def paper(p: Paper) -> Paper:
        return replace(
            p,
            title=inert(p.title),
            abstract=inert(p.abstract),
            venue=inert(p.venue),
            authors=tuple(inert(a) for a in p.authors),
        )

    def state(s: ReadingState) -> ReadingState:
        tags = tuple(sorted({normalize_tag(inert(t)) for t in s.tags}))
        return replace(s, notes=inert(s.notes), tags=tags)

    return [Entry(e.id, paper(e.paper), state(e.state)) for e in entries]


def _ends_cleanly(text: str, source: str) -> None:
    for module in (json_list, csv_table):
        with contextlib.suppress(ShelfError):
            assert isinstance(module.read(text, source), ParseResult)
        module.sniff(text)


@settings(max_examples=75, deadline=None)
@given(st.text(), st.sampled_from(["x.csv", "x.tsv", "x.json"]))
def test_arbitrary_text_gives_papers_or_a_clear_error(text: str, source: str) -> None:
    _ends_cleanly(text, source)


_CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["read", "To Read", "true", "maybe", "2024-01-01", "yesterday", "'=", ";;"]),
)


@settings(max_examples=75, deadline=None)
@given(
    st.lists(st.sampled_from([*csv_table.COLUMNS, "Author", "Date", "x"]), min_size=1, max_size=8),
    st.lists(st.lists(_CELLS, max_size=9), max_size=6),
    st.sampled_from([",", "\t", ";"]),
)
def test_arbitrary_tables_give_papers_or_a_clear_error(
    header: list[str], rows: list[list[str]], delimiter: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["title", *header])
    writer.writerows(rows)
    _ends_cleanly(buffer.getvalue(), "x.csv")
    records = [dict(zip(["title", *header], row, strict=False)) for row in rows]
    _ends_cleanly(json.dumps(records), "x.json")


def test_the_field_reference_lists_every_key_and_column_the_readers_take() -> None:
    # docs/formats.md is the readable copy of these two tables: it must not drift.
    docs = (DOCS / "formats.md").read_text("utf-8")
    json_part, csv_part = docs.split("## CSV and TSV")
    for keys in json_list.KEYS.values():
        for key in keys:
            assert f"`{key}`" in json_part, key
    for field, columns in csv_table.ALIASES.items():
        for column in columns:
            assert f"`{column}`" in csv_part.split("## What is restored")[0], (field, column)
