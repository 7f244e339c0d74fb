"""The for-you scores are Whoosh's own: summed from the postings, they equal what its OR
query of the same weighted key terms scores (BM25F), in less time on a large list."""

from __future__ import annotations

import pytest

from shelf.domain import Status
from shelf.library import Library
from shelf.library.for_you import text_of
from shelf.search import WhooshIndex
from shelf.search.likeness import MOST_PAPERS, PROFILE_TERMS


def test_the_summed_scores_are_those_of_whooshs_query(page_library: Library) -> None:
    entries = page_library.entries()
    liked = [text_of(entry) for entry in entries[:5]]
    inbox = [entry.id for entry in entries[5:] if entry.state.status is Status.INBOX]
    index: WhooshIndex = page_library._search_index()
    scores = index.likeness(liked, inbox)
    q = index._profile_query("\n".join(liked), PROFILE_TERMS, MOST_PAPERS)
    assert q is not None and len(q.subqueries) == 2 * PROFILE_TERMS
    to_docnum = index._id_to_docnum()
    allowed = {to_docnum[i] for i in inbox}
    found = index._searcher.search(q, limit=None, filter=allowed)
    ids_of = index._docnum_to_id()
    expected = {ids_of[docnum]: score for score, docnum in found.top_n}
    assert 100 < len(scores) == len(expected)
    assert scores == pytest.approx(expected, rel=1e-12)


def test_words_in_too_many_papers_are_no_key_terms(page_library: Library) -> None:
    index: WhooshIndex = page_library._search_index()
    reader = index._searcher.reader()
    text = "\n".join(text_of(entry) for entry in page_library.entries()[:5])
    uncapped = index._profile_query(text, 10)
    assert uncapped is not None
    frequency = {t.text: reader.doc_frequency("abstract", t.text) for t in uncapped.subqueries}
    commonest = max(frequency, key=lambda word: frequency[word])
    cap = frequency[commonest] - 1
    assert cap > 10  # a word of many papers is among them when nothing caps them
    capped = index._profile_query(text, 10, most_papers=cap)
    assert capped is not None and len(capped.subqueries) == 2 * 10
    assert commonest not in {term.text for term in capped.subqueries}
    assert all(reader.doc_frequency("abstract", t.text) <= cap for t in capped.subqueries)
