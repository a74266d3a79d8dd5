"""The theme templates the site overrides whole (site/overrides/partials/) are the installed
theme's, but for the change each one names, and the icons it draws from its stylesheet are
the theme's: when the theme changes them, this fails."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "site" / "overrides"
# partial -> (the theme's text, ours)
CHANGES = {
    "partials/search.html": (
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" '
        "aria-label=\"{{ lang.t('search') }}\">"),
    "partials/logo.html": ('alt="logo">', 'alt="{{ config.site_name | e }}">'),
}


def _without_comment(text: str) -> str:
    """The template after its leading {#- ... -#} comment."""
    return text.split("-#}\n", 1)[1] if text.startswith("{#-") else text


def test_each_overridden_partial_is_the_themes_but_for_its_change() -> None:
    templates = resources.files("material") / "templates"
    overridden = sorted(str(p.relative_to(OVERRIDES)) for p in (OVERRIDES / "partials").iterdir())
    assert overridden == sorted(CHANGES)
    for name, (theirs, ours) in CHANGES.items():
        original = _without_comment((templates / name).read_text(encoding="utf-8"))
        assert original.count(theirs) == 1, f"the theme's {name} changed: look again"
        mine = _without_comment((OVERRIDES / name).read_text(encoding="utf-8"))
        assert mine == original.replace(theirs, ours), name


# --- the theme's icons, drawn by the shared stylesheet ------------------------------------------
ICONS = OVERRIDES / ".icons" / "sm"
STYLESHEET = ROOT / "site" / "assets" / "registry.css"
ICON_RULE = re.compile(r"\.sm-icon--([a-z-]+) \{\n  --sm-icon: url\('data:image/svg\+xml;"
                       r"charset=utf-8,(<svg [^']*</svg>)'\);\n\}")


def test_each_icon_the_pages_name_is_the_themes_drawn_by_the_stylesheet() -> None:
    """A page's icon is an empty <svg> that the stylesheet paints through Material's icon of
    the same name: every one the config names has its file and its rule, and each rule's
    drawing is the installed theme's, byte for byte."""
    theme = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]
    named = {*theme["icon"].values(), *(p["toggle"]["icon"] for p in theme["palette"])}
    assert {f"sm/{path.stem}" for path in ICONS.iterdir()} == named
    drawn = dict(ICON_RULE.findall(STYLESHEET.read_text(encoding="utf-8")))
    assert set(drawn) == {name.removeprefix("sm/") for name in named}
    material = resources.files("material") / "templates" / ".icons" / "material"
    for name, svg in drawn.items():
        assert (ICONS / f"{name}.svg").read_text(encoding="utf-8") == (
            f'<svg class="sm-icon sm-icon--{name}" viewBox="0 0 24 24"></svg>')
        assert svg == (material / f"{name}.svg").read_text(encoding="utf-8").strip(), name
