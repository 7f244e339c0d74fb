"""Unit tests for BibTeX/BibLaTeX: two real files, every reading rule, the writer's golden file.

Regenerate the golden file after an intended change with
``SHELF_UPDATE_GOLDEN=1 pytest tests/unit/formats/test_bibtex.py`` and read the diff.
"""

from __future__ import annotations

import codecs
import os
import re

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelf.domain import Entry, InputError, Paper, ParseResult, ReadingState, ShelfError
from shelf.domain.text import one_line
from shelf.formats import bibtex, decode, reader_for
from support import paths
from support.paths import FIXTURES

GOLDEN = paths.GOLDEN / "bibtex" / "export.bib"


def _read_fixture(name: str) -> ParseResult:
    path = FIXTURES / name
    return bibtex.read(decode(path.read_bytes(), name), name)


@pytest.fixture(scope="module")
def d2l() -> ParseResult:
    return _read_fixture("d2l.bib")


@pytest.fixture(scope="module")
def libra() -> ParseResult:
    return _read_fixture("typst-libra.bib")


def _by_title(result: ParseResult, start: str) -> Paper:
    found = [paper for paper in result.papers if paper.title.startswith(start)]
    assert len(found) == 1, (start, [p.title for p in found])
    return found[0]


def _one(text: str) -> Paper:
    result = bibtex.read(text, "t.bib")
    assert result.problems == ()
    assert len(result.papers) == 1
    return result.papers[0]


# -- the real files -----------------------------------------------------------------------------


def test_d2l_imports_every_entry_without_a_problem(d2l: ParseResult) -> None:
    # 488 entries, every one with a title (grep -ci '^\s*title\s*=' says 488), all well formed
    # (bibtexparser alone: 488 parsed, 0 failed), no repeated key, no crossref, no @string.
    assert (len(d2l.papers), len(d2l.problems)) == (488, 0)


def test_typst_libra_imports_every_entry_without_a_problem(libra: ParseResult) -> None:
    # 35 entries, each with a title; `volume = {}` and a "weird URL" entry are harmless.
    assert (len(libra.papers), len(libra.problems)) == (35, 0)


def test_accents_are_decoded(d2l: ParseResult, libra: ParseResult) -> None:
    tensorflow = _by_title(d2l, "TensorFlow: A system")  # Tensor{F}low, Mart{\'\i}n
    assert tensorflow.authors[0] == "Martín Abadi"
    assert "Réjean Ducharme" in _by_title(d2l, "A neural probabilistic language").authors
    authors = {name for paper in d2l.papers for name in paper.authors}
    assert {"Łukasz Kaiser", "Léon Bottou", "Jürgen Schmidhuber", "Piotr Dollár"} <= authors
    venues = {paper.venue for paper in d2l.papers}
    assert "Sankhyā: The Indian Journal of Statistics, Series A" in venues  # Sankhy{\=a}
    findex = _by_title(libra, "The Global Findex Database")
    assert findex.authors[0] == "Asli Demirgüç-Kunt"


def test_case_protecting_braces_are_removed(d2l: ParseResult, libra: ParseResult) -> None:
    speech = _by_title(d2l, "Convolutional neural networks for speech recognition")
    assert speech.venue == "IEEE/ACM Transactions on Audio, Speech, and Language Processing"
    assert _by_title(libra, "Big Data").title == "Big Data: Unleashing Information"  # {{Data}}
    assert (
        _by_title(d2l, "Mind the PAD").title == "Mind the PAD \u2013 CNNs can develop blind spots"
    )


def test_no_latex_is_left_in_the_real_files(d2l: ParseResult, libra: ParseResult) -> None:
    for paper in d2l.papers + libra.papers:
        for text in (paper.title, paper.venue, *paper.authors):
            assert "\\" not in text and "{" not in text and "}" not in text, text
            assert text == " ".join(text.split()), text


