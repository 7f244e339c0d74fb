"""``--sort`` on ``shelf list`` and ``shelf search``, through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.commands import run
from support.paths import FIXTURES, PAGE_COPY


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """d2l.bib's papers, with years, and the page copy's, without."""
    library = tmp_path / "library"
    run("import", str(FIXTURES / "d2l.bib"), str(PAGE_COPY), library=library).ok()
    return library


def _listed(library: Path, *args: str) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(run(*args, "--json", library=library).ok().out)
    return listed


def test_list_sort_year_puts_the_newest_first_and_papers_without_a_year_last(
    mixed: Path,
) -> None:
    years = [paper["year"] for paper in _listed(mixed, "list", "--sort", "year")]
    known = [year for year in years if year is not None]
    assert known == sorted(known, reverse=True)  # type: ignore[type-var]
    assert years == known + [None] * (len(years) - len(known)) and None in years


def test_search_sort_title_lists_the_same_matches_a_to_z(mixed: Path) -> None:
    best = _listed(mixed, "search", "transfer", "-n", "1000")
    by_title = _listed(mixed, "search", "transfer", "-n", "1000", "--sort", "title")
    assert {p["id"] for p in by_title} == {p["id"] for p in best} and len(best) > 50
    titles = [str(p["title"]) for p in by_title]
    assert titles != [str(p["title"]) for p in best]
    firsts = [t[0].casefold() for t in titles if t[0].isalpha()]
    assert firsts == sorted(firsts)


def test_sort_added_lists_the_last_import_first(mixed: Path, tmp_path: Path) -> None:
    late = tmp_path / "late.json"
    late.write_text(json.dumps([{"title": "Zebra finches learn songs", "year": 1990}]))
    run("import", str(late), library=mixed).ok()
    assert _listed(mixed, "list", "--sort", "added", "-n", "1")[0]["title"] == (
        "Zebra finches learn songs"
    )


def test_an_unknown_order_is_one_line_naming_the_choices(mixed: Path) -> None:
    line = run("list", "--sort", "stars", library=mixed).error(code=2)
    assert "'stars' is not one of 'relevance', 'added', 'year', 'title', 'status-changed'" in line
