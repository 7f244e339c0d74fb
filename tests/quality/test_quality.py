"""The code gates, run from the one test command: lint, format, types and layer contracts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_ruff_check() -> None:
    # No cache: a file that did not change can still break when a module it imports did.
    result = _run(_tool("ruff"), "check", "--no-cache", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _run(_tool("ruff"), "format", "--no-cache", "--check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = _run(sys.executable, "-m", "mypy", "src/shelf")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts() -> None:
    result = _run(_tool("lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_does_not_load_textual() -> None:
    code = (
        "import sys, shelf.cli, shelf.library;"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = _run(sys.executable, "-c", code)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_benchmark_library_generator_runs(tmp_path: Path) -> None:
    # bench/ is not type-checked with src/: a renamed library verb must still fail a test.
    result = _run(
        sys.executable, "bench/generate.py", "--papers", "60", "--library", str(tmp_path / "lib")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("60 papers in ")
