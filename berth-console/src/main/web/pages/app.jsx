// One app: health, rollout, charts, instances, versions, logs, events, and the actions the
// signed-in user may take (deploy a new tag, scale, rollback, promote, abort).
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useApi } from '../data.js';
import { Page, Card, Pill, Empty, Loading, When, Table } from '../ui.jsx';
import { appHealth, may, yaml, stamp } from '../format.js';
import { useDraft, problem } from '../state.js';
import { DeployForm, ScaleForm, RollbackForm } from './app-forms.jsx';
import { Metrics, Logs } from './app-panels.jsx';
import { AppTabs } from './alerts.jsx';

export function AppPage({ me, name }) {
  const enc = encodeURIComponent(name);
  const mine = (e) => (e.kind === 'app' || e.kind === 'instance') && (e.app === name || e.name === name);
  const readable = may(me, 'app', name, 'read');
  const status = useApi(readable ? `/v1/apps/${enc}` : null, { match: mine });
  const list = useApi(readable && !status.error ? null : '/v1/apps', { match: mine });
  const instances = useApi(readable ? `/v1/apps/${enc}/instances` : null, { match: mine });
  const versions = useApi(readable ? `/v1/apps/${enc}/versions` : null, { match: (e) => e.kind === 'app' && (e.app === name || e.name === name) });
  const events = useApi(readable ? `/v1/apps/${enc}/events?limit=50` : null, { match: mine });
  const builds = useApi('/v1/builds', { optional: true }); // the builds that deploy here, linked in the header
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
        {' '}· <a href={`#/members?kind=app&name=${enc}`}>members</a>
        {(builds.data || []).filter((b) => b.deploy === name).map((b) => (
          <span key={b.name}> · built by <a href={`#/builds/${encodeURIComponent(b.name)}`}>{b.name}</a></span>))}</>}
      actions={
        <>
          {canDeploy && <button class="primary" data-testid="deploy" onClick={() => toggle('deploy')}>Deploy</button>}
          {canScale && <button data-testid="scale" onClick={() => toggle('scale')}>Scale</button>}
          {canDeploy && <button data-testid="rollback" onClick={() => toggle('rollback')}>Rollback</button>}
          {canDeploy && rollout && rollout.phase === 'canary' && <button data-testid="promote" onClick={() => act(`/v1/apps/${enc}/promote`, undefined, 'Promoted')}>Promote</button>}
          {canDeploy && rolling && rollout.from.length > 0 && <button class="danger" data-testid="abort" onClick={() => act(`/v1/apps/${enc}/abort`, undefined, 'Aborted')}>Abort</button>}
        </>
      }>
      <AppTabs me={me} name={name} tab="overview" />
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
