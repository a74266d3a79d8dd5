"""The site's colours come from the registry's one palette (badges/palette.yaml), keep
WCAG AA contrast in both schemes, and a palette that cannot colour the site stops the
build with what to change."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, copy_registry
from socialmission.model import paths
from socialmission.render.contrast import contrast
from socialmission.site import theme
from socialmission.site.generator import GenerationError, generate

PALETTE = ROOT / "badges" / "palette.yaml"


def palette() -> dict[str, Any]:
    data = yaml.safe_load(PALETTE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def errors(data: Any) -> list[str]:
    with pytest.raises(theme.ThemeError) as raised:
        theme.parse_colours(data, Path("badges/palette.yaml"))
    first, *rest = str(raised.value).splitlines()
    assert first == "the site's colours cannot be used:"
    return rest


# --- the registry's own palette ---------------------------------------------------------------
@pytest.mark.parametrize("variant", ["light", "dark"])
@pytest.mark.parametrize(("text", "background", "use"), theme.CONTRAST)
def test_every_text_the_site_draws_meets_wcag_aa(variant: str, text: str, background: str,
                                                 use: str) -> None:
    colours = theme.load_colours(ROOT).schemes[variant]
    ratio = contrast(colours[text], colours[background])
    assert ratio >= 4.5, f"{variant}: {text} on {background} ({use}) is {ratio:.2f}:1"


def test_the_site_takes_the_badges_colours_from_the_same_file() -> None:
    """The pills are the badges' own halves and the header is the card's heading green:
    declared once, with YAML anchors, so they cannot drift apart."""
    data = palette()
    for variant in ("light", "dark"):
        site, badge = data["site"][variant], data[variant]
        assert site["signatory"] == badge["value_bg"]
        assert site["signatory_text"] == badge["value_text"]
        assert site["withdrawn"] == badge["withdrawn_bg"]
        assert site["page"] == badge["card_bg"]
        assert site["link"] == badge["card_heading"]
    assert data["site"]["light"]["primary"] == data["light"]["card_heading"]
    assert "&light-heading" in PALETTE.read_text(encoding="utf-8")


def test_the_stylesheet_sets_the_themes_properties_for_both_schemes() -> None:
    css = theme.stylesheet(theme.load_colours(ROOT))
    light, dark = css.split(':root [data-md-color-scheme="default"] {')[1].split(
        ':root [data-md-color-scheme="slate"] {')
    assert "--md-primary-fg-color: #1f6b38;" in light
    assert "--md-typeset-a-color: #1f6b38;" in light
    assert "--md-typeset-a-color: #6bdc94;" in dark
    assert "--md-default-bg-color: #161b22;" in dark
    assert "--md-accent-fg-color--transparent: #d6dbe11a;" in dark
    for block in (light, dark):
        for props in theme.ROLES.values():
            for prop in props:
                assert block.count(f"  {prop}: #") == 1, prop


def test_the_build_publishes_the_stylesheet_that_mkdocs_yml_names() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"- {paths.THEME_CSS_PATH}" in config
    assert config.count("primary: custom") == 2 and config.count("accent: custom") == 2
    assert "indigo" not in config


# --- a palette that cannot colour the site -------------------------------------------------
def test_a_palette_without_site_colours_is_refused_with_the_fix() -> None:
    data = palette()
    del data["site"]
    with pytest.raises(theme.ThemeError, match=r"badges/palette.yaml: site must map each "
                       r"colour scheme \(light, dark\) to the site's colours: add it"):
        theme.parse_colours(data, Path("badges/palette.yaml"))


def test_every_problem_is_listed_once() -> None:
    data = palette()
    light = data["site"]["light"]
    del light["accent"], light["link"]
    light["page"] = "red"
    light["text"] = "#12345"
    light["shadow"] = "#000000"
    data["site"]["dusk"] = {}
    data["site"]["dark"] = ["#000000"]
    assert errors(data) == [
        "badges/palette.yaml: site.dusk is not a colour scheme: use light or dark",
        "badges/palette.yaml: site.light must give every colour of the site: add link, accent",
        "badges/palette.yaml: site.light.page must be a colour written '#rrggbb' (quoted): "
        "'red'",
        "badges/palette.yaml: site.light.text must be a colour written '#rrggbb' (quoted): "
        "'#12345'",
        "badges/palette.yaml: site.light.shadow is not a colour the site uses: remove it, or "
        "use one of " + ", ".join(theme.ROLES),
        "badges/palette.yaml: site.dark must map each of the site's colours to '#rrggbb': "
        "add it, with " + ", ".join(theme.ROLES),
    ]


@pytest.mark.parametrize("value", [
    "#1f6b38; } body { display: none", "#1f6b38</style><script>x</script>", "url(x)",
    "#1f6b38\n", 0x1f6b38, None, "var(--x)",
])
def test_only_a_plain_colour_reaches_the_stylesheet(value: Any) -> None:
    data = palette()
    data["site"]["dark"]["link"] = value
    assert errors(data) == [f"badges/palette.yaml: site.dark.link must be a colour written "
                            f"'#rrggbb' (quoted): {value!r}"]


def test_a_pair_below_aa_is_refused_with_its_ratio() -> None:
    data = copy.deepcopy(palette())
    data["site"]["dark"]["link"] = "#1f6b38"  # the light scheme's green on the dark page
    data["site"]["light"]["primary_muted"] = "#8fbf9f"
    assert errors(data) == [
        "badges/palette.yaml: site.light: primary_muted on primary (the search field's "
        "placeholder in the header) must have a contrast of at least 4.5:1 (WCAG AA): make "
        "one darker or lighter: #8fbf9f on #1f6b38 is 3.14:1",
        "badges/palette.yaml: site.dark: link on page (links) must have a contrast of at "
        "least 4.5:1 (WCAG AA): make one darker or lighter: #1f6b38 on #161b22 is 2.65:1",
        "badges/palette.yaml: site.dark: link on code (links on the code background (inline "
        "code in a link)) must have a contrast of at least 4.5:1 (WCAG AA): make one darker "
        "or lighter: #1f6b38 on #272a35 is 2.19:1",
    ]


def test_the_build_stops_on_a_palette_that_fails(tmp_path: Path) -> None:
    root = copy_registry(tmp_path / "registry")
    path = root / "badges" / "palette.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '    link: *dark-heading', '    link: "#303030"'), encoding="utf-8")
    with pytest.raises(GenerationError, match=r"site.dark: link on page \(links\) must have "
                       r"a contrast of at least 4.5:1 .*#303030 on #161b22 is 1.3\d:1"):
        generate(root, "https://socialmission.example.org/")


def test_an_unreadable_palette_is_refused(tmp_path: Path) -> None:
    root = copy_registry(tmp_path / "registry")
    (root / "badges" / "palette.yaml").write_text("site: [\n", encoding="utf-8")
    with pytest.raises(theme.ThemeError, match=r"palette.yaml: the palette cannot be read "
                       r"\(.*\): fix the file"):
        theme.load_colours(root)


# --- the one theme partial the site overrides ----------------------------------------------
def test_on_a_phone_every_snippet_tab_has_its_own_underline() -> None:
    """registry.css underlines the chosen tab itself where the tabs wrap: one rule for each
    of the signatory page's snippet tabs, no more and no fewer."""
    from socialmission.site.pages import SNIPPET_TABS

    css = (ROOT / "site" / "assets" / "registry.css").read_text(encoding="utf-8")
    rules = re.findall(r"input:nth-child\((\d+)\):checked ~ \.tabbed-labels > "
                       r":nth-child\((\d+)\)", css)
    assert rules == [(str(n), str(n)) for n in range(1, len(SNIPPET_TABS) + 1)]
