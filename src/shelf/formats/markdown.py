"""The Markdown reading list: papers grouped by status in reading order, read ones checked off.

A list someone would share: what is being read first, the untriaged inbox
last (or a reading list in its own order, under its name and description),
each paper with its authors, venue and year, and a line saying when it was
exported and what it holds. Imported text is escaped so no title can open
a link, emphasis, code, HTML or math, yet only where a character could start
markup: ``zero_shot`` and ``et al.`` read as written. Only http(s) URLs become
links, plain ``[title](url)``. Notes are the user's own Markdown and are kept
as Markdown, quoted under their paper, with raw HTML neutralized.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from shelf.domain import Entry, Status
from shelf.domain.selection import Selection
from shelf.domain.text import inert, is_web_url, one_line

NAME = "markdown"
EXTENSION = ".md"

_HEADINGS = {
    Status.READING: "Reading",
    Status.TO_READ: "To read",
    Status.INBOX: "Inbox",
    Status.READ: "Read",
    Status.SKIPPED: "Skipped",
}
#: Reading order: what you are on, what is next, what is done, then the untriaged.
READING_ORDER = (Status.READING, Status.TO_READ, Status.READ, Status.INBOX, Status.SKIPPED)
# Inside a list item, after "- [ ] **", these can start markup, a link, code, HTML,
# strikethrough or math wherever they are; line-start syntax cannot occur mid-line.
_SPECIAL = re.compile(r"([\\`*\[\]<~$])")
# Emphasis by underscores cannot open or close between two letters or digits.
_EDGE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&amp;" would read as "&"
_MAX_AUTHORS = 3


def escape(text: str) -> str:
    """``text`` as one line of literal Markdown, backslash-escaping what could be markup."""
    text = _SPECIAL.sub(r"\\\1", one_line(text))
    return _ENTITY.sub(r"\\&", _EDGE_UNDERSCORE.sub(r"\\_", text))


def write(
    entries: Iterable[Entry] | Selection,
    about: str = "",
    title: str = "Reading list",
    today: date | None = None,
) -> str:
    """The reading list for ``entries`` as a Markdown document (see ``chunks``)."""
    return "".join(chunks(Selection.of(entries), about, title, today))


def chunks(
    selection: Selection,
    about: str = "",
    title: str = "Reading list",
    today: date | None = None,
) -> Iterator[str]:
    """The reading list for ``selection``, piece by piece; ``about`` says what they are
    ("status to-read, tag nlp"), on the line with the date of the export."""
    return _joined(_lines(selection, about, title, today))


def _lines(selection: Selection, about: str, title: str, today: date | None) -> Iterator[str]:
    heading = selection.heading
    yield from (f"# {escape(heading.name if heading else title)}", "")
    if heading and heading.description.strip():
        yield from (escape(heading.description), "")
    count = len(selection)
    held = f"{count} paper{'s' if count != 1 else ''}" + (f" ({escape(about)})" if about else "")
    when = (today or date.today()).isoformat()
    yield from (f"{held}, exported from shelf on {when}.", "")
    if heading:  # a reading list: its own order, each paper with its box
        for entry in selection:
            yield from _item(entry)
        return
    counts, status = selection.counts, None
    for entry in selection.grouped(READING_ORDER):
        if entry.state.status is not status:
            if status is not None:
                yield ""
            status = entry.state.status
            yield from (f"## {_HEADINGS[status]} ({counts[status]})", "")
        yield from _item(entry)


def _joined(lines: Iterable[str]) -> Iterator[str]:
    """``"\n".join(lines)`` ending in exactly one newline, given as it is made: blank
    lines are held back until a line follows them, so trailing ones are left out."""
    blank, first = 0, True
    for line in lines:
        if not line:
            blank += 1
            continue
        yield ("" if first else "\n" * (blank + 1)) + line
        blank, first = 0, False
    yield "\n"


def without_skipped(entries: Iterable[Entry] | Selection, about: str = "") -> tuple[Selection, str]:
    """What a shared reading list holds of ``entries``: the skipped papers left out, and
    ``about`` saying how many were."""
    selection = Selection.of(entries)
    left_out = selection.counts[Status.SKIPPED]
    if not left_out:
        return selection, about
    note = f"{left_out} skipped left out"
    return selection.without(Status.SKIPPED), f"{about}; {note}" if about else note


def _item(entry: Entry) -> list[str]:
    paper, state = entry.paper, entry.state
    box = "[x]" if state.status is Status.READ else "[ ]"
    star = "★ " if state.starred else ""
    title = _linked_title(entry)
    details = [_authors(entry)] if paper.authors else []
    if paper.venue.strip():
        details.append(escape(paper.venue))
    if paper.year is not None:
        details.append(str(paper.year))
    line = f"- {box} {star}**{title}**"
    if details:
        line += " — " + ", ".join(details)
    out = [line]
    if state.tags:
        out.append("  " + " ".join(f"`{_code(tag)}`" for tag in state.tags))
    if state.notes.strip():
        out.append("")
        out += [f"  > {_note_line(note)}".rstrip() for note in state.notes.strip().splitlines()]
        out.append("")
    return out


def reference(entry: Entry) -> str:
    """One paper on one line, as a list item gives it: ``[title](url) — authors, year``."""
    details = [_authors(entry)] if entry.paper.authors else []
    if entry.paper.year is not None:
        details.append(str(entry.paper.year))
    return _linked_title(entry) + (" — " + ", ".join(details) if details else "")


def _linked_title(entry: Entry) -> str:
    """The title, escaped, as a link to the paper's web page when it has one."""
    title = escape(entry.paper.title) or "(untitled)"
    link = entry.paper.link
    return f"[{title}]({_url(link)})" if link and is_web_url(link) else title


def _authors(entry: Entry) -> str:
    """The first authors, escaped, then "et al." when there are more."""
    names = [escape(name) for name in entry.paper.authors[:_MAX_AUTHORS]]
    if len(entry.paper.authors) > _MAX_AUTHORS:
        names.append("et al.")
    return ", ".join(names)


def _url(url: str) -> str:
    return "".join(c if c.isascii() and c not in " <>()\\" else _percent(c) for c in url)


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


def _code(text: str) -> str:
    return one_line(text).replace("`", "'")


# A link's target, inline (``](target``) or in a reference definition (``[x]: target``).
_INLINE_TARGET = re.compile(r"\]\(\s*([^)\s]*)")
_REFERENCE = re.compile(r"^(\s{0,3})\[([^\]]*)\]:\s*(\S*)")


def _note_line(line: str) -> str:
    """A line of the user's notes, still Markdown, but with nothing live in it: raw HTML
    is shown as text, and a link to anything but an http(s) address (``javascript:``,
    ``file:``, ``data:``) is written as its text, never as a link."""
    line = inert(line).replace("&", "&amp;").replace("<", "&lt;")
    line = _INLINE_TARGET.sub(
        lambda match: match.group(0) if is_web_url(match.group(1)) else "]\\" + match.group(0)[1:],
        line,
    )
    reference = _REFERENCE.match(line)
    if reference and not is_web_url(reference.group(3)):
        line = f"{reference.group(1)}\\{line[len(reference.group(1)) :]}"
    return line
