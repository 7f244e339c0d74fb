"""One paper as a reference to paste: its link, its BibTeX entry, its citation key, or a
Markdown line. The app's copy menu (``y``) puts these on the clipboard and ``shelf cite``
prints them; each is the text an export gives for that paper."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from shelf.domain import Entry
from shelf.domain.text import is_web_url
from shelf.formats import markdown


class Cite(Enum):
    """What a paper can be cited as."""

    LINK = "link"
    BIBTEX = "bibtex"
    KEY = "key"
    MARKDOWN = "markdown"


def cite(kind: Cite, entry: Entry) -> str | None:
    """``entry`` as ``kind``: the entry ``shelf export --format bibtex`` writes for it, under
    the key it uses; the line of the Markdown reading list; its web link (None when it has
    none, the one thing a paper may lack)."""
    return cite_all(kind, [entry])[0]


def cite_all(kind: Cite, entries: Sequence[Entry]) -> list[str | None]:
    """Each of ``entries`` as ``kind`` (see ``cite``), citation keys told apart as one
    export of them all tells them apart."""
    # Imported here: the BibTeX package brings its reader's parser along.
    from shelf.formats.bibtex.writer import citation_keys, entry_text

    if kind is Cite.LINK:
        return [e.paper.link if is_web_url(e.paper.link) else None for e in entries]
    if kind is Cite.MARKDOWN:
        return [markdown.reference(entry) for entry in entries]
    keys = citation_keys(entries)
    if kind is Cite.KEY:
        return [keys[entry.id] for entry in entries]
    return [entry_text(entry, keys[entry.id]) for entry in entries]
