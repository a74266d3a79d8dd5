"""Benchmark baking the signed Open Badges 3.0 credential into the card badges: what it
adds to a signatory's output, and what re-baking costs next to painting.

Run from the repository root:

    .venv/bin/python benchmarks/bench_bake.py [--repeat R]

Output: for each signatory of the demo registry, its credential (signed with the public
test key, as builds without the issuer's seed sign) is baked into its four card badges
(render/folder.py's bake_cards); it prints the credential's bytes and the bytes it adds to
the four files, as content and as the Pages artifact stores them (tar: a 512-byte header
a file, contents padded to 512), mean and largest, against the 12 KiB a signatory the
output ledger reserves (benchmarks/ledger.py), and the same for a made-up worst case
(the name of the most bytes that fits the badge, a 300-character announcement address,
a 64-character slug).

Time: build_badges on one core into a fresh cache (painting and baking every folder),
then again with every credential re-signed by another key (re-baking, no painting), then
once more with nothing changed; R rounds, interleaved, medians, with the load average
before and after (the machine may be shared). See DEVELOPERS.md, "The signed credential
in the card badges".
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from socialmission.check.validate import validate
from socialmission.credentials import credential, issuer, proof
from socialmission.model import constants, openbadges, statuslist
from socialmission.model.mission import load_mission
from socialmission.model.pledge import Pledge
from socialmission.model.settings import IssuerKey, load_settings, site_url
from socialmission.model.urls import parse_https_url
from socialmission.render.cache import build_badges
from socialmission.render.design import load_design
from socialmission.render.face import badge_words, face_of, masthead_of
from socialmission.render.folder import CARD_FILES, bake_cards, render_face
from socialmission.render.layout import name_check

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from ledger import BLOCK, CREDENTIAL_SHARE  # noqa: E402 - the ledger's measure and share

RESERVE = CREDENTIAL_SHARE
OTHER_SEED = bytes(range(32))  # the key a rotation moves to: any other key will do


def tar_bytes(size: int) -> int:
    """What a file of `size` bytes takes in the artifact's tar: a header, then its blocks."""
    return BLOCK + -(-size // BLOCK) * BLOCK


def credential_text(base: str, pledge: Pledge, signing: issuer.Signer) -> str:
    """What the build bakes: the current signature's credential, for the version shown."""
    mission, settings = load_mission(ROOT), load_settings(ROOT)
    list_url = f"{base}openbadges/v3/status/revocation-1.json"
    return openbadges.dumps(credential.signed_credential(
        base, pledge, pledge.current.current_version, len(pledge.signatures),
        settings=settings, mission=mission, signing=signing,
        status=statuslist.status_entry(list_url, constants.STATUS_LIST_SIZE - 1)))


def added(base: str, pledge: Pledge, signing: issuer.Signer) -> tuple[int, int, int]:
    """(credential bytes, bytes added to the card files, bytes added to the artifact)."""
    mission = load_mission(ROOT)
    painted = render_face(load_design(ROOT), face_of(pledge, base, mission.current.version,
                                                      words=badge_words(ROOT)),
                          masthead_of(ROOT, mission, base))
    text = credential_text(base, pledge, signing)
    baked = bake_cards(painted, text)
    return (len(text.encode()), sum(len(baked[n]) - len(painted[n]) for n in CARD_FILES),
            sum(tar_bytes(len(baked[n])) - tar_bytes(len(painted[n])) for n in CARD_FILES))


def longest_name() -> str:
    """The name of the most UTF-8 bytes the validator lets onto a badge: as many
    three-byte CJK characters as fit its two lines, or NAME_MAX narrow Latin letters."""
    fits = name_check(ROOT)
    cjk = next("\u6f22" * count for count in range(constants.NAME_MAX, 0, -1)
               if fits("\u6f22" * count) is None)
    latin = "i" * constants.NAME_MAX
    return max((name for name in (cjk, latin) if fits(name) is None),
               key=lambda name: len(name.encode()))


def worst(pledge: Pledge) -> Pledge:
    """The pledge with the longest name, announcement address and slug the validator lets
    through (the recipient is the website's origin, so its path does not count)."""
    host = "https://" + "a" * 60 + "." + "b" * 60 + ".example.org/"
    statement = host + "y" * (constants.URL_MAX - len(host))
    return dataclasses.replace(pledge, slug="s" * constants.SLUG_MAX, name=longest_name(),
                               statement_url=parse_https_url(statement))


def sizes(base: str, pledges: list[Pledge], signing: issuer.Signer) -> None:
    rows = [added(base, pledge, signing) for pledge in pledges]
    print(f"{len(rows)} signatories, credential signed with the public test key:")
    for what, column in (("credential", 0), ("added to the 4 card files", 1),
                         ("added to the artifact (tar)", 2)):
        values = [row[column] for row in rows]
        print(f"  {what}: mean {statistics.mean(values):,.0f} bytes, "
              f"largest {max(values):,} bytes")
    mean = statistics.mean(row[2] for row in rows)
    print(f"  the reserve: {RESERVE:,} bytes a signatory; the mean uses "
          f"{mean / RESERVE:.0%} of it")
    text, content, artifact = added(base, worst(pledges[0]), signing)
    print(f"worst case: credential {text:,} bytes, {content:,} added to the card files, "
          f"{artifact:,} to the artifact ({artifact - RESERVE:+,} against the reserve)")


def timings(base: str, pledges: list[Pledge], signing: issuer.Signer, repeat: int) -> None:
    mission = load_mission(ROOT)
    key = IssuerKey("key-2", proof.multikey(proof.public_key(OTHER_SEED)), dt.date(2000, 1, 1),
                    "current")
    other = issuer.signer(base, (key,), base64.b64encode(OTHER_SEED).decode(),
                          publishing=False)
    first = {p.slug: credential_text(base, p, signing) for p in pledges}
    second = {p.slug: credential_text(base, p, other) for p in pledges}
    cold: list[float] = []
    rebake: list[float] = []
    warm: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(repeat):
            out = Path(scratch) / "badges"
            shutil.rmtree(out, ignore_errors=True)
            for texts, times, expect in ((first, cold, "rendered"),
                                         (second, rebake, "rebaked"), (second, warm, None)):
                start = time.perf_counter()
                result = build_badges(ROOT, out, mission, pledges, base, workers=1,
                                      credentials=texts)
                times.append(time.perf_counter() - start)
                if expect == "rendered":
                    assert len(result.rendered) == len(pledges) + 1
                elif expect == "rebaked":
                    assert (result.rendered, len(result.rebaked)) == ([], len(pledges))
                else:
                    assert not result.rendered and not result.rebaked
    per = 1000 / len(pledges)
    print(f"build_badges, {len(pledges)} signatories, one core, {repeat} rounds (medians):")
    print(f"  cold (paint and bake every folder): {statistics.median(cold) * per:.1f} ms a "
          "signatory")
    print(f"  every credential re-signed (re-bake, no painting): "
          f"{statistics.median(rebake) * per:.1f} ms a signatory")
    print(f"  nothing changed: {statistics.median(warm) * per:.2f} ms a signatory")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (3)")
    repeat = parser.parse_args().repeat
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    mission, settings, base = load_mission(ROOT), load_settings(ROOT), site_url(ROOT)
    pledges = [p for p in validate([ROOT / "pledges"], mission,
                                   name_fits=name_check(ROOT)).pledges if not p.tombstone]
    signing = issuer.signer(base, settings.issuer_keys, None, publishing=False)
    sizes(base, pledges, signing)
    timings(base, pledges, signing, repeat)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
