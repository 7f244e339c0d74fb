"""``shelf add`` against slow, redirecting and lying servers on 127.0.0.1, as a real process.

Without the fixes (main of 2026-12-01): with ``timeout = 5`` and a server that
sends one byte a second, ``shelf add`` was still running at 40 s, since the
timeout bounded each socket read, not the request; a redirect to ``ftp://``
was followed; and an answer holding an id nobody asked for was imported.
"""

from __future__ import annotations

import json
from pathlib import Path

from support.arxiv_stub import Stub, config_for, serving
from support.commands import run


def test_a_server_sending_a_byte_at_a_time_meets_the_whole_request_deadline(
    tmp_path: Path,
) -> None:
    stub = Stub(trickle=0.2)  # the answer is ~1 KB: over three minutes at this pace
    with serving(stub) as url:
        config = config_for(tmp_path, url, timeout=2)
        # The run's own timeout (30 s) is the proof: without a deadline for the whole
        # request, the process would still be reading when it ran out.
        line = run("add", "2106.09685", library=tmp_path / "lib", config=config,
                   timeout=30).error()  # fmt: skip
    assert line == (
        f"shelf: the arXiv API at {url.split('/')[2]} did not answer within 2 s; "
        "try again later or raise [arxiv] timeout in the config"
    )
    assert not (tmp_path / "lib").exists()  # nothing fetched, nothing opened


def test_a_redirect_to_ftp_is_not_followed(tmp_path: Path) -> None:
    stub = Stub(redirect="ftp://127.0.0.1/papers.xml")
    with serving(stub) as url:
        line = run("add", "2106.09685", library=tmp_path / "lib",
                   config=config_for(tmp_path, url)).error()  # fmt: skip
    assert "redirected to 'ftp://127.0.0.1/papers.xml', which is not a web address" in line
    assert len(stub.queries) == 1


def test_a_redirect_to_another_web_address_is_followed(tmp_path: Path) -> None:
    with serving(Stub()) as real:
        target = Stub(redirect=real + "?id_list=2106.09685&max_results=1")
        with serving(target) as moved:
            added = run("add", "2106.09685", library=tmp_path / "lib",
                        config=config_for(tmp_path, moved)).ok()  # fmt: skip
    assert added.out.startswith("added 1,")


def test_only_the_papers_asked_for_are_imported(tmp_path: Path) -> None:
    stub = Stub(extra=("2301.00001",))
    with serving(stub) as url:
        added = run("add", "--json", "2106.09685", library=tmp_path / "lib",
                    config=config_for(tmp_path, url)).ok()  # fmt: skip
    report = json.loads(added.out)
    assert report["added"] == 1
    assert any("2301.00001, which was not asked for" in p for p in report["problems"])
    listed = run("list", library=tmp_path / "lib").ok().out
    assert "LoRA" in listed and "Nobody Asked For" not in listed


def test_an_answer_of_only_papers_nobody_asked_for_imports_nothing(tmp_path: Path) -> None:
    stub = Stub(extra=("2301.00001",))
    with serving(stub) as url:
        line = run("add", "2199.00001", library=tmp_path / "lib",
                   config=config_for(tmp_path, url)).error()  # fmt: skip
    assert line == "shelf: arXiv has no paper 2199.00001"
    assert not (tmp_path / "lib").exists()