def test_biblatex_dates_and_journaltitle(libra: ParseResult) -> None:
    big_data = _by_title(libra, "Big Data")
    assert big_data.year == 2013  # date = {2013-06-01}, no year field
    assert big_data.venue == "Journal of Systems Science and Systems Engineering"
    assert big_data.doi == "10.1007/s11518-013-5219-4"
    assert _by_title(libra, "An Introduction to Libra").year == 2019  # date = {2019-06}
    assert _by_title(libra, "Libra White Paper").year is None  # only an urldate
    assert sum(paper.year is None for paper in libra.papers) == 3


def test_names_of_the_real_files(libra: ParseResult) -> None:
    assert _by_title(libra, "At-scale impact").authors == ("Rick Astley", "Linda Morris")
    assert _by_title(libra, "Toward a Self-Learned").authors == (
        "A. S. Almasoud",
        "M. M. Eljazzar",
        "F. Hussain",
    )
    assert _by_title(libra, "Libra White Paper").authors == ("Libra Association",)


def test_d2l_arxiv_preprints_get_their_ids(d2l: ParseResult) -> None:
    assert _by_title(d2l, "Massively parallel hyperparameter").arxiv_id == "1810.05934"
    assert _by_title(d2l, "Practical transfer learning for Bayesian").arxiv_id == "1802.02219"
    # journal = {arxiv.org/abs/2205.11916}
    assert "2205.11916" in {paper.arxiv_id for paper in d2l.papers}
    # 127 `Ar{X}iv:NNNN.NNNNN` journals and the one arxiv.org link, nothing else.
    assert sum(paper.arxiv_id is not None for paper in d2l.papers) == 128


def test_links_and_dois_of_the_real_files(libra: ParseResult) -> None:
    weird = _by_title(libra, "Title")  # url and doi = {example.com?A=$B\%\\\{\}}
    assert (weird.url, weird.doi) == ("", None)
    zero_rated = _by_title(libra, "Understanding the Use and Impact")
    assert zero_rated.url == "https://doi.org/10.1145/3173574.3173766"
    assert zero_rated.doi == "10.1145/3173574.3173766"  # from the doi.org link
    assert _by_title(libra, "Southern West Virginia").venue == "McFarland"  # a book's publisher
    assert _by_title(libra, "Bitcoin: The Longest").venue == "Social Science Research Network"


def test_sniff() -> None:
    for name in ("d2l.bib", "typst-libra.bib"):
        assert bibtex.sniff((FIXTURES / name).read_text(encoding="utf-8"))
    assert bibtex.sniff("% refs\n\n  @INPROCEEDINGS{x,\n title={T}}")
    assert bibtex.sniff("@customtype{key2020,\n title={T}}")
    for name in ("asreview-proquest.ris", "hf-daily-papers-2025-12-04.json"):
        assert not bibtex.sniff((FIXTURES / name).read_text(encoding="utf-8-sig"))
    assert not bibtex.sniff("mail me @ home {soon}, or at me@example.org")
    assert reader_for("clipboard", "@article{k,\n title = {T}}").name == "bibtex"


# -- values: macros, concatenation, crossref, comments ------------------------------------------


def test_string_macros_and_concatenation() -> None:
    paper = _one(
        "@String{IEEE = {IEEE}}\n"
        '@string{tpami = ieee # " Transactions on " # {Pattern Analysis}}\n'
        "@article{k,\n"
        '  title = "Part one" # { and } # "part " # 2,\n'
        "  journal = TPAMI,\n"
        '  year = "19" # 99,\n'
        "}\n"
    )
    assert paper.title == "Part one and part 2"
    assert paper.venue == "IEEE Transactions on Pattern Analysis"
    assert paper.year == 1999


def test_month_macros_resolve() -> None:
    paper = _one('@article{k, title = "Report of " # jan # " and " # DEC, month = feb}')
    assert paper.title == "Report of January and December"


def test_a_string_overrides_a_month_macro() -> None:
    assert _one('@string{jan = "Janvier"}\n@misc{k, title = jan}').title == "Janvier"


