"""The house rules that keep the code easy to live in, checked on the source itself.

Every module directly under ``shelf/`` is named by every import contract (a new
package left out would be free to import SQLite, Whoosh or Textual unseen),
no module imports itself back through others, and none outgrows 400 lines.
"""

from __future__ import annotations

import pkgutil
import re
import tomllib
from pathlib import Path

import grimp

import shelf
from support.paths import ROOT

PACKAGE = Path(shelf.__file__).parent
#: Each "only X" contract and the one package allowed to import X.
OWNERS = {
    "Only remote/ opens network connections": "shelf.remote",
    "Only search/ imports whoosh": "shelf.search",
    "Only store/ imports sqlite3": "shelf.store",
    "Only tui/ imports Textual": "shelf.tui",
}


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def modules_in(directory: Path, prefix: str) -> set[str]:
    return {prefix + module.name for module in pkgutil.iter_modules([str(directory)])}


def layer_names(contract: dict[str, object]) -> set[str]:
    layers = contract["layers"]
    assert isinstance(layers, list)
    return {name.strip() for layer in layers for name in layer.split("|")}


def test_the_layers_name_every_module_of_shelf() -> None:
    top = modules_in(PACKAGE, "shelf.")
    assert {"shelf.cli", "shelf.store", "shelf.remote", "shelf.paths"} <= top  # found them
    assert layer_names(contracts()["Layers point inward only"]) == top


def test_every_only_contract_names_every_other_module() -> None:
    top = modules_in(PACKAGE, "shelf.")
    found = contracts()
    for name, owner in OWNERS.items():
        sources = found[name]["source_modules"]
        assert isinstance(sources, list)
        assert owner not in sources, name
        assert set(sources) | {owner} == top, name


def test_the_app_layers_name_every_module_of_the_app() -> None:
    app = modules_in(PACKAGE / "tui", "")
    contract = contracts()["In the app, screens compose widgets, and widgets only post messages"]
    assert layer_names(contract) == app


def test_no_import_circle() -> None:
    graph = grimp.build_graph("shelf")
    circles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                circles.append(f"{module} -> {imported}")
    assert circles == []


def test_no_module_is_over_400_lines_and_the_app_over_200() -> None:
    sizes = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert {name: size for name, size in sizes.items() if size > 400} == {}
    assert sizes["tui/app.py"] <= 200


def test_every_query_filter_is_in_the_readme() -> None:
    from shelf.domain.query import OPERATORS

    syntax = (ROOT / "README.md").read_text(encoding="utf-8").split("## Query syntax")[1]
    syntax = syntax.split("\n## ")[0]
    assert [name for name in OPERATORS if f"`{name}:" not in syntax] == []


def test_the_developer_table_names_files_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| to add | open |")[1].split("\n\n")[0]
    named = set(
        re.findall(
            r"`((?:tui|formats|domain|search|store|library|cli)/[\w/]*\.py|config\.py)`", table
        )
    )
    assert len(named) >= 6
    assert [name for name in sorted(named) if not (PACKAGE / name).is_file()] == []
