"""Phase 2: across files: the same slug, website, name, or a look-alike name, in two pledges."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from socialmission.check.problems import Problem
from socialmission.check.text import fold, host_skeleton, skeleton
from socialmission.model.pledge import Pledge
from socialmission.model.urls import site_key, unicode_host

# How many of the other pledges in a clash a message names: a website shared by 50
# pledges gives 50 messages of a line each, not 50 lines of 49 paths.
NAMED_MAX = 3


def across_files(pledges: list[tuple[Pledge, bool]]) -> Iterator[Problem]:
    """Problems of the pledges marked True (reported), compared with every pledge given."""
    keys: dict[str, Callable[[Pledge], str]] = {
        "slug": lambda p: p.slug,
        "website": lambda p: site_key(p.website),
        # the host as a reader sees it: 'gооgle.com' with Cyrillic 'о's is 'google.com'
        "website look-alike": lambda p: host_skeleton(unicode_host(site_key(p.website))),
        "name": lambda p: fold(p.name),
        "look-alike": lambda p: skeleton(p.name),
    }
    groups: dict[str, dict[str, list[Pledge]]] = {rule: defaultdict(list) for rule in keys}
    keyed: list[tuple[Pledge, bool, dict[str, str]]] = []
    for pledge, reported in pledges:
        its_keys = {rule: key(pledge) for rule, key in keys.items()}  # each worked out once
        keyed.append((pledge, reported, its_keys))
        for rule, value in its_keys.items():
            groups[rule][value].append(pledge)

    def others(rule: str, pledge: Pledge, its_keys: dict[str, str]) -> list[Pledge]:
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


def _without(pledges: list[Pledge], reported: list[Pledge]) -> list[Pledge]:
    if not reported:
        return pledges
    already = {id(p) for p in reported}
    return [p for p in pledges if id(p) not in already]


def _some_paths(pledges: list[Pledge]) -> str:
    """The first few paths, in order, and how many more there are."""
    paths = sorted(str(p.path) for p in pledges)
    if len(paths) <= NAMED_MAX + 1:  # 'and 1 more' would be no shorter than the path
        return ", ".join(paths)
    return f"{', '.join(paths[:NAMED_MAX])} and {len(paths) - NAMED_MAX} more"
