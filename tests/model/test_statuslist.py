"""The revocation list (model/statuslist.py): the bits the pledges set, the spec's encoding,
and the indexes new signatures take."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from socialmission.model import statuslist
from socialmission.model.constants import STATUS_LIST_SIZE
from socialmission.model.pledge import Pledge, Signature

LIST_URL = "https://registry.example.org/openbadges/v3/status/revocation-1.json"
DAY = dt.date(2026, 3, 1)

# The spec's own example list (https://www.w3.org/TR/vc-bitstring-status-list/, the
# BitstringStatusListCredential examples): 131,072 entries, none set.
SPEC_EMPTY = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
# A list written by Digital Bazaar's @digitalbazaar/vc-bitstring-status-list encoder, the
# independent verifier's library, with index 7 set (deflate level 9, another encoder).
OTHER_ENCODER_7 = "uH4sIAAAAAAAC_-3BIQEAAAACIP1_2hkWoAEAAAAAAAAAAAAAAAAAAADeBjn7xTYAQAAA"


def pledge(slug: str, index: int | None, *, withdrawn: dt.date | None = None,
           again: tuple[Signature, ...] = (), redacted: dt.date | None = None) -> Pledge:
    return Pledge(slug=slug, path=Path(f"pledges/{slug}.yaml"), name=slug, signed=DAY,
                  mission_version=1, status_index=index, withdrawn=withdrawn,
                  status="withdrawn" if withdrawn and not again else "active",
                  signed_again=again, redacted=redacted)


def set_bits(bits: bytes) -> list[int]:
    return [i for i in range(len(bits) * 8) if statuslist.is_set(bits, i)]


def test_the_spec_example_decodes_to_an_empty_list_of_the_minimum_size() -> None:
    bits = statuslist.decoded_list(SPEC_EMPTY)
    assert len(bits) * 8 == STATUS_LIST_SIZE
    assert set_bits(bits) == []


def test_another_encoders_list_reads_with_the_same_bit_order() -> None:
    assert set_bits(statuslist.decoded_list(OTHER_ENCODER_7)) == [7]
    # and ours, for the same index, holds the same bits
    ours = statuslist.decoded_list(statuslist.encoded_list([7]))
    assert ours == statuslist.decoded_list(OTHER_ENCODER_7)


def test_our_list_is_a_plain_gzip_member_any_reader_opens() -> None:
    encoded = statuslist.encoded_list([0, 9, STATUS_LIST_SIZE - 1])
    assert encoded.startswith("u") and "=" not in encoded
    import base64
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    bits = gzip.decompress(raw)
    assert len(bits) == STATUS_LIST_SIZE // 8
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    assert set_bits(bits) == [0, 9, STATUS_LIST_SIZE - 1]


def test_the_list_is_the_same_bytes_every_time_and_carries_no_time() -> None:
    first = statuslist.gzip_stored(statuslist.bitstring([3, 4]))
    assert first == statuslist.gzip_stored(statuslist.bitstring([4, 3]))
    assert first[4:8] == b"\0\0\0\0"  # GZIP's MTIME: none


def test_withdrawal_sets_that_signatures_bit_only() -> None:
    again = Signature(signed=DAY, mission_version=1, status_index=501)
    pledges = [pledge("kept", 100), pledge("left", 200, withdrawn=DAY),
               pledge("back", 300, withdrawn=DAY, again=(again,)), pledge("old", None)]
    assert statuslist.revoked_indexes(pledges) == {200, 300}
    document = statuslist.status_list_document(LIST_URL, "did:web:example", pledges)
    bits = statuslist.decoded_list(document["credentialSubject"]["encodedList"])
    assert set_bits(bits) == [200, 300]


def test_redaction_sets_every_index_the_pledge_has() -> None:
    later = Signature(signed=DAY, mission_version=1, status_index=7,
                      withdrawn=dt.date(2026, 4, 1))
    gone = pledge("gone", 42, withdrawn=DAY, again=(later,), redacted=dt.date(2026, 5, 1))
    assert statuslist.revoked_indexes([gone]) == {7, 42}
    # a redacted pledge whose last signature was in force still has every bit set
    live = Signature(signed=DAY, mission_version=1, status_index=8)
    assert statuslist.revoked_indexes([pledge("x", 9, withdrawn=DAY, again=(live,),
                                              redacted=DAY)]) == {8, 9}


def test_the_document_is_the_specs_shape() -> None:
    document = statuslist.status_list_document(
        LIST_URL, "did:web:example", [pledge("left", 5, withdrawn=dt.date(2026, 4, 2))])
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert document["id"] == LIST_URL
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["validFrom"] == "2026-04-02T00:00:00Z"
    subject = document["credentialSubject"]
    assert subject["id"] == f"{LIST_URL}#list"
    assert subject["type"] == "BitstringStatusList"  # a string: verifiers compare it so
    assert subject["statusPurpose"] == "revocation"
    assert "proof" not in document
    entry = statuslist.status_entry(LIST_URL, 5)
    assert entry["statusListIndex"] == "5" and entry["id"] != LIST_URL


def test_a_list_below_the_minimum_or_not_multibase_is_refused() -> None:
    import base64
    short = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(100))).decode().rstrip("=")
    with pytest.raises(statuslist.StatusListError, match="minimum"):
        statuslist.decoded_list(short)
    with pytest.raises(statuslist.StatusListError, match="multibase"):
        statuslist.decoded_list("z" + SPEC_EMPTY[1:])
    with pytest.raises(statuslist.StatusListError, match="does not decode"):
        statuslist.decoded_list("u!!!!")
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(10 ** 7))).decode()
    with pytest.raises(statuslist.StatusListError, match="at most"):
        statuslist.decoded_list(bomb.rstrip("="))


def test_an_index_outside_the_list_is_refused() -> None:
    with pytest.raises(statuslist.StatusListError, match="outside"):
        statuslist.bitstring([STATUS_LIST_SIZE])


def test_a_new_index_is_the_same_for_the_same_inputs_and_probes_past_used_ones() -> None:
    first = statuslist.pick_index("example-media", 1, frozenset())
    assert first == statuslist.pick_index("example-media", 1, frozenset())
    assert first != statuslist.pick_index("example-media", 2, frozenset())
    assert statuslist.pick_index("example-media", 1, {first}) == (first + 1) % STATUS_LIST_SIZE
    taken = {first, (first + 1) % STATUS_LIST_SIZE}
    assert statuslist.pick_index("example-media", 1, taken) == (first + 2) % STATUS_LIST_SIZE


def test_probing_wraps_round_and_a_full_list_is_said() -> None:
    every = frozenset(range(STATUS_LIST_SIZE))
    start = statuslist.first_choice("a", 1)
    assert statuslist.pick_index("a", 1, every - {(start - 1) % STATUS_LIST_SIZE}) == \
        (start - 1) % STATUS_LIST_SIZE
    with pytest.raises(statuslist.StatusListError, match="full"):
        statuslist.pick_index("a", 1, every)


def test_used_indexes_count_tombstones_and_every_signature() -> None:
    later = Signature(signed=DAY, mission_version=1, status_index=11)
    pledges = [pledge("a", 10, withdrawn=DAY, again=(later,)),
               pledge("gone", 12, withdrawn=DAY, redacted=DAY), pledge("old", None)]
    assert statuslist.used_indexes(pledges) == {10, 11, 12}


def test_the_indexes_a_file_writes_are_read_whatever_else_is_wrong_with_it() -> None:
    text = ("kind: nobody\nstatus_index: 5\nsigned_again:\n  - signed: soon\n"
            "    status_index: 6\n  - not a signature\n  - status_index: '7'\n")
    assert statuslist.indexes_written(text) == [5, 6]
    assert statuslist.indexes_written("name: [unclosed\n") == []
    assert statuslist.indexes_written("- a list\n") == []


def test_the_indexes_in_a_folder_are_every_pledge_files(tmp_path: Path) -> None:
    from socialmission.model.filetree import DISK
    (tmp_path / "a.yaml").write_text("status_index: 1\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("status_index: 2\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("status_index: 3\n", encoding="utf-8")
    (tmp_path / "logos").mkdir()
    assert statuslist.indexes_in(DISK, tmp_path) == {1, 2}
    assert statuslist.indexes_in(DISK, tmp_path / "missing") == frozenset()
