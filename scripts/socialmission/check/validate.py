"""Validate pledges in three phases: each file alone (pledgefile.py), across files
(across.py), what rendering needs (rendering.py).

Every problem is reported, none stops the run, and nothing here raises on bad input: a
file that cannot be read as a pledge gets one clear message and is left out of the later
phases (no cascades).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from socialmission.check.across import (
    Caution,
    across_files,
    comparison_keys,
    examples_left,
    own_names,
    sites_within,
    taken_names,
)
from socialmission.check.files import Target, discover, read_capped
from socialmission.check.pledgefile import Known, check_slug, read_pledge
from socialmission.check.rendering import NameCheck, for_rendering
from socialmission.check.resultcache import ResultCache
from socialmission.model.clock import today
from socialmission.model.constants import PLEDGE_SUFFIX
from socialmission.model.filetree import DISK, FileTree
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.problems import FileProblems, Problem
from socialmission.model.workers import forking, start_worker

# Below this many files, one process is faster than starting others (measured: a worker
# costs some 30 ms to fork and to send its pledges back; a file about 0.4 ms).
PARALLEL_MIN_FILES = 500
# Files handed to a worker at a time, at most: some 40 ms of work, all that a Ctrl-C waits
# for (the files in the workers' hands are finished, the others dropped).
CHUNK_MAX_FILES = 100


@dataclass
class Report:
    pledges: list[Pledge] = field(default_factory=list)  # every valid pledge, by slug
    problems: list[Problem] = field(default_factory=list)
    # what could not be checked until a problem is fixed (no problems in themselves)
    notes: list[Problem] = field(default_factory=list)
    # what is a warning on a published pledge and a refusal on a new one (across.py)
    cautions: list[Caution] = field(default_factory=list)
    # the template's examples a pledge may mean: warned of, never refused (across.py)
    reminders: list[Problem] = field(default_factory=list)
    checked: int = 0  # files the caller asked about
    cached: int = 0  # files whose phase 1 came from the result cache (resultcache.py)

    @property
    def warnings(self) -> list[Problem]:
        return sorted([*(caution.problem for caution in self.cautions), *self.reminders])

    @property
    def ok(self) -> bool:
        return not self.problems


@contextlib.contextmanager
def _collector_paused() -> Generator[None, None, None]:
    """Python's cycle collector paused, then resumed as it was: a run keeps some 25
    objects a pledge until it returns, and the collector would walk them again and again
    as they grow (a third of what this process spent receiving pledges from workers); a
    run makes no reference cycles worth collecting meanwhile. Workers collect as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_collector_paused()
def validate(paths: Iterable[Path], mission: Mission, on: dt.date | None = None, *,
             name_fits: NameCheck, workers: int | None = 1,
             settings_names: Iterable[tuple[str, str]] = (),
             cache: Path | None = None, tree: FileTree = DISK) -> Report:
    """Check the given pledge files and folders (and compare them with their neighbours).

    `name_fits` says why a name cannot be drawn on the badge (see rendering.py).
    `settings_names` are the issuer's and the site's names, each with what it is
    (model/settings.py's `settings_names`), which no pledge may take, as no mission
    title or the redacted signatory's name may be.
    `workers` processes read the files (None: one per core); the report is the same
    whatever their number.
    `cache` is the folder of the build's result cache (resultcache.py, which says what
    it trusts): only the build passes one; the report is the same with it or without.
    `tree` is where the files are read from, and its paths are what messages show
    (model/filetree.py: the disk, a git commit, or the disk with changes over it)."""
    report = Report()
    targets = discover(paths, report.problems, tree)
    report.checked = sum(t.reported for t in targets)
    job = _Job(mission, on or today(), name_fits, tree)
    results = ResultCache(cache, mission, job.day, tree) if cache is not None else None
    # Phase 1 from the cache where it has the file, on this process (a hit costs less
    # than sending it to a worker); the other files are read as without a cache.
    found = [results.lookup(t.path) if results is not None else None for t in targets]
    # A file missed is checked from the very bytes its key was made of, so that no entry
    # holds the result of bytes written to the file after it was hashed.
    fresh = _each_file([(t, results.bytes_read(t.path) if results is not None else None)
                        for t, hit in zip(targets, found, strict=True) if hit is None],
                       job, workers)
    known: list[tuple[Known, bool]] = []
    keys: list[dict[str, str]] = []  # each known pledge's, worked out while others are read
    render: list[Problem] = []
    for target, hit in zip(targets, found, strict=True):
        result: _FileResult = next(fresh) if hit is None else \
            ([], hit, job.for_rendering(hit) if target.reported else [], [])
        problems, pledge, render_problems, notes = result
        if hit is None and results is not None:
            results.offer(target.path, pledge, len(problems), len(notes))
        if target.reported:
            report.problems.extend(problems)
            render.extend(render_problems)
            report.notes.extend(notes)
        if pledge is not None:
            known.append((pledge, target.reported))
            keys.append(comparison_keys(pledge))
    leftover = next(fresh, None)  # runs the generator to its end: the workers are done
    assert leftover is None, "one result a file"
    if results is not None:
        results.save()
        report.cached = results.hits
    _compare(report, known, keys, own_names(mission, settings_names))
    report.problems.extend(render)
    report.problems.sort()
    failed = {p.path for p in report.problems}
    report.pledges = sorted((k.pledge for k, _ in known
                             if k.pledge is not None and str(k.path) not in failed),
                            key=lambda p: p.slug)
    return report


