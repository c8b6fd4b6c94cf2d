// A line chart over time as plain SVG: one or two series aligned with `t`, null where no sample.

const W = 600, H = 150, PAD_L = 4, PAD_R = 4, PAD_T = 10, PAD_B = 18;

/**
 * @param testid  data-testid of the svg (chart-cpu …)
 * @param t       epoch ms of each sample
 * @param series  [{label, values, cls}]
 * @param format  number → text for the axis and the legend

 */
export function Chart({ testid, title, t = [], series = [], format = String, min = 0 }) {
  let points = 0;
  for (let i = 0; i < t.length; i++) if (series.some((s) => s.values && s.values[i] != null)) points++;
  const tMax = t.length ? t[t.length - 1] : 0;
  const tMin = t.length ? Math.min(t[0], tMax - 5 * 60 * 1000) : 0;
  let yMax = min;
  for (const s of series) for (const v of s.values || []) if (v != null && v > yMax) yMax = v;
  yMax = yMax * 1.15 || 1;
  const x = (ms) => PAD_L + ((ms - tMin) / Math.max(1, tMax - tMin)) * (W - PAD_L - PAD_R);
  const y = (v) => PAD_T + (1 - v / yMax) * (H - PAD_T - PAD_B);
  const path = (values) => {
    let d = '', pen = false;
    for (let i = 0; i < t.length; i++) {
      const v = values[i];
      if (v == null) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + x(t[i]).toFixed(1) + ' ' + y(v).toFixed(1);
      pen = true;
    }
    return d;
  };
  const lastOf = (values) => { for (let i = (values || []).length - 1; i >= 0; i--) if (values[i] != null) return values[i]; return null; };
  const minutes = t.length ? Math.round((tMax - tMin) / 60000) : 0;
  return (
    <figure class="chart">
      <figcaption>
        <span class="chart-title">{title}</span>
        {series.map((s) => (
          <span class={'legend ' + s.cls} key={s.label}>{s.label} {lastOf(s.values) == null ? '–' : format(lastOf(s.values))}</span>
        ))}
      </figcaption>
      <svg data-testid={testid} data-points={points} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {[0.25, 0.5, 0.75, 1].map((f) => (
          <line key={f} class="grid" x1={PAD_L} x2={W - PAD_R} y1={y(yMax * f / 1.15)} y2={y(yMax * f / 1.15)} />
        ))}
        <line class="axis" x1={PAD_L} x2={W - PAD_R} y1={H - PAD_B} y2={H - PAD_B} />
        {points > 0 && series.map((s) => <path key={s.label} class={'line ' + s.cls} d={path(s.values || [])} />)}
        {points > 0 && <text class="tick" x={PAD_L + 2} y={PAD_T + 8}>{format(yMax / 1.15)}</text>}
        {points > 0 && <text class="tick" x={PAD_L + 2} y={H - 4}>{minutes}m ago</text>}
        {points > 0 && <text class="tick" x={W - PAD_R - 2} y={H - 4} text-anchor="end">now</text>}
        {points === 0 && <text class="nodata" x={W / 2} y={H / 2} text-anchor="middle">no data yet</text>}
      </svg>
    </figure>
  );
}
