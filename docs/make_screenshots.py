"""Make the README's pictures from the app itself: python docs/make_screenshots.py

The demo library is built in a temporary folder, a few papers are triaged, tagged
and noted, and the app is driven by Textual's Pilot at 120x40 and 80x24, with the
help and stats screens open in two more. Each screen is saved as SVG, then as PNG
with ``rsvg-convert`` (Debian's librsvg2-bin) when it is installed.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from shelf.domain import Status
from shelf.library import Library, build_demo
from shelf.tui.app import ShelfApp

OUT = Path(__file__).parent / "screenshots"
#: (file name, terminal size, keys pressed once the list is shown)
SHOTS: list[tuple[str, tuple[int, int], list[str]]] = [
    ("main-120x40", (120, 40), []),
    ("main-80x24", (80, 24), []),
    ("help", (120, 40), ["question_mark"]),
    ("stats", (100, 30), ["S"]),
]


async def _shoot(library_dir: Path, size: tuple[int, int], keys: list[str]) -> str:
    with Library.open(library_dir) as library:
        app = ShelfApp(library)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("slash", *"continual", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause(0.5)  # the related papers, looked up once the cursor rests
            await app.workers.wait_for_complete()
            await pilot.press(*keys)
            await pilot.pause(0.2)
            return app.export_screenshot(title="shelf")


def _prepare(library_dir: Path) -> None:
    with build_demo(library_dir) as library:
        entries = library.search("continual").entries
        note = "Compare with EWC; read section 4."
        library.update(entries[0].id, status=Status.READING, starred=True,
                       add_tags=["reading-group"], notes=note)  # fmt: skip
        library.update(entries[1].id, status=Status.TO_READ, add_tags=["reading-group"])
        library.update(entries[2].id, status=Status.READ)
        library.update(entries[3].id, status=Status.SKIPPED)


def make(out: Path = OUT) -> list[Path]:
    """Write every picture as SVG (and PNG when rsvg-convert is there); returns the SVGs."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        library_dir = Path(scratch) / "library"
        _prepare(library_dir)
        for name, size, keys in SHOTS:
            svg = out / f"{name}.svg"
            svg.write_text(asyncio.run(_shoot(library_dir, size, keys)), encoding="utf-8")
            written.append(svg)
            if converter := shutil.which("rsvg-convert"):
                subprocess.run([converter, str(svg), "-o", str(svg.with_suffix(".png"))],
                               check=True)  # fmt: skip
    return written


if __name__ == "__main__":
    for path in make():
        print(path)
    if not shutil.which("rsvg-convert"):
        print("rsvg-convert not found: SVGs only (apt install librsvg2-bin)", file=sys.stderr)
