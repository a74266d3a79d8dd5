"""What the credentials' tests share: the check that no JSON-LD term is dropped."""

from __future__ import annotations

from typing import Any

from pyld import jsonld

from socialmission.credentials import contexts, proof


def keys(document: Any) -> set[str]:
    """Every key in a JSON document, at any depth, but @context's."""
    if isinstance(document, list):
        return set().union(*map(keys, document)) if document else set()
    if not isinstance(document, dict):
        return set()
    return set(document) - {"@context"} | set().union(
        *(keys(value) for key, value in document.items() if key != "@context"))


def assert_no_term_dropped(document: dict[str, Any]) -> None:
    """Expanding with the strict loader and compacting again with the same contexts gives
    back every key: a term the contexts do not define would be lost on the way (what a
    safe-mode verifier refuses)."""
    loader: Any = {"documentLoader": contexts.load}
    expanded = jsonld.expand(document, loader)
    compacted = jsonld.compact(expanded, {"@context": document["@context"]}, loader)
    assert keys(compacted) == keys(document)
    assert proof.dropped_terms(document) == []
