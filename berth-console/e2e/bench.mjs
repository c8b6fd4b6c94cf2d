// The console's benchmark, driven by berth-bench's ConsoleBench (scripts/bench console) against a
// berth dev it started: first load (bytes over the wire, time to the sign-in form, time from
// sign-in to the dashboard painted with data) against index.html alone; and how long after an
// instance changes state (docker kill of its container) the app page shows it, against polling the
// API's /v1/apps/N/instances. Prints one JSON object; never asserts.
import { execFile } from 'node:child_process';
import { env, browser, page, api, until } from './lib.mjs';

const runs = Number(process.env.RUNS || 5);
const kills = Number(process.env.KILLS || 5);
const engine = process.env.BERTH_ENGINE; // the engine's docker host, for the kill
const app = env.app;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; };

/** Bytes on the wire of every response the page got (encoded bodies plus headers), and how many. */
function meter(p) {
  const m = { bytes: 0, requests: 0, pending: [] };
  p.on('requestfinished', (r) => {
    m.requests++;
    m.pending.push(r.sizes().then((s) => { m.bytes += s.responseBodySize + s.responseHeadersSize; }).catch(() => {}));
  });
  return m;
}

async function firstLoad(b) {
  const p = await page(b);
  const m = meter(p);
  const t0 = performance.now();
  await p.goto(`${env.url}/`);
  await p.waitForSelector('input[name=user]:not([disabled])');
  await p.waitForSelector('button[type=submit]:not([disabled])');
  const interactive = performance.now() - t0;
  await Promise.all(m.pending);
  const loadBytes = m.bytes;
  const loadRequests = m.requests;
  await p.fill('input[name=user]', env.admin.user);
  await p.fill('input[name=password]', env.admin.password);
  const t1 = performance.now();
  await p.click('button[type=submit]');
  const node = (await api('/v1/nodes')).json[0].name;
  await p.waitForFunction((n) => document.querySelector('[data-testid=whoami]') && document.body.innerText.includes(n), node);
  const dashboard = performance.now() - t1;
  await p.context().close();
  return { interactive, dashboard, loadBytes, loadRequests };
}

/** The baseline: the same index.html with every other request refused, to its load event. */
async function indexAlone(b) {
  const p = await page(b);
  const m = meter(p);
  await p.route('**/*', (r) => (new URL(r.request().url()).pathname === '/' ? r.continue() : r.abort()));
  const t0 = performance.now();
  await p.goto(`${env.url}/`, { waitUntil: 'load' });
  const ms = performance.now() - t0;
  await Promise.all(m.pending);
  await p.context().close();
  return { ms, bytes: m.bytes };
}

/** What the API says of the app's instances, as a string that changes when any of them does. */
async function apiSignature() {
  const r = await api(`/v1/apps/${app}/instances`);
  return JSON.stringify((r.json || []).map((i) => [i.index, i.state, i.instance_guid, i.crash_count, i.since]));
}

