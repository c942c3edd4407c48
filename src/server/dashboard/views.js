// The dashboard's views. Each takes the route's parameters and a context ({main, alive}) and
// fills main; errors propagate to app.js, which shows them. docs/dashboard.md describes them.

import { getJson, getText, paths, isDigest } from './api.js';
import { h, clear, table, appendRows, facts, link, shortDigest, badge, timeText } from './dom.js';

// ---------------------------------------------------------------------------------------------
// Shared cells

const deviceHref = (id) => `#/devices/${encodeURIComponent(id)}`;
const imageHref = (digest) => `#/images/${digest}`;
const reportHref = (id) => `#/reports/${encodeURIComponent(id)}`;

function deviceLink(id) {
  return id ? link(deviceHref(id), id, { class: 'id' }) : '—';
}

function digestLink(digest) {
  if (!isDigest(digest)) return digest ? String(digest) : '—';
  return link(imageHref(digest), shortDigest(digest), { title: digest, 'aria-label': digest, class: 'digest' });
}

function labelsCell(labels) {
  const entries = Object.entries(labels || {});
  if (entries.length === 0) return h('span', { class: 'muted' }, 'none');
  return h('ul', { class: 'labels' }, entries.map(([k, v]) => h('li', {}, `${k}=${v}`)));
}

function statusBadge(status) {
  const kind = { active: 'ok', pending: 'warn', revoked: 'bad' }[status] || 'neutral';
  return badge(status || 'unknown', kind);
}

function resultBadge(result) {
  if (result === 'PASSED') return badge('PASSED', 'ok');
  if (result === 'FAILED') return badge('FAILED', 'bad');
  return h('span', { class: 'muted' }, '—');
}

function admittedBadge(admitted) {
  if (admitted === true) return badge('admitted', 'ok');
  if (admitted === false) return badge('not admitted', 'bad');
  return h('span', { class: 'muted' }, '—');
}

function verdictBadge(verdict) {
  const kind = { admitted: 'ok', unverified: 'warn', 'not-admitted': 'bad' }[verdict] || 'neutral';
  return badge(verdict || 'unknown', kind);
}

function yesNo(value, yesKind = 'warn') {
  return value ? badge('yes', yesKind) : h('span', { class: 'muted' }, 'no');
}

function reasonCell(reason) {
  return reason ? h('span', { class: 'reason' }, reason) : h('span', { class: 'muted' }, '—');
}

// The image a verification report is about. A device report's subject is the device itself
// (its id and key fingerprint), not an image: no image link for it.
function subjectCell(report) {
  const subject = report.subject || {};
  if (report.kind === 'device') return h('span', { class: 'muted' }, '—');
  return h('span', { class: 'subject' },
    subject.name ? h('span', { class: 'ref' }, subject.name) : null,
    subject.name && subject.digest ? ' ' : null,
    subject.digest ? digestLink(subject.digest) : null);
}

export function isRejection(report) {
  return report.kind === 'verification' && (report.verificationResult === 'FAILED' || report.admitted === false);
}

