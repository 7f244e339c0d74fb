"""A search while another process holds the index never claims that nothing matches.

A helper process holds the Whoosh write lock (as a long import in another
terminal does) while ``shelf import`` adds papers: they are saved in the
database but cannot be indexed yet. Every command then says so, ``shelf
search`` for a new paper fails with one line instead of "no papers match"
with exit 0, a search that does find older papers notes that some are
missing, and once the lock is free the next command indexes the rest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support.commands import run

HOLDER = r"""
import sys
from whoosh import index
writer = index.open_dir(sys.argv[1]).writer()
print("holding", flush=True)
sys.stdin.read()
writer.cancel()
"""


@contextmanager
def index_held(library: Path) -> Iterator[None]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(library / "index")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        yield
    finally:
        holder.communicate("", timeout=30)


def test_a_search_while_the_index_is_busy_says_so(page_dir: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.json"
    new.write_text(json.dumps([{"title": "Wombat Locomotion Explained"}]), encoding="utf-8")

    with index_held(page_dir):
        imported = run("import", str(new), library=page_dir).ok()
        assert imported.out.startswith("added 1,")
        assert "not up to date yet: another shelf process is writing" in imported.err

        missing = run("search", "wombat", library=page_dir)
        line = missing.error()
        assert "1 paper(s) are not indexed yet" in line
        found = run("search", "adapters", library=page_dir).ok()
        assert "AdapterFusion" in found.out
        assert "1 paper(s) are not indexed yet" in found.err
        listed = run("list", library=page_dir).ok()  # the database answers at once
        assert "Wombat Locomotion Explained" in listed.out

    after = run("search", "wombat", library=page_dir).ok()
    assert "Wombat Locomotion Explained" in after.out
    assert after.err == ""