def test_crossref_fills_what_the_child_lacks() -> None:
    result = bibtex.read(
        "@inproceedings{child,\n  title = {A Paper},\n  crossref = {Proc},\n"
        "  author = {Doe, Jane}\n}\n"
        "@inproceedings{other,\n  title = {Own Venue},\n  crossref = {proc},\n"
        "  booktitle = {Kept},\n  year = 1990\n}\n"
        "@proceedings{proc,\n  title = {Proceedings of Things},\n  year = 2001,\n"
        "  doi = {10.1/proceedings},\n  url = {https://example.org/proc}\n}\n",
        "t.bib",
    )
    assert result.problems == ()
    child, other = result.papers  # the @proceedings parent is a container, not a paper
    assert (child.title, child.venue, child.year) == ("A Paper", "Proceedings of Things", 2001)
    assert (child.authors, child.doi, child.url) == (("Jane Doe",), None, "")
    assert (other.venue, other.year) == ("Kept", 1990)


def test_a_missing_crossref_parent_is_reported_and_the_entry_kept() -> None:
    result = bibtex.read("\n@article{k, title = {T}, crossref = {nowhere}}", "t.bib")
    assert [p.title for p in result.papers] == ["T"]
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "crossref 'nowhere' of entry 'k' not found (imported without it)")
    ]


def test_comments_and_preambles_are_ignored() -> None:
    result = bibtex.read(
        "This line is outside any entry.\n"
        '@preamble{"\\newcommand{\\noopsort}[1]{}"}\n'
        "@comment{ @article{fake, title = {Not a paper}} }\n"
        "@Comment{jabref-meta: databaseType:bibtex;}\n"
        "@article{real, title = {A Paper}}\n",
        "t.bib",
    )
    assert ([p.title for p in result.papers], result.problems) == (["A Paper"], ())


def test_title_fallbacks_and_odd_values() -> None:
    paper = _one(
        "@article{k,\n  Title = {{{Data}}: Mart{\\'\\i}n, Fran{\\c c}ois \\textendash{} "
        '\\"{u}ber 1--2 \\& 50\\%},\n  volume = {},\n  Journal = {Ar{X}iv:2106.09685},\n'
        "  year = {2020a}\n}"
    )
    assert paper.title == "Data: Martín, François \u2013 über 1\u20132 & 50%"
    assert (paper.year, paper.arxiv_id, paper.venue) == (2020, "2106.09685", "ArXiv:2106.09685")


@pytest.mark.parametrize(
    ("fields", "year"),
    [
        ("year = {forthcoming}", None),
        ("year = {in press}", None),
        ("year = {99}", None),
        ("year = {0042}", None),
        ("date = {2013-06-01}", 2013),
        ("date = {2013/2014}", 2013),
        ("date = {junk}", None),
        ("year = {2001}, date = {1999}", 2001),
    ],
)
def test_years(fields: str, year: int | None) -> None:
    assert _one(f"@article{{k, title = {{T}}, {fields}}}").year == year


def test_venue_by_entry_type() -> None:
    venues = bibtex.read(
        "@book{a, title = {A}, publisher = {MIT Press}}\n"
        "@phdthesis{b, title = {B}, school = {Some University}}\n"
        "@techreport{c, title = {C}, institution = {Some Lab}}\n"
        "@misc{d, title = {D}, howpublished = {Blog post}}\n"
        "@misc{e, title = {E}, howpublished = {\\url{https://example.org}}}\n"
        "@article{f, title = {F}, journaltitle = {J. Things}, publisher = {P}}\n",
        "t.bib",
    )
    assert [p.venue for p in venues.papers] == [
        "MIT Press",
        "Some University",
        "Some Lab",
        "Blog post",
        "",
        "J. Things",
    ]


# -- names --------------------------------------------------------------------------------------


