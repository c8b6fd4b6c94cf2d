// The app page's forms: a new version by its image tag, scale, rollback. Each keeps its fields as
// drafts, so an expired session does not lose them.
import { useState, useEffect } from 'preact/hooks';
import { Card, Loading } from '../ui.jsx';
import { imageTag, redeployBody, validTag } from '../format.js';
import { useDraft, problem } from '../state.js';

export function DeployForm({ name, versions, onDone }) {
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

export function ScaleForm({ name, app, onDone }) {
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

export function RollbackForm({ name, app, versions, onDone }) {
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
