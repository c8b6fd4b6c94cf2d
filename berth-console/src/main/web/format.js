// Pure helpers: numbers, times, image tags, health. No DOM, so node --test covers them.

export function bytes(n) {
  if (n == null || isNaN(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 || n >= 100 ? Math.round(n) : n.toFixed(1)) + ' ' + units[i];
}

export function rate(n) {
  return n == null ? '–' : bytes(n) + '/s';
}

export function percent(n) {
  if (n == null || isNaN(n)) return '–';
  return (n >= 10 ? Math.round(n) : n.toFixed(1)) + '%';
}

/** "3s ago", "5m ago", "2h ago", "4d ago" from an ISO time and now (ms). */
export function ago(iso, now = Date.now()) {
  if (!iso) return '–';
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (isNaN(t) || t <= 0) return '–';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return s + 's ago';
  if (s < 3600) return Math.floor(s / 60) + 'm ago';
  if (s < 86400) return Math.floor(s / 3600) + 'h ago';
  return Math.floor(s / 86400) + 'd ago';
}

/** "2026-12-01 10:00:03" in UTC, for tables. */
export function stamp(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toISOString().slice(0, 19).replace('T', ' ');
}

/** The tag of an image reference, '' when it has none (or a digest). */
export function imageTag(ref) {
  const at = ref.indexOf('@');
  if (at >= 0) return '';
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(colon + 1) : '';
}

/** The same reference with another tag: a registry host's port is not a tag. */
export function withTag(ref, tag) {
  const at = ref.indexOf('@');
  let base = at >= 0 ? ref.slice(0, at) : ref;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  if (colon > slash) base = base.slice(0, colon);
  return base + ':' + tag;
}

/** A tag as docker takes it: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
export function validTag(tag) {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
}

/**
 * The body of a deploy that changes only the image tag: the latest version's manifest with the
 * new tag, without `instances` (so a scaled app keeps its count) and without empty fields.
 */
export function redeployBody(manifest, tag) {
  const out = {};
  for (const [k, v] of Object.entries(manifest)) {
    if (v == null || k === 'instances') continue;
    out[k] = v;
  }
  out.image = withTag(manifest.image, tag);
  return out;
}

/**
 * How an app stands, from its status and instances: healthy when every wanted instance is
 * running and, for an app with routes, in traffic — unless no router sends it any traffic at all
 * (no router serves its group, as in `berth dev --no-router`), where running is enough. Without
 * `instances` (null) it counts the status's running instances.
 * @returns {{state: string, text: string, wanted: number, ok: number}}
 */
export function appHealth(status, instances) {
  const live = (status && status.versions) || [];
  const wanted = live.reduce((n, v) => n + v.instances, 0);
  const want = new Map(live.map((v) => [v.version, v.instances]));
  const list = instances || [];
  const inSlot = list.filter((i) => i.index < (want.get(i.version) ?? 0));
  const routes = status && status.routes && status.routes.length > 0;
  const anyRouted = list.some((i) => i.routed);
  // Without the instances (not loaded yet, or the user may not read them) the status's counts tell what runs.
  const ok = instances == null ? live.reduce((n, v) => n + v.running, 0)
    : inSlot.filter((i) => String(i.state).toLowerCase() === 'running' && (!routes || !anyRouted || i.routed)).length;
  const crashed = inSlot.filter((i) => String(i.state).toLowerCase() === 'crashed').length;
  const phase = status && status.rollout && status.rollout.phase;
  const rolling = phase === 'progressing' || phase === 'canary';
  const h = (state, text) => ({ state, text, wanted, ok });
  if (status && status.removing) return h('removing', 'the app is being removed');
  if (wanted === 0) return h('stopped', 'no instances wanted');
  const running = `${ok}/${wanted} running` + (routes && instances != null ? ' and in traffic' : '');
  if (ok >= wanted && !rolling) return h('healthy', running);
  if (crashed > 0) return h('degraded', `${running}, ${crashed} crashed`);
  if (rolling) return h(phase, running);
  return h('starting', running);
}

/** May the signed-in user take `action` on a resource? Unknown memberships (an older manager): offer it, the API decides. */
export function may(me, kind, name, action) {
  if (!me) return false;
  if (me.admin) return true;
  if (!Array.isArray(me.memberships)) return true;
  return me.memberships.some((m) => m.kind === kind && m.name === name && (m.actions || []).includes(action));
}

/** A manifest (JSON) as YAML text, for reading. */
export function yaml(v, indent = '') {
  if (v == null) return 'null';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every((x) => typeof x !== 'object' || x == null)) return '[' + v.map(scalar).join(', ') + ']';
    return v.map((x) => '\n' + indent + '- ' + yaml(x, indent + '  ').trimStart()).join('');
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => v[k] != null);
    if (keys.length === 0) return '{}';
    return keys.map((k) => {
      const x = v[k];
      const inner = typeof x === 'object' && !(Array.isArray(x) && x.every((y) => typeof y !== 'object')) && Object.keys(x).length
        ? yaml(x, indent + '  ') : ' ' + yaml(x, indent + '  ');
      return '\n' + indent + k + ':' + (inner.startsWith('\n') ? inner : inner);
    }).join('').replace(/^\n/, indent === '' ? '' : '\n');
  }
  return scalar(v);
}

function scalar(x) {
  if (typeof x === 'string') return /^[\w./@%+-]+$/.test(x) && !/^(true|false|null|yes|no|[\d.]+)$/i.test(x) ? x : JSON.stringify(x);
  return String(x);
}

/** The last non-null value of a series, or null. */
export function last(series) {
  if (!series) return null;
  for (let i = series.length - 1; i >= 0; i--) if (series[i] != null) return series[i];
  return null;
}

/** The versions in traffic, "v3" or "v3 + v4" during a rollout. */
export function liveVersions(app) {
  const live = (app.versions || []).filter((v) => v.instances > 0 || app.versions.length === 1);
  return live.length ? live.map((v) => 'v' + v.version).join(' + ') : '–';
}
