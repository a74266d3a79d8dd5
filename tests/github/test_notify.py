"""`notify-version` against the fake GitHub API on 127.0.0.1, on a fake clock: the pacing
is checked, not waited for (github/notify.py)."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import OWNED, ROOT, VALID, Registry
from fake_github import DROP, REPO, FakeApi, FakeClock, IssueTracker
from socialmission.cli import main
from socialmission.commands import notify_version
from socialmission.github.notify import (
    FAILURES_MAX,
    HOUR,
    REQUEST_GAP,
    RUN_SECONDS,
    Notice,
    Notifier,
    Pace,
    Recipient,
    Result,
    Words,
    duration,
    label,
    notices,
)
from socialmission.model.accounts import Account
from socialmission.model.settings import SettingsError, parse_settings

ISSUES = f"/repos/{REPO}/issues"
APP = "registry-app[bot]"
WORDS = Words("Social Mission", 2, "https://pledges.example.org/history/#version-2",
              f"https://github.com/{REPO}/issues/new?template=change.yml",
              lambda slug: f"https://pledges.example.org/signatories/{slug}/", 60)
MARKER = re.compile(r"<!-- socialmission-notify version=2 pledges=([a-z0-9,-]+) -->")


def signatories(count: int) -> list[Recipient]:
    """`count` pledges of version 1, each with a maintainer of its own (id 1000 + i)."""
    return [Recipient(f"org-{i:04d}", f"Org {i}", 1, (Account(f"m{i}", 1000 + i),))
            for i in range(count)]


@pytest.fixture
def tracker() -> Iterator[tuple[IssueTracker, FakeApi]]:
    clock = FakeClock()
    issues = IssueTracker(clock)
    api = FakeApi({}, route=issues.route)
    yield issues, api
    api.close()


def one_run(issues: IssueTracker, api: FakeApi, notes: list[Notice],
            owing: set[str] | None = None, per_hour: int = 300) -> Result:
    notifier = Notifier(api.github, issues.clock, Pace(per_hour), WORDS, app_login=APP)
    return notifier.run(notes, owing if owing is not None else
                        {slug for n in notes for slug in n.slugs})


def runs_until_done(issues: IssueTracker, api: FakeApi, notes: list[Notice],
                    limit: int = 20) -> list[tuple[float, Result]]:
    """Hourly runs (as the cron starts them) until one ends with nothing left."""
    done: list[tuple[float, Result]] = []
    while len(done) < limit:
        start = issues.clock.seconds
        done.append((start, one_run(issues, api, notes)))
        if done[-1][1].ended is None:
            return done
        issues.clock.seconds = (start // HOUR + 1) * HOUR
    raise AssertionError("never done")


def markers(issues: IssueTracker) -> list[str]:
    return [MARKER.findall(issue["body"])[0] for issue in issues.opened()]


def creations(issues: IssueTracker) -> list[float]:
    return [t for t, method, path in issues.times if method == "POST" and path == ISSUES]


def test_a_thousand_signatories_at_the_set_pace(
        tracker: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = tracker
    issues.users = {1000 + i: f"m{i}" for i in range(1000)}
    notes, nobody = notices(signatories(1000))
    assert len(notes) == 1000 and not nobody
    runs = runs_until_done(issues, api, notes)
    pace = Pace(300)
    # each pledge told once, in as many runs as the dry run says
    assert sorted(markers(issues)) == [f"org-{i:04d}" for i in range(1000)]
    assert len(runs) == pace.runs(1000) == 4
    # never two requests within a second
    times = [t for t, _, _ in issues.times]
    assert min(b - a for a, b in itertools.pairwise(times)) >= REQUEST_GAP
    # at most notify_per_hour creations in any hour
    made = creations(issues)
    assert max(bisect.bisect_left(made, t + HOUR) - i for i, t in enumerate(made)) <= 300
    # every run's requests end within its time, well within the token's hour
    starts = [start for start, _ in runs] + [float("inf")]
    for start, end in itertools.pairwise(starts):
        assert max(t for t in times if start <= t < end) - start <= RUN_SECONDS < HOUR
    # the dry run's arithmetic: from the first creation to the last
    assert abs((made[-1] - made[0]) - pace.seconds(1000)) < 60


def test_a_secondary_limit_waits_retry_after(tracker: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = tracker
    issues.users = {1000 + i: f"m{i}" for i in range(3)}
    slept: list[float] = []
    issues.clock.on_sleep = slept.append
    issues.faults = [("POST", ISSUES, 403, "7")]
    result = one_run(issues, api, notices(signatories(3))[0])
    assert result.ended is None and len(markers(issues)) == 3
    assert 7.0 in slept


def test_without_retry_after_the_wait_doubles_and_three_end_the_run(
        tracker: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = tracker
    issues.users = {1000 + i: f"m{i}" for i in range(3)}
    slept: list[float] = []
    issues.clock.on_sleep = slept.append
    issues.faults = [("POST", ISSUES, 429, None)] * FAILURES_MAX
    notes = notices(signatories(3))[0]
    result = one_run(issues, api, notes)
    assert result.ended is not None and "3 failures in a row" in result.ended
    assert result.left == 3 and not issues.opened()
    assert [s for s in slept if s >= 60] == [60.0, 120.0]  # then the third ends the run
    assert one_run(issues, api, notes).ended is None  # the next run does it all
    assert sorted(markers(issues)) == ["org-0000", "org-0001", "org-0002"]


def test_a_502_mid_run_is_waited_out(tracker: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = tracker
    issues.users = {1000 + i: f"m{i}" for i in range(5)}
    issues.faults = [("GET", "/user/1002", 502, None), ("POST", ISSUES, 502, None)]
    result = one_run(issues, api, notices(signatories(5))[0])
    assert result.ended is None
    assert sorted(markers(issues)) == [f"org-{i:04d}" for i in range(5)]


def test_a_creation_whose_answer_is_lost_is_found_not_repeated(
        tracker: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = tracker
    issues.users = {1000 + i: f"m{i}" for i in range(4)}
    issues.faults = [("POST", ISSUES, DROP, None)]
    notes = notices(signatories(4))[0]
    assert one_run(issues, api, notes).ended is None
    assert sorted(markers(issues)) == [f"org-{i:04d}" for i in range(4)]  # none twice
    assert len(creations(issues)) == 4


class Killed(Exception):
    pass


def test_a_killed_run_and_a_rerun_open_only_what_is_missing(
        tracker: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = tracker
    issues.users = {1000 + i: f"m{i}" for i in range(50)}

    def kill(seconds: float) -> None:
        if len(issues.issues) >= 40:  # more than the newest looked at before a creation
            raise Killed

    issues.clock.on_sleep = kill
    notes = notices(signatories(50))[0]
    with pytest.raises(Killed):
        one_run(issues, api, notes)
    issues.clock.on_sleep = lambda seconds: None
    before = len(creations(issues))
    assert before == 40
    assert one_run(issues, api, notes).ended is None
    assert sorted(markers(issues)) == [f"org-{i:04d}" for i in range(50)]
    assert len(creations(issues)) - before == 50 - 40


def test_a_renamed_maintainer_is_mentioned_by_the_login_of_now(
        tracker: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = tracker
    issues.users = {77: "new-name"}
    notes, _ = notices([Recipient("acme", "Acme", 1, (Account("old-name", 77),))])
    one_run(issues, api, notes)
    (body,) = [issue["body"] for issue in issues.opened()]
    assert body.startswith("@new-name: ") and "old-name" not in body


def test_a_name_with_at_and_markdown_mentions_nobody_and_formats_nothing(
        tracker: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = tracker
    issues.users = {5: "maintainer"}
    name = "@everyone **Bold** [x](https://evil.example/) <b>b</b> `c`"
    notes, _ = notices([Recipient("acme", name, 1, (Account("maintainer", 5),))])
    one_run(issues, api, notes)
    (body,) = [issue["body"] for issue in issues.opened()]
    html = MarkdownIt("commonmark").render(body)
    assert re.findall(r"@[\w-]+", body) == ["@maintainer"]
    assert "<strong>" not in html and "<code>" not in html and "<b>" not in html
    assert "evil.example" not in re.findall(r'href="([^"]*)"', html).__str__()
    assert "@everyone **Bold** [x](https://evil.example/) <b>b</b> `c`" in \
        re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&amp;#64;", "@").replace("&#64;", "@").replace("&amp;lt;", "<") \
        .replace("&amp;gt;", ">").replace("&amp;", "&")


def test_pledges_with_the_same_maintainers_share_one_issue() -> None:
    both = (Account("a", 1), Account("b", 2))
    notes, nobody = notices([
        Recipient("acme", "Acme", 1, both),
        Recipient("beta", "Beta", 1, tuple(reversed(both))),
        Recipient("gamma", "Gamma", 1, (Account("a", 1),)),
        Recipient("old", "Old", 1, (Account("login-only", None),)),
    ])
    assert [(n.ids, n.slugs) for n in notes] == [((1, 2), ("acme", "beta")),
                                                  ((1,), ("gamma",))]
    assert [r.slug for r in nobody] == ["old"]


def test_settled_and_old_issues_are_closed_with_a_comment(
        tracker: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = tracker
    issues.users = {1000 + i: f"m{i}" for i in range(3)}
    notes = notices(signatories(3))[0]
    one_run(issues, api, notes)
    # org-0000 reaffirms; 61 days pass for the others' issues
    issues.clock.seconds += 3 * HOUR
    result = one_run(issues, api, notes, owing={"org-0001", "org-0002"})
    assert result.closed == [1] and [i["state"] for i in issues.issues] == \
        ["closed", "open", "open"]
    assert "reaffirmed or withdrawn" in issues.comments[0][1]
    issues.clock.seconds += 61 * 24 * HOUR
    assert one_run(issues, api, notes, owing={"org-0001", "org-0002"}).closed == [2, 3]
    assert all(i["state"] == "closed" for i in issues.issues)
    assert "No reaffirmation or withdrawal in 60 days" in issues.comments[-1][1]
    assert len(issues.opened()) == 3  # nothing opened again
    assert label(2) in issues.labels


def test_markers_in_issues_someone_else_opened_are_not_believed(
        tracker: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = tracker
    issues.users = {1000: "m0"}
    issues.app = "mallory"  # an issue with the label and a marker, not the App's
    issues.issues.append({"number": 1, "state": "open", "labels_names": [label(2)],
                          "body": "<!-- socialmission-notify version=2 pledges=org-0000 -->",
                          "title": "x", "user": {"login": "mallory"},
                          "created_at": issues.clock.now().isoformat()})
    issues.app = APP
    one_run(issues, api, notices(signatories(1))[0])
    assert markers(issues) == ["org-0000"]


# --- the command, on a registry whose mission has a second version -------------------------

VERSION_2 = """\
  - version: 2
    date: 2026-05-01
    title: The Socially-M Social Mission
    changes: Wording corrected.
    principles:
      - Social media is a conversation.
