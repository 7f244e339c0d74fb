"""Reading BibTeX and BibLaTeX files into papers.

``bibtexparser`` 2 splits the file into blocks, with an empty
middleware stack: its stock middlewares would resolve a ``@string`` only when it
is a field's whole value (not ``a # b``, and no month macros), have no crossref
support, and would decode LaTeX before names are split (braces are what keep
``{Barnes and Noble}`` one name). So each field's raw value is evaluated here the
way BibTeX does (``{..}``, ``".."``, numbers, ``@string`` macros and the month
macros, ``#`` concatenation), ``crossref`` and ``xdata`` parents fill the fields
a child lacks (a parent's title becomes the child's booktitle; a parent's DOI,
URL, eprint and abstract are its own, never inherited, or every paper of a
proceedings volume would share one identity), names are split at "and" here
and into parts by bibtexparser's ``parse_single_name_into_parts``, and only then
is LaTeX turned into Unicode with pylatexenc (the decoder bibtexparser's
``LatexDecodingMiddleware`` wraps): accents, ``\\textendash``, ``--``, math as
text, case-protecting braces dropped.
White space is folded to single spaces, as BibTeX does.

Fields: ``title``; ``author`` ("Last, First" becomes "First Last"; ``others``
and "et al." are dropped); ``year``, else the year of a BibLaTeX ``date``
(other values ignored); venue from ``journal``, ``journaltitle``,
``booktitle``, ``howpublished`` (unless it is a link), then a book's
publisher, a thesis's school or a report's institution; ``abstract``; ``url``
(web links only); ``doi`` (else a doi.org ``url``); the arXiv id from ``eprint``
(with ``archivePrefix``/``eprinttype`` arXiv, or none), an arxiv.org URL or an
arXiv DOI, else from ``journal``-like fields and ``note`` that mention arXiv
(``Ar{X}iv:1810.05934``); the PDF from ``pdf``, else the first PDF of ``file``
(JabRef's and Zotero's ``description:path:type`` lists, or bare paths), as
written (the import makes a relative path absolute, from the file's folder).
Keywords are not read: tags are the user's own.

Problems, each with its line, never an exception: a malformed entry (skipped;
the entries after it still import), an entry without a title (skipped), a
duplicate citation key, a repeated field, an undefined macro or a missing
crossref parent (all imported anyway). A file with no entry at all is an
``InputError``. A ``@proceedings``-like entry that is only there as a crossref
parent is a container, not a paper, and is not imported.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from bibtexparser.entrypoint import parse_string
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    ParsingFailedBlock,
    String,
)
from bibtexparser.model import (
    Entry as BibEntry,
)

from shelf.domain import InputError, Paper, ParseResult, Problem
from shelf.domain.identity import normalize_doi, parse_arxiv_id
from shelf.domain.text import is_web_url, one_line
from shelf.formats.bibtex.latex import to_text
from shelf.formats.bibtex.names import read_names
from shelf.formats.bibtex.values import (
    MONTHS,
    Budget,
    MalformedValue,
    evaluate,
    evaluate_fields,
    words,
)

# The splitter logs each malformed block at WARNING; with no logging set up Python would
# print that on stderr, under the CLI's own output. The problems carry it instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_TYPES = (
    "article|book|booklet|conference|inbook|incollection|inproceedings|manual|mastersthesis|"
    "misc|phdthesis|proceedings|techreport|unpublished|online|report|thesis|collection|"
    "inreference|reference|software|dataset|patent|periodical|electronic|string|preamble"
)
_SNIFF = re.compile(
    rf"^[ \t]*@(?:(?:{_TYPES})[ \t]*[{{(]|\w+[ \t]*[{{(][ \t]*[^\s,{{}}()=\"]+[ \t]*,)",
    re.IGNORECASE | re.MULTILINE,
)


def sniff(text: str) -> bool:
    """Has at least one line starting a BibTeX entry (``@article{``, ``@whatever{key,``)."""
    return _SNIFF.search(text[:100_000]) is not None


# ---------------------------------------------------------------- reading


@dataclass(slots=True)
class _Raw:
    """An entry as split, its fields evaluated to LaTeX text (lower-case field names)."""

    line: int | None
    kind: str
    key: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Split:
    strings: list[tuple[int | None, str, str]] = field(default_factory=list)
    entries: list[tuple[_Raw, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_FAILED_START = re.compile(r"@\s*(\w+)\s*[{(]\s*([^\s,{}()=]*)")


def _malformed(kind: str, key: str, reason: str) -> str:
    what = f"@{kind.lower()} {key!r}" if key else f"@{kind.lower()}"
    return f"malformed {what} skipped: {one_line(reason)}"


def _split(text: str, source: str) -> _Split:
    """The file's blocks, with bibtexparser's types turned into ours right here."""
    try:
        library = parse_string(text, parse_stack=[])
    except Exception as err:  # the splitter re-raises what it calls its own bugs
        raise InputError(source, f"cannot split this BibTeX file ({err!r})") from None
    out = _Split()
    for block in library.blocks:
        line = block.start_line + 1 if block.start_line is not None else None
        inner: Block | None = block
        if isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            message = f"field repeated ({names}); the first one is kept"
            out.problems.append(Problem(source, line, message))
            inner = block.ignore_error_block
        elif isinstance(block, DuplicateBlockKeyBlock):  # checked in read(), case-insensitively
            inner = block.ignore_error_block
        if isinstance(inner, String):
            out.strings.append((line, inner.key.strip(), str(inner.value)))
        elif isinstance(inner, BibEntry):
            raw = _Raw(line, inner.entry_type.lower(), inner.key.strip())
            values: dict[str, str] = {}
            for item in inner.fields:
                values.setdefault(item.key.strip().lower(), str(item.value))
            out.entries.append((raw, values))
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", None) or str(block.error)
            found = _FAILED_START.match(block.raw or "")
            kind, key = found.groups() if found else ("entry", "")
            out.problems.append(Problem(source, line, _malformed(kind, key, str(reason))))
    return out


# Fields that name the parent work itself, never passed on to a crossref child.
_NOT_INHERITED = words(
    "abstract archiveprefix crossref doi eprint eprintclass eprinttype ids isbn issn key "
    "label primaryclass shorthand shorttitle sortkey subtitle title titleaddon url "
    "urldate xdata xref"
)
_CONTAINERS = words(
    "proceedings mvproceedings collection mvcollection mvbook reference mvreference periodical"
)


def _inherit(entries: list[_Raw], source: str, problems: list[Problem]) -> set[int]:
    """Fill each child's missing fields from its crossref/xdata parents; the parents used."""
    by_key: dict[str, _Raw] = {}
    for raw in entries:
        by_key.setdefault(raw.key.lower(), raw)
    parents: set[int] = set()
    for raw in entries:
        wanted = [("crossref", raw.fields.get("crossref", ""))]
        wanted += [("xdata", key) for key in raw.fields.get("xdata", "").split(",")]
        for how, key in wanted:
            if not key.strip():
                continue
            parent = by_key.get(key.strip().lower())
            if parent is None or parent is raw:
                message = f"{how} {key!r} of entry {raw.key!r} not found (imported without it)"
                problems.append(Problem(source, raw.line, message))
                continue
            parents.add(id(parent))
            for name, value in parent.fields.items():
                if name not in _NOT_INHERITED:
                    raw.fields.setdefault(name, value)
            if how == "crossref" and "title" in parent.fields:
                raw.fields.setdefault("booktitle", parent.fields["title"])
    return parents


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_DATE_YEAR = re.compile(r"^\s*(\d{4})(?!\d)")


def _year(fields: dict[str, str]) -> int | None:
    found = _YEAR.search(to_text(fields.get("year", "")))
    if found is None:
        found = _DATE_YEAR.match(fields.get("date", ""))
    if found is None or not 1000 <= int(found.group(1)) <= 2999:
        return None
    return int(found.group(1))


_VENUE_FIELDS = ("journal", "journaltitle", "booktitle", "howpublished")
_VENUE_BY_KIND = {
    "book": "publisher",
    "mvbook": "publisher",
    "phdthesis": "school",
    "mastersthesis": "school",
    "thesis": "school",
    "techreport": "institution",
    "report": "institution",
}


def _venue(raw: _Raw) -> str:
    for name in _VENUE_FIELDS:
        venue = to_text(raw.fields.get(name, ""))
        if venue and not (name == "howpublished" and ("://" in venue or "www." in venue)):
            return venue
    kind_field = _VENUE_BY_KIND.get(raw.kind)
    if kind_field == "school":
        return to_text(raw.fields.get("school", "") or raw.fields.get("institution", ""))
    return to_text(raw.fields.get(kind_field, "")) if kind_field else ""


_LATEX_ESCAPED = re.compile(r"\\([%&#_{}$~])")


def _verbatim(latex: str) -> str:
    """A URL or DOI as written: ``\\url{}`` unwrapped, braces and escapes dropped, no spaces."""
    latex = re.sub(r"\\url\s*\{(.*)\}", r"\1", latex.strip(), flags=re.DOTALL)
    latex = re.sub(r"(?<!\\)[{}]", "", latex)
    return "".join(_LATEX_ESCAPED.sub(r"\1", latex).split())


def _arxiv_id(raw: _Raw, url: str, doi: str | None) -> str | None:
    fields = raw.fields
    prefix = (fields.get("archiveprefix", "") or fields.get("eprinttype", "")).strip().lower()
    if fields.get("eprint") and prefix in ("arxiv", ""):
        found = parse_arxiv_id(_verbatim(fields["eprint"]))
        if found:
            return found
    if "arxiv.org" in url.lower():
        found = parse_arxiv_id(url)
        if found:
            return found
    if doi and doi.startswith("10.48550/arxiv."):
        return parse_arxiv_id(doi.removeprefix("10.48550/arxiv."))
    for name in (*_VENUE_FIELDS, "note"):
        mention = to_text(fields.get(name, ""))
        if "arxiv" in mention.lower() and (found := parse_arxiv_id(mention)):
            return found
    return None


def _attachments(value: str) -> list[list[str]]:
    """A ``file`` field's attachments, each split into its parts at ``:``: JabRef's and
    Zotero's ``description:path:type`` (``;`` between them, ``\\`` escaping the next
    character, as in ``C\\:\\\\Users``), or a bare path."""
    found: list[list[str]] = [[""]]
    escaped = False
    for char in value.strip():
        if escaped:
            found[-1][-1] += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ";":
            found.append([""])
        elif char == ":":
            found[-1].append("")
        else:
            found[-1][-1] += char
    return [[part.strip() for part in parts] for parts in found if "".join(parts).strip()]


def _pdf(fields: dict[str, str]) -> str:
    """The PDF the entry names: its ``pdf`` field, else the first PDF of its ``file`` field."""
    if fields.get("pdf", "").strip():
        named = re.sub(r"\\url\s*\{(.*)\}", r"\1", fields["pdf"].strip(), flags=re.DOTALL)
        only = _attachments(re.sub(r"(?<!\\)[{}]", "", named).replace(":", "\\:"))
        return only[0][0] if only else ""
    for parts in _attachments(fields.get("file", "")):
        if len(parts) == 2 and re.fullmatch(r"[A-Za-z]|https?", parts[0]):
            parts = [parts[0] + ":" + parts[1]]  # C:\x.pdf, or a link, written unescaped
        elif len(parts) >= 3 and parts[1].lower() in ("http", "https"):
            parts = [parts[0], ":".join(parts[1:-1]), parts[-1]]  # :https://x/y.pdf:PDF
        path = parts[1] if len(parts) > 1 else parts[0]
        if path.lower().endswith(".pdf") or "pdf" in parts[-1].lower():
            return path
    return ""


def _paper(raw: _Raw) -> Paper:
    fields = raw.fields
    url = _verbatim(fields.get("url", ""))
    url = url if is_web_url(url) else ""
    doi = normalize_doi(_verbatim(fields.get("doi", "")))
    if doi is None and re.match(r"https?://(dx\.)?doi\.org/", url, re.IGNORECASE):
        doi = normalize_doi(url)
    return Paper(
        title=to_text(fields.get("title", "")),
        authors=read_names(fields.get("author", "")),
        year=_year(fields),
        venue=_venue(raw),
        abstract=to_text(fields.get("abstract", "")),
        url=url,
        arxiv_id=_arxiv_id(raw, url, doi),
        doi=doi,
        pdf=_pdf(fields),
    )


def read(text: str, source: str) -> ParseResult:
    """The papers in a BibTeX/BibLaTeX file; what cannot be imported becomes a problem."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    split = _split(text, source)
    problems = list(split.problems)
    if not split.entries and not problems:
        raise InputError(source, "no BibTeX entries found")
    macros = dict(MONTHS)
    budget = Budget(text)
    for line, key, value in split.strings:
        try:
            macros[key.lower()] = evaluate(value, macros, [], budget)
        except MalformedValue as err:
            problems.append(Problem(source, line, _malformed("string", key, str(err))))
    entries: list[_Raw] = []
    first_line: dict[str, int | None] = {}
    for raw, values in split.entries:
        undefined: list[str] = []
        try:
            raw.fields = evaluate_fields(values, macros, undefined, budget)
        except MalformedValue as err:
            problems.append(Problem(source, raw.line, _malformed(raw.kind, raw.key, str(err))))
            continue
        for token in dict.fromkeys(undefined):
            message = f"undefined @string {token!r} in entry {raw.key!r} (kept as written)"
            problems.append(Problem(source, raw.line, message))
        seen = raw.key.lower()
        if seen in first_line:
            where = first_line[seen]
            message = f"duplicate citation key {raw.key!r} (first at line {where}); imported too"
            problems.append(Problem(source, raw.line, message))
        else:
            first_line[seen] = raw.line
        entries.append(raw)
    parents = _inherit(entries, source, problems)
    papers = []
    for raw in entries:
        if raw.kind in ("xdata", "set") or (id(raw) in parents and raw.kind in _CONTAINERS):
            continue
        paper = _paper(raw)
        if not paper.title:
            problems.append(Problem(source, raw.line, f"entry {raw.key!r} has no title; skipped"))
            continue
        papers.append(paper)
    problems.sort(key=lambda problem: problem.line or 0)
    return ParseResult.of_papers(papers, problems)
