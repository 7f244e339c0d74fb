"""What a refused filter says: the token exactly as typed, escaped, and the filters named
as the README names them (review of the house refactor)."""

from __future__ import annotations

import pytest

from shelf.domain import QuerySyntaxError, parse_query


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("is:\x1bx", "'is:\\x1bx': the is: filters are is:starred and is:new"),
        ("-is:foo", "'-is:foo': the is: filters are is:starred and is:new"),
        ('IS:"a b"', "'IS:\"a b\"': the is: filters are is:starred and is:new"),
        (
            "(status:read OR foo)",
            "'status:read': status:, tag:, is: and list: filters combine with AND only; "
            "put them outside parentheses and OR",
        ),
    ],
)
def test_a_refused_filter_quotes_what_was_typed(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as refused:
        parse_query(query)
    assert str(refused.value) == message
