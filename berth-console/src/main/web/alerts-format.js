// Pure helpers of the alerts pages and the dashboard's forecast: no DOM, so node --test covers them.
// The forecast's numbers are written as `berth nodes --forecast` writes them (berth-cli NodesForecast).

/** Bytes as the CLI's forecast table writes them: "1.5 GiB" from 1 GiB up, whole MiB below. */
export function mib(n) {
  const GIB = 2 ** 30;
  return n >= GIB ? (n / GIB).toFixed(1) + ' GiB' : Math.floor(n / 2 ** 20) + ' MiB';
}

/** A forecast amount: bytes for memory, CPUs with two decimals; '-' when there is none. */
export function amount(v, memory) {
  if (v == null || isNaN(v)) return '-';
  return memory ? mib(v) : Number(v).toFixed(2);
}

/** A series' slope per hour with its sign, or '-' below the 10 samples a trend needs. */
export function trend(line, memory) {
  if (!line || !(line.samples >= 10)) return '-';
  const v = line.per_hour || 0;
  return (v < 0 ? '-' : '+') + amount(Math.abs(v), memory);
}

/** The window the trends are fitted over: "1h", "90m". */
export function windowText(seconds) {
  if (!(seconds > 0)) return '-';
  return seconds % 3600 === 0 ? seconds / 3600 + 'h' : Math.floor(seconds / 60) + 'm';
}

/**
 * The forecast (GET /v1/nodes/forecast) as table rows, the cluster first: one per node and
 * resource, with what the reserved and the used series say ("memory reserved full in ~3 d").
 */
export function forecastRows(f) {
  if (!f) return [];
  const parts = [f.cluster, ...(f.nodes || [])].filter(Boolean);
  const rows = [];
  for (const p of parts) {
    for (const resource of ['memory', 'cpu']) {
      const r = p[resource] || {};
      const memory = resource === 'memory';
      const reserved = r.reserved || {};
      const used = r.used || {};
      rows.push({
        node: p.name, resource, capacity: amount(r.capacity, memory),
        reserved: amount(reserved.now, memory), reservedTrend: trend(reserved, memory),
        used: amount(used.now, memory), usedTrend: trend(used, memory),
        says: [reserved.says, used.says].filter(Boolean).join('; '),
        fullIn: earliest(reserved.full_in_seconds, used.full_in_seconds),
      });
    }
  }
  return rows;
}

function earliest(a, b) {
  if (a == null) return b ?? null;
  return b == null ? a : Math.min(a, b);
}

/** Where a rule's notifications go: its webhooks and e-mails, else the app's owners and masters. */
export function receivers(rule) {
  const list = [...(rule.webhooks || []), ...(rule.emails || [])];
  return list.length ? list.join(', ') : 'owners and masters';
}

/** Is the rule muted at `now` (ms)? */
export function muted(rule, now = Date.now()) {
  return !!rule.muted_until && Date.parse(rule.muted_until) > now;
}

const ORDER = { firing: 0, pending: 1, resolved: 2, inactive: 3 };
const SEVERITY = { critical: 0, warning: 1, info: 2 };

/** Alerts firing first, then pending; the most severe first; the longest active first. */
export function byUrgency(list) {
  return (list || []).slice().sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9)
    || (SEVERITY[a.severity] ?? 9) - (SEVERITY[b.severity] ?? 9)
    || Date.parse(a.active_since || 0) - Date.parse(b.active_since || 0)
    || `${a.app}/${a.name}`.localeCompare(`${b.app}/${b.name}`));
}

/** Newest first, whatever order the API answered in. */
export function newestFirst(list, field = 'at') {
  return (list || []).slice().sort((a, b) => Date.parse(b[field]) - Date.parse(a[field]));
}

/** A notification's outcome in the console's three words: sent, failed or retrying (and the others as they are). */
export function delivery(outcome) {
  switch (outcome) {
    case 'delivered': return 'sent';
    case 'rejected': case 'gave-up': return 'failed';
    default: return outcome || '-';
  }
}


/** A transition's raw value, rounded for reading. */
export function number(v) {
  if (v == null || isNaN(v)) return '–';
  return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100);
}

/**
 * The body of POST /v1/apps/APP/alerts from the new-rule form: receivers comma- or space-separated,
 * URLs as webhooks and the rest as e-mails (the API checks both); empty fields left out.
 */
export function ruleBody({ name, when, forText, severity, receiverText }) {
  const list = (receiverText || '').split(/[\s,]+/).filter(Boolean);
  const body = { name: (name || '').trim(), when: (when || '').trim() };
  if (forText && forText.trim()) body.for = forText.trim();
  if (severity) body.severity = severity;
  const webhooks = list.filter((r) => r.includes('://'));
  const emails = list.filter((r) => !r.includes('://'));
  if (webhooks.length) body.webhooks = webhooks;
  if (emails.length) body.emails = emails;
  return body;
}
