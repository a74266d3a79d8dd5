"""The badge cache trusts nothing it did not just check, keeps what it rendered when a
build stops half-way, and bakes a new credential into painted badges without painting
them again (render/cache.py). The kill itself, in a real build, is in
test_killed_builds.py."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bake_support import credential_text, keyed_signer, public_signer
from conftest import NAME_FITS, ROOT, VALID, Registry
from socialmission.check.validate import validate
from socialmission.credentials.issuer import Signer
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.progress import Progress
from socialmission.model.settings import Settings
from socialmission.render import cache
from socialmission.render.cache import JOURNAL, MANIFEST, BuildResult, build_badges
from socialmission.render.design import Design
from socialmission.render.face import Face, Masthead
from socialmission.render.folder import CARD_FILES, bake_cards, render_face
from socialmission.render.unbake import unbake

BASE = "https://registry.example.org/"
SIGNERS = [f"signer-{letter}" for letter in "abcde"]


class Interrupted(Exception):
    """What the progress hook raises to stop a build, as a kill would, mid-render."""


def interrupt_after(count: int) -> tuple[list[str], Callable[[str], None]]:
    """The folders done so far, and a progress hook that stops the build after `count`."""
    done: list[str] = []

    def progress(key: str) -> None:
        done.append(key)
        if len(done) == count:
            raise Interrupted

    return done, progress


def signers(registry: Registry) -> list[Pledge]:
    for slug in SIGNERS:
        registry.write(slug, VALID.replace("Harbour Media Ltd", f"Signer {slug[-1].upper()}")
                       .replace("www.example.net", f"{slug}.example.org"))
    report = validate([registry.pledges], registry.mission, name_fits=NAME_FITS)
    assert report.ok, report.problems
    return report.pledges


@pytest.fixture
def built(registry: Registry) -> tuple[Registry, list[Pledge], Path]:
    pledges = signers(registry)
    out = registry.root / "cache"
    first = build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1)
    assert first.rendered == ["mission", *SIGNERS]
    return registry, pledges, out


def again(built: tuple[Registry, list[Pledge], Path], workers: int = 1,
          credentials: dict[str, str] | None = None) -> BuildResult:
    registry, pledges, out = built
    return build_badges(ROOT, out, registry.mission, pledges, BASE, workers=workers,
                        credentials=credentials)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- files that are not what was rendered ----------------------------------------------------
def test_an_unchanged_cache_is_reused_without_reading_a_file(
        built: tuple[Registry, list[Pledge], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = (built[2] / MANIFEST).read_bytes()

    def never(path: Path) -> str:
        raise AssertionError(f"hashed {path}: its size and mtime were as recorded")

    monkeypatch.setattr(cache, "_file_digest", never)
    result = again(built)
    assert result.rendered == [] and len(result.reused) == 6
    assert (built[2] / MANIFEST).read_bytes() == manifest  # nothing to write either


def test_an_edited_cached_svg_is_rendered_again(
        built: tuple[Registry, list[Pledge], Path]) -> None:
    out = built[2]
    rendered = snapshot(out / "signer-b")
    svg = out / "signer-b" / "card-light.svg"
    text = svg.read_bytes()
    # The same size, so only the hash can tell; a different mtime, so it is hashed.
    edited = text.replace(b"Signer B", b"Signer X")
    assert edited != text and len(edited) == len(text)
    svg.write_bytes(edited)
    os.utime(svg, ns=(svg.stat().st_atime_ns, svg.stat().st_mtime_ns + 10**9))
    result = again(built)
    assert result.rendered == ["signer-b"]
    assert snapshot(out / "signer-b") == rendered


@pytest.mark.parametrize("damage", ["longer", "shorter", "missing", "extra", "symlink",
                                    "folder", "hidden-tmp-only"])
def test_a_damaged_folder_is_rendered_again(
        built: tuple[Registry, list[Pledge], Path], tmp_path: Path, damage: str) -> None:
    out = built[2]
    folder = out / "signer-c"
    rendered = snapshot(folder)
    png = folder / "card-dark@2x.png"
    if damage == "longer":
        png.write_bytes(png.read_bytes() + b"\0")
    elif damage == "shorter":
        png.write_bytes(png.read_bytes()[:-1])
    elif damage == "missing":
        png.unlink()
    elif damage == "extra":  # published as it is, if the folder were reused
        (folder / "evil.svg").write_text("<svg onload='alert(1)'/>")
    elif damage == "symlink":  # the same bytes, but a link the site would not publish
        target = tmp_path / "elsewhere.png"
        target.write_bytes(png.read_bytes())
        png.unlink()
        png.symlink_to(target)
    elif damage == "folder":
        png.unlink()
        png.mkdir()
    else:  # a half-written file of a killed render: not published, so not a reason
        (folder / ".card-dark@2x.png.tmp123").write_bytes(b"half")
    result = again(built)
    expected = [] if damage == "hidden-tmp-only" else ["signer-c"]
    assert result.rendered == expected
    files = snapshot(folder)
    files.pop(".card-dark@2x.png.tmp123", None)
    assert files == rendered
    assert all(p.is_file() and not p.is_symlink() for p in folder.iterdir())


def test_a_touched_file_is_hashed_once_then_trusted_again(
        built: tuple[Registry, list[Pledge], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    out = built[2]
    svg = out / "signer-a" / "compact-dark.svg"
    os.utime(svg, ns=(svg.stat().st_atime_ns, svg.stat().st_mtime_ns + 10**9))
    hashed: list[str] = []
    digest = cache._file_digest

    def counted(path: Path) -> str | None:
        hashed.append(path.name)
        return digest(path)

    monkeypatch.setattr(cache, "_file_digest", counted)
    assert again(built).rendered == []  # the bytes are the rendered ones
    assert hashed == ["compact-dark.svg"]
    assert again(built).rendered == []
    assert hashed == ["compact-dark.svg"]  # the manifest took the new mtime


def test_a_removed_signatory_loses_its_folder(
        built: tuple[Registry, list[Pledge], Path]) -> None:
    registry, pledges, out = built
    kept = [p for p in pledges if p.slug != "signer-d"]
    result = build_badges(ROOT, out, registry.mission, kept, BASE, workers=1)
    assert result.removed == ["signer-d"] and result.rendered == []
    assert not (out / "signer-d").exists()
    assert "signer-d" not in json.loads((out / MANIFEST).read_text())["folders"]


# --- a build stopped half-way -------------------------------------------------------------------
@pytest.mark.parametrize("workers", [1, 2])
def test_what_an_interrupted_build_rendered_stays_rendered(
        registry: Registry, workers: int) -> None:
    pledges = signers(registry)
    out = registry.root / "cache"
    done, stop_after_three = interrupt_after(3)
    with pytest.raises(Interrupted):
        build_badges(ROOT, out, registry.mission, pledges, BASE, workers=workers,
                     progress=stop_after_three)
    assert not (out / MANIFEST).exists()  # only the journal knows
    assert len((out / JOURNAL).read_bytes().splitlines()) == 3
    result = build_badges(ROOT, out, registry.mission, pledges, BASE, workers=workers)
    assert result.rendered == sorted({"mission", *SIGNERS} - set(done))
    assert result.reused == sorted(done)
    assert not (out / JOURNAL).exists()  # folded into the manifest
    assert sorted(json.loads((out / MANIFEST).read_text())["folders"]) == ["mission", *SIGNERS]


def test_a_torn_journal_line_is_ignored(built: tuple[Registry, list[Pledge], Path]) -> None:
    """A kill in the middle of a write leaves part of a line: that folder renders again,
    and the lines before it and the entries after it still count."""
    registry, pledges, out = built
    entries = json.loads((out / MANIFEST).read_text())["folders"]
    (out / MANIFEST).unlink()
    lines = [json.dumps({"key": key, **entries[key]}) for key in ("mission", "signer-a")]
    (out / JOURNAL).write_text(lines[0] + "\n" + lines[1][:40])
    first = again(built)
    assert first.reused == ["mission"]
    assert first.rendered == SIGNERS
    # The next build's entries are appended after a fresh newline, not glued to the tear.
    (out / MANIFEST).unlink()
    (out / JOURNAL).write_text(lines[0] + "\n" + lines[1][:40])
    done, stop_after_one = interrupt_after(1)
    with pytest.raises(Interrupted):
        build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1,
                     progress=stop_after_one)
    assert again(built).reused == sorted(["mission", *done])


F = f'"format": {cache.FORMAT}'.encode()  # this version's


@pytest.mark.parametrize("manifest", [
    b"", b"{", b"[]", b"null", b'"x"', b'{"signer-a": "0" }',  # the old layout
    b"{%s, \"folders\": []}" % F,
    b'{%s, "folders": {"signer-a": {"content": 1, "files": {}}}}' % F,
    b'{%s, "folders": {"signer-a": {"content": "x", "files": {"a": [1, 2]}}}}' % F,
    b'{%s, "folders": {"signer-a": {"content": "x", "files": {"a": [-1, 2, "h"]}}}}' % F,
    b'{%s, "folders": {"signer-a": {"content": "x", "files": {"../a": [1, 2, "h"]}}}}' % F,
    b'{%s, "folders": {"signer-a": {"content": "x", "baked": "../x", "files": {}}}}' % F,
    b'{%s, "folders": {"signer-a": {"content": "x", "baked": 1, "files": {}}}}' % F,
    b'{"format": 99, "folders": {}}', b"\xff\xfe", b'{%s, "folders": {"a": 1e999}}' % F,
], ids=repr)
def test_a_broken_manifest_means_rendering_again_never_a_crash(
        built: tuple[Registry, list[Pledge], Path], manifest: bytes) -> None:
    out = built[2]
    (out / MANIFEST).write_bytes(manifest)
    assert again(built).rendered == ["mission", *SIGNERS]
    assert again(built).rendered == []


def test_a_manifest_from_before_the_credentials_is_an_empty_cache(
        built: tuple[Registry, list[Pledge], Path]) -> None:
    """Format 2 recorded no credential: its folders are painted again, once."""
    out = built[2]
    document = json.loads((out / MANIFEST).read_text())
    document["format"] = 2
    for entry in document["folders"].values():
        del entry["baked"]
    (out / MANIFEST).write_text(json.dumps(document))
    assert again(built).rendered == ["mission", *SIGNERS]
    assert again(built).rendered == []


def test_a_hostile_manifest_cannot_remove_anything_outside_the_cache(
        built: tuple[Registry, list[Pledge], Path]) -> None:
    out = built[2]
    victim = out.parent / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    document = json.loads((out / MANIFEST).read_text())
    for key in ("../victim", "..", "/tmp", ".hidden", "a/b"):
        document["folders"][key] = {"content": "x", "files": {}}
    (out / MANIFEST).write_text(json.dumps(document))
    assert again(built).removed == []
    assert (victim / "keep.txt").read_text() == "mine"
    assert sorted(json.loads((out / MANIFEST).read_text())["folders"]) == ["mission", *SIGNERS]


# --- the credential, baked after painting ----------------------------------------------------
@pytest.fixture(scope="module")
def signings(settings: Settings) -> tuple[Signer, Signer]:
    """The public test key, and another key: a rotation signs everything again."""
    return public_signer(BASE, settings), keyed_signer(BASE)


def credentials(pledges: list[Pledge], signing: Signer, settings: Settings,
                mission: Mission) -> dict[str, str]:
    return {p.slug: credential_text(BASE, p, settings=settings, mission=mission,
                                    signing=signing, index=number)
            for number, p in enumerate(pledges)}


@pytest.fixture
def baked(registry: Registry, settings: Settings,
          signings: tuple[Signer, Signer]) -> tuple[Registry, list[Pledge], Path, dict[str, str]]:
    """A cache built with every signatory's credential, signed by the test key."""
    pledges = signers(registry)
    texts = credentials(pledges, signings[0], settings, registry.mission)
    out = registry.root / "cache"
    first = build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1,
                         credentials=texts)
    assert first.rendered == ["mission", *SIGNERS] and first.rebaked == []
    return registry, pledges, out, texts


