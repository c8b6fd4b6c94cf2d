// Nodes: state, labels, capacity used, their containers; drain and undrain for administrators.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useApi } from '../data.js';
import { Page, Card, Pill, Empty, Loading, When, Meter, Labels, Table } from '../ui.jsx';
import { Chart } from '../chart.jsx';
import { bytes, percent, last } from '../format.js';
import { problem } from '../state.js';
import { ContainerTable } from './containers.jsx';

const nodeEvent = (e) => e.kind === 'node';

export function Nodes() {
  const nodes = useApi('/v1/nodes', { match: nodeEvent });
  const containers = useApi('/v1/containers', { optional: true, match: (e) => e.kind === 'instance' || e.kind === 'node', every: 15000 });
  const count = (name) => (containers.data ? containers.data.filter((c) => c.node === name).length : null);
  return (
    <Page title="Nodes" sub="Every engine of the cluster.">
      <Card>
        {!nodes.data ? <Loading what="nodes" /> : !nodes.data.length ? <Empty>No node has joined yet.</Empty> : (
          <Table head={['Node', 'State', 'Address', 'Labels', 'CPUs', 'Memory', 'Containers', 'Engine', 'Since']}>
            {nodes.data.map((n) => (
              <tr key={n.name} data-testid="node-row" data-node={n.name}>
                <td><a href={`#/nodes/${encodeURIComponent(n.name)}`}>{n.name}</a></td>
                <td><Pill>{n.state}</Pill></td>
                <td class="mono">{n.address}</td>
                <td><Labels labels={n.labels} /></td>
                <td>{n.engine.cpus}</td>
                <td>{bytes(n.engine.memory_bytes)}</td>
                <td>{count(n.name) ?? <span class="muted">–</span>}</td>
                <td class="muted">{n.engine.engine_version} · {n.access}</td>
                <td><When at={n.changed_at} /></td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </Page>
  );
}

export function NodePage({ me, name }) {
  const enc = encodeURIComponent(name);
  const node = useApi(`/v1/nodes/${enc}`, { match: (e) => e.kind === 'node' && e.name === name });
  const metrics = useApi(`/v1/metrics/nodes/${enc}?since=1h`, { optional: true, every: 10000 });
  const containers = useApi(`/v1/containers?node=${enc}`, { optional: true, match: (e) => e.kind === 'instance' || e.kind === 'node', every: 15000 });
  const drained = useApi(me.admin ? `/v1/nodes/${enc}/drain` : null, { optional: true, match: (e) => e.kind === 'node' && e.name === name });
  const [done, setDone] = useState('');
  const n = node.data;
  const drain = async (on) => {
    try {
      await api(`/v1/nodes/${enc}/drain`, { method: on ? 'POST' : 'DELETE' });
      problem.set('');
      drained.reload();
      setDone(on ? `${name} is draining: its instances move elsewhere and nothing new is placed there.` : `${name} takes new instances again.`);
    } catch { /* shown */ }
  };
  const m = metrics.data;
  const s = (m && m.series) || {};
  const cpus = (m && m.capacity && m.capacity.cpus) || (n && n.engine.cpus) || 1;
  const memCap = (m && m.capacity && m.capacity.memory_bytes) || (n && n.engine.memory_bytes);
  const cpu = last(s.cpu_percent);
  const mem = last(s.memory_bytes);
  return (
    <Page title={name} sub={<a href="#/nodes">← Nodes</a>}
      actions={me.admin && n && (
        <>
          {/* Both while the manager cannot say (an older one without GET …/drain). */}
          {(!drained.data || !drained.data.draining) && <button data-testid="drain" onClick={() => drain(true)}>Drain</button>}
          {(!drained.data || drained.data.draining) && <button data-testid="undrain" onClick={() => drain(false)}>Undrain</button>}
        </>
      )}>
      {done && <p class="notice">{done}</p>}
      {!n ? <Loading what="the node" /> : (
        <>
          <div class="tiles">
            <div class="tile"><span class="tile-n"><Pill>{n.state}</Pill></span><span class="tile-l">since <When at={n.changed_at} /></span></div>
            <div class="tile"><span class="tile-n">{cpu == null ? '–' : percent(cpu / cpus)}</span><span class="tile-l">CPU of {n.engine.cpus} cores <Meter value={cpu == null ? null : cpu / cpus} /></span></div>
            <div class="tile"><span class="tile-n">{mem == null ? '–' : bytes(mem)}</span><span class="tile-l">memory of {bytes(memCap)} <Meter value={mem == null ? null : (100 * mem) / memCap} /></span></div>
            <div class="tile"><span class="tile-n">{m && m.containers != null ? m.containers : containers.data ? containers.data.length : '–'}</span><span class="tile-l">containers</span></div>
          </div>
          <div class="grid2">
            <Card title="Node">
              <dl class="facts">
                <dt>Address</dt><dd class="mono">{n.address}</dd>
                <dt>Id</dt><dd class="mono">{n.id}</dd>
                <dt>Labels</dt><dd><Labels labels={n.labels} /></dd>
                <dt>Engine</dt><dd>Docker {n.engine.engine_version} (API {n.engine.api_version}), {n.engine.operating_system}, {n.engine.architecture}</dd>
                <dt>Kernel</dt><dd>{n.engine.kernel_version}</dd>
                <dt>Reached</dt><dd>{n.access === 'agent' ? 'through its agent' : 'directly (discovered engine)'}</dd>
                <dt>Joined</dt><dd><When at={n.joined_at} /></dd>
              </dl>
            </Card>
            <Card title="Load, last hour">
              <Chart testid="node-chart-cpu" title={`CPU of ${cpus} cores`} t={s.t} format={percent}
                series={[{ label: 'cpu', values: (s.cpu_percent || []).map((v) => (v == null ? null : v / cpus)), cls: 's1' }]} />
              <Chart testid="node-chart-memory" title="Memory" t={s.t} series={[{ label: 'used', values: s.memory_bytes, cls: 's2' }]} format={bytes} />
            </Card>
          </div>
          <Card title="Containers">
            {containers.missing ? <Empty>This manager does not list containers (no /v1/containers, or its Docker endpoint is off).</Empty>
              : !containers.data ? <Loading what="containers" /> : <ContainerTable list={containers.data} node={false} />}
          </Card>
        </>
      )}
    </Page>
  );
}
