"""The package's shape, as the style asks it: no function over 60 lines, no two places
sharing six or more lines of the same shape, and no docstring or comment naming a module
that does not exist. Each exception is named below with its reason.

pylint's duplicate-code check compares the lines of different files only, as written;
the copies this test was written for are mostly within one file and differ in their
names and words. So they are found here with the standard library: each logical line (a
statement, or a compound statement's header) is reduced to its shape, and any WINDOW
consecutive shapes found in two places are reported with both. What a shape passes over,
and why, is said above `shapes`."""

from __future__ import annotations

import ast
import io
import keyword
import re
import time
import tokenize
from collections import defaultdict
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "scripts" / "socialmission"
SCRIPTS = ROOT / "scripts"

FUNCTION_MAX = 60  # lines of a function or method, from its `def` to its last line
WINDOW = 6  # consecutive logical lines that make a copy

# (module, function) -> why it may be longer than FUNCTION_MAX
LONG_FUNCTIONS: dict[tuple[str, str], str] = {}

# (module, module), in sorted order -> why the two may share lines of one shape
COPIES: dict[tuple[str, str], str] = {}


def _modules(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


# --- no function over FUNCTION_MAX lines -----------------------------------------------------
def long_functions(root: Path) -> dict[tuple[str, str], int]:
    """(module, function) -> lines, for every function or method over FUNCTION_MAX."""
    found: dict[tuple[str, str], int] = {}
    for path in _modules(root):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_MAX:
                    found[path.relative_to(root).as_posix(), node.name] = length
    return found


def test_no_function_is_over_the_limit() -> None:
    found = long_functions(PACKAGE)
    over = {f"{module} {name}: {length} lines" for (module, name), length in found.items()
            if (module, name) not in LONG_FUNCTIONS}
    assert not over, f"split these (at most {FUNCTION_MAX} lines each): {sorted(over)}"
    stale = set(LONG_FUNCTIONS) - set(found)
    assert not stale, f"these are no longer over the limit: remove their exception {stale}"


def test_a_long_function_is_found(tmp_path: Path) -> None:
    body = "".join(f"        x{n} = {n}\n" for n in range(FUNCTION_MAX - 1))
    (tmp_path / "fits.py").write_text(f"class C:\n    def fits(self):\n{body}")
    (tmp_path / "over.py").write_text(f"class C:\n    def over(self):\n{body}        y = 1\n")
    assert long_functions(tmp_path) == {("over.py", "over"): FUNCTION_MAX + 1}


# --- no two places sharing WINDOW lines of one shape -------------------------------------------
# What a line's shape passes over, and why:
# - blank lines, comments and docstrings: they say, they do not do;
# - imports: two modules importing alike are not a copy;
# - declarations, an assignment or annotation directly in a module or a class body (a
#   constant, a dataclass's field, a table): each states one fact by its name, so a run of
#   them is alike by design, and writing one as a loop would hide the facts. A table's
#   rows are inside its one logical line and never compared;
# - a function that only returns one expression (its docstring aside), with its
#   decorators: a named expression is a declaration too (model/paths.py's addresses).
# Names, strings (an implicitly joined run is one), numbers, True, False and None are
# placeholders: a copy with other names and words is still a copy.
_LITERALS = frozenset({"True", "False", "None"})
_SKIPPED = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER})


