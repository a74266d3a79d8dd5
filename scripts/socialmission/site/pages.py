"""The site's pages, from the mission file and the validated pledges.

Everything a signatory typed is HTML-escaped by the template environment (autoescape).
The signatory and directory pages, where nearly all of it appears, are written as HTML
that MkDocs never passes through Markdown (PageBody); elsewhere it sits inside raw HTML
blocks, so Markdown never interprets it either: a name like `[x](javascript:...)` stays
text. Code blocks get a fence longer than any run of backticks in their content. Front
matter is written with json.dumps (JSON is YAML).
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from socialmission.changes import changeform
from socialmission.credentials.credential import badge_address
from socialmission.model import constants as c
from socialmission.model import openbadges, paths
from socialmission.model.mission import Mission, load_mission, principles_phrase
from socialmission.model.paths import page_url, signatory_source
from socialmission.model.pledge import Pledge
from socialmission.model.proofs import Proof, proof_of
from socialmission.model.settings import (
    DEFAULT_SITE_LANGUAGE,
    Settings,
    load_settings,
    site_language,
    site_name,
)
from socialmission.model.translation import Translation
from socialmission.model.urls import shown_domain
from socialmission.render.face import SIGNATORY_VALUE, Words, badge_words, describe
from socialmission.render.face import face_of as badge_face
from socialmission.render.folder import SOCIAL
from socialmission.render.layout import CARD_HEIGHT, CARD_WIDTH
from socialmission.render.svg import COMPACT_HEIGHT, compact_halves
from socialmission.site import languages, opendata, shields
from socialmission.site.charts import bars, signatories_over_time
from socialmission.site.linkedin import add_to_profile_url
from socialmission.site.signlinks import change_form_url
from socialmission.site.unindent import UnindentedLoader

# Front matter listing the web fonts a page preloads (site paths; site/overrides/main.html)
PRELOADS = "sm_preloads"
DIRECTORY_PAGE_SIZE = 100  # rows per static page of the directory


def _squash(text: str) -> str:
    return " ".join(text.split())


def fence(content: str, language: str) -> Markup:
    """A fenced code block, indented for a content tab, that its content cannot close."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = "\n".join(f"    {line}" for line in content.splitlines())
    # The code is plain text to Markdown (the highlighter escapes it): no HTML escaping.
    return Markup(f"    {ticks} {language}\n{body}\n    {ticks}")  # noqa: S704


def _text(value: object) -> Markup:
    """Element content: `&`, `<` and `>` escaped; quotes, which need no escaping outside an
    attribute, as they are (autoescape's `&#34;` is five bytes for one, sixty times in a
    page's embed snippets)."""
    if isinstance(value, Markup):
        return value
    return Markup(escape(str(value), quote=False))  # noqa: S704 - escaped for element content


# Where an address may break: after a run of these (a space too: "gооgle.com (xn--...)").
_ADDRESS_BREAKS = re.compile(r"([/.@\s]+)")
# characters: a part of an address between two breaks at most this long fits the line of
# any phone whole, in any script; a longer one is drawn as a box of its own (below).
ADDRESS_PART_FITS = 12


def address(text: str) -> Markup:
    """An address shown as text (a host, a URL, a handle) breaks at a line's end only after
    '/', '.', '@' or a space, never inside a word or at a hyphen: each part between them is
    escaped and followed by a <wbr> after the run (so 'https://' stays whole), and
    registry.css keeps every element holding a <wbr> on one line but at its <wbr>s. A part
    longer than ADDRESS_PART_FITS characters is a <span> that registry.css makes a box:
    moved whole to the next line while it fits one, and only when it is wider than the
    whole line broken inside (at a hyphen, else anywhere) rather than widen the page."""
    pieces = _ADDRESS_BREAKS.split(text)
    out = []
    for index, piece in enumerate(pieces):
        escaped = escape(piece, quote=False)
        if index % 2 == 1:
            out.append(escaped + ("<wbr>" if index < len(pieces) - 1 and pieces[index + 1]
                                  else ""))
        elif len(piece) > ADDRESS_PART_FITS:
            out.append(f"<span>{escaped}</span>")
        else:
            out.append(escaped)
    return Markup("".join(out))  # noqa: S704 - every piece escaped


@cache
def environment() -> Environment:
    env = Environment(loader=UnindentedLoader("socialmission.site", "templates"),
                      undefined=StrictUndefined, autoescape=True,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["squash"] = _squash
    env.filters["fence"] = fence
    env.filters["text"] = _text
    env.filters["address"] = address
    env.filters["network_name"] = lambda network: c.SOCIAL_NAMES.get(network, network)
    env.filters["front_text"] = front_text
    env.filters["entity_text"] = entity_text
    env.filters["badge_svg"] = paths.badge_svg  # style | badge_svg(variant)
    env.globals["badge_variants"] = paths.BADGE_VARIANTS
    return env


def _render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


@cache
def country_name(code: str | None) -> str:
    if not code:
        return ""
    import pycountry  # noqa: PLC0415 - its database loads only when a page needs it

    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or country.name) if country else code


