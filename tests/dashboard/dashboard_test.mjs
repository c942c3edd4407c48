// The operator dashboard in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core): a wrong token shows the 401 message; with the right token the fleet summary
// shows the API's numbers, the device list and detail, an image view and the rejected images
// with the exact reason the report carries; the report view shows the raw envelope byte for byte.
// A screenshot of each page (1366x768) goes to --screenshots DIR.
//
//   node dashboard_test.mjs --url BASE --token TOKEN --device ID --passed-digest DIGEST
//        --rejected-digest DIGEST --reason TEXT --label NAME=VALUE --screenshots DIR
//        [--chromium PATH] [--ca-spki SHA256-BASE64]
//
// The expected numbers are read from the operator API by this script (Node's fetch, same token);
// the expected device, digests and reason come from the caller (tests/integration/
// test_dashboard.sh), which read them from the agent's own output and the API. With an https
// URL, --ca-spki pins the server's certificate key for Chromium
// (--ignore-certificate-errors-spki-list) and Node trusts the CA from NODE_EXTRA_CA_CERTS.
// Prints "ok - ..." / "not ok - ..." lines and a closing "N passed, N failed"; exit 1 on a
// failure.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    device: { type: 'string' },
    'passed-digest': { type: 'string' },
    'rejected-digest': { type: 'string' },
    reason: { type: 'string' },
    label: { type: 'string' },
    screenshots: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    'ca-spki': { type: 'string' },
  },
});
for (const name of ['url', 'token', 'device', 'passed-digest', 'rejected-digest', 'reason', 'label', 'screenshots']) {
  if (!opt[name]) {
    console.error(`dashboard_test: --${name} is required`);
    process.exit(2);
  }
}
const base = opt.url.replace(/\/$/, '');
mkdirSync(opt.screenshots, { recursive: true });

