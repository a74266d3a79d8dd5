"""Benchmark signing and verifying the Open Badges 3.0 credentials, and what signing adds
to the site's generation.

Run from the repository root:

    .venv/bin/python benchmarks/bench_credentials.py [--repeat R]
    .venv/bin/python benchmarks/bench_credentials.py --build N [--repeat R]

The first signs every credential of the demo registry (one per published version of each
signature, with the public test key) R times, one process, one core, then verifies each
under the DID document R times, and prints the median milliseconds a credential of each.

With --build it generates bench_site.py's registry of N pledges twice: with each pledge's
status_index (a credential each, signed) and without (no credential: only the revocation
list is signed). It times the generator (site/generator.py's generate, on all cores, as
the build runs it: validation, signing, badges, pages) cold (no .cache/) and warm (nothing
changed), the two registries in turn in each of R rounds, and prints the medians and
their difference, which is what signing costs; a warm build must sign nothing.

Both print the load average before and after (the machine may be shared). See
DEVELOPERS.md, "Signed Open Badges 3.0 credentials", and BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench_site import SEED, make_registry
from socialmission.check.validate import validate
from socialmission.credentials import credential, issuer, proof
from socialmission.model.mission import load_mission
from socialmission.model.progress import Progress
from socialmission.model.settings import load_settings, site_url
from socialmission.render.layout import name_check
from socialmission.site.generator import generate

ROOT = Path(__file__).resolve().parent.parent


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_seconds() -> float:
    """User and system CPU time of this process and of the workers it has waited for."""
    return sum(usage.ru_utime + usage.ru_stime for usage in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def timed_generation(root: Path) -> tuple[float, float, str]:
    """Seconds the generator takes on `root`, wall and CPU (its workers' included), and
    what it said."""
    said = io.StringIO()
    start, cpu = time.perf_counter(), cpu_seconds()
    generate(root, site_url(root), said=Progress(said))
    return time.perf_counter() - start, cpu_seconds() - cpu, said.getvalue()


def builds(count: int, repeat: int) -> None:
    """Cold and warm generation of `count` pledges, with and without their credentials."""
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory() as work:
        signed = make_registry(Path(work) / "signed", count, SEED)
        unsigned = Path(work) / "unsigned"
        shutil.copytree(signed, unsigned)
        for path in (unsigned / "pledges").glob("*.yaml"):
            path.write_text(re.sub(r"^status_index: \d+\n", "", path.read_text("utf-8"),
                                   flags=re.M), encoding="utf-8")
        times: dict[tuple[str, str, str], list[float]] = {}
        for _ in range(repeat):
            for name, root in (("with credentials", signed), ("without", unsigned)):
                shutil.rmtree(root / ".cache", ignore_errors=True)
                for state in ("cold", "warm"):
                    wall, cpu, said = timed_generation(root)
                    times.setdefault((name, state, "wall"), []).append(wall)
                    times.setdefault((name, state, "CPU"), []).append(cpu)
                    if state == "warm" and "signing" in said:
                        raise SystemExit(f"a warm build signed again:\n{said}")
        print(f"{count} pledges, {repeat} rounds, generation (medians, seconds):")
        for state in ("cold", "warm"):
            for clock in ("wall", "CPU"):
                with_, without = (statistics.median(times[name, state, clock])
                                  for name in ("with credentials", "without"))
                print(f"  {state}, {clock}: {with_:.2f} with credentials, {without:.2f} "
                      f"without, signing {with_ - without:+.2f} "
                      f"({(with_ - without) * 1000 / count:+.1f} ms a pledge)")
    print(f"load average after: {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (5)")
    parser.add_argument("--build", type=int, metavar="N",
                        help="time the generator on N pledges, with and without signing")
    args = parser.parse_args()
    if args.build:
        builds(args.build, args.repeat)
        return
    repeat = args.repeat
    print(f"load average before: {load()}")
    mission, settings, base = load_mission(ROOT), load_settings(ROOT), site_url(ROOT)
    pledges = validate([ROOT / "pledges"], mission, name_fits=name_check(ROOT)).pledges
    signing = issuer.signer(base, settings.issuer_keys, None, publishing=False)
    documents = credential.all_documents(base, settings, mission, pledges, signing)  # warm-up
    signed = [document for document in documents.values() if "proof" in document]
    keys = issuer.public_keys(documents["openbadges/did.json"])
    signs, verifies = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        credential.all_documents(base, settings, mission, pledges, signing)
        signs.append((time.perf_counter() - start) * 1000 / len(signed))
        start = time.perf_counter()
        for document in signed:
            proof.verify(document, keys)
        verifies.append((time.perf_counter() - start) * 1000 / len(signed))
    print(f"{len(signed)} credentials, {repeat} runs: sign {statistics.median(signs):.1f} ms "
          f"a credential, verify {statistics.median(verifies):.1f} ms (medians)")
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