def count_painting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The faces painted in this process from now on."""
    painted: list[str] = []
    paint = render_face

    def counted(design: Design, face: Face, masthead: Masthead) -> dict[str, bytes]:
        painted.append(face.key)
        return paint(design, face, masthead)

    monkeypatch.setattr(cache, "render_face", counted)
    return painted


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def fresh(registry: Registry, pledges: list[Pledge], texts: dict[str, str],
          folder: str) -> dict[str, bytes]:
    """The folder as a cold build with `texts` writes it."""
    out = registry.root / "fresh"
    build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1, credentials=texts)
    files = snapshot(out / folder)
    shutil.rmtree(out)
    return files


def test_a_new_credential_is_baked_in_without_painting(
        baked: tuple[Registry, list[Pledge], Path, dict[str, str]],
        signings: tuple[Signer, Signer], settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    registry, pledges, out, texts = baked
    resigned = dict(texts, **{"signer-b": credentials(
        pledges, signings[1], settings, registry.mission)["signer-b"]})
    before = stats(out / "signer-b")
    painted = count_painting(monkeypatch)
    result = build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1,
                          credentials=resigned)
    assert painted == [] and result.rendered == []
    assert result.rebaked == ["signer-b"]
    assert result.reused == ["mission", *(s for s in SIGNERS if s != "signer-b")]
    after = stats(out / "signer-b")
    assert sorted(n for n in before if before[n] != after[n]) == sorted(CARD_FILES)
    for name in CARD_FILES:
        assert unbake((out / "signer-b" / name).read_bytes()).credential == \
            json.loads(resigned["signer-b"])
    entry = result.entries["signer-b"]
    assert entry.baked == hashlib.sha256(resigned["signer-b"].encode()).hexdigest()
    assert json.loads((out / MANIFEST).read_text())["folders"]["signer-b"]["baked"] == \
        entry.baked
    # the same bytes as a cold build with the new credential
    assert snapshot(out / "signer-b") == fresh(registry, pledges, resigned, "signer-b")


def test_an_unchanged_credential_bakes_nothing(
        baked: tuple[Registry, list[Pledge], Path, dict[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    registry, pledges, out, texts = baked
    manifest = (out / MANIFEST).read_bytes()

    def never(*args: object) -> None:
        raise AssertionError(f"called with {args!r:.80}: nothing changed")

    painted = count_painting(monkeypatch)
    monkeypatch.setattr(cache, "bake_cards", never)
    monkeypatch.setattr(cache, "_file_digest", never)
    result = build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1,
                          credentials=dict(texts))
    assert (painted, result.rendered, result.rebaked) == ([], [], [])
    assert len(result.reused) == 6
    assert (out / MANIFEST).read_bytes() == manifest


def test_a_credential_gone_is_taken_out_without_painting(
        baked: tuple[Registry, list[Pledge], Path, dict[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A signature with no credential any more (say, redacted) keeps no old one baked."""
    registry, pledges, out, texts = baked
    fewer = {slug: text for slug, text in texts.items() if slug != "signer-c"}
    painted = count_painting(monkeypatch)
    result = build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1,
                          credentials=fewer)
    assert (painted, result.rebaked) == ([], ["signer-c"])
    assert result.entries["signer-c"].baked is None
    assert snapshot(out / "signer-c") == fresh(registry, pledges, fewer, "signer-c")
    assert all(unbake((out / "signer-c" / n).read_bytes()).credential is None
               for n in CARD_FILES)


