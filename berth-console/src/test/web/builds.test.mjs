// The builds page's pure helpers: a queued run's place and a run's duration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runState, runDuration } from '../../main/web/builds-format.js';

test('a queued run shows its place in its node\'s queue', () => {
  assert.equal(runState({ state: 'queued', place: 2 }), 'queued (2nd)');
  assert.equal(runState({ state: 'queued', place: 11 }), 'queued (11th)');
  assert.equal(runState({ state: 'queued', place: null }), 'queued');
  assert.equal(runState({ state: 'failed', place: 1 }), 'failed');
  assert.equal(runState({ outcome: 'relayed' }), 'relayed');
});

test('a run lasts from its start to its end, or to now while it runs', () => {
  const r = { started_at: '2026-12-06T10:00:00Z', ended_at: '2026-12-06T10:02:05Z' };
  assert.equal(runDuration(r), '2m5s');
  assert.equal(runDuration({ started_at: '2026-12-06T10:00:00Z' }, Date.parse('2026-12-06T10:00:09Z')), '9s');
  assert.equal(runDuration({}), '-');
});
