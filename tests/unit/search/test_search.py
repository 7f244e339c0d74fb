"""Search through the ``Library`` facade: the query syntax of DESIGN.md on real SQLite and Whoosh.

Most tests run on the real 236-paper page copy; ranking, years and authors
(which the page copy lacks) use small libraries built here with known papers.
"""

from __future__ import annotations

import re

import pytest

from shelf.domain import Entry, Paper, QuerySyntaxError, Status, UnknownPaperError
from shelf.library import Library
from support.papers import add_papers

FILLER = (
    "We study how representations learned on one task carry over to another, report results "
    "on several benchmarks and release our code for others to build on."
)


def _text(entry: Entry) -> str:
    return f"{entry.paper.title} {entry.paper.abstract}"


def _hit_ids(library: Library, query: str) -> list[str]:
    result = library.search(query, limit=10_000)
    assert result.total == len(result.entries)
    return [entry.id for entry in result.entries]


def _ids_where(library: Library, pattern: str) -> set[str]:
    """Ids of papers whose title or abstract matches ``pattern`` (case-insensitive)."""
    return {e.id for e in library.entries() if re.search(pattern, _text(e), re.IGNORECASE)}


def _add(library: Library, *papers: Paper) -> list[str]:
    """Import ``papers`` and return their ids, in the order given."""
    report = add_papers(library, papers)
    assert report.added == len(papers)
    ids = []
    for paper in papers:
        found = [e for e in library.entries() if e.paper.title == paper.title]
        assert len(found) == 1
        ids.append(found[0].id)
    return ids


# -- plain words and ranking -----------------------------------------------------------


def test_plain_words_find_papers_with_both_words(page_library: Library) -> None:
    result = page_library.search("catastrophic forgetting")

    assert result.total > 0
    assert result.suggestion is None
    # Plain words combine with AND: every hit mentions both, and every paper that
    # mentions both is a hit.
    # Stemmed: "forgetting" also finds "forget" and "forgets".
    forget = r"\bforget(ting|s)?\b"
    catastrophic = r"\bcatastrophic(ally)?\b"
    expected = _ids_where(page_library, catastrophic) & _ids_where(page_library, forget)
    assert {e.id for e in result.entries} == expected
    for entry in result.entries[:5]:
        assert re.search(catastrophic, _text(entry), re.IGNORECASE)
        assert re.search(forget, _text(entry), re.IGNORECASE)


def test_limit_caps_the_page_but_total_counts_every_match(page_library: Library) -> None:
    everything = page_library.search("catastrophic forgetting", limit=1000)
    first_three = page_library.search("catastrophic forgetting", limit=3)

    assert len(first_three.entries) == 3
    assert first_three.total == everything.total > 3
    assert [e.id for e in first_three.entries] == [e.id for e in everything.entries[:3]]


def test_title_matches_outrank_abstract_only_matches(library: Library) -> None:
    # The abstract-only papers are imported first, so insertion order cannot explain the result.
    abstract_only = [
        Paper(
            title=f"Study number {n} of representation transfer",
            abstract=f"{FILLER} Here we also look at distillation in passing. {FILLER}",
        )
        for n in range(3)
    ]
    in_title = Paper(title="Distillation for compact students", abstract=FILLER)
    ids = _add(library, *abstract_only, in_title)

    hits = _hit_ids(library, "distillation")

    assert set(hits) == set(ids)
    assert hits[0] == ids[-1]


def test_a_word_in_the_notes_is_found_by_a_plain_search(library: Library) -> None:
    (paper_id,) = _add(library, Paper(title="Plain title", abstract=FILLER))
    assert _hit_ids(library, "zebrafish") == []

    library.update(paper_id, notes="Try this on the zebrafish dataset.")

    assert _hit_ids(library, "zebrafish") == [paper_id]
    assert _hit_ids(library, "notes:zebrafish") == [paper_id]


def test_a_changed_note_replaces_the_old_one(page_library: Library) -> None:
    paper_id = _hit_ids(page_library, "catastrophic forgetting")[0]
    before = page_library.search("catastrophic forgetting", limit=1000).total

    page_library.update(paper_id, notes="zebrafish")
    page_library.update(paper_id, notes="axolotl")

    assert _hit_ids(page_library, "zebrafish") == []
    assert _hit_ids(page_library, "notes:axolotl") == [paper_id]
    # The paper is indexed once, not once per change.
    hits = _hit_ids(page_library, "catastrophic forgetting")
    assert len(hits) == len(set(hits)) == before
    assert page_library._search_index().doc_count() == 236


