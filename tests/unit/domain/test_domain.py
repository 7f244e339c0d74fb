"""Unit tests for domain/: statuses, identity rules, papers, the query splitter, inert text."""

from __future__ import annotations

import re

import pytest

from shelf.domain import (
    EXPORT_ORDER,
    Entry,
    Field,
    Paper,
    QuerySyntaxError,
    ShelfError,
    StateFilter,
    Status,
    Undone,
    normalize_tag,
    parse_query,
)
from shelf.domain.identity import (
    identity_seed,
    normalize_doi,
    normalize_title,
    parse_arxiv_id,
    short_id,
)
from shelf.domain.query import as_you_type
from shelf.domain.text import inert, is_web_url, one_line

# -- Status -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("inbox", Status.INBOX),
        ("to-read", Status.TO_READ),
        ("to_read", Status.TO_READ),
        ("To-Read", Status.TO_READ),
        ("TO READ", Status.TO_READ),
        ("toread", Status.TO_READ),
        ("todo", Status.TO_READ),
        ("  reading ", Status.READING),
        ("read", Status.READ),
        ("done", Status.READ),
        ("DONE", Status.READ),
        ("skipped", Status.SKIPPED),
        ("skip", Status.SKIPPED),
        ("new", Status.INBOX),
    ],
)
def test_status_parse_accepts_values_and_aliases(typed: str, expected: Status) -> None:
    assert Status.parse(typed) is expected


@pytest.mark.parametrize("typed", ["", "finished", "to--read", "r", "inbox!"])
def test_status_parse_rejects_unknown_and_names_the_choices(typed: str) -> None:
    with pytest.raises(ShelfError) as caught:
        Status.parse(typed)
    message = str(caught.value)
    assert repr(typed) in message
    for status in Status:
        assert status.value in message


def test_status_values_are_what_users_type() -> None:
    assert [s.value for s in Status] == ["inbox", "to-read", "reading", "read", "skipped"]


def test_status_glyphs_are_distinct_single_characters() -> None:
    glyphs = [status.glyph for status in Status]
    assert all(len(glyph) == 1 for glyph in glyphs)
    assert len(set(glyphs)) == len(glyphs)
    assert Status.READ.glyph == "●"
    assert Status.INBOX.glyph == "·"


def test_export_order_holds_every_status_once() -> None:
    assert EXPORT_ORDER == (
        Status.READING,
        Status.TO_READ,
        Status.INBOX,
        Status.READ,
        Status.SKIPPED,
    )


# -- arXiv ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2106.09685", "2106.09685"),
        ("2106.09685v2", "2106.09685"),
        ("arXiv:2106.09685v12", "2106.09685"),
        ("https://arxiv.org/abs/2106.09685", "2106.09685"),
        ("https://arxiv.org/abs/2106.09685v3", "2106.09685"),
        ("https://arxiv.org/pdf/2106.09685v1.pdf", "2106.09685"),
        ("  0704.0001 ", "0704.0001"),
        ("1412.7878", "1412.7878"),
        ("see arXiv preprint arXiv:1810.04805, 2018", "1810.04805"),
        ("cond-mat/0412498v1", "cond-mat/0412498"),
        ("astro-ph/0601001", "astro-ph/0601001"),
        ("arXiv:hep-th/9901001v3", "hep-th/9901001"),
        ("https://arxiv.org/abs/cs/0101001v2", "cs/0101001"),
        ("Astro-Ph/0601001", "astro-ph/0601001"),
        # The subject class is not part of the identifier.
        ("math.GT/0309136", "math/0309136"),
        ("math.CA/0611800v2", "math/0611800"),
    ],
)
def test_parse_arxiv_id_finds_the_id_without_version(text: str, expected: str) -> None:
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello world",
        "Attention Is All You Need",
        "2106.096",  # too few digits after the dot
        "12106.09685",  # five digits before the dot
        "2106.096851",  # six digits after the dot
        "10.1016/j.cell.2020.01234",  # a DOI, not an arXiv id
        "https://example.com/page/1234567",  # a path that merely looks old-style
        "nosuch-archive/0601001",
        "astro-ph/060100",  # six digits
        "astro-ph/06010011",  # eight digits
    ],
)
def test_parse_arxiv_id_rejects_non_ids(text: str) -> None:
    assert parse_arxiv_id(text) is None


