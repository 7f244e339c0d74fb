"""Opening the index reads its files where they are mapped: nothing is copied whole.

Whoosh handed each part of a segment file to its readers through a BytesIO,
which copied the part: opening a searcher copied every segment's postings into
the process (about 170 MB at 100,000 papers). What opening allocates is
measured with tracemalloc, which counts the copy and not the mapped pages.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from shelf.library import Library
from shelf.paths import INDEX_DIR


def test_opening_the_index_copies_none_of_its_files(page_dir: Path) -> None:
    on_disk = sum(path.stat().st_size for path in (page_dir / INDEX_DIR).glob("*.seg"))
    assert on_disk > 500_000  # the 236 papers' postings, and more
    with Library.open(page_dir) as library:
        tracemalloc.start()
        try:
            found = library.search("transfer learning").entries  # opens the index
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert found
    assert peak < on_disk / 2, (peak, on_disk)  # with the copy: 1.3 times on_disk
