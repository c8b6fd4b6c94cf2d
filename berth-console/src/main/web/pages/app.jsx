// One app: health, rollout, charts, instances, versions, logs, events, and the actions the
// signed-in user may take (deploy a new tag, scale, rollback, promote, abort).
import { useState, useEffect, useRef } from 'preact/hooks';
import { api } from '../api.js';
import { useApi } from '../data.js';
import { Page, Card, Pill, Empty, Loading, When, Table } from '../ui.jsx';
import { Chart } from '../chart.jsx';
import { appHealth, may, imageTag, redeployBody, validTag, bytes, percent, rate, yaml, stamp } from '../format.js';
import { useDraft, problem } from '../state.js';

export function AppPage({ me, name }) {
  const enc = encodeURIComponent(name);
  const mine = (e) => (e.kind === 'app' || e.kind === 'instance') && (e.app === name || e.name === name);
  const readable = may(me, 'app', name, 'read');
  const status = useApi(readable ? `/v1/apps/${enc}` : null, { match: mine });
  const list = useApi(readable && !status.error ? null : '/v1/apps', { match: mine });
  const instances = useApi(readable ? `/v1/apps/${enc}/instances` : null, { match: mine });
  const versions = useApi(readable ? `/v1/apps/${enc}/versions` : null, { match: (e) => e.kind === 'app' && (e.app === name || e.name === name) });
  const events = useApi(readable ? `/v1/apps/${enc}/events?limit=50` : null, { match: mine });
  const [form, setForm] = useDraft(`app.${name}.form`, '');
  const [notice, setNotice] = useState('');
  const app = status.data || (list.data && list.data.find((a) => a.name === name));
  const denied = !readable || (status.error && status.error.status === 403);
  const reload = () => { status.reload(); instances.reload(); versions.reload(); events.reload(); };
  const act = async (path, body, what) => {
    try {
      const s = await api(path, { method: 'POST', body });
      problem.set('');
      setForm('');
      setNotice(s && s.rollout ? `${what}: ${s.rollout.message || s.rollout.phase}` : what);
      reload();
      return true;
    } catch { return false; }
  };
  if (!app) {
    return (
      <Page title={name} sub={<a href="#/apps">← Apps</a>}>
        {status.error || (list.data && !app) ? <Empty>You cannot see an app named {name}.</Empty> : <Loading what="the app" />}
      </Page>
    );
  }
  const health = appHealth(app, denied ? null : instances.data);
  const rollout = app.rollout;
  const rolling = rollout && (rollout.phase === 'progressing' || rollout.phase === 'canary');
  const canDeploy = !denied && may(me, 'app', name, 'deploy');
  const canScale = !denied && may(me, 'app', name, 'scale');
  const toggle = (f) => setForm(form === f ? '' : f);
  const vlist = (versions.data || []).slice().sort((a, b) => b.version - a.version);
  const images = [...new Set(app.versions.map((v) => v.image))].join(', ');
  return (
    <Page title={name}
      sub={<><a href="#/apps">← Apps</a> · owner {app.owner} · {app.routes.length ? app.routes.join(', ') : 'no routes'}
        {' '}· <a href={`#/members?kind=app&name=${enc}`}>members</a></>}
      actions={
        <>
          {canDeploy && <button class="primary" data-testid="deploy" onClick={() => toggle('deploy')}>Deploy</button>}
          {canScale && <button data-testid="scale" onClick={() => toggle('scale')}>Scale</button>}
          {canDeploy && <button data-testid="rollback" onClick={() => toggle('rollback')}>Rollback</button>}
          {canDeploy && rollout && rollout.phase === 'canary' && <button data-testid="promote" onClick={() => act(`/v1/apps/${enc}/promote`, undefined, 'Promoted')}>Promote</button>}
          {canDeploy && rolling && rollout.from.length > 0 && <button class="danger" data-testid="abort" onClick={() => act(`/v1/apps/${enc}/abort`, undefined, 'Aborted')}>Abort</button>}
        </>
      }>
      <div class="status-line">
        <span data-testid="app-health" class={'health ' + health.state}><Pill state={health.state}>{health.state}</Pill> <span class="muted">{health.text}</span></span>
        {rollout && (
          <span class="rollout">
            <Pill>{rollout.phase}</Pill> {rollout.action} of v{rollout.to} ({rollout.strategy}) by {rollout.user}: {rollout.message}
          </span>
        )}
      </div>
      {notice && <p class="notice" onClick={() => setNotice('')}>{notice}</p>}
      {form === 'deploy' && canDeploy && <DeployForm name={name} versions={vlist} onDone={(body) => act('/v1/apps', body, 'Deploying')} />}
      {form === 'scale' && canScale && <ScaleForm name={name} app={app} onDone={(n) => act(`/v1/apps/${enc}/scale`, { instances: n }, `Scaling to ${n}`)} />}
      {form === 'rollback' && canDeploy && <RollbackForm name={name} app={app} versions={vlist} onDone={(body) => act(`/v1/apps/${enc}/rollback`, body, 'Rolling back')} />}
      {denied && <p class="notice">Your role on {name} lets you see that it exists; its versions, instances, logs and charts need <b>reporter</b> or more.</p>}
      {!denied && (
        <>
          <Metrics name={name} />
          <Card title="Instances" extra={<span class="muted mono">{images}</span>}>
            {!instances.data ? <Loading what="instances" /> : !instances.data.length ? <Empty>No instances.</Empty> : (
              <Table head={['Instance', 'State', 'Node', 'Address', 'In traffic', 'Crashes', 'Since']}>
                {instances.data.map((i) => (
                  <tr key={i.instance_guid || `${i.version}/${i.index}`} data-testid="instance-row" data-state={String(i.state).toLowerCase()}
                    data-node={i.node} data-version={i.version}>
                    <td class="mono">v{i.version}/{i.index}</td>
                    <td><Pill>{String(i.state).toLowerCase()}</Pill>{i.crash_reason && <span class="muted small"> {i.crash_reason}</span>}</td>
                    <td>{i.node ? <a href={`#/nodes/${encodeURIComponent(i.node)}`}>{i.node}</a> : <span class="muted">–</span>}</td>
                    <td class="mono">{address(i)}</td>
                    <td>{!app.routes.length ? <span class="muted">–</span> : i.routed ? 'yes' : <span class="muted">no</span>}</td>
                    <td>{i.crash_count}</td>
                    <td><When at={i.since} /></td>
                  </tr>
                ))}
              </Table>
            )}
          </Card>
          <Card title="Versions">
            {!versions.data ? <Loading what="versions" /> : (
              <Table head={['Version', 'Image', 'Deployed', 'By', 'Note', '']}>
                {vlist.map((v) => (
                  <tr key={v.version} data-testid="version-row" data-version={v.version}>
                    <td><b>v{v.version}</b></td>
                    <td class="mono">{v.image}</td>
                    <td title={stamp(v.deployed_at)}><When at={v.deployed_at} /></td>
                    <td>{v.deployed_by}</td>
                    <td class="muted">{v.note || '–'}</td>
                    <td>{v.active ? <Pill state="running">in traffic</Pill> : ''}
                      <details class="manifest"><summary>manifest</summary><pre>{yaml(v.manifest)}</pre></details></td>
                  </tr>
                ))}
              </Table>
            )}
          </Card>
          <div class="grid2">
            <Logs name={name} generation={(instances.data || []).filter((i) => String(i.state).toLowerCase() === 'running')
              .map((i) => i.instance_guid).join(',')} />
            <Card title="Events">
              {!events.data ? <Loading what="events" /> : (
                <ul class="events" data-testid="events">
                  {events.data.slice().reverse().map((e, k) => (
                    <li key={k}>
                      <When at={e.time} />
                      <span class="ev-what">{e.action} v{e.version}</span>
                      <Pill>{e.outcome}</Pill>
                      <span class="ev-msg">{e.user}: {e.message}</span>
                    </li>
                  ))}
                  {!events.data.length && <li class="muted">No events yet.</li>}
                </ul>
              )}
            </Card>
          </div>
        </>
      )}
    </Page>
  );
}