# -- DOIs and titles ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1145/3292500.3330701", "10.1145/3292500.3330701"),
        ("https://doi.org/10.1145/3292500.3330701", "10.1145/3292500.3330701"),
        ("http://dx.doi.org/10.1000/XYZ-123", "10.1000/xyz-123"),
        ("doi:10.1000/ABC", "10.1000/abc"),
        ("DOI: 10.1000/Abc.", "10.1000/abc"),
        ("  10.18653/v1/N19-1423; ", "10.18653/v1/n19-1423"),
    ],
)
def test_normalize_doi(text: str, expected: str) -> None:
    assert normalize_doi(text) == expected


@pytest.mark.parametrize("text", ["", "not a doi", "10.12/short-registrant", "doi:"])
def test_normalize_doi_rejects_non_dois(text: str) -> None:
    assert normalize_doi(text) is None


def test_normalize_title_ignores_case_accents_and_punctuation() -> None:
    assert normalize_title("BERT: Pre-training of Deep Bidirectional Transformers!") == (
        "bert pre training of deep bidirectional transformers"
    )
    assert normalize_title("  Ünïcode — Títle?! (Über) ") == "unicode title uber"
    assert normalize_title("Straße") == normalize_title("STRASSE")
    assert normalize_title("a\tb\n  c") == "a b c"
    assert normalize_title("...") == ""


def test_normalize_title_makes_spellings_of_one_title_equal() -> None:
    spellings = [
        "Attention Is All You Need",
        "attention is all you need.",
        "Attention is all you need ",
        "ATTENTION: IS ALL YOU NEED",
        "Attentión is all yoü need",
    ]
    assert len({normalize_title(s) for s in spellings}) == 1


# -- short ids ----------------------------------------------------------------------------

_CROCKFORD = set("0123456789abcdefghjkmnpqrstvwxyz")


def test_short_id_is_deterministic() -> None:
    assert short_id("arxiv:2106.09685") == short_id("arxiv:2106.09685")


@pytest.mark.parametrize("length", [6, 7, 8])
def test_short_id_length_and_alphabet(length: int) -> None:
    for number in range(200):
        made = short_id(f"seed-{number}", length)
        assert len(made) == length
        assert set(made) <= _CROCKFORD
        assert not set(made) & set("ilou")


def test_short_id_longer_extends_shorter() -> None:
    """Lengthening on a collision keeps the prefix users may already know."""
    assert short_id("x", 8).startswith(short_id("x", 6))


def test_short_id_differs_between_seeds() -> None:
    made = {short_id(f"title:paper number {n}|") for n in range(500)}
    assert len(made) == 500


def test_identity_seed_prefers_arxiv_then_doi_then_title() -> None:
    assert identity_seed("T", 2020, "2106.09685", "10.1/x") == "arxiv:2106.09685"
    assert identity_seed("T", 2020, None, "10.1/x") == "doi:10.1/x"
    assert identity_seed("The Title!", 2020, None, None) == "title:the title|2020"
    assert identity_seed("The Title!", None, None, None) == "title:the title|"


# -- Paper --------------------------------------------------------------------------------


def test_merged_with_fills_only_missing_fields() -> None:
    sparse = Paper(title="Mine", year=None, abstract="")
    rich = Paper(
        title="Theirs",
        authors=("A. Author",),
        year=2021,
        venue="NeurIPS",
        abstract="An abstract.",
        url="https://example.org/p",
        arxiv_id="2106.09685",
        doi="10.1/x",
    )
    merged = sparse.merged_with(rich)
    assert merged == Paper(
        title="Mine",
        authors=("A. Author",),
        year=2021,
        venue="NeurIPS",
        abstract="An abstract.",
        url="https://example.org/p",
        arxiv_id="2106.09685",
        doi="10.1/x",
    )


def test_merged_with_keeps_what_is_known() -> None:
    known = Paper(
        title="Mine",
        authors=("Me",),
        year=2019,
        venue="ICML",
        abstract="Mine.",
        url="https://mine.example",
        arxiv_id="1901.00001",
        doi="10.1/mine",
    )
    other = Paper(
        title="Theirs",
        authors=("You",),
        year=2020,
        venue="ICLR",
        abstract="Theirs.",
        url="https://theirs.example",
        arxiv_id="2001.00001",
        doi="10.1/theirs",
    )
    assert known.merged_with(other) == known


