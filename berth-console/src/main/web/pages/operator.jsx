// The operator's view (administrators): operations per day and the audit log.
import { useApi } from '../data.js';
import { Page, Card, Empty, Loading, Table, Pill } from '../ui.jsx';
import { stamp } from '../format.js';

const COLUMNS = ['deploys', 'scales', 'rollbacks', 'promotes', 'aborts', 'pushes', 'pulls', 'builds', 'sign_ins', 'failures', 'denied'];

export function Operator({ me }) {
  const stats = useApi(me.admin ? '/v1/stats/operations?days=14' : null, { optional: true, match: (e) => e.kind === 'activity', every: 60000 });
  const audit = useApi(me.admin ? '/v1/audit?limit=100' : null, { match: (e) => e.kind === 'activity' });
  if (!me.admin) return <Page title="Operator"><Empty>The operator's view is for administrators.</Empty></Page>;
  const days = (stats.data && stats.data.days) || [];
  const keys = days.length ? [...COLUMNS.filter((c) => c in days[0]), ...Object.keys(days[0]).filter((k) => k !== 'date' && !COLUMNS.includes(k))] : COLUMNS;
  const peak = Math.max(1, ...days.map((d) => keys.reduce((n, k) => n + (d[k] || 0), 0)));
  const entries = (audit.data || []).slice().reverse();
  return (
    <Page title="Operator" sub="Operations per day (UTC) and who did what.">
      <Card title="Operations, last 14 days">
        {stats.missing && <Empty>No operation counts from this manager yet (no /v1/stats/operations).</Empty>}
        {!stats.missing && !stats.data && <Loading what="operations" />}
        <Table testid="operations" head={['Day', ...keys.map((k) => k.replace('_', '-')), '']} class="numbers">
          {days.slice().reverse().map((d) => {
            const total = keys.reduce((n, k) => n + (d[k] || 0), 0);
            return (
              <tr key={d.date}>
                <td class="mono">{d.date}</td>
                {keys.map((k) => <td key={k} class={d[k] ? '' : 'muted'}>{d[k] || 0}</td>)}
                <td class="spark"><span class="meter"><span class="meter-bar" style={{ width: (100 * total) / peak + '%' }} /></span></td>
              </tr>
            );
          })}
          {stats.data && stats.data.totals && (
            <tr class="total"><td>total</td>{keys.map((k) => <td key={k}>{stats.data.totals[k] || 0}</td>)}<td /></tr>
          )}
        </Table>
      </Card>
      <Card title="Audit log" extra={<span class="muted">newest first, last 100</span>}>
        {!audit.data ? <Loading what="the audit log" /> : (
          <Table testid="audit" head={['When (UTC)', 'User', 'Via', 'From', 'Action', 'Target', 'Status']}>
            {entries.map((e, i) => (
              <tr key={i}>
                <td class="mono">{stamp(e.at)}</td>
                <td>{e.user}</td>
                <td class="muted">{e.via}</td>
                <td class="mono muted">{e.from}</td>
                <td class="mono">{e.action}</td>
                <td>{e.target}</td>
                <td><Pill state={e.status < 400 ? 'ok' : e.status === 403 ? 'denied' : 'failed'}>{e.status} {e.outcome}</Pill></td>
              </tr>
            ))}
            {!entries.length && <tr><td colSpan="7" class="muted">Nothing audited yet.</td></tr>}
          </Table>
        )}
      </Card>
    </Page>
  );
}