// Columns of a report table; `withDevice` adds the device column.
function reportColumns({ withDevice = true, withSubject = true } = {}) {
  return [
    { label: 'Report', cell: (r) => link(reportHref(r.id), `#${r.id}`) },
    { label: 'Time', cell: (r) => r.time || '—', className: 'time' },
    withDevice ? { label: 'Device', cell: (r) => deviceLink(r.deviceId) } : null,
    { label: 'Seq.', cell: (r) => String(r.sequence), className: 'num' },
    { label: 'Kind', cell: (r) => r.kind },
    withSubject ? { label: 'Image', cell: subjectCell } : null,
    { label: 'Result', cell: (r) => resultBadge(r.verificationResult) },
    { label: 'Admitted', cell: (r) => admittedBadge(r.admitted) },
    { label: 'Reason', cell: (r) => reasonCell(r.reason), className: 'reason-col' },
    { label: 'Alarms', cell: (r) => String(r.alarmCount ?? 0), className: 'num' },
  ].filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// A table filled page by page: load(cursor) -> {items, nextCursor}; "Show more" reads the next
// page with the cursor the server gave (docs/server-api.md: pages never repeat or skip).

async function pagedTable(ctx, { caption, columns, load, empty, id }) {
  const first = await load('');
  if (!ctx.alive()) return h('div');
  const t = table({ caption, columns, rows: first.items, empty, id });
  const count = h('p', { class: 'count', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary' }, 'Show more');
  const wrapper = h('div', { class: 'paged' }, h('div', { class: 'scroll' }, t), h('div', { class: 'pager' }, count, more));
  let cursor = first.nextCursor;
  let shown = first.items.length;
  const update = () => {
    count.textContent = cursor ? `${shown} shown, more on the server` : `${shown} shown (all)`;
    more.hidden = !cursor;
  };
  update();
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const page = await load(cursor);
      if (!ctx.alive()) return;
      appendRows(t, columns, page.items);
      shown += page.items.length;
      cursor = page.nextCursor;
      update();
    } catch (error) {
      ctx.fail(error);
    } finally {
      more.disabled = false;
    }
  });
  return wrapper;
}

function heading(text, sub) {
  return sub ? [h('h1', {}, text), h('p', { class: 'sub' }, sub)] : [h('h1', {}, text)];
}

// ---------------------------------------------------------------------------------------------
// Fleet summary

export async function fleetView(ctx) {
  const [fleet, silent] = await Promise.all([
    getJson(paths.fleet()),
    getJson(paths.devices(), { silent: 'true', status: 'active', limit: 50 }),
  ]);
  if (!ctx.alive()) return;
  const d = fleet.devices || {};
  const percent = `${Math.round((fleet.compliance || 0) * 1000) / 10} %`;
  const card = (id, label, value, note, href) =>
    h('div', { class: 'card', id: `card-${id}` },
      h('dt', {}, label),
      h('dd', {}, href ? link(href, String(value), { class: 'value' }) : h('span', { class: 'value' }, String(value)),
        note ? h('span', { class: 'note' }, note) : null));
  ctx.main.append(
    ...heading('Fleet summary', `as of ${fleet.time || '—'} (server time)`),
    h('dl', { class: 'cards', 'aria-label': 'Fleet counts' },
      card('compliance', 'Compliance', percent, `${d.compliant ?? 0} of ${d.active ?? 0} active devices compliant`),
      card('active', 'Active devices', d.active ?? 0, null, '#/devices?status=active'),
      card('silent', 'Silent devices', d.silent ?? 0, `not seen for ${fleet.silentAfterSeconds ?? '?'} s`, '#/devices?silent=true'),
      card('pending', 'Pending enrollment', d.pending ?? 0, null, '#/devices?status=pending'),
      card('revoked', 'Revoked', d.revoked ?? 0, null, '#/devices?status=revoked'),
      card('rejections', 'Rejections, last 24 h', fleet.rejectionsLast24h ?? 0, 'images not admitted', '#/rejected'),
      card('reports', 'Reports stored', fleet.reports ?? 0),
      card('conflicts', 'Replay conflicts', fleet.conflicts ?? 0, 'old sequence, other content')),
    h('h2', {}, 'Silent devices'),
    h('div', { class: 'scroll' }, table({
      caption: `Active devices not seen for ${fleet.silentAfterSeconds ?? '?'} s or never (first 50)`,
      id: 'silent-devices',
      columns: [
        { label: 'Device', cell: (x) => deviceLink(x.id) },
        { label: 'Labels', cell: (x) => labelsCell(x.labels) },
        { label: 'Last seen', cell: (x) => timeText(x.lastSeen) },
        { label: 'Alarms', cell: (x) => String(x.alarmCount ?? 0), className: 'num' },
      ],
      rows: silent.devices || [],
      empty: 'No silent device.',
    })));
}

