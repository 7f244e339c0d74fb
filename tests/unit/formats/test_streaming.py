"""Reading import files piece by piece: the same records as reading them whole.

A large file is decoded and parsed a megabyte at a time, so its pieces may
split a record, a line break or a character anywhere. Whatever the split, the
records, problems and line numbers must be those of the whole text.
"""

from __future__ import annotations

import codecs
import json
import random

import pytest

from shelf.domain import InputError
from shelf.formats import encodings, hf_json, hf_text, json_list
from shelf.formats.json_stream import first_records, json_records
from support.paths import FIXTURES, PAGE_COPY


def _split(text: str, rng: random.Random, pieces: int) -> list[str]:
    cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, pieces)))
    return [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]


# -- JSON, record by record --------------------------------------------------------------


def test_a_json_list_split_anywhere_gives_the_records_and_lines_of_the_whole() -> None:
    papers = [{"title": f"Paper {n}", "year": 2000 + n, "n": 10**n, "ok": n % 2 == 0}
              for n in range(12)]  # fmt: skip
    text = json.dumps(papers, indent=1)
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line == " {"]
    rng = random.Random(7)
    for _ in range(300):
        found = list(json_records(_split(text, rng, rng.randrange(1, 40)), "x.json"))
        assert [record for _, record in found] == papers
        assert [line for line, _ in found] == lines


def test_numbers_split_anywhere_are_read_whole_not_cut_at_their_point_or_exponent() -> None:
    # raw_decode reads "12." as 12 and "1e" as 1: the rest may be in the next piece.
    values = [12.5, -0.25, 1e300, -2.5e-08, 1.5e3, 0, -7, 10**20, 3.0]
    papers = [{"title": "A", "score": 0.75}, *values, {"title": "B"}]
    text = json.dumps({"total": 2.5e-3, "papers": papers, "mean": -12.125})
    rng = random.Random(5)
    for _ in range(300):
        found = [r for _, r in json_records(_split(text, rng, rng.randrange(1, 40)), "x")]
        assert found == papers


def test_the_papers_of_an_object_are_read_and_its_other_values_passed_over() -> None:
    text = json.dumps({"next": [1, {"a": "]"}], "papers": [{"title": "A"}, {"title": "B"}]})
    rng = random.Random(3)
    for _ in range(100):
        found = [r for _, r in json_records(_split(text, rng, rng.randrange(1, 20)), "x")]
        assert found == [{"title": "A"}, {"title": "B"}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"title": "a"},\n{"title": "b"}\n{"title": "c"}]', "x.json:3: not valid JSON"),
        ('[{"title": "a"},\n{"title": "b",]', "x.json:2: not valid JSON"),
        ('[{"title": "a"}', "x.json:1: not valid JSON: Expecting ']'"),
        ('[{"title": "a"}] [', "x.json:1: not valid JSON: Extra data"),
        ('{"title": "a"}', 'expected a list of papers or {"papers": [...]}, found an object'),
        ('"papers"', 'expected a list of papers or {"papers": [...]}, found text'),
        ('{"papers": [], "papers": [{"title": "a"}]}', "`papers` is given twice"),
        ("", "not valid JSON"),
        ('{"papers": [{"title": "a"}], "next": 2,}', "x.json:1: not valid JSON: Illegal trailing"),
        ('[{"title": "a"},\n{"title": "b', "x.json:2: not valid JSON: Unterminated string$"),
        pytest.param(
            '[{"title": "a"},\n{"n": ' + "9" * 5000 + "}]",
            "x.json:2: not readable JSON: a number of more than 4300 digits$",
            id="a-number-of-5000-digits",
        ),
    ],
)
def test_broken_json_is_one_error_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("{", r"\{")):
        list(json_records([text[:5], text[5:]], "x.json"))


def test_a_sniffer_reads_the_first_records_of_a_start_that_breaks_off() -> None:
    start = '[{"title": "A"}, {"title": "B"}, {"title": "C", "abstract": "cut he'
    assert first_records(start) == [{"title": "A"}, {"title": "B"}]
    assert first_records('{"papers": [{"title": "A"}, {"ti') == [{"title": "A"}]
    assert first_records("@article{x, title={A}}") in (None, [])
    assert json_list.sniff(start)
    assert not json_list.sniff('[{"name": "A"}, {"tit')


