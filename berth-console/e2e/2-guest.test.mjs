// A guest member of the app: the console offers no deploy or scale, and the API refuses a direct call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, browser, page, signIn, go, api, appWithMember } from './lib.mjs';

let b;
let p;
const app = env.app;

before(async () => {
  await appWithMember(app, env.guest.user, 'guest');
  b = await browser();
  p = await page(b);
});

after(async () => {
  await b?.close();
});

test('a guest sees the app in the list but is offered neither deploy nor scale', async () => {
  await signIn(p, env.guest);
  await p.click('a[href="#/apps"]');
  await p.waitForSelector(`[data-testid=app-row][data-app="${app}"]`);
  await go(p, `#/apps/${app}`);
  // A guest may view the app but not read it: the page says so (the API's message) rather than showing its instances.
  await p.waitForSelector('[data-testid=error], [data-testid=app-health]');
  assert.equal(await p.$('[data-testid=deploy]'), null, 'no deploy button');
  assert.equal(await p.$('[data-testid=scale]'), null, 'no scale button');
  assert.equal(await p.$('[data-testid=rollback]'), null, 'no rollback button');
  await go(p, '#/operator');
  await p.waitForTimeout(500);
  assert.equal(await p.$('[data-testid=operations] td'), null, 'no operation counts for a guest');
});

test('a direct scale with the guest\'s own token is refused with 403', async () => {
  await go(p, '#/apps');
  const r = await p.evaluate(async ([url, app]) => {
    const res = await fetch(`${url}/v1/apps/${app}/scale`, {
      method: 'POST', headers: { Authorization: `Bearer ${sessionStorage.getItem('berth.token')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ instances: 5 }),
    });
    return { status: res.status, body: await res.json() };
  }, [env.url, app]);
  assert.equal(r.status, 403);
  assert.equal(r.body.name, 'Forbidden');
  assert.match(r.body.message, /guest/);
  assert.equal((await api(`/v1/apps/${app}`)).json.instances !== 5, true, 'nothing changed');
});
