"""Telling signatories of a new mission version: one issue on GitHub for each active pledge
whose current signature has not signed or reaffirmed it (pledges with the same maintainers
share one), mentioning its maintainers by the logins their account ids have now.

Paced and bounded, since GitHub allows an account about 80 pieces of content a minute and
500 an hour, shared with everything the registry's App does: at most `notify_per_hour`
issues and comments an hour (spaced evenly, from the newest issue the last run opened),
never two requests within `REQUEST_GAP`, and a run that ends before `RUN_SECONDS` (the
App's token lives an hour); the next run carries on. A secondary rate limit (or a 5xx,
or a lost connection) waits `retry-after`, else `FIRST_WAIT` doubling, and the run ends
after `FAILURES_MAX` in a row.

Nothing is kept on this side: every issue carries the version's label and a marker (an
HTML comment naming the version and the pledges' slugs), and the issues with that label
are looked up before each creation, so a creation whose answer was lost is found, not
repeated, and a killed run's successor opens only what is missing. Markers are believed
only in issues the App itself opened (`app_login`), since anyone may open an issue.

An open issue is closed with a comment once all its pledges have reaffirmed (or signed
again) or withdrawn, or after `notify_close_days`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol
from urllib.parse import quote

from socialmission.check.validate import validate
from socialmission.errors import UsageError
from socialmission.github.api import ApiError, GitHub, Unreachable
from socialmission.model import paths
from socialmission.model.accounts import Account, accounts_in
from socialmission.model.constants import GITHUB_LOGIN_RE
from socialmission.model.markdown import comment_text
from socialmission.model.mission import Mission
from socialmission.model.pledge import Pledge
from socialmission.model.settings import Settings, site_url

REQUEST_GAP: Final = 1.0  # seconds: never two requests to GitHub closer than this
RUN_SECONDS: Final = 50 * 60  # a run's longest: the App's token lives 60 minutes
FIRST_WAIT: Final = 60.0  # seconds after a failure GitHub gives no retry-after for, doubling
FAILURES_MAX: Final = 3  # failures in a row that end the run (the next one continues)
PAGE: Final = 100  # issues a page when all of a version's are listed
NEWEST: Final = 30  # the newest issues looked at before each creation
HOUR: Final = 3600.0  # seconds


def label(version: int) -> str:
    """The label every issue about `version` carries."""
    return f"mission-v{version}"


_MARKER: Final = re.compile(
    r"<!-- socialmission-notify version=([1-9][0-9]{0,5}) "
    r"pledges=([a-z0-9]+(?:-[a-z0-9]+)*(?:,[a-z0-9]+(?:-[a-z0-9]+)*)*) -->")


def marker(version: int, slugs: Iterable[str]) -> str:
    return f"<!-- socialmission-notify version={version} pledges={','.join(slugs)} -->"


class Clock(Protocol):
    """Where a run reads the time and waits: time's own, or the tests' fake."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    def now(self) -> dt.datetime: ...


@dataclass(frozen=True)
class Recipient:
    """A pledge to tell: its slug, its name and the accounts its file lists."""

    slug: str
    name: str
    version: int  # the newest version its current signature signed or reaffirmed
    accounts: tuple[Account, ...]


@dataclass(frozen=True)
class Notice:
    """One issue: the pledges whose maintainers are the same accounts (by id)."""

    ids: tuple[int, ...]
    pledges: tuple[Recipient, ...]

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(p.slug for p in self.pledges)


def owing(pledges: Iterable[Pledge], version: int,
          accounts_of: Callable[[Pledge], tuple[Account, ...]]) -> list[Recipient]:
    """The active pledges whose current signature signed or reaffirmed no version as new
    as `version`, by slug."""
    return [Recipient(p.slug, p.name, p.current_version, accounts_of(p))
            for p in sorted(pledges, key=lambda p: p.slug)
            if p.active and not p.tombstone and p.current_version < version]


