// The dashboard's capacity forecast (GET /v1/nodes/forecast): per node and for the whole cluster,
// memory and CPU reserved and used, their trend per hour and the time left at that trend, the same
// numbers as `berth nodes --forecast`.
import { useApi } from '../data.js';
import { Card, Empty, Loading, Table, Pill } from '../ui.jsx';
import { forecastRows, windowText } from '../alerts-format.js';

const DAY = 86400;

export function Forecast() {
  // The forecast moves with the samples (every 30 s at the most): once a minute is enough.
  const f = useApi('/v1/nodes/forecast', { optional: true, every: 60000 });
  const rows = forecastRows(f.data);
  const sub = f.data ? `least-squares trends over the last ${windowText(f.data.window_seconds)}` : '';
  return (
    <Card title="Capacity forecast" extra={<span class="muted small" data-testid="forecast-window">{sub}</span>}>
      {f.missing ? <Empty>This manager makes no capacity forecast.</Empty> : !f.data ? <Loading what="the forecast" /> : (
        <Table testid="forecast"
          head={['Node', 'Resource', 'Capacity', 'Reserved', 'Trend/h', 'Used', 'Trend/h', 'Forecast']}>
          {rows.map((r) => (
            <tr key={`${r.node}/${r.resource}`} data-testid="forecast-row" data-node={r.node} data-resource={r.resource}>
              <td>{r.node === 'cluster' ? <b>cluster</b> : <a href={`#/nodes/${encodeURIComponent(r.node)}`}>{r.node}</a>}</td>
              <td>{r.resource}</td>
              <td>{r.capacity}</td>
              <td>{r.reserved}</td>
              <td class="muted">{r.reservedTrend}</td>
              <td>{r.used}</td>
              <td class="muted">{r.usedTrend}</td>
              <td class="says" data-testid="forecast-says">{urgency(r.fullIn)}{r.says}</td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

/** A pill before the words when a resource fills within a week (a day: bad). */
function urgency(fullIn) {
  if (fullIn == null || fullIn > 7 * DAY) return null;
  return <><Pill state={fullIn <= DAY ? 'failed' : 'canary'}>{fullIn <= DAY ? 'soon' : 'this week'}</Pill> </>;
}
