// Verifies a key-based Sigstore bundle with the npm @sigstore/verify package, offline: the trusted
// root is empty (no CA, no Rekor, no CT log, no TSA) and the only trust is the public key given.
// Usage: node verify-bundle.js BUNDLE KEY.pem [ARTIFACT]
// ARTIFACT is needed for a messageSignature bundle (the signed bytes); a DSSE bundle carries them.
// Prints VERIFIED and exits 0, or prints the @sigstore/verify error code and message and exits 1.
// Thresholds: @sigstore/verify 3.x accepts 0 for tlog, ctlog and timestamps (Verifier options);
// with 0 a bundle without tlog entries or timestamps verifies on its signature and key alone.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const { TrustedRoot } = require('@sigstore/protobuf-specs');
const { bundleFromJSON } = require('@sigstore/bundle');
const verify = require('@sigstore/verify');

function main() {
  const [bundlePath, keyPath, artifactPath] = process.argv.slice(2);
  if (!bundlePath || !keyPath) {
    process.stderr.write('usage: node verify-bundle.js BUNDLE KEY.pem [ARTIFACT]\n');
    return 2;
  }
  try {
    const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
    const key = crypto.createPublicKey(fs.readFileSync(keyPath));
    const der = key.export({ format: 'der', type: 'spki' });
    const root = TrustedRoot.fromJSON({
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [],
    });
    // Look the key up by whatever hint the bundle carries (edgeverify and sigstore-js both use
    // hex sha256(SPKI DER), but the key is the trust here, not the hint): any hint maps to it.
    const trust = verify.toTrustMaterial(root, () => ({
      publicKey: crypto.createPublicKey({ key: der, format: 'der', type: 'spki' }),
      validFor: () => true,
    }));
    const artifact = artifactPath ? fs.readFileSync(artifactPath) : undefined;
    const verifier = new verify.Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
    verifier.verify(verify.toSignedEntity(bundle, artifact));
    process.stdout.write('VERIFIED\n');
    return 0;
  } catch (e) {
    process.stdout.write(`${e.code || e.name || 'ERROR'}: ${e.message}\n`);
    return 1;
  }
}

process.exitCode = main();
