"""The Markdown reading list: papers grouped by status, read ones checked off.

Imported text is escaped so no title can open a link, a heading, emphasis or
a table cell, and only http(s) URLs become links. Notes are the user's own
Markdown and are kept as Markdown, quoted under their paper, with raw HTML
neutralized.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from shelf.domain import EXPORT_ORDER, Entry, Status
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
# Inside a list item, after "- [ ] **", only these can start markup, a link, HTML, a
# table cell, an entity or math; line-start syntax cannot occur mid-line.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$])")
_MAX_AUTHORS = 3


def escape(text: str) -> str:
    """``text`` as one line of literal Markdown: every special character backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", one_line(text))


def write(entries: Sequence[Entry], title: str = "Reading list") -> str:
    """The reading list for ``entries`` as a Markdown document."""
    lines = [f"# {escape(title)}", ""]
    count = len(entries)
    lines += [f"{count} paper{'s' if count != 1 else ''}, exported from shelf.", ""]
    for status in EXPORT_ORDER:
        group = [entry for entry in entries if entry.state.status is status]
        if not group:
            continue
        lines += [f"## {_HEADINGS[status]} ({len(group)})", ""]
        for entry in group:
            lines += _item(entry)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _item(entry: Entry) -> list[str]:
    paper, state = entry.paper, entry.state
    box = "[x]" if state.status is Status.READ else "[ ]"
    star = "★ " if state.starred else ""
    title = escape(paper.title) or "(untitled)"
    link = paper.link
    if link and is_web_url(link):
        title = f"[{title}](<{_url(link)}>)"
    details = []
    if paper.authors:
        names = [escape(name) for name in paper.authors[:_MAX_AUTHORS]]
        if len(paper.authors) > _MAX_AUTHORS:
            names.append("et al\\.")
        details.append(", ".join(names))
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