def test_rebaking_on_the_workers(
        baked: tuple[Registry, list[Pledge], Path, dict[str, str]],
        signings: tuple[Signer, Signer], settings: Settings) -> None:
    """A key rotation re-bakes every folder, on all cores; none is painted (the files
    painting alone writes are the very ones, never written again)."""
    registry, pledges, out, _ = baked
    rotated = credentials(pledges, signings[1], settings, registry.mission)
    before = {slug: stats(out / slug) for slug in SIGNERS}
    stream = io.StringIO()
    with Progress(stream) as said:
        result = build_badges(ROOT, out, registry.mission, pledges, BASE, workers=2,
                              credentials=rotated, said=said)
        said.keep()
    assert (result.rendered, result.rebaked) == ([], SIGNERS)
    assert stream.getvalue() == "baking a new credential into 5 badge folders (1 unchanged)\n"
    for slug in SIGNERS:
        after = stats(out / slug)
        assert {n for n in after if after[n] != before[slug][n]} == set(CARD_FILES)
        assert unbake((out / slug / "card-dark@2x.png").read_bytes()).credential == \
            json.loads(rotated[slug])
    assert again(built=(registry, pledges, out), credentials=rotated).rebaked == []


def test_an_interrupted_rebake_keeps_what_it_baked(
        baked: tuple[Registry, list[Pledge], Path, dict[str, str]],
        signings: tuple[Signer, Signer], settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    registry, pledges, out, _ = baked
    rotated = credentials(pledges, signings[1], settings, registry.mission)
    done, stop_after_two = interrupt_after(2)
    with pytest.raises(Interrupted):
        build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1,
                     progress=stop_after_two, credentials=rotated)
    assert len((out / JOURNAL).read_bytes().splitlines()) == 2
    painted = count_painting(monkeypatch)
    result = build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1,
                          credentials=rotated)
    assert painted == [] and result.rendered == []
    assert result.rebaked == sorted(set(SIGNERS) - set(done))
    assert again(built=(registry, pledges, out), credentials=rotated).rebaked == []


