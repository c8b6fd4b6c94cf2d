// The cluster's alerts (#/alerts, linked from the navigation for administrators): every rule now
// pending or firing across the apps the caller may read, the recent transitions, and the
// notifications' log (sent, failed, retrying; GET /v1/alerts/notifications, administrators only).
import { useApi } from '../data.js';
import { Page, Card, Pill, Empty, Loading, When, Table } from '../ui.jsx';
import { stamp } from '../format.js';
import { byUrgency, newestFirst, delivery, muted } from '../alerts-format.js';
import { Phase, Severity, AlertHistory } from './alerts.jsx';

const DELIVERY = { sent: 'ok', failed: 'failed', retrying: 'canary' };

export function ClusterAlerts({ me }) {
  const active = useApi('/v1/alerts', { every: 5000 });
  const history = useApi('/v1/alerts/history?limit=100', { every: 5000 });
  const sent = useApi(me.admin ? '/v1/alerts/notifications?limit=50' : null, { optional: true, every: 5000 });
  const list = byUrgency(active.data);
  const firing = list.filter((a) => a.state === 'firing').length;
  return (
    <Page title="Alerts" sub={me.admin ? 'Every app\'s alerts, for administrators.' : 'The alerts of the apps you may read.'}>
      <Card title="Pending and firing" extra={active.data && <span class="muted" data-testid="alerts-firing">{firing} firing, {list.length - firing} pending</span>}>
        {!active.data ? <Loading what="the alerts" /> : (
          <Table testid="active-alerts" head={['App', 'Rule', 'When', 'Severity', 'State', 'Since', 'Value', 'Muted']}>
            {list.map((a) => (
              <tr key={`${a.app}/${a.name}`} data-testid="active-alert" data-app={a.app} data-rule={a.name} data-state={a.state}>
                <td><a href={`#/apps/${encodeURIComponent(a.app)}/alerts`}>{a.app}</a></td>
                <td><b>{a.name}</b></td>
                <td class="mono">{a.when}</td>
                <td><Severity severity={a.severity} /></td>
                <td><Phase state={a.state} /></td>
                <td>{a.active_since ? <When at={a.active_since} /> : '–'}</td>
                <td class="mono">{a.value_text || '–'}</td>
                <td>{muted(a) ? `until ${stamp(a.muted_until)}` : <span class="muted">–</span>}</td>
              </tr>
            ))}
            {!list.length && <tr><td colSpan="8" class="muted">Nothing pending or firing.</td></tr>}
          </Table>
        )}
      </Card>
      {me.admin && (
        <Card title="Notifications" extra={<span class="muted">newest first, last 50</span>}>
          {sent.missing ? <Empty>This manager keeps no notification log.</Empty> : !sent.data ? <Loading what="the notifications" /> : (
            <Table testid="alert-notifications" head={['When (UTC)', 'App', 'Notice', 'Receiver', 'Outcome', 'Tries', 'Error']}>
              {newestFirst(sent.data).map((n, i) => {
                const word = delivery(n.outcome);
                return (
                  <tr key={i} data-testid="notification-row" data-app={n.app} data-outcome={word}>
                    <td class="mono">{stamp(n.at)}</td>
                    <td>{n.app}</td>
                    <td><span class="mono small">{rule(n.notice_id)}</span> {n.status}{n.repeat && <span class="muted small"> (reminder)</span>}</td>
                    <td class="small">{n.receiver}</td>
                    <td><Pill state={DELIVERY[word] || 'muted'}>{word}</Pill>{word !== n.outcome && <span class="muted small"> {n.outcome}</span>}</td>
                    <td>{n.attempts}</td>
                    <td class="small">{n.error || ''}</td>
                  </tr>
                );
              })}
              {!sent.data.length && <tr><td colSpan="7" class="muted">No notifications yet.</td></tr>}
            </Table>
          )}
        </Card>
      )}
      <Card title="History" extra={<span class="muted">newest first, last 100</span>}>
        {!history.data ? <Loading what="the history" /> : <AlertHistory list={history.data} app testid="cluster-alert-history" />}
      </Card>
    </Page>
  );
}

/** The rule of a notice id (APP/RULE/SINCE/STATUS). */
function rule(id) {
  const parts = String(id || '').split('/');
  return parts.length >= 2 ? parts[1] : id;
}
