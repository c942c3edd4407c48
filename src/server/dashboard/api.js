// The operator API client (docs/server-api.md): the bearer token kept in this tab's
// sessionStorage, JSON requests, and two kinds of failure the views tell apart: ApiError (the
// server answered with an error status and body) and NetworkError (no answer at all).

const TOKEN_KEY = 'edgeverify.operatorToken';

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, code, message, path) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.path = path;
  }
}

export class NetworkError extends Error {
  constructor(path, cause) {
    super(`no answer from the server for ${path}`);
    this.name = 'NetworkError';
    this.path = path;
    this.cause = cause;
  }
}

function buildUrl(path, params) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  return url;
}

async function request(path, params, accept) {
  const url = buildUrl(path, params);
  let response;
  try {
    response = await fetch(url, {
      headers: { Authorization: `Bearer ${getToken()}`, Accept: accept },
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (error) {
    throw new NetworkError(url.pathname, error);
  }
  if (!response.ok) {
    let code = '';
    let message = response.statusText || `HTTP ${response.status}`;
    try {
      const body = await response.json();
      if (body && body.error) {
        code = String(body.error.code || '');
        message = String(body.error.message || message);
      }
    } catch (_) {
      // not a JSON error body: keep the status text
    }
    throw new ApiError(response.status, code, message, url.pathname);
  }
  return response;
}

// GET a JSON document.
export async function getJson(path, params) {
  const response = await request(path, params, 'application/json');
  try {
    return await response.json();
  } catch (error) {
    throw new ApiError(response.status, 'bad-response', `the answer to ${path} is not JSON`, path);
  }
}

// GET the exact bytes of a document as text (the raw DSSE envelope).
export async function getText(path) {
  const response = await request(path, {}, 'application/json');
  return response.text();
}

// Path pieces. Digests are checked before they go into a path; ids are percent-encoded.
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function isDigest(text) {
  return DIGEST.test(text);
}

export const paths = {
  fleet: () => '/api/v1/fleet',
  devices: () => '/api/v1/devices',
  device: (id) => `/api/v1/devices/${encodeURIComponent(id)}`,
  images: () => '/api/v1/images',
  image: (digest) => {
    if (!isDigest(digest)) throw new ApiError(0, 'bad-request', `not an image digest: ${digest}`, '');
    return `/api/v1/images/${digest}`;
  },
  reports: () => '/api/v1/reports',
  report: (id) => `/api/v1/reports/${encodeURIComponent(id)}`,
  envelope: (id) => `/api/v1/reports/${encodeURIComponent(id)}/envelope`,
};
