"""Ranking as ``shelf search`` shows it, on the real page copy.

``adapter`` listed "Rapid Network Adaptation" above "Adapters: A Unified
Library": both share the stem "adapt", and the shorter title won.
"""

from __future__ import annotations

import re
from pathlib import Path

from support.commands import run


def titles(out: str) -> list[str]:
    return [line.split(maxsplit=2)[2] for line in out.splitlines()]


def test_papers_with_the_word_as_typed_come_before_those_sharing_its_stem(page_dir: Path) -> None:
    listed = titles(run("search", "adapter", library=page_dir).ok().out)
    as_typed = [i for i, title in enumerate(listed) if re.search(r"(?i)\badapters?\b", title)]
    stem_only = [i for i, title in enumerate(listed) if re.search(r"(?i)\badapt(ation)?\b", title)]
    assert listed[0].startswith("Adapters: A Unified Library")
    assert as_typed and stem_only
    assert max(as_typed) < min(stem_only)
