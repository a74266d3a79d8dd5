"""Whatever bytes or YAML arrive, the validator reports problems; it never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NAME_FITS, TODAY, VALID
from socialmission.check.validate import validate
from socialmission.model.mission import Mission

FIELDS = ["name", "kind", "website", "signed", "mission_version", "maintainers", "country",
          "sector", "statement", "statement_url", "logo", "social", "status", "withdrawn",
          "withdrawn_reason", "<<", "? x", "- y", "&a", "*a", "!!str"]
TOKENS = st.sampled_from(["", " ", "  ", "\n", ":", ": ", "- ", "[", "]", "{", "}", ",", "'",
                          '"', "&a ", "*a", "!!python/object ", "---", "...", "#", "|", ">",
                          "\t", "\\", "%YAML 1.1", "NO", "2024-01-01", "https://", "@", "\u202e",
                          "\ufeff", "\x00", "\u0301", "é", "1e9", "0x", "~", "<<: "])
YAMLISH = st.lists(st.one_of(TOKENS, st.sampled_from(FIELDS), st.text(max_size=8)),
                   max_size=60).map("".join)


def check(mission: Mission, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        pledges = Path(folder)
        (pledges / "fuzz.yaml").write_bytes(content)
        (pledges / "valid-one.yaml").write_text(VALID)
        report = validate([pledges / "fuzz.yaml"], mission, on=TODAY, name_fits=NAME_FITS)
        for problem in report.problems:
            assert problem.path.endswith("fuzz.yaml")
            assert problem.message and problem.line >= 0 and problem.column >= 0


SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(content=st.binary(max_size=400))
def test_random_bytes(mission: Mission, content: bytes) -> None:
    check(mission, content)


@SETTINGS
@given(content=YAMLISH)
def test_random_yaml_like_text(mission: Mission, content: str) -> None:
    check(mission, content.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(mutation=st.tuples(st.integers(0, len(VALID)), st.integers(0, 20), YAMLISH))
def test_mutated_valid_pledges(mission: Mission, mutation: tuple[int, int, str]) -> None:
    start, length, insert = mutation
    check(mission, (VALID[:start] + insert + VALID[start + length:]).encode("utf-8",
                                                                             "surrogatepass"))


@SETTINGS
@given(values=st.dictionaries(st.sampled_from(FIELDS[:15]), st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.lists(st.text(max_size=10), max_size=12),
    st.dictionaries(st.text(max_size=10), st.text(max_size=30), max_size=4))))
def test_random_field_values(mission: Mission, values: dict[str, object]) -> None:
    import json

    check(mission, json.dumps(values).encode())
