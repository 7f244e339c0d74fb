"""Did-you-mean: the query with each unknown word replaced by the closest word the library has.

Corrections are found among the title words as written (``title_words``) and
the indexed stems of titles and abstracts. A stem ("transform") is not a word,
and a typo near a word's end ("generatino") is far from its stem ("generat"),
so title words come first. Each candidate names a few papers whose text holds
it; the library reads those texts from its store and ``Corrections.apply``
picks, among the words they spell the candidate with ("transformer",
"transformation"...), the nearest to what was typed by edit distance (a swap
of two letters is one edit), then the one of the most frequent term, then the
most common spelling. The data goes one way at each step: no callback from the index into
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

from shelf.search.schema import AS_TYPED, STEMMED, singular, stem

#: The fields whose words are corrected.
CORRECTED_FIELDS = ("title", "abstract")
#: Where corrections are looked for: the title words as written, then the stems.
_SOURCES = ("title_words", *CORRECTED_FIELDS)
#: Papers read per candidate stem and field, for the words that spell it.
SAMPLES = 8
_OPERATORS = {"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"}
#: Words to spell-check: letters only, not a field name (followed by a colon) nor a number.
#: Not part of a wildcard (``tras*fer``) nor a boost (``word^abc``).
_PLAIN_WORD = re.compile(r"(?:(?P<field>\w+):\(?)?(?<![\w*?^~])(?P<word>[^\W\d_]{3,})(?![\w:*?~^])")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An indexed stem close to a typed word, and papers whose text holds it."""

    stem: str
    """The indexed term: a stem, or a title word with its plural folded."""
    paper_ids: tuple[str, ...]
    frequency: int
    """How many titles and abstracts hold the term."""
    as_typed: bool = False
    """Whether ``stem`` is a title word (``title_words``) rather than a stem."""


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

    def holders(field: str, term: str) -> tuple[str, ...]:
        """A few papers whose ``field`` holds ``term``."""
        docnums = itertools.islice(searcher.postings(field, term).all_ids(), SAMPLES)
        return tuple(paper_of(docnum) for docnum in docnums)

    def held_by(term: str, as_typed: bool) -> int:
        fields = ("title_words",) if as_typed else CORRECTED_FIELDS
        return int(sum(reader.doc_frequency(name, term) for name in fields))

    candidates: dict[int, tuple[Candidate, ...]] = {}
    for match in _PLAIN_WORD.finditer(text):
        word, field = match.group("word"), match.group("field")
        if field is not None and field not in CORRECTED_FIELDS:
            continue  # an author's name, a venue, an id: not spelled like titles
        fields = (field,) if field else CORRECTED_FIELDS
        if word in _OPERATORS or word.lower() in STOP_WORDS:
            continue  # "the" is left out of the index, never unknown to it
        if max(reader.frequency(name, stem(word)) for name in fields) > 0:
            continue  # a word the library has is never "corrected"
        allowed = edits_allowed(word)
        found: dict[tuple[str, bool], Candidate] = {}
        for source in _SOURCES:
            as_typed = source == "title_words"
            if ("title" if as_typed else source) not in fields:
                continue  # "abstract:genrative" is corrected from abstracts only
            term = singular(word.lower()) if as_typed else stem(word)
            # Typos rarely hit the first letter; keeping it makes this a small scan.
            # Whoosh counts a swap of two letters as two edits: look one further, then
            # keep what is near enough counting a swap as one ("moadl" -> "modal").
            for near in searcher.corrector(source).suggest(term, 5, 2, prefix=1):
                if distance(term, near) > allowed:
                    continue
                key = (near, as_typed)
                if key not in found and (papers := holders(source, near)):
                    found[key] = Candidate(near, papers, held_by(near, as_typed), as_typed)
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
            for spelling in _spellings(candidate, texts.get(paper_id, ""))
            if spelling != typed
        )
        for spelling, seen in spellings.items():
            edits = distance(typed, spelling)
            if edits <= edits_allowed(typed):  # "wiht" is never "witnessed"
                ranked.append((edits, -candidate.frequency, -seen, spelling))
    return min(ranked)[3] if ranked else None


def edits_allowed(word: str) -> int:
    """How many edits a correction of ``word`` may make: one in a short word, else two."""
    return 1 if len(word) <= 5 else 2


def _spellings(candidate: Candidate, source: str) -> list[str]:
    """The words of ``source`` indexed as the candidate's term, as written (lower-cased)."""
    analyzer = AS_TYPED if candidate.as_typed else STEMMED
    tokens = analyzer(source, chars=True, removestops=False)
    return [
        source[token.startchar : token.endchar].lower()
        for token in tokens
        if token.text == candidate.stem
    ]


def distance(a: str, b: str) -> int:
    """The edit distance between ``a`` and ``b``: insertions, deletions, changes, and swaps
    of two adjacent letters, each one edit (optimal string alignment)."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                best = min(best, before[j - 2] + 1)
            current.append(best)
        before, previous = previous, current
    return previous[-1]
