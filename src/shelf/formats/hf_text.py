"""The plain-text copy of a Hugging Face papers page: a title line, then an abstract line.

Copying the page from a browser also copies page chrome: "Get trending papers
in your email inbox" lines at the top and a "Subscribe" button label glued to
the first title. Those are recognized and dropped; any other line that is not
part of a title/abstract pair is reported with its line number.

Plain text is what most files are, so the sniffer asks for the page's shape:
nearly every line in a title/abstract pair, titles of more than a word, no two
paragraphs in a row (prose), and no Markdown or reStructuredText at all (a
table row, a heading, a list item, a quote, a code fence, a directive). A file
of one paper, a title and a shorter abstract, still reads as one paper.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import pairwise

from shelf.domain import Paper, ParseResult, Problem, Record, RecordStream
from shelf.formats.encodings import lines

NAME = "hf-text"
EXTENSIONS = (".txt",)

_CHROME = re.compile(r"^(Get trending papers in your email inbox.*|Subscribe)$", re.IGNORECASE)
_GLUED_BUTTON = re.compile(r"^Subscribe(?=[A-Z0-9])")
_MIN_ABSTRACT = 120  # characters: shorter than this, a line is not an abstract
_MAX_TITLE = 400


_MARKUP = re.compile(
    r"^(#|\||[-*+]\s|>|```|~~~|\.\. |\d+[.)]\s|={3,}\s*$|-{3,}\s*$|\s{4})|\]\(|<[a-z/!]",
    re.IGNORECASE,
)
#: Of the lines looked at, at least this share must be in title/abstract pairs.
_PAIRED_SHARE = 0.8


def sniff(text: str) -> bool:
    """Looks like a copied papers page: title/abstract pairs, and neither markup nor prose."""
    if text.lstrip("\ufeff \t\r\n")[:1] in {"<", "{", "[", "@", "%"} or "\nTY  - " in text[:2000]:
        return False
    raw = [line for line in text.removeprefix("\ufeff").splitlines()[:60] if line.strip()]
    if any(_MARKUP.search(line) for line in raw):
        return False
    lines = [_GLUED_BUTTON.sub("", line.strip()) for line in raw]
    lines = [line for line in lines if not _CHROME.match(line)]
    if "trending papers" in text[:300].lower():
        return True
    if len(lines) == 2:
        title, abstract = lines
        return _is_title(title) and (_is_abstract(abstract) or _short_abstract(title, abstract))
    titles = [
        first for first, second in pairwise(lines) if _is_title(first) and _is_abstract(second)
    ]
    paragraphs = sum(
        1 for first, second in pairwise(lines) if _is_abstract(first) and _is_abstract(second)
    )
    words = sorted(len(title.split()) for title in titles)
    return (
        len(titles) >= 2
        and 2 * len(titles) >= _PAIRED_SHARE * len(lines)
        and paragraphs <= len(titles) // 10
        and words[len(words) // 2] >= 2
    )


def read(text: str, source: str) -> ParseResult:
    """Papers from a page copy; stray lines become problems, never exceptions."""
    return stream([text], source).collected()


def stream(pieces: Iterable[str], source: str) -> RecordStream:
    """``read``, of text that comes in pieces, paper by paper as they are taken."""
    return RecordStream.of(lambda found: _records(pieces, source, found))


def _records(pieces: Iterable[str], source: str, found: RecordStream) -> Iterator[Record]:
    # The line read and the two after it, never the whole file; blank lines left out.
    window: deque[tuple[int, str]] = deque()
    rest = ((n, raw.strip()) for n, raw in enumerate(lines(pieces), start=1) if raw.strip())
    window.extend(itertools.islice(rest, 3))
    while window:
        number, line = window[0]
        line = _GLUED_BUTTON.sub("", line)
        following = window[1][1] if len(window) > 1 else ""
        after = window[2][1] if len(window) > 2 else ""
        taken = 1
        if _CHROME.match(line):
            pass
        # A long title after a stray line looks like an abstract, but then the line
        # after it (its real abstract) is far longer than it: pair that one instead.
        elif _pairs(line, following, after, last=len(window) == 2):
            yield Record(Paper(title=line, abstract=following))
            taken = 2
        elif _is_title(line) and len(window) == 1:
            yield Record(Paper(title=line))
            found.problems.append(Problem(source, number, "title without an abstract (kept)"))
        else:
            message = f"not a title/abstract pair: {line[:60]!r}"
            found.problems.append(Problem(source, number, message))
        for _ in range(taken):
            window.popleft()
        window.extend(itertools.islice(rest, 3 - len(window)))


def _pairs(line: str, following: str, after: str, last: bool) -> bool:
    """Whether ``line`` is a title and ``following`` its abstract (``after``: the line
    after that; ``last``: ``following`` ends the file)."""
    if not following or not _is_title(line):
        return False
    title_of_next = (
        not following.endswith(".") and _is_abstract(after) and len(after) > 2 * len(following)
    )
    # The last pair of the file may have a short abstract: a longer line after a title.
    last_pair = last and _short_abstract(line, following)
    return (_is_abstract(following) or last_pair) and not title_of_next


def _is_title(line: str) -> bool:
    return 0 < len(line) <= _MAX_TITLE and not _CHROME.match(line)


def _is_abstract(line: str) -> bool:
    return len(line) >= _MIN_ABSTRACT


def _short_abstract(title: str, line: str) -> bool:
    """``line`` reads as the (short) abstract of ``title``: longer, and a sentence."""
    return len(line) > max(len(title), 30) and line.rstrip()[-1:] in ".!?)"
