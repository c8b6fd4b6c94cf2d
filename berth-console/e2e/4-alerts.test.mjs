// Alerts and the forecast: a rule added through the API shows in the app's alerts tab with its
// history and fires (instances_running < 5 with for: 0s holds at once on the tour's app); the
// administrator mutes and unmutes it there and finds it in the cluster's view; a developer reads it
// without Mute; a guest is offered nothing; the dashboard shows the capacity forecast.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, browser, page, signIn, go, shot, api, until, appWithMember } from './lib.mjs';

let b;
let p;
const app = env.app;
const RULE = 'too-few';
const DEV = { user: 'devon', password: 'console-e2e-dev-pw' };
const row = `[data-testid=alert-rule][data-rule="${RULE}"]`;

before(async () => {
  await appWithMember(app, env.guest.user, 'guest');
  const rule = await api(`/v1/apps/${app}/alerts`, {
    method: 'POST', body: { name: RULE, when: 'instances_running < 5', for: '0s', severity: 'critical' },
  });
  assert.ok(rule.status === 201 || rule.status === 409, rule.text);
  const user = await api('/v1/users', { method: 'POST', body: { name: DEV.user, password: DEV.password } });
  assert.ok(user.status === 200 || user.status === 409, user.text);
  await appWithMember(app, DEV.user, 'developer');
  b = await browser();
  p = await page(b);
});

after(async () => {
  await b?.close();
});

test('the alerts tab shows a rule added through the API, firing, and its history', async () => {
  await signIn(p, env.admin, `#/apps/${app}`);
  await go(p, `#/apps/${app}`);
  await p.click('[data-testid=tab-alerts]');
  await p.waitForSelector(row);
  assert.match(await p.textContent(row), /instances_running < 5/);
  // Evaluated every 10 s; the tab asks every 5 s.
  await p.waitForSelector(`${row}[data-state=firing]`, { timeout: 40_000 });
  await p.waitForSelector(`[data-testid=alert-history] [data-testid=alert-transition][data-rule="${RULE}"][data-to=firing]`,
    { timeout: 20_000 });
  const history = (await api(`/v1/apps/${app}/alerts/history`)).json;
  assert.ok(history.some((t) => t.rule === RULE && t.to === 'firing'), JSON.stringify(history));
  await shot(p, 'alerts');
  // The overview's tab says it too.
  await p.click('[data-testid=tab-overview]');
  await p.waitForFunction(() => /1 firing/.test(document.querySelector('[data-testid=tab-alerts]')?.textContent || ''), null,
    { timeout: 20_000 });
  await p.click('[data-testid=tab-alerts]');
  await p.waitForSelector(row);
});

test('the alerts tab fits 375 px', async () => {
  const narrow = await page(b, 375);
  await signIn(narrow, env.admin, `#/apps/${app}/alerts`);
  await go(narrow, `#/apps/${app}/alerts`);
  await narrow.waitForSelector(row);
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `the alerts tab fits 375 px (it is ${overflow} px wider)`);
  await narrow.context().close();
});

test('an owner\'s Mute 1h and Unmute reach the API', async () => {
  await p.click(`${row} [data-testid=alert-mute]`);
  await p.waitForSelector(`${row}[data-muted=true]`);
  const rule = (await api(`/v1/apps/${app}/alerts`)).json.find((r) => r.name === RULE);
  const left = Date.parse(rule.muted_until) - Date.now();
  assert.ok(left > 55 * 60_000 && left <= 61 * 60_000, `muted for about an hour: ${rule.muted_until}`);
  await p.click(`${row} [data-testid=alert-unmute]`);
  await p.waitForSelector(`${row}[data-muted=false]`);
  assert.equal((await api(`/v1/apps/${app}/alerts`)).json.find((r) => r.name === RULE).muted_until, null);
  // A custom mute the API refuses shows its message, and nothing changes.
  await p.click(`${row} [data-testid=alert-mute-custom]`);
  await p.fill(`${row} input[name=mute_for]`, '31d');
  await p.click(`${row} [data-testid=alert-mute-submit]`);
  await p.waitForFunction(() => /30d/.test(document.querySelector('[data-testid=error]')?.textContent || ''));
  assert.equal((await api(`/v1/apps/${app}/alerts`)).json.find((r) => r.name === RULE).muted_until, null);
});

test('the administrators\' alerts view lists the firing alert and the history', async () => {
  await p.click('a[href="#/alerts"]');
  await p.waitForSelector(`[data-testid=active-alert][data-app="${app}"][data-rule="${RULE}"][data-state=firing]`);
  await p.waitForSelector(`[data-testid=cluster-alert-history] [data-testid=alert-transition][data-app="${app}"][data-to=firing]`);
  await p.waitForSelector('[data-testid=alert-notifications]');
  await shot(p, 'alerts-cluster');
});

test('a developer reads the rules but is offered no Mute, New rule or Remove', async () => {
  const dev = await page(b);
  await signIn(dev, DEV, `#/apps/${app}/alerts`);
  await go(dev, `#/apps/${app}/alerts`);
  await dev.waitForSelector(row);
  await dev.waitForSelector('[data-testid=alerts-read-only]');
  for (const hook of ['alert-mute', 'alert-unmute', 'alert-mute-custom', 'alert-remove', 'alert-add']) {
    assert.equal(await dev.$(`[data-testid=${hook}]`), null, `no ${hook} for a developer`);
  }
  assert.equal(await dev.$('.top nav a[href="#/alerts"]'), null, 'the cluster view is linked for administrators only');
  await dev.context().close();
});

test('a guest gets no mute button, and a direct mute is refused with the role it needs', async () => {
  const guest = await page(b);
  await signIn(guest, env.guest, `#/apps/${app}/alerts`);
  await go(guest, `#/apps/${app}/alerts`);
  await guest.waitForSelector('[data-testid=app-tabs]');
  await guest.waitForTimeout(500);
  assert.equal(await guest.$('[data-testid=alert-mute]'), null, 'no mute button');
  assert.equal(await guest.$('[data-testid=alert-add]'), null, 'no new rule');
  const r = await guest.evaluate(async ([url, app, rule]) => {
    const res = await fetch(`${url}/v1/apps/${app}/alerts/${rule}/mute`, {
      method: 'POST', headers: { Authorization: `Bearer ${sessionStorage.getItem('berth.token')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ for: '1h' }),
    });
    return { status: res.status, body: await res.json() };
  }, [env.url, app, RULE]);
  assert.equal(r.status, 403);
  assert.match(r.body.message, /master or owner/);
  await guest.context().close();
});

test('the dashboard shows the capacity forecast, the cluster and each node', async () => {
  await go(p, '#/');
  const sel = '[data-testid=forecast-row][data-node=cluster][data-resource=memory] [data-testid=forecast-says]';
  await p.waitForSelector(sel);
  assert.match(await p.textContent(sel), /not enough data|no growth|full/);
  const f = await until('the forecast', async () => (await api('/v1/nodes/forecast')).json);
  for (const n of f.nodes) await p.waitForSelector(`[data-testid=forecast-row][data-node="${n.name}"][data-resource=cpu]`);
  assert.match(await p.textContent('[data-testid=forecast-window]'), /over the last \d+[hm]/);
  await shot(p, 'dashboard-forecast');
});
