// Keyless (Fulcio) Sigstore bundles made offline by the npm @sigstore/sign package against the
// mock Fulcio, CT log, Rekor and TSA of @sigstore/mock, served on 127.0.0.1 only (an ephemeral port,
// closed before the script ends). The mock Fulcio issues each signing certificate for the fixed
// identity below, with an SCT from the mock CT log embedded.
// Usage: node sign-keyless-bundles.js OUTDIR MANIFEST_FILE REPO
// Writes into OUTDIR:
//   messagesig.sigstore.json       MessageSignatureBundleBuilder over the manifest bytes (its
//                                  messageDigest is the manifest digest), hashedrekord entry
//   statement.json                 in-toto Statement v1, subject REPO with the manifest digest
//   dsse.sigstore.json             DSSEBundleBuilder over statement.json, intoto 0.0.2 entry (the
//                                  mock's v1 log does not canonicalize 'dsse' entries)
//   trusted_root.json              the mock Rekor key (tlogs), CA root (certificateAuthorities),
//                                  CT log key (ctlogs) and TSA chain (timestampAuthorities)
//   trusted_root-foreign-ca.json   the same with another mock CA's root as the Fulcio CA
//   trusted_root-no-ctlog.json     the same without ctlogs
//   trusted_root-no-tsa.json       the same without timestampAuthorities
//   trusted_root-foreign-ctlog.json the same with another CT log key in ctlogs
//   identity.txt / issuer.txt      the certificate identity (URI SAN) and OIDC issuer
// Both bundles carry a Rekor entry and an RFC 3161 timestamp from the mock TSA: two verified times.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const mock = require('@sigstore/mock');
const sign = require('@sigstore/sign');
const { bundleToJSON } = require('@sigstore/bundle');

const IDENTITY = 'https://github.com/acme/edge/.github/workflows/release.yml@refs/heads/main';
// GitHub Actions' issuer, as in the keyless example of docs/trust-policy.md (only a claim in the
// token the mock Fulcio reads: nothing is contacted).
const ISSUER = 'https://token.actions.githubusercontent.com';

function usage(msg) {
  process.stderr.write(`sign-keyless-bundles: ${msg}\nusage: node sign-keyless-bundles.js OUTDIR MANIFEST_FILE REPO\n`);
  process.exit(2);
}

const newKey = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const b64url = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest();

// The mock services behind one HTTP server on 127.0.0.1 (ephemeral port).
async function serve(handlers) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const handler = handlers.find((h) => h.path === req.url.split('?')[0]);
      if (!handler) {
        res.writeHead(404);
        res.end('no handler');
        return;
      }
      const { statusCode, response, contentType } = await handler.fn(Buffer.concat(chunks).toString());
      res.writeHead(statusCode, { 'Content-Type': contentType || 'text/plain' });
      res.end(typeof response === 'string' ? response : Buffer.from(response));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function logInstance(baseUrl, publicKey, start) {
  return {
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: b64(publicKey), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
    logId: { keyId: b64(sha256(publicKey)) },
  };
}

async function main() {
  const [outDir, manifestFile, repo] = process.argv.slice(2);
  if (!outDir || !manifestFile || !repo) usage('missing arguments');
  const manifest = fs.readFileSync(manifestFile);
  const digest = sha256(manifest).toString('hex');
  fs.mkdirSync(outDir, { recursive: true });

  const ctlog = await mock.initializeCTLog(newKey());
  const ca = await mock.initializeCA(newKey(), ctlog);
  // The Rekor mock needs its base URL before the server exists: listen first, then hand it over.
  const handlers = [mock.fulcioHandler(ca)];
  const server = await serve(handlers);
  const base = `http://127.0.0.1:${server.address().port}`;
  const tlog = await mock.initializeTLog(base, newKey());
  handlers.push(mock.rekorHandler(tlog));
  // The TSA reads the real clock: a clock fixed before the certificates exist would stamp a time
  // before the Fulcio leaf's notBefore whenever signing crosses a second boundary.
  const tsa = await mock.initializeTSA(newKey());
  handlers.push(mock.tsaHandler(tsa));
  const now = Math.floor(Date.now() / 1000);

  const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({
    iss: ISSUER, sub: IDENTITY, email: 'release@acme.invalid', email_verified: true, aud: 'sigstore',
    iat: now, exp: now + 600,
  })}.c2ln`;
  const signer = new sign.FulcioSigner({ fulcioBaseURL: base, identityProvider: { getToken: async () => token } });
  const statement = Buffer.from(JSON.stringify({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: repo, digest: { sha256: digest } }],
    predicateType: 'https://edgeverify.invalid/interop/v1',
    predicate: { signedBy: '@sigstore/sign keyless' },
  }));
  try {
    const messageSig = await new sign.MessageSignatureBundleBuilder({
      signer, witnesses: [new sign.RekorWitness({ rekorBaseURL: base }), new sign.TSAWitness({ tsaBaseURL: base })],
    }).create({ data: manifest });
    const dsse = await new sign.DSSEBundleBuilder({
      signer,
      witnesses: [new sign.RekorWitness({ rekorBaseURL: base, entryType: 'intoto' }), new sign.TSAWitness({ tsaBaseURL: base })],
    }).create({ data: statement, type: 'application/vnd.in-toto+json' });
    fs.writeFileSync(path.join(outDir, 'messagesig.sigstore.json'), JSON.stringify(bundleToJSON(messageSig)));
    fs.writeFileSync(path.join(outDir, 'dsse.sigstore.json'), JSON.stringify(bundleToJSON(dsse)));
  } finally {
    server.close();
  }
  fs.writeFileSync(path.join(outDir, 'statement.json'), statement);
  fs.writeFileSync(path.join(outDir, 'identity.txt'), IDENTITY);
  fs.writeFileSync(path.join(outDir, 'issuer.txt'), ISSUER);

  const start = new Date((now - 3600) * 1000).toISOString();
  const authority = (root) => ({
    subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
    uri: base,
    certChain: { certificates: [{ rawBytes: b64(root) }] },
    validFor: { start },
  });
  const root = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [logInstance(base, tlog.publicKey, start)],
    certificateAuthorities: [authority(ca.rootCertificate)],
    ctlogs: [logInstance(base, ctlog.publicKey, start)],
    timestampAuthorities: [{
      subject: { organization: 'sigstore.mock', commonName: 'tsa' },
      uri: base,
      certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
      validFor: { start },
    }],
  };
  const write = (name, doc) => fs.writeFileSync(path.join(outDir, name), JSON.stringify(doc, null, 2));
  write('trusted_root.json', root);
  const foreignCa = await mock.initializeCA(newKey(), ctlog);
  write('trusted_root-foreign-ca.json', { ...root, certificateAuthorities: [authority(foreignCa.rootCertificate)] });
  const { ctlogs, ...withoutCtlogs } = root;
  write('trusted_root-no-ctlog.json', withoutCtlogs);
  const { timestampAuthorities, ...withoutTsa } = root;
  write('trusted_root-no-tsa.json', withoutTsa);
  const foreignCtlog = await mock.initializeCTLog(newKey());
  write('trusted_root-foreign-ctlog.json', { ...root, ctlogs: [logInstance(base, foreignCtlog.publicKey, start)] });
}

main().catch((e) => {
  process.stderr.write(`sign-keyless-bundles: ${e.stack || e}\n`);
  process.exit(1);
});
