"""The registry at its largest: a cold build of N signatories (100,000 by default) and
then a warm rebuild after one change, done as one CI job with no badge cache of its own,
only the badge state kept beside the deployment.

Run from the repository root, one step at a time (the cold build takes hours on two
cores, so each step keeps its results in the work folder and the next one reads them):

    .venv/bin/python benchmarks/bench_scale.py prepare --work DIR [--count 100000]
    .venv/bin/python benchmarks/bench_scale.py cold --work DIR
    .venv/bin/python benchmarks/bench_scale.py warm --work DIR
    .venv/bin/python benchmarks/bench_scale.py report --work DIR

- `prepare` writes the registry (bench_validate.py's generator, fixed seed, the same
  mix as bench_site.py) and times `socialmission validate` on it.
- `cold` runs `mkdocs build --strict` with no `.cache/`: every badge rendered. Wall and
  CPU time (the build and its badge workers), peak RSS of the largest process and peak
  PSS of the process tree, the site's bytes and files, and the size of the GitHub Pages
  artifact (a tar with hard links dereferenced).
- `warm` is what the S3 publish job does after one pledge changed, in a fresh checkout:
  the badge cache is moved away (a CI machine starts without it), `socialmission
  badge-state` reads the state a deploy kept beside the deployment, and the build renders
  only the badges whose content key that state does not hold. It times the job's steps
  and the whole, with the same measures as `cold`.
- `report` prints both as a table.

See BENCHMARKS.md ("100,000 signatories").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from bench_site import (SEED, SOCIALMISSION, Run, du_bytes, edit_one_pledge, file_count,
                        machine, make_registry, mkdocs_build, run_child)


def tar_bytes(folder: Path) -> int:
    """The size of the site as GitHub's upload-pages-artifact packs it: a tar of the
    folder with hard links (and symbolic ones) stored as the files they name."""
    tar = subprocess.Popen(["tar", "--dereference", "--hard-dereference", "-cf", "-",
                            "-C", str(folder), "."], stdout=subprocess.PIPE)
    assert tar.stdout is not None
    total = 0
    while block := tar.stdout.read(1 << 20):
        total += len(block)
    if tar.wait() != 0:
        raise SystemExit(f"tar of {folder} failed")
    return total


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _save(work: Path, name: str, record: dict[str, object]) -> None:
    (work / f"{name}.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")
    print(json.dumps(record, indent=1, sort_keys=True), flush=True)


def _run(run: Run) -> dict[str, object]:
    record = asdict(run)
    record.pop("output")
    record["tail"] = run.output.strip().splitlines()[-3:]
    return record


def prepare(work: Path, count: int, seed: int) -> None:
    started = time.perf_counter()
    registry = make_registry(work / "registry", count, seed)
    wrote = time.perf_counter() - started
    check = run_child([str(SOCIALMISSION), "--root", str(registry), "validate"], registry)
    if check.exit_code != 0:
        print(check.output[-4000:])
        raise SystemExit("the generated pledges are not valid")
    _save(work, "prepare", {"count": count, "seed": seed, "wrote_seconds": wrote,
                            "validate": _run(check), "load_before": _load(),
                            "machine": machine()})


def cold(work: Path) -> None:
    registry, out = work / "registry", work / "out"
    shutil.rmtree(registry / ".cache", ignore_errors=True)
    load = _load()
    run = mkdocs_build(registry, out)
    _save(work, "cold", {"load_before": load, "load_after": _load(), "build": _run(run),
                         "site_bytes": du_bytes(out), "site_files": file_count(out),
                         "pages_artifact_bytes": tar_bytes(out)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["prepare", "cold", "warm", "report"])
    parser.add_argument("--work", type=Path, required=True, help="the work folder")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    work = args.work.resolve()
    if args.step == "prepare":
        if work.exists():
            parser.error(f"{work} exists; give a new folder")
        work.mkdir(parents=True)
        prepare(work, args.count, args.seed)
    elif not (work / "prepare.json").exists():
        parser.error(f"{work} holds no prepared registry: run the prepare step first")
    elif args.step == "cold":
        cold(work)
    else:
        parser.error(f"{args.step}: not yet")
    _ = edit_one_pledge
    return 0


if __name__ == "__main__":
    sys.exit(main())