# -- fields, phrases, prefixes, fuzzy ----------------------------------------------------


def test_title_field_only_matches_titles(page_library: Library) -> None:
    hits = page_library.search("title:adapter", limit=1000).entries

    assert hits
    for entry in hits:
        assert re.search(r"\badapt", entry.paper.title, re.IGNORECASE), entry.paper.title
    # A paper that says "adapter" only in its abstract is found by a plain search, not by title:.
    abstract_only = {
        e.id
        for e in page_library.entries()
        if "adapter" in e.paper.abstract.lower() and "adapt" not in e.paper.title.lower()
    }
    assert abstract_only
    assert abstract_only <= set(_hit_ids(page_library, "adapter"))
    assert not abstract_only & {e.id for e in hits}


def test_phrase_matches_the_words_side_by_side(page_library: Library) -> None:
    hits = set(_hit_ids(page_library, '"parameter-efficient"'))

    assert hits
    # Every paper spelling it that way is found...
    assert _ids_where(page_library, r"parameter-efficient") <= hits
    # ...and every hit has the two (stemmed) words next to each other.
    for paper_id in hits:
        text = _text(page_library.get(paper_id))
        assert re.search(r"\bparameters?\W+effici", text, re.IGNORECASE), text[:80]
    # Both words anywhere (no phrase) is a looser query: it finds more.
    assert hits < set(_hit_ids(page_library, "parameter efficient"))


def test_fuzzy_term_finds_the_correctly_spelled_word(page_library: Library) -> None:
    hits = set(_hit_ids(page_library, "forgeting~"))

    with_forgetting = _ids_where(page_library, r"\bforgetting\b")
    assert with_forgetting
    assert with_forgetting <= hits
    # Fuzzy matching works on stems: "forget", "forgets" and "forgetting" are all close.
    assert hits <= _ids_where(page_library, r"\bforg")


def test_prefix_matches_every_word_starting_with_it(page_library: Library) -> None:
    hits = set(_hit_ids(page_library, "contin*"))

    assert hits == _ids_where(page_library, r"\bcontin")
    # "continuous" is a different stem from "continual": the prefix finds both.
    assert _ids_where(page_library, r"\bcontinuous") & hits
    assert _ids_where(page_library, r"\bcontinual") & hits


def test_author_field(library: Library) -> None:
    hinton, other = _add(
        library,
        Paper(title="Distilling the knowledge", authors=("Geoffrey Hinton", "Jeff Dean")),
        Paper(title="Knowledge transfer elsewhere", authors=("Ada Lovelace",)),
    )

    assert _hit_ids(library, "author:hinton") == [hinton]
    assert _hit_ids(library, "author:lovelace") == [other]
    assert _hit_ids(library, "author:knowledge") == []
    # A plain word searches authors too.
    assert _hit_ids(library, "hinton") == [hinton]


def test_boolean_operators(page_library: Library) -> None:
    both = set(_hit_ids(page_library, "catastrophic AND forgetting"))
    either = set(_hit_ids(page_library, "catastrophic OR forgetting"))
    without = set(_hit_ids(page_library, "forgetting NOT catastrophic"))
    minus = set(_hit_ids(page_library, "forgetting -catastrophic"))
    forgetting = set(_hit_ids(page_library, "forgetting"))

    assert both == set(_hit_ids(page_library, "catastrophic forgetting"))
    assert both < forgetting <= either
    assert without == minus == forgetting - both
    assert without


# -- years -----------------------------------------------------------------------------


@pytest.fixture
def years_library(library: Library) -> dict[int, str]:
    """Five papers on the same subject from 2018 to 2023; year -> id."""
    years = (2018, 2019, 2021, 2022, 2023)
    papers = [
        Paper(title=f"Domain adaptation, the {year} take", year=year, abstract=FILLER)
        for year in years
    ]
    return dict(zip(years, _add(library, *papers), strict=True))


def test_year_range_is_inclusive(library: Library, years_library: dict[int, str]) -> None:
    hits = set(_hit_ids(library, "year:[2019 TO 2022]"))

    assert hits == {years_library[2019], years_library[2021], years_library[2022]}


def test_single_year(library: Library, years_library: dict[int, str]) -> None:
    assert _hit_ids(library, "year:2021") == [years_library[2021]]
    assert _hit_ids(library, "year:2020") == []
    assert _hit_ids(library, "adaptation year:2023") == [years_library[2023]]


def test_a_year_that_is_not_a_number_is_a_syntax_error(page_library: Library) -> None:
    with pytest.raises(QuerySyntaxError, match="year:abc"):
        page_library.search("year:abc")


