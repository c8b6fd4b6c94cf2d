// Containers: what the Docker endpoint shows the signed-in user (GET /v1/containers).
import { useState } from 'preact/hooks';
import { useApi } from '../data.js';
import { Page, Card, Pill, Empty, Loading, When, Table } from '../ui.jsx';

export function ContainerTable({ list, node = true }) {
  if (!list.length) return <Empty>No containers.</Empty>;
  const head = ['Name', 'Image', 'State', 'Status', ...(node ? ['Node'] : []), 'App', 'Owner', 'Ports', 'Created'];
  return (
    <Table head={head}>
      {list.map((c) => (
        <tr key={c.id} data-testid="container-row" data-node={c.node}>
          <td><span class="mono" title={c.id}>{c.name}</span></td>
          <td class="mono">{c.image}</td>
          <td><Pill>{c.state}</Pill></td>
          <td class="muted">{c.status}</td>
          {node && <td><a href={`#/nodes/${encodeURIComponent(c.node)}`}>{c.node}</a></td>}
          <td>{c.app ? <a href={`#/apps/${encodeURIComponent(c.app)}`}>{c.app}{c.version ? ` v${c.version}` : ''}</a> : <span class="muted">–</span>}</td>
          <td>{c.owner || <span class="muted">–</span>}</td>
          <td class="mono">{ports(c.ports)}</td>
          <td><When at={typeof c.created === 'number' ? c.created * (c.created < 1e12 ? 1000 : 1) : c.created} /></td>
        </tr>
      ))}
    </Table>
  );
}

function ports(list) {
  if (!list || !list.length) return '–';
  return list.map((p) => (typeof p === 'string' ? p
    : p.public_port ? `${p.ip ? p.ip + ':' : ''}${p.public_port}→${p.private_port}` : `${p.private_port}/${p.type || 'tcp'}`)).join(', ');
}

export function Containers() {
  const [filter, setFilter] = useState('');
  const c = useApi('/v1/containers', { optional: true, match: (e) => e.kind === 'instance' || e.kind === 'node', every: 10000 });
  const list = (c.data || []).filter((x) => !filter || [x.name, x.image, x.node, x.app, x.owner].some((v) => v && String(v).includes(filter)));
  return (
    <Page title="Containers" sub="What the Docker endpoint shows you: your containers and those of your apps."
      actions={<input class="search" type="search" placeholder="Filter" value={filter} onInput={(e) => setFilter(e.target.value)} />}>
      <Card>
        {c.missing ? <Empty>This manager does not list containers here (no /v1/containers, or its Docker endpoint is off).</Empty>
          : !c.data ? <Loading what="containers" /> : <ContainerTable list={list} />}
      </Card>
    </Page>
  );
}