def test_names_are_split_and_put_first_name_first() -> None:
    paper = _one(
        "@article{k, title = {T}, author = {Knuth, Donald E. and Ludwig van Beethoven and "
        "de la Fontaine, Jean and King, Jr, Martin Luther and {Barnes and Noble} and "
        "Jean-Pierre~Serre and others}}"
    )
    assert paper.authors == (
        "Donald E. Knuth",
        "Ludwig van Beethoven",
        "Jean de la Fontaine",
        "Martin Luther King, Jr",
        "Barnes and Noble",
        "Jean-Pierre Serre",
    )


def test_a_name_starting_with_a_command_keeps_it() -> None:
    # bibtexparser's split_multiple_persons_names would give "zg\\"ur, Arzucan" here.
    paper = _one('@article{k, title = {T}, author = {Smith, J. and \\"Ozg\\"ur, Arzucan}}')
    assert paper.authors == ("J. Smith", "Arzucan Özgür")


def test_xdata_fills_fields_and_is_not_a_paper() -> None:
    paper = _one(
        "@xdata{pub, journaltitle = {Shared Journal}, year = 2011}\n"
        "@article{k, title = {T}, xdata = {pub}}"
    )
    assert (paper.venue, paper.year) == ("Shared Journal", 2011)


def test_et_al_is_not_an_author() -> None:
    paper = _one("@article{k, title = {T}, author = {Isard, Michael and et al.}}")
    assert paper.authors == ("Michael Isard",)


# -- arXiv ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "arxiv_id"),
    [
        ("eprint = {2106.09685v2}, archivePrefix = {arXiv}", "2106.09685"),
        ("eprint = {hep-th/9901001}, eprinttype = {arxiv}", "hep-th/9901001"),
        ("eprint = {2106.09685}", "2106.09685"),
        ("eprint = {2106.09685}, eprinttype = {hdl}", None),
        ("url = {https://arxiv.org/abs/1706.03762v5}", "1706.03762"),
        ("url = {https://example.org/1706.03762}", None),
        ("doi = {10.48550/arXiv.2205.11916}", "2205.11916"),
        ("journal = {arXiv preprint arXiv:1409.0473}", "1409.0473"),
        ("journal = {arxiv.org/abs/2205.11916}", "2205.11916"),
        ("note = {arXiv:1512.03385}", "1512.03385"),
        ("journal = {Journal 1234.5678}", None),
        ("howpublished = {Ar{X}iv e-prints, 2010.02178}", "2010.02178"),
    ],
)
def test_arxiv_ids(fields: str, arxiv_id: str | None) -> None:
    assert _one(f"@article{{k, title = {{T}}, {fields}}}").arxiv_id == arxiv_id


def test_dois_and_urls_are_cleaned() -> None:
    paper = _one(
        "@article{k, title = {T}, doi = {https://doi.org/10.1000/ABC\\_1},\n"
        "  url = {\\url{https://example.org/a\\_b?x=1\\%202}}}"
    )
    assert (paper.doi, paper.url) == ("10.1000/abc_1", "https://example.org/a_b?x=1%202")


# -- problems -----------------------------------------------------------------------------------

BROKEN = """% a file with a broken entry in the middle
@article{first,
  title = {One},
  year = 2001
}

@article{broken,
  title = {Unclosed,
  year = {2002}

@article{second, title = {Two}, year = 2003}
@article{nocomma title = {x}}
@article{missing, title = {x} year = {2000}}
@article{third, title = "Three"}
"""


def test_a_malformed_entry_is_reported_with_its_line_and_the_rest_imports() -> None:
    result = bibtex.read(BROKEN, "refs.bib")
    assert [p.title for p in result.papers] == ["One", "Two", "Three"]
    assert [(p.source, p.line) for p in result.problems] == [
        ("refs.bib", 7),
        ("refs.bib", 12),
        ("refs.bib", 13),
    ]
    messages = [p.message for p in result.problems]
    assert messages[0].startswith("malformed @article 'broken' skipped")
    assert messages[1].startswith("malformed @article 'nocomma' skipped")
    assert messages[2] == (
        "malformed @article 'missing' skipped: field 'title': expected # or the end of the "
        "value at 'y'"
    )


