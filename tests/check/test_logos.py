"""Logos: checked by decoding them (the verdict cached by content), published as a copy
re-encoded at build time, and named after their pledge."""

from __future__ import annotations

import io
import multiprocessing
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from conftest import VALID, Registry, copy_registry
from socialmission.check import verdicts
from socialmission.model import paths, png
from socialmission.model.png import SIGNATURE, Chunk, chunks, encode_chunk

AGAIN = "export it again as PNG"


@pytest.fixture(autouse=True)
def _fresh_verdicts() -> None:
    """Each test starts as a new process would: no verdict read yet."""
    verdicts.forget()


def logo_image(size: int = 96, mode: str = "RGBA") -> Image.Image:
    """A picture with every pixel different enough that a lost pixel shows."""
    image = Image.new("RGBA", (size, size))
    image.putdata([(x * 255 // size, y * 255 // size, (x * y) % 256, 55 + (x + y) % 200)
                   for y in range(size) for x in range(size)])
    return image.convert(mode)


def encode(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


def rebuild(data: bytes, change: Callable[[Chunk], list[Chunk]]) -> bytes:
    """The PNG with each chunk replaced by what `change` makes of it (CRCs made anew)."""
    return SIGNATURE + b"".join(encode_chunk(new.kind, new.data)
                                for chunk in chunks(data) for new in change(chunk))


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


def with_text(kind: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    assertion = '{"type": "Assertion", "recipient": "forged"}'
    if kind == "iTXt":
        info.add_itxt("openbadges", assertion)
    else:
        info.add_text("openbadges", assertion, zip=kind == "zTXt")
    return encode(logo_image(), pnginfo=info)


def truncated_idat(data: bytes) -> bytes:
    """Every chunk whole and its CRC right, but the image data's zlib stream cut in half."""
    return rebuild(data, lambda ch: [Chunk(ch.kind, ch.data[:len(ch.data) // 2])
                                     if ch.kind == b"IDAT" else ch])


def bomb() -> bytes:
    """An IHDR of 60000 x 60000 RGBA pixels (14 GB decoded) over a few hundred bytes."""
    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 6, 0, 0, 0)
    rows = zlib.compress(b"\0" * 4_000_000, 9)[:150_000]
    return SIGNATURE + encode_chunk(b"IHDR", header) + encode_chunk(b"IDAT", rows) + \
        encode_chunk(b"IEND", b"")


def animated() -> bytes:
    frames = [logo_image(), logo_image().rotate(90)]
    return encode(frames[0], save_all=True, append_images=frames[1:], duration=100)


def good() -> bytes:
    return encode(logo_image())


def with_pledge(registry: Registry, slug: str, data: bytes, number: int = 0) -> None:
    (registry.pledges / "logos" / f"{slug}.png").write_bytes(data)
    registry.write(slug, VALID.replace("www.example.net", f"w{number}.example.org")
                   .replace("Harbour Media Ltd", f"Logo test {number}")
                   + f"logo: logos/{slug}.png\n")


class Decodes:
    """png.decode, counting its calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self._decode = png.decode
        monkeypatch.setattr(png, "decode", self)

    def __call__(self, data: bytes) -> Image.Image:
        self.calls += 1
        return self._decode(data)


# --- the check: each way a logo can carry more than one still image, refused -------------
HOSTILE = [
    ("no-idat", lambda: rebuild(good(), lambda ch: [] if ch.kind == b"IDAT" else [ch]),
     f"has no image data (no IDAT chunk): {AGAIN}"),
    ("animated", animated, "is an animated PNG: export it again as a single-frame PNG"),
    ("actl-only", lambda: rebuild(good(), lambda ch: [ch, Chunk(b"acTL", bytes(8))]
                                  if ch.kind == b"IHDR" else [ch]),
     "is an animated PNG: export it again as a single-frame PNG"),
    ("text", lambda: with_text("tEXt"),
     "holds an Open Badges assertion (its tEXt chunk 'openbadges'): only the registry's own "
     f"badges carry one; {AGAIN} without metadata"),
    ("ztext", lambda: with_text("zTXt"),
     "holds an Open Badges assertion (its zTXt chunk 'openbadges'): only the registry's own "
     f"badges carry one; {AGAIN} without metadata"),
    ("itext", lambda: with_text("iTXt"),
     "holds an Open Badges assertion (its iTXt chunk 'openbadges'): only the registry's own "
     f"badges carry one; {AGAIN} without metadata"),
    ("html-after", lambda: good() + b"<html><script>alert(1)</script></html>",
     "has 38 bytes after its end (the IEND chunk), which are no part of the image: "
     f"{AGAIN}"),
    ("zip-after", lambda: good() + zip_bytes(),
     f"has {len(zip_bytes())} bytes after its end (the IEND chunk), which are no part of "
     f"the image: {AGAIN}"),
    ("cut-idat", lambda: truncated_idat(good()),
     f"does not decode (its image data is damaged or cut short): {AGAIN}"),
    ("bad-crc", lambda: good()[:45] + bytes([good()[45] ^ 1]) + good()[46:],
     f"is damaged (the CRC of its b'IDAT' chunk is wrong): {AGAIN}"),
    ("bomb", bomb, "is 60000x60000 pixels; each side must be 64 to 1024: resize it"),
]


@pytest.mark.parametrize(("slug", "make", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_logo_that_carries_more_than_one_still_image_is_refused(
        registry: Registry, monkeypatch: pytest.MonkeyPatch, slug: str,
        make: Callable[[], bytes], message: str) -> None:
    decodes = Decodes(monkeypatch)
    with_pledge(registry, slug, make())
    assert registry.problems() == [(f"{slug}.yaml", 8, 7, f"the logo logos/{slug}.png {message}")]
    # Decoding comes last, and only when the bytes are a PNG within the size caps.
    assert decodes.calls == (1 if slug == "cut-idat" else 0)


def test_a_sound_logo_passes_whatever_its_pixel_format(registry: Registry) -> None:
    formats = [encode(logo_image(mode=mode)) for mode in ("RGBA", "RGB", "LA", "L", "1")]
    formats.append(encode(logo_image().quantize(64)))
    formats.append(encode(logo_image(), optimize=True, interlace=True))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")  # allowed here, dropped on the site
    formats.append(encode(logo_image(mode="RGB"), pnginfo=info, dpi=(300, 300)))
    for number, data in enumerate(formats):
        with_pledge(registry, f"logo-{number}", data, number)
    assert registry.problems() == []


def test_the_logo_must_be_named_after_its_pledge(registry: Registry) -> None:
    (registry.pledges / "logos" / "acme.png").write_bytes(good())
    registry.write("acme", VALID.replace("Harbour Media Ltd", "Acme")
                   .replace("www.example.net", "acme.example.org") + "logo: logos/acme.png\n")
    registry.write("copycat", VALID + "logo: logos/acme.png\n")
    assert registry.problems() == [
        ("copycat.yaml", 8, 7, "'logo' must be 'logos/copycat.png', named after this "
                               "pledge's file: name the logo pledges/logos/copycat.png and "
                               "write that here: got 'logos/acme.png'"),
    ]


# --- the verdict cache ------------------------------------------------------------------
def test_a_logo_is_decoded_once_until_its_bytes_change(
        registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    decodes = Decodes(monkeypatch)
    with_pledge(registry, "good", good(), 0)
    with_pledge(registry, "cut", truncated_idat(good()), 1)
    first = registry.problems()
    assert decodes.calls == 2
    assert registry.problems() == first  # the same process: what it has read
    verdicts.forget()  # a new process: what the cache file says
    assert registry.problems() == first
    assert decodes.calls == 2
    assert len((registry.root / ".cache" / "logos" / "verdicts.jsonl").read_text()
               .splitlines()) == 2
    (registry.pledges / "logos" / "good.png").write_bytes(truncated_idat(good()))
    assert registry.problems() == [
        ("cut.yaml", 8, 7, f"the logo logos/cut.png does not decode (its image data is "
                           f"damaged or cut short): {AGAIN}"),
        ("good.yaml", 8, 7, f"the logo logos/good.png does not decode (its image data is "
                            f"damaged or cut short): {AGAIN}"),
    ]
    assert decodes.calls == 2  # the same bytes as cut.png: a verdict known already
    (registry.pledges / "logos" / "good.png").write_bytes(encode(logo_image(mode="RGB")))
    assert registry.problems() == first[:1]
    assert decodes.calls == 3


def test_a_verdict_is_for_one_version_of_the_checker(
        registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialmission.check import rendering

    decodes = Decodes(monkeypatch)
    with_pledge(registry, "good", good())
    registry.problems()
    verdicts.forget()
    monkeypatch.setattr(rendering, "LOGO_CHECKER_VERSION", rendering.LOGO_CHECKER_VERSION + 1)
    registry.problems()
    assert decodes.calls == 2


@pytest.mark.parametrize("damage", [
    b"\x00\xff garbage \x80\n",
    b'{"key": "x"}\n[1, 2]\n"text"\n{"key": 5, "problem": null}\n',
    b'{"key": "half a line", "probl',
])
def test_a_damaged_cache_is_ignored(registry: Registry, monkeypatch: pytest.MonkeyPatch,
                                    damage: bytes) -> None:
    cache = registry.root / ".cache" / "logos"
    cache.mkdir(parents=True)
    (cache / "verdicts.jsonl").write_bytes(damage)
    decodes = Decodes(monkeypatch)
    with_pledge(registry, "cut", truncated_idat(good()))
    assert [m for *_, m in registry.problems()] == [
        f"the logo logos/cut.png does not decode (its image data is damaged or cut short): "
        f"{AGAIN}"]
    assert decodes.calls == 1


def test_a_forged_verdict_for_other_bytes_is_not_taken(
        registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    """A verdict is keyed by the bytes' SHA-256: a sound logo's verdict is not another's."""
    decodes = Decodes(monkeypatch)
    with_pledge(registry, "good", good())
    registry.problems()
    (registry.pledges / "logos" / "good.png").write_bytes(truncated_idat(good()))
    verdicts.forget()
    assert len(registry.problems()) == 1
    assert decodes.calls == 2


def test_a_cache_that_cannot_be_written_only_costs_time(
        registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    (registry.root / ".cache").write_text("a file where the folder would be")
    decodes = Decodes(monkeypatch)
    with_pledge(registry, "good", good())
    assert registry.problems() == []
    verdicts.forget()
    assert registry.problems() == []
    assert decodes.calls == 2


def test_validation_writes_only_its_verdict_cache(registry: Registry) -> None:
    with_pledge(registry, "good", good())
    before = {p: p.stat().st_mtime_ns for p in registry.root.rglob("*")}
    registry.problems()
    after = {p: p.stat().st_mtime_ns for p in registry.root.rglob("*")}
    cache = registry.root / ".cache"
    assert {p: t for p, t in after.items() if not p.is_relative_to(cache)} == before
    assert sorted(str(p.relative_to(cache)) for p in after if p.is_relative_to(cache)) == [
        ".", "logos", "logos/verdicts.jsonl"]


def _append_verdicts(folder: Path, worker: int) -> None:
    log = verdicts.VerdictLog(folder)
    for number in range(300):
        log.put(f"{worker}-{number}-" + "k" * 200, None if number % 2 else f"problem {number}")


def test_processes_appending_at_once_lose_no_verdict(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append_verdicts, args=(tmp_path, w)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    log = verdicts.VerdictLog(tmp_path)
    for worker_number in range(4):
        for number in range(300):
            key = f"{worker_number}-{number}-" + "k" * 200
            assert log.get(key) == (True, None if number % 2 else f"problem {number}")


def test_a_process_reads_what_others_appended_since(tmp_path: Path) -> None:
    reader, writer = verdicts.VerdictLog(tmp_path), verdicts.VerdictLog(tmp_path)
    writer.put("a", None)
    assert reader.get("a") == (True, None)
    writer.put("b", "problem")
    assert reader.get("b") == (True, "problem")
    (tmp_path / verdicts.VERDICTS_FILE).unlink()  # the cache cleared: read anew
    writer.put("c", None)
    assert reader.get("c") == (True, None)
    assert reader.get("d") == (False, None)


# --- publishing: a re-encoded copy, never the contributed bytes --------------------------
def ancillary_logo() -> bytes:
    """A sound logo with every sort of chunk a validated logo may still carry."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_text("Description", "x" * 500, zip=True)
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta/>")
    info.add(b"tIME", struct.pack(">HBBBBB", 2026, 1, 2, 3, 4, 5))
    info.add(b"prVt", b"private data")  # an unknown, private ancillary chunk
    return encode(logo_image().quantize(200), pnginfo=info, dpi=(144, 144),
                  transparency=0, icc_profile=b"not really a profile")


def test_the_published_logo_has_the_pixels_and_nothing_else(tmp_path: Path) -> None:
    from socialmission.render.logo import published_logo, reencode

    source = tmp_path / "pledges" / "logos" / "acme.png"
    source.parent.mkdir(parents=True)
    source.write_bytes(ancillary_logo())
    assert {c.kind for c in chunks(source.read_bytes())} >= {b"tEXt", b"zTXt", b"iTXt",
                                                              b"tIME", b"pHYs", b"tRNS"}
    published = published_logo(tmp_path, source)
    assert published.parent == tmp_path / paths.LOGOS_CACHE
    data = published.read_bytes()
    assert [c.kind for c in chunks(data)] == [b"IHDR", b"IDAT", b"IEND"]
    assert png.trailing_bytes(data) == 0
    with Image.open(source) as before, Image.open(published) as after:
        assert after.size == before.size
        assert after.convert("RGBA").tobytes() == before.convert("RGBA").tobytes()
        assert after.info == {}
    assert reencode(source.read_bytes()) == data  # the same bytes, made again
    for mode in ("RGBA", "RGB", "LA", "L", "1", "I;16", "P"):
        original = encode(logo_image(mode=mode) if mode != "P" else logo_image().quantize(9))
        copy = reencode(original)
        assert all(png.is_critical(c.kind) for c in chunks(copy)), mode
        with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(copy)) as after:
            assert after.convert("RGBA").tobytes() == before.convert("RGBA").tobytes(), mode


def test_a_cached_copy_is_used_unless_it_is_not_clean(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialmission.render import logo

    source = tmp_path / "pledges" / "logos" / "acme.png"
    source.parent.mkdir(parents=True)
    source.write_bytes(ancillary_logo())
    decodes = Decodes(monkeypatch)
    published = logo.published_logo(tmp_path, source)
    clean = published.read_bytes()
    assert logo.published_logo(tmp_path, source) == published
    assert decodes.calls == 1
    published.write_bytes(clean + b"<html>")  # a cache planted or damaged
    assert logo.published_logo(tmp_path, source).read_bytes() == clean
    published.write_bytes(with_text("tEXt"))
    assert logo.published_logo(tmp_path, source).read_bytes() == clean
    assert decodes.calls == 3
    # Another Pillow, another recipe: the copy is made again, not taken for this one's.
    monkeypatch.setattr(logo, "RECIPE_VERSION", logo.RECIPE_VERSION + 1)
    assert logo.published_logo(tmp_path, source) != published
    assert decodes.calls == 4


def test_a_logo_that_does_not_decode_stops_the_build_with_its_name(tmp_path: Path) -> None:
    from socialmission.render.logo import LogoError, reencode

    with pytest.raises(LogoError, match="damaged or cut short"):
        reencode(truncated_idat(good()))
    with pytest.raises(LogoError, match="60000x60000 pixels, over 1024 a side"):
        reencode(bomb())


@pytest.mark.slow
def test_the_site_publishes_the_re_encoded_copy_under_the_pledges_name(
        tmp_path: Path) -> None:
    from socialmission.site.generator import generate

    root = copy_registry(tmp_path / "registry")
    (root / "pledges" / "harbour-media.yaml").write_text(
        VALID + "logo: logos/harbour-media.png\n")
    contributed = ancillary_logo() + b""
    (root / "pledges" / "logos" / "harbour-media.png").write_bytes(contributed)
    base = "https://socialmission.example.org/"
    content = generate(root, base, workers=1)
    published = content.copies["logos/harbour-media.png"]
    assert published.read_bytes() != contributed
    assert [c.kind for c in chunks(published.read_bytes())] == [b"IHDR", b"IDAT", b"IEND"]
    first = published.read_bytes()
    for cached in (root / paths.LOGOS_CACHE).glob("*.png"):
        cached.unlink()  # a cold cache: the copy is made again, to the same bytes
    again = generate(root, base, workers=1).copies["logos/harbour-media.png"]
    assert again.read_bytes() == first
    page = content.bodies["signatories/index.md"].html
    assert '<img class="sm-logo" src="../logos/harbour-media.png"' in page
