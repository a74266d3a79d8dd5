"""Benchmark the pledge validator on many generated pledges, and compare check-jsonschema.

Run from the repository root:

    .venv/bin/python benchmarks/bench_validate.py [--count N] [--repeat R]

It writes N distinct, valid, varied pledges (fixed random seed) into a temporary
registry (a copy of mission.yaml and a pledges/ folder), checks that the validator finds
no problem in them and that check-jsonschema accepts them, then times:

- the validator in-process: `validate([pledges], load_mission(root))`, R times, after
  one untimed warm-up run (which loads the confusables and public-suffix data);
- the validator end to end: `socialmission --root DIR validate DIR/pledges` as a
  subprocess, R times, with its peak memory and CPU time (GNU time's %M, %U and %S, its
  workers included), and the same on a folder of one pledge, which is the fixed cost
  (start-up, imports, data loading);
- check-jsonschema on the same N files with the published schema, in one invocation
  (or in batches if the argument list would be too long), R times (3 if it is slow),
  each run after one of the CLI's, so that both meet the same load;

and prints the medians, pledges per second and ratios, and the load average before and
after. On a shared machine the CPU times are the steadier figures. See BENCHMARKS.md.

With `--cached` it measures the build's side instead: the site generator's `load_pledges`
(all cores, as `socialmission build` runs it) without the result cache and with it (every
pledge cached, and one pledge changed), side by side, R times each, in-process. The
validator itself and `socialmission validate` never use that cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import socialmission
from socialmission.check.resultcache import RESULTS_FILE
from socialmission.check.text import fold, skeleton
from socialmission.check.validate import validate
from socialmission.model import paths, statuslist
from socialmission.model.mission import load_mission
from socialmission.render.layout import name_check
from socialmission.site.generator import load_pledges

ROOT = Path(__file__).resolve().parent.parent

BIN = Path(sys.executable).parent
SOCIALMISSION = BIN / "socialmission"
CHECK_JSONSCHEMA = BIN / "check-jsonschema"
SCHEMA = ROOT / "site" / "schema" / "pledge.schema.json"
SEED = 20231001
FIRST_DAY = dt.date(2023, 10, 1)  # mission version 1
LAST_DAY = dt.date(2026, 6, 30)  # fixed, so the data never changes (and is in the past)
# Argument bytes per check-jsonschema run: half of Linux's usual ARG_MAX (2 MiB).
ARGV_BUDGET = 1 << 20
# The published schema's URL pattern escapes '"' as '\"', an identity escape that
# ECMA-262 allows only outside unicode mode; check-jsonschema's default (unicode) mode
# refuses the schema, so it runs in ECMA-262's non-unicode mode.
CHECK_JSONSCHEMA_COMMAND = (str(CHECK_JSONSCHEMA), "--regex-variant", "nonunicode",
                            "--schemafile", str(SCHEMA))
SLOW_SECONDS = 180  # if R check-jsonschema runs would take longer, run it 3 times
GNU_TIME = Path("/usr/bin/time")
TARGET_RATE = 5_000  # pledges per second, end to end (the target)
TARGET_RATIO = 5  # times check-jsonschema's speed

# --- word lists for the generated pledges ---------------------------------------------
ADJECTIVES = (
    "Northern", "Southern", "Bright", "Green", "Silver", "Blue", "Red", "Golden", "Quiet",
    "Open", "Kind", "Clear", "Little", "Old", "New", "High", "Deep", "Wild", "Gentle",
    "Honest", "Steady", "Sunny", "Misty", "Rocky", "Sandy", "Windy", "Hidden", "Lucky",
    "Brave", "Calm", "Swift", "Humble", "Civic", "Coastal", "Urban", "Rural", "Royal",
    "Grand", "Crimson", "Amber", "Emerald", "Azure", "Ivory", "Copper", "Iron", "Cosy",
    "Friendly", "Patient", "Careful", "Curious", "Merry", "Noble", "Plain", "Proud",
)
NOUNS = (
    "Harbour", "Valley", "River", "Meadow", "Lantern", "Compass", "Anchor", "Beacon",
    "Orchard", "Bridge", "Garden", "Forge", "Willow", "Oak", "Cedar", "Maple", "Pine",
    "Birch", "Heron", "Otter", "Falcon", "Fox", "Badger", "Kestrel", "Lighthouse", "Mill",
    "Quarry", "Harvest", "Summit", "Spring", "Brook", "Field", "Hill", "Moor", "Fjord",
    "Island", "Tide", "Wave", "Ember", "Spark", "Thistle", "Clover", "Juniper", "Hazel",
    "Robin", "Wren", "Swallow", "Lark", "Acorn", "Pebble", "Granite", "Kite", "Signal",
)
KINDS_OF_ORG = (
    "Media", "Trust", "Books", "Café", "Council", "Agency", "Studio", "Collective",
    "Foundation", "Partners", "Labs", "Press", "FC", "Academy", "Clinic", "Bakery",
    "Consulting", "Design", "Digital", "Records", "Theatre", "Gallery", "Hotel", "Travel",
    "Credit Union", "Works", "School", "Society", "Ltd", "GmbH", "AS", "Co-op", "Radio",
    "Cycling Club", "Choir", "Library", "Museum", "Surgery", "Brewery", "Outfitters",
)
FIRST_NAMES = (
    "Ana", "Tomáš", "Zoë", "Søren", "Björn", "Łukasz", "Chloé", "Siobhán", "Kari", "Ola",
    "Priya", "Amal", "Yusuf", "Mei", "Hiroshi", "Ingrid", "Mateo", "Lucía", "João", "Inês",
    "Olu", "Chidi", "Aroha", "Tane", "Freya", "Elif", "Emre", "Nadia", "Pavel", "Oksana",
    "Giulia", "Marco", "Aoife", "Ciarán", "Hannah", "Jonas", "Léa", "Hugo", "Maja", "Erik",
    "Sofia", "Liam", "Noor", "Omar", "Rania", "Ravi", "Sunita", "Tariq", "Wen", "Xavier",
    "Yara", "Zainab", "Dafydd", "Eilidh", "Agnieszka", "Bogdan", "Ștefan", "Dóra", "Ásta",
)
SURNAMES = (
    "Pérez", "Novák", "Nordmann", "O'Brien", "Müller", "Sharma", "Haddad", "Tanaka",
    "Kowalski", "Andersen", "García", "Silva", "Okafor", "Ngata", "Yılmaz", "Petrov",
    "Rossi", "Murphy", "Schmidt", "Dubois", "Johansson", "Lindqvist", "Costa", "Khan",
    "Rahman", "Chen", "Wang", "Nakamura", "Eze", "Mensah", "Walker", "Hughes", "Evans",
    "MacLeod", "Fraser", "Brennan", "Jansen", "de Vries", "Van Dijk", "Nowak", "Horvat",
    "Kovačić", "Popescu", "Szabó", "Jónsdóttir", "Virtanen", "Korhonen", "Ahmed", "Ali",
    "Mendes", "Ferreira", "Santos", "Moreau", "Lambert", "Fontaine", "Bauer", "Wagner",
)
# Names in other scripts, each part with the romanisation its slug and host use.
SCRIPTS: tuple[tuple[tuple[tuple[str, str], ...], ...], ...] = (
    (  # Greek
        (("Καφέ", "kafe"), ("Εκδόσεις", "ekdoseis"), ("Θέατρο", "theatro"),
         ("Σχολή", "scholi"), ("Φούρνος", "fournos"), ("Γραφείο", "grafeio")),
        (("Καλλιστώ", "kallisto"), ("Αθηνά", "athina"), ("Ήλιος", "ilios"),
         ("Θάλασσα", "thalassa"), ("Ελιά", "elia"), ("Αστέρι", "asteri"),
         ("Πέλαγος", "pelagos"), ("Κύμα", "kyma")),
    ),
    (  # Japanese
        (("株式会社", "kabushiki-kaisha"), ("合同会社", "godo-kaisha"), ("", "")),
        (("さくら", "sakura"), ("ひかり", "hikari"), ("みどり", "midori"), ("そら", "sora"),
         ("うみ", "umi"), ("かぜ", "kaze"), ("ほし", "hoshi"), ("もり", "mori")),
        (("デザイン", "design"), ("メディア", "media"), ("書店", "shoten"),
         ("工房", "kobo"), ("スタジオ", "studio")),
    ),
    (  # Arabic
        (("دار", "dar"), ("مكتبة", "maktabat"), ("مقهى", "maqha"), ("مؤسسة", "muassasat")),
        (("الكلمة", "al-kalima"), ("النور", "al-nur"), ("الأمل", "al-amal"),
         ("الياسمين", "al-yasmin"), ("القمر", "al-qamar"), ("الواحة", "al-waha"),
         ("النخيل", "al-nakhil")),
        (("للنشر", "lil-nashr"), ("للإعلام", "lil-ilam"), ("", "")),
    ),
    (  # Hebrew
        (("ספרי", "sifrei"), ("קפה", "kafe"), ("סטודיו", "studio"), ("תיאטרון", "teatron")),
        (("שלום", "shalom"), ("אור", "or"), ("גשר", "gesher"), ("תמר", "tamar"),
         ("ים", "yam"), ("כרמל", "karmel"), ("נגב", "negev")),
    ),
    (  # Devanagari
        (("प्रिया", "priya"), ("अनुराधा", "anuradha"), ("राहुल", "rahul"), ("सुनीता", "sunita"),
         ("विक्रम", "vikram"), ("मीरा", "meera"), ("अर्जुन", "arjun")),
        (("शर्मा", "sharma"), ("वर्मा", "verma"), ("गुप्ता", "gupta"), ("सिंह", "singh"),
         ("पटेल", "patel"), ("जोशी", "joshi")),
    ),
    (  # Cyrillic
        (("Издательство", "izdatelstvo"), ("Кафе", "kafe"), ("Студия", "studiya"),
         ("Театр", "teatr"), ("Школа", "shkola")),
        (("Берёза", "beryoza"), ("Волна", "volna"), ("Заря", "zarya"), ("Сокол", "sokol"),
         ("Ласточка", "lastochka"), ("Рассвет", "rassvet"), ("Маяк", "mayak")),
    ),
)
SENTENCES = (
    "We signed because our neighbours deserve care, not campaigns.",
    "Respect scales better than outrage.",
    "Our volunteers answer every message, including the angry ones.",
    "We listen first and reply quickly.",
    "Every follower is a person, not a metric.",
    "We will never buy followers or fake reviews.",
    "Mistakes happen; we correct them in public.",
    "Our accounts are run by people who care about the same things our readers do.",
    "We want our online presence to be as kind as our front desk.",
    "Social media is a conversation and we intend to keep our side of it civil.",
    "Nous signons parce que le respect se partage.",
    "Wir hören zu, bevor wir posten.",
    "Firmamos porque la comunidad merece respeto.",
    "Vi svarer raskt og med respekt.",
    "私たちはソーシャルメディアで、人を第一に考えます。",
    "نلتزم بالاستماع الجيد والرد السريع والاحترام لكل متابعينا.",
    "אנחנו מקשיבים לפני שאנחנו מגיבים.",
    "हम सम्मान के साथ जवाब देते हैं।",
    "Мы отвечаем быстро и уважительно.",
    "Ακούμε πρώτα και απαντάμε με σεβασμό.",
)
REASONS = (
    "The agency closed and its accounts were handed back to clients.",
    "We merged with another organisation, which signs in its own name.",
    "The club no longer runs any social media accounts.",
    "Signed by mistake on behalf of the wrong team.",
)
SECTORS = (
    "agency", "arts-and-culture", "charity", "consulting", "education", "finance",
    "government", "healthcare", "hospitality", "manufacturing", "media", "nonprofit",
    "professional-services", "public-sector", "retail", "sport", "technology", "travel",
    "other",
)
COUNTRIES = ("GB", "NO", "IE", "US", "ES", "FR", "DE", "JP", "IN", "IL", "JO", "GR", "CZ",
             "PL", "SE", "DK", "FI", "IS", "NL", "BE", "PT", "BR", "NG", "GH", "NZ", "AU",
             "CA", "TR", "UA", "RO", "HR", "HU", "IT", "KE", "ZA", "EG", "AE", "SG", "KR")
RESERVED = frozenset({"www", "new", "about", "admin", "api", "press", "search", "sign"})
_PLAIN_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n#]*$")
_NOT_PLAIN = re.compile(r": |\s#|:$|\s$")
_LOOKS_TYPED = re.compile(r"^(?:~|null|true|false|[-+.0-9].*|y|n|yes|no|on|off)$",
                          re.IGNORECASE)
_ASCII_FOLD = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae", "ß": "ss",
                             "đ": "d", "ı": "i", "'": ""})


# --- generating pledges --------------------------------------------------------------
def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    ascii_text = "".join(ch for ch in ascii_text if ch.isascii()).lower()
    return "-".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())[:48].strip("-")


def scalar(rng: random.Random, value: str) -> str:
    """The value as a YAML scalar: plain where that is safe, else one of the quoted styles."""
    plain_ok = bool(_PLAIN_SAFE.match(value)) and not _NOT_PLAIN.search(value) \
        and not _LOOKS_TYPED.match(value)
    style = rng.random()
    if plain_ok and style < 0.8:
        return value
    if "'" not in value and style < 0.9:
        return f"'{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def folded_block(text: str, indent: str = "  ", width: int = 72) -> str:
    """A `>-` folded block scalar holding `text` (single spaces between words)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return ">-\n" + "\n".join(indent + line for line in lines)


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _organisation_name(rng: random.Random) -> tuple[str, str]:
    shape = rng.random()
    if shape < 0.45:
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(KINDS_OF_ORG)}"
    elif shape < 0.7:
        name = f"{rng.choice(NOUNS)} & {rng.choice(NOUNS)} {rng.choice(KINDS_OF_ORG)}"
    elif shape < 0.85:
        name = f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    else:
        name = f"{rng.choice(SURNAMES)} {rng.choice(('&', 'and'))} {rng.choice(SURNAMES)} " \
               f"{rng.choice(KINDS_OF_ORG)}"
    return name, slugify(name)