def _compare(report: Report, known: list[tuple[Known, bool]], keys: list[dict[str, str]],
             names: list[tuple[str, str]]) -> None:
    """Phase 2: the pledges compared with each other (`keys`: each one's comparison keys)
    and with the names the registry shows as its own."""
    report.problems.extend(across_files(known, keys))
    report.cautions.extend(taken_names(known, names, keys))
    report.cautions.extend(sites_within(known))
    report.reminders.extend(examples_left(known))


@dataclass(frozen=True)
class _Job:
    """What every file is checked against."""

    mission: Mission
    day: dt.date
    name_fits: NameCheck
    tree: FileTree

    def check(self, work: _Work) -> _FileResult:
        """Phases 1 and 3 for one file (from its bytes when they were read already): its
        problems, the pledge, what rendering needs."""
        target, data = work
        problems: list[Problem] = []
        notes: list[Problem] = []
        problem = FileProblems(str(target.path), problems)
        if data is None:
            data = read_capped(target.path, problem, self.tree)
        pledge = None
        if data is None:  # unreadable: its name is still the slug, and checked
            check_slug(target.path.name.removesuffix(PLEDGE_SUFFIX), problem)
        else:
            pledge = read_pledge(target.path, self.mission, self.day, problems, notes,
                                 data=data)
        render = self.for_rendering(pledge) if pledge is not None and target.reported else []
        return problems, pledge, render, notes

    def for_rendering(self, pledge: Known) -> list[Problem]:
        return list(for_rendering(pledge, self.name_fits, self.tree))


_FileResult = tuple[list[Problem], Known | None, list[Problem], list[Problem]]
_Work = tuple[Target, bytes | None]  # a file, and its bytes if they were read already


def _each_file(targets: list[_Work], job: _Job, workers: int | None) -> Iterator[_FileResult]:
    """Phases 1 and 3 for every file, in order; on several cores when there are many."""
    count = min(workers or os.cpu_count() or 1, -(-len(targets) // PARALLEL_MIN_FILES))
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for work in targets:
            yield job.check(work)
        return
    # fork: the workers inherit the loaded fonts, suffix list and confusables; each is
    # handed the job once, by the pool's initializer.
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(job, os.getpid()))
    try:
        with forking():  # map's first call forks the workers
            results = pool.map(_check_in_worker, targets, chunksize=max(
                1, min(CHUNK_MAX_FILES, len(targets) // (count * 4))))
        yield from results
    finally:  # on a Ctrl-C too: the files not yet handed out are dropped, not checked
        pool.shutdown(wait=True, cancel_futures=True)


_worker_job: _Job | None = None  # in a worker process: set once by _start_worker


def _start_worker(job: _Job, parent: int) -> None:
    start_worker(parent)
    gc.enable()  # paused in the command that forked this worker (_collector_paused)
    global _worker_job  # noqa: PLW0603 - a worker process's own state, set once at its start
    _worker_job = job


def _check_in_worker(work: _Work) -> _FileResult:
    assert _worker_job is not None, "runs only in a worker started by _each_file"
    return _worker_job.check(work)
