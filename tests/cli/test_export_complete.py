"""An export holds every match, however long the search takes (found by a hostile pass).

``shelf export --query`` ran the interactive search, with its 0.3 s time limit:
on 10,000 papers, five runs of the same export wrote 5,924 to 6,232 of 6,841
matching papers, with exit 0 and no warning. Here the time limit is made to
strike after ten matches, in the real ``shelf`` process (a ``sitecustomize``
module patches Whoosh as it starts): a search is cut short, an export is not.
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


def test_an_export_is_never_cut_short_by_the_search_time_limit(
    page_dir: Path, tmp_path: Path
) -> None:
    query = "learning OR transfer"
    everything = json.loads(run("export", "--format", "json", library=page_dir).ok().out)
    expected = len(json.loads(run("search", "--json", "-n", "1000", query,
                                  library=page_dir).ok().out))  # fmt: skip
    assert 10 < expected < len(everything)
    (tmp_path / "sitecustomize.py").write_text(_STRIKE_AFTER_TEN, encoding="utf-8")
    paths = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH", "")) if p)
    struck = {"PYTHONPATH": paths}

    cut = run("search", "--json", "-n", "1000", query, library=page_dir, env=struck).ok()
    assert len(json.loads(cut.out)) < expected  # the patch bites: a search is cut short
    exported = run("export", "--format", "json", "--query", query, library=page_dir, env=struck)
    assert len(json.loads(exported.ok().out)) == expected
