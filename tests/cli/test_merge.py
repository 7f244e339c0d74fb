"""Merging (issue 13, point 5): ``shelf merge ID ID`` joins two copies of one paper as one
undoable action, and ``shelf duplicates`` finds the copies to join.

Import already merges copies that share an arXiv id, a DOI or a compatible title, so
the copies here differ in DOI: they come in from a BibTeX file written by the test.
"""

from __future__ import annotations

import json
from pathlib import Path

from support.commands import run

# Two copies of one paper that import keeps apart (their DOIs differ); the second knows
# more: a third author, an abstract, a venue, a link and an arXiv id.
COPIES = r"""
@article{keep,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  year = {2017},
  doi = {10.5555/first.copy},
}
@inproceedings{other,
  title = {Attention is all you need!},
  author = {Ashish Vaswani and Noam Shazeer and Niki Parmar},
  year = {2017},
  booktitle = {Advances in Neural Information Processing Systems},
  doi = {10.5555/second.copy},
  eprint = {1706.03762},
  archiveprefix = {arXiv},
  url = {https://papers.example.org/attention},
  abstract = {The dominant sequence transduction models are based on complex recurrent
              or convolutional neural networks.},
}
@article{unrelated,
  title = {Deep Residual Learning for Image Recognition},
  author = {He, Kaiming},
  year = {2016},
}
"""


def _library(tmp_path: Path, bibtex: str = COPIES) -> Path:
    source = tmp_path / "papers.bib"
    source.write_text(bibtex, encoding="utf-8")
    library = tmp_path / "library"
    run("import", str(source), library=library).ok()
    return library


def _ids(library: Path) -> dict[str, str]:
    """Each paper's id, by its DOI (or title, for one without)."""
    listed = json.loads(run("list", "--json", library=library).ok().out)
    return {paper["doi"] or paper["title"]: paper["id"] for paper in listed}


def _show(library: Path, paper: str) -> dict[str, object]:
    shown: dict[str, object] = json.loads(run("show", paper, "--json", library=library).ok().out)
    return shown


def _search(library: Path, query: str) -> list[str]:
    hits = json.loads(run("search", "--json", "--exact", query, library=library).out or "[]")
    return [hit["id"] for hit in hits]


def _copies(tmp_path: Path) -> tuple[Path, str, str]:
    """A library of the two copies, each with a reading state of its own."""
    library = _library(tmp_path)
    ids = _ids(library)
    keep, other = ids["10.5555/first.copy"], ids["10.5555/second.copy"]
    run("set", keep, "--status", "to-read", "--tag", "nlp", "--note", "Read section 3.",
        library=library).ok()  # fmt: skip
    run("set", other, "--status", "read", "--star", "--tag", "classic", "--tag", "nlp",
        "--note", "Multi-head attention.", library=library).ok()  # fmt: skip
    return library, keep, other


def test_merge_keeps_the_better_of_both_and_joins_the_reading_state(tmp_path: Path) -> None:
    library, keep, other = _copies(tmp_path)

    # The second named by its arXiv id, as `shelf show` and `shelf set` accept it.
    merged = run("merge", keep, "arXiv:1706.03762v5", library=library).ok()

    assert merged.lines[0] == f"merged {other} into {keep}: Attention Is All You Need"
    taken = merged.lines[1].removeprefix(f"from {other}: ").split(", ")
    assert set(taken) == {"authors", "venue", "abstract", "url", "arxiv_id", "status",
                          "starred", "tags", "notes"}  # fmt: skip
    survivor = _show(library, keep)
    assert survivor["title"] == "Attention Is All You Need"  # the first copy's
    assert survivor["authors"] == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert survivor["venue"] == "Advances in Neural Information Processing Systems"
    assert str(survivor["abstract"]).startswith("The dominant sequence transduction")
    assert survivor["url"] == "https://papers.example.org/attention"
    assert (survivor["arxiv_id"], survivor["doi"]) == ("1706.03762", "10.5555/first.copy")
    assert survivor["status"] == "read"  # further along than to-read
    assert survivor["starred"] is True
    assert survivor["tags"] == ["classic", "nlp"]
    assert survivor["notes"] == "Read section 3.\n\n---\n\nMulti-head attention."
    assert "no paper with id" in run("show", other, library=library).error()
    assert len(json.loads(run("list", "--json", library=library).ok().out)) == 2


