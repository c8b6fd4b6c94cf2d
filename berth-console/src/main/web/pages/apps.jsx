// Apps: the list, and a form that deploys a new app from its YAML manifest.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useApi } from '../data.js';
import { Page, Card, Pill, Empty, Loading, Table } from '../ui.jsx';
import { liveVersions } from '../format.js';
import { useDraft, problem, go } from '../state.js';

const SAMPLE = `name: hello
image: berth/busybox:1
command: [/bin/sh, -c, "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www"]
instances: 2
memory: 32m
ports: [8080]
health: {http: /, port: 8080, interval: 1s, timeout: 500ms}`;

export function Apps() {
  const apps = useApi('/v1/apps', { match: (e) => e.kind === 'app' || e.kind === 'instance' });
  const [open, setOpen] = useDraft('apps.new.open', false);
  return (
    <Page title="Apps" sub="Apps you belong to, with their versions in traffic."
      actions={<button class="primary" data-testid="new-app" onClick={() => setOpen(!open)}>New app</button>}>
      {open && <NewApp onClose={() => setOpen(false)} />}
      <Card>
        {!apps.data ? <Loading what="apps" /> : !apps.data.length ? <Empty>No apps yet: “New app” deploys one from its manifest.</Empty> : (
          <Table head={['App', 'Image', 'Version', 'Instances', 'Rollout', 'Routes', 'Owner']}>
            {apps.data.map((a) => {
              const running = a.versions.reduce((n, v) => n + v.running, 0);
              const images = [...new Set(a.versions.map((v) => v.image))].join(', ');
              return (
                <tr key={a.name} data-testid="app-row" data-app={a.name}>
                  <td><a href={`#/apps/${encodeURIComponent(a.name)}`}><b>{a.name}</b></a></td>
                  <td class="mono">{images || '–'}</td>
                  <td>{liveVersions(a)}{!a.versions.some((v) => v.version === a.latest_version) && <span class="muted"> (latest v{a.latest_version})</span>}</td>
                  <td>{running}/{a.instances} running</td>
                  <td>{a.rollout ? <Pill>{a.rollout.phase}</Pill> : <span class="muted">–</span>}</td>
                  <td class="mono">{a.routes.join(', ') || <span class="muted">–</span>}</td>
                  <td>{a.owner}</td>
                </tr>
              );
            })}
          </Table>
        )}
      </Card>
    </Page>
  );
}

function NewApp({ onClose }) {
  const [manifest, setManifest] = useDraft('apps.new.manifest', '');
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      const app = await api('/v1/apps', { method: 'POST', body: manifest });
      problem.set('');
      setManifest('');
      onClose();
      go(`#/apps/${encodeURIComponent(app.name)}`);
    } catch { /* shown */ } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="New app" class="form-card">
      <form onSubmit={submit} class="stack">
        <label>Manifest (YAML, as for <code>berth app deploy -f</code>; see docs/apps.md)
          <textarea name="manifest" rows="10" spellcheck={false} placeholder={SAMPLE} value={manifest}
            onInput={(e) => setManifest(e.target.value)} required />
        </label>
        <div class="row">
          <button type="submit" class="primary" data-testid="new-app-submit" disabled={busy}>{busy ? 'Deploying…' : 'Deploy'}</button>
          <button type="button" class="ghost" onClick={onClose}>Cancel</button>
          <button type="button" class="link" onClick={() => setManifest(SAMPLE)}>Start from an example</button>
        </div>
      </form>
    </Card>
  );
}
