// Bad input and faults: an expired session returns to sign-in keeping the half-filled form, an API
// error shows the message it carries, a lost connection shows the banner and recovers by itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, browser, page, signIn, fillSignIn, go, api, control } from './lib.mjs';

let b;
let p;

before(async () => {
  b = await browser();
  p = await page(b);
  await signIn(p, env.admin);
});

after(async () => {
  await b?.close();
});

test('an API error shows the message the API sent', async () => {
  const bad = 'name: Not_A_Valid_Name\nimage: berth/busybox:1\n';
  const direct = await api('/v1/apps?dry_run=true', { method: 'POST', body: bad });
  assert.equal(direct.status, 400, direct.text);
  await go(p, '#/apps');
  await p.click('[data-testid=new-app]');
  await p.fill('textarea[name=manifest]', bad);
  await p.click('[data-testid=new-app-submit]');
  await p.waitForSelector('[data-testid=error]');
  await p.waitForFunction((m) => document.querySelector('[data-testid=error]').textContent.includes(m), direct.json.message);
});

test('a revoked session returns to sign-in and the half-filled form comes back after it', async () => {
  await go(p, '#/apps');
  await p.reload();
  await p.waitForSelector('[data-testid=new-app]');
  await p.click('[data-testid=new-app]');
  const draft = 'name: half-filled\nimage: berth/busybox:1\n# not finished yet\n';
  await p.fill('textarea[name=manifest]', draft);
  // The session ends as an expired one does: every later call with its token is a 401.
  const mine = await api(`/v1/tokens?user=${encodeURIComponent(env.admin.user)}`);
  const session = await p.evaluate(() => sessionStorage.getItem('berth.token'));
  for (const t of mine.json) {
    if (t.kind === 'session' || t.name === 'login' || session.includes(t.id)) await api(`/v1/tokens/${t.id}`, { method: 'DELETE' });
  }
  assert.equal((await api('/v1/whoami', { token: session })).status, 401, 'the session is over');
  // The first call that carries the revoked token meets the 401: the submit, or one the page makes on its
  // own (the stream it opens after the reload, the refresh that follows, a live change) if that lands first,
  // later on a loaded machine. Either way the page goes to sign-in keeping the form, so submit only if it is
  // still there, in one step inside the page: a click still waiting for a button that is gone would hang.
  await p.evaluate(() => document.querySelector('[data-testid=new-app-submit]')?.click());
  await p.waitForSelector('input[name=user]');
  assert.match(p.url(), /#\/login\?next=/);
  await fillSignIn(p, env.admin);
  await p.waitForSelector('textarea[name=manifest]');
  assert.equal(await p.inputValue('textarea[name=manifest]'), draft);
  assert.equal((await api('/v1/apps/half-filled')).status, 404, 'nothing was deployed on the way');
});

const lost = () => /lost/i.test(document.querySelector('[data-testid=connection]')?.textContent || '');
const back = () => {
  const c = document.querySelector('[data-testid=connection]');
  return !c || c.offsetParent === null || !/lost/i.test(c.textContent);
};

test('the manager stopped shows the banner, which clears by itself once it is back', { skip: !env.control && 'needs ConsoleIT to stop and start berth dev (BERTH_CONTROL)' }, async () => {
  await go(p, '#/');
  await p.waitForSelector('[data-testid=whoami]');
  assert.equal(await p.isVisible('[data-testid=connection]'), false, 'no banner while connected');
  await control('stop');
  await p.waitForFunction(lost, null, { timeout: 30_000 });
  await control('start');
  await p.waitForFunction(back, null, { timeout: 60_000 });
  await go(p, '#/nodes'); // and the pages read again
  await p.waitForFunction(() => !document.querySelector('[data-testid=error]')?.textContent, null, { timeout: 20_000 });
});

test('a lost connection shows the banner, which clears by itself when the manager answers again', { skip: !!env.control && 'the manager itself was stopped above' }, async () => {
  await go(p, '#/');
  await p.waitForSelector('[data-testid=whoami]');
  assert.equal(await p.isVisible('[data-testid=connection]'), false, 'no banner while connected');
  await p.context().setOffline(true); // ends the open stream too, as a manager that stopped would
  await p.route('**/v1/**', (r) => r.abort('connectionrefused'));
  await go(p, '#/nodes');
  await p.waitForFunction(lost, null, { timeout: 30_000 });
  await p.unroute('**/v1/**');
  await p.context().setOffline(false);
  await p.waitForFunction(back, null, { timeout: 45_000 });
});