// ---------------------------------------------------------------------------------------------
// Device list

export async function devicesView(ctx, query) {
  const status = query.get('status') || '';
  const silent = query.get('silent') || '';
  const label = query.get('label') || '';
  const form = h('form', { class: 'filters', 'aria-label': 'Filter devices' },
    h('label', { for: 'f-status' }, 'Status'),
    h('select', { id: 'f-status', name: 'status' },
      ['', 'active', 'pending', 'revoked'].map((v) => h('option', { value: v, selected: v === status }, v || 'any'))),
    h('label', { for: 'f-silent' }, 'Silent'),
    h('select', { id: 'f-silent', name: 'silent' },
      [['', 'any'], ['true', 'silent only'], ['false', 'not silent']].map(([v, t]) => h('option', { value: v, selected: v === silent }, t))),
    h('label', { for: 'f-label' }, 'Label'),
    h('input', { id: 'f-label', name: 'label', value: label, placeholder: 'name=value', size: 18 }),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
    const s = q.toString();
    window.location.hash = s ? `#/devices?${s}` : '#/devices';
  });
  const list = await pagedTable(ctx, {
    caption: 'Enrolled devices, by id',
    id: 'devices',
    columns: [
      { label: 'Device', cell: (x) => deviceLink(x.id) },
      { label: 'Status', cell: (x) => statusBadge(x.status) },
      { label: 'Labels', cell: (x) => labelsCell(x.labels) },
      { label: 'Last seen', cell: (x) => timeText(x.lastSeen), className: 'time' },
      { label: 'Silent', cell: (x) => yesNo(x.silent) },
      { label: 'Images', cell: (x) => String(x.imageCount ?? 0), className: 'num' },
      { label: 'Alarms', cell: (x) => (x.alarmCount ? badge(String(x.alarmCount), 'bad') : '0'), className: 'num' },
      { label: 'Last verification', cell: (x) => (x.lastVerification
        ? h('span', {}, resultBadge(x.lastVerification.verificationResult), ' ', subjectCell(x.lastVerification))
        : h('span', { class: 'muted' }, 'none')) },
    ],
    load: async (cursor) => {
      const page = await getJson(paths.devices(), { status, silent, label, cursor, limit: 50 });
      return { items: page.devices || [], nextCursor: page.nextCursor || '' };
    },
    empty: 'No device matches.',
  });
  if (!ctx.alive()) return;
  ctx.main.append(...heading('Devices'), form, list);
}

// ---------------------------------------------------------------------------------------------
// Device detail

