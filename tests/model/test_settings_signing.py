"""The settings issue 12 reads: the App's login, the proof requirement and automerge."""

from __future__ import annotations

import pytest

from conftest import ROOT
from socialmission.model import paths
from socialmission.model.settings import SettingsError, parse_settings

DEMO = (ROOT / paths.SETTINGS_FILE).read_text(encoding="utf-8")


def settings_with(extra: str) -> bytes:
    return (DEMO + extra).encode("utf-8")


def problems(extra: str) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        parse_settings(settings_with(extra), "registry.yaml")
    return [problem.message for problem in caught.value.problems]


def test_off_by_default() -> None:
    settings = parse_settings(DEMO.encode("utf-8"), "registry.yaml")
    assert (settings.app_login, settings.domain_proof, settings.automerge) == \
        (None, False, False)


def test_all_three_read() -> None:
    settings = parse_settings(settings_with(
        "app_login: socially-m-registry[bot]\ndomain_proof: true\nautomerge: true\n"),
        "registry.yaml")
    assert (settings.app_login, settings.domain_proof, settings.automerge) == \
        ("socially-m-registry[bot]", True, True)


@pytest.mark.parametrize(("extra", "message"), [
    ("domain_proof: \"true\"\n", "'domain_proof' must be true or false, without quotes"),
    ("domain_proof: yes\n", "'domain_proof' must be true or false, without quotes"),
    ("automerge: 1\n", "'automerge' must be true or false, without quotes"),
    ("automerge: true\n", "'automerge' needs 'domain_proof: true': a pull request is merged "
                          "unread only once the pledge's website has confirmed it"),
    ("app_login: socially-m\n", "'app_login' must be the login of the registry's GitHub App, "
                                "its slug and '[bot]', such as example-registry[bot]: got "
                                "'socially-m'"),
    ("app_login: \"-x[bot]\"\n", "'app_login' must be the login of the registry's GitHub App, "
                                 "its slug and '[bot]', such as example-registry[bot]: got "
                                 "'-x[bot]'"),
])
def test_bad_values_are_refused(extra: str, message: str) -> None:
    assert problems(extra) == [message]
