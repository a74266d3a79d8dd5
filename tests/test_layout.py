"""DEVELOPERS.md's table of where each part lives is the package as it is: a row for every
folder and top-level module, bottom up in the import-linter contract's order, each
folder's row naming every module it holds (a command's module is named by cli.py's
table instead) and no module it does not."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT
from socialmission.cli import GROUPS
from socialmission.model import paths

PACKAGE = ROOT / "scripts" / "socialmission"
ENTRY_POINTS = {"__init__.py", "__main__.py"}  # the package itself, `python -m`


def table() -> dict[str, str]:
    """The layout table's rows: the first cell (a folder `x/` or a module `x.py`) -> the second."""
    lines = (ROOT / paths.DEVELOPERS_GUIDE).read_text(encoding="utf-8").splitlines()
    start = lines.index("| layer | what it holds |")
    rows: dict[str, str] = {}
    for line in lines[start + 2:lines.index("", start)]:
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        assert len(cells) == 2, line
        name = cells[0].strip("`")
        assert name not in rows, f"{name} has two rows"
        rows[name] = cells[1]
    return rows


def parts() -> set[str]:
    """The package's folders (`x/`) and top-level modules (`x.py`)."""
    folders = {f"{path.parent.name}/" for path in PACKAGE.glob("*/__init__.py")}
    modules = {path.name for path in PACKAGE.glob("*.py") if path.name not in ENTRY_POINTS}
    return folders | modules


def layers() -> list[set[str]]:
    """The contract's layers, bottom up, each the names of the parts in it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    return [{name.strip() for name in layer.split("|")}
            for layer in reversed(contract["layers"])]


def test_every_part_has_one_row_and_every_row_is_a_part() -> None:
    assert set(table()) == parts()


def test_the_rows_go_bottom_up_as_the_layers_do() -> None:
    order = layers()

    def layer(part: str) -> int:
        name = part.removesuffix("/").removesuffix(".py")
        return next(number for number, names in enumerate(order) if name in names)

    numbers = [layer(part) for part in table()]
    assert numbers == sorted(numbers), list(table())


def test_each_folders_row_names_its_modules_and_no_others() -> None:
    commands = {command.name.replace("-", "_") for _, group in GROUPS for command in group}
    for part, holds in table().items():
        if not part.endswith("/"):
            continue
        folder = PACKAGE / part
        modules = {path.stem for path in folder.glob("*.py") if path.name != "__init__.py"}
        named = set(re.findall(r"`(\w+)\.py`", holds))
        wanted = modules - commands if part == "commands/" else modules
        assert named <= modules, f"{part} names modules it does not hold: {named - modules}"
        assert wanted <= named, f"{part}'s row should name {sorted(wanted - named)}"
