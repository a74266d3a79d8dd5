"""What a newcomer adds, in the files DEVELOPERS.md's "Where to add ..." names and no others.

Each case copies the package and the demo registry, makes the addition in exactly the
files the guide gives for it, and runs the real commands on the copy: a new command runs
and is listed under its group; a new field is in the schema, the template and the issue
form `derived` writes, and the validator checks it; so is a new key of a translation
of the mission, which reaches its reader's `Translation`; a new check-pr rule refuses a real
pull request in a git repository, and is listed; a new badge variant is drawn, SVG and
PNG, for every signatory; a new page is built and in the navigation."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from git_support import new_pledge, pledge

PACKAGE = Path("scripts") / "socialmission"


def project(target: Path) -> Path:
    """A copy of the package and of the demo registry (its pledges included)."""
    shutil.copytree(ROOT / PACKAGE, target / PACKAGE,
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mission.yaml", "mkdocs.yml", "registry.yaml", "README.md"):
        shutil.copy(ROOT / name, target / name)
    for name in ("site", "badges", "pledges"):
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns(".cache", "__pycache__"))
    (target / ".github" / "ISSUE_TEMPLATE").mkdir(parents=True)
    for form in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"):
        shutil.copy(form, target / ".github" / "ISSUE_TEMPLATE" / form.name)
    return target


def socialmission(root: Path, *args: str, cwd: Path | None = None,
                  stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The copy's command line, the copy's package first on the path."""
    return subprocess.run([sys.executable, "-m", "socialmission", *args], cwd=cwd or root,
                          capture_output=True, text=True, check=False, input=stdin,
                          env={**os.environ, "PYTHONPATH": str(root / "scripts"),
                               "SOURCE_DATE_EPOCH": "1780272000"})  # 2026-06-01


def insert_before_end(path: Path, name: str, text: str) -> None:
    """`text` as the last item of the module-level tuple or dict `name` (before its
    closing bracket), where a newcomer writes it."""
    source = path.read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            assert value.end_lineno is not None and value.end_col_offset is not None
            lines = source.splitlines(keepends=True)
            end, column = value.end_lineno - 1, value.end_col_offset  # the closing bracket
            lines[end] = lines[end][:column - 1] + text + lines[end][column - 1:]
            path.write_text("".join(lines), encoding="utf-8")
            return
    raise AssertionError(f"{name} is not declared in {path}")


def test_a_command_takes_its_module_and_its_row(tmp_path: Path) -> None:
    root = project(tmp_path)
    commands = root / PACKAGE / "commands"
    (commands / "hello.py").write_text('''\
"""`socialmission hello`: greets."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--who", default="world", help="whom to greet")


def run(args: argparse.Namespace) -> int:
    print(f"hello, {args.who}")
    return 0
''', encoding="utf-8")
    cli = root / PACKAGE / "cli.py"
    text = cli.read_text(encoding="utf-8")
    signing = '    ("signing", (\n'
    assert signing in text
    cli.write_text(text.replace(signing, signing + '        Command("hello", "greet"),\n'),
                   encoding="utf-8")

    said = socialmission(root, "hello", "--who", "newcomer")
    assert (said.returncode, said.stdout) == (0, "hello, newcomer\n"), said.stderr
    listed = socialmission(root, "--help").stdout
    assert re.search(r"signing:\n  hello +greet\n", listed), listed
    assert "--who" in socialmission(root, "hello", "--help").stdout


