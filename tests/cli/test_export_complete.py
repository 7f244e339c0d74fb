"""An export holds every match, however long the search takes (found by a hostile pass).

``shelf export --query`` ran the interactive search, with its 0.3 s time limit:
on 10,000 papers, five runs of the same export wrote 5,924 to 6,232 of 6,841
matching papers, with exit 0 and no warning. Here the time limit is made to
strike after ten matches, in the real ``shelf`` process (a ``sitecustomize``
module patches Whoosh as it starts): a search's first page is cut short, an
export is not, and neither are the pages past the first that a search asks for.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from support.commands import run

_STRIKE_AFTER_TEN = """
from whoosh import collectors


class StruckAfterTen(collectors.TimeLimitCollector):
    def collect_matches(self):
        for seen, sub_docnum in enumerate(self.child.matches()):
            if seen == 10:
                raise collectors.TimeLimit
            self.child.collect(sub_docnum)


collectors.TimeLimitCollector = StruckAfterTen
"""


def _struck(folder: Path) -> dict[str, str]:
    """The environment of a ``shelf`` whose search time limit strikes after ten matches."""
    (folder / "sitecustomize.py").write_text(_STRIKE_AFTER_TEN, encoding="utf-8")
    paths = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": paths}


def test_an_export_is_never_cut_short_by_the_search_time_limit(
    page_dir: Path, tmp_path: Path
) -> None:
    query = "learning OR transfer"
    everything = json.loads(run("export", "--format", "json", library=page_dir).ok().out)
    expected = len(json.loads(run("search", "--json", "-n", "1000", query,
                                  library=page_dir).ok().out))  # fmt: skip
    assert 10 < expected < len(everything)
    struck = _struck(tmp_path)

    cut = run("search", "--json", query, library=page_dir, env=struck).ok()
    assert len(json.loads(cut.out)) < 20  # the patch bites: a first page is cut short
    exported = run("export", "--format", "json", "--query", query, library=page_dir, env=struck)
    assert len(json.loads(exported.ok().out)) == expected


def test_hits_past_the_first_page_are_never_cut_short(page_dir: Path, tmp_path: Path) -> None:
    query = "learning OR transfer"
    expected = json.loads(run("search", "--json", "-n", "1000", query, library=page_dir).ok().out)
    assert len(expected) > 200
    struck = run("search", "--json", "-n", "1000", query, library=page_dir, env=_struck(tmp_path))
    assert json.loads(struck.out) == expected
