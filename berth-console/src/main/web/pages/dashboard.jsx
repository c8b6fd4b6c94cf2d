// The dashboard: nodes with their load, apps, instances by state, recent events.
import { useApi, useMany } from '../data.js';
import { Page, Card, Pill, Empty, Loading, When, Meter, Table } from '../ui.jsx';
import { bytes, percent, last, liveVersions, may } from '../format.js';
import { Forecast } from './forecast.jsx';

const STATES = ['running', 'claimed', 'unclaimed', 'crashed'];

export function Dashboard({ me }) {
  const nodes = useApi('/v1/nodes', { match: (e) => e.kind === 'node' });
  const apps = useApi('/v1/apps', { match: (e) => e.kind === 'app' || e.kind === 'instance' });
  const nodeList = nodes.data || [];
  const appList = apps.data || [];
  const load = useMany(nodeList.map((n) => `/v1/metrics/nodes/${encodeURIComponent(n.name)}?since=5m`), { every: 10000 });
  // Instances of the apps the user may read; of the others (a guest's) the status's running count.
  const readable = appList.filter((a) => may(me, 'app', a.name, 'read'));
  const instances = useMany(readable.map((a) => `/v1/apps/${encodeURIComponent(a.name)}/instances`),
    { match: (e) => e.kind === 'instance' || e.kind === 'app' });
  const byState = Object.fromEntries(STATES.map((s) => [s, 0]));
  for (const a of appList) {
    const list = instances[`/v1/apps/${encodeURIComponent(a.name)}/instances`];
    if (!list) {
      byState.running += a.versions.reduce((n, v) => n + v.running, 0);
      continue;
    }
    for (const i of list) {
      const s = String(i.state).toLowerCase();
      byState[s] = (byState[s] || 0) + 1;
    }
  }
  const ready = nodeList.filter((n) => n.state === 'ready').length;
  const wanted = appList.reduce((n, a) => n + a.instances, 0);
  return (
    <Page title="Dashboard" sub={`Signed in as ${me.user}${me.admin ? ', administrator' : ''}`}>
      <div class="tiles">
        <div class="tile"><span class="tile-n">{nodes.data ? `${ready}/${nodeList.length}` : '…'}</span><span class="tile-l">nodes ready</span></div>
        <div class="tile"><span class="tile-n">{apps.data ? appList.length : '…'}</span><span class="tile-l">apps</span></div>
        <div class="tile"><span class="tile-n">{apps.data ? wanted : '…'}</span><span class="tile-l">instances wanted</span></div>
        <div class="tile states" data-testid="instance-states">
          {STATES.map((s) => (
            <span key={s} class="state-count"><Pill state={s}>{s}</Pill> <b>{byState[s]}</b></span>
          ))}
        </div>
      </div>
      <div class="grid2">
        <Card title="Nodes" extra={<a href="#/nodes">All nodes →</a>}>
          {!nodes.data ? <Loading what="nodes" /> : !nodeList.length ? <Empty>No node has joined yet.</Empty> : (
            <Table head={['Node', 'State', 'CPU', 'Memory']}>
              {nodeList.map((n) => {
                const m = load[`/v1/metrics/nodes/${encodeURIComponent(n.name)}?since=5m`];
                const cpu = m && last(m.series.cpu_percent);
                const cpus = (m && m.capacity && m.capacity.cpus) || n.engine.cpus || 1;
                const mem = m && last(m.series.memory_bytes);
                const memCap = (m && m.capacity && m.capacity.memory_bytes) || n.engine.memory_bytes;
                const cpuShare = cpu == null ? null : cpu / cpus;
                return (
                  <tr key={n.name}>
                    <td><a href={`#/nodes/${encodeURIComponent(n.name)}`}>{n.name}</a></td>
                    <td><Pill>{n.state}</Pill></td>
                    <td class="load"><Meter value={cpuShare} /> {cpu == null ? <span class="muted">no data yet</span> : percent(cpuShare)}</td>
                    <td class="load"><Meter value={mem == null ? null : (100 * mem) / memCap} /> {mem == null ? <span class="muted">–</span> : `${bytes(mem)} / ${bytes(memCap)}`}</td>
                  </tr>
                );
              })}
            </Table>
          )}
        </Card>
        <Card title="Apps" extra={<a href="#/apps">All apps →</a>}>
          {!apps.data ? <Loading what="apps" /> : !appList.length ? <Empty>No apps yet. <a href="#/apps">Deploy one</a>.</Empty> : (
            <Table head={['App', 'Version', 'Running', 'Rollout']}>
              {appList.map((a) => {
                const running = a.versions.reduce((n, v) => n + v.running, 0);
                return (
                  <tr key={a.name}>
                    <td><a href={`#/apps/${encodeURIComponent(a.name)}`}>{a.name}</a></td>
                    <td>{liveVersions(a)}</td>
                    <td>{running}/{a.instances}</td>
                    <td>{a.rollout ? <Pill>{a.rollout.phase}</Pill> : <span class="muted">–</span>}</td>
                  </tr>
                );
              })}
            </Table>
          )}
        </Card>
      </div>
      <Forecast />
      <Events me={me} apps={appList} />
    </Page>
  );
}

function Events({ me, apps }) {
  const activity = useApi(me.admin ? '/v1/activity?limit=20' : null, { match: (e) => e.kind === 'activity' });
  const perApp = useMany(me.admin ? [] : apps.filter((a) => may(me, 'app', a.name, 'read'))
    .map((a) => `/v1/apps/${encodeURIComponent(a.name)}/events?limit=10`),
    { match: (e) => e.kind === 'app' });
  let rows;
  if (me.admin) {
    rows = (activity.data || []).map((e) => ({ time: e.time, what: e.type, subject: e.subject, message: e.message }));
  } else {
    rows = Object.values(perApp).flat().map((e) => ({ time: e.time, what: `${e.action} ${e.outcome}`, subject: e.app, message: e.message }));
  }
  rows.sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  rows = rows.slice(0, 15);
  return (
    <Card title="Recent events">
      {!rows.length ? <Empty>{me.admin ? 'Nothing has happened yet.' : 'No recent events in the apps you may read.'}</Empty> : (
        <ul class="events">
          {rows.map((e, i) => (
            <li key={i}>
              <When at={e.time} />
              <span class="ev-what">{e.what}</span>
              <span class="ev-subject">{e.subject}</span>
              <span class="ev-msg">{e.message}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
