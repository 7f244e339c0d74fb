"""Likeness to the papers a user liked: the scores of the for-you order and its reasons.

Whoosh alone, offline: no model. This is Whoosh's "more like this" with many
papers for one: the liked papers' titles and abstracts make one text, whose key
terms (Whoosh's Bo1 expansion model, as ``Searcher.more_like`` takes them: words
frequent in that text and rare in the library) are looked up in titles and
abstracts, each weighted by its importance, and scored by BM25F.

The scores are summed straight from the key terms' postings with Whoosh's own
BM25 formula and idf: the same numbers its OR query gives, in less than half
the time (its matchers cost more than the sums, when a list matches thousands
of papers). Mixed into ``WhooshIndex``, whose searcher and id maps it uses
under the index's reading lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh import query, scoring

from shelf.search.guards import damage_is_a_library_error

#: How many key terms stand for the liked papers (more: slower, and vaguer).
PROFILE_TERMS = 24
#: How many key terms are weighed to find those (the ones too common are left out).
CANDIDATE_TERMS = 200
#: A word in more papers than this says little about a taste and is the costliest to
#: score (its postings are the longest): it is no key term. This bounds the work of
#: ranking whatever the library's size: at 10,000 papers, a tenth of them.
MOST_PAPERS = 1000
#: How many key terms stand for one paper when its likest liked paper is looked for.
PAPER_TERMS = 15
#: The stemmed fields the key terms are looked up in (one analyzer: the same terms).
FIELDS = ("title", "abstract")


class Likeness:
    """Scores by likeness (mixed into ``WhooshIndex``)."""

    directory: Path
    _searcher: Any
    _reading: threading.RLock
    _profile: tuple[Any, str, query.Or | None] | None = None
    """(searcher, liked text, its query), the last made: the app asks again at every key
    typed and every page while the liked papers stay the same."""

    def _refresh(self) -> None:
        raise NotImplementedError

    def _id_to_docnum(self) -> dict[str, int]:
        raise NotImplementedError

    def _docnum_to_id(self) -> Any:
        raise NotImplementedError

    @damage_is_a_library_error
    def likeness(self, liked: Sequence[str], candidates: Iterable[str]) -> dict[str, float]:
        """The ``candidates`` that share a key term with the ``liked`` texts, each with its
        score (higher: more alike); the others are left out."""
        with self._reading:
            self._refresh()  # another process may have committed since
            to_docnum = self._id_to_docnum()
            allowed = {to_docnum[i] for i in candidates if i in to_docnum}
            text = "\n".join(liked)
            if self._profile is None or self._profile[:2] != (self._searcher, text):
                query_of = self._profile_query(text, PROFILE_TERMS, MOST_PAPERS)
                self._profile = (self._searcher, text, query_of)
            q = self._profile[2]
            if q is None or not allowed:
                return {}
            scores = self._bm25(q, allowed)
            ids_of = self._docnum_to_id()
            return {ids_of[docnum]: score for docnum, score in scores.items()}

    def _bm25(self, q: query.Or, allowed: set[int]) -> dict[int, float]:
        """The BM25F score of each ``allowed`` document under ``q`` (an OR of weighted
        terms), as ``Searcher.search`` would score it; documents matching no term are
        left out."""
        searcher, reader = self._searcher, self._searcher.reader()
        weighting = searcher.weighting  # BM25F: its B and K1
        documents = max(1, reader.doc_count_all())
        averages = {field: reader.field_length(field) / documents for field in FIELDS}
        scores: dict[int, float] = {}
        for term in q.subqueries:
            field, word = term.fieldname, term.text
            if (field, word) not in reader:
                continue
            idf, average = searcher.idf(field, word), averages[field]
            for docnum, frequency in reader.postings(field, word).items_as("weight"):
                if docnum in allowed:
                    length = reader.doc_field_length(docnum, field)
                    score = scoring.bm25(idf, frequency, length, average, weighting.B, weighting.K1)
                    scores[docnum] = scores.get(docnum, 0.0) + term.boost * score
        return scores

    @damage_is_a_library_error
    def likest(self, text: str, among: Iterable[str], paper_id: str) -> str | None:
        """Which of the papers ``among`` is most like ``text`` (the title and abstract of
        paper ``paper_id``, never its own answer); None when none shares a key term."""
        with self._reading:
            self._refresh()
            to_docnum = self._id_to_docnum()
            pool = {to_docnum[i] for i in among if i in to_docnum and i != paper_id}
            q = self._profile_query(text, PAPER_TERMS)
            if q is None or not pool:
                return None
            results = self._searcher.search(q, limit=1, filter=pool)
            return str(self._docnum_to_id()[results.top_n[0][1]]) if results.top_n else None

    def _profile_query(
        self, text: str, numterms: int, most_papers: int | None = None
    ) -> query.Or | None:
        """The OR of ``text``'s ``numterms`` key terms (each in at most ``most_papers``
        papers, if given) in titles and abstracts, or None if it has none."""
        if not text.strip():
            return None
        weighed = CANDIDATE_TERMS if most_papers is not None else numterms
        terms = self._searcher.key_terms_from_text("abstract", text, numterms=weighed)
        if most_papers is not None:
            reader = self._searcher.reader()
            terms = [
                (word, weight) for word, weight in terms
                if reader.doc_frequency("abstract", word) <= most_papers
            ][:numterms]  # fmt: skip
        if not terms:
            return None
        return query.Or(
            [query.Term(field, word, boost=weight) for word, weight in terms for field in FIELDS]
        )
