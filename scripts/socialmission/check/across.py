"""Phase 2: across files: the same slug, website, name, or a look-alike name, in two pledges.

Two more rules warn of a published pledge and refuse a new one (check-pr, `new`, the sign
form): a name the registry shows as its own (`taken_names`), and a website on the same
site as another pledge's (`sites_within`). Each is a `Caution`: its rule and its problem."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from socialmission.check.pledgefile import Known
from socialmission.check.rules import WARNED_EXAMPLES, example_warned
from socialmission.check.text import fold, host_skeleton, skeleton
from socialmission.model.constants import (
    REDACTED_NAME,
    SIGN_AGAIN_CHOICE,
    WITHDRAWN_BY_REGISTRY,
)
from socialmission.model.mission import Mission
from socialmission.model.pledge import Signature
from socialmission.model.problems import Problem
from socialmission.model.urls import Url, site_key, unicode_host

# How many of the other pledges in a clash a message names: a website shared by 50
# pledges gives 50 messages of a line each, not 50 lines of 49 paths.
NAMED_MAX = 3


def _website(p: Known) -> Url | None:
    website = p.values.get("website")
    return website if isinstance(website, Url) else None


def _name(p: Known) -> str | None:
    name = p.values.get("name")
    return name if isinstance(name, str) else None


# How names are compared: the same name (folded), and a look-alike (UTS #39's skeleton).
_NAME_KEYS: dict[str, Callable[[str], str]] = {"name": fold, "look-alike": skeleton}

# Each rule's key of a pledge, or None where the field it needs is not known (missing,
# or refused by its own check, which says so).
_KEYS: dict[str, Callable[[Known], str | None]] = {
    "slug": lambda p: p.slug,
    "website": lambda p: site_key(w) if (w := _website(p)) else None,
    # the host as a reader sees it: 'gооgle.com' with Cyrillic 'о's is 'google.com'
    "website look-alike": lambda p: host_skeleton(unicode_host(site_key(w)))
    if (w := _website(p)) else None,
    "name": lambda p: _NAME_KEYS["name"](n) if (n := _name(p)) is not None else None,
    "look-alike": lambda p: _NAME_KEYS["look-alike"](n) if (n := _name(p)) is not None
    else None,
}


def comparison_keys(pledge: Known) -> dict[str, str]:
    """Each rule's key of a pledge, worked out once (by the validator as each file's
    result comes in, while the other files are still read)."""
    return {rule: value for rule, key in _KEYS.items() if (value := key(pledge)) is not None}


def _keys_of(pledges: list[tuple[Known, bool]],
             keys: list[dict[str, str]] | None) -> list[dict[str, str]]:
    return keys if keys is not None else [comparison_keys(pledge) for pledge, _ in pledges]


def across_files(pledges: list[tuple[Known, bool]],
                 keys: list[dict[str, str]] | None = None) -> Iterator[Problem]:
    """Problems of the pledges marked True (reported), compared with every pledge given,
    by what is known of each (a pledge with a problem elsewhere is still compared).
    `keys`: each pledge's comparison_keys, when worked out already."""
    groups: dict[str, dict[str, list[Known]]] = {rule: defaultdict(list) for rule in _KEYS}
    keyed: list[tuple[Known, bool, dict[str, str]]] = []
    for (pledge, reported), its_keys in zip(pledges, _keys_of(pledges, keys), strict=True):
        keyed.append((pledge, reported, its_keys))
        for rule, value in its_keys.items():
            groups[rule][value].append(pledge)

    def others(rule: str, pledge: Known, its_keys: dict[str, str]) -> list[Known]:
        if rule not in its_keys:
            return []
        group = groups[rule][its_keys[rule]]
        return [o for o in group if o is not pledge] if len(group) > 1 else []

    for pledge, reported, its_keys in keyed:
        if not reported:
            continue
        same_name = others("name", pledge, its_keys)
        same_site = others("website", pledge, its_keys)
        clashes = [
            ("slug", "has the same file name as", others("slug", pledge, its_keys)),
            ("website", "has the same website as", same_site),
            # a website or name already reported as the same is not also a look-alike
            ("website", "has a website that looks like the one in",
             _without(others("website look-alike", pledge, its_keys), same_site)),
            ("name", "has the same name as", same_name),
            ("name", "has a name that looks like the one in",
             _without(others("look-alike", pledge, its_keys), same_name)),
        ]
        for field_name, what, clashing in clashes:
            if not clashing:
                continue
            line, column = pledge.positions.get(field_name, (0, 0))
            yield Problem(str(pledge.path), line, column,
                          f"{what} {_some_paths(clashing)}: each signatory signs once; if "
                          f"this is the same signatory, {_instead(clashing)}")
    yield from shared_status_indexes(pledges)


