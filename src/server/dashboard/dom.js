// Building the page from data without HTML parsing: every string goes in as a text node or an
// attribute value, so nothing the server sends can become markup.

export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  appendChildren(element, children);
  return element;
}

export function appendChildren(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element) {
  while (element.firstChild) element.removeChild(element.firstChild);
}

// A data table: caption, column headers (th scope=col), one row per item. columns:
// [{label, cell: (item) => Node|string, className?}]. The first column's cells are row headers
// when rowHeader is true.
export function table({ caption, columns, rows, empty, rowHeader = false, id }) {
  const body = h('tbody');
  const t = h('table', { class: 'data', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.className }, c.label)))),
    body);
  appendRows(t, columns, rows, rowHeader);
  if (rows.length === 0 && empty) {
    body.append(h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, empty)));
  }
  t.columns = columns;
  t.rowHeader = rowHeader;
  return t;
}

export function appendRows(t, columns, rows, rowHeader = false) {
  const body = t.tBodies[0];
  for (const row of body.querySelectorAll('tr.empty')) row.remove();
  for (const item of rows) {
    body.append(h('tr', {}, columns.map((c, i) =>
      h(rowHeader && i === 0 ? 'th' : 'td', { scope: rowHeader && i === 0 ? 'row' : undefined, class: c.className }, c.cell(item)))));
  }
}

// A description list from [term, value] pairs.
export function facts(pairs, className = 'facts') {
  return h('dl', { class: className }, pairs.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))));
}

export function link(href, text, attrs = {}) {
  return h('a', { href, ...attrs }, text);
}

// Short form of a digest for tables, the full digest in the title and the accessible name.
export function shortDigest(digest) {
  if (typeof digest !== 'string' || digest === '') return '—';
  const m = /^(sha256:)([0-9a-f]{64})$/.exec(digest);
  return m ? `${m[1]}${m[2].slice(0, 12)}…` : digest;
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind}` }, text);
}

// "2026-11-28T06:00:00Z" -> the same, plus "(5 min ago)" when it parses.
export function timeText(value, now = Date.now()) {
  if (value === null || value === undefined || value === '') return 'never';
  const t = Date.parse(value);
  if (Number.isNaN(t)) return String(value);
  return `${value} (${ago(now - t)})`;
}

export function ago(ms) {
  const s = Math.round(ms / 1000);
  if (s < -60) return 'in the future';
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}
