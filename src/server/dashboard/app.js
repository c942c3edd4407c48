// The dashboard shell: the token prompt, hash routing, and the messages for a refused token
// (401), an unreachable server and other API errors. The views are in views.js.

import { getToken, setToken, clearToken, ApiError, NetworkError } from './api.js';
import { clear } from './dom.js';
import { fleetView, devicesView, deviceView, imagesView, imageView, rejectedView, reportView } from './views.js';

const main = document.getElementById('view');
const message = document.getElementById('message');
const login = document.getElementById('login');
const loginForm = document.getElementById('login-form');
const tokenInput = document.getElementById('token');
const nav = document.getElementById('nav');
const signout = document.getElementById('signout');

let generation = 0;

function showMessage(text, kind = 'error') {
  message.textContent = text;
  message.className = `message ${kind}`;
  message.hidden = false;
}

function hideMessage() {
  message.hidden = true;
  message.textContent = '';
}

function showLogin() {
  clear(main);
  main.hidden = true;
  nav.hidden = true;
  signout.hidden = true;
  login.hidden = false;
  tokenInput.value = '';
  tokenInput.focus();
}

function showApp() {
  login.hidden = true;
  main.hidden = false;
  nav.hidden = false;
  signout.hidden = false;
}

function fail(error) {
  if (error instanceof ApiError && error.status === 401) {
    clearToken();
    showLogin();
    showMessage(`The server refused the operator token (401 unauthorized${error.message ? `: ${error.message}` : ''}). Enter a valid operator token.`);
    return;
  }
  if (error instanceof NetworkError) {
    showMessage(`Cannot reach edgeverify-server at ${window.location.origin} (network error on ${error.path}). Check that the server is running and reachable, then reload the page.`);
    return;
  }
  if (error instanceof ApiError) {
    if (error.status === 404) {
      showMessage(`Not found: ${error.message}`);
    } else {
      const status = error.status ? `${error.status}${error.code ? ` ${error.code}` : ''}` : error.code;
      showMessage(`The server answered ${status}: ${error.message}`);
    }
    return;
  }
  showMessage(`The dashboard failed: ${error && error.message ? error.message : String(error)}`);
  console.error(error);
}

// "#/devices/ev-1?status=active" -> {parts: ['devices', 'ev-1'], query: URLSearchParams}
function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch (_) {
      return p;
    }
  });
  return { parts, query };
}

const titles = { fleet: 'Fleet', devices: 'Devices', images: 'Images', rejected: 'Rejected images', reports: 'Report' };

async function route() {
  if (!getToken()) {
    showLogin();
    return;
  }
  showApp();
  const my = ++generation;
  const ctx = { main, alive: () => my === generation, fail };
  const { parts, query } = parseHash();
  const [view = 'fleet', arg] = parts;
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${titles[view] || 'Not found'} · edgeverify fleet`;
  clear(main);
  main.setAttribute('aria-busy', 'true');
  try {
    if (view === 'fleet') await fleetView(ctx);
    else if (view === 'devices' && arg) await deviceView(ctx, arg);
    else if (view === 'devices') await devicesView(ctx, query);
    else if (view === 'images' && arg) await imageView(ctx, arg);
    else if (view === 'images') await imagesView(ctx);
    else if (view === 'rejected') await rejectedView(ctx);
    else if (view === 'reports' && arg) await reportView(ctx, arg);
    else throw new ApiError(404, 'not-found', `no dashboard view '${parts.join('/')}'`, '');
    if (ctx.alive()) {
      hideMessage();
      const h1 = main.querySelector('h1');
      if (h1) document.title = `${h1.textContent} · edgeverify fleet`;
      main.focus({ preventScroll: true });
    }
  } catch (error) {
    if (ctx.alive()) fail(error);
  } finally {
    if (ctx.alive()) main.removeAttribute('aria-busy');
  }
}

loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) return;
  setToken(token);
  hideMessage();
  route();
});

signout.addEventListener('click', () => {
  clearToken();
  hideMessage();
  showLogin();
});

window.addEventListener('hashchange', route);
route();