def notices(recipients: Iterable[Recipient]) -> tuple[list[Notice], list[Recipient]]:
    """The issues to open (pledges grouped by their maintainers' ids, in the order of
    their first slug), and the pledges that name no maintainer by id: nobody can be
    mentioned for them with certainty (a login alone may have passed to someone else)."""
    groups: dict[tuple[int, ...], list[Recipient]] = {}
    nobody: list[Recipient] = []
    for recipient in recipients:
        ids = tuple(sorted({a.id for a in recipient.accounts if a.id is not None}))
        if ids:
            groups.setdefault(ids, []).append(recipient)
        else:
            nobody.append(recipient)
    found = [Notice(ids, tuple(members)) for ids, members in groups.items()]
    return sorted(found, key=lambda n: n.slugs[0]), nobody


@dataclass(frozen=True)
class Pace:
    """How fast issues are opened: `per_hour` at most, evenly spaced, in runs that each
    end within RUN_SECONDS and start an hour apart."""

    per_hour: int

    @property
    def spacing(self) -> float:
        """Seconds between two creations."""
        return HOUR / self.per_hour

    @property
    def per_run(self) -> int:
        """Creations one run makes at most: one at its start, then one every spacing."""
        return min(self.per_hour, math.floor(RUN_SECONDS / self.spacing) + 1)

    def runs(self, count: int) -> int:
        return math.ceil(count / self.per_run) if count else 0

    def seconds(self, count: int) -> float:
        """From the first creation to the last: whole hours between runs, then the last
        run's share at the spacing."""
        if not count:
            return 0.0
        runs = self.runs(count)
        return (runs - 1) * HOUR + (count - (runs - 1) * self.per_run - 1) * self.spacing


