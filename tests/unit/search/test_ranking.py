"""Ranking through the ``Library`` facade: what was typed, as typed, comes first.

BM25 alone ranks by the stems a paper shares with the query, so "Adaptation"
matched "adapter" as well as "Adapters" did and its shorter title won. A title
that holds the word as typed (or its plural), and a title that holds the typed
words side by side, now come first.
"""

from __future__ import annotations

from shelf.domain import Paper
from shelf.library import Library
from support.papers import LONG_ABSTRACT, add_papers


def _ids(library: Library, *papers: Paper) -> dict[str, str]:
    """Import ``papers``; their ids by title."""
    assert add_papers(library, papers).added == len(papers)
    return {entry.paper.title: entry.id for entry in library.entries()}


def _titles(library: Library, query: str) -> list[str]:
    return [entry.paper.title for entry in library.search(query).entries]


def test_a_title_word_as_typed_outranks_a_stem_only_match(library: Library) -> None:
    # The stem-only paper has the shorter title, which plain BM25 prefers, and is
    # imported first, so neither length nor insertion order explains the result.
    _ids(
        library,
        Paper(title="Rapid Network Adaptation", abstract=LONG_ABSTRACT),
        Paper(
            title="Adapters: A Unified Library for Parameter-Efficient and Modular Transfer "
            "Learning",
            abstract=LONG_ABSTRACT,
        ),
    )

    titles = _titles(library, "adapter")

    assert titles[0].startswith("Adapters:")
    assert titles[1] == "Rapid Network Adaptation"  # still found, by its stem


def test_the_plural_of_the_typed_word_counts_as_typed(library: Library) -> None:
    _ids(
        library,
        Paper(title="Transformation of Graphs", abstract=LONG_ABSTRACT),
        Paper(title="Transformers for Long Sequences of Graphs", abstract=LONG_ABSTRACT),
    )

    assert _titles(library, "transformer")[0].startswith("Transformers")
    assert _titles(library, "transformation")[0] == "Transformation of Graphs"


def test_the_typed_words_side_by_side_in_a_title_come_first(library: Library) -> None:
    _ids(
        library,
        # Shorter, so plain BM25 ranks it first, and imported first.
        Paper(title="Continual Models by Learning", abstract=LONG_ABSTRACT),
        Paper(
            title="A Survey of Continual Learning in Practice and Theory", abstract=LONG_ABSTRACT
        ),
    )

    titles = _titles(library, "continual learning")

    assert titles == [
        "A Survey of Continual Learning in Practice and Theory",
        "Continual Models by Learning",
    ]


def test_a_title_match_outranks_the_same_words_in_an_abstract(library: Library) -> None:
    _ids(
        library,
        Paper(title="Notes on Things", abstract=f"Parameter adapters. {LONG_ABSTRACT}"),
        Paper(title="Parameter Adapters", abstract=LONG_ABSTRACT),
    )

    assert _titles(library, "parameter adapters") == ["Parameter Adapters", "Notes on Things"]


def test_the_title_words_field_matches_like_the_others(library: Library) -> None:
    # A prefix or fuzzy term in title_words matched every paper: it was rewritten
    # to nothing, and a query of nothing lists everything.
    _ids(
        library,
        Paper(title="Adapters for Bias Removal", abstract=LONG_ABSTRACT),
        Paper(title="Unrelated Graph Work", abstract=LONG_ABSTRACT),
    )
    for text in ("title_words:zzzzqqq*", "title_words:zzzzqqq~", "title_words:zzzzqqqwww*"):
        assert library.search(text, correct=False).total == 0, text
    for text in ("title_words:adapt*", "title_words:adapterz~", "title_words:biases"):
        assert _titles(library, text) == ["Adapters for Bias Removal"], text