def _individual_name(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    if rng.random() < 0.4:
        middle = chr(ord("A") + rng.randrange(26))
        name = f"{first} {middle}. {last}"
    else:
        name = f"{first} {last}"
    return name, slugify(name)


def _other_script_name(rng: random.Random) -> tuple[str, str]:
    parts = [rng.choice(options) for options in rng.choice(SCRIPTS)]
    native = " ".join(p for p, _ in parts if p)
    roman = " ".join(r for _, r in parts if r)
    return native, slugify(roman)


@dataclass
class Uniques:
    """What must differ between pledges: slug, host, folded name and look-alike key."""

    slugs: set[str]
    names: set[str]

    def claim(self, name: str, slug: str) -> str | None:
        """The free slug for this name, or None if the name (or a look-alike) is taken."""
        keys = (fold(name), "~" + skeleton(name))
        if any(key in self.names for key in keys) or len(slug) < 2:
            return None
        base, number = slug, 2
        while slug in self.slugs or slug in RESERVED:
            slug = f"{base}-{number}"
            number += 1
        self.names.update(keys)
        self.slugs.add(slug)
        return slug


def _pick_name(rng: random.Random, uniques: Uniques, kind: str) -> tuple[str, str]:
    # Nine in ten names are in Latin script, the rest in Greek, Japanese, Arabic, Hebrew,
    # Devanagari or Cyrillic.
    latin = _individual_name if kind == "individual" else _organisation_name
    makers: list[Callable[[random.Random], tuple[str, str]]] = [latin] * 9
    makers.append(_other_script_name)
    for _ in range(1000):
        name, slug = rng.choice(makers)(rng)
        if rng.random() < 0.03:
            name = unicodedata.normalize("NFD", name)  # valid: the validator applies NFC
        claimed = uniques.claim(name, slug)
        if claimed is not None:
            return name, claimed
    raise SystemExit("could not find a fresh name: the word lists are too small for --count")


def _social(rng: random.Random, slug: str, host: str) -> list[tuple[str, str]]:
    handle = slug.replace("-", rng.choice(("", "_", ".")))[:30].strip("._")
    urls = {
        "bluesky": f"https://bsky.app/profile/{host.removeprefix('www.')}",
        "facebook": f"https://www.facebook.com/{handle}",
        "instagram": f"https://www.instagram.com/{handle}",
        "linkedin": f"https://www.linkedin.com/company/{slug}",
        "mastodon": f"https://{rng.choice(('mastodon.social', 'mastodon.example.org'))}"
                    f"/@{handle}",
        "threads": f"https://www.threads.net/@{handle}",
        "tiktok": f"https://www.tiktok.com/@{handle}",
        "x": f"https://x.com/{handle}",
        "youtube": f"https://www.youtube.com/@{handle}",
    }
    networks = sorted(rng.sample(list(urls), rng.randint(1, 4)))
    return [(network, urls[network]) for network in networks]


def pledge_text(rng: random.Random, uniques: Uniques, has_logo: bool) -> tuple[str, str]:
    """One valid pledge: its slug and its YAML text."""
    kind = "individual" if rng.random() < 0.3 else "organisation"
    name, slug = _pick_name(rng, uniques, kind)
    domain = rng.choice(("example.org", "example.com"))
    host = f"{'www.' if rng.random() < 0.3 else ''}{slug}.{domain}"
    signed = random_day(rng, FIRST_DAY, LAST_DAY - dt.timedelta(days=30))
    login = slug[:30].strip("-")
    # dict.fromkeys: a short login plus a word can be the login itself ("x-digital")
    maintainers = list(dict.fromkeys(
        [login] + [f"{login[:20].strip('-')}-{word}" for word in
                   rng.sample(("web", "comms", "social", "digital", "team"),
                              rng.choice((0, 0, 0, 1, 2)))]))
    lines = []
    if rng.random() < 0.8:
        lines.append("# yaml-language-server: $schema=../site/schema/pledge.schema.json")
    lines += [
        f"name: {scalar(rng, name)}",
        f"kind: {kind}",
        f"website: {scalar(rng, f'https://{host}/')}",
        f"signed: {signed.isoformat()}",
        "mission_version: 1",
        "maintainers:",
        *(f"  - {login}" for login in maintainers),
    ]
    if rng.random() < 0.8:
        code = rng.choice(COUNTRIES)
        # A plain NO is the string "NO" (YAML 1.2); some pledges quote it anyway.
        written = rng.choice(("NO", '"NO"')) if code == "NO" else scalar(rng, code)
        lines.append(f"country: {written}")
    if rng.random() < 0.7:
        lines.append(f"sector: {rng.choice(SECTORS)}")
    if rng.random() < 0.6:
        statement = " ".join(rng.sample(SENTENCES, rng.randint(1, 4)))
        if rng.random() < 0.5:
            lines.append(f"statement: {folded_block(statement)}")
        else:
            lines.append(f"statement: {scalar(rng, statement)}")
    if rng.random() < 0.15:
        lines.append(f"statement_url: https://{host}/news/{slug}-signs-the-social-mission")
    if has_logo:
        lines.append(f"logo: logos/{slug}.png")
    if rng.random() < 0.4:
        lines.append("social:")
        lines += [f"  {network}: {url}" for network, url in _social(rng, slug, host)]
    roll = rng.random()
    if roll < 0.06:
        lines += ["status: withdrawn",
                  f"withdrawn: {random_day(rng, signed, LAST_DAY).isoformat()}"]
        if rng.random() < 0.6:
            lines.append(f"withdrawn_reason: {scalar(rng, rng.choice(REASONS))}")
    elif roll < 0.09:
        lines.append("status: active")
    return slug, "\n".join(lines) + "\n"


def generate(root: Path, count: int, seed: int = SEED) -> Path:
    """Write a registry with `count` valid pledges under `root`; return its pledges/."""
    rng = random.Random(seed)
    shutil.copy(ROOT / "mission.yaml", root / "mission.yaml")
    pledges = root / "pledges"
    logos = pledges / "logos"
    logos.mkdir(parents=True)
    shutil.copy(ROOT / "pledges" / "TEMPLATE.yaml.txt", pledges / "TEMPLATE.yaml.txt")
    logo_png = (ROOT / "pledges" / "logos" / "northwind-media.png").read_bytes()
    uniques = Uniques(set(), set())
    indexes: set[int] = set()
    for _ in range(count):
        has_logo = rng.random() < 0.05
        slug, text = pledge_text(rng, uniques, has_logo)
        # its revocation index, as `socialmission new` picks it (drawn from no rng: the
        # pledges stay the ones the seed gave before pledges had one)
        index = statuslist.pick_index(slug, 1, indexes)
        indexes.add(index)
        (pledges / f"{slug}.yaml").write_text(f"{text}status_index: {index}\n",
                                              encoding="utf-8")
        if has_logo:
            (logos / f"{slug}.png").write_bytes(logo_png)
    return pledges


# --- measuring -----------------------------------------------------------------------
@dataclass
class Run:
    seconds: float
    exit_code: int
    peak_kib: int | None  # the child's own peak RSS, from GNU time; None without it
    stdout: str
    # user and system CPU time of the child and the children it waited for (its
    # workers), from GNU time; None without it
    cpu: float | None = None


def run_child(argv: Sequence[str], cwd: Path) -> Run:
    """Run a command: its wall time, exit code, output and peak resident memory.

    The peak comes from GNU time's %M, not from getrusage(RUSAGE_CHILDREN) or wait4: a
    child that subprocess starts with vfork() inherits this process's high-water mark at
    exec, so those report at least this (large) process's own peak.
    """
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "peak"
        wrapper = [str(GNU_TIME), "-f", "%M %U %S", "-o", str(report)] \
            if GNU_TIME.exists() else []
        with (Path(tmp) / "out").open("w+b") as out:
            start = time.perf_counter()
            done = subprocess.run([*wrapper, *argv], cwd=cwd, stdout=out,
                                  stderr=subprocess.STDOUT, check=False)
            seconds = time.perf_counter() - start
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
        # GNU time writes "Command exited with non-zero status N" first when it fails.
        measured = report.read_text().splitlines()[-1].split() if wrapper else None
    if measured is None:
        return Run(seconds, done.returncode, None, text)
    peak, user, system = measured
    return Run(seconds, done.returncode, int(peak), text, float(user) + float(system))


def time_in_process(root: Path, folder: Path) -> Run:
    gc.collect()
    cpu, start = cpu_seconds(), time.perf_counter()
    report = validate([folder], load_mission(root), name_fits=name_check(root))
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    if report.problems:
        raise SystemExit(f"validate() found {len(report.problems)} problems in valid data")
    return Run(seconds, 0, None, "", cpu)


def jsonschema_batches(files: Sequence[str]) -> list[list[str]]:
    """The files split so that no check-jsonschema command line exceeds ARGV_BUDGET."""
    batches: list[list[str]] = [[]]
    size = 0
    for name in files:
        if batches[-1] and size + len(name) + 1 > ARGV_BUDGET:
            batches.append([])
            size = 0
        batches[-1].append(name)
        size += len(name) + 1
    return batches


def run_check_jsonschema(batches: list[list[str]], cwd: Path) -> Run:
    """check-jsonschema over every batch: total wall and CPU time, worst exit code, top
    peak."""
    total, code, peak, output = 0.0, 0, None, []
    cpu: float | None = 0.0
    for batch in batches:
        run = run_child([*CHECK_JSONSCHEMA_COMMAND, *batch], cwd)
        total += run.seconds
        code = max(code, run.exit_code)
        if run.peak_kib is not None:
            peak = max(peak or 0, run.peak_kib)
        cpu = cpu + run.cpu if cpu is not None and run.cpu is not None else None
        output.append(run.stdout)
    return Run(total, code, peak, "".join(output), cpu)


def repeated(runs: int, command: Callable[[], Run], what: str) -> list[Run]:
    """Run a command `runs` times; every run must succeed."""
    done: list[Run] = []
    for _ in range(runs):
        run = command()
        if run.exit_code != 0:
            print(run.stdout[-3000:])
            raise SystemExit(f"{what} exited with {run.exit_code}")
        done.append(run)
    return done


def peak_of(runs: Sequence[Run]) -> int | None:
    """The top peak of the runs (KiB), if measured."""
    return max((run.peak_kib for run in runs if run.peak_kib is not None), default=None)


def cpu_of(runs: Sequence[Run]) -> float | None:
    """The median CPU time of the runs (s), if measured."""
    cpus = [run.cpu for run in runs if run.cpu is not None]
    return statistics.median(cpus) if cpus else None


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    return done.stdout.strip() if done.returncode == 0 else "?"


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    version = "check-jsonschema, version not installed"
    if os.access(CHECK_JSONSCHEMA, os.X_OK):
        version = subprocess.run([str(CHECK_JSONSCHEMA), "--version"], capture_output=True,
                                 text=True, check=False).stdout.strip()
    package = Path(socialmission.__file__).resolve().parent
    if package.is_relative_to(ROOT):
        changed = _git("status", "--porcelain", "--untracked-files=no", "--", "scripts")
        code = f"{_git('rev-parse', '--short', 'HEAD')}" \
               f"{' + uncommitted changes in scripts/' if changed else ''}"
    else:
        code = str(package)
    return {
        "nproc": f"{usable} usable of {os.cpu_count()} ({model})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "code": code,
        "check-jsonschema": version.removeprefix("check-jsonschema, version "),
        "peak memory": f"GNU time %M ({GNU_TIME})" if GNU_TIME.exists()
                       else "not measured (no GNU time)",
    }


def summary(times: Sequence[float]) -> str:
    return (f"median {statistics.median(times):.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f}, n={len(times)})")


def mib(kib: int | None) -> str:
    return f"{kib / 1024:.1f}" if kib is not None else "-"


def cpu_seconds() -> float:
    """CPU time of this process and of its children reaped so far (the validator's
    workers, which have ended when validate() returns)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def time_load(root: Path, *, cache: bool) -> tuple[float, float, int]:
    """One `load_pledges` in-process: its wall time, its CPU time (workers included) and
    a digest of the pledges it loaded, positions included (the same with the cache or
    without, or the figures mean nothing)."""
    mission = load_mission(root)
    gc.collect()
    cpu, start = cpu_seconds(), time.perf_counter()
    pledges = load_pledges(root, mission, cache=cache)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    return seconds, cpu, hash(tuple((p, repr(p.positions)) for p in pledges))


def compare_cached(root: Path, folder: Path, files: Sequence[str], repeat: int) -> int:
    """The build's validation without the result cache and with it, R times each."""
    cache = paths.validation_cache(root)
    shutil.rmtree(cache, ignore_errors=True)
    cold = [time_load(root, cache=False) for _ in range(repeat)]
    filling = time_load(root, cache=True)  # every pledge checked, and kept
    warm = [time_load(root, cache=True) for _ in range(repeat)]
    changed: list[tuple[float, float, int]] = []
    edited = folder / files[len(files) // 2]
    text = edited.read_text(encoding="utf-8")
    for run in range(repeat):
        edited.write_text(f"{text}# edit {run}\n", encoding="utf-8")  # a new content key
        changed.append(time_load(root, cache=True))
    edited.write_text(text, encoding="utf-8")
    if len({digest for _, _, digest in [*cold, filling, *warm]}) != 1:
        print("load_pledges loaded other pledges with the cache than without it")
        return 1
    size = (cache / RESULTS_FILE).stat().st_size
    rows = [("load_pledges, no cache (cold)", cold),
            ("  with the cache, every pledge cached", warm),
            ("  with the cache, one pledge changed", changed)]
    print(f"\n{len(files)} pledges; load_pledges in-process, medians of {repeat} runs; "
          f"filling the cache took {filling[0]:.3f} s ({filling[1]:.3f} s CPU); the cache "
          f"file is {size / 1024:.0f} KiB")
    cold_wall = statistics.median(wall for wall, _, _ in cold)
    cold_cpu = statistics.median(cpu for _, cpu, _ in cold)
    print(f"| {'what':<38} | {'median s':>8} | {'ms a pledge':>11} | {'/ cold':>6} "
          f"| {'CPU s':>6} | {'CPU / cold':>10} |")
    print(f"|{'-' * 40}|{'-' * 10}|{'-' * 13}|{'-' * 8}|{'-' * 8}|{'-' * 12}|")
    for label, runs in rows:
        wall = statistics.median(w for w, _, _ in runs)
        cpu = statistics.median(c for _, c, _ in runs)
        # os.times() counts in clock ticks: a tiny run may measure none
        cpu_ratio = f"{cpu / cold_cpu:.2f}" if cold_cpu else "-"
        print(f"| {label:<38} | {wall:>8.3f} | {wall / len(files) * 1000:>11.3f} "
              f"| {wall / cold_wall:>6.2f} | {cpu:>6.3f} | {cpu_ratio:>10} |")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="pledges (10000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (5)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed for the data")
    parser.add_argument("--no-jsonschema", action="store_true",
                        help="skip check-jsonschema (for quick comparisons)")
    parser.add_argument("--cached", action="store_true",
                        help="time the build's load_pledges without and with its result "
                             "cache, instead of the validator against check-jsonschema")
    args = parser.parse_args(argv)
    if args.count < 1 or args.repeat < 1:
        parser.error("--count and --repeat must be at least 1")
    count, repeat = args.count, args.repeat

    for key, value in machine().items():
        print(f"{key:>17}: {value}")

    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        folder = generate(root, count, args.seed)
        # The badge design, whose fonts tell the validator whether a name fits its badge.
        (root / paths.DESIGN_DIR).symlink_to(ROOT / paths.DESIGN_DIR)
        files = sorted(p.name for p in folder.glob("*.yaml"))
        size = sum((folder / name).stat().st_size for name in files)
        print(f"\ngenerated {len(files)} pledges ({size / 1024:.0f} KiB, seed {args.seed}) "
              f"in {time.perf_counter() - start:.1f} s under {root}")
        if len(files) != count:
            print(f"expected {count} files, found {len(files)}")
            return 1

        # The data must be valid, or the figures mean nothing. This run also warms the
        # in-process caches (public suffixes, confusables, countries, fonts).
        report = validate([folder], load_mission(root), name_fits=name_check(root))
        if report.problems or report.checked != count:
            for problem in report.problems[:20]:
                print(problem.as_text())
            print(f"the generated data is not valid: {len(report.problems)} problems in "
                  f"{report.checked} files")
            return 1
        print(f"validate(): {report.checked} files, 0 problems")
        del report
        if args.cached:
            return compare_cached(root, folder, files, repeat)

        return measure(root, folder, files, repeat, jsonschema=not args.no_jsonschema)


def measure(root: Path, folder: Path, files: Sequence[str], repeat: int, *,
            jsonschema: bool) -> int:
    """The validator in-process, the CLI, and check-jsonschema; the CLI's and
    check-jsonschema's runs interleaved, so that a change in the machine's load falls on
    both sides of the ratio alike."""
    count = len(files)
    ours_in = [time_in_process(root, folder) for _ in range(repeat)]
    print(f"in-process validate():  {summary([r.seconds for r in ours_in])}")
    one = single_pledge(root, folder, files[0])
    ours_one = repeated(repeat, lambda: run_child(one, one_root(root)),
                        "socialmission validate (1 pledge)")
    print(f"  the CLI on 1 pledge:  {summary([r.seconds for r in ours_one])}")
    command = [str(SOCIALMISSION), "--root", str(root), "validate", str(folder)]
    theirs_command = check_jsonschema(files, folder, jsonschema)
    if isinstance(theirs_command, int):
        return theirs_command
    ours_cli: list[Run] = []
    theirs: list[Run] = []
    slow = False
    for _ in range(repeat):
        ours_cli += repeated(1, lambda: run_child(command, root), "socialmission validate")
        if theirs_command is not None and not (slow and len(theirs) >= 3):
            theirs += repeated(1, theirs_command, "check-jsonschema")
            slow = theirs[0].seconds * repeat > SLOW_SECONDS  # then 3 runs will do
    while theirs_command is not None and len(theirs) < 3:
        theirs += repeated(1, theirs_command, "check-jsonschema")
    print(f"socialmission validate: {summary([r.seconds for r in ours_cli])}")
    rows = [("validate() in-process", ours_in, count),
            ("socialmission validate (CLI)", ours_cli, count),
            ("  the CLI on 1 pledge (start-up)", ours_one, 1)]
    if theirs:
        print(f"check-jsonschema: {summary([r.seconds for r in theirs])}")
        rows.append(("check-jsonschema", theirs, count))
    print(f"\n{count} pledges; medians of {repeat} runs"
          f"{f' ({len(theirs)} for check-jsonschema)' if theirs else ''}, the CLI's and "
          "check-jsonschema's interleaved")
    print_table(rows, statistics.median(r.seconds for r in ours_cli))
    print_targets(count, ours_in, ours_cli, theirs)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def one_root(root: Path) -> Path:
    return root / "single"


def single_pledge(root: Path, folder: Path, name: str) -> list[str]:
    """A registry of one pledge beside the generated one, for the fixed cost (start-up,
    imports and data loading); the command that validates it."""
    single = one_root(root)
    (single / "pledges").mkdir(parents=True)
    shutil.copy(root / "mission.yaml", single / "mission.yaml")
    (single / paths.DESIGN_DIR).symlink_to(ROOT / paths.DESIGN_DIR)
    shutil.copy(folder / name, single / "pledges" / name)
    shutil.copytree(folder / "logos", single / "pledges" / "logos")  # if it names one
    return [str(SOCIALMISSION), "--root", str(single), "validate", str(single / "pledges")]


def check_jsonschema(files: Sequence[str], folder: Path,
                     wanted: bool) -> Callable[[], Run] | int | None:
    """What runs check-jsonschema on the files, once it has accepted them; None when it
    is not to run or not installed; 1 when it refuses the files."""
    if not wanted:
        return None
    if not os.access(CHECK_JSONSCHEMA, os.X_OK):
        print(f"check-jsonschema is not installed ({CHECK_JSONSCHEMA}): its side of the "
              "comparison is skipped (`make test` installs it from requirements/dev.lock)")
        return None
    batches = jsonschema_batches(files)
    first = run_check_jsonschema(batches, folder)  # untimed: it warms the disk cache too
    if first.exit_code != 0:
        print(first.stdout[-3000:])
        print(f"check-jsonschema rejected the generated pledges (exit {first.exit_code})")
        return 1
    how = "one invocation" if len(batches) == 1 else f"{len(batches)} batches"
    print(f"check-jsonschema ({how}) accepts all {len(files)} pledges "
          f"({first.stdout.strip().splitlines()[-1]!r})")
    return lambda: run_check_jsonschema(batches, folder)


def print_table(rows: Sequence[tuple[str, Sequence[Run], int]], cli: float) -> None:
    print(f"| {'what':<34} | {'median s':>8} | {'pledges/s':>9} | {'CPU s':>6} "
          f"| {'peak MiB':>8} | {'/ CLI time':>10} |")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 11}|{'-' * 8}|{'-' * 10}|{'-' * 12}|")
    for label, runs, pledges in rows:
        seconds = statistics.median(run.seconds for run in runs)
        rate = f"{pledges / seconds:>9,.0f}" if pledges > 1 else f"{'-':>9}"
        cpu = cpu_of(runs)
        print(f"| {label:<34} | {seconds:>8.3f} | {rate} | "
              f"{f'{cpu:.3f}' if cpu is not None else '-':>6} | {mib(peak_of(runs)):>8} "
              f"| {seconds / cli:>10.2f} |")


def print_targets(count: int, ours_in: Sequence[Run], ours_cli: Sequence[Run],
                  theirs: Sequence[Run]) -> None:
    cli = statistics.median(run.seconds for run in ours_cli)
    rate_met = count / cli >= TARGET_RATE
    print(f"\ntarget: >= {TARGET_RATE:,} pledges/s end to end: "
          f"{'met' if rate_met else 'MISSED'} ({count / cli:,.0f}/s)")
    if theirs:
        their_time = statistics.median(run.seconds for run in theirs)
        ratio = their_time / cli
        ratio_in = their_time / statistics.median(run.seconds for run in ours_in)
        print(f"target: >= {TARGET_RATIO}x check-jsonschema's speed: "
              f"{'met' if ratio >= TARGET_RATIO else 'MISSED'} ({ratio:.1f}x CLI to CLI; "
              f"{ratio_in:.1f}x against in-process)")
        mine, its = cpu_of(ours_cli), cpu_of(theirs)
        if mine is not None and its is not None:
            print(f"CPU time: check-jsonschema {its:.2f} s, the CLI {mine:.2f} s "
                  f"({its / mine:.1f}x)")


if __name__ == "__main__":
    sys.exit(main())
