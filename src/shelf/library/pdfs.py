"""A paper's PDF: where ``P`` in the app opens it, and the file ``shelf attach`` gives it.

The first of these that exists wins: the arXiv PDF of the paper's arXiv id, the
PDF its imported BibTeX entry names (a web link, or a file that is here), then
the file the user attached (if it is still there).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from shelf.domain import Entry, InputError
from shelf.domain.text import is_web_url, one_line, without_surrogates

_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def location(entry: Entry) -> str | None:
    """The web link or the absolute path of the paper's PDF; None when it has none."""
    paper = entry.paper
    if paper.arxiv_id and is_web_url(arxiv := f"https://arxiv.org/pdf/{paper.arxiv_id}"):
        return arxiv
    if is_web_url(paper.pdf) or _is_file(paper.pdf):
        return paper.pdf
    if _is_file(entry.attached):
        return entry.attached
    return None


_WINDOWS = re.compile(r"[A-Za-z]:[\\/]|\\\\")


def anchored(pdf: str, folder: Path) -> str:
    """An imported PDF path: one relative to the imported file made absolute from its
    ``folder``; a link, an absolute path or a Windows one stays as written."""
    if not pdf or is_web_url(pdf) or os.path.isabs(pdf) or _WINDOWS.match(pdf):
        return pdf
    return os.path.join(folder, pdf)


def _is_file(path: str) -> bool:
    """Whether ``path`` is an absolute path to a regular file here."""
    try:
        return os.path.isabs(path) and Path(path).is_file()
    except (OSError, ValueError):  # a NUL byte, a name too long
        return False


def checked(path: Path) -> str:
    """``path`` made absolute, once it is known to be a regular file (else one clear error)."""
    source = one_line(without_surrogates(str(path)))
    try:
        found = path.stat()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except (OSError, ValueError) as err:
        raise InputError(source, f"cannot read: {getattr(err, 'strerror', None) or err}") from None
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(source, "the name is not UTF-8; rename the file to attach it") from None
    if not stat.S_ISREG(found.st_mode):
        kind = _KINDS.get(stat.S_IFMT(found.st_mode), "not a regular file")
        raise InputError(source, f"is {kind}, not a file; only a file can be attached")
    return os.path.abspath(path)