def front_text(text: str) -> Markup:
    """One front matter value as the theme prints it, inside a double-quoted attribute:
    '&', '<', '>' and '"' escaped, then JSON-quoted (which YAML reads back as the same
    text, whatever a setting put in it)."""
    for char, reference in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(char, reference)
    return Markup(json.dumps(text, ensure_ascii=False))  # noqa: S704


def front_matter(values: dict[str, Any]) -> Markup:
    """YAML front matter lines; json.dumps quotes and escapes every string safely."""
    lines = []
    for key, value in values.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()]
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {json.dumps(v, ensure_ascii=False)}" for v in value]
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return Markup("\n".join(lines))  # noqa: S704 - JSON-quoted, and front matter is not HTML


@dataclass(frozen=True)
class SiteWords:
    """Every word the pages say about the mission: the registry's settings, the site's
    name (mkdocs.yml), what the badges say, and the mission's own (mission.yaml: the
    words each sector shows as)."""

    settings: Settings
    site_name: str
    badges: Words
    mission: Mission
    # the site's language (mkdocs.yml's theme.language): the original's, beside translations
    language: str = DEFAULT_SITE_LANGUAGE

    def sector(self, sector: str | None) -> str:
        """The words a pledge's sector shows as ('' for none)."""
        return self.mission.sector_label(sector) if sector else ""


def site_words(root: Path) -> SiteWords:
    return SiteWords(load_settings(root), site_name(root), badge_words(root),
                     load_mission(root), site_language(root))


# --- pages -----------------------------------------------------------------------------------
WALL_BOX = 48  # px: a thumbnail on the home page's wall is shown at most this wide and high


@dataclass(frozen=True)
class WallEntry:
    """A signatory on the home page's wall: its page, name and domain, and its thumbnail,
    its own logo (`logo`: the published copy, at its display size) or else its monogram
    (`initial`): never a file made for the wall."""

    href: str
    name: str
    host: str  # model.urls.shown_domain, or "" for a signatory without a website
    logo: dict[str, Any] | None
    initial: str | None


def wall(pledges: list[Pledge], built_on: dt.date, size: int, min_age: int) -> list[Pledge]:
    """The home page's wall: the `size` most recent active signatories whose signature is
    at least `min_age` days old on `built_on` (the build's day, never the clock's), newest
    signature first and, on the same day, by slug (a pledge signed again by its new
    signature's day)."""
    latest = built_on - dt.timedelta(days=min_age)
    shown = [p for p in pledges if p.active and p.current.signed <= latest]
    return sorted(shown, key=lambda p: (-p.current.signed.toordinal(), p.slug))[:size]


def wall_entry(pledge: Pledge, logo_size: tuple[int, int] | None) -> WallEntry:
    """What the wall shows of a signatory (the template escapes every value): hrefs and
    logos relative to the home page, at the site's root."""
    logo = None
    if pledge.logo and logo_size is not None:
        width, height = logo_display(logo_size, WALL_BOX)
        logo = {"src": paths.logo_path(pledge.slug), "width": width, "height": height}
    return WallEntry(href=paths.page_path(pledge.slug), name=pledge.name,
                     host=shown_domain(pledge.website) if pledge.website else "",
                     logo=logo, initial=None if logo else opendata.monogram_initial(pledge.name))


def long_date(day: dt.date) -> str:
    """A date as the pages write it in running text: '5 December 2026'."""
    return f"{day.day} {day:%B %Y}"


def home(mission: Mission, pledges: list[Pledge], words: SiteWords, *, built_on: dt.date,
         logo_sizes: Mapping[str, tuple[int, int]] | None = None,
         translations: Sequence[Translation] = ()) -> str:
    """The home page: the mission's title and line, the generic badge, how many active
    signatories there are on the day of the build (`built_on`), the wall of the most
    recent of them (registry.yaml's home_wall and home_wall_min_age), and the principles
    with the current version's languages (`translations`: all of them). A signatory of
    an older version only is counted apart, never as one of this version's.
    `logo_sizes`: each published logo's size in pixels, by slug."""
    current = mission.current.version
    active = [p for p in pledges if p.active]
    this = sum(current in p.versions for p in active)
    phrase = principles_phrase(len(mission.current.principles))
    settings = words.settings
    shown = wall(pledges, built_on, settings.home_wall, settings.home_wall_min_age)
    return _render("home.md.j2", version=mission.current, total=len(active), active=this,
                   earlier=len(active) - this, principles=phrase, words=words,
                   built_on=built_on, built_on_text=long_date(built_on),
                   badge=paths.badge_folder_path(paths.GENERIC_BADGE),
                   cards={variant: paths.badge_svg(paths.CARD_STYLE, variant)
                          for variant in paths.BADGE_VARIANTS},
                   card_width=CARD_WIDTH, card_height=CARD_HEIGHT, wall_box=WALL_BOX,
                   wall=[wall_entry(p, (logo_sizes or {}).get(p.slug)) for p in shown],
                   directory=f"{paths.SIGNATORIES_PATH}/",
                   languages=languages.switch(mission, translations, current,
                                              words.language),
                   description=f"{phrase.capitalize()} {settings.mission_aim}, "
                               "and the registry of everyone who has signed them.")