def test_a_folder_killed_half_way_through_its_rebake_is_painted_again(
        baked: tuple[Registry, list[Pledge], Path, dict[str, str]],
        signings: tuple[Signer, Signer], settings: Settings) -> None:
    """A kill after one of its card files was written: the manifest does not know that
    file, so the folder is painted again, and ends as a cold build writes it."""
    registry, pledges, out, _ = baked
    rotated = credentials(pledges, signings[1], settings, registry.mission)
    folder = out / "signer-d"
    name = CARD_FILES[0]
    one = bake_cards(snapshot(folder), rotated["signer-d"])[name]
    (folder / name).write_bytes(one)
    result = build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1,
                          credentials=rotated)
    assert result.rendered == ["signer-d"]
    assert result.rebaked == [s for s in SIGNERS if s != "signer-d"]
    assert snapshot(folder) == fresh(registry, pledges, rotated, "signer-d")


def test_a_rebaked_file_edited_afterwards_is_painted_again(
        baked: tuple[Registry, list[Pledge], Path, dict[str, str]],
        signings: tuple[Signer, Signer], settings: Settings) -> None:
    """The manifest records the re-baked files as it does painted ones: a file changed
    since (the same size, a later mtime) is hashed, found different and painted again."""
    registry, pledges, out, _ = baked
    rotated = credentials(pledges, signings[1], settings, registry.mission)
    build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1, credentials=rotated)
    svg = out / "signer-a" / "card-light.svg"
    rebaked = svg.read_bytes()
    # the same size: only the hash can tell
    edited = rebaked.replace(b'"statusListIndex":"0"', b'"statusListIndex":"9"')
    assert edited != rebaked and len(edited) == len(rebaked)
    svg.write_bytes(edited)
    os.utime(svg, ns=(svg.stat().st_atime_ns, svg.stat().st_mtime_ns + 10**9))
    result = build_badges(ROOT, out, registry.mission, pledges, BASE, workers=1,
                          credentials=rotated)
    assert (result.rendered, result.rebaked) == (["signer-a"], [])
    assert svg.read_bytes() == rebaked


