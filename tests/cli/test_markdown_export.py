"""``shelf export`` to Markdown as a reading list someone would share (issue 12, point 6).

Seen before: the untriaged inbox sat between To read and Read, skipped papers
were listed, the venue was missing, ``et al\\.`` and ``[title](<url>)`` read
oddly as plain text, nothing said when or what was exported, and a missing
folder could only be an error.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from support.commands import run
from support.paths import FIXTURES


def _headings(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, re.MULTILINE)


def _triage(library: Path) -> list[str]:
    """Give three papers of the page copy a status each; returns their ids."""
    listed = json.loads(run("list", "--json", library=library).ok().out)
    ids = [paper["id"] for paper in listed[:3]]
    for paper_id, status in zip(ids, ("reading", "read", "skipped"), strict=True):
        run("set", paper_id, "--status", status, library=library).ok()
    return ids


def test_sections_come_in_reading_order_and_skipped_papers_are_left_out(page_dir: Path) -> None:
    _triage(page_dir)
    text = run("export", library=page_dir).ok().out
    assert _headings(text) == ["Reading (1)", "Read (1)", "Inbox (233)"]
    today = date.today().isoformat()
    assert text.splitlines()[2] == (
        f"235 papers (1 skipped left out), exported from shelf on {today}."
    )


def test_skipped_papers_come_last_when_asked_for(page_dir: Path) -> None:
    _triage(page_dir)
    included = run("export", "--include-skipped", library=page_dir).ok().out
    assert _headings(included) == ["Reading (1)", "Read (1)", "Inbox (233)", "Skipped (1)"]
    only = run("export", "--status", "skipped", library=page_dir).ok().out
    assert _headings(only) == ["Skipped (1)"]
    assert "1 paper (status skipped), exported" in only


def test_other_formats_keep_the_skipped_papers(page_dir: Path) -> None:
    _triage(page_dir)
    exported = json.loads(run("export", "--format", "json", library=page_dir).ok().out)
    assert len(exported) == 236


def test_the_header_names_the_selection(page_dir: Path) -> None:
    ids = _triage(page_dir)
    run("set", ids[0], "--tag", "group", "--star", library=page_dir).ok()
    text = run("export", "--tag", "group", "--starred", "--query", "learning",
               library=page_dir).ok().out  # fmt: skip
    assert "1 paper (tag group, starred, matching 'learning'), exported from shelf on" in text


def test_venue_authors_and_plain_links(library_dir: Path) -> None:
    run("import", str(FIXTURES / "d2l.bib"), library=library_dir).ok()
    text = run("export", library=library_dir).ok().out
    line = next(line for line in text.splitlines() if "Tensor" in line and "system" in line)
    assert line == (
        "- [ ] **TensorFlow: A system for large-scale machine learning** — Martín Abadi, "
        "Paul Barham, Jianmin Chen, et al., 12th USENIX Symposium on Operating Systems "
        "Design and Implementation (OSDI 16), 2016"
    )
    assert "](<" not in text and "et al\\." not in text
    assert re.search(r"\*\*\[[^\]]+\]\(https://arxiv\.org/abs/[^)\s]+\)\*\*", text)


def test_a_missing_folder_is_made_only_with_parents(page_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "lists" / "week 49" / "reading.md"
    error = run("export", "-o", str(target), library=page_dir).error()
    assert error == (
        f"shelf: {target}: the folder {target.parent} does not exist (--parents makes it)"
    )
    assert not target.parent.exists()
    run("export", "--parents", "-o", str(target), library=page_dir).ok()
    assert target.read_text(encoding="utf-8").startswith("# Reading list\n")


def test_to_read_comes_between_reading_and_read(page_dir: Path) -> None:
    # The other tests triage no paper to-read: its place in the order went unchecked.
    _triage(page_dir)  # reading, read, skipped
    listed = json.loads(run("list", "--json", "--status", "inbox", library=page_dir).ok().out)
    run("set", listed[0]["id"], "--status", "to-read", library=page_dir).ok()
    text = run("export", library=page_dir).ok().out
    assert _headings(text) == ["Reading (1)", "To read (1)", "Read (1)", "Inbox (232)"]