export async function deviceView(ctx, id) {
  const device = await getJson(paths.device(id));
  if (!ctx.alive()) return;
  const last = device.lastVerification;
  const history = await pagedTable(ctx, {
    caption: 'Reports of this device, newest first',
    id: 'device-reports',
    columns: reportColumns({ withDevice: false }),
    load: async (cursor) => {
      const page = await getJson(paths.reports(), { device: id, cursor, limit: 20 });
      return { items: page.reports || [], nextCursor: page.nextCursor || '' };
    },
    empty: 'No report from this device yet.',
  });
  if (!ctx.alive()) return;
  ctx.main.append(
    ...heading(`Device ${device.id}`),
    facts([
      ['Status', statusBadge(device.status)],
      ['Fingerprint', h('code', { class: 'wrap' }, device.fingerprint || '—')],
      ['Labels', labelsCell(device.labels)],
      ['Enrolled', timeText(device.enrolledAt)],
      ['Last seen', timeText(device.lastSeen)],
      ['Silent', yesNo(device.silent)],
      ['Last verification', last
        ? h('span', {}, resultBadge(last.verificationResult), ' ', admittedBadge(last.admitted), ' ', subjectCell(last), ' ', link(reportHref(last.id), `report #${last.id}`))
        : h('span', { class: 'muted' }, 'none')],
    ]),
    h('div', { class: 'two' },
      h('section', { 'aria-labelledby': 'h-images' },
        h('h2', { id: 'h-images' }, 'Images on the device'),
        h('div', { class: 'scroll' }, table({
          caption: "From the device's newest device report",
          id: 'device-images',
          columns: [
            { label: 'Reference', cell: (x) => x.reference || '—' },
            { label: 'Digest', cell: (x) => digestLink(x.digest) },
            { label: 'Verdict', cell: (x) => verdictBadge(x.verdict) },
          ],
          rows: device.images || [],
          empty: 'No image reported.',
        }))),
      h('section', { 'aria-labelledby': 'h-alarms' },
        h('h2', { id: 'h-alarms' }, 'Alarms'),
        h('div', { class: 'scroll' }, table({
          caption: "From the device's newest device report",
          id: 'device-alarms',
          columns: [
            { label: 'Kind', cell: (x) => badge(x.kind || '?', 'bad') },
            { label: 'Message', cell: (x) => x.message || '' },
            { label: 'Digest', cell: (x) => digestLink(x.digest) },
          ],
          rows: device.alarms || [],
          empty: 'No alarm.',
        })))),
    h('h2', {}, 'Report history'),
    history);
}

// ---------------------------------------------------------------------------------------------
// Images

export async function imagesView(ctx) {
  const list = await pagedTable(ctx, {
    caption: 'Image digests seen in reports, by digest',
    id: 'images',
    columns: [
      { label: 'Digest', cell: (x) => digestLink(x.digest) },
      { label: 'References', cell: (x) => ((x.references || []).length ? h('ul', { class: 'plain' }, x.references.map((r) => h('li', {}, r))) : '—') },
      { label: 'Devices running it', cell: (x) => String((x.devices || []).length), className: 'num' },
      { label: 'Passed', cell: (x) => String(x.passed ?? 0), className: 'num' },
      { label: 'Failed', cell: (x) => (x.failed ? badge(String(x.failed), 'bad') : '0'), className: 'num' },
    ],
    load: async (cursor) => {
      const page = await getJson(paths.images(), { cursor, limit: 50 });
      return { items: page.images || [], nextCursor: page.nextCursor || '' };
    },
    empty: 'No image yet.',
  });
  if (!ctx.alive()) return;
  ctx.main.append(...heading('Images'), list);
}

export async function imageView(ctx, digest) {
  const image = await getJson(paths.image(digest));
  if (!ctx.alive()) return;
  const reports = await pagedTable(ctx, {
    caption: 'Verification reports of this digest, newest first',
    id: 'image-reports',
    columns: reportColumns({ withSubject: false }),
    load: async (cursor) => {
      const page = await getJson(paths.reports(), { image: digest, kind: 'verification', cursor, limit: 20 });
      return { items: page.reports || [], nextCursor: page.nextCursor || '' };
    },
    empty: 'No verification report of this digest.',
  });
  if (!ctx.alive()) return;
  const devices = image.devices || [];
  ctx.main.append(
    h('h1', {}, 'Image ', h('code', { class: 'wrap' }, image.digest)),
    facts([
      ['References', (image.references || []).length ? h('ul', { class: 'plain' }, image.references.map((r) => h('li', {}, r))) : '—'],
      ['Verifications passed', String(image.passed ?? 0)],
      ['Verifications failed', image.failed ? badge(String(image.failed), 'bad') : '0'],
      ['Devices running it', devices.length
        ? h('ul', { class: 'plain', id: 'image-devices' }, devices.map((id) => h('li', {}, deviceLink(id))))
        : h('span', { class: 'muted' }, 'none (per the newest device reports)')],
    ]),
    h('h2', {}, 'Reports'),
    reports);
}

