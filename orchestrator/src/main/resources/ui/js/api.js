// The REST API under /api/v1. The credential lives in sessionStorage (this tab only) and is sent
// as an Authorization header: no cookie is involved, so another site cannot make the browser send
// it (CSRF). credentials: 'omit' also keeps the browser's own basic-auth prompt away.
import { showError } from './messages.js';

const KEY = 'ticklake.credential';
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function credential() {
  const raw = sessionStorage.getItem(KEY);
  return raw ? JSON.parse(raw) : null;
}

export function onSessionChange(f) {
  listeners.add(f);
}

function setCredential(c) {
  if (c) sessionStorage.setItem(KEY, JSON.stringify(c));
  else sessionStorage.removeItem(KEY);
  listeners.forEach((f) => f(c));
}

export function logout() {
  setCredential(null);
}

/** Checks user+password or a token with POST /session; keeps it only when accepted. */
export async function login(user, password, token) {
  const header = token ? 'Bearer ' + token : 'Basic ' + base64(user + ':' + password);
  const session = await request('/session', { method: 'POST', header });
  setCredential({ header, actor: session.actor });
  return session;
}

/** Base64 of the text's UTF-8 bytes (btoa alone takes Latin-1 only). */
function base64(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** A read: resolves to the parsed JSON (or text), rejects with an ApiError that says why. */
export function get(path) {
  return request(path, {});
}

/** A change: asks for credentials first when there are none, and again after a 401. */
export async function send(method, path, body) {
  if (!credential()) await askLogin('Log in to ' + method + ' ' + path + '.');
  try {
    return await request(path, { method, body });
  } catch (e) {
    if (e.status !== 401) throw e;
    setCredential(null);
    await askLogin('Your credentials were refused; log in again.');
    return request(path, { method, body });
  }
}

let loginHandler = null;

/** The login dialog registers itself here; it resolves when the user has logged in. */
export function setLoginHandler(f) {
  loginHandler = f;
}

function askLogin(reason) {
  return loginHandler(reason);
}

async function request(path, { method = 'GET', body, header }) {
  const headers = { Accept: 'application/json' };
  const auth = header || credential()?.header;
  if (auth) headers.Authorization = auth;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method, headers, credentials: 'omit', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'Cannot reach the TickLake service (' + e.message + ').');
  }
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, describe(res.status, text, method));
  return (res.headers.get('Content-Type') || '').includes('json') ? JSON.parse(text) : text;
}

function describe(status, text, method) {
  let message = text;
  try {
    message = JSON.parse(text).message || text;
  } catch (ignored) {
    // not JSON (a proxy's page): keep the text
  }
  if (status === 401) {
    return method === 'GET' ? 'Log in to see this (401): ' + message : 'Not authorized (401): ' + message;
  }
  return message ? message + ' (' + status + ')' : 'HTTP ' + status;
}

/** Reports a failure where the user sees it: the page's own slot when given, else the banner. */
export function report(e, slot) {
  const text = e instanceof ApiError ? e.message : 'Unexpected error: ' + (e && e.message);
  if (slot) slot.replaceChildren(Object.assign(document.createElement('p'), { className: 'error', textContent: text }));
  else showError(text);
}

/** Runs a user action: its failure (or a cancelled login) becomes a visible message. */
export async function act(button, f) {
  if (button) button.disabled = true;
  try {
    return await f();
  } catch (e) {
    report(e);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}
