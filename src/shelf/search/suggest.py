"""Did-you-mean: the query with each unknown word replaced by the closest word the library has.

Corrections are found among the indexed stems of titles and abstracts. The
index holds stems ("transform"), not words, so each candidate names a few
papers whose title or abstract holds it; the library reads those texts from its
store and ``Corrections.apply`` picks, among the words they spell that stem
with ("transformer", "transformation"...), the nearest to what was typed by
edit distance, then the one of the most frequent stem, then the most common
spelling. The data goes one way at each step: no callback from the index into
the store. Field names, operators and quotes stay as they were typed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from whoosh.analysis import STOP_WORDS

from shelf.search.schema import STEMMED, stem

#: The fields whose words are corrected.
CORRECTED_FIELDS = ("title", "abstract")
#: Papers read per candidate stem and field, for the words that spell it.
SAMPLES = 8
_OPERATORS = {"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"}
#: Words to spell-check: letters only, not a field name (followed by a colon) nor a number.
_PLAIN_WORD = re.compile(r"(?:(?P<field>\w+):\(?)?(?<!\w)(?P<word>[^\W\d_]{3,})(?![\w:*~])")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An indexed stem close to a typed word, and papers whose text holds it."""

    stem: str
    paper_ids: tuple[str, ...]
    frequency: int
    """How many titles and abstracts hold the stem."""


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
        return {i for options in self.candidates.values() for c in options for i in c.paper_ids}

    def apply(self, texts: Mapping[str, str]) -> str | None:
        """The corrected query, given the title and abstract of each of ``paper_ids``.

        None when no word could be turned into another one.
        """
        changed = False

        def replace(match: re.Match[str]) -> str:
            nonlocal changed
            before = match.group(0)[: match.start("word") - match.start()]
            word = match.group("word")
            best = _nearest(word.lower(), self.candidates.get(match.start("word"), ()), texts)
            if best is None:
                return before + word
            changed = True
            return before + best

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

    def holders(stemmed: str) -> tuple[str, ...]:
        """A few papers whose title holds ``stemmed``, then a few whose abstract does."""
        found: list[str] = []
        for name in CORRECTED_FIELDS:
            if reader.frequency(name, stemmed):
                docnums = itertools.islice(searcher.postings(name, stemmed).all_ids(), SAMPLES)
                found += (paper_of(docnum) for docnum in docnums)
        return tuple(dict.fromkeys(found))

    def held_by(stemmed: str) -> int:
        return int(sum(reader.doc_frequency(name, stemmed) for name in CORRECTED_FIELDS))

    candidates: dict[int, tuple[Candidate, ...]] = {}
    for match in _PLAIN_WORD.finditer(text):
        word, field = match.group("word"), match.group("field")
        fields = (field,) if field in CORRECTED_FIELDS else CORRECTED_FIELDS
        if word in _OPERATORS or word.lower() in STOP_WORDS:
            continue  # "the" is left out of the index, never unknown to it
        if frequency(stem(word), fields) > 0:
            continue  # a word the library has is never "corrected"
        maxdist = 1 if len(word) <= 5 else 2
        found: dict[str, Candidate] = {}
        for corrector in correctors:
            # Typos rarely hit the first letter; keeping it makes this a small scan.
            for stemmed in corrector.suggest(stem(word), limit=5, maxdist=maxdist, prefix=1):
                if stemmed not in found and (papers := holders(stemmed)):
                    found[stemmed] = Candidate(stemmed, papers, held_by(stemmed))
        if found:
            candidates[match.start("word")] = tuple(found.values())
    return Corrections(text, candidates)


def _nearest(typed: str, candidates: tuple[Candidate, ...], texts: Mapping[str, str]) -> str | None:
    """The word spelling one of ``candidates`` nearest to ``typed``; None when there is none.

    Nearest by edit distance, then of the stem most papers hold, then the
    spelling seen most often. Never ``typed`` itself.
    """
    ranked: list[tuple[int, int, int, str]] = []
    for candidate in candidates:
        spellings = Counter(
            spelling
            for paper_id in candidate.paper_ids
            for spelling in _spellings(candidate.stem, texts.get(paper_id, ""))
            if spelling != typed
        )
        for spelling, seen in spellings.items():
            ranked.append((distance(typed, spelling), -candidate.frequency, -seen, spelling))
    return min(ranked)[3] if ranked else None


def _spellings(stemmed: str, source: str) -> list[str]:
    """The words of ``source`` whose stem is ``stemmed``, as written (lower-cased)."""
    return [
        source[token.startchar : token.endchar].lower()
        for token in STEMMED(source, chars=True, removestops=False)
        if token.text == stemmed
    ]


def distance(a: str, b: str) -> int:
    """The Levenshtein distance between ``a`` and ``b`` (insertions, deletions, changes)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]
