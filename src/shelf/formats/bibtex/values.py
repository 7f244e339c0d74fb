"""BibTeX values as BibTeX evaluates them: braces, quotes, numbers, macros and ``#``.

Evaluation is bounded: no value (a field or an ``@string``) may grow past
``MAX_VALUE``, and macro expansion over a whole file may add at most
``EXPANSION_BUDGET`` beyond the file's own size, so a 1 KB file of doubling
``@string`` definitions is a problem line, not 24 GB of memory.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """The white-space separated words of ``text``, as a set."""
    return frozenset(text.split())


# The month macros every standard style defines.
MONTHS = {
    month[:3].lower(): month
    for month in words(
        "January February March April May June July August September October November December"
    )
}
# A macro name: anything but white space and what delimits or separates values.
_BARE_TOKEN = re.compile(r"[^\s#{}\"=(),'%]+")


class MalformedValue(ValueError):
    """A field value BibTeX would stop at; the entry is skipped, as BibTeX skips it."""


#: No evaluated value (a field, or an ``@string``) may be longer than this: doubling
#: macros (``@string{s1 = s0 # s0}`` ... ``s39``) would otherwise grow to terabytes.
MAX_VALUE = 1024 * 1024
#: What macro expansion may add over a whole file, beyond the file's own size.
EXPANSION_BUDGET = 16 * 1024 * 1024


class Budget:
    """Characters evaluation may still produce in this file."""

    def __init__(self, text: str) -> None:
        self.left = len(text) + EXPANSION_BUDGET

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise MalformedValue(
                f"its @string macros expand past {EXPANSION_BUDGET // (1024 * 1024)} MB "
                "more than the file itself"
            )


def evaluate(
    value: str, macros: dict[str, str], undefined: list[str], budget: Budget | None = None
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
                raise MalformedValue(f"expected # or the end of the value at {char!r}")
            index, expect_part = index + 1, True
            continue
        if char in '{"':
            end = _closing(value, index)
            if end is None:
                raise MalformedValue(f"unbalanced {char!r}")
            part = value[index + 1 : end]
            index, expect_part = end + 1, False
        else:
            match = _BARE_TOKEN.match(value, index)
            if match is None:
                raise MalformedValue(f"unexpected {char!r}")
            part = match.group(0)
            index, expect_part = match.end(), False
            if not part.isdigit():
                if part.lower() in macros:
                    part = macros[part.lower()]
                else:
                    undefined.append(part)
        length += len(part)
        if length > MAX_VALUE:
            raise MalformedValue(f"it expands to more than {MAX_VALUE // (1024 * 1024)} MB")
        parts.append(part)
    if expect_part and parts:
        raise MalformedValue("nothing after the last #")
    if budget is not None:
        budget.spend(length)
    return "".join(parts)


def evaluate_fields(
    values: dict[str, str], macros: dict[str, str], undefined: list[str], budget: Budget
) -> dict[str, str]:
    fields = {}
    for name, value in values.items():
        try:
            fields[name] = evaluate(value, macros, undefined, budget)
        except MalformedValue as err:
            raise MalformedValue(f"field {name!r}: {err}") from None
    return fields


def _closing(value: str, start: int) -> int | None:
    """Index of the delimiter closing the one at ``start`` (braces nest; ``\\{`` does not)."""
    depth = 0
    quoted = value[start] == '"'
    for found in _DELIMITER.finditer(value, start + 1):
        index = found.start()
        if value[index - 1] == "\\":
            continue
        char = found.group()
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index if not quoted else None
            depth -= 1
        elif quoted and depth == 0:
            return index
    return None


_DELIMITER = re.compile(r'[{}"]')
