// Every call to the Berth API goes through here: the session's token, errors as the message they
// carry, 401 back to sign-in (keeping the forms), and the lost-connection probe.
import { session, problem, lost, saveDrafts, go, route } from './state.js';

const TOKEN = 'berth.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN),
  set: (t) => sessionStorage.setItem(TOKEN, t),
  clear: () => sessionStorage.removeItem(TOKEN),
};

/** An answer other than 2xx: its status and the API's {name, message}. */
export class ApiError extends Error {
  constructor(status, name, message) {
    super(message);
    this.status = status;
    this.name = name;
  }
}

export function headers(extra = {}) {
  const t = token.get();
  return t ? { ...extra, Authorization: 'Bearer ' + t } : extra;
}

/** Back to sign-in, coming back to where the user was, with the forms they were filling. */
export function expired() {
  const here = route.get();
  if (here.parts[0] === 'login') return;
  saveDrafts();
  token.clear();
  session.set(null);
  go('#/login?next=' + encodeURIComponent(here.hash));
}

/**
 * Calls the API. A body that is a string goes as YAML (a manifest), anything else as JSON.
 * Options: quiet — do not show the error (background refreshes); raw — return the Response.
 */
export async function api(path, { method = 'GET', body, quiet = false, raw = false, signal } = {}) {
  const init = { method, headers: headers(), signal };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] = typeof body === 'string' ? 'application/yaml' : 'application/json';
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    connectionLost();
    throw new ApiError(0, 'ConnectionLost', 'lost the connection to the manager');
  }
  connectionBack();
  if (res.status === 401 && path !== '/v1/login') {
    expired();
    throw new ApiError(401, 'Unauthorized', 'your session has ended: sign in again');
  }
  if (!res.ok) {
    let b = null;
    try { b = await res.json(); } catch { /* not JSON */ }
    const err = new ApiError(res.status, (b && b.name) || 'HttpError', (b && b.message) || `${res.status} ${res.statusText}`);
    if (!quiet) problem.set(err.message);
    throw err;
  }
  if (raw) return res;
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  return type.includes('json') ? res.json() : res.text();
}

let probing = false;

/** The manager stopped answering: show it, and ask /healthz with back-off until it answers. */
export function connectionLost() {
  lost.set(true);
  if (probing) return;
  probing = true;
  let wait = 500;
  const probe = async () => {
    try {
      const r = await fetch('/healthz', { cache: 'no-store' });
      if (r.ok) { probing = false; connectionBack(); return; }
    } catch { /* still away */ }
    wait = Math.min(wait * 2, 8000);
    setTimeout(probe, wait);
  };
  setTimeout(probe, wait);
}

const backListeners = new Set();
export function onReconnect(f) { backListeners.add(f); return () => backListeners.delete(f); }

export function connectionBack() {
  if (!lost.get()) return;
  lost.set(false);
  for (const f of backListeners) f();
}