def _indexes(p: Known) -> list[tuple[int, str]]:
    """The revocation list indexes a pledge's signatures have, each with the field that
    holds it ('status_index' for the first, 'signed_again' for a later one)."""
    first = p.values.get("status_index")
    later = p.values.get("signed_again")
    found = [(first, "status_index")] if isinstance(first, int) else []
    for signature in later if isinstance(later, tuple) else ():
        if isinstance(signature, Signature) and signature.status_index is not None:
            found.append((signature.status_index, "signed_again"))
    return found


def shared_status_indexes(pledges: list[tuple[Known, bool]]) -> Iterator[Problem]:
    """No two signatures, in one pledge or in two, share a revocation list index
    ('status_index'): each index revokes one signature's credentials and nothing else (two
    pull requests that picked the same index at once are caught here)."""
    holders: dict[int, list[Known]] = defaultdict(list)
    for pledge, _ in pledges:
        for index, _field in _indexes(pledge):
            holders[index].append(pledge)
    for pledge, reported in pledges:
        for index, field_name in _indexes(pledge) if reported else ():
            others = [o for o in holders[index] if o is not pledge]
            if len(holders[index]) - len(others) > 1:
                others.insert(0, pledge)  # two of its own signatures share it
            if not others:
                continue
            line, column = pledge.positions.get(field_name, (0, 0))
            yield Problem(str(pledge.path), line, column,
                          f"'status_index' {index} is also a signature's in "
                          f"{_some_paths(others)}: each signature has its own index, for "
                          "good; the pull request that came later takes another, one no "
                          "signature has had")


def _instead(clashing: list[Known]) -> str:
    """What the same signatory does instead of a second pledge: update the one it has,
    or sign it again once it was withdrawn (by its maintainers: a withdrawal by the
    registry's is theirs to undo)."""
    if len(clashing) == 1 and clashing[0].values.get("status") == "withdrawn":
        pledge = clashing[0].pledge
        if pledge is not None and pledge.current.withdrawn_by == WITHDRAWN_BY_REGISTRY:
            return ("ask the registry's maintainers, who withdrew that pledge and alone sign "
                    "it again")
        return (f"sign that pledge again instead: socialmission sign-again "
                f"{clashing[0].slug}, or the change form's '{SIGN_AGAIN_CHOICE}'")
    return "update that pledge instead"


def _without(pledges: list[Known], reported: list[Known]) -> list[Known]:
    if not reported:
        return pledges
    already = {id(p) for p in reported}
    return [p for p in pledges if id(p) not in already]


def _some_paths(pledges: list[Known]) -> str:
    """The first few paths, in order, and how many more there are."""
    paths = sorted(str(p.path) for p in pledges)
    if len(paths) <= NAMED_MAX + 1:  # 'and 1 more' would be no shorter than the path
        return ", ".join(paths)
    return f"{', '.join(paths[:NAMED_MAX])} and {len(paths) - NAMED_MAX} more"


# --- what warns of a published pledge and refuses a new one ------------------------------
NAME_TAKEN = "name taken"
SITE_WITHIN = "site within"
CAUTION_FIELDS = {NAME_TAKEN: "name", SITE_WITHIN: "website"}  # the field each is about


class Caution(NamedTuple):
    """A problem that is a warning on a published pledge and a refusal on a new one."""

    rule: str  # NAME_TAKEN or SITE_WITHIN
    problem: Problem


