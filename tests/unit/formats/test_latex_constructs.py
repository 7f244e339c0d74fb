"""The construct-by-construct LaTeX decoding gives exactly what decoding the whole field gives.

``latex._by_construct`` is a shortcut past pylatexenc for the common case; it is
only right if, wherever it answers, the answer is pylatexenc's own. Checked on
every field of the real files and on random mixtures of the constructs it reads.
"""

from __future__ import annotations

import random
import re

import pytest

from shelf.formats.bibtex import latex
from support.paths import FIXTURES

_FIELD = re.compile(r"^\s*\w+\s*=\s*\{(.*)\},?\s*$", re.MULTILINE)


def _whole(text: str) -> str:
    return " ".join(latex.decoder()(text).split())


def _quick(text: str) -> str | None:
    found = latex._by_construct(text)
    return None if found is None else " ".join(found.split())


@pytest.mark.parametrize("name", ["d2l.bib", "typst-libra.bib"])
def test_every_field_of_the_real_files_it_reads_decodes_as_the_whole_field(name: str) -> None:
    values = _FIELD.findall((FIXTURES / name).read_text(encoding="utf-8"))
    read = [value for value in values if _quick(value) is not None]
    assert len(read) > len(values) // 2  # it takes the common case, or it saves nothing
    assert [_quick(value) for value in read] == [_whole(value) for value in read]


_PIECES = [
    "plain", "words", " ", "  ", "\n", "it's", "`tick", "a-b", "x.", r"\%", r"\&", r"\_", r"\#",
    r"\$", r"\{", r"\}", "--", "---", "----", "``", "''", "'''", "!`", "?`", "~", r"\'e", r"\"o",
    r"\`a", r"\^o", r"\~n", r"\=a", r"\.z", r"\v{C}", r"\c{c}", r"\u{a}", r"\H{o}", r"\'{E}",
    r"\textbackslash{}", r"\textbackslash ", r"\textbackslash", r"\ldots{}", r"\ldots ", r"\o{}",
    r"\ss ", r"\ae", r"\textendash{}", r"\textemdash ", r"\textbraceleft{}", r"\l ", r"\i{}",
    "é", "ß", "中", "ǅ", "\u0301",
]  # fmt: skip


def _mixture(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 12)):
        piece = rng.choice(_PIECES)
        parts.append("{" + piece + "}" if rng.random() < 0.2 else piece)
    return "".join(parts)


def test_random_mixtures_decode_as_the_whole_field() -> None:
    rng = random.Random(7)
    texts = [_mixture(rng) for _ in range(3000)]
    read = [text for text in texts if _quick(text) is not None]
    assert len(read) > 2000
    wrong = [(t, _quick(t), _whole(t)) for t in read if _quick(t) != _whole(t)]
    assert wrong == []


@pytest.mark.parametrize(
    "text",
    [
        r"$\alpha$ rays",
        r"\emph{new} idea",
        r"a \\ b",
        r"\url{x}",
        r"\'\i",
        r"\ x",
        "a^b",
        r"\oé",
        r"\ssß x",
        r"\AAø",
    ],
)
def test_what_it_cannot_read_alone_goes_to_the_whole_decoder(text: str) -> None:
    assert latex._by_construct(text) is None
