"""Did-you-mean: the query with each unknown word replaced by the closest word the library has.

Corrections are found among the indexed stems of titles and abstracts. The
index holds stems ("forgett"), not words, so each candidate names a paper whose
title or abstract holds it; the library reads those texts from its store and
``Corrections.apply`` turns each stem back into the word that paper wrote. The
data goes one way at each step: no callback from the index into the store.
Field names, operators and quotes stay as they were typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from shelf.search.schema import STEMMED, stem

#: The fields whose words are corrected.
CORRECTED_FIELDS = ("title", "abstract")
_OPERATORS = {"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"}
#: Words to spell-check: letters only, not a field name (followed by a colon) nor a number.
_PLAIN_WORD = re.compile(r"(?:(?P<field>\w+):\(?)?(?<!\w)(?P<word>[^\W\d_]{3,})(?![\w:*~])")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An indexed stem close to a typed word, and a paper whose text holds it."""

    stem: str
    paper_id: str


@dataclass(frozen=True, slots=True)
class Corrections:
    """The candidates for each unknown word of a query, best first."""

    text: str
    """The query as typed."""
    candidates: dict[int, tuple[Candidate, ...]]
    """By the start of each unknown word in ``text``."""

    @property
    def paper_ids(self) -> set[str]:
        """The papers whose title and abstract ``apply`` needs."""
        return {c.paper_id for options in self.candidates.values() for c in options}

    def apply(self, texts: Mapping[str, str]) -> str | None:
        """The corrected query, given the title and abstract of each of ``paper_ids``.

        None when no word could be turned into another one.
        """
        changed = False

        def replace(match: re.Match[str]) -> str:
            nonlocal changed
            before = match.group(0)[: match.start("word") - match.start()]
            word = match.group("word")
            for candidate in self.candidates.get(match.start("word"), ()):
                surface = _surface(candidate.stem, texts.get(candidate.paper_id, ""))
                if surface and surface != word.lower():
                    changed = True
                    return before + surface
            return before + word

        suggestion = _PLAIN_WORD.sub(replace, self.text)
        return suggestion if changed else None


def find_corrections(searcher: Any, text: str, paper_of: Callable[[int], str]) -> Corrections:
    """The candidate corrections of every word of ``text`` the library does not have.

    ``searcher`` is a Whoosh searcher; ``paper_of`` maps its docnums to paper ids.
    """
    reader = searcher.reader()
    correctors = [searcher.corrector(name) for name in CORRECTED_FIELDS]

    def frequency(stemmed: str, fields: tuple[str, ...]) -> int:
        return int(max(reader.frequency(name, stemmed) for name in fields))

    def holders(stemmed: str) -> list[str]:
        """A paper whose title holds ``stemmed``, then one whose abstract does."""
        found = []
        for name in CORRECTED_FIELDS:
            if reader.frequency(name, stemmed):
                docnum = next(iter(searcher.postings(name, stemmed).all_ids()), None)
                if docnum is not None:
                    found.append(paper_of(docnum))
        return found

    candidates: dict[int, tuple[Candidate, ...]] = {}
    for match in _PLAIN_WORD.finditer(text):
        word, field = match.group("word"), match.group("field")
        fields = (field,) if field in CORRECTED_FIELDS else CORRECTED_FIELDS
        if word in _OPERATORS or frequency(stem(word), fields) > 0:
            continue  # a word the library has is never "corrected"
        maxdist = 1 if len(word) <= 5 else 2
        found = []
        for corrector in correctors:
            # Typos rarely hit the first letter; keeping it makes this a small scan.
            for stemmed in corrector.suggest(stem(word), limit=3, maxdist=maxdist, prefix=1):
                found += [Candidate(stemmed, paper_id) for paper_id in holders(stemmed)]
        if found:
            candidates[match.start("word")] = tuple(found)
    return Corrections(text, candidates)


def _surface(stemmed: str, source: str) -> str | None:
    """The word of ``source`` whose stem is ``stemmed``, as written (lower-cased)."""
    for token in STEMMED(source, chars=True, removestops=False):
        if token.text == stemmed:
            return source[token.startchar : token.endchar].lower()
    return None
