// useApi: a page's data from one GET, kept fresh by live changes (and an optional interval).
import { useState, useEffect, useCallback, useRef } from 'preact/hooks';
import { api } from './api.js';
import { useLive } from './live.js';
import { problem } from './state.js';

/**
 * @param path the GET to make (null: nothing yet)
 * @param opts match(event) → reload on that change; every: ms between refreshes;
 *   optional: a 404 is "no data" (a route an older manager lacks), not an error
 * @returns {{data, error, missing: boolean, loading: boolean, reload: () => Promise}}
 */
export function useApi(path, { match, every, optional = false } = {}) {
  const [state, setState] = useState({ data: undefined, error: null, missing: false, loading: true });
  const seq = useRef(0);
  const load = useCallback(async (first = false) => {
    if (!path) return;
    const n = ++seq.current;
    try {
      const data = await api(path, { quiet: true });
      if (n === seq.current) setState({ data, error: null, missing: false, loading: false });
    } catch (e) {
      if (n !== seq.current || e.name === 'AbortError' || e.status === 0 || e.status === 401) return;
      const missing = optional && (e.status === 404 || e.status === 405 || e.status === 503);
      if (first && !missing) problem.set(e.message);
      setState((s) => ({ data: missing ? undefined : s.data, error: e, missing, loading: false }));
    }
  }, [path, optional]);
  useEffect(() => {
    setState({ data: undefined, error: null, missing: false, loading: true });
    load(true);
    if (!every) return undefined;
    const t = setInterval(() => load(false), every);
    return () => clearInterval(t);
  }, [load, every]);
  useLive(match, () => load(false));
  return { ...state, reload: () => load(false) };
}

/** Several GETs at once (one per node, per app …): a map of path → answer; failures are left out. */
export function useMany(paths, { match, every } = {}) {
  const [map, setMap] = useState({});
  const key = paths.join('\n');
  const seq = useRef(0);
  const load = useCallback(async () => {
    const n = ++seq.current;
    const answers = await Promise.all(paths.map((p) => api(p, { quiet: true }).then((d) => [p, d], () => [p, undefined])));
    if (n === seq.current) setMap(Object.fromEntries(answers.filter(([, d]) => d !== undefined)));
  }, [key]);
  useEffect(() => {
    load();
    if (!every) return undefined;
    const t = setInterval(load, every);
    return () => clearInterval(t);
  }, [load, every]);
  useLive(match, load);
  return map;
}