def test_a_field_takes_its_declaration_its_attribute_and_its_rule(tmp_path: Path) -> None:
    root = project(tmp_path)
    insert_before_end(root / PACKAGE / "model" / "fields.py", "FIELDS", '''\
    Field(
        "pronouns", "Pronouns",
        "How to refer to an individual signatory: plain text, at most 40 characters.",
        _text(40, NO_INVISIBLES), ("they/them",),
        prompt="Your pronouns", shown=as_is, note="How to refer to you.",
        sample="they/them", in_forms=True),
''')
    model = root / PACKAGE / "model" / "pledge.py"
    text = model.read_text(encoding="utf-8")
    last = "    redacted: dt.date | None = None\n"
    assert last in text
    model.write_text(text.replace(last, last + "    pronouns: str | None = None\n"),
                     encoding="utf-8")
    rules = root / PACKAGE / "check" / "rules.py"
    text = rules.read_text(encoding="utf-8")
    check = '''

def pronouns(key: str, node: Node, ctx: Context) -> Result:
    """'pronouns': plain text, at most 40 characters."""
    return (yield from clean_text(key, node, 40))


Check = '''
    assert "\n\nCheck = " in text
    rules.write_text(text.replace("\n\nCheck = ", check, 1), encoding="utf-8")
    insert_before_end(rules, "CHECKS", '"pronouns": pronouns, ')

    derived = socialmission(root, "derived")
    assert derived.returncode == 0, derived.stderr
    schema = json.loads((root / "site" / "schema" / "pledge.schema.json").read_text())
    assert schema["properties"]["pronouns"]["maxLength"] == 40
    assert "pronouns: they/them" in (root / "pledges" / "TEMPLATE.yaml.txt").read_text()
    assert "Pronouns" in (root / ".github" / "ISSUE_TEMPLATE" / "sign.yml").read_text()

    signatory = root / "pledges" / "ada-lovelace.yaml"
    signatory.write_text(pledge("Ada Lovelace", "ada.example.org", "- login: alice",
                                "  id: 100") + "pronouns: she/her\n", encoding="utf-8")
    assert socialmission(root, "validate").returncode == 0
    signatory.write_text(signatory.read_text().replace("she/her", "x" * 41))
    refused = socialmission(root, "validate")
    assert refused.returncode == 1
    assert re.search(r"pledges/ada-lovelace\.yaml:\d+:\d+: 'pronouns'", refused.stdout), \
        refused.stdout



def test_a_check_pr_rule_takes_its_function_in_its_table(tmp_path: Path) -> None:
    root = project(tmp_path)
    rules = root / PACKAGE / "ownership" / "rules.py"
    text = rules.read_text(encoding="utf-8")
    rule = '''

def new_pledge_names_its_country(file: ChangedFile, pr: PullRequest) -> list[Problem]:
    """A new pledge names its country."""
    if file.change != "added" or b"\\ncountry:" in (file.head or b""):
        return []
    return [refusal(file.path, "a new pledge names its country: add 'country: XX'")]


# --- the tables'''
    assert "\n\n# --- the tables" in text
    rules.write_text(text.replace("\n\n# --- the tables", rule, 1), encoding="utf-8")
    insert_before_end(rules, "PLEDGE_RULES", ", new_pledge_names_its_country")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_COMMITTER_NAME": "t",
                            "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1",
                            "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(tmp_path)})

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "the registry")
    git("checkout", "-q", "-b", "pr")
    signatory = root / "pledges" / "ada-lovelace.yaml"
    signatory.write_text(new_pledge("Ada Lovelace", "ada.example.org", "- login: ada",
                                    "  id: 4242"), encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "sign")
    check_pr = ("check-pr", "--base", "main", "--head", "pr", "--author", "ada",
                "--author-id", "4242")
    refused = socialmission(root, *check_pr)
    assert refused.returncode == 1
    assert "pledges/ada-lovelace.yaml: a new pledge names its country" in refused.stdout

    signatory.write_text(signatory.read_text(encoding="utf-8") + "country: GB\n",
                         encoding="utf-8")
    git("commit", "-q", "-am", "with its country")
    allowed = socialmission(root, *check_pr)
    assert "names its country" not in allowed.stdout, allowed.stdout
    listed = subprocess.run([sys.executable, "-c", "from socialmission.ownership import "
                             "rules; print(rules.listed(90))"], capture_output=True,
                            text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(root / "scripts")}).stdout
    assert "- A new pledge names its country.\n" in listed