def test_line_numbers_hold_with_windows_and_old_mac_line_ends() -> None:
    for newline in ("\r\n", "\r"):
        result = bibtex.read(BROKEN.replace("\n", newline), "refs.bib")
        assert [p.line for p in result.problems] == [7, 12, 13]


def test_duplicate_keys_are_reported_and_both_imported() -> None:
    result = bibtex.read(
        "@article{same, title = {First}}\n\n@article{same, title = {Second}}\n"
        "@misc{SAME, title = {Third}}\n",
        "t.bib",
    )
    assert [p.title for p in result.papers] == ["First", "Second", "Third"]
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "duplicate citation key 'same' (first at line 1); imported too"),
        (4, "duplicate citation key 'SAME' (first at line 1); imported too"),
    ]


def test_an_entry_without_a_title_is_a_problem() -> None:
    result = bibtex.read(
        "@article{notitle, author = {Doe, J.}}\n@article{empty, title = {{}}}\n"
        "@article{ok, title = {T}}",
        "t.bib",
    )
    assert [p.title for p in result.papers] == ["T"]
    assert [(p.line, p.message) for p in result.problems] == [
        (1, "entry 'notitle' has no title; skipped"),
        (2, "entry 'empty' has no title; skipped"),
    ]


def test_repeated_fields_and_undefined_macros_are_reported_and_kept() -> None:
    result = bibtex.read(
        "@article{k, title = {First}, title = {Second}, journal = nosuchmacro}", "t.bib"
    )
    assert [(p.title, p.venue) for p in result.papers] == [("First", "nosuchmacro")]
    assert [p.message for p in result.problems] == [
        "field repeated (title); the first one is kept",
        "undefined @string 'nosuchmacro' in entry 'k' (kept as written)",
    ]


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "% only a comment\n", "@string{a = {b}}\n@comment{x}\n", "plain words"],
)
def test_a_file_without_entries_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="no BibTeX entries found"):
        bibtex.read(text, "empty.bib")


def test_a_file_of_only_broken_entries_reports_them() -> None:
    result = bibtex.read("@article{a, title = {x}\n@article{b,", "t.bib")
    assert result.papers == ()
    assert [p.line for p in result.problems] == [1, 2]


def test_deeply_nested_braces_do_not_crash() -> None:
    paper = _one("@article{k, title = {" + "{" * 3000 + "Deep" + "}" * 3000 + "}}")
    assert paper.title == "Deep"


# -- encodings (through formats.decode) ---------------------------------------------------------

ACCENTED = (
    "@article{k,\n  title = {Über “Zürich” \u2013 ça coûte 5 €},\n  author = {Müller, Jörg}\n}\n"
)


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + ACCENTED.encode("utf-8"),
        ACCENTED.encode("utf-16"),  # with its BOM
        codecs.BOM_UTF16_BE + ACCENTED.encode("utf-16-be"),
        b"% Encoding: windows-1252\n" + ACCENTED.encode("cp1252"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "windows-1252-header"],
)
def test_encodings(data: bytes) -> None:
    paper = _one(decode(data, "refs.bib"))
    assert paper.title == "Über “Zürich” \u2013 ça coûte 5 €"
    assert paper.authors == ("Jörg Müller",)


def test_a_declared_encoding_is_honoured() -> None:
    # 0xA4 is the euro sign in Latin-9 and the currency sign in cp1252, the fallback.
    data = b"% Encoding: ISO8859_15\n@misc{k, title = {5 \xa4}}\n"
    assert _one(decode(data, "refs.bib")).title == "5 €"


def test_plain_latin_1_bytes() -> None:
    data = "@misc{k, title = {Straße}, author = {Gödel, Kurt}}".encode("latin-1")
    paper = _one(decode(data, "refs.bib"))
    assert (paper.title, paper.authors) == ("Straße", ("Kurt Gödel",))