def test_merged_with_keeps_year_zero_and_does_not_mutate() -> None:
    zero = Paper(title="Old", year=0)
    assert zero.merged_with(Paper(title="Old", year=1999)).year == 0
    sparse = Paper(title="T")
    sparse.merged_with(Paper(title="T", year=2000))
    assert sparse.year is None


def test_link_prefers_url_then_arxiv_then_doi() -> None:
    full = Paper(title="T", url="https://x.org/p", arxiv_id="2106.09685", doi="10.1/x")
    assert full.link == "https://x.org/p"
    assert Paper(title="T", arxiv_id="2106.09685", doi="10.1/x").link == (
        "https://arxiv.org/abs/2106.09685"
    )
    assert Paper(title="T", doi="10.1/x").link == "https://doi.org/10.1/x"
    assert Paper(title="T").link == ""


# -- the query splitter ---------------------------------------------------------------------


def test_plain_query_has_an_empty_filter() -> None:
    parsed = parse_query('transfer "domain adaptation" title:bert -survey')
    assert parsed.text == 'transfer "domain adaptation" title:bert -survey'
    assert parsed.filter == StateFilter()
    assert parsed.filter.is_empty


def test_empty_query() -> None:
    parsed = parse_query("")
    assert parsed.text == ""
    assert parsed.filter.is_empty


def test_status_filter_is_taken_out_and_text_kept() -> None:
    parsed = parse_query("transfer learning status:read")
    assert parsed.text == "transfer learning"
    assert parsed.filter == StateFilter(statuses=frozenset({Status.READ}))


def test_status_filter_with_several_values_and_aliases() -> None:
    parsed = parse_query("status:to-read,reading")
    assert parsed.text == ""
    assert parsed.filter.statuses == {Status.TO_READ, Status.READING}
    assert parse_query("status:to_read,done").filter.statuses == {Status.TO_READ, Status.READ}


def test_status_filter_name_is_case_insensitive() -> None:
    assert parse_query("STATUS:Read").filter.statuses == {Status.READ}


def test_negated_status_with_minus() -> None:
    parsed = parse_query("adapters -status:skipped")
    assert parsed.text == "adapters"
    assert parsed.filter.excluded_statuses == {Status.SKIPPED}
    assert parsed.filter.statuses == frozenset()


def test_negated_status_with_not() -> None:
    parsed = parse_query("adapters NOT status:read")
    assert parsed.text == "adapters"
    assert parsed.filter.excluded_statuses == {Status.READ}
    assert parsed.filter.statuses == frozenset()


def test_not_before_a_word_stays_full_text() -> None:
    parsed = parse_query("adapters NOT vision")
    assert parsed.text == "adapters NOT vision"
    assert parsed.filter.is_empty


def test_leading_and_trailing_and_are_dropped() -> None:
    assert parse_query("status:read AND bert").text == "bert"
    assert parse_query("bert AND status:read").text == "bert"


def test_tag_filter_is_normalized() -> None:
    parsed = parse_query("tag:Survey")
    assert parsed.filter.tags == {"survey"}
    assert parsed.text == ""


def test_quoted_tag_with_a_space() -> None:
    parsed = parse_query('bert tag:"machine learning" adapters')
    assert parsed.filter.tags == {"machine learning"}
    assert parsed.text == "bert adapters"


def test_several_tags_and_an_excluded_one() -> None:
    parsed = parse_query("tag:nlp tag:survey -tag:old")
    assert parsed.filter.tags == {"nlp", "survey"}
    assert parsed.filter.excluded_tags == {"old"}


def test_is_starred_and_its_negation() -> None:
    assert parse_query("is:starred").filter.starred is True
    assert parse_query("-is:starred").filter.starred is False
    assert parse_query("NOT is:starred").filter.starred is False
    assert parse_query("IS:STARRED").filter.starred is True


def test_quoted_filter_is_a_phrase_not_a_filter() -> None:
    parsed = parse_query('"status:read"')
    assert parsed.text == '"status:read"'
    assert parsed.filter.is_empty


