"""The README's pictures are the app's own, made by docs/make_screenshots.py."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_shows_every_picture_the_script_makes() -> None:
    shown = re.findall(
        r"!\[[^\]]*\]\((docs/screenshots/[^)]+\.png)\)", (ROOT / "README.md").read_text()
    )
    script = _script()
    assert shown == [f"docs/screenshots/{name}.png" for name, _, _ in script.SHOTS]
    for picture in shown:
        assert (ROOT / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", picture


def test_the_script_draws_each_screen_from_the_app(tmp_path: Path) -> None:
    written = _script().make(tmp_path)
    text = {path.stem: path.read_text(encoding="utf-8") for path in written}
    assert "Gradient" in text["main-120x40"] and "Gradient" in text["main-80x24"]
    assert "binding" in text["help"]
    assert "236" in text["stats"] and "weeks" in text["stats"]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_screenshots", ROOT / "docs" / "make_screenshots.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
