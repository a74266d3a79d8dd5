"""The README and the three guides it maps (the signatories', the operators' and the
developers'): the README stays short, every heading the README had before it was split is
a heading in one of them, every relative link among them reaches its file and anchor, and
every section the code, the tests or a document cites by name ('OPERATORS.md, "Upgrading"')
is a heading of that file."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT
from socialmission.model import paths

README_MOST_LINES = 120

# Every heading of README.md before it was split into the guides, as it read then.
FORMER_HEADINGS = (
    "# The Social Mission registry",
    "## Where each part lives",
    "### Where to add ...",
    "## Set up, build, test",
    "## Start your own registry",
    "## Sign the mission",
    "### `socialmission new`",
    "### Proofs that never block",
    "### Setting up signing without git (registry maintainers)",
    "## The pledge format",
    "## A pledge's life: update, withdraw, reaffirm, redact",
    "### Mission versions",
    "### Redaction",
    "## The validator",
    "## Badges",
    "### Embed snippets",
    "## The site",
    "### The directory's search (`/signatories/`)",
    "### The header search's signatories",
    "### What each engine does with the same pages",
    "### The site's colours and fonts",
    "## Signing safely: who may change what",
    "### Threat model",
    "## Continuous integration and publishing",
    "## Publishing past one host",
    "## Upgrading",
    "## Benchmarks",
)
# A former heading whose words changed when it moved: its old text -> its new text.
RENAMED: dict[str, str] = {}

HEADING = re.compile(r"(#{1,6}) +(.+?)(?: +\{[^}]*\})? *$")
FENCE = re.compile(r" {0,3}(```|~~~)")
LINK = re.compile(r"\[[^\]]*\]\(<?([^)\s>]+)>?(?: +\"[^\"]*\")?\)")
INLINE_CODE = re.compile(r"(`+)[^`]+?\1")  # a code span may run on to the next line
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
HTML_ID = re.compile(r"""\bid=["']([^"']+)["']|\{ *#([\w-]+) *\}""")
# A document's name or its declaration in paths, then the section cited in quotes:
# 'OPERATORS.md, "Upgrading"', "README.md's 'Set up, build, test'",
# '{paths.OPERATORS_GUIDE}, \'Redacting a pledge\''. Not a README of another folder.
GUIDE_NAMES = {"README_FILE", "SIGNATORIES_GUIDE", "OPERATORS_GUIDE", "DEVELOPERS_GUIDE"}
CITATION = re.compile(r"""(?<![\w/.])([A-Z]+\.md|\{paths\.[A-Z_]+\})(?:,|'s| \()\s*"""
                      r"""(?:\\?"([^"\\]+)\\?"|'([^']+)')""")
CITING = ("scripts/**/*.py", "tests/**/*.py", "benchmarks/*.py", ".github/**/*.yml", "*.md",
          "*.yaml", "*.yml", "site/**/*.md", ".ci/run", "Makefile")


def prose(path: Path) -> list[str]:
    """The lines of a Markdown file outside its fenced code blocks."""
    lines, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def headings(path: Path) -> list[str]:
    """A Markdown file's headings, each its text without the '#'s."""
    return [match[2] for line in prose(path) if (match := HEADING.fullmatch(line))]


def slug(heading: str) -> str:
    """The anchor GitHub (and MkDocs' toc) gives a heading: lower case, punctuation dropped."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor a link may name in a Markdown file: its headings' (a repeated one with
    its number, as GitHub numbers them) and its elements' ids."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in headings(path):
        base = slug(heading)
        found.add(f"{base}-{seen[base]}" if base in seen else base)
        seen[base] = seen.get(base, 0) + 1
    for line in prose(path):
        found.update(a or b for a, b in HTML_ID.findall(line))
    return found


def links(path: Path) -> list[str]:
    """The relative links of a Markdown file's prose (code, inline or fenced, aside), a link
    broken over two lines included."""
    text = INLINE_CODE.sub("", "\n".join(prose(path)))
    return [target for target in LINK.findall(text) if not SCHEME.match(target)]


def test_the_readme_is_short() -> None:
    lines = (ROOT / paths.README_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MOST_LINES, \
        f"{paths.README_FILE} has {len(lines)} lines; move the detail into a guide"


def test_every_former_heading_is_a_heading_of_the_readme_or_a_guide() -> None:
    present = {heading for name in paths.GUIDES for heading in headings(ROOT / name)}
    wanted = [RENAMED.get(text, text) for text in
              (former.lstrip("#").strip() for former in FORMER_HEADINGS)]
    assert [heading for heading in wanted if heading not in present] == []


def test_every_relative_link_reaches_its_file_and_anchor() -> None:
    broken = []
    for name in paths.GUIDES:
        source = ROOT / name
        for target in links(source):
            file, _, anchor = target.partition("#")
            where = (source.parent / file).resolve() if file else source
            if not where.exists():
                broken.append(f"{name}: {target}: no such file")
            elif anchor and where.suffix == ".md" and anchor not in anchors(where):
                broken.append(f"{name}: {target}: no such anchor")
    assert broken == []


def test_the_anchor_rules_read_headings_as_github_does() -> None:
    assert slug("Branch protection for `main`") == "branch-protection-for-main"
    assert slug("A pledge's life: update, withdraw, reaffirm, redact") == \
        "a-pledges-life-update-withdraw-reaffirm-redact"
    assert slug("Where to add ...") == "where-to-add-"
    assert links(ROOT / paths.README_FILE), "the README links its guides"


def test_a_link_broken_over_lines_is_read_and_code_is_not(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("See [the\nformat](GUIDE.md#the-format), not `[x](y.md)`.\n"
                    "```\n[z](z.md)\n```\n", encoding="utf-8")
    assert links(page) == ["GUIDE.md#the-format"]


def cited_sections() -> list[tuple[str, str, str]]:
    """(where, document, section) for every section cited by name in the repository."""
    guides = {getattr(paths, name): name for name in GUIDE_NAMES}
    declared: dict[str, str] = {f"{{paths.{name}}}": getattr(paths, name)
                                for name in GUIDE_NAMES}
    found = []
    for pattern in CITING:
        for path in sorted(ROOT.glob(pattern)):
            if ".venv" in path.parts or not path.is_file():
                continue
            for match in CITATION.finditer(path.read_text(encoding="utf-8")):
                document: str = declared.get(match[1], match[1])
                section = re.sub(r"\s*\n\s*#?\s*", " ", match[2] or match[3])
                if document in guides:
                    found.append((str(path.relative_to(ROOT)), document, section))
    return found


def test_every_cited_section_is_a_heading_of_its_document() -> None:
    cited = cited_sections()
    assert {document for _, document, _ in cited} == set(paths.GUIDES)
    assert [(where, document, section) for where, document, section in cited
            if section not in headings(ROOT / document)] == []