@pytest.mark.parametrize(
    "query",
    [
        "(status:read)",
        "(bert OR status:read)",
        "(bert tag:nlp) adapters",
        "bert OR status:read",
        "status:read OR bert",
        "is:starred OR tag:nlp",
        "bert OR -status:read",
        "bert OR NOT status:read",
        "NOT status:read OR bert",
        "(NOT is:starred)",
    ],
)
def test_filters_inside_parentheses_or_next_to_or_are_refused(query: str) -> None:
    with pytest.raises(QuerySyntaxError, match="AND only"):
        parse_query(query)


def test_filter_after_closed_parentheses_is_fine() -> None:
    parsed = parse_query("(bert OR gpt) status:read")
    assert parsed.text == "(bert OR gpt)"
    assert parsed.filter.statuses == {Status.READ}


def test_field_groups_keep_their_shape() -> None:
    """``title:(a OR b)`` must reach the index as written, not as ``title: ( a OR b )``."""
    parsed = parse_query("title:(adapter OR fusion) status:read year:[2019 TO 2022]")
    assert parsed.text == "title:(adapter OR fusion) year:[2019 TO 2022]"
    assert parse_query("-tag:x  title:(a b)").text == "title:(a b)"


def test_unknown_status_is_a_query_syntax_error() -> None:
    with pytest.raises(QuerySyntaxError, match="unknown status 'finished'") as caught:
        parse_query("status:finished")
    assert "to-read" in str(caught.value)


def test_unknown_status_among_several() -> None:
    with pytest.raises(QuerySyntaxError):
        parse_query("status:read,bogus")


@pytest.mark.parametrize("query", ["is:foo", "is:read", "-is:old"])
def test_unknown_is_filter(query: str) -> None:
    with pytest.raises(QuerySyntaxError, match="is:starred"):
        parse_query(query)


@pytest.mark.parametrize("query", ["status:", "tag:", "is:", 'tag:""'])
def test_filter_without_a_value(query: str) -> None:
    with pytest.raises(QuerySyntaxError, match="value is missing"):
        parse_query(query)


def test_query_errors_are_shelf_errors() -> None:
    assert issubclass(QuerySyntaxError, ShelfError)


def test_normalize_tag() -> None:
    assert normalize_tag("  Machine   Learning ") == "machine learning"
    with pytest.raises(ShelfError):
        normalize_tag("   ")


# -- StateFilter.both -----------------------------------------------------------------------


def _passes(state: StateFilter, status: Status) -> bool:
    """Whether a paper in ``status`` gets through the status part of ``state``."""
    wanted = not state.statuses or status in state.statuses
    return wanted and status not in state.excluded_statuses


def test_both_with_an_empty_filter_is_the_other() -> None:
    some = StateFilter(statuses=frozenset({Status.READ}), tags=frozenset({"x"}), starred=True)
    assert some.both(StateFilter()) == some
    assert StateFilter().both(some) == some
    assert StateFilter().both(StateFilter()).is_empty


def test_both_intersects_statuses_and_unions_the_rest() -> None:
    left = StateFilter(
        statuses=frozenset({Status.READ, Status.READING}),
        excluded_statuses=frozenset({Status.SKIPPED}),
        tags=frozenset({"nlp"}),
        excluded_tags=frozenset({"old"}),
    )
    right = StateFilter(
        statuses=frozenset({Status.READING, Status.TO_READ}),
        tags=frozenset({"survey"}),
        excluded_tags=frozenset({"draft"}),
        starred=True,
    )
    both = left.both(right)
    assert both.statuses == {Status.READING}
    assert both.excluded_statuses == {Status.SKIPPED}
    assert both.tags == {"nlp", "survey"}
    assert both.excluded_tags == {"old", "draft"}
    assert both.starred is True
    assert not both.is_empty


def test_both_with_disjoint_statuses_passes_nothing() -> None:
    left = StateFilter(statuses=frozenset({Status.READ}))
    right = StateFilter(statuses=frozenset({Status.TO_READ}))
    both = left.both(right)
    assert not both.is_empty
    assert both.statuses, "an empty statuses set would mean 'any status'"
    assert both.statuses <= both.excluded_statuses
    assert not any(_passes(both, status) for status in Status)


