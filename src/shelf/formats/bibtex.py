"""BibTeX and BibLaTeX files: read into papers, and the library written back as BibTeX.

Reading. ``bibtexparser`` 2 splits the file into blocks, with an empty
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
(``Ar{X}iv:1810.05934``). Keywords are not read: tags are the user's own.

Problems, each with its line, never an exception: a malformed entry (skipped;
the entries after it still import), an entry without a title (skipped), a
duplicate citation key, a repeated field, an undefined macro or a missing
crossref parent (all imported anyway). A file with no entry at all is an
``InputError``. A ``@proceedings``-like entry that is only there as a crossref
parent is a container, not a paper, and is not imported.

Writing. One entry per paper, UTF-8 (biber and LaTeX with ``utf8`` read it):
``@inproceedings`` for a conference-like venue, ``@misc`` with ``eprint`` and
``archivePrefix`` for an arXiv-only paper (or no venue), else ``@article``.
Citation keys are the first author's ASCII-folded last name, the year and the
first significant title word (``vaswani2017attention``), with ``a``, ``b``...
suffixes where they collide, given in order of the entries' ids: keys do not
depend on the order of the entries, and one changes only when a paper with the
same key and a smaller id joins. The title gets an extra pair of braces
to keep its case; LaTeX specials are escaped so they decode back to themselves;
control characters are spelled out (``domain.text.inert``). Tags go to
``keywords``. Notes are left out: they are personal, and a .bib file is shared
with co-authors and printed by annotated styles (``annote``); the TOML backup is
where notes travel. Values go on one line with white space folded (BibTeX folds
it anyway); a name holding a comma or a lone "and" is braced whole so it reads
back as written. ``read(write(entries))`` gives back the same papers, up to
that white space folding and the spelled-out control characters.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares.names import parse_single_name_into_parts
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
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from shelf.domain import Entry, InputError, Paper, ParseResult, Problem
from shelf.domain.identity import normalize_doi, parse_arxiv_id
from shelf.domain.text import is_web_url, one_line

# The splitter logs each malformed block at WARNING; with no logging set up Python would
# print that on stderr, under the CLI's own output. The problems carry it instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

NAME = "bibtex"
EXTENSIONS = (".bib", ".bibtex")
EXTENSION = ".bib"

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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The month macros every standard style defines.
_MONTHS = {
    month[:3].lower(): month
    for month in _words(
        "January February March April May June July August September October November December"
    )
}
# A macro name: anything but white space and what delimits or separates values.
_BARE_TOKEN = re.compile(r"[^\s#{}\"=(),'%]+")


class _MalformedValue(ValueError):
    """A field value BibTeX would stop at; the entry is skipped, as BibTeX skips it."""


#: No evaluated value (a field, or an ``@string``) may be longer than this: doubling
#: macros (``@string{s1 = s0 # s0}`` ... ``s39``) would otherwise grow to terabytes.
MAX_VALUE = 1024 * 1024
#: What macro expansion may add over a whole file, beyond the file's own size.
EXPANSION_BUDGET = 16 * 1024 * 1024


class _Budget:
    """Characters evaluation may still produce in this file."""

    def __init__(self, text: str) -> None:
        self.left = len(text) + EXPANSION_BUDGET

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise _MalformedValue(
                f"its @string macros expand past {EXPANSION_BUDGET // (1024 * 1024)} MB "
                "more than the file itself"
            )


def _evaluate(
    value: str, macros: dict[str, str], undefined: list[str], budget: _Budget | None = None
) -> str:
    """A raw field value the way BibTeX reads it: ``part # part ...``, where a part is
    ``{..}``, ``".."``, a number or a macro (an undefined one is kept as written).

    A value that would grow past ``MAX_VALUE`` characters is malformed."""
    parts: list[str] = []
    index, size, expect_part = 0, len(value), True
    length = 0
    while index < size:
        char = value[index]
        if char.isspace():
            index += 1
            continue
        if not expect_part:
            if char != "#":
                raise _MalformedValue(f"expected # or the end of the value at {char!r}")
            index, expect_part = index + 1, True
            continue
        if char in '{"':
            end = _closing(value, index)
            if end is None:
                raise _MalformedValue(f"unbalanced {char!r}")
            part = value[index + 1 : end]
            index, expect_part = end + 1, False
        else:
            match = _BARE_TOKEN.match(value, index)
            if match is None:
                raise _MalformedValue(f"unexpected {char!r}")
            part = match.group(0)
            index, expect_part = match.end(), False
            if not part.isdigit():
                if part.lower() in macros:
                    part = macros[part.lower()]
                else:
                    undefined.append(part)
        length += len(part)
        if length > MAX_VALUE:
            raise _MalformedValue(f"it expands to more than {MAX_VALUE // (1024 * 1024)} MB")
        parts.append(part)
    if expect_part and parts:
        raise _MalformedValue("nothing after the last #")
    if budget is not None:
        budget.spend(length)
    return "".join(parts)


def _evaluate_fields(
    values: dict[str, str], macros: dict[str, str], undefined: list[str], budget: _Budget
) -> dict[str, str]:
    fields = {}
    for name, value in values.items():
        try:
            fields[name] = _evaluate(value, macros, undefined, budget)
        except _MalformedValue as err:
            raise _MalformedValue(f"field {name!r}: {err}") from None
    return fields


def _closing(value: str, start: int) -> int | None:
    """Index of the delimiter closing the one at ``start`` (braces nest; ``\\{`` does not)."""
    depth = 0
    quoted = value[start] == '"'
    for index in range(start + 1, len(value)):
        char = value[index]
        if value[index - 1] == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index if not quoted else None
            depth -= 1
        elif char == '"' and quoted and depth == 0:
            return index
    return None


# Fields that name the parent work itself, never passed on to a crossref child.
_NOT_INHERITED = _words(
    "abstract archiveprefix crossref doi eprint eprintclass eprinttype ids isbn issn key "
    "label primaryclass shorthand shorttitle sortkey subtitle title titleaddon url "
    "urldate xdata xref"
)
_CONTAINERS = _words(
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


@functools.cache
def _decoder() -> Callable[[str], str]:
    """pylatexenc set up as bibtexparser's LatexDecodingMiddleware, plus a few macros."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "shelf-bibtex",
        prepend=True,
        macros=[
            MacroTextSpec("url", simplify_repl="%s"),
            # pylatexenc reads these as nothing or as U+02C6; the writer uses them.
            MacroTextSpec("textbraceleft", simplify_repl="{"),
            MacroTextSpec("textbraceright", simplify_repl="}"),
            MacroTextSpec("textasciicircum", simplify_repl="^"),
            MacroTextSpec("textunderscore", simplify_repl="_"),
        ],
    )
    nodes = LatexNodes2Text(latex_context=context, math_mode="text", keep_braced_groups=False)

    def decode(latex: str) -> str:
        return str(nodes.latex_to_text(latex))

    return decode


