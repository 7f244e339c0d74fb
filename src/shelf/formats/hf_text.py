"""The plain-text copy of a Hugging Face papers page: a title line, then an abstract line.

Copying the page from a browser also copies page chrome: "Get trending papers
in your email inbox" lines at the top and a "Subscribe" button label glued to
the first title. Those are recognized and dropped; any other line that is not
part of a title/abstract pair is reported with its line number.
"""

from __future__ import annotations

import re
from itertools import pairwise

from shelf.domain import Paper, ParseResult, Problem

NAME = "hf-text"
EXTENSIONS = (".txt",)

_CHROME = re.compile(r"^(Get trending papers in your email inbox.*|Subscribe)$", re.IGNORECASE)
_GLUED_BUTTON = re.compile(r"^Subscribe(?=[A-Z0-9])")
_MIN_ABSTRACT = 120  # characters: shorter than this, a line is not an abstract
_MAX_TITLE = 400


def sniff(text: str) -> bool:
    """Looks like title/abstract line pairs (and not like markup or a structured format)."""
    if text.lstrip("\ufeff \t\r\n")[:1] in {"<", "{", "[", "@", "%"} or "\nTY  - " in text[:2000]:
        return False
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    pairs = sum(1 for first, second in pairwise(lines) if _is_title(first) and _is_abstract(second))
    return pairs >= 2 or "trending papers" in text[:300].lower()


def read(text: str, source: str) -> ParseResult:
    """Papers from a page copy; stray lines become problems, never exceptions."""
    lines = [(number, raw.strip()) for number, raw in enumerate(text.splitlines(), start=1)]
    lines = [(number, line) for number, line in lines if line]
    papers: list[Paper] = []
    problems: list[Problem] = []
    index = 0
    while index < len(lines):
        number, line = lines[index]
        line = _GLUED_BUTTON.sub("", line)
        if _CHROME.match(line):
            index += 1
            continue
        following = lines[index + 1][1] if index + 1 < len(lines) else ""
        after = lines[index + 2][1] if index + 2 < len(lines) else ""
        # A long title after a stray line looks like an abstract, but then the line
        # after it (its real abstract) is far longer than it: pair that one instead.
        title_of_next = (
            not following.endswith(".") and _is_abstract(after) and len(after) > 2 * len(following)
        )
        if _is_title(line) and _is_abstract(following) and not title_of_next:
            papers.append(Paper(title=line, abstract=following))
            index += 2
            continue
        if _is_title(line) and index + 1 == len(lines):
            papers.append(Paper(title=line))
            problems.append(Problem(source, number, "title without an abstract (kept)"))
        else:
            problems.append(Problem(source, number, f"not a title/abstract pair: {line[:60]!r}"))
        index += 1
    return ParseResult(papers=tuple(papers), problems=tuple(problems))


def _is_title(line: str) -> bool:
    return 0 < len(line) <= _MAX_TITLE and not _CHROME.match(line)


def _is_abstract(line: str) -> bool:
    return len(line) >= _MIN_ABSTRACT