def test_both_with_opposite_starred_passes_nothing() -> None:
    both = StateFilter(starred=True).both(StateFilter(starred=False))
    assert not both.is_empty
    assert not any(_passes(both, status) for status in Status)


def test_both_keeps_one_sided_starred() -> None:
    assert StateFilter(starred=False).both(StateFilter()).starred is False
    assert StateFilter().both(StateFilter(starred=True)).starred is True


def test_is_empty_notices_every_field() -> None:
    assert StateFilter().is_empty
    assert not StateFilter(statuses=frozenset({Status.READ})).is_empty
    assert not StateFilter(excluded_statuses=frozenset({Status.READ})).is_empty
    assert not StateFilter(tags=frozenset({"a"})).is_empty
    assert not StateFilter(excluded_tags=frozenset({"a"})).is_empty
    assert not StateFilter(starred=False).is_empty


# -- inert text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("a\x00b", "a\\x00b"),
        ("del\x7f", "del\\x7f"),
        ("csi\x9b31m", "csi\\x9b31m"),
        ("bell\x07", "bell\\x07"),
        ("cr\rx", "cr\\x0dx"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        ("iso\u2066late\u2069", "iso\\u2066late\\u2069"),
    ],
)
def test_inert_spells_out_control_characters(raw: str, shown: str) -> None:
    assert inert(raw) == shown


def test_inert_keeps_tabs_newlines_and_ordinary_unicode() -> None:
    text = "Title\twith tab\nsecond line — café ★ 日本語 "
    assert inert(text) == text


def test_inert_output_has_no_control_characters() -> None:
    every = "".join(chr(c) for c in range(0x00, 0xA0)) + "\u202a\u202b\u202c\u202d\u202e"
    out = inert(every)
    leftovers = {c for c in out if (ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0}
    assert leftovers == set()
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", out)


def test_one_line_folds_white_space_and_stays_inert() -> None:
    assert one_line("  a\tb\n\nc  ") == "a b c"
    assert one_line("Windows\r\nline break") == "Windows line break"
    assert one_line("x\x1b[31my\nz") == "x\\x1b[31my z"
    assert "\n" not in one_line("one\ntwo\u2028three")
    assert one_line("\x00") == "\\x00"


@pytest.mark.parametrize(
    "url",
    ["https://arxiv.org/abs/2106.09685", "http://x.org", "HTTPS://EXAMPLE.ORG/a?b=c#d"],
)
def test_is_web_url_accepts_http_links(url: str) -> None:
    assert is_web_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "javascript:alert(1)",
        "JavaScript:alert(1)//http://x",
        "data:text/html,<b>x</b>",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "https://",
        "https://x.org/a b",
        " https://x.org",
        "https://x.org\n",
        "https://x.org/\x1b[2J",
        "https://x.org/\x00",
        "https://x.org/\x9b",
    ],
)
def test_is_web_url_rejects_everything_else(url: str) -> None:
    assert not is_web_url(url)


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("contin", "(contin OR contin*)"),
        ("catastrophic forg", "catastrophic (forg OR forg*)"),
        ("title:adap", "title:(adap OR adap*)"),
        ("-foo", "-(foo OR foo*)"),
        ("ca", "(ca OR ca*)"),
        ("catastrophic f", "catastrophic (f OR f*)"),
        ("word ", "word "),
        ('"param', '"param'),
        ("x AND", "x AND"),
        ("status:re", "status:re"),
        ("tag:sur", "tag:sur"),
        ("year:20", "year:20"),
        ("title:", "title:"),
        ("", ""),
    ],
)
def test_as_you_type_makes_the_word_being_typed_a_prefix(typed: str, query: str) -> None:
    assert as_you_type(typed) == query


def test_an_undo_that_put_back_only_timestamps_names_them() -> None:
    # Found by the hostile pass: "undid : ghphy8" after undoing a backup's restore.
    entry = Entry("p1", Paper(title="A"))
    assert Undone(entry, frozenset({Field.STATUS, Field.STATUS_CHANGED_AT})).shown == ["status"]
    assert Undone(entry, frozenset({Field.ADDED_AT})).shown == ["added at"]