def test_the_status_kept_is_the_one_further_along(tmp_path: Path) -> None:
    library = _library(tmp_path)
    ids = _ids(library)
    keep, other = ids["10.5555/first.copy"], ids["10.5555/second.copy"]
    run("set", keep, "--status", "skipped", library=library).ok()  # other: inbox

    run("merge", keep, other, library=library).ok()

    shown = _show(library, keep)
    assert (shown["status"], shown["starred"], shown["notes"]) == ("skipped", False, "")


def test_the_survivor_takes_the_doi_the_removed_copy_frees(tmp_path: Path) -> None:
    library = _library(tmp_path)
    ids = _ids(library)
    keep, other = ids["Deep Residual Learning for Image Recognition"], ids["10.5555/second.copy"]

    merged = run("merge", keep, other, library=library).ok()

    assert "doi" in merged.lines[1].split(": ", 1)[1].split(", ")
    assert _show(library, "10.5555/second.copy")["id"] == keep
    run("undo", library=library).ok()
    assert _show(library, "10.5555/second.copy")["id"] == other
    assert _show(library, keep)["doi"] is None


def test_undo_brings_both_papers_back_exactly_and_redo_merges_again(tmp_path: Path) -> None:
    library, keep, other = _copies(tmp_path)
    before = (_show(library, keep), _show(library, other))
    run("merge", keep, other, library=library).ok()
    after = _show(library, keep)

    undone = run("undo", library=library).ok()

    assert (_show(library, keep), _show(library, other)) == before
    assert f"undid delete: {other}" in undone.out
    redone = run("redo", library=library).ok()
    assert f"redid delete: {other}" in redone.out
    assert _show(library, keep) == after
    assert "no paper with id" in run("show", other, library=library).error()
    run("undo", library=library).ok()  # undo of the redo: the DOIs go back where they were
    assert (_show(library, keep), _show(library, other)) == before
    assert _show(library, "10.5555/second.copy")["id"] == other


def _list(library: Path, name: str) -> list[str]:
    shown = json.loads(run("lists", "show", name, "--json", library=library).ok().out)
    return [paper["id"] for paper in shown["papers"]]


def test_the_survivor_takes_the_removed_copys_place_in_its_reading_lists(tmp_path: Path) -> None:
    library, keep, other = _copies(tmp_path)
    unrelated = _ids(library)["Deep Residual Learning for Image Recognition"]
    for name, papers in (("only other", [unrelated, other]), ("both", [other, unrelated, keep])):
        run("lists", "create", name, library=library).ok()
        run("lists", "add", name, *papers, library=library).ok()
    run("merge", keep, other, library=library).ok()
    assert _list(library, "only other") == [unrelated, keep]  # in the copy's place
    assert _list(library, "both") == [unrelated, keep]  # the survivor keeps its own place
    assert "lists:   both, only other" in run("show", keep, library=library).ok().out
    run("undo", library=library).ok()
    assert _list(library, "only other") == [unrelated, other]
    assert _list(library, "both") == [other, unrelated, keep]
    run("redo", library=library).ok()
    assert _list(library, "only other") == [unrelated, keep]
    assert _list(library, "both") == [unrelated, keep]


def test_search_follows_the_merge(tmp_path: Path) -> None:
    library, keep, other = _copies(tmp_path)
    assert _search(library, "convolutional") == [other]

    run("merge", keep, other, library=library).ok()

    assert _search(library, "convolutional") == [keep]  # the other's abstract
    assert _search(library, "notes:multi-head") == [keep]  # the other's notes
    assert other not in _search(library, "attention")
    run("undo", library=library).ok()
    assert _search(library, "convolutional") == [other]
    assert _search(library, "notes:multi-head") == [other]


