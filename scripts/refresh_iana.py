"""Refresh the IANA special-purpose address registries that the fetcher carries.

    python scripts/refresh_iana.py [--source DIR] [--data DIR] [--today YYYY-MM-DD]

Downloads both registries' CSV files from iana.org (or, with --source, reads files of the
same names from DIR: a download made by hand, or a test's), checks that the fetcher can
read each one (site/reachable.py's parse_registry), and only then writes them into the
package's data folder and updates the table of dates and SHA-256 hashes in its README.md.
Prints the blocks added and removed. Run by a registry maintainer; nothing else runs it.
Exit 0 written, 1 a download that cannot be used (nothing written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sys
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from socialmission.site.reachable import (
    REGISTRY_FILES,
    REGISTRY_URL,
    RegistryError,
    parse_registry,
)

DATA: Final = Path(__file__).resolve().parent / "socialmission" / "site" / "data"
TIMEOUT: Final = 30.0  # seconds for one download
MAX_SIZE: Final = 1 << 20  # bytes; each registry is a few kilobytes
_ROW: Final = r"^\| `{name}` \| \d{{4}}-\d{{2}}-\d{{2}} \| `[0-9a-f]{{64}}` \|$"


def download(name: str) -> bytes:
    """One registry's CSV, from iana.org."""
    stem = name.removesuffix("-1.csv")
    url = REGISTRY_URL.format(name=stem)
    with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:  # noqa: S310 - https, fixed
        data: bytes = answer.read(MAX_SIZE + 1)
    if len(data) > MAX_SIZE:
        raise RegistryError(f"{url} is over {MAX_SIZE} bytes")
    return data


def readme_with(readme: str, name: str, data: bytes, on: dt.date) -> str:
    """The data README with `name`'s row giving `on` and the hash of `data`."""
    row = re.compile(_ROW.format(name=re.escape(name)), re.MULTILINE)
    new = f"| `{name}` | {on.isoformat()} | `{hashlib.sha256(data).hexdigest()}` |"
    text, count = row.subn(new, readme)
    if count != 1:
        raise RegistryError(f"README.md has no single row for {name} to update")
    return text


def refresh(data_dir: Path, fetch: Callable[[str], bytes], on: dt.date) -> list[str]:
    """Fetch, check and write both registries; the lines that say what changed."""
    fetched: dict[str, bytes] = {}
    report: list[str] = []
    for name in REGISTRY_FILES:
        data = fetch(name)
        try:
            new = parse_registry(data.decode("utf-8-sig"), name)
        except UnicodeDecodeError:
            raise RegistryError(f"{name} is not UTF-8 text") from None
        old_path = data_dir / name
        old = parse_registry(old_path.read_text(encoding="utf-8-sig"), name) \
            if old_path.is_file() else ()
        before = {(str(b.network), b.name, b.reachable) for b in old}
        after = {(str(b.network), b.name, b.reachable) for b in new}
        report += [f"{name}: added {n} ({what}), globally reachable {r or 'blank'}"
                   for n, what, r in sorted(after - before)]
        report += [f"{name}: removed {n} ({what}), globally reachable {r or 'blank'}"
                   for n, what, r in sorted(before - after)]
        fetched[name] = data
    readme_path = data_dir / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    for name, data in fetched.items():
        readme = readme_with(readme, name, data, on)
    # Every file is written beside its target first, then moved in place, so a failed
    # write leaves the old copy whole.
    staged = {data_dir / name: data for name, data in fetched.items()}
    staged[readme_path] = readme.encode("utf-8")
    temporary = {path: path.with_name(f".{path.name}.new") for path in staged}
    try:
        for path, data in staged.items():
            temporary[path].write_bytes(data)
        for path in staged:
            temporary[path].replace(path)
    finally:
        for path in temporary.values():
            path.unlink(missing_ok=True)
    return report or ["no block changed"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, help="read the CSV files from this folder "
                                                    "instead of downloading them")
    parser.add_argument("--data", type=Path, default=DATA, help="the folder to refresh")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="the date written in the README (default: today, UTC)")
    args = parser.parse_args(argv)
    source: Path | None = args.source
    fetch = download if source is None else (lambda name: (source / name).read_bytes())
    on = args.today or dt.datetime.now(dt.UTC).date()
    try:
        lines = refresh(args.data, fetch, on)
    except (OSError, RegistryError) as error:
        print(f"refresh_iana: {error}; nothing written", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