function address(i) {
  if (!i.address) return '–';
  const ports = (i.ports || []).map((p) => `${i.address}:${p.host_port}→${p.container_port}`);
  return ports.length ? ports.join(', ') : i.address;
}

function DeployForm({ name, versions, onDone }) {
  const latest = versions[0];
  const [tag, setTag] = useDraft(`app.${name}.deploy.tag`, latest ? imageTag(latest.image) : '');
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (tag === '' && latest) setTag(imageTag(latest.image)); }, [latest && latest.version]);
  if (!latest) return <Loading what="versions" />;
  const bad = tag !== '' && !validTag(tag);
  const submit = async (e) => {
    e.preventDefault();
    if (bad) { problem.set(`not an image tag: '${tag}' (letters, digits, '_', '.', '-'; up to 128)`); return; }
    setBusy(true);
    await onDone(redeployBody(latest.manifest, tag));
    setBusy(false);
  };
  const image = latest.image.replace(/:[^:/@]*$/, '');
  return (
    <Card title={`Deploy a new version of ${name}`} class="form-card">
      <form class="row wrap" onSubmit={submit}>
        <label class="inline">Image <span class="mono">{image}:</span>
          <input name="image_tag" value={tag} onInput={(e) => setTag(e.target.value)} required class={bad ? 'invalid' : ''} size="12" />
        </label>
        <button type="submit" class="primary" data-testid="deploy-submit" disabled={busy}>Deploy v{latest.version + 1}</button>
        <span class="muted">Everything else as in v{latest.version}; the strategy is the manifest's ({(latest.manifest.deploy && latest.manifest.deploy.strategy) || 'rolling'}).</span>
      </form>
    </Card>
  );
}