def test_bad_merges_change_nothing(tmp_path: Path) -> None:
    library, keep, other = _copies(tmp_path)
    before = run("list", "--json", library=library).ok().out

    unknown = run("merge", keep, "zzzzzz", library=library).error(code=1)
    assert "'zzzzzz'" in unknown
    same = run("merge", keep, "10.5555/first.copy", library=library).error(code=1)
    assert f"cannot merge {keep} into itself" in same
    for wrong in ((), (keep,), (keep, other, other)):
        assert "give two paper ids" in run("merge", *wrong, library=library).error(code=2)

    assert run("list", "--json", library=library).ok().out == before
    undone = run("undo", library=library).ok().out  # the last change is still the last set
    assert undone.startswith(f"undid status, starred, tags, notes: {other}")


# -- duplicates --------------------------------------------------------------------------------

# A same-title pair, a pair of very similar titles by one first author (written two ways),
# and papers that only look alike: the first author's other paper, and a similar title
# by someone else.
LOOKALIKES = (
    COPIES
    + r"""
@article{bert,
  title = {BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding},
  author = {Devlin, Jacob and Chang, Ming-Wei},
  year = {2019},
  doi = {10.5555/bert.one},
}
@article{bert-again,
  title = {BERT: Pretraining of deep bidirectional transformer for language understanding},
  author = {J. Devlin},
  year = {2018},
  doi = {10.5555/bert.two},
}
@article{same-author,
  title = {Identity Mappings in Deep Residual Networks},
  author = {Kaiming He},
  year = {2016},
}
@article{other-author,
  title = {BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding},
  author = {Someone, Else},
  year = {2020},
  doi = {10.5555/bert.three},
}
"""
)


def test_duplicates_lists_same_and_similar_titles_with_the_merge_to_run(tmp_path: Path) -> None:
    library = _library(tmp_path, LOOKALIKES)
    ids = _ids(library)
    attention = [ids["10.5555/first.copy"], ids["10.5555/second.copy"]]
    bert = [ids["10.5555/bert.one"], ids["10.5555/bert.two"], ids["10.5555/bert.three"]]

    found = run("duplicates", library=library).ok()

    blocks = [block.splitlines() for block in found.out.strip().split("\n\n")]
    assert len(blocks) == 2
    first, second = blocks
    assert first == [
        f"{attention[0]:<8} 2017  Ashish Vaswani  Attention Is All You Need",
        f"{attention[1]:<8} 2017  Ashish Vaswani  Attention is all you need!",
        f"  shelf merge {attention[0]} {attention[1]}",
    ]
    # The same title by someone else joins by title; the similar one by the first author.
    assert [line.split()[0] for line in second[:3]] == bert
    assert second[1] == (
        f"{bert[1]:<8} 2018  J. Devlin  "
        "BERT: Pretraining of deep bidirectional transformer for language understanding"
    )
    assert second[3:] == [
        f"  shelf merge {bert[0]} {bert[1]}",
        f"  shelf merge {bert[0]} {bert[2]}",
    ]
    assert "Residual" not in found.out and "Identity" not in found.out
    assert found.err.strip() == "2 group(s) of probable duplicates"
    run(*second[3].split()[1:], library=library).ok()  # the suggested command runs
    assert len(run("duplicates", library=library).ok().out.strip().split("\n\n")) == 2


def test_duplicates_as_json(tmp_path: Path) -> None:
    library = _library(tmp_path, LOOKALIKES)

    groups = json.loads(run("duplicates", "--json", library=library).ok().out)

    assert [len(group) for group in groups] == [2, 3]
    shown = _show(library, groups[0][0]["id"])
    assert set(groups[0][0]) == set(shown) - {"abstract", "added_at", "status_changed_at",
                                              "read_at", "lists", "pdf"}  # fmt: skip
    assert groups[0][1]["doi"] == "10.5555/second.copy"


def test_duplicates_says_when_there_are_none(tmp_path: Path) -> None:
    library, keep, other = _copies(tmp_path)
    run("merge", keep, other, library=library).ok()

    none = run("duplicates", library=library).ok()

    assert none.out == "no probable duplicates\n"
    assert json.loads(run("duplicates", "--json", library=library).ok().out) == []
