"""A query of only excluded words lists every paper but those (found by hostile passes).

``-transfer`` alone, or after a state filter (``status:inbox -adapters``), listed
every paper: the parser read it as "nothing, but not these", which is no query.
"""

from __future__ import annotations

import json
from pathlib import Path

from support.commands import run


def _count(page_dir: Path, *query: str) -> int:
    return len(json.loads(run("search", "--json", "-n", "1000", *query, library=page_dir).ok().out))


def test_a_word_excluded_alone_lists_every_other_paper(page_dir: Path) -> None:
    everything, transfer = _count(page_dir, "the"), _count(page_dir, "transfer")
    assert 0 < transfer < everything
    assert _count(page_dir, "--", "-transfer") == everything - transfer
    assert _count(page_dir, "NOT transfer") == everything - transfer


def test_an_excluded_word_after_a_state_filter_excludes(page_dir: Path) -> None:
    inbox = _count(page_dir, "status:inbox")
    adapters = _count(page_dir, "status:inbox", "adapters")
    assert 0 < adapters < inbox
    assert _count(page_dir, "status:inbox -adapters") == inbox - adapters


def test_rev_is_not_a_field_to_search(page_dir: Path) -> None:
    # ``rev`` is bookkeeping the index stores; a query naming it is read as words.
    result = run("search", "rev:1", library=page_dir)
    assert result.code == 0, result.err
