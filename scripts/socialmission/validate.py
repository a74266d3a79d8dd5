"""Validate pledges in three phases: each file alone, across files, what rendering needs.

Every problem is reported, none stops the run, and nothing here raises on bad input: a
file that cannot be read as a pledge gets one clear message and is left out of the later
phases (no cascades).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import stat
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import constants as c
from .errors import UsageError
from .layout import check_name_fits
from .mission import Mission
from .pledge import Pledge
from .png import PngError, dimensions
from .problems import Problem
from .rules import Context, check_fields, run
from .text import fold, skeleton
from .urls import site_key
from .yamlsource import Mapping, YamlError, parse

# Reports a problem at (line, column) in the file being read.
Reporter = Callable[[int, int, str], None]

# Files that may sit in pledges/ beside the pledges.
_COMPANIONS = frozenset({c.TEMPLATE_NAME, c.README_NAME, ".gitkeep"})
# Below this many files, one process is faster than starting others (measured: a worker
# costs some 30 ms to fork and to send its pledges back; a file about 0.4 ms).
PARALLEL_MIN_FILES = 500


@dataclass
class Report:
    pledges: list[Pledge] = field(default_factory=list)  # every valid pledge, by slug
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0  # files the caller asked about

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Target:
    path: Path
    reported: bool  # problems in it are reported (it was asked about)


def today() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names, for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH must be a Unix time in seconds: "
                             f"got {epoch!r}") from None
    return dt.datetime.now(tz=dt.UTC).date()


def validate(paths: Iterable[Path], mission: Mission,
             on: dt.date | None = None, *, workers: int | None = 1) -> Report:
    """Check the given pledge files and folders (and compare them with their neighbours).

    `workers` processes read the files (None: one per core); the report is the same
    whatever their number."""
    report = Report()
    targets = _discover(paths, report)
    report.checked = sum(t.reported for t in targets)
    day = on or today()
    pledges: list[tuple[Pledge, bool]] = []
    render: list[Problem] = []
    for target, (problems, pledge, render_problems) in zip(
            targets, _each_file(targets, mission, day, workers), strict=True):
        if target.reported:
            report.problems.extend(problems)
            render.extend(render_problems)
        if pledge is not None:
            pledges.append((pledge, target.reported))
    report.problems.extend(_across_files(pledges))
    report.problems.extend(render)
    report.problems.sort()
    failed = {p.path for p in report.problems}
    report.pledges = sorted((p for p, _ in pledges if str(p.path) not in failed),
                            key=lambda p: p.slug)
    return report


# What phases 1 and 3 find in one file: its problems, the pledge, what rendering needs.
_FileResult = tuple[list[Problem], Pledge | None, list[Problem]]
_job: tuple[Mission, dt.date] | None = None  # what a forked worker checks against


def _each_file(targets: list[_Target], mission: Mission, day: dt.date,
               workers: int | None) -> Iterator[_FileResult]:
    """Phases 1 and 3 for every file, in order; on several cores when there are many."""
    global _job  # noqa: PLW0603 - set before the fork, read only in the workers
    count = min(workers or os.cpu_count() or 1, -(-len(targets) // PARALLEL_MIN_FILES))
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for target in targets:
            yield _check_file(target, mission, day)
        return
    _job = (mission, day)
    try:
        # fork: the workers inherit the loaded fonts, suffix list and confusables
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_check_forked, targets,
                                chunksize=max(1, len(targets) // (count * 4)))
    finally:
        _job = None


def _check_forked(target: _Target) -> _FileResult:
    assert _job is not None
    return _check_file(target, *_job)


def _check_file(target: _Target, mission: Mission, day: dt.date) -> _FileResult:
    problems: list[Problem] = []
    pledge = read_pledge(target.path, mission, day, problems)
    render = list(_for_rendering(pledge)) if pledge is not None and target.reported else []
    return problems, pledge, render


# --- discovery -------------------------------------------------------------------------
def _discover(paths: Iterable[Path], report: Report) -> list[_Target]:
    asked: dict[Path, bool] = {}
    for path in paths:
        try:
            info = path.lstat()
        except OSError:
            raise UsageError(f"{path}: no such file or folder") from None
        if stat.S_ISDIR(info.st_mode):
            for entry in _folder_entries(path, report, reported=True):
                asked[entry] = True
        else:
            asked[path] = True
            for entry in _folder_entries(path.parent, report, reported=False):
                asked.setdefault(entry, False)
    return [_Target(path, reported) for path, reported in sorted(asked.items())]


def _folder_entries(folder: Path, report: Report, reported: bool) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        raise UsageError(f"{folder}: cannot list the folder: {error.strerror}") from None
    for entry in entries:
        path = folder / entry.name
        if entry.name.endswith(c.PLEDGE_SUFFIX):
            yield path
        elif not reported or entry.name in _COMPANIONS or (
                entry.name == c.LOGO_DIR and entry.is_dir(follow_symlinks=False)):
            continue
        elif entry.name.endswith(".yml"):
            report.problems.append(Problem(
                str(path), 0, 0, f"pledge files end in '{c.PLEDGE_SUFFIX}': rename it to "
                                 f"{entry.name[:-4]}{c.PLEDGE_SUFFIX}"))
        else:
            report.problems.append(Problem(
                str(path), 0, 0, f"only pledges ('<slug>{c.PLEDGE_SUFFIX}') belong in this "
                                 f"folder (logos go in {c.LOGO_DIR}/): move or delete it"))


# --- phase 1: each file alone ------------------------------------------------------------
def read_pledge(path: Path, mission: Mission, day: dt.date,
                problems: list[Problem]) -> Pledge | None:
    """Read, parse and check one pledge file; append its problems."""
    where = str(path)

    def problem(line: int, column: int, message: str) -> None:
        problems.append(Problem(where, line, column, message))

    slug = path.name.removesuffix(c.PLEDGE_SUFFIX)
    slug_ok = _check_slug(slug, problem)
    data = _read_capped(path, problem)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problem(line, column, "the file is not UTF-8 text: save it as UTF-8 "
                              f"(byte 0x{data[error.start]:02X} here is not valid)")
        return None
    text = text.removeprefix("\ufeff")
    try:
        root = parse(text)
    except YamlError as error:
        problem(error.line, error.column, error.message)
        return None
    context = Context(slug=slug, pledges_dir=path.parent, mission=mission, today=day)
    findings, values = run(check_fields(root, context))
    for finding in findings:
        problem(finding.line, finding.column, finding.message)
    if values is None or not slug_ok:
        return None
    assert isinstance(root, Mapping)
    positions = {key: (node.line, node.column) for key, (_, node) in root.items.items()}
    return Pledge.from_values(slug, path, values, positions)


def _check_slug(slug: str, problem: Reporter) -> bool:
    """The file name is the slug: 2-64 lower-case letters, digits and single hyphens."""
    if not (c.SLUG_MIN <= len(slug) <= c.SLUG_MAX) or not c.SLUG_RE.match(slug):
        suggestion = "-".join("".join(ch if ch.isascii() and ch.isalnum() else " "
                                      for ch in slug.lower()).split())[: c.SLUG_MAX]
        fix = f": rename it to {suggestion}{c.PLEDGE_SUFFIX}" if (
            len(suggestion) >= c.SLUG_MIN and suggestion not in c.RESERVED_SLUGS) else ""
        problem(0, 0, f"the file name is the signatory's address in the registry, so it "
                      f"must be {c.SLUG_MIN}-{c.SLUG_MAX} lower-case letters, digits and "
                      f"single hyphens{fix}")
        return False
    if slug in c.RESERVED_SLUGS:
        problem(0, 0, f"'{slug}' is reserved for the registry's own pages: choose another "
                      "file name, such as your organisation's full name")
        return False
    return True


def _read_capped(path: Path, problem: Reporter) -> bytes | None:
    """The file's bytes, refusing links, non-files and files over the cap before reading."""
    try:
        info = path.lstat()
    except OSError as error:
        problem(0, 0, f"cannot read the file: {error.strerror}")
        return None
    if stat.S_ISLNK(info.st_mode):
        problem(0, 0, "the file is a symbolic link: commit the pledge itself")
        return None
    if not stat.S_ISREG(info.st_mode):
        problem(0, 0, "this is not a regular file: a pledge is a YAML file")
        return None
    if info.st_size > c.PLEDGE_MAX_BYTES:
        problem(0, 0, f"the file is {info.st_size} bytes; a pledge may be at most "
                      f"{c.PLEDGE_MAX_BYTES} bytes: shorten the statement")
        return None
    if info.st_size == 0:
        problem(0, 0, f"the file is empty: start from pledges/{c.TEMPLATE_NAME}")
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            data = _read_fd(fd, c.PLEDGE_MAX_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as error:
        problem(0, 0, f"cannot read the file: {error.strerror}")
        return None
    if len(data) > c.PLEDGE_MAX_BYTES:  # it grew after lstat
        problem(0, 0, f"the file is over {c.PLEDGE_MAX_BYTES} bytes: shorten it")
        return None
    return data


def _read_fd(fd: int, limit: int) -> bytes:
    """Up to `limit` bytes, to the end of the file: what a buffered read(limit) returns."""
    chunks: list[bytes] = []
    size = 0
    while size < limit and (chunk := os.read(fd, limit - size)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


# --- phase 2: across files -------------------------------------------------------------
def _across_files(pledges: list[tuple[Pledge, bool]]) -> Iterator[Problem]:
    """The same slug, website, name, or a look-alike name, in two pledges."""
    keys: dict[str, Callable[[Pledge], str]] = {
        "slug": lambda p: p.slug,
        "website": lambda p: site_key(p.website),
        "name": lambda p: fold(p.name),
        "look-alike": lambda p: skeleton(p.name),
    }
    groups: dict[str, dict[str, list[Pledge]]] = {rule: defaultdict(list) for rule in keys}
    keyed: list[tuple[Pledge, bool, dict[str, str]]] = []
    for pledge, reported in pledges:
        its_keys = {rule: key(pledge) for rule, key in keys.items()}  # each worked out once
        keyed.append((pledge, reported, its_keys))
        for rule, value in its_keys.items():
            groups[rule][value].append(pledge)

    def others(rule: str, pledge: Pledge, its_keys: dict[str, str]) -> list[Pledge]:
        return [o for o in groups[rule][its_keys[rule]] if o is not pledge]

    for pledge, reported, its_keys in keyed:
        if not reported:
            continue
        same_name = others("name", pledge, its_keys)
        clashes = [
            ("slug", "has the same file name as", others("slug", pledge, its_keys)),
            ("website", "has the same website as", others("website", pledge, its_keys)),
            ("name", "has the same name as", same_name),
            # a name already reported as the same is not also called a look-alike
            ("name", "has a name that looks like the one in",
             [o for o in others("look-alike", pledge, its_keys) if o not in same_name]),
        ]
        for field_name, what, clashing in clashes:
            if not clashing:
                continue
            line, column = pledge.positions.get(field_name, (0, 0))
            names = ", ".join(sorted(str(o.path) for o in clashing))
            yield Problem(str(pledge.path), line, column,
                          f"{what} {names}: each signatory signs once; if this is the same "
                          "signatory, update that pledge instead")


# --- phase 3: what rendering needs ---------------------------------------------------------
def _for_rendering(pledge: Pledge) -> Iterator[Problem]:
    """What the badges and pages need: a name the badge fonts can draw and fit, a logo."""
    if reason := check_name_fits(pledge.name):
        line, column = pledge.positions.get("name", (0, 0))
        yield Problem(str(pledge.path), line, column, f"'name' {reason}")
    if pledge.logo is not None:
        yield from _check_logo(pledge)


def _check_logo(pledge: Pledge) -> Iterator[Problem]:
    """The logo is a regular PNG file in pledges/logos/, within the size caps."""
    line, column = pledge.positions.get("logo", (0, 0))
    where = str(pledge.path)
    path = pledge.path.parent / str(pledge.logo)
    messages: list[str] = []
    data = _read_capped_logo(path, messages)
    if data is not None:
        try:
            width, height = dimensions(data)
        except PngError as error:
            messages.append(f"the logo {pledge.logo} {error}: export it again as PNG")
        else:
            if not (c.LOGO_MIN_PX <= width <= c.LOGO_MAX_PX
                    and c.LOGO_MIN_PX <= height <= c.LOGO_MAX_PX):
                messages.append(f"the logo is {width}x{height} pixels; each side must be "
                                f"{c.LOGO_MIN_PX} to {c.LOGO_MAX_PX}: resize it")
    for message in messages:
        yield Problem(where, line, column, message)


def _read_capped_logo(path: Path, messages: list[str]) -> bytes | None:
    try:
        info = path.lstat()
    except OSError:
        messages.append(f"the logo {path.name} is not in {path.parent}: add it in the same "
                        "pull request")
        return None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        messages.append("the logo must be a regular file, not a link or folder")
        return None
    if info.st_size > c.LOGO_MAX_BYTES:
        messages.append(f"the logo is {info.st_size} bytes; the limit is "
                        f"{c.LOGO_MAX_BYTES}: compress it (for example with oxipng)")
        return None
    return path.read_bytes()
