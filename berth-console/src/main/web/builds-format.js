// The builds page's words for a run: its state with its place in the queue, and how long it took.

/** `queued (2nd)` while a run waits for its node. */
export function runState(r) {
  const s = r.state || r.outcome || '-';
  if (s !== 'queued' || typeof r.place !== 'number') return s;
  const n = r.place;
  const th = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] || 'th');
  return `queued (${n}${th})`;
}

export function runDuration(r, now = Date.now()) {
  if (!r.started_at) return '-';
  const s = Math.round(((r.ended_at ? Date.parse(r.ended_at) : now) - Date.parse(r.started_at)) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}