_NEEDS_DECODING = re.compile(r"[\\{}$%&#_^~]|--|''|``|[!?]`")
_NEEDS_MORE_THAN_UNBRACING = re.compile(r"[\\$%&#_^~]|--|''|``|[!?]`")
_BARE_SPECIAL = re.compile(r"(?<!\\)((?:\\\\)*)([%&])")  # a % or & not escaped


def _text(latex: str) -> str:
    """LaTeX text as Unicode on one line; a literal ``%`` or ``&`` in a field is text."""
    if _NEEDS_DECODING.search(latex):
        latex = _BARE_SPECIAL.sub(r"\1\\\2", latex)
        latex = " ".join(_decode(piece) for piece in _pieces(latex))
    return " ".join(latex.split())


def _decode(latex: str) -> str:
    if not _NEEDS_DECODING.search(latex):
        return latex  # plain text: what pylatexenc would give back
    if not _NEEDS_MORE_THAN_UNBRACING.search(latex):
        return latex.replace("{", "").replace("}", "")  # groups of plain text: the same
    try:
        return _decoder()(latex)
    except Exception:  # pylatexenc on pathological input (deep nesting): keep the letters
        return re.sub(r"\\[a-zA-Z]+|[\\{}$]", "", latex)


#: Fields longer than this are decoded a piece at a time.
_PIECE = 4000
_TOKEN = re.compile(r"\\(?:[a-zA-Z]+|.)|[{}$]|\s+", re.DOTALL)


def _pieces(latex: str) -> Iterable[str]:
    """``latex`` cut into pieces of about ``_PIECE`` characters, each readable alone.

    pylatexenc takes time quadratic in the length of a run of text (a 1 MB
    abstract takes minutes), so a long field is cut at white space outside math
    and never right after a macro (which may take the next word). A cut inside
    braces closes them and the next piece opens them again: in text, a group
    only scopes what is inside it.
    """
    if len(latex) <= _PIECE:
        yield latex
        return
    start = depth = previous_end = 0
    math = after_macro = False
    reopen = ""
    for token in _TOKEN.finditer(latex):
        text = token.group(0)
        if token.start() > previous_end:
            after_macro = False  # plain text came between
        previous_end = token.end()
        if text[0] == "\\":
            after_macro = True
            continue
        if text == "{":
            depth += 1
        elif text == "}":
            depth = max(0, depth - 1)
        elif text == "$":
            math = not math
        elif not (math or after_macro) and token.start() - start >= _PIECE:
            yield reopen + latex[start : token.start()] + "}" * depth
            reopen, start = "{" * depth, token.end()
        after_macro = False
    yield reopen + latex[start:]


