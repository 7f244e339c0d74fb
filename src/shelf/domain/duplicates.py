"""Probable duplicates: papers with the same normalized title, or a very similar title and
the same first author.

Pure, no I/O. Never every pair: papers are blocked by title key (the same key
is a duplicate at once) and by first author (last name and first initial);
within an author's block only titles that share one of their rarest letter
trigrams are compared (prefix filtering: two sets whose Jaccard similarity
reaches ``SIMILARITY`` always share one of those), so a library of 100,000
papers is grouped in seconds (``bench/duplicates.py``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from shelf.domain.identity import normalize_title

#: How alike two titles of one first author must be (Jaccard similarity of their letter
#: trigrams, spaces left out): a typo, a plural or "pre-training"/"pretraining" passes,
#: another paper of a series ("... part II") mostly does not.
SIMILARITY = 0.8

#: Name suffixes that are not a last name ("John Smith Jr." is Smith).
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """What finding duplicates needs of one paper."""

    id: str
    title_key: str
    """The normalized title (``normalize_title``)."""
    first_author: str
    """The first author as stored ("Vaswani, Ashish" or "Ashish Vaswani"), or ""."""


def last_name(author: str) -> str:
    """An author's normalized last name: "Vaswani, A." and "Ashish Vaswani" are "vaswani"."""
    surname = author.split(",", 1)[0] if "," in author else author
    words = normalize_title(surname).split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def first_initial(author: str) -> str:
    """An author's first initial, or "" when only a last name is given: "Vaswani, Ashish",
    "Ashish Vaswani" and "A. Vaswani" are "a"."""
    if "," in author:
        given = [part for part in author.split(",")[1:] if normalize_title(part) not in _SUFFIXES]
        words = normalize_title(" ".join(given)).split()
    else:
        words = normalize_title(author).split()[:-1]
    return words[0][0] if words else ""


def trigrams(title_key: str) -> frozenset[str]:
    """The letter trigrams of a normalized title, its spaces left out."""
    letters = title_key.replace(" ", "")
    if len(letters) < 3:
        return frozenset({letters}) if letters else frozenset()
    return frozenset(letters[i : i + 3] for i in range(len(letters) - 2))


def jaccard(one: frozenset[str], two: frozenset[str]) -> float:
    union = len(one | two)
    return len(one & two) / union if union else 0.0


def find_duplicates(papers: Sequence[Candidate]) -> list[list[str]]:
    """Groups of ids of probable duplicates, each in the order ``papers`` gave them; groups
    in the order of their first paper. A paper is in one group at most."""
    groups = _Groups(len(papers))
    by_title: dict[str, int] = {}
    by_author: defaultdict[str, defaultdict[str, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for number, paper in enumerate(papers):
        if paper.title_key:
            groups.join(by_title.setdefault(paper.title_key, number), number)
        name = last_name(paper.first_author)
        if name:
            by_author[name][first_initial(paper.first_author)].append(number)
    for block in _author_blocks(by_author):
        titles = [trigrams(papers[number].title_key) for number in block]
        for one, two in similar_pairs(titles, SIMILARITY):
            groups.join(block[one], block[two])
    return [[papers[number].id for number in members] for members in groups.members()]


def _initials() -> defaultdict[str, list[int]]:
    return defaultdict(list)


def _author_blocks(by_author: Mapping[str, Mapping[str, list[int]]]) -> Iterator[list[int]]:
    """The papers of one first author: one last name and one first initial (a name given
    without an initial is in the block of every initial of its last name)."""
    for by_initial in by_author.values():
        bare = list(by_initial.get("", []))
        blocks = [members + bare for initial, members in by_initial.items() if initial]
        for block in blocks or [bare]:
            if len(block) > 1:
                yield block


def similar_pairs(sets: Sequence[frozenset[str]], threshold: float) -> Iterator[tuple[int, int]]:
    """Pairs (by position) of ``sets`` whose Jaccard similarity is at least ``threshold``.

    Prefix filtering (PPJoin): tokens are ordered rarest first and sets taken
    smallest first. Two sets that similar must share enough tokens that one of
    the first few of each (its prefix) is shared, so each set meets only the
    earlier sets listed under its prefix tokens; a pair whose shared tokens so
    far, plus all the tokens either has left, fall short is dropped before its
    sets are compared whole.
    """
    frequency = Counter(token for tokens in sets for token in tokens)
    rarity = {token: place for place, (token, _) in enumerate(reversed(frequency.most_common()))}
    sizes = [len(tokens) for tokens in sets]
    share = threshold / (1 + threshold)  # overlap >= share * (|x| + |y|) <=> Jaccard >= t
    postings: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
    for number in sorted(range(len(sets)), key=sizes.__getitem__):
        size = sizes[number]
        if not size:
            continue
        ordered = sorted(sets[number], key=rarity.__getitem__)
        probed = size - math.ceil(threshold * size) + 1
        indexed = size - math.ceil(2 * share * size) + 1  # enough against larger sets to come
        overlaps: dict[int, int] = {}
        for place, token in enumerate(ordered[:probed]):
            for earlier, there in postings[token]:
                found = overlaps.get(earlier, 0)
                if found < 0 or sizes[earlier] < threshold * size:
                    continue
                left = min(size - place, sizes[earlier] - there)  # this token included
                needed = _needed(share, size, sizes[earlier])
                overlaps[earlier] = found + 1 if found + left >= needed else -1
            if place < indexed:
                postings[token].append((number, place))
        for earlier, found in overlaps.items():
            if found > 0 and jaccard(sets[number], sets[earlier]) >= threshold:
                yield (earlier, number) if earlier < number else (number, earlier)


def _needed(share: float, one: int, two: int) -> int:
    """The fewest shared tokens two sets of these sizes need (a hair under, for rounding)."""
    return math.ceil(share * (one + two) - 1e-9)


class _Groups:
    """Union-find over positions: which papers are joined, directly or through others."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, number: int) -> int:
        while self._parent[number] != number:
            self._parent[number] = self._parent[self._parent[number]]
            number = self._parent[number]
        return number

    def join(self, one: int, two: int) -> None:
        first, second = self.find(one), self.find(two)
        if first != second:  # the earlier paper leads, so groups keep the library's order
            self._parent[max(first, second)] = min(first, second)

    def members(self) -> Iterable[list[int]]:
        """The groups of more than one, each in order, in the order of their first member."""
        found: defaultdict[int, list[int]] = defaultdict(list)
        for number in range(len(self._parent)):
            found[self.find(number)].append(number)
        return [members for members in found.values() if len(members) > 1]
