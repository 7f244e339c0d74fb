"""``[searches]`` in config.toml: name = "query", kept in file order, checked like a setting."""

from __future__ import annotations

import re

import pytest

from shelf.config import Settings, parse_settings
from shelf.domain import ConfigError
from support.paths import SAMPLE_CONFIG


def test_searches_keep_the_file_order_beside_the_search_section() -> None:
    settings = parse_settings(
        '[search]\nlimit = 50\n\n[searches]\nzeta = "z"\nalpha = "tag:a -status:read"\n'
    )
    assert list(settings.searches.items()) == [("zeta", "z"), ("alpha", "tag:a -status:read")]
    assert settings.search_limit == 50
    assert Settings().searches == {}


def test_the_samples_searches_example_is_a_valid_config() -> None:
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    section = text.split("[searches]\n", 1)[1]
    examples = [line[2:] for line in section.splitlines() if re.match(r"^# [\w-]+ = \"", line)]
    assert len(examples) == 2
    settings = parse_settings("[searches]\n" + "\n".join(examples) + "\n")
    assert list(settings.searches) == ["reading-group", "inbox-ml"]


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("x = true", "expected a query as a string, got True"),
        ("x = { query = 'a' }", "expected a query as a string"),
        ('x = "  "', "the query is empty"),
        ('x = "tag:a OR status:read"', "filters combine with AND only"),
        ('" padded" = "a"', "a name is one line of visible characters, no outer spaces"),
    ],
)
def test_a_bad_search_names_its_line_and_key(line: str, says: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_settings(f"[searches]\n{line}\n", "config.toml")
    assert str(raised.value).startswith("config.toml:2: searches.")
    assert says in str(raised.value) and "\n" not in str(raised.value)