@pytest.mark.parametrize(
    "query",
    ["status:bogus", "is:read", "tag:", "status:read OR forgetting", "(status:read forgetting)"],
)
def test_bad_state_filters_are_syntax_errors(page_library: Library, query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        page_library.search(query)


# -- personal-state filters ------------------------------------------------------------


def test_status_tag_and_star_filters_give_exact_ids(page_library: Library) -> None:
    ids = [e.id for e in page_library.entries()]
    page_library.update(ids[0], status=Status.READ)
    page_library.update(ids[1], status=Status.READ, add_tags=["Survey"])
    page_library.update(ids[2], add_tags=["survey"], starred=True)
    page_library.update(ids[3], starred=True)
    page_library.update(ids[4], status=Status.TO_READ)

    assert set(_hit_ids(page_library, "status:read")) == {ids[0], ids[1]}
    assert set(_hit_ids(page_library, "tag:survey")) == {ids[1], ids[2]}
    assert set(_hit_ids(page_library, "is:starred")) == {ids[2], ids[3]}
    assert set(_hit_ids(page_library, "status:read tag:survey")) == {ids[1]}
    assert set(_hit_ids(page_library, "status:to-read,read")) == {ids[0], ids[1], ids[4]}
    assert len(_hit_ids(page_library, "-status:inbox")) == 3
    assert len(_hit_ids(page_library, "-is:starred")) == 234


def test_state_filters_combine_with_words(page_library: Library) -> None:
    forgetting = _hit_ids(page_library, "forgetting")
    read_one, starred_one = forgetting[0], forgetting[1]
    plain_read = next(e.id for e in page_library.entries() if e.id not in forgetting)
    page_library.update(read_one, status=Status.READ)
    page_library.update(plain_read, status=Status.READ)
    page_library.update(starred_one, starred=True)

    assert _hit_ids(page_library, "status:read forgetting") == [read_one]
    assert _hit_ids(page_library, "forgetting is:starred") == [starred_one]


def test_excluding_a_status_keeps_the_rest(page_library: Library) -> None:
    forgetting = _hit_ids(page_library, "forgetting")
    skipped = set(forgetting[:2])
    for paper_id in skipped:
        page_library.update(paper_id, status=Status.SKIPPED)

    kept = _hit_ids(page_library, "-status:skipped forgetting")
    negated = _hit_ids(page_library, "NOT status:skipped forgetting")

    assert set(kept) == set(forgetting) - skipped
    assert set(negated) == set(kept)
    assert page_library.search("-status:skipped forgetting").total == len(forgetting) - 2


def test_state_changes_do_not_touch_the_index_but_filters_see_them(
    page_library: Library,
) -> None:
    store, index = page_library._store, page_library._search_index()
    generation = index._ix.latest_generation()
    paper_id = _hit_ids(page_library, "forgetting")[0]

    page_library.update(paper_id, status=Status.READ)
    page_library.update(paper_id, starred=True)
    page_library.update(paper_id, add_tags=["survey"])
    page_library.update(paper_id, starred=False)
    page_library.update(paper_id, status=Status.READING)

    assert store.queued_for_index() == {}
    assert index._ix.latest_generation() == generation
    assert _hit_ids(page_library, "status:reading forgetting") == [paper_id]
    assert _hit_ids(page_library, "tag:survey") == [paper_id]
    assert _hit_ids(page_library, "is:starred") == []


# -- did-you-mean and the empty query ----------------------------------------------------


def test_did_you_mean(page_library: Library) -> None:
    result = page_library.search("catastrophik", correct=False)

    assert result.total == 0
    assert result.entries == []
    assert result.suggestion == "catastrophic"
    assert page_library.search(result.suggestion).total > 0


def test_did_you_mean_corrects_every_misspelled_word(page_library: Library) -> None:
    result = page_library.search("catastrophik forgeting", correct=False)

    assert result.total == 0
    # "forgeting" stems to the real word "forget", so only the unknown word is corrected.
    assert result.suggestion == "catastrophic forgeting"
    assert page_library.search(result.suggestion).total > 0


def test_no_suggestion_when_there_are_hits(page_library: Library) -> None:
    assert page_library.search("catastrophic").suggestion is None


def test_empty_query_lists_inbox_first_then_newest_first(page_library: Library) -> None:
    ids = [e.id for e in page_library.entries()]
    page_library.update(ids[0], status=Status.READ)
    page_library.update(ids[1], status=Status.READING)
    (newest,) = _add(page_library, Paper(title="Imported last", abstract=FILLER))

    result = page_library.search("", limit=1000)

    assert result.total == 237
    statuses = [e.state.status for e in result.entries]
    assert statuses[:236] == [Status.INBOX] * 235 + [Status.READING]
    assert statuses[236] is Status.READ
    assert result.entries[0].id == newest
    assert page_library.search("   ").total == 237
    # A page of the empty query is the start of the same order.
    assert [e.id for e in page_library.search("", limit=5).entries] == [
        e.id for e in result.entries[:5]
    ]


def test_empty_text_with_a_filter_lists_the_filtered_papers(page_library: Library) -> None:
    paper_id = page_library.entries()[10].id
    page_library.update(paper_id, status=Status.SKIPPED)

    result = page_library.search("status:skipped")

    assert [e.id for e in result.entries] == [paper_id]
    assert result.total == 1


# -- highlighting and related papers -------------------------------------------------------


def _spans_text(text: str, query: str) -> list[str]:
    return [text[start:end] for start, end in Library.highlight(text, query)]


def test_highlight_covers_stemmed_words_and_prefixes() -> None:
    text = "Adapters for continual learning: adaptation without forgetting, continuously."

    assert _spans_text(text, "adapter") == ["Adapters", "adaptation"]
    assert _spans_text(text, "contin*") == ["continual", "continuously"]
    assert _spans_text(text, "forgetting learn") == ["learning", "forgetting"]
    assert _spans_text(text, "") == []


def test_highlight_ignores_state_filters(page_library: Library) -> None:
    text = "We read about forgetting."

    assert _spans_text(text, "status:read forgetting") == ["forgetting"]


def test_highlight_spans_point_into_the_original_text(page_library: Library) -> None:
    entry = page_library.search("catastrophic forgetting").entries[0]
    text = entry.paper.abstract

    spans = Library.highlight(text, "catastrophic forgetting")

    assert spans
    assert spans == sorted(spans)
    assert {text[s:e].lower() for s, e in spans} <= {"catastrophic", "forgetting"}
    expected = len(re.findall(r"\b(catastrophic|forgetting)\b", text, re.IGNORECASE))
    assert len(spans) == expected


def test_related_papers(page_library: Library) -> None:
    paper_id = _hit_ids(page_library, "catastrophic forgetting")[0]

    related = page_library.related(paper_id)

    assert 1 <= len(related) <= 5
    related_ids = [e.id for e in related]
    assert paper_id not in related_ids
    assert len(set(related_ids)) == len(related_ids)
    # The papers like one on catastrophic forgetting are about continual learning.
    assert any(re.search(r"forgetting|continual", _text(e), re.IGNORECASE) for e in related)
    assert len(page_library.related(paper_id, limit=2)) <= 2


def test_related_for_an_unknown_paper_is_an_error(page_library: Library) -> None:
    with pytest.raises(UnknownPaperError):
        page_library.related("zzzzzz")


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("title:forgteting", "title:forgetting"),
        ("year:2021 lerning", "year:2021 learning"),
        ('"catastrophik forgetting"', '"catastrophic forgetting"'),
    ],
)
def test_did_you_mean_keeps_fields_and_suggests_real_words(
    page_library: Library, query: str, suggestion: str
) -> None:
    result = page_library.search(query, correct=False)
    assert result.total == 0
    assert result.suggestion == suggestion


