"""LaTeX in BibTeX values turned into Unicode text with pylatexenc, quickly and safely.

Accents, ``\\textendash``, ``--``, math as text, and case-protecting braces
dropped. Plain text skips the decoder; long fields are decoded in pieces (the
decoder takes time quadratic in a run of text). A field made only of plain text
and the constructs every export is full of (escaped specials, accents on a
letter, dashes, quotes, braces, a few symbol macros) is translated construct
by construct, each decoded once by pylatexenc and remembered: the same text as
decoding the whole field, some 20 times faster.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from shelf.formats.bibtex.values import words


@functools.cache
def decoder() -> Callable[[str], str]:
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


def to_text(latex: str) -> str:
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
    quick = _by_construct(latex)
    if quick is not None:
        return quick
    try:
        return decoder()(latex)
    except Exception:  # pylatexenc on pathological input (deep nesting): keep the letters
        return re.sub(r"\\[a-zA-Z]+|[\\{}$]", "", latex)


#: Where something other than plain text may start.
_SPECIAL = re.compile(r"[\\{}$%&#_^~]|--|''|``|[!?]`")
#: A construct whose text does not depend on what is around it. A control word eats
#: the white space after it, so that space belongs to it.
_CONSTRUCT = re.compile(
    r"""\\[%&#_${}]
    | \\[uvHcdbrk`'^"~=.]\{[a-zA-Z]\}
    | \\[`'^"~=.][a-zA-Z]
    | \\(?P<word>[a-zA-Z]+)(?:\{\})?\s*
    | ---|--|``|''|[!?]`|[{}~]""",
    re.VERBOSE,
)
#: Control words that take no argument, so they can be decoded alone.
_SYMBOL_MACROS = words(
    "textbackslash textendash textemdash textbraceleft textbraceright textasciicircum "
    "textunderscore textasciitilde textquoteleft textquoteright textquotedblleft "
    "textquotedblright textbullet textdegree textsection textregistered texttrademark "
    "textcopyright ldots dots o O ss i j ae AE oe OE aa AA l L"
)


def _by_construct(latex: str) -> str | None:
    """``latex`` decoded one construct at a time, or None if it holds anything else
    (math, a macro with arguments, a line break), which only the whole decoder reads."""
    out: list[str] = []
    position = 0
    while special := _SPECIAL.search(latex, position):
        construct = _CONSTRUCT.match(latex, special.start())
        if construct is None:
            return None
        word = construct.group("word")
        after = special.start() + 1 + len(word or "")
        if word is not None and (
            word not in _SYMBOL_MACROS or latex[after : after + 1].isalpha()
        ):  # pylatexenc takes any letter as part of a name: \oé is one unknown macro
            return None
        out += (latex[position : special.start()], _construct_text(construct.group(0)))
        position = construct.end()
    out.append(latex[position:])
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _construct_text(construct: str) -> str:
    return decoder()(construct)


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
