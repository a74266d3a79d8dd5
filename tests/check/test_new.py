"""`socialmission new` writes a valid pledge, checks every answer, never overwrites."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from conftest import NAME_FITS, VALID, Registry
from socialmission.check.new import run_new
from socialmission.check.validate import validate
from socialmission.cli import build_parser, main
from socialmission.model.slugs import suggest_slug

FLAGS = ["--name", "Café Olé Ltd", "--kind", "organisation", "--website",
         "https://cafe-ole.example.org/", "--signed", "2024-06-01", "--maintainers",
         "cafe-ole, barista", "--country", "FR", "--sector", "hospitality",
         "--statement", 'We say "bonjour" to everyone: even trolls.', "--no-input"]


def test_flags_write_a_pledge_that_validates(registry: Registry) -> None:
    assert main(["--root", str(registry.root), "new", *FLAGS]) == 0
    written = registry.pledges / "cafe-ole-ltd.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../site/schema/pledge.schema.json")
    assert 'statement: "We say \\"bonjour\\" to everyone: even trolls."' in text
    report = validate([registry.pledges], registry.mission, name_fits=NAME_FITS)
    assert report.ok, report.problems
    (pledge,) = report.pledges
    assert (pledge.name, pledge.maintainers) == ("Café Olé Ltd", ("cafe-ole", "barista"))


def test_never_overwrites(registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    existing = registry.write("cafe-ole-ltd", VALID)
    assert main(["--root", str(registry.root), "new", *FLAGS]) == 2
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text() == VALID


def test_a_bad_flag_is_refused_with_the_rule(registry: Registry,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    flags = [*FLAGS]
    flags[flags.index("https://cafe-ole.example.org/")] = "http://localhost"
    assert main(["--root", str(registry.root), "new", *flags]) == 2
    assert "--website: 'website' uses the scheme 'http'" in capsys.readouterr().err
    assert list(registry.pledges.glob("*.yaml")) == []


def test_cross_file_rules_apply_before_writing(registry: Registry,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    registry.write("first", VALID.replace("https://www.example.org/",
                                          "https://cafe-ole.example.org/"))
    assert main(["--root", str(registry.root), "new", *FLAGS]) == 1
    assert "has the same website as" in capsys.readouterr().err
    assert not (registry.pledges / "cafe-ole-ltd.yaml").exists()


def test_prompts_ask_again_until_the_answer_is_valid(
        registry: Registry, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    answers = iter(["Zoë Example", "person", "individual", "ftp://zoe", "https://zoe.example.com",
                    "", "", "@zoe", "zoe", "", "", "", "", "zoe-example"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    parser = build_parser()
    args = parser.parse_args(["new"])
    assert run_new(args, registry.pledges, registry.mission, NAME_FITS,
                   ask=lambda _: next(answers)) == 0
    errors = capsys.readouterr().err
    assert "'kind' must be one of organisation, individual" in errors
    assert "'website' uses the scheme 'ftp'" in errors
    assert "write the login without '@'" in errors
    assert (registry.pledges / "zoe-example.yaml").is_file()
    assert validate([registry.pledges], registry.mission, name_fits=NAME_FITS).ok


@pytest.mark.parametrize(("name", "slug"), [
    ("Café Olé Ltd", "cafe-ole-ltd"), ("  ACME -- Corp.  ", "acme-corp"), ("株式会社", ""),
])
def test_suggest_slug(name: str, slug: str) -> None:
    assert suggest_slug(name) == slug


def test_non_latin_name_needs_a_slug(registry: Registry) -> None:
    flags = [*FLAGS]
    flags[1] = "株式会社さくら"
    assert main(["--root", str(registry.root), "new", *flags]) == 2
    assert main(["--root", str(registry.root), "new", *flags, "--slug", "sakura"]) == 0
    assert Path(registry.pledges / "sakura.yaml").is_file()
    assert isinstance(build_parser(), argparse.ArgumentParser)
