"""Probable duplicates: papers with the same normalized title, or a very similar title and
the same first author.

Pure, no I/O. Never every pair: papers are blocked by title key (the same key
is a duplicate at once) and by the first author's last name; within an author's
block only titles that share one of their rarest letter trigrams are compared
(prefix filtering: two sets whose Jaccard similarity reaches ``SIMILARITY``
always share one of those), so a library of 100,000 papers is grouped in seconds.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
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
    by_author: defaultdict[str, list[int]] = defaultdict(list)
    for number, paper in enumerate(papers):
        if paper.title_key:
            groups.join(by_title.setdefault(paper.title_key, number), number)
        name = last_name(paper.first_author)
        if name:
            by_author[name].append(number)
    for block in by_author.values():
        if len(block) > 1:
            titles = [trigrams(papers[number].title_key) for number in block]
            for one, two in similar_pairs(titles, SIMILARITY):
                groups.join(block[one], block[two])
    return [[papers[number].id for number in members] for members in groups.members()]


def similar_pairs(sets: Sequence[frozenset[str]], threshold: float) -> Iterator[tuple[int, int]]:
    """Pairs (by position) of ``sets`` whose Jaccard similarity is at least ``threshold``.

    Sets are taken smallest first; each is compared only with earlier sets that
    share a token of its prefix (its rarest tokens, as many as a set so similar
    cannot miss) and are not too small to reach the threshold.
    """
    frequency = Counter(token for tokens in sets for token in tokens)
    rarity = {token: place for place, (token, _) in enumerate(reversed(frequency.most_common()))}
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for number in sorted(range(len(sets)), key=lambda n: len(sets[n])):
        tokens = sets[number]
        size = len(tokens)
        if not size:
            continue
        ordered = sorted(tokens, key=rarity.__getitem__)
        prefix = ordered[: size - math.ceil(threshold * size) + 1]
        smallest = threshold * size
        seen: set[int] = set()
        for token in prefix:
            for earlier in postings[token]:
                if earlier in seen or len(sets[earlier]) < smallest:
                    continue
                seen.add(earlier)
                if jaccard(tokens, sets[earlier]) >= threshold:
                    yield (earlier, number) if earlier < number else (number, earlier)
            postings[token].append(number)


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