// ---------------------------------------------------------------------------------------------
// Rejected images: verification reports with result FAILED or admitted false. The API filters
// on result only, so verification reports are read page by page (200 at a time) and the
// rejections among them are kept until a page of the view is full or the server has no more.

export async function rejectedView(ctx) {
  const wanted = 50;
  const load = async (cursor) => {
    const items = [];
    let next = cursor;
    do {
      const page = await getJson(paths.reports(), { kind: 'verification', cursor: next, limit: 200 });
      items.push(...(page.reports || []).filter(isRejection));
      next = page.nextCursor || '';
    } while (next && items.length < wanted && ctx.alive());
    return { items, nextCursor: next };
  };
  const list = await pagedTable(ctx, {
    caption: 'Verification reports that FAILED or were not admitted, newest first, with the reason the device gave',
    id: 'rejected',
    columns: [
      { label: 'Time', cell: (r) => r.time || '—', className: 'time' },
      { label: 'Device', cell: (r) => deviceLink(r.deviceId) },
      { label: 'Image', cell: subjectCell },
      { label: 'Result', cell: (r) => resultBadge(r.verificationResult) },
      { label: 'Admitted', cell: (r) => admittedBadge(r.admitted) },
      { label: 'Reason', cell: (r) => reasonCell(r.reason), className: 'reason-col' },
      { label: 'Report', cell: (r) => link(reportHref(r.id), `#${r.id}`) },
    ],
    load,
    empty: 'No rejected image.',
  });
  if (!ctx.alive()) return;
  ctx.main.append(...heading('Rejected images', 'Images a device refused to admit, or whose verification failed (audit mode admits and reports them).'), list);
}

// ---------------------------------------------------------------------------------------------
// One report

export async function reportView(ctx, id) {
  const report = await getJson(paths.report(id));
  if (!ctx.alive()) return;
  const envelopePre = h('pre', { id: 'envelope', class: 'json', hidden: true, tabindex: 0, 'aria-label': 'Raw DSSE envelope' });
  const save = h('a', { class: 'button secondary', hidden: true, download: `report-${report.id}-envelope.json` }, 'Save the envelope');
  const envelopeLink = link(paths.envelope(report.id), 'Show the raw signed envelope', { id: 'envelope-link' });
  envelopeLink.addEventListener('click', async (event) => {
    event.preventDefault();
    try {
      const text = await getText(paths.envelope(report.id));
      envelopePre.textContent = text;
      envelopePre.hidden = false;
      if (save.href) URL.revokeObjectURL(save.href);
      save.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      save.hidden = false;
    } catch (error) {
      ctx.fail(error);
    }
  });
  ctx.main.append(
    ...heading(`Report #${report.id}`),
    facts([
      ['Device', deviceLink(report.deviceId)],
      ['Sequence', String(report.sequence)],
      ['Kind', report.kind],
      report.kind === 'device'
        ? ['Subject', h('span', { class: 'ref' }, `${report.subject?.name || ''} ${report.subject?.digest || ''}`.trim() || '—')]
        : ['Image', subjectCell(report)],
      ['Result', resultBadge(report.verificationResult)],
      ['Admitted', admittedBadge(report.admitted)],
      ['Reason', reasonCell(report.reason)],
      ['Time (device)', timeText(report.time)],
      ['Received', timeText(report.receivedAt)],
      ['Alarms', String(report.alarmCount ?? 0)],
      ['Envelope digest', h('code', { class: 'wrap' }, report.envelopeDigest || '—')],
    ]),
    h('h2', {}, 'Signed envelope'),
    h('p', {}, 'The DSSE envelope exactly as the device sent it, to verify again with the device\'s public key. ',
      envelopeLink, ' ', save),
    envelopePre,
    h('h2', {}, 'Verified statement'),
    h('pre', { class: 'json', id: 'statement', tabindex: 0, 'aria-label': 'Verified in-toto statement' },
      JSON.stringify(report.statement ?? null, null, 2)));
}

export { clear };
