// An app's alerts tab (#/apps/NAME/alerts): its rules with where each stands, the transitions newest
// first, and for the app's owners and masters (the `alerts` action) a new rule, Mute, Unmute and
// Remove. Everyone else reads; the API checks every call all the same and its message is shown.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useApi } from '../data.js';
import { Page, Card, Pill, Empty, Loading, When, Table } from '../ui.jsx';
import { may, stamp } from '../format.js';
import { receivers, muted, newestFirst, number } from '../alerts-format.js';
import { problem, useDraft } from '../state.js';
import { AlertRuleForm } from './alert-form.jsx';

// The console's pill tones (ui.jsx) for an alert's phase and a rule's severity.
const PHASE = { firing: 'failed', pending: 'canary', resolved: 'ok', inactive: 'stopped' };
const SEVERITY = { critical: 'failed', warning: 'canary', info: 'started' };

export function Phase({ state }) {
  return <Pill state={PHASE[state] || 'muted'}>{state || '-'}</Pill>;
}

export function Severity({ severity }) {
  return <Pill state={SEVERITY[severity] || 'muted'}>{severity || '-'}</Pill>;
}

/**
 * The app page's tabs: its overview and its alerts, the latter with how many of its rules fire or
 * are pending ({@code rules}: the alerts tab's own list; elsewhere the tabs ask for it).
 */
export function AppTabs({ me, name, tab, rules }) {
  const enc = encodeURIComponent(name);
  const own = useApi(rules === undefined && may(me, 'app', name, 'read') ? `/v1/apps/${enc}/alerts` : null, { every: 10000, optional: true });
  const list = rules === undefined ? own.data : rules;
  const firing = (list || []).filter((r) => r.state === 'firing').length;
  const pending = (list || []).filter((r) => r.state === 'pending').length;
  return (
    <nav class="tabs" data-testid="app-tabs">
      <a href={`#/apps/${enc}`} class={tab === 'overview' ? 'active' : ''} data-testid="tab-overview">Overview</a>
      <a href={`#/apps/${enc}/alerts`} class={tab === 'alerts' ? 'active' : ''} data-testid="tab-alerts">
        Alerts{firing > 0 && <> <Pill state="failed">{firing} firing</Pill></>}{pending > 0 && <> <Pill state="canary">{pending} pending</Pill></>}
      </a>
    </nav>
  );
}

/** Transitions as a table, newest first; {@code app}: show each one's app, linked to its alerts tab. */
export function AlertHistory({ list, app = false, testid }) {
  const rows = newestFirst(list);
  return (
    <Table testid={testid} head={['When (UTC)', ...(app ? ['App'] : []), 'Rule', 'Transition', 'Value', 'Expression', 'Severity']}>
      {rows.map((t, i) => (
        <tr key={i} data-testid="alert-transition" data-app={t.app} data-rule={t.rule} data-to={t.to}>
          <td class="mono" title={t.at}>{stamp(t.at)}</td>
          {app && <td><a href={`#/apps/${encodeURIComponent(t.app)}/alerts`}>{t.app}</a></td>}
          <td><b>{t.rule}</b></td>
          <td><span class="muted">{t.from} →</span> <Phase state={t.to} /></td>
          <td class="mono">{number(t.value)}</td>
          <td class="mono">{t.expression}</td>
          <td><Severity severity={t.severity} /></td>
        </tr>
      ))}
      {!rows.length && <tr><td colSpan={app ? 7 : 6} class="muted">No transitions yet.</td></tr>}
    </Table>
  );
}

