// An administrator's tour, the scenario: sign in, deploy an app from the "new app" form, watch
// it become healthy, scale it to 2, see its chart and logs, deploy a new version by its image tag
// alone, roll back; the main pages' screenshots on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, browser, page, signIn, go, shot, api, until, awaitInstances, manifest } from './lib.mjs';

let b;
let p;
const app = env.app;

before(async () => {
  b = await browser();
  p = await page(b);
});

after(async () => {
  await b?.close();
});

test('an administrator signs in and sees the dashboard and the nodes', async () => {
  await signIn(p, env.admin);
  assert.match(await p.textContent('[data-testid=whoami]'), new RegExp(env.admin.user));
  const nodes = (await api('/v1/nodes')).json;
  assert.ok(nodes.length >= 1, 'berth dev has its node');
  await p.waitForFunction((n) => document.body.innerText.includes(n), nodes[0].name); // the dashboard lists it
  await shot(p, 'dashboard');
  await p.click('a[href="#/nodes"]');
  await p.waitForFunction((n) => document.body.innerText.includes(n), nodes[0].name);
  await shot(p, 'nodes');
});

test('a deploy from the new-app form becomes healthy', async () => {
  await p.click('a[href="#/apps"]');
  await p.click('[data-testid=new-app]');
  await p.fill('textarea[name=manifest]', manifest(app));
  await p.click('[data-testid=new-app-submit]');
  // The console may stay on the list or open the new app's page: either way the list then has its row.
  await p.waitForSelector(`[data-testid=app-row][data-app="${app}"], [data-testid=app-health]`);
  await p.click('a[href="#/apps"]');
  await p.waitForSelector(`[data-testid=app-row][data-app="${app}"]`);
  await shot(p, 'apps');
  await p.click(`[data-testid=app-row][data-app="${app}"] a[href="#/apps/${app}"]`);
  await p.waitForFunction(() => /healthy/.test(document.querySelector('[data-testid=app-health]')?.textContent || ''), null,
    { timeout: 60_000 });
  await awaitInstances(p, 1, 1);
  const [row] = await p.$$eval('[data-testid=instance-row]', (rs) => rs.map((r) => r.getAttribute('data-node')));
  assert.ok(row, 'an instance row names its node');
  await p.waitForSelector('[data-testid=version-row][data-version="1"]');
});

test('scaling to 2 shows two running instances', async () => {
  await p.click('[data-testid=scale]');
  await p.fill('input[name=instances]', '2');
  await p.click('[data-testid=scale-submit]');
  await awaitInstances(p, 2, 1);
  const status = (await api(`/v1/apps/${app}`)).json;
  assert.equal(status.instances, 2, 'the API agrees');
});

test('the logs tail shows what the instances print', async () => {
  await p.waitForFunction(() => /serving v1/.test(document.querySelector('[data-testid=logs]')?.textContent || ''), null,
    { timeout: 30_000 });
});

test('the charts draw the app\'s samples', async () => {
  for (const c of ['chart-cpu', 'chart-memory', 'chart-network']) {
    await p.waitForFunction((id) => Number(document.querySelector(`svg[data-testid=${id}]`)?.getAttribute('data-points') || 0) >= 1,
      c, { timeout: 40_000 });
  }
});

test('the app page at 1280 px and at 375 px', async () => {
  await shot(p, 'app');
  const narrow = await page(b, 375);
  await signIn(narrow, env.admin, `#/apps/${app}`);
  await go(narrow, `#/apps/${app}`);
  await narrow.waitForSelector('[data-testid=instance-row]');
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `the app page fits 375 px (it is ${overflow} px wider)`);
  await shot(narrow, 'app-375');
  await narrow.context().close();
});

test('a new version by its image tag alone, then a rollback to the one before', async () => {
  await p.click('[data-testid=deploy]');
  await p.fill('input[name=image_tag]', '2');
  await p.click('[data-testid=deploy-submit]');
  await p.waitForSelector('[data-testid=version-row][data-version="2"]');
  await awaitInstances(p, 2, 2, 90_000);
  const v2 = (await api(`/v1/apps/${app}/versions/2`)).json;
  assert.equal(v2.image, 'berth/busybox:2', 'only the tag changed');
  // Only the tag changed (a new version takes the app's current instance count, 2 since the scale).
  const same = (m) => ({ ...m, image: undefined, instances: undefined });
  assert.deepEqual(same(v2.manifest), same((await api(`/v1/apps/${app}/versions/1`)).json.manifest));
  await until('the rollout of v2 to finish', async () => !(await api(`/v1/apps/${app}`)).json.rollout
    || (await api(`/v1/apps/${app}`)).json.rollout.phase !== 'progressing', 60_000);
  await p.click('[data-testid=rollback]');
  await p.click('[data-testid=rollback-submit]');
  await awaitInstances(p, 2, 1, 90_000);
  await p.waitForFunction(() => /healthy/.test(document.querySelector('[data-testid=app-health]')?.textContent || ''), null,
    { timeout: 60_000 });
  assert.match(await p.textContent('[data-testid=events]'), /roll/i, 'the events list the rollback');
});

test('the operator view counts the deploys and scales and shows the audit', async () => {
  await p.click('a[href="#/operator"]');
  await p.waitForSelector('[data-testid=operations]');
  await p.waitForSelector('[data-testid=audit]');
  await p.waitForFunction((a) => document.querySelector('[data-testid=audit]').textContent.includes(a), app);
  const stats = (await api('/v1/stats/operations?days=14')).json;
  assert.ok(stats.totals.deploys >= 2 && stats.totals.scales >= 1 && stats.totals.rollbacks >= 1, JSON.stringify(stats.totals));
  await shot(p, 'operator');
  await p.click('a[href="#/containers"]');
  await p.waitForFunction((a) => document.body.innerText.includes(a), app);
});