function ScaleForm({ name, app, onDone }) {
  const [n, setN] = useDraft(`app.${name}.scale.instances`, String(app.instances));
  const submit = (e) => { e.preventDefault(); onDone(Number(n)); };
  return (
    <Card title={`Scale ${name}`} class="form-card">
      <form class="row wrap" onSubmit={submit}>
        <label class="inline">Instances <input name="instances" type="number" min="0" max="1000" value={n} onInput={(e) => setN(e.target.value)} required size="5" /></label>
        <button type="submit" class="primary" data-testid="scale-submit">Scale</button>
        <span class="muted">Now {app.instances}.</span>
      </form>
    </Card>
  );
}

function RollbackForm({ name, app, versions, onDone }) {
  const live = new Set(app.versions.map((v) => v.version));
  const others = versions.filter((v) => !live.has(v.version));
  const [to, setTo] = useDraft(`app.${name}.rollback.to`, '');
  const submit = (e) => { e.preventDefault(); onDone(to ? { to: Number(to) } : {}); };
  return (
    <Card title={`Roll ${name} back`} class="form-card">
      <form class="row wrap" onSubmit={submit}>
        <label class="inline">To <select name="to" value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">the version before the current one</option>
          {others.map((v) => <option key={v.version} value={v.version}>v{v.version} · {v.image}</option>)}
        </select></label>
        <button type="submit" class="danger" data-testid="rollback-submit">Roll back</button>
        <span class="muted">A rolling deploy of that version, with {app.instances} instances.</span>
      </form>
    </Card>
  );
}

function Metrics({ name }) {
  const m = useApi(`/v1/metrics/apps/${encodeURIComponent(name)}?since=1h`, { optional: true, every: 10000 });
  const s = (m.data && m.data.series) || {};
  return (
    <Card title="Last hour" extra={<span class="muted">{m.data ? `every ${m.data.interval_seconds}s` : m.missing ? 'no metrics on this manager yet' : ''}</span>}>
      <div class="charts">
        <Chart testid="chart-cpu" title="CPU (100% = 1 core)" t={s.t} series={[{ label: 'cpu', values: s.cpu_percent, cls: 's1' }]} format={percent} />
        <Chart testid="chart-memory" title="Memory" t={s.t} series={[{ label: 'used', values: s.memory_bytes, cls: 's2' }]} format={bytes} />
        <Chart testid="chart-network" title="Network" t={s.t} format={rate}
          series={[{ label: 'rx', values: s.net_rx_bytes_per_second, cls: 's1' }, { label: 'tx', values: s.net_tx_bytes_per_second, cls: 's3' }]} />
      </div>
    </Card>
  );
}

const MAX_LINES = 1000;

/** The instances' logs, followed: a streamed text/plain body, restarted when the set of running instances changes. */
function Logs({ name, generation }) {
  const [lines, setLines] = useState([]);
  const [state, setState] = useState('connecting');
  const pre = useRef(null);
  const stick = useRef(true);
  useEffect(() => {
    const ctl = new AbortController();
    let stopped = false;
    (async () => {
      while (!stopped) {
        try {
          const res = await api(`/v1/apps/${encodeURIComponent(name)}/logs?follow=true&tail=100`, { raw: true, quiet: true, signal: ctl.signal });
          setLines([]);
          setState('following');
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let part = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const chunk = (part + value).split('\n');
            part = chunk.pop();
            if (chunk.length) setLines((old) => old.concat(chunk).slice(-MAX_LINES));
          }
          setState('ended');
        } catch (e) {
          if (stopped || e.name === 'AbortError') return;
          setState(e.status === 503 ? 'unavailable' : 'retrying');
        }
        await new Promise((r) => setTimeout(r, 3000));
      }
    })();
    return () => { stopped = true; ctl.abort(); };
  }, [name, generation]);
  useEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);
  return (
    <Card title="Logs" extra={<span class="muted">{state === 'following' ? 'following' : state}</span>}>
      <pre class="logs" data-testid="logs" ref={pre}
        onScroll={(e) => { const el = e.currentTarget; stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40; }}>{lines.join('\n') || (state === 'unavailable' ? 'Logs need the manager’s Docker endpoint, which is off.' : '')}</pre>
    </Card>
  );
}
