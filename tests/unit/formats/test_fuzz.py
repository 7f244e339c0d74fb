"""Arbitrary input to every importer ends in papers or a clear error, never a crash.

Each format's own tests fuzz it with format-shaped text; this one goes through
the registry exactly as `shelf import` does (bytes -> decode -> reader), for
every reader, so a newly registered format is fuzzed from the day it exists.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelf import formats
from shelf.domain import ParseResult, ShelfError

READER_NAMES = [reader.name for reader in formats.READERS]
_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _import(data: bytes, name: str) -> ParseResult | ShelfError:
    try:
        text = formats.decode(data, "fuzz")
        reader = formats.reader_for(f"fuzz.{name}", text, forced=name)
        return reader.read(text, "fuzz")
    except ShelfError as error:  # the one acceptable failure: a clear, user-facing error
        return error


@pytest.mark.parametrize("name", READER_NAMES)
@_FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes(name: str, data: bytes) -> None:
    outcome = _import(data, name)
    if isinstance(outcome, ParseResult):
        assert all(paper.title.strip() for paper in outcome.papers)
    else:
        assert str(outcome).strip() and "\n" not in str(outcome)


@pytest.mark.parametrize("name", READER_NAMES)
@_FUZZ
@given(text=st.text(max_size=2000))
def test_arbitrary_text(name: str, text: str) -> None:
    outcome = _import(text.encode("utf-8", "surrogatepass"), name)
    assert isinstance(outcome, ParseResult | ShelfError)


@_FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(sorted(formats.KNOWN_EXTENSIONS)))
def test_choosing_the_reader_never_crashes(data: bytes, suffix: str) -> None:
    try:
        text = formats.decode(data, "f")
        formats.reader_for(f"file{suffix}", text).read(text, f"file{suffix}")
    except ShelfError:
        pass