def own_names(mission: Mission, settings_names: Iterable[tuple[str, str]] = ()
              ) -> list[tuple[str, str]]:
    """The names the registry shows as its own, each with what it is: the issuer's and the
    site's (`settings_names`, from registry.yaml and mkdocs.yml), each mission version's
    title and the redacted signatory's display name."""
    titles = [(f"the title of mission version {v.version}", v.title) for v in mission.versions]
    return [*settings_names, *titles,
            ("the name every redacted signatory is shown by", REDACTED_NAME)]


def taken_names(pledges: list[tuple[Known, bool]], names: Iterable[tuple[str, str]],
                keys: list[dict[str, str]] | None = None) -> Iterator[Caution]:
    """A pledge's name may not be, or look like, a name the registry shows as its own (the
    issuer's, the site's, a mission version's title, the redacted signatory's), compared
    as names are compared across files (`keys`: as across_files)."""
    taken: dict[tuple[str, str], tuple[str, str]] = {}
    for what, own_name in names:
        for rule, key in _NAME_KEYS.items():
            taken.setdefault((rule, key(own_name)), (what, own_name))
    for (pledge, reported), its_keys in zip(pledges, _keys_of(pledges, keys), strict=True):
        if not reported or "name" not in its_keys:
            continue
        found = next((taken[found_key] for rule in _NAME_KEYS
                      if (found_key := (rule, its_keys[rule])) in taken), None)
        if found is None:
            continue
        what, own = found
        line, column = pledge.positions.get("name", (0, 0))
        yield Caution(NAME_TAKEN, Problem(
            str(pledge.path), line, column,
            f"'name' is, or looks like, {what}, '{own}': a signatory may not sign under a "
            "name the registry shows as its own; give the signatory's own name"))


def sites_within(pledges: list[tuple[Known, bool]]) -> Iterator[Caution]:
    """Two pledges' websites are one site when one host is the other or a subdomain of it,
    within one registrable domain (by the Public Suffix List, so 'alice.github.io' and
    'bob.github.io' stay apart); a website the same as another's is refused on its own."""
    by_host: dict[str, list[Known]] = defaultdict(list)  # the pledges at each host
    below: dict[str, list[Known]] = defaultdict(list)  # at each host's subdomains
    for pledge, _ in pledges:
        if (website := _website(pledge)) is not None:
            host = site_key(website)
            by_host[host].append(pledge)
            for parent in _parents(host, website.registrable):
                below[parent].append(pledge)
    for pledge, reported in pledges:
        website = _website(pledge)
        if not reported or website is None:
            continue
        host = site_key(website)
        related = [other for parent in _parents(host, website.registrable)
                   for other in by_host.get(parent, ())] + below.get(host, [])
        if not related:
            continue
        line, column = pledge.positions.get("website", (0, 0))
        yield Caution(SITE_WITHIN, Problem(
            str(pledge.path), line, column,
            f"has a website on the same site as {_some_paths(related)} (one host is a "
            f"subdomain of the other, within {website.registrable}): each signatory signs "
            "once; if this is the same signatory, update that pledge instead (a registry "
            "maintainer may add a separate one)"))



def examples_left(pledges: list[tuple[Known, bool]]) -> Iterator[Problem]:
    """Warnings of the template's examples a pledge may mean, left in it (check/rules.py,
    `example_warned`): said, never refused."""
    for pledge, reported in pledges:
        for key in WARNED_EXAMPLES if reported else ():
            if (message := example_warned(key, pledge.values.get(key))) is not None:
                line, column = pledge.positions.get(key, (0, 0))
                yield Problem(str(pledge.path), line, column, message, "warning")


def _parents(host: str, registrable: str) -> Iterator[str]:
    """The domains above `host`, down to its registrable domain: 'a.b.example.org' gives
    'b.example.org' and 'example.org'."""
    while host != registrable and host.endswith(f".{registrable}"):
        host = host.split(".", 1)[1]
        yield host
