"""The theme templates the site overrides whole (site/overrides/partials/) are the installed
theme's, but for the change each one names: when the theme changes them, this fails."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "site" / "overrides"
# partial -> (the theme's text, ours)
CHANGES = {
    "partials/search.html": (
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" '
        "aria-label=\"{{ lang.t('search') }}\">"),
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