def duration(seconds: float) -> str:
    """`seconds` as '3 h 20 min' (whole minutes, rounded up)."""
    minutes = math.ceil(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


@dataclass(frozen=True)
class Words:
    """What an issue says besides its pledges: the mission's name, the version, and the
    addresses it links (the site's, the change form's)."""

    mission_name: str
    version: int
    history_url: str  # the new version's section of the history page
    change_form_url: str  # "Update or withdraw my signature"
    page_url: Callable[[str], str]  # a signatory's page, by slug
    close_days: int


def title(words: Words, notice: Notice) -> str:
    """The issue's title: slugs only (no signatory's text), which are plain."""
    return (f"{words.mission_name} version {words.version}: reaffirm or withdraw "
            f"{', '.join(notice.slugs)}")


def body(words: Words, notice: Notice, logins: Iterable[str]) -> str:
    """The issue's text: the maintainers mentioned, each pledge's name escaped as in every
    comment of the App (no mention, link or markup survives), and the marker."""
    mentions = " ".join(f"@{login}" for login in logins)
    lines = [f"{mentions}: version {words.version} of the {words.mission_name} is "
             f"published ([what changed]({words.history_url})). You maintain "
             f"{'these pledges' if len(notice.pledges) > 1 else 'this pledge'}, whose "
             "signature is of an earlier version:", ""]
    lines += [f"- {comment_text(p.name)} ([its page]({words.page_url(p.slug)})): signed "
              f"version {p.version}" for p in notice.pledges]
    lines += ["", f"To sign version {words.version}, reaffirm with the form [Update or "
              f"withdraw my signature]({words.change_form_url}); to stop being a "
              "signatory, withdraw with the same form. Doing nothing changes nothing: "
              "the badge keeps saying the version that was signed.", "",
              f"This issue is closed when the pledge reaffirms or withdraws, or in "
              f"{words.close_days} days.", "", marker(words.version, notice.slugs), ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class Told:
    """An issue about the version, as the listing shows it."""

    number: int
    is_open: bool
    slugs: tuple[str, ...]
    created: dt.datetime


def _told(item: Any, version: int, app_login: str | None) -> Told | None:
    """An issue of the listing, when the App opened it with a marker for `version`."""
    if not isinstance(item, dict) or "pull_request" in item or \
            not isinstance(item.get("number"), int) or not isinstance(item.get("body"), str):
        return None
    user = item.get("user")
    if app_login and not (isinstance(user, dict) and user.get("login") == app_login):
        return None
    found = _MARKER.search(item["body"])
    if found is None or int(found[1]) != version:
        return None
    try:
        created = dt.datetime.fromisoformat(str(item.get("created_at")))
    except ValueError:
        return None
    if created.tzinfo is None:  # GitHub writes UTC with a Z; a bare time is UTC too
        created = created.replace(tzinfo=dt.UTC)
    return Told(item["number"], item.get("state") == "open", tuple(found[2].split(",")),
                created)


class RunOver(Exception):
    """The run ends here; the next one continues."""


class _Unsure(Exception):
    """A change whose answer was lost: whether GitHub made it is looked up."""


@dataclass
class Result:
    opened: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    unmentionable: list[tuple[str, ...]] = field(default_factory=list)  # no account left
    ended: str | None = None  # why the run ended before it was done
    left: int = 0  # issues still to open: the next run's


class Notifier:
    """One run for one version: requests paced, failures waited out, issues found again."""

    def __init__(self, github: GitHub, clock: Clock, pace: Pace, words: Words, *,
                 app_login: str | None, say: Callable[[str], None] = lambda line: None
                 ) -> None:
        self.github, self.clock, self.pace, self.words = github, clock, pace, words
        self.app_login, self.say = app_login, say
        self.repo = f"/repos/{github.repository}"
        self.deadline = clock.monotonic() + RUN_SECONDS
        self.last_request = -math.inf
        self.next_creation = -math.inf
        self.failures = 0
        self.failed_method = "GET"
        self.logins: dict[int, str | None] = {}
        self.issues: dict[int, Told] = {}
        self.result = Result()

    # --- pacing ---------------------------------------------------------------------------
    def _wait_until(self, moment: float) -> None:
        if moment > self.deadline:
            raise RunOver("the run's time is up (the App's token lives an hour)")
        delay = moment - self.clock.monotonic()
        if delay > 0:
            self.clock.sleep(delay)

    def _failed(self, error: Exception, retry_after: float | None, method: str) -> None:
        """Count a failure; end the run at the third in a row, else wait."""
        self.failures += 1
        self.failed_method = method
        if self.failures >= FAILURES_MAX:
            raise RunOver(f"{FAILURES_MAX} failures in a row, the last: {error}")
        wait = retry_after if retry_after is not None else \
            FIRST_WAIT * 2 ** (self.failures - 1)
        self.say(f"waiting {wait:g} s: {error}")
        self._wait_until(self.clock.monotonic() + wait)

    def call(self, method: str, path: str, payload: dict[str, Any] | None = None,
             *, creates: bool = False) -> Any:
        """One request, paced (a creation also by `notify_per_hour`); a secondary limit, a
        5xx or a lost connection is waited out and a read asked again, while a change is
        left to the caller to look up (_Unsure)."""
        while True:
            self._wait_until(max(self.last_request + REQUEST_GAP,
                                 self.next_creation if creates else -math.inf))
            self.last_request = self.clock.monotonic()
            if creates:
                self.next_creation = self.last_request + self.pace.spacing
            try:
                answer = self.github.call(method, path, payload)
            except ApiError as error:
                if not (error.secondary_limit or error.status >= 500):
                    raise
                self._failed(error, error.retry_after, method)
            except Unreachable as error:
                self._failed(error, None, method)
            else:
                # the look-up after a failed change is not the change succeeding
                if method != "GET" or self.failed_method == "GET":
                    self.failures = 0
                return answer
            if method != "GET":
                raise _Unsure

    # --- what GitHub holds ---------------------------------------------------------------
    def _listing(self, pages: Iterable[int], per_page: int, newest: bool) -> Iterator[Any]:
        order = "&sort=created&direction=desc" if newest else "&sort=created&direction=asc"
        for page in pages:
            found = self.call("GET", f"{self.repo}/issues?labels="
                                     f"{quote(label(self.words.version))}&state=all"
                                     f"{order}&per_page={per_page}&page={page}")
            items = found if isinstance(found, list) else []
            yield from items
            if len(items) < per_page:
                return

    def _learn(self, items: Iterable[Any]) -> None:
        for item in items:
            told = _told(item, self.words.version, self.app_login)
            if told is not None:
                self.issues[told.number] = told

    def read_all(self) -> None:
        """Every issue about the version, and the spacing kept from the newest of them."""
        self._learn(self._listing(range(1, 10**6), PAGE, newest=False))
        if self.issues:
            newest = max(t.created for t in self.issues.values())
            since = (self.clock.now() - newest).total_seconds()
            self.next_creation = self.clock.monotonic() + self.pace.spacing - since

    def told_slugs(self) -> set[str]:
        return {slug for told in self.issues.values() for slug in told.slugs}

    def login(self, account_id: int) -> str | None:
        """The account's login now, or None when GitHub no longer has it."""
        if account_id not in self.logins:
            try:
                user = self.call("GET", f"/user/{account_id}")
            except ApiError as error:
                if error.status != 404:
                    raise
                user = None
            login = user.get("login") if isinstance(user, dict) else None
            self.logins[account_id] = login if isinstance(login, str) and \
                GITHUB_LOGIN_RE.match(login) else None
        return self.logins[account_id]

    # --- what a run does -----------------------------------------------------------------
    def ensure_label(self) -> None:
        """The version's label, made when the repository has none of that name yet."""
        name = label(self.words.version)
        try:
            self.call("GET", f"{self.repo}/labels/{quote(name)}")
        except ApiError as error:
            if error.status != 404:
                raise
            try:
                self.call("POST", f"{self.repo}/labels", {
                    "name": name, "color": "ededed",
                    "description": f"Told of mission version {self.words.version}"})
            except _Unsure:
                return  # made or not: GitHub makes a label that an issue names
            except ApiError as made:
                if made.status != 422:  # 422: it exists by now
                    raise

    def close(self, told: Told, why: str) -> None:
        """Close the issue, then say why (a comment lost is not posted twice)."""
        path = f"{self.repo}/issues/{told.number}"
        while True:
            try:
                self.call("PATCH", path, {"state": "closed", "state_reason": "completed"})
                break
            except _Unsure:
                continue  # closing twice is closing
        with contextlib.suppress(_Unsure):
            self.call("POST", f"{path}/comments", {"body": why}, creates=True)
        self.result.closed.append(told.number)

    def close_settled(self, owing_slugs: set[str], today: dt.datetime) -> None:
        """Close each open issue whose pledges all reaffirmed or withdrew, or that is
        older than notify_close_days."""
        for told in sorted(self.issues.values(), key=lambda t: t.number):
            if not told.is_open:
                continue
            if not owing_slugs.intersection(told.slugs):
                self.close(told, "Every pledge this issue is about has reaffirmed or "
                                 "withdrawn since: thank you. Closing it.\n")
            elif today - told.created >= dt.timedelta(days=self.words.close_days):
                self.close(told, f"No reaffirmation or withdrawal in "
                                 f"{self.words.close_days} days: closing this issue. "
                                 "Nothing else changes: the signature stays as it is, "
                                 "and reaffirming is possible at any time.\n")

    def open_notice(self, notice: Notice) -> None:
        """Open the notice's issue unless the newest issues show it was opened (a
        creation whose answer was lost): looked up before each attempt."""
        logins = [login for login in map(self.login, notice.ids) if login is not None]
        if not logins:
            self.result.unmentionable.append(notice.slugs)
            return
        payload = {"title": title(self.words, notice),
                   "body": body(self.words, notice, logins),
                   "labels": [label(self.words.version)]}
        while True:
            self._learn(self._listing([1], NEWEST, newest=True))
            if self.told_slugs().intersection(notice.slugs):
                return
            try:
                made = self.call("POST", f"{self.repo}/issues", payload, creates=True)
            except _Unsure:
                continue
            number = made.get("number") if isinstance(made, dict) else None
            if isinstance(number, int):
                self.issues[number] = Told(number, True, notice.slugs, self.clock.now())
            self.result.opened.append((number if isinstance(number, int) else 0,
                                       notice.slugs))
            return

    def run(self, notes: list[Notice], owing_slugs: set[str]) -> Result:
        """Close what is settled, then open what is missing, until done or the run's time
        or GitHub's patience is over."""
        try:
            self.read_all()
            self.close_settled(owing_slugs, self.clock.now())
            told = self.told_slugs()
            missing = [Notice(n.ids, tuple(p for p in n.pledges if p.slug not in told))
                       for n in notes]
            missing = [n for n in missing if n.pledges]
            if missing:
                self.ensure_label()
            for notice in missing:
                self.open_notice(notice)
        except RunOver as over:
            self.result.ended = str(over)
            told = self.told_slugs()
            gone = set(self.result.unmentionable)
            self.result.left = sum(1 for n in notes if n.slugs not in gone and
                                   any(slug not in told for slug in n.slugs))
        return self.result


def plan(notes: list[Notice], nobody: list[Recipient], pace: Pace, words: Words) -> str:
    """What --dry-run prints: who would be told, in how many issues, how long that takes
    at the set pace. It calls no API, so it counts the issues earlier runs opened too."""
    pledges = sum(len(n.pledges) for n in notes) + len(nobody)
    lines = [f"Version {words.version} of the {words.mission_name}: {pledges} active "
             f"pledge(s) have not signed or reaffirmed it.",
             f"{len(notes)} issue(s) would be opened (pledges with the same maintainers "
             "share one), each mentioning the maintainers by the login their account id "
             "has when it is opened:"]
    for notice in notes:
        accounts = {a.id: a.login for p in notice.pledges for a in p.accounts
                    if a.id is not None}
        lines.append(f"  {', '.join(notice.slugs)}: "
                     f"{', '.join(f'{accounts[i]} (id {i})' for i in notice.ids)}")
    if nobody:
        lines.append(f"{len(nobody)} pledge(s) name no maintainer by account id, so "
                     f"nobody can be told: {', '.join(r.slug for r in nobody)}")
    count = len(notes)
    lines.append(
        f"At {pace.per_hour} an hour (notify_per_hour: one every {pace.spacing:g} s, "
        f"at most {pace.per_run} a run of {RUN_SECONDS // 60} min, runs an hour apart): "
        f"{count} issue(s) take {pace.runs(count)} run(s), "
        f"{duration(pace.seconds(count))} from the first to the last (issues earlier "
        "runs opened are not subtracted: the dry run calls no API).")
    return "\n".join(lines) + "\n"


def summary(result: Result) -> str:
    """What a run prints: what it opened and closed, and what is left for the next."""
    lines = [f"opened #{number}: {', '.join(slugs)}" for number, slugs in result.opened]
    lines += [f"closed #{number}" for number in result.closed]
    lines += [f"not opened, no maintainer's account is left on GitHub: {', '.join(slugs)}"
              for slugs in result.unmentionable]
    lines.append(f"{len(result.opened)} issue(s) opened, {len(result.closed)} closed; "
                 + (f"the run ended early ({result.ended}): {result.left} left for the next run"
                    if result.ended else "nothing left to open"))
    return "\n".join(lines) + "\n"


class SystemClock:
    """The time a real run keeps: the monotonic clock, sleep, and the UTC date and time."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def now(self) -> dt.datetime:
        return dt.datetime.now(tz=dt.UTC)


def _accounts(pledge: Pledge) -> tuple[Account, ...]:
    """The accounts the pledge's file lists, ids included (the validated pledge keeps the
    logins only)."""
    try:
        return tuple(accounts_in(pledge.path.read_bytes()) or ())
    except OSError:
        return ()


@dataclass(frozen=True)
class Registry:
    """What the registry says about one version's notices."""

    notices: list[Notice]
    nobody: list[Recipient]  # pledges that name no maintainer by account id
    owing: set[str]  # every slug that has not signed or reaffirmed the version
    words: Words


def read_registry(root: Path, mission: Mission, settings: Settings,
                  version: int | None) -> Registry:
    """The notices of `version` (default: the current one), from the registry's pledges."""
    number = mission.current.version if version is None else version
    if number not in mission.numbers:
        raise UsageError(f"the mission has no published version {number}: its versions are "
                         f"{', '.join(map(str, mission.numbers))}")
    report = validate([root / paths.PLEDGES_DIR], mission, name_fits=lambda name: None)
    recipients = owing(report.pledges, number, _accounts)
    found, nobody = notices(recipients)
    base = site_url(root)
    owner_name = paths.github_repository(settings.repository)
    assert owner_name is not None, "the settings' reader checks the repository's address"
    words = Words(settings.mission_name, number, paths.mission_version_url(base, number),
                  paths.github_issue_form_url(owner_name, paths.CHANGE_FORM_FILE),
                  lambda slug: paths.page_url(base, slug), settings.notify_close_days)
    return Registry(found, nobody, {r.slug for r in recipients}, words)
