"""Open Badges 3.0 credentials, signed: the vendored JSON-LD contexts and the only loader
that serves them (`contexts.py`), the eddsa-rdfc-2022 Data Integrity proof (`proof.py`),
the issuer's DID, DID document and signing key (`issuer.py`), the credentials themselves
(`credential.py`), and signing a build's documents through a cache (`signing.py`).

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
- `issuer.did(site_url, test=False) -> str`: `did:web:<host>[:<path>]:openbadges` (the
  test DID: `did:web:test.invalid:<host>...`); its document is at
  `paths.DID_DOCUMENT_PATH` (`openbadges/did.json`) below the site's root.
- `issuer.signer(site_url, settings.issuer_keys, seed_text, publishing=...) -> Signer`:
  who signs this build (the seed's text from the environment variable
  `issuer.SEED_VARIABLE`, or None), or `issuer.SigningRefused` (a BuildError) saying why.
  A Signer has `did`, `key_id`, `seed`, `since`, `test`, `verification_method` and
  `created(day)`.
- `issuer.did_document(signer, keys) -> dict` and `issuer.public_keys(did_document)`: the
  DID document, and what `proof.verify` takes from one.
- `credential.signed_credential(base, pledge, version, signature, settings=, mission=,
  signing=, status=None) -> dict`: one signed credential (`status`: its
  credentialStatus entry).
- `credential.documents(base, settings, mission, pledges, signing) -> Documents`: every
  3.0 document of a build by site path: `plain` (the DID document, the Achievements, the
  redacted pledges' unsigned tombstones), `unsigned` (each `Unsigned(document, created)`
  to sign: a credential for each published version of each signature that has a
  status_index, with its credentialStatus, and the revocation list at
  `paths.STATUS_LIST_PATH`, issued by the DID) and `without_index` (the signatures that
  get no credential: (slug, number, in force)). `credential.all_documents(...)`: the same,
  signed here one by one (tests, benchmarks). `credential.address(pledge, version,
  signature)` and `credential.badge_address(pledge)`: a credential's site path, and the
  one a pledge's card badges bake (its current signature's, for the version its badge
  shows). Write them with `model/openbadges.dumps` or `site/opendata.dumps`.
- `signing.sign_all(unsigned, signer, cache, workers=None, said=SILENT) ->
  SigningResult`: every document of `unsigned` signed, taken from the cache folder
  (`paths.CREDENTIALS_CACHE`) when an entry for the same content, verification method,
  `created` and public key holds it (read as untrusted), else signed on forked workers
  and kept; `.documents` by site path, `.signed` and `.reused` (the site paths of each).
  ValueError for a document that cannot be signed.
- `contexts.load(url, options)`: the JSON-LD document loader; it serves only the
  contexts in `contexts/` (listed with their source, sha256 and licence in
  `contexts/manifest.json`) and raises `contexts.NotVendored` for any other URL, so
  nothing is ever fetched.

Specs: https://www.w3.org/TR/vc-data-model-2.0/, https://www.w3.org/TR/vc-di-eddsa/,
https://www.imsglobal.org/spec/ob/v3p0/
"""
