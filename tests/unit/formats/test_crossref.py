"""Crossref's answer for one DOI read into a paper: the recorded real answers, JATS, refusals.

``shelf add DOI`` itself is tested through the command in ``tests/cli/test_add_doi.py``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shelf.domain import InputError
from shelf.formats import crossref
from support.crossref_stub import PONE, SREP, WORKS

SOURCE = "https://api.crossref.org/works/10.1038/srep16696"


def answer(**message: Any) -> str:
    """A work answer holding ``message`` (with a title and DOI unless given)."""
    body = {"title": ["A title"], "DOI": SREP, **message}
    return json.dumps({"status": "ok", "message-type": "work", "message": body})


def test_the_recorded_answers_read_into_papers() -> None:
    (srep,) = crossref.read(WORKS[SREP].read_text(encoding="utf-8"), SOURCE, SREP).papers
    (pone,) = crossref.read(WORKS[PONE].read_text(encoding="utf-8"), SOURCE, PONE).papers

    assert srep.doi == SREP and srep.year == 2015 and srep.venue == "Scientific Reports"
    assert srep.abstract.startswith("Oligomers of alpha-synuclein are toxic to cells and have")
    assert (pone.doi, pone.year, pone.abstract, len(pone.authors)) == (PONE, 2012, "", 6)
    assert pone.authors[1] == "Brooks B. Pond"
    assert pone.url == "https://doi.org/10.1371/journal.pone.0033693"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<jats:title>Abstract</jats:title><jats:p>Plain words.</jats:p>", "Plain words."),
        (
            "<jats:sec><jats:title>Background</jats:title><jats:p>Why.</jats:p></jats:sec>"
            "<jats:sec><jats:title>Results:</jats:title><jats:p>What.</jats:p></jats:sec>",
            "Background: Why. Results: What.",
        ),
        ("<jats:p>p &lt; 0.001 &amp; p&gt;0.7</jats:p>", "p < 0.001 & p>0.7"),
        ("<jats:p>one</jats:p><jats:p>two</jats:p>", "one two"),
        ("H<sub>2</sub>O in <i>Drosophila</i>", "H2O in Drosophila"),
        ('<jats:p xml:lang="en">Tagged<jats:sup>3</jats:sup></jats:p>', "Tagged3"),
        ("x<y for all y", "x<y for all y"),
        ("  no markup,\n  two lines ", "no markup, two lines"),
        ("<p>HTML &eacute;t&eacute;</p>", "HTML été"),
        ("<p>Before</p><script>alert('x <b>y</b>')</script><p>after</p>", "Before after"),
        ("Text<style>p { color: red }</style>more", "Text more"),
        ("<ul><li>one</li><li>two</li></ul><h2>Next</h2>", "one two Next"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
        ("kept<script>never closed", "kept"),
    ],
)
def test_plain_text(markup: str, text: str) -> None:
    assert crossref.plain_text(markup) == text


@given(st.text(max_size=200))
def test_plain_text_of_anything_is_one_line_without_tags(markup: str) -> None:
    text = crossref.plain_text(markup)
    assert "\n" not in text and text == text.strip()


def test_authors_names_and_groups() -> None:
    people = [
        {"given": "Ada", "family": "Lovelace"},
        {"family": "Turing"},
        {"name": "The Consortium"},
        {"given": " "},
        "not a person",
    ]
    (paper,) = crossref.read(answer(author=people), SOURCE, SREP).papers
    assert paper.authors == ("Ada Lovelace", "Turing", "The Consortium")


def test_the_year_comes_from_issued_else_a_publication_date() -> None:
    def year(**dates: Any) -> int | None:
        return crossref.read(answer(**dates), SOURCE, SREP).papers[0].year

    assert year(issued={"date-parts": [[2019, 5]]}, published={"date-parts": [[2020]]}) == 2019
    assert (
        year(issued={"date-parts": [[None]]}, **{"published-print": {"date-parts": [[2018]]}})
        == 2018
    )
    assert year(issued={"date-parts": [[None]]}) is None
    assert year(created={"date-parts": [[2024, 1, 1]]}) is None  # deposited, not published


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("<html>wifi login</html>", "Crossref's answer is not valid JSON"),
        ('["a list"]', "not a work record (no message object)"),
        ('{"status": "ok", "message-type": "work-list", "message": {}}', "its type is 'work-list'"),
        (answer(title=[]), "Crossref's record of DOI 10.1038/srep16696 has no title"),
        (answer(DOI="10.1000/other"), "answered with DOI '10.1000/other', not 10.1038/srep16696"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_answers_that_are_not_this_work_are_refused(text: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        crossref.read(text, SOURCE, SREP)
    assert str(caught.value).startswith(SOURCE)
    assert says in str(caught.value)


def test_a_doi_answered_in_other_case_is_the_same_doi() -> None:
    (paper,) = crossref.read(answer(DOI="10.1038/SREP16696"), SOURCE, SREP).papers
    assert paper.doi == SREP