async function stateChange(b) {
  const p = await page(b);
  await p.goto(`${env.url}/#/login`);
  await p.fill('input[name=user]', env.admin.user);
  await p.fill('input[name=password]', env.admin.password);
  await p.click('button[type=submit]');
  await p.waitForSelector('[data-testid=whoami]');
  await p.evaluate((h) => { location.hash = h; }, `#/apps/${app}`);
  const out = [];
  for (let k = 0; k < kills; k++) {
    await until('2 running instances', async () => (await api(`/v1/apps/${app}/instances`)).json
      .filter((i) => i.state.toLowerCase() === 'running').length === 2, 90_000);
    await p.waitForFunction(() => [...document.querySelectorAll('[data-testid=instance-row]')]
      .filter((r) => r.getAttribute('data-state') === 'running').length === 2, null, { timeout: 60_000 });
    await p.waitForTimeout(1500); // let the refetches of the recovery settle
    // The page's side: the first change to the instance rows (attributes or text) after the kill, seen in the page.
    await p.evaluate(() => {
      // A relative time ("5 s ago") ticks by itself: a <time> counts by its datetime, as the API's since does.
      const row = (r) => {
        const c = r.cloneNode(true);
        for (const t of c.querySelectorAll('time')) t.textContent = t.getAttribute('datetime') || '';
        return r.getAttribute('data-state') + '|' + c.textContent;
      };
      const table = () => [...document.querySelectorAll('[data-testid=instance-row]')].map(row).join('\n');
      window.__before = table();
      window.__changedAt = 0;
      const obs = new MutationObserver(() => {
        if (!window.__changedAt && table() !== window.__before) window.__changedAt = Date.now();
      });
      obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      window.__obs = obs;
    });
    const before = await apiSignature();
    // The instance crashed least so far: one killed again and again backs off (Diego's restart policy) and stays down.
    const instances = (await api(`/v1/apps/${app}/instances`)).json.filter((i) => i.state.toLowerCase() === 'running');
    instances.sort((x, y) => x.crash_count - y.crash_count);
    const id = await new Promise((ok, fail) => execFile('docker', ['-H', engine, 'ps', '-q', '--filter',
      `label=io.berth.instance-guid=${instances[0].instance_guid}`], (e, out) => (e ? fail(e) : ok(out.trim()))));
    const victim = id ? { id } : (await api('/v1/containers')).json.find((c) => c.app === app && c.state === 'running');
    const t0 = Date.now();
    // The CLI takes a few hundred ms to start: the API is polled from the same instant the page is watched.
    let killed = 0;
    const kill = new Promise((ok, fail) => execFile('docker', ['-H', engine, 'kill', victim.id], (e) => {
      killed = Date.now();
      if (e) fail(e); else ok();
    }));
    let apiAt = 0;
    while (!apiAt && Date.now() - t0 < 60_000) { // the API polled as fast as a client reasonably would
      if ((await apiSignature()) !== before) apiAt = Date.now();
      else await new Promise((r) => setTimeout(r, 20));
    }
    const pageAt = await p.waitForFunction(() => window.__changedAt || 0, null, { timeout: 60_000, polling: 20 }).then((h) => h.jsonValue());
    await kill;
    await p.evaluate(() => window.__obs.disconnect());
    out.push({ kill: killed - t0, api: apiAt - t0, page: pageAt - t0 });
  }
  await p.context().close();
  return out;
}

/** Change events an administrator's stream carries in {@code ms} of a quiet cluster (2 instances running, nothing asked). */
async function idleEvents(ms) {
  const ctl = new AbortController();
  const r = await fetch(`${env.url}/v1/stream`, { headers: { Authorization: `Bearer ${env.adminToken}` }, signal: ctl.signal });
  const reader = r.body.getReader();
  const dec = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => ctl.abort(), ms);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += dec.decode(value);
    }
  } catch { /* aborted: the end of the window */ }
  clearTimeout(timer);
  return (text.match(/^event: change$/gm) || []).length;
}

const b = await browser();
try {
  await firstLoad(b); // warms the manager (its first answers JIT-compile) and the OS file cache; not reported
  await indexAlone(b);
  const loads = [];
  const bases = [];
  for (let i = 0; i < runs; i++) {
    loads.push(await firstLoad(b));
    bases.push(await indexAlone(b));
  }
  const changes = await stateChange(b);
  await until('2 running instances', async () => (await api(`/v1/apps/${app}/instances`)).json
    .filter((i) => i.state.toLowerCase() === 'running').length === 2, 90_000);
  await new Promise((r) => setTimeout(r, 5000));
  const idle = await idleEvents(20_000);
  console.log(JSON.stringify({
    runs,
    load_bytes: median(loads.map((l) => l.loadBytes)),
    load_requests: median(loads.map((l) => l.loadRequests)),
    interactive_ms: median(loads.map((l) => l.interactive)),
    dashboard_ms: median(loads.map((l) => l.dashboard)),
    index_bytes: median(bases.map((x) => x.bytes)),
    index_ms: median(bases.map((x) => x.ms)),
    changes,
    change_page_ms: median(changes.map((c) => c.page)),
    change_api_ms: median(changes.map((c) => c.api)),
    change_extra_ms: median(changes.map((c) => c.page - c.api)),
    idle_events_20s: idle,
  }));
} finally {
  await b.close();
}
