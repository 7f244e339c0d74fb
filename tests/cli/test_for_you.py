"""``--sort for-you`` (issue 14, point 4): the inbox ranked by likeness to the papers the
user starred and read, ties newest first, through the installed command.

The page library's papers on sequential recommendation are the topic: starring
and reading three of them must bring the others to the top of the inbox, where
the library's own order (newest first: the page's order) has them far down.
"""

from __future__ import annotations

import json
from pathlib import Path

from support.commands import run

#: The page copy's papers on (sequential) recommendation, and the three the user likes.
LIKED = (
    "Text Is All You Need: Learning Language Representations for Sequential Recommendation",
    "BERT4Rec: Sequential Recommendation with Bidirectional Encoder Representations from "
    "Transformer",
    "Deep Learning for Sequential Recommendation: Algorithms, Influential Factors, and Evaluations",
)
OTHERS = (
    "Pre-train, Align, and Disentangle: Empowering Sequential Recommendation with Large "
    "Language Models",
    "Mamba4Rec: Towards Efficient Sequential Recommendation with Selective State Space Models",
)


def _listed(library: Path, *args: str) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(run(*args, "--json", library=library).ok().out)
    return listed


def _ids(library: Path) -> dict[str, str]:
    return {str(p["title"]): str(p["id"]) for p in _listed(library, "list")}


def _like_recommendation(library: Path) -> None:
    ids = _ids(library)
    run("set", ids[LIKED[0]], ids[LIKED[1]], "--status", "read", library=library).ok()
    run("set", ids[LIKED[2]], "--star", library=library).ok()  # starred, still in the inbox


def test_for_you_puts_the_inbox_papers_on_what_you_liked_first(page_dir: Path) -> None:
    _like_recommendation(page_dir)
    usual = [p["title"] for p in _listed(page_dir, "list")]
    ranked = run("list", "--sort", "for-you", "--json", library=page_dir).ok()
    listed = json.loads(ranked.out)
    titles = [p["title"] for p in listed]
    assert ranked.err == ""  # something is liked: no note
    assert set(titles[:2]) == set(OTHERS)
    assert all(usual.index(title) > 80 for title in OTHERS)  # far down otherwise
    # The liked papers are not ranked: the starred one is with the rest of the inbox.
    assert titles.index(LIKED[2]) > 100
    # The inbox first, then the rest as the library lists it.
    statuses = [p["status"] for p in listed]
    assert statuses == ["inbox"] * 234 + ["read", "read"]
    assert sorted(titles) == sorted(usual)
    shown = run("list", "--sort", "for-you", "-n", "2", library=page_dir).ok().lines
    assert [line.split()[0] for line in shown] == [p["id"] for p in listed[:2]]


def test_for_you_breaks_ties_newest_first(page_dir: Path, tmp_path: Path) -> None:
    _like_recommendation(page_dir)
    abstract = (
        "We model user behaviour for sequential recommendation of items: a transformer reads "
        "the sequence of items a user interacted with and predicts the next item."
    )
    for name in ("one", "two"):  # two imports: the second is newer
        twin = tmp_path / f"{name}.json"
        paper = {"title": f"Next-item sequential recommendation, part {name}", "abstract": abstract}
        twin.write_text(json.dumps([paper]), encoding="utf-8")
        run("import", str(twin), library=page_dir).ok()
    titles = [p["title"] for p in _listed(page_dir, "list", "--sort", "for-you")]
    two = titles.index("Next-item sequential recommendation, part two")
    assert titles[two + 1] == "Next-item sequential recommendation, part one"
    assert two < 5  # on the topic liked


def test_a_search_for_you_ranks_its_matches_the_same_way(page_dir: Path) -> None:
    _like_recommendation(page_dir)
    best = _listed(page_dir, "search", "sequential", "-n", "1000")
    for_you = _listed(page_dir, "search", "sequential", "-n", "1000", "--sort", "for-you")
    assert {p["id"] for p in for_you} == {p["id"] for p in best} and len(best) > 20
    assert {p["title"] for p in for_you[:2]} == set(OTHERS)
    assert [p["title"] for p in best[:2]] != [p["title"] for p in for_you[:2]]


def test_with_nothing_starred_or_read_for_you_is_newest_first_and_says_so(
    page_dir: Path,
) -> None:
    usual = run("list", library=page_dir).ok()
    ranked = run("list", "--sort", "for-you", library=page_dir).ok()
    assert ranked.out == usual.out
    assert ranked.err == (
        "shelf: note: no paper is starred or read yet, so for-you lists the inbox newest first\n"
    )
    searched = run("search", "adapters", "--sort", "for-you", library=page_dir).ok()
    assert "so for-you lists the inbox newest first" in searched.err
