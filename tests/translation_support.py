"""The fixture translations (tests/fixtures/translations/: version 1 in French, and in
Arabic, right to left) in a test's own registry: never the registry's own, whose
translations are reviewed texts, and a hostile one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import TESTS
from socialmission.model import paths

FIXTURE_TRANSLATIONS = TESTS / "fixtures" / paths.TRANSLATIONS_DIR
# A build's day after the fixtures were last updated (a translation updated after the
# day of the build is refused): 2026-12-05
EPOCH = "1796428800"
# What would run, or show as markup, if a page took a translation's text for HTML,
# Markdown or a template: in the title, a principle, the language's name, the translator.
CANARY = "<script>window.__canary=1</script>"
HOSTILE_TITLE = f'"></title>{CANARY} {{{{ 7*7 }}}}'
HOSTILE_PRINCIPLE = (f"{CANARY} [x](javascript:window.__canary=1) "
                     "<img src=x onerror=window.__canary=1> *em* &amp; ")
HOSTILE_NAME = f"<b>Fr</b>{CANARY}"
HOSTILE_TRANSLATOR = "<i>Marie</i> &amp; Dupont"


def with_translations(root: Path) -> Path:
    """The registry at `root`, with the fixture translations."""
    shutil.copytree(FIXTURE_TRANSLATIONS, root / paths.TRANSLATIONS_DIR)
    return root


def hostile_french(root: Path) -> None:
    """Replace the registry's French translation with one whose every text is a payload
    (each a value the validator takes)."""
    path = root / paths.translation_file(1, "fr")
    text = (FIXTURE_TRANSLATIONS / "v1" / "fr.yaml").read_text(encoding="utf-8")
    for old, new in (
            ("language_name: Français", f"language_name: {_quoted(HOSTILE_NAME)}"),
            ("title: La Mission sociale de Socially-M", f"title: {_quoted(HOSTILE_TITLE)}"),
            ("translator: Marie Dupont", f"translator: {_quoted(HOSTILE_TRANSLATOR)}"),
            ("  - >-\n    Les réseaux sociaux vivent",
             f"  - >-\n    {HOSTILE_PRINCIPLE} Les réseaux sociaux vivent")):
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string
