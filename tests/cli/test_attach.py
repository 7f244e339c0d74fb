"""``shelf attach ID FILE`` and the PDF ``shelf show`` names: the one ``P`` in the app opens.

The PDF is the first that exists of: the arXiv PDF, the one the imported BibTeX
entry names (Zotero's and JabRef's ``file`` fields, or ``pdf``), the attached file.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from shelf.domain.text import one_line
from support.commands import run

BIB = r"""
@article{zotero, title = {A Zotero paper}, author = {Doe, Jane}, year = {2020},
  file = {Snapshot:files/1/page.html:text/html;Full Text PDF:files/12/x y.pdf:application/pdf}}
@article{jabref, title = {A JabRef paper}, file = {:jab/p\_q.pdf:PDF}}
@article{windows, title = {A Windows paper},
  file = {C\:\\Users\\me\\Zotero\\storage\\23FRV42M\\paper.pdf;C\:\\Users\\me\\x.html}}
@article{pdf, title = {A paper with a pdf field}, pdf = {https://example.org/p.pdf}}
@article{arxiv, title = {An arXiv paper}, eprint = {1706.03762}, archivePrefix = {arXiv},
  file = {:jab/p\_q.pdf:PDF}}
@article{plain, title = {A plain paper}}
"""


@pytest.fixture
def ids(tmp_path: Path, library_dir: Path) -> dict[str, str]:
    """The BibTeX papers imported, by the second word of their title."""
    (tmp_path / "files" / "12").mkdir(parents=True)
    (tmp_path / "files" / "12" / "x y.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "jab").mkdir()
    (tmp_path / "jab" / "p_q.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    run("import", str(tmp_path / "refs.bib"), library=library_dir).ok()
    listed = json.loads(run("list", "--json", library=library_dir).ok().out)
    return {paper["title"].split()[1]: paper["id"] for paper in listed}


def _pdf(library: Path, paper_id: str) -> str | None:
    shown = json.loads(run("show", "--json", paper_id, library=library).ok().out)
    pdf: str | None = shown["pdf"]
    text = run("show", paper_id, library=library).ok().lines
    assert (f"  PDF:     {one_line(pdf or '')}" in text) == (pdf is not None)  # on one line
    return pdf


def test_show_names_the_pdf_the_bibtex_entry_gives_or_the_arxiv_one(
    ids: dict[str, str], library_dir: Path, tmp_path: Path
) -> None:
    assert _pdf(library_dir, ids["Zotero"]) == str(tmp_path / "files" / "12" / "x y.pdf")
    assert _pdf(library_dir, ids["JabRef"]) == str(tmp_path / "jab" / "p_q.pdf")
    assert _pdf(library_dir, ids["paper"]) == "https://example.org/p.pdf"
    assert _pdf(library_dir, ids["arXiv"]) == "https://arxiv.org/pdf/1706.03762"  # first
    assert _pdf(library_dir, ids["Windows"]) is None  # not a file on this machine
    assert _pdf(library_dir, ids["plain"]) is None


@pytest.mark.parametrize("name", ["paper.pdf", "odd 'name' é\t$(x).pdf", "new\nline.pdf"])
def test_attach_keeps_the_absolute_path_and_show_gives_it(
    ids: dict[str, str], library_dir: Path, tmp_path: Path, name: str
) -> None:
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / name).write_bytes(b"%PDF-1.4\n")
    attached = run("attach", ids["plain"], name, library=library_dir, cwd=tmp_path / "here")
    assert attached.ok().out.startswith("attached ")
    assert len(attached.lines) == 1
    assert _pdf(library_dir, ids["plain"]) == str(tmp_path / "here" / name)


def test_an_attached_file_comes_after_the_arxiv_and_imported_pdfs(
    ids: dict[str, str], library_dir: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(b"%PDF-1.4\n")
    for name in ("arXiv", "Zotero", "Windows"):
        run("attach", ids[name], str(mine), library=library_dir).ok()
    assert _pdf(library_dir, ids["arXiv"]) == "https://arxiv.org/pdf/1706.03762"
    assert _pdf(library_dir, ids["Zotero"]) == str(tmp_path / "files" / "12" / "x y.pdf")
    assert _pdf(library_dir, ids["Windows"]) == str(mine)
    mine.unlink()  # gone since: nothing to open
    assert _pdf(library_dir, ids["Windows"]) is None


def test_attach_refuses_what_is_not_a_file_in_one_line(
    ids: dict[str, str], library_dir: Path, tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    plain = ids["plain"]
    cases = {
        "missing.pdf": "shelf: missing.pdf: no such file",
        "folder": "shelf: folder: is a directory, not a file; only a file can be attached",
        "fifo": "shelf: fifo: is a FIFO, not a file; only a file can be attached",
    }
    for name, said in cases.items():
        assert run("attach", plain, name, library=library_dir, cwd=tmp_path).error() == said
    device = run("attach", plain, "/dev/null", library=library_dir).error()
    assert (
        device == "shelf: /dev/null: is a character device, not a file; only a file can be attached"
    )
    assert _pdf(library_dir, plain) is None  # nothing was attached


def test_attach_to_an_unknown_id_says_so(library_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "p.pdf").write_bytes(b"%PDF-1.4\n")
    said = run("attach", "zzzzzz", str(tmp_path / "p.pdf"), library=library_dir).error()
    assert said == "shelf: no paper with id 'zzzzzz' (see `shelf list` for ids)"


def test_the_attachment_goes_with_its_paper_and_comes_back_with_undo(
    ids: dict[str, str], library_dir: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(b"%PDF-1.4\n")
    plain = ids["plain"]
    run("attach", plain, str(mine), library=library_dir).ok()
    run("delete", plain, library=library_dir).ok()
    run("undo", library=library_dir).ok()
    assert _pdf(library_dir, plain) == str(mine)


def test_the_toml_backup_carries_the_pdfs(
    ids: dict[str, str], library_dir: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(b"%PDF-1.4\n")
    run("attach", ids["plain"], str(mine), library=library_dir).ok()
    backup = run("export", "--format", "toml", library=library_dir).ok().out
    papers = {paper["title"]: paper for paper in tomllib.loads(backup)["paper"]}
    assert papers["A plain paper"]["attached"] == str(mine)
    assert papers["A JabRef paper"]["pdf"] == str(tmp_path / "jab" / "p_q.pdf")
    (tmp_path / "state.toml").write_text(backup, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    run("import", str(tmp_path / "state.toml"), library=elsewhere).ok()
    assert _pdf(elsewhere, ids["plain"]) == str(mine)
    assert _pdf(elsewhere, ids["JabRef"]) == str(tmp_path / "jab" / "p_q.pdf")
    assert run("export", "--format", "toml", library=elsewhere).ok().out == backup
