// A test stand-in for edgeverify-server's report endpoint (docs/reports.md "Upload protocol"),
// built on Node's own HTTPS and crypto (an independent TLS, HTTP and ECDSA stack): it verifies
// every DSSE envelope against the enrolled device key, stores each (deviceId, sequence) exactly
// once, and can be told to misbehave (413, 422, 500, hang, slow answers, client certificates).
// Used by tests/integration/test_uploader.sh; no npm packages needed.
//
//   node report_receiver.mjs --cert PEM --key PEM --device-key PEM --store FILE.jsonl
//        [--port N] [--port-file FILE] [--client-ca PEM] [--max-batch K] [--refuse-sequence S]...
//        [--fail-first M --fail-mode 500|hang|slow] [--slow-ms MS]
//
// --store is append-only JSONL, one line per stored report, read back at start (a restarted
// receiver still knows what it stored). --client-ca requires a client certificate signed by it.
// --fail-first M: the first M requests get 500, no answer at all (hang), or are handled and
// answered only after --slow-ms (slow: stored, then the client may die before the answer).
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';

const kMaxBodyBytes = 32 * 1024 * 1024;
const kMaxItems = 1000;
const kPayloadType = 'application/vnd.in-toto+json';
const kReportContext = 'https://edgeverify.dev/report-context/v1';

function parseArguments(argv) {
    const options = { refuse: new Set(), failFirst: 0, failMode: '500', slowMs: 3000, port: 0 };
    const names = {
        '--cert': 'cert', '--key': 'key', '--device-key': 'deviceKey', '--store': 'store',
        '--port': 'port', '--port-file': 'portFile', '--client-ca': 'clientCa',
        '--max-batch': 'maxBatch', '--fail-first': 'failFirst', '--fail-mode': 'failMode',
        '--slow-ms': 'slowMs',
    };
    for (let i = 0; i < argv.length; i += 2) {
        const flag = argv[i];
        const value = argv[i + 1];
        if (value === undefined) throw new Error(`${flag} needs a value`);
        if (flag === '--refuse-sequence') options.refuse.add(Number(value));
        else if (names[flag]) options[names[flag]] = value;
        else throw new Error(`unknown flag ${flag}`);
    }
    for (const required of ['cert', 'key', 'deviceKey', 'store']) {
        if (!options[required]) throw new Error(`--${required.replace(/[A-Z]/g, c => '-' + c.toLowerCase())} is required`);
    }
    for (const numeric of ['port', 'failFirst', 'slowMs']) options[numeric] = Number(options[numeric]);
    if (options.maxBatch !== undefined) options.maxBatch = Number(options.maxBatch);
    if (!['500', 'hang', 'slow'].includes(options.failMode)) throw new Error(`--fail-mode ${options.failMode}?`);
    return options;
}

const options = parseArguments(process.argv.slice(2));
const deviceKey = crypto.createPublicKey(fs.readFileSync(options.deviceKey));
const fingerprint = crypto.createHash('sha256').update(deviceKey.export({ type: 'spki', format: 'der' })).digest('hex');
const deviceId = `ev-${fingerprint.slice(0, 20)}`;

// (deviceId/sequence) -> sha256 of the stored envelope, from earlier runs too.
const stored = new Map();
if (fs.existsSync(options.store)) {
    for (const line of fs.readFileSync(options.store, 'utf8').split('\n')) {
        if (!line) continue;
        const record = JSON.parse(line);
        stored.set(`${record.deviceId}/${record.sequence}`, record.sha256);
    }
}

function log(message) {
    process.stdout.write(`receiver: ${message}\n`);
}

function strictBase64(text) {
    if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
    const bytes = Buffer.from(text, 'base64');
    return bytes.toString('base64') === text ? bytes : null;
}

// DSSE v1 pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body.
function pae(type, body) {
    const typeBytes = Buffer.from(type, 'utf8');
    return Buffer.concat([Buffer.from(`DSSEv1 ${typeBytes.length} `), typeBytes, Buffer.from(` ${body.length} `), body]);
}

function malformed(message) {
    return { status: 400, code: 'malformed', message };
}

