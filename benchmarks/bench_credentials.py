"""Benchmark signing and verifying the Open Badges 3.0 credentials.

Run from the repository root:

    .venv/bin/python benchmarks/bench_credentials.py [--repeat R]

It signs every credential of the demo registry (one per published version of each
signature, with the public test key) R times, one process, one core, then verifies each
under the DID document R times, and prints the median milliseconds a credential of each,
with the load average before and after (the machine may be shared). See DEVELOPERS.md,
"Signed Open Badges 3.0 credentials".
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from socialmission.check.validate import validate
from socialmission.credentials import credential, issuer, proof
from socialmission.model.mission import load_mission
from socialmission.model.settings import load_settings, site_url
from socialmission.render.layout import name_check

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (5)")
    repeat = parser.parse_args().repeat
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
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
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