def test_a_word_being_typed_finds_abstract_words_when_titles_have_none(
    page_library: Library,
) -> None:
    # No title holds a word starting "catas": the quick title/author prefix finds
    # nothing, so the prefix is expanded over the abstracts too.
    with_word = _ids_where(page_library, r"\bcatas")
    assert with_word
    assert {e.id for e in page_library.search_as_you_type("catas", limit=500).entries} == with_word
    # A prefix that titles do hold stays a title/author lookup.
    assert page_library.search_as_you_type("adap").total > 0


def test_did_you_mean_offers_the_nearest_real_word(page_library: Library) -> None:
    # Issue 11: "transformr" was offered "transformation" (the first word found with the
    # stem), though "transformer" is one edit away.
    assert page_library.search("transformr", correct=False).suggestion == "transformer"
    assert page_library.search("catastrophc", correct=False).suggestion == "catastrophic"


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [
        ("", "", 0),
        ("abc", "", 3),
        ("transformr", "transformer", 1),
        ("kitten", "sitting", 3),
        ("moadl", "modal", 1),
        ("ca", "abc", 3),
    ],  # a swap is one edit (not two)
)
def test_edit_distance(a: str, b: str, edits: int) -> None:
    from shelf.search.suggest import distance

    assert distance(a, b) == distance(b, a) == edits