def test_a_key_of_a_translation_takes_its_field_and_its_attribute(tmp_path: Path) -> None:
    root = project(tmp_path)
    checks = root / PACKAGE / "check" / "translations.py"
    insert_before_end(checks, "FIELDS", """
    TranslationField(
        "region_note", "Where the translation is read, in a few words.",
        _line_schema(80), "Brazil", _one_line(80, "'region_note'")),
""")
    model = root / PACKAGE / "model" / "translation.py"
    model.write_text(model.read_text(encoding="utf-8")
                     + "    region_note: str  # where the translation is read\n",
                     encoding="utf-8")
    assert socialmission(root, "derived").returncode == 0
    schema = json.loads((root / "site" / "schema" / "translation.schema.json").read_text())
    assert schema["properties"]["region_note"]["description"] == \
        "Where the translation is read, in a few words."
    french = (ROOT / "tests" / "fixtures" / "translations" / "v1" / "fr.yaml").read_text(
        encoding="utf-8").replace("updated: 2026-11-30", "updated: 2026-05-01")  # the clock's
    (root / "translations" / "v1").mkdir(parents=True)
    (root / "translations" / "v1" / "fr.yaml").write_text(french, encoding="utf-8")
    refused = socialmission(root, "validate")
    assert refused.returncode == 1
    assert "translations/v1/fr.yaml:3:1: 'region_note' is missing: add a 'region_note:' " \
           "line" in refused.stdout
    (root / "translations" / "v1" / "fr.yaml").write_text(french + "region_note: France\n",
                                                          encoding="utf-8")
    taken = socialmission(root, "validate")
    assert taken.returncode == 0, taken.stdout
    read = subprocess.run(
        [sys.executable, "-c", "from pathlib import Path; from socialmission.check.translations "
         "import check_translations; from socialmission.model.mission import load_mission; "
         "print(check_translations(load_mission(Path('.'))).translations[0].region_note)"],
        cwd=root, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(root / "scripts")})
    assert read.stdout == "France\n"


def test_a_badge_variant_takes_its_name_and_its_colours(tmp_path: Path) -> None:
    root = project(tmp_path)
    paths_module = root / PACKAGE / "model" / "paths.py"
    insert_before_end(paths_module, "BADGE_VARIANTS", ', "contrast"')
    palette = root / "badges" / "palette.yaml"
    text = palette.read_text(encoding="utf-8")
    colours = {"label_bg": "#000000", "label_text": "#ffffff", "value_bg": "#ffff00",
               "value_text": "#000000", "withdrawn_bg": "#000000",
               "withdrawn_text": "#ffffff", "card_bg": "#000000", "card_border": "#ffffff",
               "card_heading": "#ffff00", "card_text": "#ffffff", "card_muted": "#ffffff",
               "emblem_bg": "#ffff00", "emblem_mark": "#000000",
               "emblem_withdrawn_bg": "#ffffff"}
    block = "contrast:\n" + "".join(f'  {key}: "{value}"\n' for key, value in colours.items())
    assert "\nsite:\n" in text
    palette.write_text(text.replace("\nsite:\n", f"\n{block}site:\n", 1), encoding="utf-8")

    drawn = socialmission(root, "badges")
    assert drawn.returncode == 0, drawn.stderr
    folders = [folder for folder in (root / ".cache" / "badges").iterdir() if folder.is_dir()]
    assert folders
    for folder in folders:
        for style in ("compact", "card"):
            assert (folder / f"{style}-contrast.svg").read_text().startswith("<svg")
            assert (folder / f"{style}-contrast@2x.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_page_takes_its_markdown_and_its_line_in_the_nav(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "site" / "faq.md").write_text("# Questions\n\nWhy sign? Because.\n",
                                          encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    last = "  - Open data: open-data.md\n"
    assert last in text
    config.write_text(text.replace(last, last + "  - Questions: faq.md\n"), encoding="utf-8")

    built = socialmission(root, "build", "--out", str(tmp_path / "public"))
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "public" / "faq" / "index.html").read_text(encoding="utf-8")
    assert "Why sign? Because." in page
    home = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert 'href="faq/"' in home
