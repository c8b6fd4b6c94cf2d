// The console's shared state: tiny observable stores, the hash route, the drafts of forms that
// survive a sign-in, and the hooks pages use to read them.
import { useState, useEffect } from 'preact/hooks';

export function store(value) {
  const subs = new Set();
  return {
    get: () => value,
    set(v) { value = v; for (const f of subs) f(v); },
    sub(f) { subs.add(f); return () => subs.delete(f); },
  };
}

export function useStore(s) {
  const [v, setV] = useState(s.get());
  useEffect(() => { setV(s.get()); return s.sub(setV); }, [s]);
  return v;
}

/** Who is signed in: GET /v1/whoami's answer, or null. */
export const session = store(null);
/** The message of the last API error the user should see, or ''. */
export const problem = store('');
/** True while the manager does not answer. */
export const lost = store(false);

/** "#/apps/hello?x=1" → {parts: ['apps', 'hello'], query: URLSearchParams, hash}. */
export function parseHash(hash) {
  const h = (hash || '').replace(/^#/, '') || '/';
  const q = h.indexOf('?');
  const path = q < 0 ? h : h.slice(0, q);
  return {
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)),
    hash: '#' + h,
  };
}

export const route = store(parseHash(location.hash));
addEventListener('hashchange', () => {
  route.set(parseHash(location.hash));
  problem.set('');
});

export function go(hash) {
  if (location.hash === hash) route.set(parseHash(hash));
  else location.hash = hash;
}

// Drafts: every form field registers its live value; when a call answers 401 they are saved to
// sessionStorage, and the same fields start from them once the user has signed in again.
const DRAFTS = 'berth.drafts';
const liveDrafts = new Map();

export function saveDrafts() {
  if (liveDrafts.size) sessionStorage.setItem(DRAFTS, JSON.stringify(Object.fromEntries(liveDrafts)));
}

function takeDraft(key) {
  const text = sessionStorage.getItem(DRAFTS);
  if (!text) return undefined;
  const saved = JSON.parse(text);
  if (!(key in saved)) return undefined;
  const v = saved[key];
  delete saved[key];
  if (Object.keys(saved).length) sessionStorage.setItem(DRAFTS, JSON.stringify(saved));
  else sessionStorage.removeItem(DRAFTS);
  return v;
}

/** useState for a form field that outlives an expired session. */
export function useDraft(key, initial) {
  const [v, setV] = useState(() => {
    const saved = takeDraft(key);
    return saved !== undefined ? saved : initial;
  });
  liveDrafts.set(key, v);
  useEffect(() => () => { liveDrafts.delete(key); }, [key]);
  return [v, setV];
}