def _named_expressions(text: str) -> set[int]:
    """The lines that start each function of `text` that only returns one expression:
    its decorators, its `def` and its `return`."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            if len(body) == 1 and isinstance(body[0], ast.Return):
                lines.update(decorator.lineno for decorator in node.decorator_list)
                lines.update((node.lineno, body[0].lineno))
    return lines


def shapes(text: str) -> list[tuple[int, str]]:
    """(first line, shape) of each logical line of `text` that is not passed over."""
    declared = _named_expressions(text)
    found: list[tuple[int, str]] = []
    blocks: list[str] = []  # the kind of each enclosing block: "class", "def" or "other"
    opened = "other"  # the kind of block the last logical line opens
    line: list[str] = []
    start = 0
    after_block = True  # the next logical line is a block's (or the file's) first
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        kind, string = token.type, token.string
        if kind in _SKIPPED:
            continue
        if kind == tokenize.INDENT:
            blocks.append(opened)
            continue
        if kind == tokenize.DEDENT:
            blocks.pop()
            continue
        if kind != tokenize.NEWLINE:
            if not line:
                start = token.start[0]
            line.append(_placeholder(kind, string, line))
            continue
        if not _passed_over(line, blocks, after_block) and start not in declared:
            found.append((start, " ".join(line)))
        after_block = line[-1] == ":"
        opened = line[0] if line[0] in ("class", "def") else \
            "def" if line[:2] == ["async", "def"] else "other"
        line = []
    return found


def _placeholder(kind: int, string: str, line: list[str]) -> str:
    if kind == tokenize.STRING:
        return "" if line and line[-1] in ("S", "") else "S"  # "" is a joined string's
    if kind == tokenize.NUMBER or string in _LITERALS:
        return "0"
    if kind == tokenize.NAME and not keyword.iskeyword(string):
        return "N"
    return string


def _passed_over(line: list[str], blocks: list[str], after_block: bool) -> bool:
    line[:] = [part for part in line if part]
    if line[0] in ("import", "from") or (after_block and line == ["S"]):
        return True
    declared_here = not blocks or blocks[-1] == "class"
    return declared_here and line[0] == "N" and _assigns(line)


def _assigns(line: list[str]) -> bool:
    """Whether a logical line's shape is an assignment or an annotation (an `=` or `:` outside
    brackets; `==` and `:=` are other tokens)."""
    depth = 0
    for part in line:
        if part in ("(", "[", "{"):
            depth += 1
        elif part in (")", "]", "}"):
            depth -= 1
        elif depth == 0 and part in ("=", ":"):
            return True
    return False


def copies(root: Path) -> list[tuple[str, int, str, int, int]]:
    """Every two places sharing WINDOW or more consecutive lines of one shape, as (module,
    line, other module, line, how many lines), each run once."""
    lines: dict[str, list[tuple[int, str]]] = {}
    places: defaultdict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for path in _modules(root):
        module = path.relative_to(root).as_posix()
        lines[module] = shapes(path.read_text(encoding="utf-8"))
        for index in range(len(lines[module]) - WINDOW + 1):
            window = tuple(shape for _, shape in lines[module][index:index + WINDOW])
            places[window].append((module, index))
    pairs: set[tuple[str, int, str, int]] = set()
    for found in places.values():
        for first, (module, index) in enumerate(found):
            for other, other_index in found[first + 1:]:
                if module != other or other_index - index >= WINDOW:
                    pairs.add((module, index, other, other_index))
    runs = []
    for module, index, other, other_index in sorted(pairs):
        if (module, index - 1, other, other_index - 1) in pairs:
            continue  # inside a run already counted
        length = WINDOW
        while (module, index + length - WINDOW + 1, other, other_index + length - WINDOW + 1) \
                in pairs:
            length += 1
        runs.append((module, lines[module][index][0], other, lines[other][other_index][0],
                     length))
    return runs


def test_no_two_places_share_lines_of_one_shape() -> None:
    started = time.process_time()  # the machine's other work aside
    found = copies(PACKAGE)
    seconds = time.process_time() - started
    excepted = {(module, other) for module, _, other, _, _ in found
                if (module, other) in COPIES}
    left = [f"{module}:{line} and {other}:{other_line} ({length} lines)"
            for module, line, other, other_line, length in found
            if (module, other) not in COPIES]
    assert not left, ("these places share lines of one shape: make the shared part one "
                      f"function: {left}")
    stale = set(COPIES) - excepted
    assert not stale, f"these no longer share lines: remove their exception {stale}"
    assert seconds < 5, f"the search took {seconds:.1f} s"


COPY = '''
def {name}(path: str, limit: int) -> str | None:
    """{docstring}"""
    found = lookup(path)  # {comment}
    if found is None:
        return {none}

    low, high = found
    return f"{{path}} is between {{low}} and {{high}}, at most {limit}"
'''


def test_a_copy_with_other_names_and_words_is_found(tmp_path: Path) -> None:
    (tmp_path / "one.py").write_text(COPY.format(name="first", docstring="One.", comment="a",
                                                 none="None", limit=3))
    (tmp_path / "two.py").write_text(
        "import os\n\nLIMIT = 1\n" + COPY.format(name="second", docstring="Two\nlines.",
                                                 comment="b", none="False", limit=99))
    assert copies(tmp_path) == [("one.py", 2, "two.py", 5, 6)]


def test_declarations_and_docstrings_are_not_copies(tmp_path: Path) -> None:
    constants = "".join(f'NAME_{n}: Final = "value {n}"  # {n}\n' for n in range(8))
    fields = "".join(f"    field_{n}: int = {n}\n" for n in range(8))
    addresses = "".join(f'@cache\ndef path_{n}(slug: str) -> str:\n    """The {n}th."""\n'
                        f'    return f"folder/{{slug}}/{n}"\n\n\n' for n in range(4))
    (tmp_path / "one.py").write_text(f"{constants}\n\nclass One:\n{fields}\n\n{addresses}")
    (tmp_path / "two.py").write_text(f"{addresses}class Two:\n{fields}\n\n{constants}")
    assert copies(tmp_path) == []


# --- no module named that does not exist -------------------------------------------------------
# A module named in a docstring or comment: a path of the package's folders ending in
# `.py`, or a bare `name.py`, relative to the package, scripts/ or the repository; or a
# module of the package without its `.py` (`check/rules`), which may also be a folder or
# a file of the repository (`site/overrides`, `site/about.md`).
_MODULE = re.compile(r"(?<![\w/.-])((?:[a-z_]+/)*[a-z_][a-z0-9_]*\.py)\b"
                     r"|(?<![\w/.-])((?:changes|check|github|mkdocs|model|ownership|render|site)"
                     r"/[a-z_]+)(?![\w/.-])")


def _named_modules(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    found: list[tuple[int, str]] = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in (tokenize.COMMENT, tokenize.STRING):
            found.extend((token.start[0] + token.string[:match.start()].count("\n"),
                          match.group(1) or match.group(2))
                         for match in _MODULE.finditer(token.string))
    return found


def _python_names() -> set[str]:
    """The file names of the repository's Python modules (not its tools' in .venv)."""
    names = {path.name for path in ROOT.glob("*.py")}
    for folder in ("scripts", "tests", "benchmarks"):
        names.update(path.name for path in (ROOT / folder).rglob("*.py"))
    return names


def _exists(name: str, names: set[str]) -> bool:
    """Whether a module named `name` (a path, or a bare file name) is in the repository."""
    if not name.endswith(".py"):
        return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name).is_dir() or \
            any(ROOT.glob(f"{name}*"))
    if "/" in name:
        return any((base / name).is_file() for base in (PACKAGE, SCRIPTS, ROOT))
    return name in names


def missing_modules(modules: list[Path]) -> list[str]:
    """Each module a docstring, comment or string of `modules` names that exists nowhere
    it could mean, as `path:line: name`."""
    names = _python_names()
    return [f"{path}:{line}: {name}" for path in modules
            for line, name in _named_modules(path) if not _exists(name, names)]


def test_every_module_named_exists() -> None:
    assert missing_modules(sorted(SCRIPTS.rglob("*.py"))) == []


def test_a_module_that_does_not_exist_is_found(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text('"""Reads model/paths.py and check/ownership.py."""\n'
                     "# see nowhere_at_all.py and cli.py, check/rules and check/judge\n")
    assert missing_modules([probe]) == [f"{probe}:1: check/ownership.py",
                                        f"{probe}:2: nowhere_at_all.py",
                                        f"{probe}:2: check/judge"]
