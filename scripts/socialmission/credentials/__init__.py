"""Open Badges 3.0 credentials, signed: the vendored JSON-LD contexts and the only loader
that serves them (`contexts.py`), the eddsa-rdfc-2022 Data Integrity proof (`proof.py`).

The API the rest of the package (and its tests) calls:

- `proof.sign(credential, seed, verification_method, created) -> dict`: a copy of the
  credential (a JSON-LD dict without `proof`) with an embedded `DataIntegrityProof`
  (cryptosuite `eddsa-rdfc-2022`, purpose `assertionMethod`). `seed` is the 32-byte
  Ed25519 private seed; `verification_method` the key's DID URL (`did:web:...#key-1`);
  `created` an XSD dateTimeStamp in UTC, `YYYY-MM-DDTHH:MM:SSZ`. Refuses (ValueError) a
  credential with a term its contexts leave undefined, or a context not vendored.
- `proof.verify(credential, public_keys) -> None`: raises `proof.ProofInvalid` (its
  message says what is wrong: no proof, another suite, an unknown key, an undefined term,
  a context not vendored, a signature that does not match) unless the proof holds;
  `public_keys` maps each verification method id to its 32-byte Ed25519 public key.
  Takes untrusted JSON: never raises anything else.
- `proof.public_key(seed) -> bytes`, `proof.multikey(public) -> str` (`z6Mk...`, the DID
  document's `publicKeyMultibase`) and `proof.from_multikey(text) -> bytes`.
- `proof.dropped_terms(document) -> list[str]`: the terms JSON-LD expansion drops (empty
  for a credential every verifier reads the same in safe mode).
- `contexts.load(url, options)`: the JSON-LD document loader; it serves only the
  contexts in `contexts/` (listed with their source, sha256 and licence in
  `contexts/manifest.json`) and raises `contexts.NotVendored` for any other URL, so
  nothing is ever fetched.

Specs: https://www.w3.org/TR/vc-data-model-2.0/, https://www.w3.org/TR/vc-di-eddsa/,
https://www.imsglobal.org/spec/ob/v3p0/
"""
