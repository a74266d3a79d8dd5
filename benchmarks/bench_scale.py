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
- `cold` runs `socialmission build` with no `.cache/`: every badge rendered. Wall and
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
import sys
import time
from dataclasses import asdict
from pathlib import Path

from bench_site import (
    ROOT,
    SEED,
    SOCIALMISSION,
    Run,
    du_bytes,
    edit_one_pledge,
    file_count,
    machine,
    make_registry,
    run_child,
    site_build,
    tar_bytes,
)
from socialmission.model.paths import BADGES_CACHE


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
    run = site_build(registry, out)
    _save(work, "cold", {"load_before": load, "load_after": _load(), "build": _run(run),
                         "site_bytes": du_bytes(out), "site_files": file_count(out),
                         "pages_artifact_bytes": tar_bytes(out)})


# The deploy's own work on this machine, in a child process so that its time and memory
# are measured alone: hash and type every file of the built site, plan against the
# manifest the bucket would hold (the cold site's, with the listing it implies), and
# encode the new manifest with its badge state. What S3 itself costs is not in it.
DEPLOY_LOCAL = """\
import json, sys, time
from pathlib import Path
from socialmission.render.cache import load_entries
from socialmission.site.deploy import manifest_bytes, parse_manifest, plan, badge_keys, scan_site
site, manifest, cache = (Path(a) for a in sys.argv[1:4])
started = time.perf_counter()
previous = parse_manifest(manifest.read_bytes())
read = time.perf_counter()
local = scan_site(site)
scanned = time.perf_counter()
entries, _ = load_entries(cache)
planned = plan(local, previous.files, {p: e.size for p, e in previous.files.items()})
keys = badge_keys(local, entries, previous.badges)
stored = {p: previous.files[p] for p in planned.stale}
stored.update({f.path: f.entry for f in [*planned.unchanged, *planned.upload, *planned.verify]})
body = manifest_bytes(stored, keys)
done = time.perf_counter()
print(json.dumps({"manifest_read_s": read - started, "scan_s": scanned - read,
                  "plan_and_encode_s": done - scanned, "files_in_site": len(local),
                  "upload": len(planned.upload), "verify": len(planned.verify),
                  "unchanged": len(planned.unchanged), "kept": len(planned.stale),
                  "manifest_bytes": len(body), "badge_state_entries": len(keys),
                  "upload_paths": sorted(f.path for f in planned.upload)[:40]}))
"""

# The manifest a deploy of the cold site would have left in the bucket, made from the
# cold site and its badge cache with the deploy's own functions (not timed: it stands for
# the bucket's state before the job starts).
FIRST_MANIFEST = """\
import sys
from pathlib import Path
from socialmission.render.cache import load_entries
from socialmission.site.deploy import badge_keys, manifest_bytes, scan_site
from socialmission.site.published import write_state
site, cache, manifest, state = (Path(a) for a in sys.argv[1:5])
local = scan_site(site)
entries, _ = load_entries(cache)
keys = badge_keys(local, entries, {})
manifest.write_bytes(manifest_bytes({f.path: f.entry for f in local}, keys))
write_state(state, keys)  # what `socialmission badge-state` would write from it
print(len(local), len(keys))
"""


def _python(code: str, *args: Path) -> Run:
    run = run_child([sys.executable, "-c", code, *map(str, args)], ROOT)
    if run.exit_code != 0:
        print(run.output[-4000:])
        raise SystemExit(f"a step exited {run.exit_code}")
    return run


def warm(work: Path) -> None:
    registry, out = work / "registry", work / "out"
    manifest, state = work / "deploy-manifest.json", work / "published-badges.json"
    kept = work / "cold-cache"
    if not kept.exists():
        print("making the bucket's manifest from the cold site (not timed)...", flush=True)
        first = _python(FIRST_MANIFEST, out, registry / BADGES_CACHE, manifest, state)
        print(f"  {first.output.strip()} in {first.seconds:.0f} s", flush=True)
        (registry / ".cache").rename(kept)  # a fresh CI machine has no .cache at all
    edited = edit_one_pledge(registry, 1)
    load = _load()
    started = time.perf_counter()
    check = run_child([str(SOCIALMISSION), "--root", str(registry), "validate"], registry)
    warm_out = work / "out-warm"
    shutil.rmtree(warm_out, ignore_errors=True)
    build = run_child([str(SOCIALMISSION), "--root", str(registry), "build", "--out",
                       str(warm_out), "--published-badges", str(state)], registry,
                      {"NO_MKDOCS_2_WARNING": "1"})
    if build.exit_code != 0 or check.exit_code != 0:
        print(check.output[-2000:], build.output[-4000:])
        raise SystemExit("the warm job failed")
    deploy = _python(DEPLOY_LOCAL, warm_out, manifest, registry / BADGES_CACHE)
    total = time.perf_counter() - started
    rendered = sorted(p.name for p in (registry / BADGES_CACHE).iterdir()
                      if not p.name.startswith("."))
    _save(work, "warm", {"edited": edited, "load_before": load, "load_after": _load(),
                         "validate": _run(check), "build": _run(build),
                         "deploy_local": {**_run(deploy),
                                          "measured": json.loads(deploy.output)},
                         "job_seconds": total, "rendered": rendered,
                         "state_bytes": state.stat().st_size,
                         "manifest_bytes": manifest.stat().st_size,
                         "site_bytes": du_bytes(warm_out), "site_files": file_count(warm_out)})


def report(work: Path) -> None:
    for name in ("prepare", "cold", "warm"):
        path = work / f"{name}.json"
        if path.exists():
            print(f"== {name}\n{path.read_text(encoding='utf-8')}")


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
    elif not (work / "cold.json").exists():
        parser.error(f"{work} holds no cold build: run the cold step first")
    elif args.step == "warm":
        warm(work)
    else:
        report(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
