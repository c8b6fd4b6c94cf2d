import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTag, imageTag, redeployBody, appHealth, may, bytes, yaml, last, validTag } from '../../main/web/format.js';
import { parseSse } from '../../main/web/sse.js';

test('withTag replaces the tag, not a registry port', () => {
  assert.equal(withTag('berth/busybox:1', '2'), 'berth/busybox:2');
  assert.equal(withTag('127.0.0.1:5000/team/hello:v1', 'v2'), '127.0.0.1:5000/team/hello:v2');
  assert.equal(withTag('127.0.0.1:5000/team/hello', 'v2'), '127.0.0.1:5000/team/hello:v2');
  assert.equal(withTag('busybox@sha256:abc', 'x'), 'busybox:x');
  assert.equal(imageTag('127.0.0.1:5000/team/hello'), '');
  assert.equal(imageTag('berth/busybox:1'), '1');
  assert.ok(validTag('v1.2_3') && !validTag('-x') && !validTag('a b'));
});

test('redeployBody keeps the manifest, drops instances and nulls', () => {
  const body = redeployBody({ name: 'hello', image: 'berth/busybox:1', instances: 3, health: null, ports: [8080] }, '2');
  assert.deepEqual(body, { name: 'hello', image: 'berth/busybox:2', ports: [8080] });
});

test('appHealth: healthy when every wanted instance runs and is routed', () => {
  const status = { versions: [{ version: 1, instances: 2 }], routes: ['a.local'], rollout: { phase: 'succeeded' } };
  const run = (index, routed) => ({ version: 1, index, state: 'RUNNING', routed });
  assert.equal(appHealth(status, [run(0, true), run(1, true)]).state, 'healthy');
  const starting = appHealth(status, [run(0, true), run(1, false)]);
  assert.equal(starting.state, 'starting');
  assert.ok(!(starting.state + starting.text).includes('healthy'));
  assert.equal(appHealth(status, [run(0, false), run(1, false)]).state, 'healthy', 'no router at all: running is enough');
  const crashed = appHealth(status, [run(0, true), { version: 1, index: 1, state: 'CRASHED' }]);
  assert.equal(crashed.state, 'degraded');
  assert.ok(!crashed.text.includes('healthy'));
  assert.equal(appHealth({ ...status, rollout: { phase: 'progressing' } }, [run(0, true), run(1, true)]).state, 'progressing');
});

test('may: admin, memberships, unknown', () => {
  assert.ok(may({ admin: true }, 'app', 'x', 'deploy'));
  const guest = { admin: false, memberships: [{ kind: 'app', name: 'x', role: 'guest', actions: ['view'] }] };
  assert.ok(!may(guest, 'app', 'x', 'deploy'));
  assert.ok(may(guest, 'app', 'x', 'view'));
  assert.ok(!may(guest, 'app', 'y', 'view'));
  assert.ok(may({ admin: false }, 'app', 'x', 'deploy'));
});

test('parseSse: events, comments, partial rest, multi-line data', () => {
  const { events, rest } = parseSse(': ping\n\nevent: change\ndata: {"kind":"app"}\n\ndata: a\ndata: b\n\nevent: change\ndata: {"ki');
  assert.deepEqual(events, [{ event: 'change', data: '{"kind":"app"}' }, { event: 'message', data: 'a\nb' }]);
  assert.equal(rest, 'event: change\ndata: {"ki');
  assert.deepEqual(parseSse('event: change\r\ndata: x\r\n\r\n').events, [{ event: 'change', data: 'x' }]);
});

test('bytes, last, yaml', () => {
  assert.equal(bytes(0), '0 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(64 * 1024 * 1024), '64.0 MiB');
  assert.equal(last([1, 2, null]), 2);
  assert.equal(last([null]), null);
  assert.equal(yaml({ name: 'hello', ports: [8080], env: { A: 'b c' }, command: ['/bin/sh', '-c', 'echo hi'] }),
    'name: hello\nports: [8080]\nenv:\n  A: "b c"\ncommand: [/bin/sh, -c, "echo hi"]');
});

test('appHealth without instances counts the status', () => {
  const status = { versions: [{ version: 2, instances: 2, running: 2 }], routes: ['a.local'], rollout: { phase: 'succeeded' } };
  assert.equal(appHealth(status, null).state, 'healthy');
  assert.equal(appHealth({ ...status, versions: [{ version: 2, instances: 2, running: 1 }] }, null).state, 'starting');
});
