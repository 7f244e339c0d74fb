"""BibTeX name lists: split at "and" outside braces, each name read as First von Last, Jr."""

from __future__ import annotations

from bibtexparser.middlewares.names import parse_single_name_into_parts

from shelf.formats.bibtex.latex import to_text

NOT_NAMES = frozenset({"others", "et al.", "et al", "et. al."})


def split_names(latex: str) -> list[str]:
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


def read_names(latex: str) -> tuple[str, ...]:
    names = []
    for written in split_names(latex):
        if written.lower() in NOT_NAMES:
            continue
        parts = parse_single_name_into_parts(written, strict=False)
        name = to_text(" ".join(parts.first + parts.von + parts.last))
        if parts.jr:
            name += ", " + to_text(" ".join(parts.jr))
        if name:
            names.append(name)
    return tuple(names)