def test_the_json_readers_read_a_file_in_pieces_as_they_read_it_whole() -> None:
    for module, name in ((hf_json, "hf-daily-papers-2025-12-04.json"),
                         (hf_json, "hf-daily-papers-api-2024-10-25.json")):  # fmt: skip
        text = (FIXTURES / name).read_text(encoding="utf-8")
        whole = module.read(text, name)
        rng = random.Random(11)
        for _ in range(20):
            pieces = module.stream(_split(text, rng, rng.randrange(1, 60)), name).collected()
            assert pieces == whole
    exported = json.dumps([
        {"id": "abc1", "title": "A", "status": "read", "tags": ["x"],
         "lists": [{"name": "Group", "position": 2}]},
        {"id": "abc2", "title": "B", "status": "inbox",
         "lists": [{"name": "group", "position": 1}]},
        {"title": ""},
    ])  # fmt: skip
    whole = json_list.read(exported, "e.json")
    assert [held.ids for held in whole.lists] == [("abc2", "abc1")]
    assert len(whole.problems) == 1
    for size in (1, 2, 5, 50):
        pieces = [exported[i : i + size] for i in range(0, len(exported), size)]
        assert json_list.stream(pieces, "e.json").collected() == whole


# -- the page copy, line by line --------------------------------------------------------------


def test_the_page_copy_read_in_pieces_gives_the_papers_and_problems_of_the_whole() -> None:
    text = PAGE_COPY.read_text(encoding="utf-8")
    text = "a stray line\n" + text + "\nA last title without its abstract\n"
    whole = hf_text.read(text, "page.txt")
    assert len(whole.records) == 237 and len(whole.problems) == 2
    rng = random.Random(5)
    for _ in range(20):
        assert (
            hf_text.stream(_split(text, rng, rng.randrange(1, 200)), "page.txt").collected()
            == whole
        )


def test_lines_split_across_pieces_are_the_lines_of_the_whole() -> None:
    rng = random.Random(1)
    alphabet = "ab\r\n\x0b\x1c\u2028 "
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        assert list(encodings.lines(_split(text, rng, rng.randrange(0, 6)))) == text.splitlines()


# -- encodings, chosen from every byte, decoded piece by piece -----------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("café — ★ 🙂\n".encode() * 50, "utf-8-sig"),
        (codecs.BOM_UTF8 + "naïve\n".encode(), "utf-8-sig"),
        ("Transfer — café\n".encode("utf-16"), "utf-16"),
        (b"% Encoding: ISO8859_1\n@article{k, title={Caf\xe9}}\n", "iso8859-1"),
        (("ok " * 5000).encode() + b"\x93quoted\x94", "cp1252"),
    ],
)
def test_the_encoding_is_chosen_from_every_byte_and_decodes_as_the_whole(
    data: bytes, name: str
) -> None:
    chunks = [data[i : i + 7] for i in range(0, len(data), 7)]  # characters split anywhere
    chosen = encodings.choose(chunks, "f")
    assert chosen.name == name and not chosen.blank
    assert "".join(encodings.decoded(chunks, chosen)) == encodings.decode(data, "f")


@pytest.mark.parametrize("data", [b"\xef", b"\xef\xbb"])
def test_a_cut_bom_is_no_utf8(data: bytes) -> None:
    chosen = encodings.choose([data], "f")
    assert (chosen.name, chosen.blank) == ("cp1252", False)
    assert encodings.decode(data, "f") == data.decode("cp1252")


def test_a_file_of_white_space_is_blank_and_a_binary_one_refused() -> None:
    assert encodings.choose([b"  \n", b"\t\r\n", codecs.BOM_UTF8], "f").blank
    assert encodings.choose([b""], "f").blank
    assert not encodings.choose([b"  \n", b"x"], "f").blank
    with pytest.raises(InputError, match="binary file"):
        encodings.choose([b"PK\x03\x04\x00\x00"], "f.zip")
    with pytest.raises(InputError, match="broken UTF-16"):
        encodings.choose([codecs.BOM_UTF16_LE + b"a\x00\x00\xdc"], "f")
