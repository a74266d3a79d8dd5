"""The registry's public address, read from mkdocs.yml's `site_url` (its one source)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from socialmission.errors import UsageError
from socialmission.model.paths import MKDOCS_FILE as CONFIG_FILE


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry tags such as !ENV or !!python/name: read them as plain values."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    return None


_TolerantLoader.add_multi_constructor("!", _untagged)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def site_url(root: Path) -> str:
    """`site_url` with a trailing slash: every published URL is built on it."""
    path = root / CONFIG_FILE
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise UsageError(f"{path}: cannot read it: {error}") from None
    return base_url(config.get("site_url") if isinstance(config, dict) else None,
                    f"{path}: 'site_url'")


def base_url(url: object, what: str) -> str:
    """The registry's address as every URL is built on it: https, ending in '/'. `what`
    names where it came from, for the message when it is not such an address."""
    if not isinstance(url, str) or not url.startswith("https://") or \
            any(ch.isspace() or ch in "\"'<>\\`" for ch in url):
        raise UsageError(f"{what} must be the registry's https address, such as "
                         f"https://socialmission.example.org/ (got {url!r})")
    return url if url.endswith("/") else f"{url}/"