let passed = 0;
let failed = 0;
const ok = (desc) => { passed++; console.log(`ok - ${desc}`); };
const notOk = (desc, evidence) => {
  failed++;
  console.log(`not ok - ${desc}`);
  if (evidence !== undefined) console.log(`    ${String(evidence).split('\n').join('\n    ')}`);
};
const checkEq = (desc, actual, expected) => {
  if (actual === expected) ok(desc);
  else notOk(desc, `got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
};
const check = (desc, cond, evidence) => (cond ? ok(desc) : notOk(desc, evidence));

async function api(path) {
  const response = await fetch(base + path, { headers: { Authorization: `Bearer ${opt.token}` } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return path.endsWith('/envelope') ? response.text() : response.json();
}

const args = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'];
if (opt['ca-spki']) args.push(`--ignore-certificate-errors-spki-list=${opt['ca-spki']}`);
const browser = await chromium.launch({ executablePath: opt.chromium, headless: true, args, timeout: 60000 });
const pageErrors = [];
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  // The dashboard must work offline: any request to another origin fails the test.
  const foreign = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(base + '/') || u === base || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
    foreign.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  // Chromium logs each failed request: a 401 (the wrong-token step) and a refused connection (the
  // network-error step) are expected; any other console error fails the test.
  page.on('console', (m) => {
    const t = m.text();
    if (m.type() === 'error' && !t.includes('status of 401') && !t.includes('ERR_CONNECTION_REFUSED')) pageErrors.push(`console: ${t}`);
  });
  const shot = async (name) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(opt.screenshots, `${name}.png`) });
  };
  const text = async (selector) => (await page.locator(selector).first().textContent() ?? '').trim();

  // --- the token prompt, and a wrong token -------------------------------------------------------
  await page.goto(`${base}/`);
  await page.getByLabel('Operator token', { exact: true }).waitFor();
  ok('GET / serves the dashboard and it asks for the operator token');
  await page.getByLabel('Operator token', { exact: true }).fill('not-the-operator-token');
  await page.getByRole('button', { name: 'Open the dashboard' }).click();
  await page.locator('#message:not([hidden])').waitFor();
  const m401 = await text('#message');
  check('a wrong token shows the 401 message', m401.startsWith('The server refused the operator token (401 unauthorized'), m401);
  check('after a 401 the token prompt is shown again', await page.getByLabel('Operator token', { exact: true }).isVisible());
  checkEq('after a 401 no token is kept in sessionStorage',
    await page.evaluate(() => sessionStorage.getItem('edgeverify.operatorToken')), null);
  await shot('login-401');

  // --- the right token: fleet summary ------------------------------------------------------------
  const fleet = await api('/api/v1/fleet');
  await page.getByLabel('Operator token', { exact: true }).fill(opt.token);
  await page.getByRole('button', { name: 'Open the dashboard' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fleet summary' }).waitFor();
  ok('the right token opens the fleet summary');
  check('the message is gone', !(await page.locator('#message').isVisible()));
  checkEq('the token is kept in sessionStorage',
    await page.evaluate(() => sessionStorage.getItem('edgeverify.operatorToken')), opt.token);
  checkEq('fleet: active devices as the API says', await text('#card-active .value'), String(fleet.devices.active));
  checkEq('fleet: compliant devices as the API says', await text('#card-compliance .note'),
    `${fleet.devices.compliant} of ${fleet.devices.active} active devices compliant`);
  checkEq('fleet: compliance percentage', await text('#card-compliance .value'), `${Math.round(fleet.compliance * 1000) / 10} %`);
  checkEq('fleet: rejections in 24 h as the API says', await text('#card-rejections .value'), String(fleet.rejectionsLast24h));
  check('fleet: the API counts at least one rejection in 24 h', fleet.rejectionsLast24h >= 1, JSON.stringify(fleet));
  checkEq('fleet: silent devices as the API says', await text('#card-silent .value'), String(fleet.devices.silent));
  checkEq('fleet: pending devices as the API says', await text('#card-pending .value'), String(fleet.devices.pending));
  checkEq('fleet: reports stored as the API says', await text('#card-reports .value'), String(fleet.reports));
  await shot('fleet');

  // --- device list ---------------------------------------------------------------------------------
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Devices' }).click();
  await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
  const deviceRow = page.locator('#devices tbody tr', { has: page.getByRole('link', { name: opt.device, exact: true }) });
  await deviceRow.waitFor();
  ok(`device list: a row for ${opt.device}`);
  const deviceJson = await api(`/api/v1/devices/${opt.device}`);
  const rowText = (await deviceRow.textContent()) ?? '';
  check('device list: the row shows its status', rowText.includes(deviceJson.status), rowText);
  check(`device list: the row shows the label ${opt.label} as text`, rowText.includes(opt.label), rowText);
  checkEq('device list: labels are text, not markup (no <b> element in the table)',
    await page.locator('#devices b').count(), 0);
  await shot('devices');

  // --- device detail -------------------------------------------------------------------------------
  await deviceRow.getByRole('link', { name: opt.device, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Device ${opt.device}` }).waitFor();
  ok('device detail opens from the list');
  const deviceReports = await api(`/api/v1/reports?device=${opt.device}&limit=200`);
  await page.locator('#device-reports tbody tr').first().waitFor();
  const total = deviceReports.reports.length;
  checkEq('device detail: the first page of the history holds min(20, reports) rows',
    await page.locator('#device-reports tbody tr').count(), Math.min(20, total));
  check('device detail: the device has more than one page of reports (pagination is exercised)', total > 20, `${total} reports`);
  const more = page.getByRole('button', { name: 'Show more' });
  for (let i = 0; i < 20 && await more.isVisible(); i++) {
    const before = await page.locator('#device-reports tbody tr').count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('#device-reports tbody tr').length > n, before);
  }
  checkEq('device detail: "Show more" (nextCursor) ends with one history row per report of the device',
    await page.locator('#device-reports tbody tr').count(), total);
  const deviceRows = page.locator('#device-reports tbody tr').filter({ has: page.locator('td:nth-child(4)', { hasText: /^device$/ }) });
  const deviceReportCount = deviceReports.reports.filter((r) => r.kind === 'device').length;
  checkEq('device detail: one row of kind "device" per device report', await deviceRows.count(), deviceReportCount);
  checkEq('device detail: device reports link to no image (their subject is the device)',
    await deviceRows.locator('a.digest').count(), 0);
  const ids = await page.locator('#device-reports tbody tr td:first-child, #device-reports tbody tr th:first-child').allTextContents();
  checkEq('device detail: no report repeated across pages', new Set(ids).size, ids.length);
  checkEq('device detail: the pages hold the API\'s reports, newest first',
    ids.join(','), deviceReports.reports.map((r) => `#${r.id}`).join(','));
  const imageRow = page.locator('#device-images tbody tr', { has: page.getByRole('link', { name: opt['passed-digest'] }) });
  checkEq('device detail: the admitted image is listed with its verdict',
    (await imageRow.count()) === 1 ? ((await imageRow.textContent()) ?? '').includes('admitted') : false, true);
  const historyText = (await page.locator('#device-reports').textContent()) ?? '';
  check('device detail: the history shows the rejection reason', historyText.includes(opt.reason), historyText.slice(0, 2000));
  await shot('device');

  // --- image view (the admitted image, from the device detail) --------------------------------------
  await imageRow.getByRole('link', { name: opt['passed-digest'] }).click();
  await page.locator('h1', { hasText: opt['passed-digest'] }).waitFor();
  ok('image view opens from the device detail');
  const image = await api(`/api/v1/images/${opt['passed-digest']}`);
  check('image view: the device runs it', (await text('#image-devices')).includes(opt.device), await text('#image-devices'));
  checkEq('image view: passed count as the API says', await page.locator('dt', { hasText: 'Verifications passed' }).locator('xpath=following-sibling::dd[1]').textContent(), String(image.passed));
  check('image view: the API counts a passed verification', image.passed >= 1, JSON.stringify(image));
  await page.locator('#image-reports tbody tr').first().waitFor();
  check('image view: its verification report is listed as PASSED',
    ((await page.locator('#image-reports tbody').textContent()) ?? '').includes('PASSED'));
  await shot('image');

  // --- rejected images -----------------------------------------------------------------------------
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Rejected' }).click();
  await page.getByRole('heading', { level: 1, name: 'Rejected images' }).waitFor();
  const rejectedRow = page.locator('#rejected tbody tr', { has: page.getByRole('link', { name: opt['rejected-digest'] }) });
  await rejectedRow.first().waitFor();
  checkEq('rejected: the exact reason of the tampered image\'s report',
    (await rejectedRow.first().locator('.reason').textContent()) ?? '', opt.reason);
  check('rejected: FAILED and not admitted', ((await rejectedRow.first().textContent()) ?? '').includes('not admitted'));
  const passedRows = await page.locator('#rejected tbody tr', { has: page.getByRole('link', { name: opt['passed-digest'] }) }).count();
  checkEq('rejected: the admitted image is not listed', passedRows, 0);
  await shot('rejected');

  // --- the report view and its raw envelope -------------------------------------------------------
  await rejectedRow.first().getByRole('link', { name: /^#\d+$/ }).click();
  await page.getByRole('heading', { level: 1, name: /^Report #\d+$/ }).waitFor();
  const reportId = (await text('main h1')).replace('Report #', '');
  checkEq('report view: the reason', await page.locator('dt', { hasText: 'Reason' }).locator('xpath=following-sibling::dd[1]').textContent(), opt.reason);
  await page.getByRole('link', { name: 'Show the raw signed envelope' }).click();
  await page.locator('#envelope:not([hidden])').waitFor();
  const envelope = await api(`/api/v1/reports/${reportId}/envelope`);
  checkEq('report view: the raw envelope, byte for byte as the API serves it', await page.locator('#envelope').textContent(), envelope);
  check('report view: the envelope is a DSSE envelope', JSON.parse(envelope).payloadType === 'application/vnd.in-toto+json', envelope.slice(0, 200));
  await shot('report');

  // --- the tampered image's own view ---------------------------------------------------------------
  await page.goto(`${base}/#/images/${opt['rejected-digest']}`);
  await page.locator('#image-reports tbody tr').first().waitFor();
  const failedImage = await api(`/api/v1/images/${opt['rejected-digest']}`);
  check('tampered image view: the API counts a failed verification', failedImage.failed >= 1, JSON.stringify(failedImage));
  check('tampered image view: the reason is shown',
    ((await page.locator('#image-reports .reason').first().textContent()) ?? '') === opt.reason);

  // --- no answer from the API: the network error message ---------------------------------------
  await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
  await page.goto(`${base}/#/devices`);
  await page.locator('#message:not([hidden])').waitFor();
  const mNet = await text('#message');
  check('no answer from the API shows the network error message',
    mNet.startsWith(`Cannot reach edgeverify-server at ${base} (network error on /api/v1/devices)`), mNet);
  await page.unroute('**/api/v1/**');

  // --- forget the token --------------------------------------------------------------------------
  await page.getByRole('button', { name: 'Forget token' }).click();
  check('"Forget token" shows the prompt again', await page.getByLabel('Operator token', { exact: true }).isVisible());

  checkEq('no request left the server\'s origin', foreign.join(' '), '');
  checkEq('no script error in the page', pageErrors.join('\n'), '');
} catch (error) {
  notOk('the browser run finished', error && error.stack ? error.stack : String(error));
  if (pageErrors.length) console.log(`    page errors: ${pageErrors.join('\n    ')}`);
} finally {
  await browser.close();
}
console.log(`dashboard: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