export function AppAlerts({ me, name }) {
  const enc = encodeURIComponent(name);
  const readable = may(me, 'app', name, 'read');
  const rules = useApi(readable ? `/v1/apps/${enc}/alerts` : null, { every: 5000 });
  const history = useApi(readable ? `/v1/apps/${enc}/alerts/history?limit=100` : null, { every: 5000 });
  const canChange = readable && may(me, 'app', name, 'alerts');
  const [adding, setAdding] = useDraft(`alerts.${name}.adding`, false);
  const [notice, setNotice] = useState('');
  const act = async (path, method, body, what) => {
    try {
      await api(`/v1/apps/${enc}/alerts${path}`, { method, body });
      problem.set('');
      setNotice(what);
      rules.reload();
      history.reload();
      return true;
    } catch { return false; }
  };
  return (
    <Page title={name}
      sub={<><a href="#/apps">← Apps</a> · <a href={`#/members?kind=app&name=${enc}`}>members</a>{me.admin && <> · <a href="#/alerts">all alerts</a></>}</>}
      actions={canChange && <button class="primary" data-testid="alert-add" onClick={() => setAdding(!adding)}>New rule</button>}>
      <AppTabs me={me} name={name} tab="alerts" rules={rules.data || null} />
      {notice && <p class="notice" data-testid="alert-notice" onClick={() => setNotice('')}>{notice}</p>}
      {!readable && <p class="notice">Your role on {name} lets you see that it exists; its alert rules and their history need <b>reporter</b> or more.</p>}
      {readable && !canChange && <p class="muted small" data-testid="alerts-read-only">Read-only: adding, muting and removing rules needs <b>master</b> or <b>owner</b>.</p>}
      {adding && canChange && (
        <AlertRuleForm name={name} onDone={async (body) => {
          if (await act('', 'POST', body, `Added ${name}/${body.name}`)) setAdding(false);
        }} />
      )}
      {readable && (
        <>
          <Card title="Rules" extra={<span class="muted small">evaluated every 10 s</span>}>
            {rules.error && !rules.data ? <Empty>{rules.error.message}</Empty> : !rules.data ? <Loading what="the rules" /> : (
              <Table testid="alert-rules" head={['Rule', 'When', 'For', 'Severity', 'Receivers', 'State', 'Muted until', '']}>
                {rules.data.map((r) => <RuleRow key={r.name} rule={r} canChange={canChange} act={act} />)}
                {!rules.data.length && <tr><td colSpan="8" class="muted">No rules yet{canChange ? ': New rule adds one, or alerts: in the manifest.' : '.'}</td></tr>}
              </Table>
            )}
          </Card>
          <Card title="History" extra={<span class="muted">newest first, last 100</span>}>
            {!history.data ? <Loading what="the history" /> : <AlertHistory list={history.data} testid="alert-history" />}
          </Card>
        </>
      )}
    </Page>
  );
}

function RuleRow({ rule: r, canChange, act }) {
  const [open, setOpen] = useState(''); // '' | 'mute' (a custom mute) | 'remove' (asking to confirm)
  const [forText, setFor] = useState('30m');
  const path = `/${encodeURIComponent(r.name)}`;
  const isMuted = muted(r);
  const mute = (d) => act(`${path}/mute`, 'POST', { for: d }, `Muted ${r.app}/${r.name} for ${d}`).then((ok) => ok && setOpen(''));
  return (
    <tr data-testid="alert-rule" data-rule={r.name} data-state={r.state} data-muted={isMuted ? 'true' : 'false'}>
      <td><b>{r.name}</b>{r.source === 'manifest' && <span class="muted small"> manifest</span>}</td>
      <td class="mono">{r.when}</td>
      <td>{r.for || '0s'}</td>
      <td><Severity severity={r.severity} /></td>
      <td class="small">{receivers(r)}</td>
      <td data-testid="alert-state">
        <Phase state={r.state} />
        {r.active_since && <span class="muted small"> since <When at={r.active_since} /></span>}
        {r.value_text && <span class="mono small"> {r.value_text}</span>}
      </td>
      <td>{isMuted ? <span title={r.muted_until}>{stamp(r.muted_until)}</span> : <span class="muted">–</span>}</td>
      <td class="row-actions">
        {canChange && !open && (
          <>
            {isMuted
              ? <button class="small" data-testid="alert-unmute" onClick={() => act(`${path}/mute`, 'DELETE', undefined, `Unmuted ${r.app}/${r.name}`)}>Unmute</button>
              : <button class="small" data-testid="alert-mute" onClick={() => mute('1h')}>Mute 1h</button>}
            <button class="small" data-testid="alert-mute-custom" onClick={() => setOpen('mute')}>Mute…</button>
            {r.source !== 'manifest' && <button class="small danger" data-testid="alert-remove" onClick={() => setOpen('remove')}>Remove</button>}
          </>
        )}
        {canChange && open === 'mute' && (
          <form class="row" onSubmit={(e) => { e.preventDefault(); mute(forText.trim()); }}>
            <input name="mute_for" value={forText} onInput={(e) => setFor(e.target.value)} size="5" aria-label="Mute for" />
            <button type="submit" class="small primary" data-testid="alert-mute-submit">Mute</button>
            <button type="button" class="small" onClick={() => setOpen('')}>Cancel</button>
          </form>
        )}
        {canChange && open === 'remove' && (
          <span class="row">
            <button class="small primary danger" data-testid="alert-remove-confirm"
              onClick={() => act(path, 'DELETE', undefined, `Removed ${r.app}/${r.name}`)}>Remove {r.name}</button>
            <button class="small" onClick={() => setOpen('')}>Cancel</button>
          </span>
        )}
      </td>
    </tr>
  );
}
