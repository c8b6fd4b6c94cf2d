// What the console's browser tests share: the environment ConsoleIT gives them, Debian's chromium
// through playwright-core, signing in through the form, screenshots, and direct API calls.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where berth dev answers, and who signs in (ConsoleIT sets these; see berth-it's ConsoleIT). */
export const env = {
  url: need('BERTH_URL').replace(/\/$/, ''),
  adminToken: need('BERTH_ADMIN_TOKEN'),
  admin: { user: process.env.BERTH_ADMIN_USER || 'admin', password: process.env.BERTH_ADMIN_PASSWORD || need('BERTH_ADMIN_TOKEN') },
  guest: { user: process.env.BERTH_GUEST_USER || 'gus', password: process.env.BERTH_GUEST_PASSWORD || '' },
  app: process.env.BERTH_APP || 'hello',
  screenshots: process.env.SCREENSHOTS || '',
  // A directory where ConsoleIT stops and starts berth dev on request (see control()); unset when run by hand.
  control: process.env.BERTH_CONTROL || '',
};

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`the console's e2e tests need ${name} (ConsoleIT sets it; see berth-console/e2e/README.md)`);
  return v;
}

/** Flags for a headless chromium that reaches nothing but the manager. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export async function browser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A fresh page (its own sessionStorage) at {@code width} px, default timeouts short enough that a stuck step fails fast. */
export async function page(b, width = 1280) {
  const context = await b.newContext({ viewport: { width, height: width < 600 ? 800 : 900 } });
  const p = await context.newPage();
  p.setDefaultTimeout(20_000);
  p.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
  return p;
}

/** Opens the console and signs in through the form, waiting until whoami shows the user. */
export async function signIn(p, who, hash = '#/') {
  await p.goto(`${env.url}/${hash}`);
  await p.waitForSelector('input[name=user]');
  await fillSignIn(p, who);
  await p.waitForSelector('[data-testid=whoami]');
  await p.waitForFunction((u) => document.querySelector('[data-testid=whoami]')?.textContent.includes(u), who.user);
}

/** Fills and submits the sign-in form the page shows now. */
export async function fillSignIn(p, who) {
  await p.fill('input[name=user]', who.user);
  await p.fill('input[name=password]', who.password);
  await p.click('button[type=submit]');
}

/** Asks ConsoleIT to {@code stop} or {@code start} the manager and waits until it answers {@code stopped} / {@code started}. */
export async function control(what, ms = 90_000) {
  const done = join(env.control, what === 'stop' ? 'stopped' : 'started');
  rmSync(done, { force: true });
  writeFileSync(join(env.control, what), '');
  await until(`berth dev to ${what}`, () => existsSync(done), ms);
}

/** Goes to a hash route of the console, as a user clicking its link would. */
export async function go(p, hash) {
  await p.evaluate((h) => { location.hash = h; }, hash);
}

/** Saves {@code name}.png in $SCREENSHOTS (nothing when unset). */
export async function shot(p, name) {
  if (!env.screenshots) return;
  mkdirSync(env.screenshots, { recursive: true });
  await p.waitForTimeout(300); // let a refetch triggered by the last step paint
  await p.screenshot({ path: join(env.screenshots, `${name}.png`), fullPage: true });
}

/** Calls the API directly (the test's own check of what the page shows), as the admin unless a token is given. */
export async function api(path, { method = 'GET', body, token = env.adminToken } = {}) {
  const r = await fetch(env.url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* text/plain */ }
  return { status: r.status, json, text };
}

/** Polls {@code check} (async, truthy when done) until it is or {@code ms} pass; fails with {@code what}. */
export async function until(what, check, ms = 30_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}

/** The instance rows the app page shows: [{state, node, version}]. */
export async function instanceRows(p) {
  return p.$$eval('[data-testid=instance-row]', (rows) => rows.map((r) => ({
    state: r.getAttribute('data-state'), node: r.getAttribute('data-node'), version: r.getAttribute('data-version'),
  })));
}

/** Waits until the app page shows exactly {@code n} instance rows, all running at {@code version}. */
export async function awaitInstances(p, n, version, ms = 60_000) {
  await p.waitForFunction(([n, v]) => {
    const rows = [...document.querySelectorAll('[data-testid=instance-row]')];
    return rows.length === n && rows.every((r) => r.getAttribute('data-state') === 'running' && r.getAttribute('data-version') === String(v));
  }, [n, version], { timeout: ms });
}

/** Deploys the tests' app when it is not there (a file run alone, without the administrator's tour), then gives {@code user} {@code role} in it. */
export async function appWithMember(app, user, role) {
  if ((await api(`/v1/apps/${app}`)).status === 404) {
    const r = await api('/v1/apps', { method: 'POST', body: manifest(app) });
    if (r.status !== 201) throw new Error(`deploying ${app}: ${r.status} ${r.text}`);
  }
  const m = await api(`/v1/members/app/${app}/${user}`, { method: 'PUT', body: { role } });
  if (m.status !== 200) throw new Error(`making ${user} ${role} of ${app}: ${m.status} ${m.text}`);
}

/** The manifest of the app the tests deploy: busybox's httpd, a line in its log, no route (berth dev runs no router here). */
export function manifest(name, tag = '1') {
  return [
    `name: ${name}`,
    `image: berth/busybox:${tag}`,
    'command: [/bin/sh, -c, "mkdir -p /www && echo hello from $BERTH_APP_VERSION > /www/index.html && echo serving $BERTH_APP_VERSION && exec httpd -f -p 8080 -h /www"]',
    'instances: 1',
    'memory: 32m',
    'ports: [8080]',
    'health: {http: /, port: 8080, interval: 1s, timeout: 500ms, start_timeout: 20s}',
    'deploy: {strategy: rolling, max_surge: 1, max_unavailable: 0, min_healthy: 1s}',
    '',
  ].join('\n');
}