# -- writing ------------------------------------------------------------------------------------

HOSTILE = "50% of {x} & $y$ #1 a_b ~ c^d \\ e"


def _entry(entry_id: str, title: str, **paper: object) -> Entry:
    tags = paper.pop("tags", ())
    notes = paper.pop("notes", "")
    return Entry(
        id=entry_id,
        paper=Paper(title=title, **paper),  # type: ignore[arg-type]
        state=ReadingState(tags=tags, notes=notes),  # type: ignore[arg-type]
    )


def entries() -> list[Entry]:
    return [
        _entry(
            "h0stl1",
            HOSTILE,
            authors=("Jürgen Schmidhuber", "Łukasz Kaiser", "Zoë O'Brien-Núñez"),
            year=2020,
            venue="Journal of Hostile Input & Output",
            abstract="Dashes -- and --- stay; `` quotes '' too; ¡olé! !` ?` 100% {sure}.",
            doi="10.1000/xyz_1",
            tags=("ml", "a, b", "c_d"),
            notes="My private thoughts: do not share.",
        ),
        _entry(
            "arx1v0",
            "Attention Is All You Need",
            authors=("Ashish Vaswani", "Noam Shazeer", "Niki Parmar"),
            year=2017,
            arxiv_id="1706.03762",
            url="https://arxiv.org/abs/1706.03762",
            abstract="The dominant sequence transduction models are based on recurrent networks.",
            tags=("transformers",),
        ),
        _entry(
            "d0ipap",
            "Deep Residual Learning for Image Recognition",
            authors=("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"),
            year=2016,
            venue="Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition",
            doi="10.1109/cvpr.2016.90",
        ),
        _entry(
            "c0llb2",
            "Attention Mechanisms, Revisited",
            authors=("Ashish Vaswani",),
            year=2017,
            venue="Neural Computation",
        ),
        _entry(
            "c0lla1",
            "The Attention Span of Transformers",
            authors=("A. Vaswani",),
            year=2017,
            venue="arXiv preprint arXiv:1706.99999",
            arxiv_id="1706.99999",
        ),
        _entry(
            "n4mes0",
            "Names BibTeX would split",
            authors=("Brand, Bethany L", "Libra Association", "Barnes and Noble", "others"),
            venue="MIT Press",
            url="https://example.org/names?a=1&b=2#frag",
        ),
        _entry("b4rep0", "A paper with nothing else"),
    ]


ESCAPED_ENTRY = _entry("esc0pe", "Clear \x1b[2J screen\x00 \u202eevil", authors=("Bad\x07Bell",))


