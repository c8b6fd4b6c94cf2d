// Code builds: the list with a create form, and a build's page with its run form, its runs and a
// run's log streamed live (GET …/log?follow=1, read as it arrives) with each step's time.
import { useState, useEffect } from 'preact/hooks';
import { api, headers } from '../api.js';
import { useApi } from '../data.js';
import { Page, Card, Pill, Empty, Loading, Table, When } from '../ui.jsx';
import { may } from '../format.js';
import { runState, runDuration } from '../builds-format.js';
import { problem, useDraft, go } from '../state.js';

// A run's state as the tone of ui.jsx's Pill (its keys are states: 'failed' is red, 'started' blue …).
const STATE = { ok: 'ok', failed: 'failed', cancelled: 'stopped', running: 'started', queued: 'created' };

export function Builds() {
  const builds = useApi('/v1/builds', { every: 5000 });
  const [name, setName] = useDraft('build.new.name', '');
  const [git, setGit] = useDraft('build.new.git', '');
  const [branch, setBranch] = useDraft('build.new.branch', 'main');
  const create = async (e) => {
    e.preventDefault();
    try {
      await api('/v1/builds', { method: 'POST', body: { name, git_url: git, branch } });
      problem.set('');
      go(`#/builds/${encodeURIComponent(name)}`);
    } catch { /* shown */ }
  };
  return (
    <Page title="Builds" sub="From a git repository to an image in the registry, on build nodes.">
      <Card title="New build" class="form-card">
        <form class="row wrap" onSubmit={create} data-testid="build-create">
          <label class="inline">Name <input name="name" value={name} onInput={(e) => setName(e.target.value)} required size="14" /></label>
          <label class="inline">Git URL <input name="git_url" value={git} onInput={(e) => setGit(e.target.value)} required size="36" /></label>
          <label class="inline">Branch <input name="branch" value={branch} onInput={(e) => setBranch(e.target.value)} size="10" /></label>
          <button type="submit" class="primary">Create</button>
        </form>
      </Card>
      <Card>
        {!builds.data ? <Loading what="builds" /> : !builds.data.length ? <Empty>No builds yet.</Empty> : (
          <Table head={['Build', 'Repository', 'Branch', 'Image', 'Deploys to']}>
            {builds.data.map((b) => (
              <tr key={b.name} data-testid="build-row" data-build={b.name}>
                <td><a href={`#/builds/${encodeURIComponent(b.name)}`}><b>{b.name}</b></a></td>
                <td class="mono">{b.git_url || 'docker build'}</td>
                <td>{b.branch || '-'}</td>
                <td class="mono">{b.image || '-'}</td>
                <td>{b.deploy ? <a href={`#/apps/${encodeURIComponent(b.deploy)}`}>{b.deploy}</a> : '-'}</td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </Page>
  );
}

export function BuildPage({ me, name }) {
  const enc = encodeURIComponent(name);
  const build = useApi(`/v1/builds/${enc}`, { every: 2000 });
  const [shown, setShown] = useState(null);
  const runs = build.data ? [...build.data.runs].reverse() : [];
  return (
    <Page title={name} sub={<><a href="#/builds">← Builds</a> · <a href={`#/members?kind=build&name=${enc}`}>members</a></>}>
      {build.data && build.data.git_url && may(me, 'build', name, 'run') && (
        <RunForm name={name} branch={build.data.branch} onRun={(n) => { setShown(n); build.reload(); }} />
      )}
      <Card title="Runs">
        {!build.data ? <Loading what="runs" /> : !runs.length ? <Empty>No runs yet.</Empty> : (
          <Table head={['Run', 'State', 'Ref', 'Node', 'Steps', 'Duration', 'Image / why', 'Queued']}>
            {runs.map((r) => (
              <tr key={r.number} data-testid="run-row" data-run={r.number} onClick={() => setShown(r.number)} style="cursor: pointer">
                <td><b>{r.number}</b></td>
                <td><Pill state={STATE[r.state] || 'muted'}>{runState(r)}</Pill></td>
                <td class="mono">{r.ref || '-'}</td>
                <td>{r.node || '-'}</td>
                <td>{(r.steps || []).map((s) => `${s.name}${s.millis != null ? ` ${(s.millis / 1000).toFixed(1)}s` : '…'}`).join(' · ') || '-'}</td>
                <td>{runDuration(r)}</td>
                <td class="mono">{r.state === 'ok' ? r.image : (r.message || '-')}</td>
                <td><When at={r.at} /></td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {shown != null && <RunLog name={name} run={shown} key={shown} />}
    </Page>
  );
}

function RunForm({ name, branch, onRun }) {
  const [ref, setRef] = useState(branch || '');
  const [tag, setTag] = useState('');
  const [cache, setCache] = useState(true);
  const run = async (e) => {
    e.preventDefault();
    try {
      const r = await api(`/v1/builds/${encodeURIComponent(name)}/runs`, { method: 'POST', body: { ref, tag: tag || null, no_cache: !cache } });
      problem.set('');
      onRun(r.number);
    } catch { /* shown */ }
  };
  return (
    <Card title={`Run ${name}`} class="form-card">
      <form class="row wrap" onSubmit={run}>
        <label class="inline">Branch or tag <input name="ref" value={ref} onInput={(e) => setRef(e.target.value)} size="14" /></label>
        <label class="inline">Image tag <input name="tag" value={tag} placeholder="the commit" onInput={(e) => setTag(e.target.value)} size="10" /></label>
        <label class="inline"><input type="checkbox" name="cache" checked={cache} onChange={(e) => setCache(e.target.checked)} /> Use the caches</label>
        <button type="submit" class="primary" data-testid="run-submit">Run</button>
      </form>
    </Card>
  );
}

/** The run's log, read from the follow as it arrives until the run ends. */
function RunLog({ name, run }) {
  const [text, setText] = useState('');
  useEffect(() => {
    const stop = new AbortController();
    (async () => {
      try {
        const res = await fetch(`/v1/builds/${encodeURIComponent(name)}/runs/${run}/log?follow=1`, { headers: headers(), signal: stop.signal });
        const reader = res.body.getReader();
        const utf8 = new TextDecoder();
        for (let part = await reader.read(); !part.done; part = await reader.read()) {
          const chunk = utf8.decode(part.value, { stream: true });
          setText((t) => t + chunk);
        }
      } catch { /* closed, or the page left */ }
    })();
    return () => stop.abort();
  }, [name, run]);
  return (
    <Card title={`Run ${run}: log`}>
      <pre class="logs" data-testid="run-log">{text || 'waiting for the log…'}</pre>
    </Card>
  );
}
