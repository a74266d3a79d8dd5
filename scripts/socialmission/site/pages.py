"""The site's pages, from the mission file and the validated pledges.

Everything a signatory typed is HTML-escaped by the template environment (autoescape).
The signatory and directory pages, where nearly all of it appears, are written as HTML
that MkDocs never passes through Markdown (PageBody); elsewhere it sits inside raw HTML
blocks, so Markdown never interprets it either: a name like `[x](javascript:...)` stays
text. Code blocks get a fence longer than any run of backticks in their content. Front
matter is written with json.dumps (JSON is YAML).
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from socialmission.model import constants as c
from socialmission.model import paths
from socialmission.model.mission import Mission, principles_phrase
from socialmission.model.openbadges import assertions as assertion_urls
from socialmission.model.paths import assertion_url, page_url
from socialmission.model.pledge import Pledge
from socialmission.model.proofs import Proof, proof_kind, proof_of
from socialmission.render.face import describe
from socialmission.render.face import face_of as badge_face
from socialmission.render.layout import CARD_HEIGHT, CARD_WIDTH
from socialmission.render.svg import compact_halves
from socialmission.site.charts import bars, signatories_over_time

# Front matter naming a kind of page whose theme chrome (nav, TOC, config) is alike on every
# page of that kind, so the theme may render it once (see mkdocs_plugin.shared_blocks).
SHARED_CHROME = "sm_shared_chrome"
DIRECTORY_PAGE_SIZE = 100  # rows per static page of the directory
NETWORK_NAMES = {"bluesky": "Bluesky", "facebook": "Facebook", "instagram": "Instagram",
                 "linkedin": "LinkedIn", "mastodon": "Mastodon", "threads": "Threads",
                 "tiktok": "TikTok", "x": "X", "youtube": "YouTube"}


def _squash(text: str) -> str:
    return " ".join(text.split())


def fence(content: str, language: str) -> Markup:
    """A fenced code block, indented for a content tab, that its content cannot close."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = "\n".join(f"    {line}" for line in content.splitlines())
    # The code is plain text to Markdown (the highlighter escapes it): no HTML escaping.
    return Markup(f"    {ticks} {language}\n{body}\n    {ticks}")  # noqa: S704


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("socialmission.site", "templates"),
                      undefined=StrictUndefined, autoescape=True,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["squash"] = _squash
    env.filters["fence"] = fence
    env.filters["network_name"] = lambda network: NETWORK_NAMES.get(network, network)
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


def front_matter(values: dict[str, Any]) -> Markup:
    """YAML front matter lines; json.dumps quotes and escapes every string safely."""
    lines = []
    for key, value in values.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return Markup("\n".join(lines))  # noqa: S704 - JSON-quoted, and front matter is not HTML


