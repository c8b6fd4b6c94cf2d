// The alerts pages' and the forecast's pure helpers: the CLI's numbers, receivers, order, words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mib, amount, trend, windowText, forecastRows, receivers, muted, byUrgency, newestFirst, delivery, number, ruleBody } from '../../main/web/alerts-format.js';

test('amounts are written as berth nodes --forecast writes them', () => {
  assert.equal(mib(512 * 2 ** 20 + 12345), '512 MiB');
  assert.equal(mib(1.5 * 2 ** 30), '1.5 GiB');
  assert.equal(amount(null, true), '-');
  assert.equal(amount(2, false), '2.00');
  assert.equal(amount(0.125, false), '0.13');
});

test('a trend needs 10 samples and carries its sign', () => {
  assert.equal(trend({ samples: 9, per_hour: 5 }, false), '-');
  assert.equal(trend({ samples: 10, per_hour: 0.5 }, false), '+0.50');
  assert.equal(trend({ samples: 40, per_hour: -64 * 2 ** 20 }, true), '-64 MiB');
  assert.equal(trend({ samples: 40, per_hour: 0 }, true), '+0 MiB');
  assert.equal(trend(undefined, true), '-');
});

test('the window is in hours when whole, else minutes', () => {
  assert.equal(windowText(3600), '1h');
  assert.equal(windowText(5400), '90m');
  assert.equal(windowText(0), '-');
});

test('the forecast gives the cluster first, then each node, memory then CPU', () => {
  const line = (now, says, full = null) => ({ now, per_hour: 2 ** 30, full_in_seconds: full, samples: 12, says });
  const part = (name) => ({
    name,
    memory: { capacity: 8 * 2 ** 30, reserved: line(2 ** 31, 'memory reserved full in ~6 h', 21600), used: line(2 ** 30, 'memory used full in ~7 h', 25200) },
    cpu: { capacity: 4, reserved: { now: 1, per_hour: 0, samples: 3, says: 'not enough data (3 of 10 samples)' }, used: { now: null, per_hour: 0, samples: 0, says: 'not enough data (0 of 10 samples)' } },
  });
  const rows = forecastRows({ window_seconds: 3600, cluster: part('cluster'), nodes: [part('n1')] });
  assert.deepEqual(rows.map((r) => `${r.node}/${r.resource}`), ['cluster/memory', 'cluster/cpu', 'n1/memory', 'n1/cpu']);
  assert.deepEqual(rows[0], {
    node: 'cluster', resource: 'memory', capacity: '8.0 GiB', reserved: '2.0 GiB', reservedTrend: '+1.0 GiB', used: '1.0 GiB',
    usedTrend: '+1.0 GiB', says: 'memory reserved full in ~6 h; memory used full in ~7 h', fullIn: 21600,
  });
  assert.equal(rows[1].used, '-');
  assert.equal(rows[1].reservedTrend, '-');
  assert.equal(rows[1].fullIn, null);
  assert.deepEqual(forecastRows(undefined), []);
});

test('a rule without receivers notifies the owners and masters', () => {
  assert.equal(receivers({ webhooks: [], emails: [] }), 'owners and masters');
  assert.equal(receivers({ webhooks: ['https://h/x'], emails: ['a@b.c'] }), 'https://h/x, a@b.c');
});

test('a mute holds until its time', () => {
  const now = Date.parse('2026-12-06T10:00:00Z');
  assert.equal(muted({ muted_until: '2026-12-06T11:00:00Z' }, now), true);
  assert.equal(muted({ muted_until: '2026-12-06T09:00:00Z' }, now), false);
  assert.equal(muted({ muted_until: null }, now), false);
});

test('firing before pending, critical before warning, the oldest first', () => {
  const list = [
    { app: 'a', name: 'p', state: 'pending', severity: 'critical', active_since: '2026-12-06T10:00:00Z' },
    { app: 'a', name: 'w', state: 'firing', severity: 'warning', active_since: '2026-12-06T09:00:00Z' },
    { app: 'b', name: 'c2', state: 'firing', severity: 'critical', active_since: '2026-12-06T10:00:00Z' },
    { app: 'b', name: 'c1', state: 'firing', severity: 'critical', active_since: '2026-12-06T08:00:00Z' },
  ];
  assert.deepEqual(byUrgency(list).map((a) => a.name), ['c1', 'c2', 'w', 'p']);
  assert.deepEqual(byUrgency(undefined), []);
});

test('history newest first, and the notifications\' outcomes in three words', () => {
  const h = [{ at: '2026-12-06T10:00:00Z' }, { at: '2026-12-06T11:00:00Z' }];
  assert.deepEqual(newestFirst(h).map((t) => t.at), ['2026-12-06T11:00:00Z', '2026-12-06T10:00:00Z']);
  assert.equal(delivery('delivered'), 'sent');
  assert.equal(delivery('gave-up'), 'failed');
  assert.equal(delivery('rejected'), 'failed');
  assert.equal(delivery('retrying'), 'retrying');
  assert.equal(delivery(undefined), '-');
});

test('a transition\'s value is rounded for reading', () => {
  assert.equal(number(92.3456), '92.35');
  assert.equal(number(1234.5), '1235');
  assert.equal(number(null), '–');
  assert.equal(number(0), '0');
});

test('the new-rule form sends URLs as webhooks and the rest as e-mails', () => {
  assert.deepEqual(ruleBody({ name: ' high-cpu ', when: 'cpu > 80%', forText: '2m', severity: 'critical',
    receiverText: 'https://hooks.example/x, ops@example.com  http://h/y' }),
  { name: 'high-cpu', when: 'cpu > 80%', for: '2m', severity: 'critical', webhooks: ['https://hooks.example/x', 'http://h/y'], emails: ['ops@example.com'] });
  assert.deepEqual(ruleBody({ name: 'x', when: 'unhealthy > 0', forText: ' ', severity: '', receiverText: '' }), { name: 'x', when: 'unhealthy > 0' });
});