@dataclass(frozen=True)
class Changes:
    """What changed in the principles from one version to the next (numbers are 1-based)."""

    added: tuple[tuple[int, str], ...]  # (number in the new version, text)
    removed: tuple[tuple[int, str], ...]  # (number in the old version, text)
    reworded: tuple[tuple[int, int, str, str], ...]  # (old number, new number, old, new)

    @property
    def none(self) -> bool:
        return not (self.added or self.removed or self.reworded)


REWORDED_MIN = 0.5  # difflib's similarity ratio from which a replaced principle was reworded


def principle_changes(old: tuple[str, ...], new: tuple[str, ...]) -> Changes:
    """The principles added, removed and reworded between two versions, from the texts:
    difflib lines them up; a principle replaced by one that is at least REWORDED_MIN alike
    was reworded, otherwise one was removed and another added."""
    before, after = [_squash(p) for p in old], [_squash(p) for p in new]
    added: list[tuple[int, str]] = []
    removed: list[tuple[int, str]] = []
    reworded: list[tuple[int, int, str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        while olds and news:
            i, j = olds[0], news[0]
            if difflib.SequenceMatcher(a=before[i], b=after[j]).ratio() < REWORDED_MIN:
                break
            reworded.append((i + 1, j + 1, before[i], after[j]))
            olds.pop(0)
            news.pop(0)
        removed += [(i + 1, before[i]) for i in olds]
        added += [(j + 1, after[j]) for j in news]
    return Changes(tuple(added), tuple(removed), tuple(reworded))


def history(mission: Mission, words: SiteWords,
            translations: Sequence[Translation] = ()) -> str:
    """The history page: every published version, with its languages (`translations`:
    all of them), and the draft (asked for by name, the one page that shows it) as
    proposed, with what it would change."""
    versions = mission.versions
    changes = {later.version: principle_changes(earlier.principles, later.principles)
               for earlier, later in itertools.pairwise(versions)}
    draft = mission.draft
    draft_changes = None if draft is None else \
        principle_changes(mission.current.principles, draft.text.principles)
    return _render("history.md.j2", versions=versions, changes=changes, words=words,
                   anchor=paths.mission_version_anchor, draft=draft,
                   draft_changes=draft_changes, draft_anchor=paths.MISSION_DRAFT_ANCHOR,
                   languages={v.version: languages.switch(mission, translations, v.version,
                                                          words.language)
                              for v in versions})


def press_kit(words: SiteWords, badge_kit: tuple[str, int] | None = None) -> str:
    """The press kit; `badge_kit` is the zip of the generic badges (site path, size in
    bytes), linked for download."""
    label = words.settings.badge_label
    styles = [{"title": style.capitalize(), "alt": f"{label} badge, {style}",
               "light": paths.badge_svg(style, paths.LIGHT_VARIANT),
               "dark": paths.badge_svg(style, paths.DARK_VARIANT)}
              for style in paths.BADGE_STYLES]
    kit = None if badge_kit is None else \
        {"path": badge_kit[0], "size": f"{max(1, round(badge_kit[1] / 1024))} KB"}
    return _render("press-kit.md.j2", styles=styles, kit=kit, words=words,
                   folder=paths.badge_folder_path(paths.GENERIC_BADGE),
                   card_png=paths.LIGHT_CARD_PNG, card_width=CARD_WIDTH, card_height=CARD_HEIGHT)


@dataclass(frozen=True)
class PageBody:
    """A page the generator writes as HTML: of its Markdown, only the front matter is read."""

    html: str
    toc: tuple[tuple[str, str], ...]  # (id, title) of each h2 in `html`, in order
    # (id, title) of the page's h1: the root of its table of contents, as Markdown's toc
    # makes it, and so the target of the theme's "Skip to content" link (which the theme
    # renders only for a page whose table of contents has an entry)
    heading: tuple[str, str] | None = None
    # what the theme shows of the page outside its body, as plain text (a signatory's page:
    # its name and description), for site/fill.py; None: the page's front matter has it
    title: str | None = None
    description: str | None = None


DIRECTORY_HEADING = "signatories"  # the id of the directory's h1
FORMER_HEADING = "former-signatories"  # the id of the former signatories' h1
# The directory's columns, in order: (field of opendata.directory_row, header).
DIRECTORY_COLUMNS = (("name", "Name"), ("kind", "Kind"), ("country", "Country"),
                     ("sector", "Sector"), ("signed", "Signed"))
DIRECTORY_QUERY_MAX = 100  # characters of a name search, typed or read from the address


def country_sort_key(name: str) -> tuple[str, str]:
    """English names in alphabetical order: accents and case apart ("Åland" by "A"), as
    the script's Intl.Collator orders the column; the name itself breaks ties."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", name)
                     if not unicodedata.combining(ch))
    return folded.casefold(), name


def _directory_row(pledge: Pledge, proofs: Mapping[str, Proof], prefix: str,
                   words: SiteWords) -> dict[str, Any]:
    """A row of the directory's table, for the template's `row` macro."""
    data = opendata.directory_row(pledge, proofs, words.mission)
    return {**data, "href": f"{prefix}{data['slug']}/", "older": data["older_version"] or None,
            "country": country_name(pledge.country), "sector": words.sector(pledge.sector),
            "logo": f"{prefix}../{data['logo']}" if data["logo"] else None,
            "initial": None if data["logo"] else data["initial"]}


# The row directory.js fills: every optional part present, every value empty.
_BLANK_ROW = {"href": "", "name": "", "host": "", "logo": "", "initial": "", "proof": "website",
              "kind": "", "country": "", "sector": "", "signed": "", "older": ""}


def directory_pages(pledges: list[Pledge], proofs: Mapping[str, Proof] | None = None, *,
                    words: SiteWords) -> tuple[dict[str, str], dict[str, PageBody]]:
    """The signer directory: page 1 at signatories/, the rest at signatories/page/N/ (front
    matter and HTML body, by source path), and the former signatories' page."""
    active = sorted((p for p in pledges if p.active), key=lambda p: (p.name.casefold(), p.slug))
    withdrawn = sum(not p.active for p in pledges)
    pages: dict[str, str] = {}
    bodies: dict[str, PageBody] = {}
    count = max(1, -(-len(active) // DIRECTORY_PAGE_SIZE))
    countries = sorted(((code, country_name(code)) for code in {p.country for p in active
                                                                if p.country}),
                       key=lambda choice: country_sort_key(choice[1]))
    named = {p.sector for p in active}
    choices = {
        "countries": countries,
        # (name, words) in mission.yaml's order, as the forms list them
        "sectors": [(sector, words.sector(sector)) for sector in words.mission.sectors
                    if sector in named],
        "kinds": list(c.KINDS),
        "years": sorted({p.current.signed.year for p in active}, reverse=True),
    }
    for number in range(1, count + 1):
        prefix = "" if number == 1 else "../../"
        chunk = active[(number - 1) * DIRECTORY_PAGE_SIZE:number * DIRECTORY_PAGE_SIZE]
        rows = [_directory_row(p, proofs or {}, prefix, words) for p in chunk]
        path = paths.directory_source(number)
        pages[path] = _render("directory.md.j2", page_number=number, words=words)
        html = _render("directory.html.j2", rows=rows, blank=_BLANK_ROW,
                       columns=DIRECTORY_COLUMNS, heading_id=DIRECTORY_HEADING,
                       page_number=number, page_count=count, prefix=prefix,
                       page_size=DIRECTORY_PAGE_SIZE, query_max=DIRECTORY_QUERY_MAX,
                       data_source=paths.DIRECTORY_DATA_PATH,
                       address_part_fits=ADDRESS_PART_FITS,
                       active_count=len(active), withdrawn_count=withdrawn,
                       latest=words.mission.current.version,
                       changes=f"{prefix}../{changes_path(words.mission)}", **choices)
        bodies[path] = PageBody(html, (), (DIRECTORY_HEADING, "Signatories"))
    former = sorted((p for p in pledges if not p.active), key=lambda p: p.name.casefold())
    pages[paths.FORMER_SOURCE] = _render("former.md.j2", words=words)
    bodies[paths.FORMER_SOURCE] = PageBody(_render("former.html.j2", pledges=former,
                                                   heading_id=FORMER_HEADING),
                                           (), (FORMER_HEADING, "Former signatories"))
    return pages, bodies


@cache
def compact_width(fonts: Path, label: str) -> int:
    """The compact badge's width in px (both halves), as render/svg.py lays it out."""
    return sum(compact_halves(fonts, label, SIGNATORY_VALUE))


# Characters that may start inline markup in Markdown. CommonMark takes a backslash before
# any ASCII punctuation as that character, literally: escaping every one is never wrong.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Characters a Markdown link destination or an rST target may not hold as they are.
_URL_SAFE = ":/?#@!$&'*+,;=%-._~"


def markdown_text(text: str) -> str:
    """Text for Markdown link text or an image's alt: one line, every ASCII punctuation
    character backslash-escaped (so `*`, `_`, `[`, `` ` ``, `&` of an entity, `<` of a tag
    or an autolink, `!` of an image and `~` of a strikethrough stay characters)."""
    return _PUNCTUATION.sub(r"\\\1", _squash(text))


def entity_text(text: str) -> Markup:
    """Text for Markdown's inline content inside an HTML block (md_in_html), on one line:
    every ASCII punctuation character written as a numeric character reference, which
    neither Markdown (a link, an emphasis, an escape) nor the HTML around it (a tag, an
    entity) reads as anything but that character."""
    return Markup(_PUNCTUATION.sub(lambda found: f"&#{ord(found[1])};",  # noqa: S704
                                   _squash(text)))


def rst_option(text: str) -> str:
    """Text for an rST directive option: one line. docutils reads an option's value as a
    literal block (no inline markup, no backslash escapes), so nothing else is escaped;
    a line break would end the option, and is folded to a space."""
    return _squash(text)


def markup_url(url: str) -> str:
    """A URL for a Markdown link destination or an rST target: parentheses, angle
    brackets, spaces, backslashes and backticks percent-encoded (they would end or break
    the destination); the URL means the same."""
    return quote(url, safe=_URL_SAFE)


STYLE = 'style="border:0"'  # e-mail clients draw a border round a linked image without it
# What separates two attributes of an HTML snippet's tag where the snippet takes several
# lines: a line break inside a tag is no text. One between two elements would be, and
# pasted inside a paragraph a line break after the badge's <img> is a space in the link,
# underlined after the badge.
ATTRIBUTE_BREAK = "\n  "


def _html_img(src: str, width: int, height: int, alt: str, *extra: str,
              between: str = " ") -> str:
    """An <img>, its attributes `between` each other: `src`, then the rest on one line."""
    rest = " ".join((f'width="{width}"', f'height="{height}"',
                     f'alt="{escape(alt, quote=True)}"', *extra))
    return f'<img{between}src="{escape(src, quote=True)}"{between}{rest}>'


def _html_picture(badges: str, style: str, width: int, height: int, alt: str) -> str:
    """An <img> in a <picture> that shows the dark file when the visitor's system is dark."""
    dark = escape(badges + paths.badge_svg(style, paths.DARK_VARIANT), quote=True)
    light = _html_img(badges + paths.badge_svg(style, paths.LIGHT_VARIANT), width, height, alt,
                      between=ATTRIBUTE_BREAK)
    return (f'<picture><source{ATTRIBUTE_BREAK}media="(prefers-color-scheme: dark)"'
            f'{ATTRIBUTE_BREAK}srcset="{dark}">{light}</picture>')


def snippets(pledge: Pledge, base: str, fonts: Path, words: SiteWords) -> dict[str, str]:
    """Embed code for the signatory's own website, by SNIPPET_TABS key: every value
    escaped for its language (HTML attributes, Markdown or rST text, URLs). The HTML
    snippets break their lines inside tags only (ATTRIBUTE_BREAK): nothing in them is text."""
    badges = paths.badge_folder_url(base, pledge.slug)
    page = page_url(base, pledge.slug)
    name = words.settings.mission_name  # plain text in every language here
    claim = f": {name} signatory" if pledge.active else f": withdrawn from the {name}"
    alt = pledge.name + claim
    href = escape(page, quote=True)
    width = compact_width(fonts, words.badges.label)

    def linked(inner: str) -> str:
        return f'<a href="{href}">{inner}</a>'

    card = {variant: linked(_html_img(badges + paths.badge_svg(paths.CARD_STYLE, variant),
                                      CARD_WIDTH, CARD_HEIGHT, alt, between=ATTRIBUTE_BREAK))
            for variant in paths.BADGE_VARIANTS}
    light_card = badges + _LIGHT_CARD
    # The PNG is drawn at twice its size; the e-mail shows it at the card's own size.
    email = linked(_html_img(badges + paths.LIGHT_CARD_PNG, CARD_WIDTH, CARD_HEIGHT, alt, STYLE))
    md_page, md_card = markup_url(page), markup_url(light_card)
    markdown = f"[![{markdown_text(pledge.name)}{claim}]({md_card})]({md_page})"
    rst = (f".. image:: {md_card}\n   :alt: {rst_option(alt)}\n   :width: {CARD_WIDTH}\n"
           f"   :height: {CARD_HEIGHT}\n   :target: {md_page}")
    shields_badge = markup_url(shields.badge_url(base, pledge.slug))
    return {"html": linked(_html_picture(badges, paths.CARD_STYLE, CARD_WIDTH, CARD_HEIGHT,
                                         alt)),
            "html-light": card[paths.LIGHT_VARIANT], "html-dark": card[paths.DARK_VARIANT],
            "compact": linked(_html_picture(badges, paths.COMPACT_STYLE, width, COMPACT_HEIGHT,
                                            alt)),
            "email": email, "markdown": markdown, "rst": rst,
            "shields": f"[![{markdown_text(pledge.name)}{claim}]({shields_badge})]({md_page})",
            "url": light_card}


@dataclass(frozen=True)
class SnippetTab:
    key: str  # in snippets()
    label: str
    language: str  # the highlighter's
    note: str  # shown above the code: what the snippet does, and when to pick it


SIGNATORY_SECTIONS = (("badge", "Badge"), ("verify-this-badge", "Verify this badge"))
# The section of a page whose pledge was signed more than once: each signature, oldest
# first, numbered as their assertions' addresses are (paths.assertion_path).
SIGNATURES_SECTION = ("signatures", "Signatures")
SIGNATORY_HEADING = "signatory"  # the id of a signatory page's h1 (its name)
_LIGHT_CARD = paths.badge_svg(paths.CARD_STYLE, paths.LIGHT_VARIANT)
_DARK_CARD = paths.badge_svg(paths.CARD_STYLE, paths.DARK_VARIANT)
SNIPPET_TABS = (
    SnippetTab("html", "HTML", "html",
               "The card, light or dark as the visitor's system is set "
               "(prefers-color-scheme). GitHub's Markdown takes this HTML too."),
    SnippetTab("html-light", "HTML, always light", "html",
               "The light card, whatever the visitor's setting: for a light site whose "
               "own theme does not follow the system's."),
    SnippetTab("html-dark", "HTML, always dark", "html",
               "The dark card, whatever the visitor's setting: for a dark site whose own "
               "theme does not follow the system's."),
    SnippetTab("compact", "HTML (compact)", "html",
               "The 20 px badge, light or dark as the visitor's system is set."),
    SnippetTab("email", "E-mail signature", "html",
               "For e-mail, which shows no SVG: the PNG, drawn at twice its size and shown "
               f"at {CARD_WIDTH} x {CARD_HEIGHT}, with full addresses."),
    SnippetTab("markdown", "Markdown", "markdown",
               "Light only: Markdown shows one image. The light card brings its own "
               "background, so it reads on dark pages too; on GitHub, the HTML snippet "
               "follows the theme."),
    SnippetTab("rst", "reStructuredText", "rst",
               f"Light only, as in Markdown; for a dark site, write {_DARK_CARD} for "
               f"{_LIGHT_CARD}."),
    SnippetTab("shields", "Shields.io", "markdown",
               "For a README: shields.io draws this badge from the registry's document, "
               "which will say \"withdrawn\" if you withdraw. For another style, add "
               "&style=flat-square to the image's address."),
    SnippetTab("url", "Image URL", "text",
               f"The light card; the dark one is {_DARK_CARD} beside it."),
)


# The PNGs come at 2x only (render/folder.py): an e-mail's <img> shows them at half size.
PNG_NAMES = tuple(paths.badge_png(paths.badge_stem(style, variant))
                  for style in reversed(paths.BADGE_STYLES) for variant in paths.BADGE_VARIANTS)


@cache
def _tab_header() -> Markup:
    """The radio buttons and labels of the snippets' tab set: the same on every page."""
    checked = 'checked="checked" '
    inputs = "".join(
        f'<input {checked if number == 1 else ""}id="__tabbed_1_{number}" '
        f'name="__tabbed_1" type="radio" />' for number in range(1, len(SNIPPET_TABS) + 1))
    labels = "".join(f'<label for="__tabbed_1_{number}">{escape(tab.label)}</label>'
                     for number, tab in enumerate(SNIPPET_TABS, start=1))
    return Markup(f'{inputs}<div class="tabbed-labels">{labels}</div>')  # noqa: S704 - constants


LOGO_BOX = 96  # px: a logo is shown at most this wide and this high, in its proportions


def logo_display(size: tuple[int, int], box: int = LOGO_BOX) -> tuple[int, int]:
    """The width and height (px) at which a logo of `size` pixels is shown: scaled to fit
    a square of `box` px (a signatory page's LOGO_BOX unless said), never up, each side
    at least 1."""
    width, height = size
    scale = min(1.0, box / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def changes_path(mission: Mission) -> str:
    """The history page's section for the current version (what changed), from the site's
    root."""
    return f"{paths.HISTORY_PATH}#{paths.mission_version_anchor(mission.current.version)}"


def signatory(pledge: Pledge, base: str, fonts: Path,
              mission: Mission | None = None,
              proof: Proof | None = None, *, words: SiteWords,
              logo_size: tuple[int, int] | None = None,
              credential: bool = False) -> tuple[str, PageBody]:
    """A signatory's page: its front matter (Markdown), and its body as HTML. Only an
    active signatory's page offers embed snippets, and only an active individual's an
    "Add to LinkedIn" link (site/linkedin.py); a redacted one's shows the tombstone.
    `logo_size` is the published logo's size in pixels (none: no logo is shown);
    `credential`: its card badges carry a signed Open Badges 3.0 credential, which the
    page then names."""
    latest = mission.current.version if mission is not None else None
    description = describe(badge_face(pledge, base, latest, words=words.badges))
    stub = signatory_stub(base, pledge.slug, pledge.name, description)
    code = snippets(pledge, base, fonts, words) if pledge.active else {}
    current = pledge.current
    reaffirmations = [(number, day.isoformat()) for number, day in current.reaffirmed]
    newer = opendata.newer_version(pledge, mission) if pledge.active else None
    history = signature_history(pledge, base)
    sections = (SIGNATURES_SECTION, *SIGNATORY_SECTIONS) if history else SIGNATORY_SECTIONS
    html = _render("signatory.html.j2", pledge=pledge, sections=sections,
                   current=current, reaffirmations=reaffirmations, newer=newer,
                   reaffirm=_reaffirm_links(pledge, words, mission) if newer else None,
                   history=history, assertions=_assertion_rows(pledge, base, history),
                   by_registry=current.withdrawn_by == c.WITHDRAWN_BY_REGISTRY,
                   country=country_name(pledge.country), sector=words.sector(pledge.sector),
                   badges=f"../../{paths.badge_folder_path(pledge.slug)}",
                   alt=description,
                   words=words,
                   tab_header=_tab_header(),
                   tabs=[{"language": tab.language, "code": code[tab.key], "note": tab.note}
                         for tab in SNIPPET_TABS if tab.key in code],
                   pngs=PNG_NAMES, sizes=(
                       (paths.CARD_STYLE, CARD_WIDTH, CARD_HEIGHT),
                       (paths.COMPACT_STYLE, compact_width(fonts, words.badges.label),
                        COMPACT_HEIGHT)),
                   linkedin=add_to_profile_url(pledge, base, words.settings),
                   # the one the badges carry: the current signature's newest version's
                   assertion=base + openbadges.assertion_path(pledge, pledge.current_version),
                   credential=base + badge_address(pledge) if credential else None,
                   proof=proof if pledge.active else None,
                   domain=shown_domain(pledge.website) if pledge.website else None,
                   logo=_logo(pledge, logo_size), heading_id=SIGNATORY_HEADING)
    return stub, PageBody(html, sections, (SIGNATORY_HEADING, pledge.name),
                          title=pledge.name, description=description)


def _reaffirm_links(pledge: Pledge, words: SiteWords,
                    mission: Mission | None) -> dict[str, str]:
    """What an active signatory of an older version is offered: the history page's
    section on what changed, and the change form with its page address filled in and the
    two choices to make there (GitHub fills text questions from a link, not dropdowns)."""
    owner_name = paths.github_repository(words.settings.repository)
    assert owner_name is not None and mission is not None  # registry.yaml's reader checks
    return {"changes": f"../../{changes_path(mission)}",
            "form": change_form_url(owner_name, pledge.slug),
            "reaffirm": changeform.REAFFIRM, "withdraw": changeform.WITHDRAW}


@dataclass(frozen=True)
class SignatureItem:
    """One signature as a signatory's page lists it (dates as YYYY-MM-DD)."""

    number: int  # 1 the first
    anchor: str  # its item's id (paths.signature_anchor)
    signed: str
    version: int  # the mission version it signed
    reaffirmed: list[tuple[int, str]]  # (version, day), oldest first
    withdrawn: str | None
    reason: str | None  # why it was withdrawn, as given
    by_registry: bool  # withdrawn by a registry maintainer, not the pledge's own
    in_force: bool
    assertions: list[tuple[int, str]]  # (version, address), revoked unless in force


def signature_history(pledge: Pledge, base: str) -> list[SignatureItem]:
    """Every signature of a pledge signed more than once, oldest first (the order of their
    numbers, of the file and of the API); none for a pledge signed once, whose status line
    says it all."""
    if len(pledge.signatures) == 1:
        return []
    last = len(pledge.signatures)
    return [SignatureItem(
        number=number, anchor=paths.signature_anchor(number), signed=s.signed.isoformat(),
        version=s.mission_version,
        reaffirmed=[(version, day.isoformat()) for version, day in s.reaffirmed],
        withdrawn=s.withdrawn.isoformat() if s.withdrawn else None,
        reason=s.withdrawn_reason, by_registry=s.withdrawn_by == c.WITHDRAWN_BY_REGISTRY,
        in_force=number == last and pledge.active,
        assertions=sorted(openbadges.assertions(base, pledge, number).items()))
        for number, s in enumerate(pledge.signatures, start=1)]


def _assertion_rows(pledge: Pledge, base: str,
                    history: list[SignatureItem]) -> list[tuple[str, str, bool]]:
    """The "Verify this badge" list: (label, address, revoked) of every assertion, by
    version for a pledge signed once, by signature and version for one signed again."""
    if not history:
        return [(f"Version {version}", url, not pledge.active)
                for version, url in sorted(openbadges.assertions(base, pledge).items())]
    return [(f"Signature {item.number}, version {version}", url, not item.in_force)
            for item in history for version, url in item.assertions]


def signatory_stub(base: str, slug: str, title: str, description: str,
                   preloads: list[str] | None = None) -> str:
    """A signatory's page's front matter (title, description, social preview; the web
    fonts to preload), every value as the theme prints it: HTML-escaped."""
    meta: dict[str, Any] = {
        "title": escape(title, quote=True),
        "description": escape(description, quote=True),
        "search": {"exclude": True},
        "og_image": f"{paths.badge_folder_url(base, slug)}{SOCIAL}.png",
        "og_url": page_url(base, slug),
    }
    if preloads is not None:
        meta[PRELOADS] = [escape(font, quote=True) for font in preloads]
    before, after = _stub_around()
    return before + str(front_matter(meta)) + after


_FRONT_MATTER_MARK = "\0front matter\0"  # no front matter holds a NUL (json escapes it)


@cache
def _stub_around() -> tuple[str, str]:
    """signatory.md.j2 rendered once, as the text before and after its front matter: the
    template's one value, inserted as it is (Markup), so a stub is these around it, the
    very text a render gives, without ten thousand renders."""
    parts = _render("signatory.md.j2",
                    front_matter=Markup(_FRONT_MATTER_MARK)).split(_FRONT_MATTER_MARK)  # noqa: S704
    if len(parts) != 2:
        raise ValueError("signatory.md.j2 must hold {{ front_matter }} once")
    return parts[0], parts[1]


def _logo(pledge: Pledge, size: tuple[int, int] | None) -> dict[str, Any] | None:
    """The <img> of a signatory's own logo, at its display size (the template escapes)."""
    if not pledge.logo or pledge.tombstone or size is None:
        return None
    width, height = logo_display(size)
    return {"src": f"../../{paths.logo_path(pledge.slug)}", "width": width, "height": height,
            "alt": f"Logo of {pledge.name}"}


def stats(pledges: list[Pledge], words: SiteWords) -> str:
    active = [p for p in pledges if p.active]
    by_country = Counter(country_name(p.country) for p in active if p.country)
    by_sector = Counter(words.sector(p.sector) for p in active if p.sector)

    def ordered(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    return _render(
        "stats.md.j2", words=words, active=len(active), withdrawn=len(pledges) - len(active),
        organisations=sum(p.kind == "organisation" for p in active),
        individuals=sum(p.kind == "individual" for p in active),
        # the charts escape every label (site/charts.py)
        # every signature: a pledge signed again counts again, as the legend says
        over_time=Markup(signatories_over_time(  # noqa: S704
            [s.signed for p in pledges for s in p.signatures],
            [s.withdrawn for p in pledges for s in p.signatures if s.withdrawn is not None])),
        by_country=Markup(bars("Active signatories by country",  # noqa: S704
                               ordered(by_country), "countries")),
        by_sector=Markup(bars("Active signatories by sector",  # noqa: S704
                              ordered(by_sector), "sectors")))


def all_pages(mission: Mission, pledges: list[Pledge], base: str, fonts: Path,
              proofs: Mapping[str, Proof] | None = None, *, words: SiteWords,
              logo_sizes: Mapping[str, tuple[int, int]] | None = None,
              badge_kit: tuple[str, int] | None = None, built_on: dt.date,
              credentials: Collection[str] = (),
              translations: Sequence[Translation] = (),
              ) -> tuple[dict[str, str], dict[str, PageBody]]:
    """Every generated page's Markdown, and the HTML bodies of those written as HTML (the
    signatories'), both by source path. `logo_sizes`: each published logo's size in
    pixels, by slug; `badge_kit`: the press kit's zip of badges (site path, size in bytes);
    `built_on`: the build's day (model/clock.py), which the home page is dated;
    `credentials`: the signatories whose card badges carry a signed credential;
    `translations`: the mission's, which the home and history pages list (their own pages
    are site/translated.py's)."""
    pages = {paths.HOME_SOURCE: home(mission, pledges, words, built_on=built_on,
                                     logo_sizes=logo_sizes, translations=translations),
             paths.HISTORY_SOURCE: history(mission, words, translations),
             paths.PRESS_KIT_SOURCE: press_kit(words, badge_kit),
             paths.STATS_SOURCE: stats(pledges, words)}
    directory, bodies = directory_pages(pledges, proofs, words=words)
    pages.update(directory)
    for pledge in pledges:
        path = signatory_source(pledge.slug)
        pages[path], bodies[path] = signatory(pledge, base, fonts, mission,
                                              proof_of(pledge, proofs or {}), words=words,
                                              logo_size=(logo_sizes or {}).get(pledge.slug),
                                              credential=pledge.slug in credentials)
    return pages, bodies