_NOT_NAMES = frozenset({"others", "et al.", "et al", "et. al."})


def _split_names(latex: str) -> list[str]:
    """The names in a name list: split at an "and" outside braces.

    bibtexparser's ``split_multiple_persons_names`` drops the first two characters of a
    name that starts with a backslash (``and \\"Ozg\\"ur``), so the split is done here.
    """
    words: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(latex + " "):
        escaped = index > 0 and latex[index - 1] == "\\"
        if char == "{" and not escaped:
            depth += 1
        elif char == "}" and not escaped:
            depth = max(depth - 1, 0)
        elif char in " \t\n\r" and depth == 0:
            if index > start:
                words.append(latex[start:index])
            start = index + 1
    names: list[list[str]] = [[]]
    for word in words:
        if word.lower() == "and":
            names.append([])
        else:
            names[-1].append(word)
    return [" ".join(name) for name in names if name]


def _names(latex: str) -> tuple[str, ...]:
    names = []
    for written in _split_names(latex):
        if written.lower() in _NOT_NAMES:
            continue
        parts = parse_single_name_into_parts(written, strict=False)
        name = _text(" ".join(parts.first + parts.von + parts.last))
        if parts.jr:
            name += ", " + _text(" ".join(parts.jr))
        if name:
            names.append(name)
    return tuple(names)


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_DATE_YEAR = re.compile(r"^\s*(\d{4})(?!\d)")


def _year(fields: dict[str, str]) -> int | None:
    found = _YEAR.search(_text(fields.get("year", "")))
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
        venue = _text(raw.fields.get(name, ""))
        if venue and not (name == "howpublished" and ("://" in venue or "www." in venue)):
            return venue
    kind_field = _VENUE_BY_KIND.get(raw.kind)
    if kind_field == "school":
        return _text(raw.fields.get("school", "") or raw.fields.get("institution", ""))
    return _text(raw.fields.get(kind_field, "")) if kind_field else ""


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
        mention = _text(fields.get(name, ""))
        if "arxiv" in mention.lower() and (found := parse_arxiv_id(mention)):
            return found
    return None


def _paper(raw: _Raw) -> Paper:
    fields = raw.fields
    url = _verbatim(fields.get("url", ""))
    url = url if is_web_url(url) else ""
    doi = normalize_doi(_verbatim(fields.get("doi", "")))
    if doi is None and re.match(r"https?://(dx\.)?doi\.org/", url, re.IGNORECASE):
        doi = normalize_doi(url)
    return Paper(
        title=_text(fields.get("title", "")),
        authors=_names(fields.get("author", "")),
        year=_year(fields),
        venue=_venue(raw),
        abstract=_text(fields.get("abstract", "")),
        url=url,
        arxiv_id=_arxiv_id(raw, url, doi),
        doi=doi,
    )


def read(text: str, source: str) -> ParseResult:
    """The papers in a BibTeX/BibLaTeX file; what cannot be imported becomes a problem."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    split = _split(text, source)
    problems = list(split.problems)
    if not split.entries and not problems:
        raise InputError(source, "no BibTeX entries found")
    macros = dict(_MONTHS)
    budget = _Budget(text)
    for line, key, value in split.strings:
        try:
            macros[key.lower()] = _evaluate(value, macros, [], budget)
        except _MalformedValue as err:
            problems.append(Problem(source, line, _malformed("string", key, str(err))))
    entries: list[_Raw] = []
    first_line: dict[str, int | None] = {}
    for raw, values in split.entries:
        undefined: list[str] = []
        try:
            raw.fields = _evaluate_fields(values, macros, undefined, budget)
        except _MalformedValue as err:
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


# ---------------------------------------------------------------- writing

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
    if "," in plain or _AND.search(plain) or plain.lower() in _NOT_NAMES:
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


_STOPWORDS = _words(
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


def citation_keys(entries: Sequence[Entry]) -> dict[str, str]:
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
    if one_line(paper.abstract):
        yield "abstract", escape(paper.abstract)
    tags = [one_line(tag) for tag in entry.state.tags if one_line(tag)]
    if tags:
        yield "keywords", ", ".join("{" + escape(t) + "}" if "," in t else escape(t) for t in tags)


def write(entries: Sequence[Entry]) -> str:
    """``entries`` as a UTF-8 BibTeX file, one entry each, in the order given."""
    keys = citation_keys(entries)
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    out = ["% Encoding: UTF-8", f"% {count} exported by shelf.", ""]
    for entry in entries:
        kind, venue_field = _kind(one_line(entry.paper.venue))
        lines = [f"  {name} = {{{value}}}" for name, value in _fields(entry, venue_field)]
        out += [f"@{kind}{{{keys[entry.id]},", ",\n".join(lines), "}", ""]
    return "\n".join(out)