"""


def _registry(registry: Registry, settings: str = "") -> Path:
    with (registry.root / "mission.yaml").open("a", encoding="utf-8") as mission:
        mission.write(VERSION_2)
    (registry.root / "mkdocs.yml").write_text(
        "site_name: Test\nsite_url: https://pledges.example.org/\n", encoding="utf-8")
    with (registry.root / "registry.yaml").open("a", encoding="utf-8") as handle:
        handle.write(settings)
    registry.write("harbour", OWNED)
    registry.write("harbour-two", OWNED.replace("Harbour Media Ltd", "Harbour **Two**")
                   .replace("www.example.net", "two.example.net"))
    registry.write("loose", VALID.replace("Harbour Media Ltd", "Loose Ends")
                   .replace("www.example.net", "loose.example.net"))
    registry.write("renewed", OWNED.replace("Harbour Media Ltd", "Renewed Co")
                   .replace("www.example.net", "renewed.example.net")
                   .replace("signed: 2024-05-16\n",
                            "signed: 2024-05-16\nreaffirmed:\n  - version: 2\n"
                            "    date: 2026-05-02\n"))
    return registry.root


@pytest.fixture
def api_env(monkeypatch: pytest.MonkeyPatch,
            tracker: tuple[IssueTracker, FakeApi]) -> tuple[IssueTracker, FakeApi]:
    issues, api = tracker
    monkeypatch.setenv("GITHUB_API_URL", api.github.api_url)
    monkeypatch.setenv("GH_TOKEN", "token")
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setattr(notify_version, "SystemClock", lambda: issues.clock)
    return issues, api


def test_off_by_default_it_says_so_and_calls_no_api(
        registry: Registry, api_env: tuple[IssueTracker, FakeApi],
        capsys: pytest.CaptureFixture[str]) -> None:
    root = _registry(registry)
    assert main(["--root", str(root), "notify-version", "2"]) == 0
    assert "telling signatories is off (registry.yaml does not say notify_new_versions: " \
           "true): nothing sent" in capsys.readouterr().out
    assert api_env[1].requests == []


def test_the_dry_run_says_who_how_many_and_how_long(
        registry: Registry, api_env: tuple[IssueTracker, FakeApi],
        capsys: pytest.CaptureFixture[str]) -> None:
    root = _registry(registry, "notify_per_hour: 100\n")
    assert main(["--root", str(root), "notify-version", "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "telling signatories is off (registry.yaml does not say notify_new_versions: "
        "true); were it on:",
        "Version 2 of the Social Mission: 3 active pledge(s) have not signed or "
        "reaffirmed it.",
        "1 issue(s) would be opened (pledges with the same maintainers share one), each "
        "mentioning the maintainers by the login their account id has when it is opened:",
        "  harbour, harbour-two: harbour (id 583231)",
        "1 pledge(s) name no maintainer by account id, so nobody can be told: loose",
        "At 100 an hour (notify_per_hour: one every 36 s, at most 84 a run of 50 min, "
        "runs an hour apart): 1 issue(s) take 1 run(s), 0 min from the first to the "
        "last (issues earlier runs opened are not subtracted: the dry run calls no API)."]
    assert api_env[1].requests == []


def test_the_command_opens_the_issue_with_the_registrys_words(
        registry: Registry, api_env: tuple[IssueTracker, FakeApi],
        capsys: pytest.CaptureFixture[str]) -> None:
    issues, _ = api_env
    issues.users = {583231: "harbour-renamed"}
    root = _registry(registry, "notify_new_versions: true\napp_login: registry-app[bot]\n")
    assert main(["--root", str(root), "notify-version", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == \
        "1 issue(s) opened, 0 closed; nothing left to open"
    (issue,) = issues.opened()
    assert issue["title"] == "Social Mission version 2: reaffirm or withdraw harbour, " \
                             "harbour-two"
    assert issue["labels_names"] == ["mission-v2"]
    assert issue["body"].startswith("@harbour-renamed: version 2 of the Social Mission is "
                                    "published ([what changed](https://pledges.example.org/"
                                    "history/#")
    assert "- Harbour \\*\\*Two\\*\\* ([its page](https://pledges.example.org/signatories/" \
           "harbour-two/)): signed version 1" in issue["body"]
    assert f"(https://github.com/{REPO}/issues/new?template=change.yml)" in issue["body"]
    assert issue["body"].endswith(
        "<!-- socialmission-notify version=2 pledges=harbour,harbour-two -->\n")
    assert main(["--root", str(root), "notify-version", "2"]) == 0  # again: nothing new
    assert len(issues.opened()) == 1


def test_a_notices_repository_takes_the_issues(
        registry: Registry, api_env: tuple[IssueTracker, FakeApi]) -> None:
    issues, api = api_env
    issues.users = {583231: "harbour"}
    issues.repo = "socially-m/notices"
    root = _registry(registry, "notify_new_versions: true\n"
                               "notify_repository: https://github.com/socially-m/notices\n")
    assert main(["--root", str(root), "notify-version", "2"]) == 0
    assert len(issues.opened()) == 1
    assert {path.split("?")[0] for _, path in api.paths()} == {
        "/repos/socially-m/notices/issues", "/repos/socially-m/notices/labels/mission-v2",
        "/repos/socially-m/notices/labels", "/user/583231"}


def test_a_version_the_mission_does_not_have_is_refused(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    root = _registry(registry)
    assert main(["--root", str(root), "notify-version", "3", "--dry-run"]) != 0
    assert "the mission has no published version 3: its versions are 1, 2" in \
        capsys.readouterr().err


def test_the_pace_is_a_setting_within_githubs_hourly_limit() -> None:
    base = (ROOT / "registry.yaml").read_bytes()
    settings = parse_settings(base, "registry.yaml")
    assert (settings.notify_new_versions, settings.notify_per_hour,
            settings.notify_close_days) == (False, 300, 60)
    with pytest.raises(SettingsError, match="'notify_per_hour' must be a whole number "
                                            "from 1 to 500"):
        parse_settings(base + b"notify_per_hour: 501\n", "registry.yaml")


def test_the_operators_guide_says_how_long_at_the_default_pace() -> None:
    """OPERATORS.md's table is the dry run's arithmetic (Pace), at notify_per_hour 300."""
    text = (ROOT / "OPERATORS.md").read_text(encoding="utf-8")
    section = text.split("## Telling signatories of a new version")[1].split("\n## ")[0]
    rows = re.findall(r"^\| ([0-9,]+) \| ([0-9]+) \| ([^|]+) \|$", section, re.MULTILINE)
    pace = Pace(300)
    assert rows and rows == [(count, str(pace.runs(int(count.replace(",", "")))),
                              duration(pace.seconds(int(count.replace(",", "")))))
                             for count, _, _ in rows]
    assert f"({pace.per_run} issues a run at most" in section
    slow = Pace(100)
    assert f"1,000 take {slow.runs(1000)} runs, {duration(slow.seconds(1000))}" in section