def test_the_workers_ask_to_die_with_their_build() -> None:
    """The pool's initializer: on Linux the kernel is asked to kill the worker with its
    parent; a worker whose parent is already gone ends at once."""
    import subprocess
    import sys

    code = ("import ctypes, os, sys\n"
            "from socialmission.model.workers import die_with_parent\n"
            "die_with_parent(os.getppid())\n"
            "value = ctypes.c_int()\n"
            "ctypes.CDLL(None).prctl(2, ctypes.byref(value), 0, 0, 0)\n"  # PR_GET_PDEATHSIG
            "print(value.value, flush=True)\n"
            "die_with_parent(os.getppid() + 1)\n"
            "print('still running')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    if sys.platform.startswith("linux"):
        assert result.stdout.split() == ["9"]  # SIGKILL, and it ended before the last print
    assert result.returncode == 1


# A Ctrl-C while the workers render: SIGINT for the whole process group, as a terminal sends
# it, from the build's progress hook once the first folder is in.
CTRL_C_WHILE_RENDERING = """\
import os, signal, sys, time
from pathlib import Path
from socialmission.check.validate import validate
from socialmission.model.mission import load_mission
from socialmission.render.cache import build_badges

root, registry, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
mission = load_mission(registry)
pledges = validate([registry / "pledges"], mission, name_fits=lambda name: None).pledges

def ctrl_c(key):
    os.killpg(0, signal.SIGINT)
    time.sleep(1)

try:
    build_badges(root, out, mission, pledges, "https://socialmission.example.org/",
                 workers=2, progress=ctrl_c)
except KeyboardInterrupt:
    print("interrupted")
    sys.exit(130)
print("not interrupted")
"""


def test_a_ctrl_c_stops_the_render_and_its_workers_cleanly(registry: Registry) -> None:
    """The render's workers leave a Ctrl-C to the build (model/workers.py): no worker's
    traceback, no hang on half a result in the pool's pipe, no wait for the chunks not
    yet handed out, and nothing left running."""
    import signal
    import subprocess
    import sys

    from process_support import session, sigint_as_in_a_terminal

    for number in range(24):
        registry.write(f"org-{number:02}", VALID.replace("Harbour Media Ltd", f"Org {number}")
                       .replace("www.example.net", f"org{number}.example.org"))
    command = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_WHILE_RENDERING, str(ROOT), str(registry.root),
         str(registry.root / "cache")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True, preexec_fn=sigint_as_in_a_terminal)  # noqa: PLW1509
    try:
        out, err = command.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        left = session(command.pid)
        os.killpg(command.pid, signal.SIGKILL)
        command.communicate()
        raise AssertionError(f"not done 60 s after the Ctrl-C; it left {left}") from None
    assert (command.returncode, out, err) == (130, "interrupted\n", "")
    assert session(command.pid) == []
    # the chunks not yet handed out were dropped, not rendered while the build waited
    rendered = [p for p in (registry.root / "cache").iterdir() if p.is_dir()]
    assert len(rendered) < 12, sorted(p.name for p in rendered)