def test_golden_file() -> None:
    rendered = bibtex.write([*entries(), ESCAPED_ENTRY])
    if os.environ.get("SHELF_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(rendered, encoding="utf-8", newline="\n")
    assert rendered == GOLDEN.read_text(encoding="utf-8")


def test_the_export_is_valid_bibtex_for_bibtexparser() -> None:
    library = bibtexparser.parse_string(bibtex.write([*entries(), ESCAPED_ENTRY]))
    assert library.failed_blocks == []
    assert len(library.entries) == len(entries()) + 1
    for entry in library.entries:
        for field in entry.fields:
            value = str(field.value)
            # Balanced even for BibTeX itself, which counts \{ and \} as braces too.
            assert value.count("{") == value.count("}"), (field.key, value)


def test_the_export_reads_back_as_the_same_papers() -> None:
    written = entries()
    result = bibtex.read(bibtex.write(written), "export.bib")
    assert result.problems == ()
    assert list(result.papers) == [entry.paper for entry in written]


def test_controls_are_made_inert_and_read_back_spelled_out() -> None:
    text = bibtex.write([ESCAPED_ENTRY])
    assert re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", text) is None
    paper = _one(text)
    assert paper.title == "Clear \\x1b[2J screen\\x00 \\u202eevil"
    assert paper.authors == ("Bad\\x07Bell",)


def test_entry_types() -> None:
    text = bibtex.write(entries())
    starts = re.findall(r"^@(\w+)\{(\w+),$", text, re.MULTILINE)
    assert starts == [
        ("article", "schmidhuber202050"),
        ("misc", "vaswani2017attentiona"),
        ("inproceedings", "he2016deep"),
        ("article", "vaswani2017attentionc"),
        ("misc", "vaswani2017attentionb"),
        ("misc", "brandnames"),
        ("misc", "anonpaper"),
    ]
    arxiv_only = text.split("@misc{vaswani2017attentiona,")[1].split("\n}\n")[0]
    assert "eprint = {1706.03762}" in arxiv_only
    assert "archivePrefix = {arXiv}" in arxiv_only
    assert "journal" not in arxiv_only


def test_notes_stay_private_and_tags_become_keywords() -> None:
    text = bibtex.write(entries())
    assert "private" not in text and "annote" not in text
    assert "keywords = {ml, {a, b}, c\\_d}" in text


def test_citation_keys_are_stable() -> None:
    written = entries()
    keys = bibtex.citation_keys(written)
    assert bibtex.citation_keys(list(reversed(written))) == keys
    newcomer = _entry("zzzzzz", "Attention Everywhere", authors=("Ashish Vaswani",), year=2017)
    grown = bibtex.citation_keys([*written, newcomer])
    assert {entry_id: grown[entry_id] for entry_id in keys} == keys
    assert grown["zzzzzz"] == "vaswani2017attentiond"
    assert len(set(grown.values())) == len(grown)


def test_citation_keys_fold_to_ascii() -> None:
    keys = bibtex.citation_keys(
        [
            _entry("1", "Über Alles", authors=("Jörg Müller-Lüdenscheidt",), year=1999),
            _entry("2", "On the", authors=("Gödel, Kurt",)),
            _entry("3", "", authors=("李小龍",)),
        ]
    )
    assert keys == {"1": "mullerludenscheidt1999uber", "2": "godelon", "3": "anon"}


# -- properties ---------------------------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=75, deadline=None)
@given(title=_TEXT, abstract=_TEXT, authors=st.lists(_TEXT, max_size=4), venue=_TEXT)
def test_any_unicode_survives_write_then_read(
    title: str, abstract: str, authors: list[str], venue: str
) -> None:
    # The writer folds white space and spells out control characters (one_line); the
    # reader folds white space: that is the normalization a BibTeX round trip applies.
    if not one_line(title):
        title = "x" + title
    paper = Paper(title=title, authors=tuple(authors), abstract=abstract, venue=venue, year=2001)
    result = bibtex.read(bibtex.write([Entry("p00001", paper)]), "p.bib")
    assert result.problems == ()
    (back,) = result.papers
    assert back.title == one_line(title)
    assert back.abstract == one_line(abstract)
    assert back.venue == one_line(venue)
    assert back.authors == tuple(one_line(a) for a in authors if one_line(a))


_BIBTEXISH = st.text(
    st.sampled_from(list("@{}()\"#=,\\%~^$&_-`' \n\tarticlemisc0123:/.ü")), max_size=200
)


@settings(max_examples=75, deadline=None)
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_end_in_papers_or_a_clear_error(data: bytes) -> None:
    try:
        result = bibtex.read(decode(data, "fuzz.bib"), "fuzz.bib")
    except ShelfError:
        return
    assert isinstance(result, ParseResult)


@settings(max_examples=75, deadline=None)
@given(text=_BIBTEXISH, head=st.sampled_from(["", "@article{k,", "@string{s = ", "@misc(k, t="]))
def test_arbitrary_bibtex_like_text_ends_in_papers_or_a_clear_error(text: str, head: str) -> None:
    try:
        result = bibtex.read(head + text, "fuzz.bib")
    except ShelfError:
        return
    assert all(paper.title for paper in result.papers)
