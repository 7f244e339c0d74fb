"""The TOML state backup: exact round trips, restores into empty and full libraries, bad files."""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelf.domain import Entry, InputError, Paper, ReadingState, Status
from shelf.formats import toml_state
from shelf.library import Library
from support import paths

GOLDEN = paths.GOLDEN / "toml" / "state.toml"
STAMP = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)


def _entries() -> list[Entry]:
    return [
        Entry(
            "b2",
            Paper(
                title='Quotes " and \\ backslashes [bold]x[/] \x1b[2J',
                authors=("Zoë Ünal", "R. Réjean"),
                year=2021,
                venue="NeurIPS",
                abstract="Line one.\nLine two with ''' triple quotes.",
                url="https://example.org/paper",
                arxiv_id="2106.09685",
                doi="10.1000/xyz",
            ),
            ReadingState(
                status=Status.READ,
                starred=True,
                tags=("survey", "to cite"),
                notes='# Notes\n\n- a "quoted" point\n- a tab\there\n',
                added_at=STAMP,
                status_changed_at=STAMP,
                read_at=STAMP,
            ),
        ),
        Entry("a1", Paper(title="Bare paper"), ReadingState(added_at=STAMP)),
    ]


def test_golden_file() -> None:
    text = toml_state.write(_entries())
    if os.environ.get("SHELF_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    assert text.index('id = "a1"') < text.index('id = "b2"')  # ordered by id
    assert "\x1b" not in text  # control characters are escaped
    tomllib.loads(text)  # valid TOML


def test_read_gives_back_papers_states_and_ids() -> None:
    entries = _entries()
    parsed = toml_state.read(toml_state.write(entries), "state.toml")
    assert parsed.problems == ()
    by_id = {r.id: (r.paper, r.state) for r in parsed.records}
    for entry in entries:
        paper, state = by_id[entry.id]
        assert paper == entry.paper
        assert state == entry.state


def _exported(library: Library) -> str:
    return "".join(library.render("toml", library.select()))


def test_export_import_export_is_identical_into_an_empty_library(
    page_library: Library, tmp_path: Path
) -> None:
    first, second = (entry.id for entry in page_library.entries(limit=2))
    page_library.update(first, status=Status.READ, starred=True, add_tags=["survey"], notes="n1")
    page_library.update(second, status=Status.SKIPPED, notes="why not:\n- off topic")
    backup = tmp_path / "state.toml"
    page_library.export("toml", page_library.select(), backup)

    with Library.open(tmp_path / "elsewhere") as other:
        report = other.import_paths([backup])
        assert (report.added, report.skipped) == (236, 0)
        assert other.get(first).state == page_library.get(first).state
        assert _exported(other) == backup.read_text(encoding="utf-8")


def test_import_restores_state_into_a_library_that_has_the_papers(
    page_library: Library, tmp_path: Path
) -> None:
    paper_id = page_library.entries(limit=1)[0].id
    page_library.update(paper_id, status=Status.READING, add_tags=["keep"], notes="original")
    backup = tmp_path / "state.toml"
    page_library.export("toml", page_library.select(), backup)

    page_library.update(paper_id, status=Status.SKIPPED, remove_tags=["keep"], notes="changed")
    report = page_library.import_paths([backup])
    assert (report.added, report.merged, report.restored) == (0, 0, 1)
    state = page_library.get(paper_id).state
    assert (state.status, state.tags, state.notes) == (Status.READING, ("keep",), "original")
    assert _exported(page_library) == backup.read_text(encoding="utf-8")
    # The restore is one undoable action: undo brings back what it overwrote.
    page_library.undo()
    assert page_library.get(paper_id).state.notes == "changed"


def test_a_bad_paper_table_is_a_problem_with_its_line(tmp_path: Path) -> None:
    text = (
        'format = "shelf-state"\nversion = 1\n\n'
        '[[paper]]\ntitle = "Good"\nstatus = "read"\n\n'
        '[[paper]]\ntitle = "Bad status"\nstatus = "finished"\n\n'
        '[[paper]]\nstatus = "read"\n'
    )
    parsed = toml_state.read(text, "s.toml")
    assert [paper.title for paper in parsed.papers] == ["Good"]
    assert [(p.line, "status" in p.message or "title" in p.message) for p in parsed.problems] == [
        (8, True),
        (12, True),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title = [", "not valid TOML"),
        ('format = "something-else"\n', "not a shelf state file"),
        ('format = "shelf-state"\nversion = 99\n', "version 99"),
        ('format = "shelf-state"\nversion = 1\npaper = 3\n', "array of tables"),
    ],
)
def test_whole_file_errors_name_the_file(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        toml_state.read(text, "backup.toml")
    assert str(caught.value).startswith("backup.toml")


def test_rewriting_what_was_read_gives_the_same_file(page_library: Library) -> None:
    text = _exported(page_library)
    parsed = toml_state.read(text, "x.toml")
    assert len(parsed.papers) == 236
    assert (
        toml_state.write(
            [
                Entry(i or "", p, s or ReadingState())
                for i, p, s in ((r.id, r.paper, r.state) for r in parsed.records)
            ]
        )
        == text
    )


_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=_text.filter(lambda t: t.strip() != ""),
    abstract=_text,
    notes=_text,
    tags=st.lists(_text.filter(lambda t: " ".join(t.split()) != ""), max_size=4),
)
def test_any_text_survives_the_round_trip(
    title: str, abstract: str, notes: str, tags: list[str]
) -> None:
    clean_tags = tuple(sorted({" ".join(t.split()).lower() for t in tags}))
    entry = Entry(
        "p1",
        Paper(title=title, abstract=abstract),
        ReadingState(status=Status.TO_READ, tags=clean_tags, notes=notes, added_at=STAMP),
    )
    parsed = toml_state.read(toml_state.write([entry]), "x.toml")
    assert parsed.papers == (entry.paper,)
    assert tuple(r.state for r in parsed.records) == (entry.state,)
