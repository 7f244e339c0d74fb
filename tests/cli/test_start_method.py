"""A large import builds its index in forked workers on every platform.

Whoosh starts its index workers with the platform's default way of starting
processes. Where that is "spawn" (macOS) or a fork server (Linux from Python
3.14), the worker is pickled, and Whoosh's is not picklable: every import of
5,000 papers or more ended in "the search index is damaged (TypeError)", and
every command after it failed the same way. Here a ``sitecustomize`` makes the
real ``shelf`` process start processes by spawning, as on macOS.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from support.commands import run


def test_a_large_import_is_indexed_where_processes_are_spawned(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import multiprocessing\nmultiprocessing.set_start_method('spawn', force=True)\n",
        encoding="utf-8",
    )
    paths = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    papers = [{"title": f"Adapters for task {n}", "year": 2020} for n in range(5000)]
    path = tmp_path / "papers.json"
    path.write_text(json.dumps(papers), encoding="utf-8")
    library = tmp_path / "library"

    report = run("import", "--json", str(path), library=library, env={"PYTHONPATH": paths}).ok()

    assert json.loads(report.out)["added"] == 5000
    assert "damaged" not in report.err
    found = run("search", "--json", "task 4321", library=library, env={"PYTHONPATH": paths})
    titles = [entry["title"] for entry in json.loads(found.ok().out)]
    assert titles[:1] == ["Adapters for task 4321"]
