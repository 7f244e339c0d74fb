"""``shelf set`` on many papers (issue 13, point 3): several ids or every match of
``--query``, one undoable change, a question before changing over 20 papers.

Before: ``set`` took one id, so a script changing 40 papers made 40 changes and
``shelf undo`` took back only the last.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.commands import in_terminal, run


def _papers(library: Path, *args: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(run("list", "--json", *args, library=library)
                                                .ok().out)  # fmt: skip
    return found


def _state(library: Path) -> dict[object, tuple[object, ...]]:
    return {p["id"]: (p["status"], p["starred"], tuple(p["tags"])) for p in _papers(library)}  # type: ignore[arg-type]


def test_several_ids_change_as_one_change_that_one_undo_takes_back(page_dir: Path) -> None:
    ids = [str(paper["id"]) for paper in _papers(page_dir)[:3]]
    before = _state(page_dir)
    ran = run("set", *ids, "--status", "read", "--tag", "batch", library=page_dir).ok()
    assert [line.split()[0] for line in ran.lines] == ids
    assert ran.err.strip() == "3 of 3 papers changed; `shelf undo` takes them all back"
    after = _state(page_dir)
    assert [after[i] for i in ids] == [("read", False, ("batch",))] * 3
    assert {i: s for i, s in after.items() if i not in ids} == {
        i: s for i, s in before.items() if i not in ids
    }
    undone = run("undo", library=page_dir).ok()
    assert len(undone.lines) == 3
    assert _state(page_dir) == before


def test_an_unknown_id_is_named_and_nothing_changes(page_dir: Path) -> None:
    ids = [str(paper["id"]) for paper in _papers(page_dir)[:2]]
    before = _state(page_dir)
    error = run("set", ids[0], "zzzzzz", ids[1], "--status", "read", library=page_dir).error()
    assert "'zzzzzz'" in error
    assert _state(page_dir) == before


def test_query_changes_every_match_not_a_page_and_over_20_needs_yes(page_dir: Path) -> None:
    matches = [str(p["id"]) for p in json.loads(
        run("export", "--format", "json", "--query", "learning", library=page_dir).ok().out
    )]  # fmt: skip
    assert len(matches) > 20
    before = _state(page_dir)
    # No terminal to ask on (stdin is a pipe) and no --yes: one line, nothing changed.
    refused = run("set", "--query", "learning", "--tag", "ml", library=page_dir, input="y\n")
    assert f"{len(matches)} papers would change: give --yes" in refused.error()
    assert _state(page_dir) == before
    ran = run("set", "--query", "learning", "--tag", "ml", "--yes", library=page_dir).ok()
    assert f"{len(matches)} of {len(matches)} papers changed" in ran.err
    tagged = {str(p["id"]) for p in _papers(page_dir, "--tag", "ml")}
    assert tagged == set(matches)
    run("undo", library=page_dir).ok()
    assert _state(page_dir) == before


def test_twenty_papers_or_fewer_are_changed_without_asking(page_dir: Path) -> None:
    ids = [str(paper["id"]) for paper in _papers(page_dir)[:20]]
    run("set", *ids, "--star", library=page_dir, input="").ok()
    assert len(_papers(page_dir, "--starred")) == 20
    over = [str(paper["id"]) for paper in _papers(page_dir)[:21]]
    assert "21 papers would change" in run("set", *over, "--unstar", library=page_dir,
                                           input="").error()  # fmt: skip


def test_on_a_terminal_it_asks_and_y_proceeds_and_enter_refuses(page_dir: Path) -> None:
    ids = [str(paper["id"]) for paper in _papers(page_dir)[:37]]
    before = _state(page_dir)
    terminal = in_terminal(["--library", str(page_dir), "set", *ids, "--status", "skipped"])
    try:
        terminal.wait_for("Change 37 papers? [y/N]")
        terminal.type("\r")  # the default is no
        assert terminal.wait() != 0
    finally:
        terminal.kill()
    assert _state(page_dir) == before
    terminal = in_terminal(["--library", str(page_dir), "set", *ids, "--status", "skipped"])
    try:
        terminal.wait_for("Change 37 papers? [y/N]")
        terminal.type("y\r")
        assert terminal.wait() == 0
    finally:
        terminal.kill()
    assert {str(p["id"]) for p in _papers(page_dir, "--status", "skipped")} == set(ids)
    run("undo", library=page_dir).ok()
    assert _state(page_dir) == before


def test_the_input_ending_at_the_question_changes_nothing_in_one_line(page_dir: Path) -> None:
    # Ctrl-D at "[y/N]" printed click's "Aborted!" rather than shelf's one line.
    ids = [str(paper["id"]) for paper in _papers(page_dir)[:21]]
    before = _state(page_dir)
    terminal = in_terminal(["--library", str(page_dir), "set", *ids, "--status", "skipped"])
    try:
        terminal.wait_for("Change 21 papers? [y/N]")
        terminal.type("\x04")  # ctrl+d: the end of the input
        assert terminal.wait() == 1
        terminal.wait_for("shelf: nothing changed")
        assert b"Aborted" not in terminal.seen
    finally:
        terminal.kill()
    assert _state(page_dir) == before


def test_ids_and_query_together_or_neither_are_refused(page_dir: Path) -> None:
    first = str(_papers(page_dir)[0]["id"])
    both = run("set", first, "--query", "learning", "--star", library=page_dir).error()
    assert "give paper ids or --query, not both" in both
    assert "give paper ids or --query" in run("set", "--star", library=page_dir).error()


def test_a_query_nothing_matches_changes_nothing_and_says_so(page_dir: Path) -> None:
    ran = run("set", "--query", "title:zzqqxx", "--star", library=page_dir).ok()
    assert ran.out == ""
    assert ran.err.strip() == "no paper matches 'title:zzqqxx': nothing changed"


@pytest.mark.parametrize("query", ["", "  ", "the", "a of", "-"])
def test_a_query_with_nothing_to_choose_by_changes_nothing(page_dir: Path, query: str) -> None:
    # An empty "$Q" in a script, or stop words alone, matched every paper, and --yes
    # changed them all.
    refused = run("set", "--query", query, "--status", "read", "--yes", library=page_dir).error()
    assert "has no words to search for" in refused and "would change every paper" in refused
    assert "read" not in run("list", "--status", "read", library=page_dir).out


def test_set_with_neither_ids_nor_query_says_so(page_dir: Path) -> None:
    error = run("set", "--status", "read", library=page_dir).error()
    assert error == "shelf: name the papers: give paper ids or --query"
