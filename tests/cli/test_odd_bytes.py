"""Files of a byte or two: what the decoding of imports and notes makes of them.

A file of the first one or two bytes of a UTF-8 BOM ("\\xef", "\\xef\\xbb") is no
UTF-8: Python's utf-8-sig decoder, fed it piece by piece, waits for the rest of
the BOM even at the end, and took the file for empty text; decoding it whole
then failed, and ``shelf set --note-file`` ended in a UnicodeDecodeError
traceback (found by the fuzz test of every reader).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.commands import run
from support.paths import PAGE_COPY


@pytest.mark.parametrize("data", [b"\xef", b"\xef\xbb"])
def test_a_cut_bom_is_read_as_the_bytes_it_is(tmp_path: Path, data: bytes) -> None:
    library = tmp_path / "library"
    run("import", str(PAGE_COPY), library=library).ok()
    paper_id = json.loads(run("list", "--json", "-n", "1", library=library).ok().out)[0]["id"]
    note = tmp_path / "note.txt"
    note.write_bytes(data)

    run("set", paper_id, "--note-file", str(note), library=library).ok()

    shown = json.loads(run("show", "--json", paper_id, library=library).ok().out)
    assert shown["notes"] == data.decode("cp1252")
    imported = tmp_path / "papers.txt"
    imported.write_bytes(data)
    line = run("import", str(imported), library=library).error()
    assert "not a known kind of file" in line
