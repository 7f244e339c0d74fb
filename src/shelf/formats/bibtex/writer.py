"""Writing the library as BibTeX.

One entry per paper, UTF-8 (biber and LaTeX with ``utf8`` read it):
``@inproceedings`` for a conference-like venue, ``@misc`` with ``eprint`` and
``archivePrefix`` for an arXiv-only paper (or no venue), else ``@article``.
Citation keys are the first author's ASCII-folded last name, the year and the
first significant title word (``vaswani2017attention``), with ``a``, ``b``...
suffixes where they collide, given in order of the entries' ids: keys do not
depend on the order of the entries, and one changes only when a paper with the
same key and a smaller id joins. The title gets an extra pair of braces
to keep its case; LaTeX specials are escaped so they decode back to themselves;
control characters are spelled out (``domain.text.inert``). Tags go to
``keywords``. The PDF an imported entry named goes to ``file`` in JabRef's form
(``:path:PDF``, with ``\\``, ``:``, ``;`` and braces escaped). Notes are left
out: they are personal, and a .bib file is shared with co-authors and printed by
annotated styles (``annote``); the TOML backup is where notes travel. Values go
on one line with white space folded (BibTeX folds it anyway); a name holding a
comma or a lone "and" is braced whole so it reads back as written.
``read(write(entries))`` gives back the same papers, up to that white space
folding and the spelled-out control characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from shelf.domain import Entry, Paper
from shelf.domain.selection import Selection
from shelf.domain.text import inert, is_web_url, one_line
from shelf.formats.bibtex.names import NOT_NAMES
from shelf.formats.bibtex.values import words

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile(r"[\\{}%&$#_~^]")
# Character pairs TeX (and the reader) turn into dashes and quotes: kept apart with {}.
_LIGATURE = re.compile(r"-(?=-)|`(?=`)|'(?=')|[!?](?=`)")


def escape(text: str) -> str:
    """``text`` as BibTeX/LaTeX that prints (and reads back) as itself, on one line."""
    text = _SPECIAL.sub(lambda match: _ESCAPES[match.group(0)], one_line(text))
    return _LIGATURE.sub(lambda match: match.group(0) + "{}", text)


_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def _name(name: str) -> str:
    """One author as BibTeX reads it back: braced whole where a comma or "and" would split it."""
    plain = one_line(name)
    if "," in plain or _AND.search(plain) or plain.lower() in NOT_NAMES:
        return "{" + escape(plain) + "}"
    return escape(plain)


# Braces and backslashes (BibTeX counts braces), white space, controls, direction overrides.
_VERBATIM_UNSAFE = re.compile(r"[{}\\\s\u202a-\u202e\u2066-\u2069]|[^\x20-\x7e\u00a0-\U0010ffff]")


def _verbatim_out(text: str) -> str:
    """A URL or DOI with what would unbalance or break a BibTeX value percent-encoded."""
    return _VERBATIM_UNSAFE.sub(
        lambda match: "".join(f"%{byte:02X}" for byte in match.group(0).encode("utf-8")), text
    )


_JOURNAL = re.compile(
    r"\b(journal|transactions|letters|magazine|review|annals|bulletin)\b|"
    r"proceedings of the (ieee$|national academy|royal society|vldb endowment)",
    re.IGNORECASE,
)
_CONFERENCE = re.compile(
    r"\b(proceedings|proc|conference|workshop|symposium|meeting|congress|colloquium|neurips|"
    r"nips|icml|iclr|cvpr|iccv|eccv|acl|emnlp|naacl|eacl|coling|aaai|ijcai|kdd|sigir|sigmod|"
    r"vldb|icassp|interspeech|uai|aistats|colt|corl|icra|iros|miccai|wacv|bmvc|chi|osdi|"
    r"sosp|nsdi)\b",
    re.IGNORECASE,
)
_NOT_A_JOURNAL = re.compile(
    r"\b(arxiv|corr|biorxiv|medrxiv|preprint|press|publishers?|publishing|springer|wiley|"
    r"elsevier|verlag)\b",
    re.IGNORECASE,
)


# What a ``file`` field escapes with a backslash: its separators, and braces (kept balanced).
_FILE_SPECIAL = re.compile(r"[\\:;{}]")


def _kind(venue: str) -> tuple[str, str]:
    """The entry type and the field the venue goes in (the reader's venue for that type)."""
    if not venue:
        return "misc", ""
    if _JOURNAL.search(venue):
        return "article", "journal"
    if _CONFERENCE.search(venue):
        return "inproceedings", "booktitle"
    if _NOT_A_JOURNAL.search(venue) and "://" not in venue and "www." not in venue:
        return "misc", "howpublished"
    return "article", "journal"


_STOPWORDS = words(
    "a an the on of in for to and with from towards toward via is are we do does how what "
    "why when at by as into using"
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"[a-z0-9]+", "".join(c for c in folded if c.isascii()))


def _base_key(paper: Paper) -> str:
    last = ""
    if paper.authors:
        name = one_line(paper.authors[0])
        before, comma, after = name.partition(",")
        if comma and after.strip().lower() not in _SUFFIXES:
            last = before  # "Last, First"
        else:
            last = (before.split() or [""])[-1]
    words = _ascii_words(paper.title)
    word = next((w for w in words if w not in _STOPWORDS), words[0] if words else "")
    year = str(paper.year) if paper.year is not None else ""
    return ("".join(_ascii_words(last)) or "anon") + year + word


def _letters(index: int) -> str:
    """a, b, ..., z, aa, ab, ... for 0, 1, ..."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def citation_keys(entries: Iterable[Entry]) -> dict[str, str]:
    """Each entry id's citation key; colliding keys get suffixes in order of entry id."""
    bases = {entry.id: _base_key(entry.paper) for entry in entries}
    groups: dict[str, list[str]] = {}
    for entry_id in sorted(bases):
        groups.setdefault(bases[entry_id], []).append(entry_id)
    keys = {ids[0]: base for base, ids in groups.items() if len(ids) == 1}
    used = set(keys.values())
    for base in sorted(groups):
        if len(groups[base]) == 1:
            continue
        index = 0
        for entry_id in groups[base]:
            while base + _letters(index) in used:
                index += 1
            keys[entry_id] = base + _letters(index)
            used.add(keys[entry_id])
    return keys


def _fields(entry: Entry, venue_field: str) -> Iterable[tuple[str, str]]:
    paper = entry.paper
    yield "title", "{" + escape(paper.title) + "}"
    names = [_name(name) for name in paper.authors if one_line(name)]
    if names:
        yield "author", " and ".join(names)
    if paper.year is not None:
        yield "year", str(paper.year)
    if venue_field:
        yield venue_field, escape(paper.venue)
    if paper.doi:
        yield "doi", _verbatim_out(paper.doi)
    if paper.arxiv_id:
        yield "eprint", _verbatim_out(paper.arxiv_id)
        yield "archivePrefix", "arXiv"
    if paper.url and is_web_url(paper.url):
        yield "url", _verbatim_out(paper.url)
    if paper.pdf:  # JabRef's form, which the reader (and Zotero, JabRef) read back
        yield "file", ":" + _FILE_SPECIAL.sub(r"\\\g<0>", inert(paper.pdf)) + ":PDF"
    if one_line(paper.abstract):
        yield "abstract", escape(paper.abstract)
    tags = [one_line(tag) for tag in entry.state.tags if one_line(tag)]
    if tags:
        yield "keywords", ", ".join("{" + escape(t) + "}" if "," in t else escape(t) for t in tags)


def write(entries: Iterable[Entry] | Selection, about: str = "") -> str:
    """``entries`` as a UTF-8 BibTeX file (see ``chunks``)."""
    return "".join(chunks(Selection.of(entries), about))


def chunks(selection: Selection, about: str = "") -> Iterator[str]:
    """``selection`` as a UTF-8 BibTeX file, one entry each, in the order selected, piece
    by piece; ``about`` (which papers they are) in the comment at the top. The citation
    keys take a first pass of their own (a collision is settled over every paper)."""
    keys = citation_keys(selection)
    count = f"{len(selection)} entr{'y' if len(selection) == 1 else 'ies'}"
    # No "@" in a comment: a BibTeX reader starts an entry at any "@".
    held = f" ({one_line(about).replace('@', '(at)')})" if about.strip() else ""
    yield f"% Encoding: UTF-8\n% {count}{held} exported by shelf.\n"
    for entry in selection:
        yield "\n" + entry_text(entry, keys[entry.id])


def entry_text(entry: Entry, key: str | None = None) -> str:
    """One paper's entry, under ``key`` (by default the key an export of it alone gives)."""
    key = citation_keys([entry])[entry.id] if key is None else key
    kind, venue_field = _kind(one_line(entry.paper.venue))
    lines = [f"  {name} = {{{value}}}" for name, value in _fields(entry, venue_field)]
    return f"@{kind}{{{key},\n" + ",\n".join(lines) + "\n}\n"
