"""GitHub accounts as the registry lists them: a login and the account's numeric id.

A login can be renamed, and a freed login can be registered by someone else; the id
stays with the account. So an entry is matched by its id; an entry written with a login
alone (as pledges were before ids) is matched by login, case-insensitively, and the
ownership check warns that its id should be added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from socialmission.model.yamlread import Mapping, Node, Scalar, Sequence, YamlError, parse


@dataclass(frozen=True)
class Account:
    login: str
    id: int | None  # None: a login-only entry
    line: int = 0  # where the entry stands in its file

    def matches(self, login: str, account_id: int) -> bool:
        if self.id is not None:
            return self.id == account_id
        return self.login.casefold() == login.casefold()


def typed_account(text: str) -> tuple[str, str] | None:
    """An account as a person answers with it, `login:id` (spaces around either part
    dropped): its login and its id's digits, or None when it is not written so."""
    login, sep, number = text.partition(":")
    login, number = login.strip(), number.strip()
    return (login, number) if sep and number.isascii() and number.isdigit() else None


def account_of(node: Node) -> Account | None:
    """An entry of a `maintainers` list, when well formed: '- login' or '- login: x' with
    'id: N'."""
    if isinstance(node, Scalar) and isinstance(node.value, str):
        return Account(node.value, None, node.line)
    if isinstance(node, Mapping):
        login = node.items.get("login", (None, None))[1]
        number = node.items.get("id", (None, None))[1]
        if isinstance(login, Scalar) and isinstance(login.value, str) and \
                isinstance(number, Scalar) and isinstance(number.value, int) and \
                not isinstance(number.value, bool) and number.value > 0:
            return Account(login.value, number.value, node.line)
    return None


def accounts_in(data: bytes, key: str = "maintainers") -> list[Account] | None:
    """The accounts a YAML file lists under `key` (a pledge's maintainers), read leniently:
    the entries that are well formed, or None when the file or the list cannot be read."""
    try:
        root = parse(data.decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, YamlError):
        return None
    if not isinstance(root, Mapping) or key not in root.items:
        return None
    listed = root.items[key][1]
    if not isinstance(listed, Sequence):
        return None
    return [a for a in map(account_of, listed.items) if a is not None]


def match(login: str, account_id: int, accounts: Iterable[Account]) -> Account | None:
    """The entry that names this account: by id first; then a login-only entry by login.
    An entry whose id is another's never matches, whatever its login says; nor does a
    login-only entry whose login an entry with an id claims (the list says whose it is)."""
    listed = list(accounts)
    claimed = {a.login.casefold() for a in listed if a.id is not None}
    return next((a for a in listed if a.id is not None and a.matches(login, account_id)),
                next((a for a in listed if a.id is None and a.matches(login, account_id)
                      and a.login.casefold() not in claimed), None))