# --- pages -----------------------------------------------------------------------------------
def home(mission: Mission, pledges: list[Pledge]) -> str:
    """The current version, and how many have signed or reaffirmed it: a signatory of an
    older version only is counted apart, never as one of this version's."""
    current = mission.current.version
    active = [p for p in pledges if p.active]
    this = sum(current in p.versions for p in active)
    phrase = principles_phrase(len(mission.current.principles))
    return _render("home.md.j2", version=mission.current, active=this,
                   earlier=len(active) - this, principles=phrase,
                   description=f"{phrase.capitalize()} for behaving well on social media, "
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


def history(mission: Mission) -> str:
    versions = mission.versions
    changes = {later.version: principle_changes(earlier.principles, later.principles)
               for earlier, later in itertools.pairwise(versions)}
    return _render("history.md.j2", versions=versions, changes=changes)


def press_kit() -> str:
    styles = [{"name": "compact", "title": "Compact", "alt": "Social Mission badge, compact"},
              {"name": "card", "title": "Card", "alt": "Social Mission badge, card"}]
    return _render("press-kit.md.j2", styles=styles)


@dataclass(frozen=True)
class PageBody:
    """A page the generator writes as HTML: of its Markdown, only the front matter is read."""

    html: str
    toc: tuple[tuple[str, str], ...]  # (id, title) of each h2 in `html`, in order


def _monogram(pledge: Pledge, prefix: str) -> Markup:
    if pledge.logo:
        src = f"{prefix}../{paths.logo_path(pledge.slug)}"
        return Markup('<img class="sm-logo" src="{}" alt="" width="24" height="24" '
                      'loading="lazy">').format(src)
    initial = next((ch for ch in pledge.name if ch.isalnum()), "?")
    return Markup('<span class="sm-monogram" aria-hidden="true">{}</span>').format(initial)


def directory_pages(pledges: list[Pledge], proofs: Mapping[str, Proof] | None = None,
                    ) -> tuple[dict[str, str], dict[str, PageBody]]:
    """The signer directory: page 1 at signatories/, the rest at signatories/page/N/ (front
    matter and HTML body, by source path), and the former signatories' page."""
    active = sorted((p for p in pledges if p.active), key=lambda p: (p.name.casefold(), p.slug))
    withdrawn = sum(not p.active for p in pledges)
    pages: dict[str, str] = {}
    bodies: dict[str, PageBody] = {}
    count = max(1, -(-len(active) // DIRECTORY_PAGE_SIZE))
    countries = sorted({p.country for p in active if p.country})
    choices = {
        "countries": [(code, country_name(code)) for code in countries],
        "sectors": sorted({p.sector for p in active if p.sector}),
        "kinds": list(c.KINDS),
        "years": sorted({p.signed.year for p in active}, reverse=True),
    }
    for number in range(1, count + 1):
        prefix = "" if number == 1 else "../../"
        chunk = active[(number - 1) * DIRECTORY_PAGE_SIZE:number * DIRECTORY_PAGE_SIZE]
        rows = [{"slug": p.slug, "name": p.name, "kind": p.kind,
                 "country": country_name(p.country), "sector": p.sector or "",
                 "signed": p.signed.isoformat(), "mark": _monogram(p, prefix),
                 "proof": proof_kind(proof_of(p, proofs or {}))} for p in chunk]
        path = "signatories/index.md" if number == 1 else f"signatories/page/{number}.md"
        pages[path] = _render("directory.md.j2", page_number=number)
        bodies[path] = PageBody(_render("directory.html.j2", rows=rows, page_number=number,
                                        page_count=count, prefix=prefix,
                                        active_count=len(active), withdrawn_count=withdrawn,
                                        **choices), ())
    former = sorted((p for p in pledges if not p.active), key=lambda p: p.name.casefold())
    pages["signatories/former.md"] = _render("former.md.j2", pledges=former)
    return pages, bodies


@cache
def compact_width(fonts: Path) -> int:
    """The compact badge's width in px (both halves), as render/svg.py lays it out."""
    return sum(compact_halves(fonts, "signatory"))


def snippets(pledge: Pledge, base: str, fonts: Path) -> dict[str, str]:
    """Embed code for the signatory's own website: every value escaped for its language."""
    badges = paths.badge_folder_url(base, pledge.slug)
    page = page_url(base, pledge.slug)
    alt = f"{pledge.name}: Social Mission signatory" if pledge.active else \
        f"{pledge.name}: withdrawn from the Social Mission"
    html_alt = escape(alt, quote=True)
    width = compact_width(fonts)
    html = (f'<a href="{page}">\n  <picture>\n'
            f'    <source media="(prefers-color-scheme: dark)" srcset="{badges}card-dark.svg">\n'
            f'    <img src="{badges}card-light.svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}"'
            f' alt="{html_alt}">\n  </picture>\n</a>')
    compact = (f'<a href="{page}">\n  <picture>\n'
               f'    <source media="(prefers-color-scheme: dark)" '
               f'srcset="{badges}compact-dark.svg">\n'
               f'    <img src="{badges}compact-light.svg" width="{width}" height="20"'
               f' alt="{html_alt}">\n  </picture>\n</a>')
    md_alt = re.sub(r"([\\\[\]`*_<>])", r"\\\1", alt)
    markdown = f"[![{md_alt}]({badges}card-light.svg)]({page})"
    rst_alt = alt.replace("\\", "\\\\").replace("\n", " ")
    rst = (f".. image:: {badges}card-light.svg\n   :alt: {rst_alt}\n   :width: {CARD_WIDTH}\n"
           f"   :height: {CARD_HEIGHT}\n   :target: {page}")
    return {"html": html, "compact": compact, "markdown": markdown, "rst": rst,
            "url": f"{badges}card-light.svg"}


SIGNATORY_SECTIONS = (("badge", "Badge"), ("verify-this-badge", "Verify this badge"))
SNIPPET_TABS = (("html", "HTML", "html"), ("compact", "HTML (compact)", "html"),
                ("markdown", "Markdown", "markdown"), ("rst", "reStructuredText", "rst"),
                ("url", "Image URL", "text"))


# The PNGs come at 2x only (render/folder.py): an e-mail's <img> shows them at half size.
PNG_NAMES = tuple(f"{s}-{v}@2x.png" for s in ("card", "compact") for v in ("light", "dark"))


@cache
def _tab_header() -> Markup:
    """The radio buttons and labels of the snippets' tab set: the same on every page."""
    checked = 'checked="checked" '
    inputs = "".join(
        f'<input {checked if number == 1 else ""}id="__tabbed_1_{number}" '
        f'name="__tabbed_1" type="radio" />' for number in range(1, len(SNIPPET_TABS) + 1))
    labels = "".join(f'<label for="__tabbed_1_{number}">{escape(label)}</label>'
                     for number, (_, label, _) in enumerate(SNIPPET_TABS, start=1))
    return Markup(f'{inputs}<div class="tabbed-labels">{labels}</div>')  # noqa: S704 - constants


def signatory(pledge: Pledge, base: str, fonts: Path,
              mission: Mission | None = None,
              proof: Proof | None = None) -> tuple[str, PageBody]:
    """A signatory's page: its front matter (Markdown), and its body as HTML. Only an
    active signatory's page offers embed snippets; a redacted one's shows the tombstone."""
    latest = mission.current.version if mission is not None else None
    description = describe(badge_face(pledge, base, latest))
    card = f"{paths.badge_folder_url(base, pledge.slug)}social.png"
    meta = {
        "title": escape(pledge.name, quote=True),
        "description": escape(description, quote=True),
        "search": {"exclude": True},
        "og_image": card,
        "og_url": page_url(base, pledge.slug),
        # the theme renders these pages' sidebar and config once (site/overrides/main.html)
        SHARED_CHROME: "signatory",
    }
    stub = _render("signatory.md.j2", front_matter=front_matter(meta))
    code = snippets(pledge, base, fonts) if pledge.active else {}
    reaffirmations = [(number, day.isoformat()) for number, day in pledge.reaffirmed]
    newer = latest if latest is not None and latest > pledge.current_version else None
    html = _render("signatory.html.j2", pledge=pledge, sections=SIGNATORY_SECTIONS,
                   reaffirmations=reaffirmations, newer=newer,
                   assertions=sorted(assertion_urls(base, pledge).items()),
                   country=country_name(pledge.country),
                   badges=f"../../{paths.badge_folder_path(pledge.slug)}",
                   alt=description, compact_width=compact_width(fonts),
                   tab_header=_tab_header(),
                   tabs=[{"language": language, "code": code[key]}
                         for key, _, language in SNIPPET_TABS if key in code],
                   pngs=PNG_NAMES,
                   assertion=assertion_url(base, pledge.slug),
                   proof=proof if pledge.active else None)
    return stub, PageBody(html, SIGNATORY_SECTIONS)


def stats(pledges: list[Pledge]) -> str:
    active = [p for p in pledges if p.active]
    by_country = Counter(country_name(p.country) for p in active if p.country)
    by_sector = Counter(p.sector for p in active if p.sector)

    def ordered(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    return _render(
        "stats.md.j2", active=len(active), withdrawn=len(pledges) - len(active),
        organisations=sum(p.kind == "organisation" for p in active),
        individuals=sum(p.kind == "individual" for p in active),
        over_time=Markup(signatories_over_time([p.signed for p in active])),  # noqa: S704
        by_country=Markup(bars("Signatories by country", ordered(by_country))),  # noqa: S704
        by_sector=Markup(bars("Signatories by sector", ordered(by_sector))))  # noqa: S704


def signatory_source(slug: str) -> str:
    """A signatory's page's source path (the engine's name for the page)."""
    return f"{paths.SIGNATORIES_PATH}/{slug}.md"


def all_pages(mission: Mission, pledges: list[Pledge], base: str, fonts: Path,
              proofs: Mapping[str, Proof] | None = None,
              ) -> tuple[dict[str, str], dict[str, PageBody]]:
    """Every generated page's Markdown, and the HTML bodies of those written as HTML (the
    signatories'), both by source path."""
    pages = {"index.md": home(mission, pledges), "history.md": history(mission),
             "press-kit.md": press_kit(), "stats.md": stats(pledges)}
    directory, bodies = directory_pages(pledges, proofs)
    pages.update(directory)
    for pledge in pledges:
        path = signatory_source(pledge.slug)
        pages[path], bodies[path] = signatory(pledge, base, fonts, mission,
                                              proof_of(pledge, proofs or {}))
    return pages, bodies
