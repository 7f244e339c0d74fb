"""The repository's files that tests read: real fixtures, golden files, the README, the docs."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
SAMPLE_CONFIG = ROOT / "sample_config.toml"

#: Real files in the wild (where each came from: ``fixtures/SOURCES.md``).
FIXTURES = TESTS / "fixtures"
#: The expected output of each writer; regenerated with ``SHELF_UPDATE_GOLDEN=1``.
GOLDEN = TESTS / "golden"

#: The real Hugging Face papers page saved as text: the "page library" of the tests.
PAGE_COPY = FIXTURES / "hf-papers-transfer-learning.txt"
#: How many papers the page copy holds.
PAGE_PAPERS = 236
