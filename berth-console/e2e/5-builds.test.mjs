// The builds pages (issue 20) on a build created through the API: the list, the build's runs, a run's
// log, and a run started from the console's Run form. No build node or git server is needed: the
// repository does not answer, so a run waits for a build node or fails at "clone" with git's message.
// With BERTH_GIT_URL (a repository with a Dockerfile, as ConsoleIT serves one), a build is also made
// with the create form and run to its end: the log streams each step with its time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, browser, page, signIn, shot, api, until } from './lib.mjs';

let b;
let p;
const BUILD = 'e2e-build';
const ENDED = ['ok', 'failed', 'cancelled'];

before(async () => {
  const created = await api('/v1/builds', { method: 'POST', body: { name: BUILD, git_url: 'http://127.0.0.1:9/nothing.git', branch: 'main' } });
  assert.ok(created.status === 200 || created.status === 201 || created.status === 409, created.text);
  const run = await api(`/v1/builds/${BUILD}/runs`, { method: 'POST', body: {} });
  assert.ok(run.status < 300, run.text);
  b = await browser();
  p = await page(b);
});

after(async () => {
  await b?.close();
});

test('the builds list shows a build created through the API', async () => {
  await signIn(p, env.admin, '#/builds');
  await p.click('a[href="#/builds"]');
  const row = `[data-testid=build-row][data-build="${BUILD}"]`;
  await p.waitForSelector(row);
  assert.match(await p.textContent(row), /127\.0\.0\.1:9\/nothing\.git/);
  await p.click(`${row} a[href="#/builds/${BUILD}"]`);
  await p.waitForSelector('[data-testid=run-row][data-run="1"]');
});

test('a run\'s log opens from its row, and a failed run names its step', async () => {
  await p.click('[data-testid=run-row][data-run="1"]');
  await p.waitForSelector('[data-testid=run-log]');
  // With a build node (berth dev's) the clone fails within seconds; without one the run waits in the queue.
  const run = await until('run 1 to end', async () => {
    const r = (await api(`/v1/builds/${BUILD}/runs/1`)).json;
    return r && ENDED.includes(r.state) && r;
  }, 40_000).catch(() => null);
  if (run) {
    assert.equal(run.state, 'failed', JSON.stringify(run));
    assert.equal(run.failed_step, 'clone', JSON.stringify(run));
    // The log, followed to the run's end, closes with "run 1 failed at clone…".
    await p.waitForFunction(() => /failed at clone/.test(document.querySelector('[data-testid=run-log]')?.textContent || ''), null,
      { timeout: 20_000 });
    await p.waitForFunction(() => /failed/.test(document.querySelector('[data-testid=run-row][data-run="1"]')?.textContent || ''));
  } else {
    await p.waitForFunction(() => /queued|running/.test(document.querySelector('[data-testid=run-row][data-run="1"]')?.textContent || ''));
  }
  await shot(p, 'build');
});

test('the Run form starts run 2, shown in the runs', async () => {
  await p.waitForSelector('[data-testid=run-submit]');
  await p.click('[data-testid=run-submit]');
  await p.waitForSelector('[data-testid=run-row][data-run="2"]');
  await p.waitForSelector('[data-testid=run-log]');
  const runs = (await api(`/v1/builds/${BUILD}/runs`)).json;
  assert.ok(runs.some((r) => r.number === 2 && r.trigger === 'manual'), JSON.stringify(runs));
});

test('a build made with the create form runs to its image, its log showing each step\'s time', { skip: !process.env.BERTH_GIT_URL }, async () => {
  await p.goto(`${env.url}/#/builds`);
  await p.fill('[data-testid=build-create] input[name=name]', 'site');
  await p.fill('[data-testid=build-create] input[name=git_url]', process.env.BERTH_GIT_URL);
  await p.fill('[data-testid=build-create] input[name=branch]', 'main');
  await p.click('[data-testid=build-create] button[type=submit]');
  await p.waitForURL(/#\/builds\/site$/);
  await p.waitForSelector('[data-testid=run-submit]');
  await p.click('[data-testid=run-submit]');
  await p.waitForSelector('[data-testid=run-row][data-run="1"]');
  // The log follows the run live to its end: each step opens with its name and closes with its time.
  await p.waitForFunction(() => /run 1 (ok|failed)/.test(document.querySelector('[data-testid=run-log]')?.textContent || ''), null,
    { timeout: 120_000 });
  const log = await p.textContent('[data-testid=run-log]');
  assert.match(log, /run 1 ok, image \S+\/site:[0-9a-f]{7}/, log);
  for (const step of ['clone', 'image', 'push']) assert.match(log, new RegExp(`==> ${step}[\\s\\S]*<== ${step} ok in [0-9.]+s`), log);
  await p.waitForFunction(() => /clone [0-9.]+s.*image [0-9.]+s.*push [0-9.]+s/.test(
    document.querySelector('[data-testid=run-row][data-run="1"]')?.textContent || ''));
  await shot(p, 'build-ok');
});
