"""The sign page's "What happens next" says what this registry does between the check and
the published page (site/signsteps.py): by hand, or once the website confirms the
signature, or merged by the App then, as registry.yaml's `domain_proof` and `automerge`
say."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_tree import write

from conftest import copy_registry
from socialmission.model import paths
from socialmission.model.settings import Settings
from socialmission.site import signsteps

PROOF_LINK = f"[a file or a DNS record]({signsteps.PROOF_ANCHOR})"


@pytest.mark.parametrize(("domain_proof", "automerge", "says", "never"), [
    (False, False, "**A maintainer merges it.** A person reads every new pledge",
     ["website", "App"]),
    (True, False, "**Your website confirms it, and a maintainer merges it.**", ["App"]),
    (True, True, "**It is merged once your website confirms it.**", ["by hand"]),
])
def test_the_merge_step_is_what_the_settings_make_it(
        settings: Settings, domain_proof: bool, automerge: bool, says: str,
        never: list[str]) -> None:
    step = signsteps.merge_step(replace(settings, domain_proof=domain_proof,
                                        automerge=automerge))
    assert step.startswith(says)
    assert (PROOF_LINK in step) is domain_proof
    assert [word for word in never if word in step] == []
    assert "\n" not in step  # one item of the page's ordered list


def test_the_sign_page_takes_the_step_of_its_own_registry(tmp_path: Path) -> None:
    """The registry's own settings (domain_proof off) give the first; a registry that
    turns on domain_proof and automerge publishes the third, and no marker is left."""
    root = copy_registry(tmp_path / "registry")
    write(root)
    sign = (root / paths.BUILD_DIR / "docs" / "sign.md").read_text(encoding="utf-8")
    assert "2. **A maintainer merges it.**" in sign
    settings_file = root / paths.SETTINGS_FILE
    settings_file.write_text(settings_file.read_text(encoding="utf-8")
                             + "domain_proof: true\nautomerge: true\n", encoding="utf-8")
    write(root)
    sign = (root / paths.BUILD_DIR / "docs" / "sign.md").read_text(encoding="utf-8")
    assert f"2. **It is merged once your website confirms it.** A new pledge passes only " \
           f"when {PROOF_LINK} on your website confirms it" in sign
    assert "socialmission:" not in sign
