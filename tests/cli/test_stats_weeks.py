"""``shelf stats`` and the app's stats screen (``S``): by status, per week, top tags
(issue 12, point 7)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from shelf.library import Library
from shelf.tui.app import ShelfApp
from shelf.tui.screens.stats import StatsScreen
from support.commands import run
from support.tui import screen_text, settle


def _spread_over_weeks(library: Path) -> None:
    """30 papers added three weeks ago, 10 twenty weeks ago (too old to count), the rest
    now; 5 read three weeks ago and 2 this week."""
    now = datetime.now(UTC)
    three_weeks, twenty_weeks = now - timedelta(days=21, hours=1), now - timedelta(weeks=20)
    with closing(sqlite3.connect(library / "library.db")) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM papers ORDER BY id")]
        for paper_id in ids[:30]:
            db.execute("UPDATE papers SET added_at = ? WHERE id = ?",
                       (three_weeks.isoformat(), paper_id))  # fmt: skip
        for paper_id in ids[30:40]:
            db.execute("UPDATE papers SET added_at = ? WHERE id = ?",
                       (twenty_weeks.isoformat(), paper_id))  # fmt: skip
        for paper_id, when in [*((i, three_weeks) for i in ids[:5]), *((i, now) for i in ids[5:7])]:
            db.execute("UPDATE papers SET status = 'read', read_at = ? WHERE id = ?",
                       (when.isoformat(), paper_id))  # fmt: skip
        db.execute("INSERT INTO tags (paper_id, tag) VALUES (?, 'group'), (?, 'group'), (?, 'x')",
                   (ids[0], ids[1], ids[2]))  # fmt: skip
        db.commit()


def test_stats_counts_the_papers_added_and_read_in_each_of_the_last_12_weeks(
    page_dir: Path,
) -> None:
    _spread_over_weeks(page_dir)
    stats = json.loads(run("stats", "--json", library=page_dir).ok().out)
    assert stats["added_per_week"] == [0] * 8 + [30, 0, 0, 196]
    assert stats["read_per_week"] == [0] * 8 + [5, 0, 0, 2]
    lines = run("stats", library=page_dir).ok().lines
    assert lines[0] == "236 papers, 0 starred"
    assert lines[1] == "  inbox       229  " + "█" * 40  # the longest bar
    assert lines[4] == "  read          7  " + "█"  # 7/229 of 40, rounded
    assert lines[6] == "the last 12 weeks, oldest first:"
    assert lines[7] == "  added       226  ········▂··█"
    assert lines[8] == "  read          7  ········█··▄"
    assert lines[9] == "top tags: group (2), x (1)"


async def test_S_shows_the_same_figures_in_the_app(page_dir: Path) -> None:
    _spread_over_weeks(page_dir)
    with Library.open(page_dir) as library:
        app = ShelfApp(library)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("S")
            await settle(pilot)
            assert isinstance(app.screen, StatsScreen)
            shown = screen_text(app)
            await pilot.press("escape")
            assert not isinstance(app.screen, StatsScreen)
    assert "236 papers" in shown
    assert "added  226  ········▂··█" in shown
    assert "read   7    ········█··▄" in shown
    assert "Top tags: group (2), x (1)" in shown


def test_times_after_now_count_in_no_week(page_dir: Path) -> None:
    # Found by the hostile pass: papers imported with added_at/read_at in 2099 or 9999
    # were counted as added and read this week.
    with closing(sqlite3.connect(page_dir / "library.db")) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM papers ORDER BY id")]
        for paper_id, when in zip(ids[:2], ("2099-01-01T00:00:00+00:00",
                                            "9999-12-31T00:00:00+00:00"), strict=True):  # fmt: skip
            db.execute("UPDATE papers SET added_at = ?, status = 'read', read_at = ? "
                       "WHERE id = ?", (when, when, paper_id))  # fmt: skip
        db.commit()
    stats = json.loads(run("stats", "--json", library=page_dir).ok().out)
    assert stats["added_per_week"][-1] == 234 and stats["read_per_week"] == [0] * 12


def test_times_with_any_offset_or_none_are_kept_in_utc(tmp_path: Path) -> None:
    # Found by the second hostile pass: times were stored with the offset a file gave
    # them, yet compared as text, so "added" sorted them wrongly and stats counted a
    # time 10 h ahead as this week; a time with no offset made stats a traceback.
    now = datetime.now(UTC)
    two_hours_ago = (now - timedelta(hours=2)).astimezone(timezone(timedelta(hours=14)))
    ahead = (now + timedelta(hours=10)).astimezone(timezone(timedelta(hours=-12)))
    records = [
        {"title": "A, added first, written at +09:00", "status": "inbox",
         "added_at": "2026-11-06T10:00:00+09:00"},
        {"title": "B, added second", "status": "inbox", "added_at": "2026-11-06T05:00:00+00:00"},
        {"title": "C, read two hours ago", "status": "read", "added_at": "2026-10-01T00:00:00",
         "read_at": two_hours_ago.isoformat()},
        {"title": "D, from the future", "status": "read", "added_at": ahead.isoformat(),
         "read_at": ahead.isoformat()},
    ]  # fmt: skip
    source = tmp_path / "times.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    library = tmp_path / "library"
    run("import", str(source), library=library).ok()
    added = json.loads(run("list", "--sort", "added", "--json", library=library).ok().out)
    assert [paper["title"][0] for paper in added] == ["D", "B", "A", "C"]
    stats = json.loads(run("stats", "--json", library=library).ok().out)
    assert stats["read_per_week"][-1] == 1 and stats["added_per_week"][-1] == 0