function handleEnvelope(envelope) {
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) return malformed('not an object');
    if (envelope.payloadType !== kPayloadType) return malformed('payloadType is not in-toto');
    const payload = strictBase64(envelope.payload);
    if (!payload) return malformed('payload is not base64');
    if (!Array.isArray(envelope.signatures) || envelope.signatures.length === 0) return malformed('no signatures');
    const message = pae(envelope.payloadType, payload);
    const verified = envelope.signatures.some(signature => {
        const sig = strictBase64(signature && signature.sig);
        return sig !== null && crypto.verify('sha256', message, deviceKey, sig);
    });
    if (!verified) return { status: 422, code: 'signature-invalid', message: 'no signature verifies with the enrolled key' };
    let statement;
    try {
        statement = JSON.parse(payload.toString('utf8'));
    } catch (error) {
        return malformed(`payload is not JSON: ${error.message}`);
    }
    const predicate = (statement && statement.predicate) || {};
    const context = predicate[kReportContext] || predicate;
    const sequence = context.sequence;
    if (context.deviceId !== deviceId || !Number.isSafeInteger(sequence) || sequence < 1) {
        return malformed('the statement does not name this device and a sequence');
    }
    if (options.refuse.has(sequence)) {
        return { status: 422, code: 'signature-invalid', message: `sequence ${sequence} refused by the test` };
    }
    const key = `${deviceId}/${sequence}`;
    const digest = crypto.createHash('sha256').update(JSON.stringify(envelope)).digest('hex');
    if (stored.has(key)) {
        if (stored.get(key) === digest) return { status: 200, code: 'duplicate', deviceId, sequence };
        return { status: 409, code: 'replay-conflict', message: `sequence ${sequence} was stored with other content` };
    }
    const record = { deviceId, sequence, sha256: digest, predicateType: statement.predicateType, envelope };
    fs.appendFileSync(options.store, JSON.stringify(record) + '\n');
    stored.set(key, digest);
    return { status: 201, code: 'stored', deviceId, sequence };
}

function answer(response, status, document) {
    const body = JSON.stringify(document);
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
}

let requests = 0;
const hanging = new Set();

function handleRequest(request, response) {
    const number = ++requests;
    if (request.method !== 'POST' || request.url !== '/api/v1/reports') {
        return answer(response, 404, { error: `no ${request.method} ${request.url}` });
    }
    const chunks = [];
    let size = 0;
    request.on('data', chunk => {
        size += chunk.length;
        if (size <= kMaxBodyBytes) chunks.push(chunk);
    });
    request.on('end', () => {
        const failing = number <= options.failFirst ? options.failMode : null;
        if (failing === '500') {
            log(`request ${number}: answering 500 (--fail-first)`);
            return answer(response, 500, { error: 'internal' });
        }
        if (failing === 'hang') {
            log(`request ${number}: hanging (--fail-first)`);
            hanging.add(response);
            return;
        }
        if (size > kMaxBodyBytes) return answer(response, 413, { error: 'body too large' });
        let body;
        try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch (error) {
            return answer(response, 400, { error: `not JSON: ${error.message}` });
        }
        const items = Array.isArray(body) ? body : [body];
        if (items.length === 0 || items.length > kMaxItems) return answer(response, 400, { error: 'bad item count' });
        if (options.maxBatch !== undefined && items.length > options.maxBatch) {
            log(`request ${number}: ${items.length} items > --max-batch ${options.maxBatch}: 413`);
            return answer(response, 413, { error: 'too many reports in one request' });
        }
        const results = items.map(handleEnvelope);
        const summary = results.map(r => `${r.sequence ?? '?'}:${r.status}:${r.code}`).join(' ');
        log(`request ${number}: ${items.length} item(s): ${summary}`);
        const send = () => answer(response, 200, { results });
        if (failing === 'slow') {
            log(`request ${number}: answering after ${options.slowMs} ms (--fail-first)`);
            setTimeout(send, options.slowMs);
        } else {
            send();
        }
    });
}

const tls = { cert: fs.readFileSync(options.cert), key: fs.readFileSync(options.key) };
if (options.clientCa) {
    Object.assign(tls, { ca: fs.readFileSync(options.clientCa), requestCert: true, rejectUnauthorized: true });
}
const server = https.createServer(tls, handleRequest);
server.on('tlsClientError', error => log(`TLS client error: ${error.message}`));
server.listen(options.port, '127.0.0.1', () => {
    const port = server.address().port;
    if (options.portFile) {
        fs.writeFileSync(`${options.portFile}.tmp`, `${port}\n`);
        fs.renameSync(`${options.portFile}.tmp`, options.portFile);
    }
    log(`listening on 127.0.0.1:${port} for device ${deviceId}${options.clientCa ? ' (client certificate required)' : ''}`);
});

function shutdown() {
    for (const response of hanging) response.destroy();
    server.close();
    server.closeAllConnections();
    process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
