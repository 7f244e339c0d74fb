"""Likeness to the papers a user liked: the scores of the for-you order and its reasons.

Whoosh alone, offline: no model. The liked papers' titles and abstracts make one
text; its key terms (Whoosh's Bo1 expansion model: words frequent in that text
and rare in the library, as ``Searcher.more_like`` takes them) become one OR query
over titles and abstracts, each term weighted by its importance, and BM25F
scores the candidates against it. Mixed into ``WhooshIndex``, whose searcher
and id maps it uses under the index's reading lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh import query

from shelf.search.guards import damage_is_a_library_error

#: How many key terms stand for the liked papers (more: slower, and vaguer).
PROFILE_TERMS = 24
#: How many key terms stand for one paper when its likest liked paper is looked for.
PAPER_TERMS = 15
#: The stemmed fields the key terms are looked up in (one analyzer: the same terms).
FIELDS = ("title", "abstract")


class Likeness:
    """Scores by likeness (mixed into ``WhooshIndex``)."""

    directory: Path
    _searcher: Any
    _reading: threading.RLock

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
            q = self._profile_query("\n".join(liked), PROFILE_TERMS)
            if q is None or not allowed:
                return {}
            results = self._searcher.search(q, limit=None, filter=allowed)
            ids_of = self._docnum_to_id()
            return {ids_of[docnum]: float(score) for score, docnum in results.top_n}

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

    def _profile_query(self, text: str, numterms: int) -> query.Query | None:
        """The OR of ``text``'s key terms in titles and abstracts, or None if it has none."""
        if not text.strip():
            return None
        terms = self._searcher.key_terms_from_text("abstract", text, numterms=numterms)
        if not terms:
            return None
        return query.Or(
            [query.Term(field, word, boost=weight) for word, weight in terms for field in FIELDS]
        )
