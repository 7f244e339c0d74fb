"""Reading lists through the installed command (issue 13, point 1): named, ordered,
undoable, in queries, in exports, and carried by the TOML backup and the JSON export."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from support.commands import run


def _ids(library: Path, count: int) -> list[str]:
    return [line.split()[0] for line in run("list", "-n", str(count), library=library).ok().lines]


def _shown(library: Path, name: str) -> list[str]:
    """The ids ``shelf lists show NAME --json`` gives, in order."""
    shown = json.loads(run("lists", "show", name, "--json", library=library).ok().out)
    return [paper["id"] for paper in shown["papers"]]


@pytest.fixture
def group(page_dir: Path) -> list[str]:
    """A list "Reading group" with a description and four papers, in a known order."""
    ids = _ids(page_dir, 6)
    run("lists", "create", "Reading group", "--description", "Thursdays, 4pm",
        library=page_dir).ok()  # fmt: skip
    added = run("lists", "add", "reading group", *ids[:4], library=page_dir).ok()
    assert "added 4 papers to 'Reading group'" in added.out
    return ids


def test_a_list_keeps_its_papers_in_the_order_given_and_moved(
    page_dir: Path, group: list[str]
) -> None:
    assert _shown(page_dir, "Reading group") == group[:4]
    again = run("lists", "add", "Reading group", group[1], group[4], library=page_dir).ok()
    assert "added 1 paper" in again.out and "1 already in it" in again.out
    assert _shown(page_dir, "READING GROUP") == [*group[:4], group[4]]  # a name is caseless
    run("lists", "move", "Reading group", group[4], "--to", "1", library=page_dir).ok()
    run("lists", "move", "Reading group", group[0], "--to", "99", library=page_dir).ok()
    assert _shown(page_dir, "Reading group") == [group[4], group[1], group[2], group[3], group[0]]
    run("lists", "remove", "Reading group", group[2], library=page_dir).ok()
    assert _shown(page_dir, "Reading group") == [group[4], group[1], group[3], group[0]]
    shown = run("lists", "show", "Reading group", library=page_dir).ok().lines
    assert shown[:2] == ["Reading group (4 papers)", "Thursdays, 4pm"]
    assert [line.split()[:2] for line in shown[2:]] == [
        ["1.", group[4]], ["2.", group[1]], ["3.", group[3]], ["4.", group[0]]
    ]  # fmt: skip
    listed = run("lists", library=page_dir).ok().out
    assert listed == "Reading group  (4 papers)  Thursdays, 4pm\n"
    assert page_dir.joinpath("library.db").exists()


def test_every_change_to_a_list_is_undone_and_a_deleted_list_comes_back(
    page_dir: Path, group: list[str]
) -> None:
    run("lists", "move", "Reading group", group[3], "--to", "1", library=page_dir).ok()
    assert "undid: reading list 'Reading group': as it was" in run("undo", library=page_dir).out
    assert _shown(page_dir, "Reading group") == group[:4]
    run("lists", "rename", "Reading group", "rg", library=page_dir).ok()
    deleted = run("lists", "delete", "rg", library=page_dir).ok()
    assert "deleted the reading list 'rg' (4 papers); shelf undo brings it back" in deleted.out
    assert run("lists", library=page_dir).ok().out.startswith("no reading lists yet")
    assert run("lists", "show", "rg", library=page_dir).error() == (
        "shelf: no reading list named 'rg' (see `shelf lists`)"
    )
    assert run("undo", library=page_dir).ok().out == "undid: reading list 'rg': back\n"
    assert _shown(page_dir, "rg") == group[:4]
    assert "Thursdays, 4pm" in run("lists", "show", "rg", library=page_dir).out
    run("redo", library=page_dir).ok()
    assert run("lists", library=page_dir).ok().out.startswith("no reading lists yet")
    run("undo", library=page_dir).ok()
    run("undo", library=page_dir).ok()  # the rename
    assert _shown(page_dir, "Reading group") == group[:4]


def test_a_deleted_paper_leaves_its_lists_and_undo_puts_it_back_in_its_place(
    page_dir: Path, group: list[str]
) -> None:
    run("delete", group[1], library=page_dir).ok()
    assert _shown(page_dir, "Reading group") == [group[0], group[2], group[3]]
    run("lists", "add", "Reading group", group[5], library=page_dir).ok()
    run("undo", library=page_dir).ok()
    run("undo", library=page_dir).ok()
    assert _shown(page_dir, "Reading group") == group[:4]


def test_list_name_in_a_query_keeps_the_papers_of_that_list(
    page_dir: Path, group: list[str]
) -> None:
    found = run("search", 'list:"reading group"', "--json", library=page_dir).ok()
    assert sorted(hit["id"] for hit in json.loads(found.out)) == sorted(group[:4])
    listed = run("list", "-n", "300", library=page_dir).ok().lines
    outside = run("search", "-n", "300", "--", '-list:"Reading group"', library=page_dir).ok().lines
    assert len(outside) == len(listed) - 4
    assert not {line.split()[0] for line in outside} & set(group[:4])
    unknown = run("search", "adapters list:nothing", library=page_dir).error()
    assert unknown == "shelf: no reading list named 'nothing' (see `shelf lists`)"


def test_export_list_writes_the_list_in_its_order_under_its_name(
    page_dir: Path, group: list[str]
) -> None:
    run("set", group[2], "--status", "skipped", library=page_dir).ok()
    run("lists", "move", "Reading group", group[3], "--to", "1", library=page_dir).ok()
    out = run("export", "--list", "reading group", library=page_dir).ok().out
    lines = out.splitlines()
    assert lines[:4] == ["# Reading group", "", "Thursdays, 4pm", ""]
    assert lines[4].startswith("4 papers, exported from shelf on")  # the skipped one too
    items = [line for line in lines if line.startswith("- [")]
    titles = [json.loads(run("show", i, "--json", library=page_dir).ok().out)["title"]
              for i in (group[3], group[0], group[1], group[2])]  # fmt: skip
    assert len(items) == 4
    for item, title in zip(items, titles, strict=True):
        assert title.split(":")[0].split()[0] in item
    wrong = run("export", "--list", "reading group", "--status", "read", library=page_dir)
    assert "--list exports the whole list" in wrong.error()
    assert (
        "no reading list named 'nope'" in run("export", "--list", "nope", library=page_dir).error()
    )


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_lists_survive_a_backup_restored_into_a_fresh_library(
    page_dir: Path, group: list[str], tmp_path: Path, fmt: str
) -> None:
    run("lists", "create", "later", library=page_dir).ok()  # empty, kept by the TOML backup
    run("lists", "move", "Reading group", group[2], "--to", "1", library=page_dir).ok()
    backup = tmp_path / f"backup.{fmt}"
    run("export", "--format", fmt, "-o", str(backup), library=page_dir).ok()
    fresh = tmp_path / "fresh"
    restored = run("import", str(backup), library=fresh).ok()
    lists = 2 if fmt == "toml" else 1  # JSON carries a list in its papers: not an empty one
    assert f"restored {lists} reading list(s)" in restored.out
    assert _shown(fresh, "Reading group") == [group[2], group[0], group[1], group[3]]
    assert "Thursdays, 4pm" in run("lists", library=fresh).ok().out
    if fmt == "toml":
        assert "later  (0 papers)" in run("lists", library=fresh).out
        again = tmp_path / "again.toml"
        run("export", "--format", "toml", "-o", str(again), library=fresh).ok()
        assert tomllib.loads(again.read_text())["list"] == tomllib.loads(backup.read_text())["list"]
    # Restored again over changes since: the list is as the backup says, once.
    run("lists", "remove", "Reading group", group[0], library=fresh).ok()
    run("import", str(backup), library=fresh).ok()
    assert _shown(fresh, "Reading group") == [group[2], group[0], group[1], group[3]]
    run("undo", library=fresh).ok()  # the import is one change: the list goes back too
    assert _shown(fresh, "Reading group") == [group[2], group[1], group[3]]


def test_a_bad_list_in_a_backup_is_one_warning_and_the_rest_is_restored(
    page_dir: Path, group: list[str], tmp_path: Path
) -> None:
    backup = tmp_path / "backup.toml"
    run("export", "--format", "toml", "-o", str(backup), library=page_dir).ok()
    text = backup.read_text()
    backup.write_text(text + '\n[[list]]\nname = ""\npapers = []\n\n[[list]]\nname = 3\n')
    fresh = tmp_path / "fresh"
    restored = run("import", str(backup), library=fresh).ok()
    warnings = [line for line in restored.err.splitlines() if "reading list skipped" in line]
    assert len(warnings) == 2, restored.err
    line = text.count("\n") + 2
    assert f"backup.toml:{line}: reading list skipped: a reading list needs a name" in warnings[0]
    assert "`name` should be str" in warnings[1]
    assert _shown(fresh, "Reading group") == group[:4]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lists", "create", "Reading group"), "a reading list named 'Reading group' exists"),
        (("lists", "create", "  "), "a reading list needs a name"),
        (("lists", "create", "x" * 81), "at most 80 characters (81 given)"),
        (("lists", "create", "a\x1b[31mb"), "cannot hold control characters: a\\x1b[31mb"),
        (("lists", "add", "nope", "OUTSIDE"), "no reading list named 'nope'"),
        (("lists", "add", "Reading group", "zzzzzz"), "no paper with id 'zzzzzz'"),
        (("lists", "remove", "Reading group", "OUTSIDE"), "OUTSIDE is not in the reading list"),
        (("lists", "move", "Reading group", "OUTSIDE", "--to", "1"), "is not in the reading list"),
        (("lists", "move", "Reading group", "OUTSIDE", "--to", "0"), "0 is not in the range x>=1"),
        (("lists", "rename", "nope", "other"), "no reading list named 'nope'"),
        (("lists", "delete", "nope"), "no reading list named 'nope'"),
    ],
)
def test_mistakes_are_one_line_and_change_nothing(
    page_dir: Path, group: list[str], args: tuple[str, ...], message: str
) -> None:
    outside = group[5]  # a paper in no list
    error = run(*[outside if a == "OUTSIDE" else a for a in args], library=page_dir).error()
    assert message.replace("OUTSIDE", outside) in error
    assert _shown(page_dir, "Reading group") == group[:4]
    assert run("lists", library=page_dir).ok().out.count("\n") == 1


def test_a_rename_to_a_taken_name_is_refused(page_dir: Path, group: list[str]) -> None:
    run("lists", "create", "other", library=page_dir).ok()
    error = run("lists", "rename", "other", "READING GROUP", library=page_dir).error()
    assert error == "shelf: a reading list named 'READING GROUP' exists already"
    run("lists", "rename", "other", "Other", library=page_dir).ok()  # its own name, recased
    assert "Other  (0 papers)" in run("lists", library=page_dir).ok().out


def test_show_says_which_lists_hold_a_paper_and_json_lists_them(
    page_dir: Path, group: list[str]
) -> None:
    listed = json.loads(run("lists", "--json", library=page_dir).ok().out)
    assert listed == [{"name": "Reading group", "description": "Thursdays, 4pm", "count": 4}]
    assert "lists:   Reading group" in run("show", group[0], library=page_dir).ok().out


# -- what the hostile pass of issue 13 found ------------------------------------------------


def test_undoing_deletes_puts_every_paper_back_in_its_place(page_dir: Path) -> None:
    # Undo shifted every paper past the restored one's place, though a deletion leaves
    # its place free: a paper never deleted moved from 2nd to 3rd.
    ids = _ids(page_dir, 5)
    run("lists", "create", "abc", library=page_dir).ok()
    run("lists", "add", "abc", *ids, library=page_dir).ok()
    run("delete", ids[3], library=page_dir).ok()
    run("delete", ids[0], library=page_dir).ok()
    run("undo", library=page_dir).ok()
    run("undo", library=page_dir).ok()
    assert _shown(page_dir, "abc") == ids
    run("delete", ids[4], ids[1], ids[2], library=page_dir).ok()  # one change
    run("undo", library=page_dir).ok()
    assert _shown(page_dir, "abc") == ids
    run("delete", ids[1], library=page_dir).ok()
    run("lists", "move", "abc", ids[4], "--to", "1", library=page_dir).ok()  # numbered anew
    run("undo", library=page_dir).ok()
    run("undo", library=page_dir).ok()
    assert _shown(page_dir, "abc") == ids


def test_names_ignore_case_in_every_script(page_dir: Path, tmp_path: Path) -> None:
    # SQLite's NOCASE folds ASCII only: "émile" was a second list beside "Émile", and
    # a backup of both could not be restored at all.
    ids = _ids(page_dir, 2)
    run("lists", "create", "Émile", library=page_dir).ok()
    taken = run("lists", "create", "émile", library=page_dir).error()
    assert taken == "shelf: a reading list named 'émile' exists already"
    run("lists", "add", "ÉMILE", ids[0], library=page_dir).ok()
    run("lists", "create", "KELVIN", library=page_dir).ok()
    run("lists", "add", "\u212aelvin", ids[1], library=page_dir).ok()  # a Kelvin sign
    found = json.loads(run("search", "list:émile", "--json", library=page_dir).ok().out)
    assert [hit["id"] for hit in found] == [ids[0]]
    backup = tmp_path / "backup.toml"
    run("export", "--format", "toml", "-o", str(backup), library=page_dir).ok()
    fresh = tmp_path / "fresh"
    assert "restored 2 reading list(s)" in run("import", str(backup), library=fresh).ok().out
    assert _shown(fresh, "émile") == [ids[0]] and _shown(fresh, "kelvin") == [ids[1]]


def test_a_backup_naming_one_list_twice_restores_the_first_and_says_so(
    page_dir: Path, group: list[str], tmp_path: Path
) -> None:
    backup = tmp_path / "backup.toml"
    run("export", "--format", "toml", "-o", str(backup), library=page_dir).ok()
    text = backup.read_text()
    backup.write_text(text + f'\n[[list]]\nname = "READING GROUP"\npapers = ["{group[5]}"]\n')
    fresh = tmp_path / "fresh"
    restored = run("import", str(backup), library=fresh).ok()
    assert "restored 1 reading list(s)" in restored.out
    line = text.count("\n") + 2
    assert f"backup.toml:{line}: reading list skipped: a list named 'READING GROUP'" in restored.err
    assert _shown(fresh, "reading group") == group[:4]


def test_a_name_with_a_double_quote_is_refused(page_dir: Path) -> None:
    refused = run("lists", "create", 'say "hi"', library=page_dir).error()
    assert refused == 'shelf: a reading list\'s name cannot hold a double quote: say "hi"'


def test_a_part_of_the_library_exported_carries_no_lists_and_its_import_keeps_them_whole(
    page_dir: Path, group: list[str], tmp_path: Path
) -> None:
    # A filtered export carried every list cut to its papers, and importing it back cut
    # the lists down to them.
    run("set", group[0], "--tag", "survey", library=page_dir).ok()
    for fmt in ("toml", "json"):
        part = tmp_path / f"part.{fmt}"
        run("export", "--format", fmt, "--tag", "survey", "-o", str(part), library=page_dir).ok()
        assert "Reading group" not in part.read_text()
        assert "reading list" not in run("import", str(part), library=page_dir).ok().out
        assert _shown(page_dir, "Reading group") == group[:4]
    whole = run("export", "--format", "toml", library=page_dir).ok().out
    assert tomllib.loads(whole)["list"][0]["papers"] == group[:4]


def test_counts_say_what_happened_with_an_id_given_twice(page_dir: Path, group: list[str]) -> None:
    added = run("lists", "add", "Reading group", group[5], group[5], group[0], library=page_dir)
    assert "added 1 paper to 'Reading group' (1 already in it): 5 papers" in added.ok().out
    removed = run("lists", "remove", "Reading group", group[5], group[5], library=page_dir)
    assert "removed 1 paper from 'Reading group': 4 papers" in removed.ok().out


def test_export_list_as_a_backup_carries_that_list_whole(
    page_dir: Path, group: list[str], tmp_path: Path
) -> None:
    run("lists", "create", "other", library=page_dir).ok()
    backup = tmp_path / "group.toml"
    run("export", "--list", "Reading group", "--format", "toml", "-o", str(backup),
        library=page_dir).ok()  # fmt: skip
    fresh = tmp_path / "fresh"
    assert "restored 1 reading list(s)" in run("import", str(backup), library=fresh).ok().out
    assert _shown(fresh, "reading group") == group[:4]
    assert run("lists", library=fresh).ok().out == "Reading group  (4 papers)  Thursdays, 4pm\n"
