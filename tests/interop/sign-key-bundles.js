// Signs an image digest with the npm @sigstore/sign package, offline and key-based (no Fulcio,
// no Rekor, no TSA): the bundles edgeverify's integration tests must admit.
// Usage: node sign-key-bundles.js OUTDIR IMAGE_DIGEST REPO
// Writes into OUTDIR:
//   signer.pem / signer-key.pem        ECDSA P-256 public key (SPKI PEM) / private key (PKCS#8 PEM)
//   statement.json                     in-toto Statement v1, subject REPO with IMAGE_DIGEST
//   dsse.sigstore.json                 DSSEBundleBuilder bundle over statement.json
//   payload.json                       cosign simple-signing payload for IMAGE_DIGEST and REPO
//   messagesig.sigstore.json           MessageSignatureBundleBuilder bundle over payload.json
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const sign = require('@sigstore/sign');
const { bundleToJSON } = require('@sigstore/bundle');

function usage(msg) {
  process.stderr.write(`sign-key-bundles: ${msg}\nusage: node sign-key-bundles.js OUTDIR IMAGE_DIGEST REPO\n`);
  process.exit(2);
}

async function main() {
  const [outDir, digest, repo] = process.argv.slice(2);
  if (!outDir || !digest || !repo) usage('missing arguments');
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) usage(`not a sha256 digest: ${digest}`);
  fs.mkdirSync(outDir, { recursive: true });

  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  // The hint is what a verifier uses to look the key up; sigstore-js and cosign use sha256(SPKI DER).
  const hint = crypto.createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex');
  const signer = {
    sign: async (data) => ({
      signature: crypto.sign('sha256', data, privateKey),
      key: { $case: 'publicKey', publicKey: publicPem, hint },
    }),
  };

  // Go's encoding/json key order, as cosign writes it; "optional": null (no annotations).
  const payload = Buffer.from(JSON.stringify({
    critical: {
      identity: { 'docker-reference': repo },
      image: { 'docker-manifest-digest': digest },
      type: 'cosign container image signature',
    },
    optional: null,
  }));
  const statement = Buffer.from(JSON.stringify({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: repo, digest: { sha256: digest.slice('sha256:'.length) } }],
    predicateType: 'https://edgeverify.invalid/interop/v1',
    predicate: { signedBy: '@sigstore/sign' },
  }));

  // No witnesses: nothing is sent anywhere, so the bundles carry no tlog entry and no timestamp.
  const dsse = await new sign.DSSEBundleBuilder({ signer, witnesses: [] })
    .create({ data: statement, type: 'application/vnd.in-toto+json' });
  const messageSig = await new sign.MessageSignatureBundleBuilder({ signer, witnesses: [] })
    .create({ data: payload });

  const write = (name, data) => fs.writeFileSync(path.join(outDir, name), data);
  write('signer.pem', publicPem);
  write('signer-key.pem', privateKey.export({ format: 'pem', type: 'pkcs8' }));
  write('statement.json', statement);
  write('payload.json', payload);
  write('dsse.sigstore.json', JSON.stringify(bundleToJSON(dsse), null, 2));
  write('messagesig.sigstore.json', JSON.stringify(bundleToJSON(messageSig), null, 2));
  process.stdout.write(`signed ${digest} for ${repo}: hint ${hint}\n`);
}

main().catch((e) => {
  process.stderr.write(`sign-key-bundles: FAILED: ${e.code || ''} ${e.message}\n`);
  process.exit(1);
});
