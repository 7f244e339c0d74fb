"""One work as the Crossref REST API answers for a DOI, read into a paper.

The answer is ``{"status": "ok", "message-type": "work", "message": {...}}``;
from the message come the title (the first of ``title``), the authors
(``given family``, or ``name`` for a group), the year (``issued``, else the
publication dates), the venue (the first ``container-title``), the abstract,
``DOI`` and ``URL``.

Abstracts are JATS XML (``<jats:sec><jats:title>Background</jats:title>
<jats:p>…``), sometimes HTML, sometimes plain text. They become plain text:
tags dropped, entities decoded, a heading that only says "Abstract" left out,
other headings kept as "Background: …", white space folded as every other
format folds it. Titles carry inline markup too (``<i>Drosophila</i>``,
``H<sub>2</sub>O``) and are read the same way. Only well-formed tags are
dropped, so a title such as "x<y for all y" keeps its text.

This is not an import format (no file is a Crossref answer): ``shelf add``
reads what ``remote.crossref`` fetched.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from shelf.domain import InputError, Paper, ParseResult
from shelf.domain.identity import normalize_doi
from shelf.domain.text import is_web_url

_TAG = re.compile(r"<(/?)([A-Za-z][\w.:-]*)(?:\s[^<>]*)?/?>")
# Elements that end a run of words: their text never runs into the next one's.
_BLOCKS = frozenset({
    "p", "sec", "abstract", "trans-abstract", "list", "list-item", "def-list", "def-item",
    "disp-quote", "boxed-text", "table-wrap", "caption", "label", "br", "div",
    "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "section", "blockquote",
    "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
})  # fmt: skip
# HTML elements whose content is no text to read: it is left out with them.
_UNREAD = frozenset({"script", "style", "template", "noscript"})
_BARE_HEADINGS = frozenset({"abstract", "summary", "graphical abstract"})
_DATES = ("issued", "published", "published-print", "published-online")
_OLD_RESOLVER = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.IGNORECASE)


def read(text: str, source: str, doi: str) -> ParseResult:
    """The paper in Crossref's answer for ``doi``.

    Text that is not JSON, JSON that is not a work, a work without a title, and
    an answer about another DOI raise ``InputError`` naming ``source``.
    """
    message = _message(text, source)
    title = plain_text(_first(message.get("title")))
    if not title:
        raise InputError(source, f"Crossref's record of DOI {doi} has no title")
    found = normalize_doi(_first([message.get("DOI")]))
    if found != doi.lower():
        shown = repr(found[:100]) if found else "none"
        raise InputError(source, f"Crossref answered with DOI {shown}, not {doi}")
    url = _first([message.get("URL")])
    url = _OLD_RESOLVER.sub("https://doi.org/", url) if is_web_url(url) else ""
    paper = Paper(
        title=title,
        authors=_authors(message.get("author")),
        year=_year(message),
        venue=plain_text(_first(message.get("container-title"))),
        abstract=plain_text(_first([message.get("abstract")])),
        url=url or f"https://doi.org/{found}",
        doi=found,
    )
    return ParseResult.of_papers([paper])


def _message(text: str, source: str) -> dict[str, Any]:
    try:
        document = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as err:
        reason = f"Crossref's answer is not valid JSON: {err.msg}"
        raise InputError(source, reason, err.lineno) from None
    except ValueError as err:  # a number too long to convert, for one
        raise InputError(source, f"Crossref's answer is not readable JSON: {err}") from None
    except RecursionError:
        raise InputError(source, "Crossref's answer is JSON nested too deeply to read") from None
    if not isinstance(document, dict) or not isinstance(document.get("message"), dict):
        raise InputError(source, "Crossref's answer is not a work record (no message object)")
    kind = document.get("message-type")
    if kind != "work":
        shown = repr(kind[:40]) if isinstance(kind, str) else "none"
        raise InputError(source, f"Crossref's answer is not a work record (its type is {shown})")
    message: dict[str, Any] = document["message"]
    return message


def plain_text(markup: str) -> str:
    """The words of a JATS, HTML or plain-text snippet, as one line of plain text."""
    words: list[str] = []
    run: list[str] = []
    in_heading = False
    position = 0
    unread: str | None = None  # the element whose content is being left out
    for tag in _TAG.finditer(markup):
        closing, name = tag.group(1) == "/", tag.group(2).rsplit(":", 1)[-1].lower()
        if unread is not None:
            if closing and name == unread:
                unread, position = None, tag.end()
            continue
        run.append(markup[position : tag.start()])
        position = tag.end()
        if name in _UNREAD and not closing and not tag.group(0).endswith("/>"):
            unread = name
            run.append(" ")
        elif name == "title":
            if not closing:
                words.append(_fold("".join(run)))
                run, in_heading = [], True
            elif in_heading:
                heading = _fold("".join(run)).rstrip(":. ")
                run, in_heading = [], False
                if heading and heading.lower() not in _BARE_HEADINGS:
                    words.append(f"{heading}:")
        elif name in _BLOCKS:
            run.append(" ")
    if unread is None:  # an element left open to the end is left out to the end
        run.append(markup[position:])
    words.append(_fold("".join(run)))
    return " ".join(word for word in words if word)


def _fold(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _first(values: Any) -> str:
    """The first non-empty string of a list (Crossref gives titles as lists)."""
    if not isinstance(values, list):
        return ""
    return next((value for value in values if isinstance(value, str) and value.strip()), "")


def _authors(people: Any) -> tuple[str, ...]:
    if not isinstance(people, list):
        return ()
    names = []
    for person in people:
        if not isinstance(person, dict):
            continue
        parts = [person.get("given"), person.get("family")]
        name = " ".join(part for part in parts if isinstance(part, str) and part.strip())
        if not name and isinstance(person.get("name"), str):
            name = person["name"]
        if name := _fold(name):
            names.append(name)
    return tuple(names)


def _year(message: dict[str, Any]) -> int | None:
    for key in _DATES:
        date = message.get(key)
        parts = date.get("date-parts") if isinstance(date, dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = parts[0][0]
            if isinstance(year, int) and not isinstance(year, bool) and 1000 <= year <= 9999:
                return year
    return None
