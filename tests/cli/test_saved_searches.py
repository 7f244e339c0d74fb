"""``shelf search --saved NAME`` (issue 13, point 2): a saved search run from a script.

A saved search comes from ``[searches]`` in config.toml or from the app (kept
in the library); it runs with its filter, and its order unless ``--sort`` is
given. Every check runs the installed command on a real library.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shelf.domain import Sort, Status
from shelf.domain.saved import SavedSearch
from shelf.library import Library
from support.commands import run


def _ids(out: str) -> list[str]:
    return [hit["id"] for hit in json.loads(out)]


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_saved_runs_a_search_declared_in_the_config(page_dir: Path, tmp_path: Path) -> None:
    config = _config(tmp_path, '[searches]\nadapters = "adapter -status:skipped"\n')
    saved = run("search", "--json", "--saved", "adapters", library=page_dir, config=config).ok()
    typed = run("search", "--json", "adapter -status:skipped", library=page_dir).ok()
    assert _ids(saved.out) == _ids(typed.out) and len(_ids(saved.out)) > 3
    # Names ignore case; the plain output is the same list.
    plain = run("search", "--saved", "ADAPTERS", library=page_dir, config=config).ok()
    assert [line.split()[0] for line in plain.lines] == _ids(saved.out)


def test_saved_runs_a_search_saved_in_the_app_with_its_filter_and_order(
    page_dir: Path, tmp_path: Path
) -> None:
    with Library.open(page_dir) as library:
        for entry in library.search("learning", limit=8).entries:
            library.update(entry.id, status=Status.TO_READ)
        library.save_search(SavedSearch("reading-group", "learning", "to-read", Sort.TITLE))
    saved = run("search", "--json", "--saved", "reading-group", library=page_dir).ok()
    typed = run("search", "--json", "--sort", "title", "learning status:to-read",
                library=page_dir).ok()  # fmt: skip
    assert _ids(saved.out) == _ids(typed.out) and len(_ids(saved.out)) == 8
    assert all(hit["status"] == "to-read" for hit in json.loads(saved.out))
    # --sort overrides the saved order, and the filter stays.
    added = run("search", "--json", "--saved", "reading-group", "--sort", "added",
                library=page_dir).ok()  # fmt: skip
    by_added = run("search", "--json", "--sort", "added", "learning status:to-read",
                   library=page_dir).ok()  # fmt: skip
    assert _ids(added.out) == _ids(by_added.out)


def test_an_unknown_name_is_one_line_listing_the_known_ones(page_dir: Path, tmp_path: Path) -> None:
    config = _config(tmp_path, '[searches]\nadapters = "adapter"\n')
    with Library.open(page_dir) as library:
        library.save_search(SavedSearch("inbox-ml", "learning", "inbox"))
    line = run("search", "--saved", "nope", library=page_dir, config=config).error(1)
    assert line == "shelf: no saved search named 'nope' (known: adapters, inbox-ml)"
    empty = run("search", "--saved", "nope", library=tmp_path / "empty").error(1)
    assert "none yet: ctrl+s in the app saves one" in empty


def test_saved_with_query_words_is_refused(page_dir: Path) -> None:
    line = run("search", "--saved", "x", "more", "words", library=page_dir).error(2)
    assert "--saved NAME runs the saved search as it is: give no QUERY words with it" in line
    assert "QUERY" in run("search", library=page_dir).error(2)  # neither: as before


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("3", "expected a query as a string, got 3"),
        ('"status:nope"', "unknown status 'nope'"),
        ('""', "the query is empty"),
        ('"' + "word " * 70 + '"', "the query is too long"),
    ],
)
def test_a_bad_searches_value_names_its_key(
    page_dir: Path, tmp_path: Path, value: str, says: str
) -> None:
    config = _config(tmp_path, f"[search]\nlimit = 5\n\n[searches]\nmine = {value}\n")
    line = run("search", "--saved", "mine", library=page_dir, config=config).error(2)
    assert line.startswith(f"shelf: {config}:5: searches.mine: ") and says in line


def test_a_bad_name_or_a_twin_name_in_the_config_names_its_key(
    page_dir: Path, tmp_path: Path
) -> None:
    config = _config(tmp_path, '[searches]\nInbox = "a"\ninbox = "b"\n')
    line = run("list", library=page_dir, config=config).error(2)
    assert line == (
        f"shelf: {config}:3: searches.inbox: another search has this name (names ignore case)"
    )
    config = _config(tmp_path, '[searches]\n"' + "n" * 41 + '" = "a"\n')
    assert "a name is at most 40 characters" in run("list", library=page_dir,
                                                    config=config).error(2)  # fmt: skip
