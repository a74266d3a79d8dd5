"""The registry's generator: everything the published site holds that is not a hand-written
page, as plain data (pages, generated files, files and folders to publish).

It knows nothing of any site engine: tree.py writes its output as the engine's input,
fill.py puts in what the engine leaves to it, and mkdocs/publish.py runs the build.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from socialmission.check.schema import schema_text
from socialmission.check.template import template_text
from socialmission.check.translations import check_translations
from socialmission.check.translations import schema_text as translation_schema_text
from socialmission.check.validate import validate
from socialmission.credentials import credential, issuer
from socialmission.credentials.signing import sign_all
from socialmission.model import openbadges, paths, png
from socialmission.model.clock import today
from socialmission.model.constants import PLEDGE_SUFFIX
from socialmission.model.filetree import DiskTree
from socialmission.model.mission import Mission, load_mission
from socialmission.model.pledge import Pledge
from socialmission.model.problems import counted, render
from socialmission.model.progress import SILENT, Progress
from socialmission.model.proofs import Proof, load_proofs
from socialmission.model.settings import Settings, load_settings
from socialmission.model.settings import schema_text as settings_schema_text
from socialmission.model.translation import Translation
from socialmission.render.cache import build_badges
from socialmission.render.design import load_design
from socialmission.render.face import badge_words
from socialmission.render.layout import name_check
from socialmission.render.logo import LogoError, published_logo
from socialmission.site import (
    brand,
    feed,
    languages,
    opendata,
    pages,
    presskit,
    shields,
    signlinks,
    signsteps,
    theme,
    translated,
    webfonts,
)
from socialmission.site.pages import PageBody
from socialmission.site.published import already_published

TEMPLATE_MARKER = "<!-- socialmission:template -->"
# Where a hand-written page says "the registry's repository": a link to it (registry.yaml).
REPOSITORY_MARKER = "<!-- socialmission:repository -->"
# The issuer, as a link to its website, and its e-mail address, as a mailto: link
# (registry.yaml's issuer_name, issuer_url, issuer_email).
ISSUER_MARKER = "<!-- socialmission:issuer -->"
ISSUER_EMAIL_MARKER = "<!-- socialmission:issuer-email -->"
# The signatories a notice names at most (without_index_notice); it counts the rest.
NOTICE_SLUGS = 5


def word_fragments(settings: Settings) -> dict[str, str]:
    """The markers a hand-written page writes instead of the mission's words, and each one's
    text (registry.yaml): `<!-- socialmission:mission-name -->` and the proof names."""
    return {f"<!-- socialmission:{key} -->": text for key, text in (
        ("mission-name", settings.mission_name), ("proof-file", settings.proof_file),
        ("proof-record", settings.proof_record), ("proof-token", settings.proof_token))}


class GenerationError(Exception):
    """The pledges are not valid: nothing is published. The message lists every problem."""


@dataclass
class SiteContent:
    pages: dict[str, str] = field(default_factory=dict)  # Markdown by source path
    # pages written as HTML, by source path: their Markdown in `pages` is front matter only
    bodies: dict[str, PageBody] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # generated files by site path
    copies: dict[str, Path] = field(default_factory=dict)  # site path -> file on disk
    # site folder -> a folder of the badge cache, published as it is (hard links where the
    # file system allows: the cache only ever replaces a file, never rewrites it, so a
    # link keeps its bytes): no page links to these files through Markdown, so the engine
    # need not know them
    folders: dict[str, Path] = field(default_factory=dict)
    # site folder -> its files' names and SHA-256, as the badge cache checked them
    folder_files: dict[str, dict[str, str]] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)  # marker -> Markdown
    # source path -> the web fonts its heading needs (site paths), for the page to preload
    preloads: dict[str, list[str]] = field(default_factory=dict)
    # values the theme's templates read (site/overrides/main.html), by name
    theme: dict[str, str] = field(default_factory=dict)
    pledges: list[Pledge] = field(default_factory=list)
    # the mission's translations, all valid, by version then language (check/translations.py)
    translations: list[Translation] = field(default_factory=list)
    # each page's hreflang alternates (hreflang -> address), by its address from the site's
    # root: the sitemap lists them (site/sitemap.py)
    alternates: dict[str, dict[str, str]] = field(default_factory=dict)
    # signatories whose badge folders the deployment already holds as they would be
    # rendered now (site/published.py): neither rendered nor in the built site
    published: set[str] = field(default_factory=set)
    # slug -> the signed Open Badges 3.0 credential (JSON text) baked into its card badges
    badge_credentials: dict[str, str] = field(default_factory=dict)


def load_pledges(root: Path, mission: Mission, *, cache: bool = True,
                 said: Progress = SILENT) -> list[Pledge]:
    """The registry's pledges, all valid, or GenerationError listing every problem. The
    build keeps what passed in the validator's result cache (check/resultcache.py says why
    it may): `cache=False` checks every file from scratch."""
    folder = paths.pledges_dir(root)
    try:
        with os.scandir(folder) as listing:
            files = sum(1 for entry in listing if entry.name.endswith(PLEDGE_SUFFIX))
        said.stage(f"validating {counted(files, 'pledge')}")
    except OSError:  # the validator says what is wrong with the folder
        said.stage("validating the pledges")
    report = validate([folder], mission, name_fits=name_check(root),
                      workers=None, cache=paths.validation_cache(root) if cache else None)
    if not report.ok:
        raise GenerationError("the pledges have problems; nothing was published:\n"
                              + render(report.problems, "text", report.checked))
    return report.pledges


def load_translations(root: Path, mission: Mission) -> list[Translation]:
    """The mission's translations, all valid, or GenerationError listing every problem
    (a bad translation stops the build as a bad mission does)."""
    report = check_translations(mission, Path(paths.TRANSLATIONS_DIR), DiskTree(root))
    if report.problems:
        raise GenerationError("the mission's translations have problems; nothing was "
                              "published:\n" + render(report.problems, "text", report.checked))
    return report.translations


def generate(root: Path, base: str, *, badges_dir: Path | None = None,
             workers: int | None = None, published: Mapping[str, str] | None = None,
             said: Progress = SILENT) -> SiteContent:
    """Everything the site holds. With `published` (the badge state kept beside the
    deployment, site/published.py), the badges it records as they are now are left to the
    deployment: not rendered, not in the site. `said` tells each stage."""
    settings = load_settings(root)
    mission = load_mission(root)
    if problems := mission.discussion_problems(settings.repository):
        raise GenerationError("\n".join(problems))
    translations = load_translations(root, mission)
    try:
        colours = theme.load_colours(root)
        icons = brand.icon_files(root, colours)
    except theme.ThemeError as error:
        raise GenerationError(str(error)) from None
    pledges = load_pledges(root, mission, said=said)
    content = SiteContent(pledges=pledges, translations=translations)
    # what `socialmission verify` last found: marks on pages and in the API, never in
    # the badges (so never in their cache key); no store, no marks
    proofs = load_proofs(root)
    store = badges_dir or root / paths.BADGES_CACHE
    _credentials(content, root, base, settings=settings, mission=mission, workers=workers,
                 said=said)
    content.published = already_published(root, store, mission, pledges, base,
                                           published=published or {},
                                           credentials=content.badge_credentials)
    kit_path, kit = _badges(content, root, store, settings=settings, mission=mission,
                            base=base, workers=workers, said=said)
    said.stage(f"generating {counted(len(pledges), 'signatory page')} and the others")
    logo_sizes = _logos(content, root)
    words = pages.site_words(root)
    content.pages, content.bodies = pages.all_pages(mission, pledges, base,
                                                     paths.fonts_dir(root), proofs,
                                                     words=words,
                                                     logo_sizes=logo_sizes,
                                                     badge_kit=(kit_path, len(kit)),
                                                     built_on=today(),
                                                     credentials=content.badge_credentials,
                                                     translations=translations)
    # one page a translation (site/translated.py)
    translation_pages, translation_bodies = translated.translation_pages(
        mission, translations, words=words)
    content.pages.update(translation_pages)
    content.bodies.update(translation_bodies)
    content.alternates = _alternates(mission, translations, base, words.language)
    _documents(content, root, base, settings=settings, mission=mission, proofs=proofs)
    _fonts(content, root, colours)
    content.files[paths.SCHEMA_PATH] = schema_text(mission, settings.mission_name).encode("utf-8")
    content.files[paths.SETTINGS_SCHEMA_PATH] = settings_schema_text().encode("utf-8")
    content.files[paths.TRANSLATION_SCHEMA_PATH] = translation_schema_text().encode("utf-8")
    _fragments(content, root, settings, mission)
    content.files.update(icons)
    content.theme.update(brand.theme_values(mission, badge_words(root), base))
    return content


def _alternates(mission: Mission, translations: list[Translation], base: str,
                language: str) -> dict[str, dict[str, str]]:
    """Each page's `hreflang` alternates (site/languages.py), by its address from the
    site's root: the mission page's (the current version's translations), and each
    translation page's."""
    found = {"": languages.alternates(mission, translations, mission.current.version, base,
                                      language)}
    for translation in translations:
        found[paths.translation_path(translation.version, translation.language)] = \
            languages.alternates(mission, translations, translation.version, base, language)
    return {address: links for address, links in found.items() if links}


def _badges(content: SiteContent, root: Path, store: Path, *, settings: Settings,
            mission: Mission, base: str, workers: int | None,
            said: Progress) -> tuple[str, bytes]:
    """Render the badges not already published into `store`, and put them, the generic
    badges and the press kit's zip in `content`; the zip's path and bytes."""
    badges = build_badges(root, store, mission,
                          [p for p in content.pledges if p.slug not in content.published],
                          base, workers=workers, said=said,
                          credentials=content.badge_credentials)
    generic: dict[str, bytes] = {}
    for path in sorted((store / paths.GENERIC_BADGE).iterdir()):  # the press kit links to these
        if not path.name.startswith("."):
            content.copies[paths.badge_folder_path(paths.GENERIC_BADGE) + path.name] = path
            generic[path.name] = path.read_bytes()
    kit_path = paths.badge_kit_path(settings.proof_name)
    kit = presskit.badge_zip(generic, Path(kit_path).stem)
    content.files[kit_path] = kit
    for pledge in content.pledges:
        if pledge.slug not in content.published:
            site_folder = paths.badge_folder_path(pledge.slug).rstrip("/")
            content.folders[site_folder] = store / pledge.slug
            content.folder_files[site_folder] = {
                name: record[2] for name, record in badges.entries[pledge.slug].files.items()}
    return kit_path, kit


def _credentials(content: SiteContent, root: Path, base: str, *, settings: Settings,
                 mission: Mission, workers: int | None, said: Progress) -> None:
    """Sign the Open Badges 3.0 documents (through the cache, credentials/signing.py) and
    put every one in `content`, unsigned ones (the DID document, the Achievements, the
    tombstones) as they are; and each pledge's signed credential that its card badges
    bake, when it has one."""
    try:
        signing = issuer.signer(base, settings.issuer_keys,
                                os.environ.get(issuer.SEED_VARIABLE), publishing=False)
    except issuer.SigningRefused as error:
        raise GenerationError(str(error)) from None
    found = credential.documents(base, settings, mission, content.pledges, signing)
    if found.without_index:
        said.note(without_index_notice(found.without_index))
    try:
        signed = sign_all(found.unsigned, signing, root / paths.CREDENTIALS_CACHE,
                          workers=workers, said=said)
    except ValueError as error:  # a term or a context the vendored contexts lack
        raise GenerationError(f"the Open Badges 3.0 credentials cannot be signed: {error}") \
            from None
    for site_path, document in sorted({**found.plain, **signed.documents}.items()):
        content.files[site_path] = opendata.dumps(document)
    for pledge in content.pledges:
        baked = signed.documents.get(credential.badge_address(pledge))
        if baked is not None:
            content.badge_credentials[pledge.slug] = openbadges.dumps(baked)


def without_index_notice(without_index: Sequence[tuple[str, int, bool]]) -> str:
    """What the build says, once, of the signatures that get no signed credential for want
    of a status_index (pledges from before the revocation list)."""
    in_force = [slug for slug, _, active in without_index if active]
    shown = ", ".join(in_force[:NOTICE_SLUGS]) + (
        f" and {len(in_force) - NOTICE_SLUGS} more" if len(in_force) > NOTICE_SLUGS else "")
    fix = (f" Give each signature in force its index with `socialmission status-index "
           f"SLUG` ({shown}); a withdrawn one never gets one.") if in_force else ""
    return (f"socialmission: {counted(len(without_index), 'signature')} "
            f"{'has' if len(without_index) == 1 else 'have'} no status_index (signed before "
            "the revocation list), so no signed Open Badges 3.0 credential: one that could "
            f"never be revoked is never issued.{fix}")


def _logos(content: SiteContent, root: Path) -> dict[str, tuple[int, int]]:
    """Put each signatory's logo in `content`; each one's size in pixels, by slug."""
    logos = paths.pledges_dir(root)
    logo_sizes: dict[str, tuple[int, int]] = {}
    for pledge in content.pledges:
        if pledge.logo:  # validated: pledges/logos/<slug>.png, a still PNG that decodes
            # published as a re-encoded copy, never as the contributed bytes
            try:
                copy = published_logo(root, logos / pledge.logo)
                logo_sizes[pledge.slug] = png.dimensions(copy.read_bytes())
            except (OSError, LogoError, png.PngError) as error:
                raise GenerationError(f"{logos / pledge.logo}: the logo cannot be published "
                                      f"({error}): run socialmission validate") from None
            content.copies[paths.logo_path(pledge.slug)] = copy
    return logo_sizes


def _documents(content: SiteContent, root: Path, base: str, *, settings: Settings,
               mission: Mission, proofs: Mapping[str, Proof]) -> None:
    """Put the Open Badges documents, the API, the directory's data, the shields.io
    documents and the feed in `content`."""
    pledges = content.pledges
    for site_path, document in openbadges.all_documents(base, settings, mission,
                                                            pledges).items():
        content.files[site_path] = opendata.dumps(document)
    content.files.update(opendata.api_files(pledges, mission, base, proofs))
    content.files[opendata.DIRECTORY_DATA] = opendata.directory_data(pledges, proofs, mission)
    content.theme.update(opendata.search_values())
    palette = load_design(root).palette[shields.VARIANT]
    try:
        shields.check_palette(palette, str(theme.palette_file(root)))
    except shields.ShieldsError as error:
        raise GenerationError(str(error)) from None
    content.files.update(shields.shields_files(pledges, settings.badge_label, palette))
    # the newest signature's day, a later signature's included, or the current version's
    # when it is newer (the feed's newest entry)
    newest = max([s.signed for p in pledges for s in p.signatures], default=mission.current.date)
    content.files[feed.FEED_PATH] = feed.atom_feed(
        pledges, base, dt.datetime.combine(max(newest, mission.current.date), dt.time(),
                                           tzinfo=dt.UTC),
        settings.issuer_name, settings.mission_name, versions=mission.versions)


def _fonts(content: SiteContent, root: Path, colours: theme.SiteColours) -> None:
    """Put the web fonts and the site's stylesheet in `content`, and the faces each
    signatory page preloads."""
    # The web fonts cover every character of every generated page (the names, statements
    # and reasons among them); the hand-written pages are the registry's own English.
    try:
        fonts = webfonts.web_fonts(root, [*content.pages.values(),
                                          *(body.html for body in content.bodies.values())])
    except webfonts.WebFontError as error:
        raise GenerationError(str(error)) from None
    content.files.update(fonts.files)
    content.files[paths.THEME_CSS_PATH] = \
        (theme.stylesheet(colours) + fonts.css).encode("utf-8")
    # A signatory's name is its page's largest text: its face is fetched with the page,
    # not once the stylesheet has been read and the heading laid out. That heading is the
    # theme's h1, light (300), which the Regular face draws (CSS's nearest weight); the
    # page shows nothing in the Bold.
    for pledge in content.pledges:
        if faces := fonts.faces_for(pledge.name, webfonts.REGULAR):
            content.preloads[paths.signatory_source(pledge.slug)] = faces


def _fragments(content: SiteContent, root: Path, settings: Settings,
               mission: Mission) -> None:
    """Put what the hand-written pages' markers stand for in `content`."""
    template = (paths.pledges_dir(root) / paths.TEMPLATE_NAME).read_text(encoding="utf-8")
    content.fragments[TEMPLATE_MARKER] = pages.fence(template, "yaml").replace("\n    ", "\n") \
        .removeprefix("    ")
    # Inline HTML, attribute-escaped: a Markdown link would end at a ')' in the address.
    content.fragments[REPOSITORY_MARKER] = \
        f'<a href="{escape(settings.repository)}">the registry\'s repository</a>'
    content.fragments[ISSUER_MARKER] = (f'<a href="{escape(settings.issuer_url)}">'
                                        f'{escape(settings.issuer_name)}</a>')
    email = escape(settings.issuer_email)
    content.fragments[ISSUER_EMAIL_MARKER] = f'<a href="mailto:{email}">{email}</a>'
    # A hand-written page's words about the mission and its proofs, as plain text
    for marker, text in word_fragments(settings).items():
        content.fragments[marker] = str(escape(text))
    try:
        links = signlinks.repository_links(settings,
                                           template_text(mission, settings.mission_name))
    except signlinks.LinkTooLong as error:
        raise GenerationError(str(error)) from None
    content.fragments[signlinks.SIGN_BUTTONS_MARKER] = signlinks.sign_buttons(links)
    content.fragments[signlinks.PULL_REQUESTS_MARKER] = signlinks.pull_requests_link(links)
    content.fragments[signlinks.REPORT_BUTTON_MARKER] = signlinks.report_button(links)
    content.fragments[signsteps.MERGE_STEP_MARKER] = signsteps.merge_step(settings)
    content.theme.update(signlinks.theme_values(links))


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link `source` at `target` (replacing a file there), or copy it where a link
    cannot be made (another file system)."""
    try:
        try:
            os.link(source, target)
        except FileExistsError:  # a build into a folder that was not emptied
            target.unlink()
            os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, target)
