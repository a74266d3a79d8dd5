"""Phase 2: across files: the same slug, website, name, or a look-alike name, in two pledges."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from socialmission.check.pledgefile import Known
from socialmission.check.problems import Problem
from socialmission.check.text import fold, host_skeleton, skeleton
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


# Each rule's key of a pledge, or None where the field it needs is not known (missing,
# or refused by its own check, which says so).
_KEYS: dict[str, Callable[[Known], str | None]] = {
    "slug": lambda p: p.slug,
    "website": lambda p: site_key(w) if (w := _website(p)) else None,
    # the host as a reader sees it: 'gооgle.com' with Cyrillic 'о's is 'google.com'
    "website look-alike": lambda p: host_skeleton(unicode_host(site_key(w)))
    if (w := _website(p)) else None,
    "name": lambda p: fold(n) if (n := _name(p)) is not None else None,
    "look-alike": lambda p: skeleton(n) if (n := _name(p)) is not None else None,
}


def across_files(pledges: list[tuple[Known, bool]]) -> Iterator[Problem]:
    """Problems of the pledges marked True (reported), compared with every pledge given,
    by what is known of each (a pledge with a problem elsewhere is still compared)."""
    keys = _KEYS
    groups: dict[str, dict[str, list[Known]]] = {rule: defaultdict(list) for rule in keys}
    keyed: list[tuple[Known, bool, dict[str, str]]] = []
    for pledge, reported in pledges:
        its_keys = {rule: value for rule, key in keys.items()  # each worked out once
                    if (value := key(pledge)) is not None}
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
                          "this is the same signatory, update that pledge instead")


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
