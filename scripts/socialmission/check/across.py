"""Phase 2: across files: the same slug, website, name, or a look-alike name, in two pledges."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from socialmission.check.problems import Problem
from socialmission.check.text import fold, skeleton
from socialmission.model.pledge import Pledge
from socialmission.model.urls import site_key


def across_files(pledges: list[tuple[Pledge, bool]]) -> Iterator[Problem]:
    """Problems of the pledges marked True (reported), compared with every pledge given."""
    keys: dict[str, Callable[[Pledge], str]] = {
        "slug": lambda p: p.slug,
        "website": lambda p: site_key(p.website),
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
        return [o for o in groups[rule][its_keys[rule]] if o is not pledge]

    for pledge, reported, its_keys in keyed:
        if not reported:
            continue
        same_name = others("name", pledge, its_keys)
        clashes = [
            ("slug", "has the same file name as", others("slug", pledge, its_keys)),
            ("website", "has the same website as", others("website", pledge, its_keys)),
            ("name", "has the same name as", same_name),
            # a name already reported as the same is not also called a look-alike
            ("name", "has a name that looks like the one in",
             [o for o in others("look-alike", pledge, its_keys) if o not in same_name]),
        ]
        for field_name, what, clashing in clashes:
            if not clashing:
                continue
            line, column = pledge.positions.get(field_name, (0, 0))
            names = ", ".join(sorted(str(o.path) for o in clashing))
            yield Problem(str(pledge.path), line, column,
                          f"{what} {names}: each signatory signs once; if this is the same "
                          "signatory, update that pledge instead")
